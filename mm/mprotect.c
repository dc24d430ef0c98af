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
};

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
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		unsigned prot;

		if (pt_lookup(pc->mm->pml4, va, NULL, &prot) < 0)
			continue;
		pt_protect(pc->mm->pml4, va, mm_vma_prot(&nv, prot & PT_WRITE));
	}
}

int do_mprotect(struct mm *mm, uint64_t start, uint64_t len, unsigned long prot)
{
	struct protect_ctx pc = { .mm = mm, .prot = prot & VMA_PROT_MASK };
	unsigned long known = PROT_READ | PROT_WRITE | PROT_EXEC |
			      PROT_GROWSDOWN | PROT_GROWSUP;
	uint64_t end;

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
	return vma_protect_range(&mm->vmas, start, end, pc.prot, protect_piece, &pc);
}

/* mprotect(addr, len, prot) */
SYSCALL_DEFINE(mprotect)
{
	if (!current->mm)
		return -ENOMEM;
	return do_mprotect(current->mm, a0, a1, a2);
}
