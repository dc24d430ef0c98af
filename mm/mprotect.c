/* mprotect(2): change the protection of a range of user memory. The VMA
 * tree splits and merges (vma_protect_range, which also refuses what the
 * VMA_MAY* bits forbid); here the mapped PTEs of every changed piece follow.
 * PROT_NONE keeps pages mapped for the kernel only, so their data survives
 * and any user access faults. */
#include <mm.h>
#include <pgtable.h>
#include <proc.h>
#include <syscall.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

struct protect_ctx {
	struct mm *mm;
	uint32_t prot;		/* the new VMA_PROT_MASK bits */
	pte_t ro, rw;		/* leaf bits for the piece being changed */
	struct pt_flush flush;	/* every entry changed, flushed once */
};

/* pt_leaf_fn: the entry keeps its write permission, if the VMA still
 * allows it, and takes the rest from the new flags. */
static int protect_pte(void *ctx, vaddr_t va, pte_t *pte)
{
	struct protect_ctx *pc = ctx;

	if (pte_set_bits(pte, pte_writable(*pte) ? pc->rw : pc->ro))
		pt_flush_add(&pc->flush, va);
	return 0;
}

/*
 * vma_range_fn: re-protect the present PTEs of [start, end) for the new
 * flags. Write permission is only ever kept, never granted: a PTE that
 * was read-only may be a COW or zero page, and the write fault decides
 * (reusing the frame when it is ours alone).
 */
static void protect_piece(void *ctx, const struct vma *vma, uint64_t start,
			  uint64_t end)
{
	struct protect_ctx *pc = ctx;
	struct vma nv = *vma;

	nv.flags = (vma->flags & ~VMA_PROT_MASK) | pc->prot;
	pc->ro = pte_bits(mm_vma_prot(&nv, 0));
	pc->rw = pte_bits(mm_vma_prot(&nv, 1));
	pt_walk_range(pc->mm->pml4, start, end, protect_pte, pc);
}

int do_mprotect(struct mm *mm, uint64_t start, uint64_t len, unsigned long prot)
{
	struct protect_ctx pc = { .mm = mm, .prot = prot & VMA_PROT_MASK };
	unsigned long known = PROT_READ | PROT_WRITE | PROT_EXEC |
			      PROT_GROWSDOWN | PROT_GROWSUP;
	uint64_t end;
	int err;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((prot & ~known) ||
	    (prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!len)
		return 0;
	end = ALIGN_UP(start + len, PAGE_SIZE);
	if (end <= start || start < MM_USER_LOW || end > MM_USER_TOP)
		return -ENOMEM;
	/* No grows-up VMAs on x86; PROT_GROWSDOWN widens the range down to
	 * the start of a grows-down VMA, as Linux does for stacks. */
	if (prot & PROT_GROWSUP)
		return -EINVAL;
	if (prot & PROT_GROWSDOWN) {
		struct vma *vma = vma_find(&mm->vmas, start);

		if (!vma)
			return -ENOMEM;
		if (!(vma->flags & VMA_GROWSDOWN))
			return -EINVAL;
		start = vma->start;
	}
	pt_flush_init(&pc.flush, mm->pml4);
	err = vma_protect_range(&mm->vmas, start, end, pc.prot, protect_piece, &pc);
	/* Pieces done before a failure changed entries too. */
	pt_flush_finish(&pc.flush);
	return err;
}

/* mprotect(addr, len, prot). W^X refuses write and exec together; write,
 * then exec, in two calls, is allowed (mm/wx.c). */
SYSCALL_DEFINE(mprotect)
{
	int err;

	if (!current->mm)
		return -ENOMEM;
	err = mm_wx_check(a2, "mprotect");
	if (err)
		return err;
	return do_mprotect(current->mm, a0, a1, a2);
}
