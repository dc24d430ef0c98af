/* mremap(2): shrink a mapping, grow it in place, or move it (MREMAP_MAYMOVE,
 * MREMAP_FIXED). A move carries the page-table entries over to the new
 * address, frames and reference counts untouched: contents are never
 * copied, so COW sharing with other processes survives a move. */
#include <mm.h>
#include <pgtable.h>
#include <proc.h>
#include <syscall.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

/* vma_range_fn for ranges whose PTEs are already gone (moved away, or
 * never made): only the counters follow. */
static void forget_piece(void *ctx, const struct vma *vma, uint64_t start,
			 uint64_t end)
{
	struct mm *mm = ctx;
	uint64_t pages = (end - start) >> PAGE_SHIFT;

	mm->total_vm -= pages;
	if (vma->flags & VMA_LOCKED)
		mm->locked_vm -= pages;
}

/* A VMA like vma over [start, end), with the object offset of addr (a
 * page of vma) at start. */
static struct vma vma_like(const struct vma *vma, uint64_t addr,
			   uint64_t start, uint64_t end)
{
	return (struct vma){
		.start = start, .end = end, .flags = vma->flags,
		.obj = vma->obj, .ops = vma->ops, .name = vma->name,
		.pgoff = vma->pgoff + ((addr - vma->start) >> PAGE_SHIFT),
	};
}

/* pt_copy_fn: the same frame and protection at the new address. */
static int move_pte(void *ctx, vaddr_t va, pte_t *src, pte_t *dst)
{
	(void)ctx;
	(void)va;
	*dst = *src;
	return 0;
}

/*
 * Map the PTEs of [old, old + len) at new as well, with the same frames
 * and protection. On failure (no page table) the copies made so far, and
 * any table made for them, are removed again and old is untouched. The
 * reference each PTE holds is handed over by move_commit.
 */
static int move_ptes(struct mm *mm, uint64_t old, uint64_t new, uint64_t len)
{
	int err = pt_copy_range(mm->pml4, old, old + len, mm->pml4, new, move_pte, NULL);

	if (err) {
		pt_unmap_range(mm->pml4, new, new + len, NULL, NULL);
		return -ENOMEM;
	}
	return 0;
}

/* The old PTEs go (one flush for all), with the tables they leave empty;
 * their references now belong to the new ones. */
static void move_commit(struct mm *mm, uint64_t old, uint64_t len)
{
	pt_unmap_range(mm->pml4, old, old + len, NULL, NULL);
}

/*
 * Move [old, old + old_len) of vma to [new, new + new_len), which is free.
 * The old range ends at vma's end (the caller split it there), so removing
 * it needs no new VMA, unless the new range merged onto that end; then a
 * failed split (no memory for one VMA) leaves the old range mapped and
 * empty, with the contents safe at new.
 */
static int move_vma(struct mm *mm, struct vma *vma, uint64_t old,
		    uint64_t old_len, uint64_t new, uint64_t new_len)
{
	struct vma tmpl = vma_like(vma, old, new, new + new_len);
	uint64_t moved = old_len < new_len ? old_len : new_len;
	int err;

	err = vma_insert(&mm->vmas, &tmpl, NULL);
	if (err)
		return err;
	mm->total_vm += new_len >> PAGE_SHIFT;
	if (tmpl.flags & VMA_LOCKED)
		mm->locked_vm += new_len >> PAGE_SHIFT;
	err = move_ptes(mm, old, new, moved);
	if (err) {
		/* Cannot fail unless the new VMA merged on both sides. */
		vma_unmap_range(&mm->vmas, new, new + new_len, forget_piece, mm);
		return err;
	}
	move_commit(mm, old, moved);
	vma_unmap_range(&mm->vmas, old, old + old_len, forget_piece, mm);
	if ((tmpl.flags & VMA_LOCKED) && !(tmpl.flags & VMA_LOCKONFAULT))
		mm_populate(mm, new + moved, new + new_len);
	return 0;
}

/* Grow vma, whose end is old_end, up to new_end when that range is free. */
static int grow_in_place(struct mm *mm, struct vma *vma, uint64_t new_end)
{
	struct vma *next = vma_next(vma);
	uint64_t old_end = vma->end;
	struct vma tmpl;
	int err;

	if (new_end > MM_USER_TOP || (next && next->start < new_end))
		return -ENOMEM;
	if (vma->flags & VMA_NOMERGE)
		return -ENOMEM;	/* would become a second VMA */
	tmpl = vma_like(vma, old_end, old_end, new_end);
	err = vma_insert(&mm->vmas, &tmpl, NULL);
	if (err)
		return err;
	mm->total_vm += (new_end - old_end) >> PAGE_SHIFT;
	if (tmpl.flags & VMA_LOCKED) {
		mm->locked_vm += (new_end - old_end) >> PAGE_SHIFT;
		if (!(tmpl.flags & VMA_LOCKONFAULT))
			mm_populate(mm, old_end, new_end);
	}
	return 0;
}

/* The checks Linux makes before anything changes, in its order. */
static int mremap_check(uint64_t addr, uint64_t old_len, uint64_t new_len,
			unsigned long flags, uint64_t new_addr)
{
	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED))
		return -EINVAL;	/* MREMAP_DONTUNMAP included: not done */
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!new_len || !old_len)
		return -EINVAL;	/* old_len 0 duplicates shared maps: not done */
	if (new_len > MM_USER_TOP || old_len > MM_USER_TOP)
		return -EINVAL;
	if (flags & MREMAP_FIXED) {
		if (new_addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (new_addr < MM_USER_LOW || new_addr > MM_USER_TOP - new_len)
			return -EINVAL;
		/* the two ranges may not overlap */
		if (new_addr < addr + old_len && addr < new_addr + new_len)
			return -EINVAL;
	}
	return 0;
}

/* The VMA holding all of [addr, addr + len), split so that the range
 * ends at its end; or NULL and *err. */
static struct vma *old_vma(struct mm *mm, uint64_t addr, uint64_t len, int *err)
{
	struct vma *vma = vma_find(&mm->vmas, addr);

	*err = -EFAULT;
	if (!vma || addr + len > vma->end)
		return NULL;
	*err = 0;
	if (addr + len < vma->end)
		*err = vma_split(&mm->vmas, vma, addr + len, NULL);
	return *err ? NULL : vma;
}

int do_mremap(struct mm *mm, uint64_t addr, uint64_t old_len, uint64_t new_len,
	      unsigned long flags, uint64_t new_addr, uint64_t *out)
{
	struct vma *vma;
	uint64_t grow;
	int err;

	err = mremap_check(addr, old_len, new_len, flags, new_addr);
	if (err)
		return err;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (addr > MM_USER_TOP - old_len)
		return -EFAULT;
	/* Nothing changes unless the part that stays is one VMA's. */
	vma = vma_find(&mm->vmas, addr);
	if (!vma || addr + (new_len < old_len ? new_len : old_len) > vma->end)
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		err = do_munmap(mm, new_addr, new_len);
		if (err)
			return err;
	}
	if (new_len < old_len) {
		err = do_munmap(mm, addr + new_len, old_len - new_len);
		if (err)
			return err;
		old_len = new_len;
		if (!(flags & MREMAP_FIXED)) {
			*out = addr;
			return 0;
		}
	}
	vma = vma_find(&mm->vmas, addr);
	if (!vma || addr + old_len > vma->end)
		return -EFAULT;
	grow = (new_len - old_len) >> PAGE_SHIFT;
	err = mm_may_expand(mm, grow, vma->flags);
	if (err)
		return err;
	if (!(flags & MREMAP_FIXED)) {
		if (!grow) {
			*out = addr;
			return 0;
		}
		if (addr + old_len == vma->end &&
		    grow_in_place(mm, vma, addr + new_len) == 0) {
			*out = addr;
			return 0;
		}
		if (!(flags & MREMAP_MAYMOVE))
			return -ENOMEM;
		err = vma_find_gap(&mm->vmas, new_len, 0, 0, MM_USER_LOW,
				   mm->mmap_base, &new_addr);
		if (err)
			return err;
	}
	vma = old_vma(mm, addr, old_len, &err);
	if (!vma)
		return err;
	err = move_vma(mm, vma, addr, old_len, new_addr, new_len);
	if (err)
		return err;
	*out = new_addr;
	return 0;
}

/*
 * W^X for mremap, which keeps a mapping's protection: it cannot make
 * memory writable and executable, only carry such memory. A process
 * where W^X applies has some only if it made it while it had lifted
 * the policy (PR_SET_WX_RELAX, then restored). Growing such a mapping
 * or moving it elsewhere makes new W+X pages or addresses: refused
 * (EACCES) while the policy applies; shrinking it in place is not. Any
 * other mapping passes, whatever it is.
 */
static int mremap_wx_check(struct mm *mm, uint64_t addr, uint64_t old_len,
			   uint64_t new_len, unsigned long flags)
{
	struct vma *vma;

	if (new_len <= old_len && !(flags & MREMAP_FIXED))
		return 0;
	vma = vma_find(&mm->vmas, addr);
	if (!vma || (vma->flags & (VMA_WRITE | VMA_EXEC)) != (VMA_WRITE | VMA_EXEC))
		return 0;
	return mm_wx_check(PROT_WRITE | PROT_EXEC, "mremap");
}

/* mremap(old_addr, old_len, new_len, flags, new_addr) */
SYSCALL_DEFINE(mremap)
{
	uint64_t addr;
	int err;

	if (!current->mm)
		return -EINVAL;
	err = mremap_wx_check(current->mm, a0, a1, a2, a3);
	if (err)
		return err;
	err = do_mremap(current->mm, a0, a1, a2, a3, a4, &addr);
	return err ? err : (long)addr;
}
