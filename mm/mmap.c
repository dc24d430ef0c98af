/* The mapping calls: brk, mmap and munmap (system calls → do_brk, do_mmap,
 * do_munmap → VMA operations in vma.c → page-table effects here), the
 * stack and heap set-up exec uses, and loader writes into an mm. What
 * backs an object mapping is filemap.c's business. */
#include <mm.h>
#include <audit.h>
#include <page.h>
#include <pgtable.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

/* vma_range_fn for unmap: the pages of a piece leave with their frames. */
static void unmap_piece(void *ctx, const struct vma *vma, uint64_t start, uint64_t end)
{
	struct mm *mm = ctx;

	mm_zap_range(mm, start, end);
	mm->total_vm -= (end - start) >> PAGE_SHIFT;
	if (vma->flags & VMA_LOCKED)
		mm->locked_vm -= (end - start) >> PAGE_SHIFT;
}

int do_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || !len || addr > MM_USER_TOP ||
	    len > MM_USER_TOP - addr)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	return vma_unmap_range(&mm->vmas, addr, addr + len, unmap_piece, mm);
}

/* Fault in every page of [start, end) for the access VMA protection
 * allows (MAP_POPULATE, MAP_LOCKED). Stops quietly at the first page that
 * cannot be had, as Linux's populate does: the mapping stands. */
static void populate(struct mm *mm, uint64_t start, uint64_t end, uint32_t flags)
{
	unsigned access = (flags & VMA_WRITE) ? FAULT_WRITE : FAULT_READ;

	if (!(flags & VMA_PROT_MASK))
		return;
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		if (mm_fault(mm, va, access, NULL) != FAULT_OK)
			return;
}

static uint32_t vma_flags_of(unsigned long prot, unsigned long flags)
{
	uint32_t vf = VMA_MAYREAD | VMA_MAYWRITE | VMA_MAYEXEC;

	if (prot & PROT_READ)
		vf |= VMA_READ;
	if (prot & PROT_WRITE)
		vf |= VMA_WRITE;
	if (prot & PROT_EXEC)
		vf |= VMA_EXEC;
	if (flags & MAP_GROWSDOWN)
		vf |= VMA_GROWSDOWN;
	if (flags & MAP_NORESERVE)
		vf |= VMA_NORESERVE;
	if (flags & MAP_LOCKED)
		vf |= VMA_LOCKED;
	return vf;
}

/* What MAP_SHARED_VALIDATE accepts: Linux's legacy flags. */
#define MMAP_KNOWN_FLAGS (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | \
			  MAP_EXECUTABLE | MAP_GROWSDOWN | MAP_LOCKED | \
			  MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | \
			  MAP_HUGETLB | MAP_FIXED_NOREPLACE)

/*
 * Where len (page-aligned) bytes go. A fixed addr must be aligned and
 * inside user space (-EINVAL, -ENOMEM) and is used as it is; otherwise
 * addr is a hint, taken when the range there is free, else the top-down
 * search below mmap_base, which keeps the stack's room free (-ENOMEM
 * when nothing fits).
 */
static int place_range(struct mm *mm, uint64_t *addr, uint64_t len, int fixed)
{
	uint64_t hint = ALIGN_UP(*addr, PAGE_SIZE);

	if (fixed) {
		if (*addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (*addr < MM_USER_LOW || *addr > MM_USER_TOP || len > MM_USER_TOP - *addr)
			return -ENOMEM;
		return 0;
	}
	if (hint >= MM_USER_LOW && hint < MM_USER_TOP && len <= MM_USER_TOP - hint &&
	    vma_find_gap(&mm->vmas, len, 0, hint, MM_USER_LOW, MM_USER_TOP, addr) == 0 &&
	    *addr == hint)
		return 0;
	return vma_find_gap(&mm->vmas, len, 0, 0, MM_USER_LOW, mm->mmap_base, addr);
}

/*
 * Checks follow Linux's order: offset, length, type, then what we cannot
 * do, then placement, then the file (mm_mapping_prepare). The object is
 * taken before anything changes, so a MAP_FIXED mapping never replaces
 * what was there when the fd turns out bad (placement: place_range).
 * PROT_WRITE|PROT_EXEC maps here; refusing it is the W^X policy's job,
 * in the callers (mm/wx.c).
 * Other prot bits are ignored, as Linux's mmap ignores them.
 */
int do_mmap(struct mm *mm, uint64_t addr, uint64_t len, unsigned long prot,
	    unsigned long flags, int fd, uint64_t off, uint64_t *out)
{
	unsigned long type = flags & MAP_TYPE;
	int fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
	struct vma tmpl = { 0 };
	int err;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	/* MAP_SHARED_VALIDATE refuses what it does not know (MAP_SYNC
	 * included: there is no DAX) instead of ignoring it. */
	if (type == MAP_SHARED_VALIDATE && (flags & ~MMAP_KNOWN_FLAGS))
		return -EOPNOTSUPP;
	/* Huge pages do not exist: refused as Linux refuses them with no
	 * hugetlbfs pages reserved. */
	if (flags & MAP_HUGETLB)
		return -EINVAL;
	if (len > ALIGN_DOWN(USER_END, PAGE_SIZE))
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);

	err = place_range(mm, &addr, len, fixed);
	if (err)
		return err;
	tmpl.start = addr;
	tmpl.end = addr + len;
	tmpl.flags = vma_flags_of(prot, flags) | mm->def_flags;
	/* RLIMIT_AS/DATA/MEMLOCK (mm/limits.c); a MAP_FIXED overlap counts */
	err = mm_may_expand(mm, len >> PAGE_SHIFT,
			    tmpl.flags | (type == MAP_PRIVATE ? 0 : VMA_SHARED));
	if (err)
		return err;
	if (type != MAP_PRIVATE || !(flags & MAP_ANONYMOUS)) {
		err = mm_mapping_prepare(&tmpl, len, prot, flags, fd, off);
		if (err)
			return err;
	}
	if (flags & MAP_FIXED_NOREPLACE)
		err = vma_insert(&mm->vmas, &tmpl, NULL);
	else if (flags & MAP_FIXED)
		err = vma_replace(&mm->vmas, &tmpl, unmap_piece, mm, NULL);
	else
		err = vma_insert(&mm->vmas, &tmpl, NULL);
	/* The VMA took its own references in its open hook (or merged
	 * into one that holds them). */
	mm_mapping_put(&tmpl);
	if (err)
		return err;
	mm->total_vm += len >> PAGE_SHIFT;
	if (tmpl.flags & VMA_LOCKED)
		mm->locked_vm += len >> PAGE_SHIFT;
	if (((flags & MAP_POPULATE) || (tmpl.flags & VMA_LOCKED)) &&
	    !(flags & MAP_NONBLOCK) && !(tmpl.flags & VMA_LOCKONFAULT))
		populate(mm, addr, addr + len, tmpl.flags);
	*out = addr;
	return 0;
}

/*
 * The placement and insertion half of do_mmap, for an object the caller
 * has in hand (System V shm). As do_mmap: a fixed range must be aligned
 * and inside user space (else -EINVAL / -ENOMEM) and replaces what lies
 * there; otherwise addr is a hint (place_range). MCL_FUTURE and the
 * address-space limits apply.
 */
int mm_map_object(struct mm *mm, struct vma *tmpl, uint64_t addr, uint64_t len,
		  int fixed, uint64_t *out)
{
	int err;

	if (!len || len > ALIGN_DOWN(USER_END, PAGE_SIZE))
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	err = place_range(mm, &addr, len, fixed);
	if (err)
		return err;
	tmpl->start = addr;
	tmpl->end = addr + len;
	tmpl->flags |= mm->def_flags;
	err = mm_may_expand(mm, len >> PAGE_SHIFT, tmpl->flags);
	if (err)
		return err;
	if (fixed)
		err = vma_replace(&mm->vmas, tmpl, unmap_piece, mm, NULL);
	else
		err = vma_insert(&mm->vmas, tmpl, NULL);
	if (err)
		return err;
	mm->total_vm += len >> PAGE_SHIFT;
	if (tmpl->flags & VMA_LOCKED) {
		mm->locked_vm += len >> PAGE_SHIFT;
		if (!(tmpl->flags & VMA_LOCKONFAULT))
			populate(mm, addr, addr + len, tmpl->flags);
	}
	*out = addr;
	return 0;
}

void mm_set_brk(struct mm *mm, uint64_t addr)
{
	mm->start_brk = mm->brk = ALIGN_UP(addr, PAGE_SIZE);
}

/*
 * Linux's brk: below the heap start or when the new heap would run into
 * another mapping (or its last page into the guard page above it), the
 * break stays; shrinking unmaps whole pages beyond the new break.
 */
uint64_t do_brk(struct mm *mm, uint64_t addr)
{
	uint64_t oldend = ALIGN_UP(mm->brk, PAGE_SIZE), newend;
	struct vma tmpl = { 0 }, *next;

	if (!mm->start_brk || addr < mm->start_brk || addr > MM_USER_TOP)
		return mm->brk;
	newend = ALIGN_UP(addr, PAGE_SIZE);
	if (newend == oldend)
		goto set;
	if (newend < oldend) {
		if (do_munmap(mm, newend, oldend - newend) < 0)
			return mm->brk;
		goto set;
	}
	next = vma_find_next(&mm->vmas, oldend);
	if (next && next->start < newend + PAGE_SIZE)
		return mm->brk;
	tmpl.start = oldend;
	tmpl.end = newend;
	tmpl.flags = VMA_READ | VMA_WRITE | VMA_MAYREAD | VMA_MAYWRITE |
		     VMA_MAYEXEC | VMA_HEAP;
	tmpl.name = "[heap]";
	if (mm_may_expand(mm, (newend - oldend) >> PAGE_SHIFT, tmpl.flags) < 0 ||
	    vma_insert(&mm->vmas, &tmpl, NULL) < 0)
		return mm->brk;
	mm->total_vm += (newend - oldend) >> PAGE_SHIFT;
set:
	mm->brk = addr;
	return addr;
}

int mm_setup_stack(struct mm *mm, uint64_t top, uint64_t size)
{
	struct vma tmpl = {
		.start = top - size,
		.end = top,
		.flags = VMA_READ | VMA_WRITE | VMA_MAYREAD | VMA_MAYWRITE |
			 VMA_MAYEXEC | VMA_GROWSDOWN | VMA_STACK,
		.name = "[stack]",
	};
	int err;

	if (!size || size > top || size > mm->stack_limit)
		return -EINVAL;
	err = vma_insert(&mm->vmas, &tmpl, NULL);
	if (err)
		return err;
	mm->stack_top = top;
	mm->total_vm += size >> PAGE_SHIFT;
	return 0;
}

int mm_copy_in(struct mm *mm, uint64_t va, const void *src, size_t n)
{
	const char *s = src;

	while (n) {
		uint64_t off = va & (PAGE_SIZE - 1);
		size_t chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
		enum fault_result r;
		paddr_t pa;

		if (!vma_find(&mm->vmas, va))
			return -EFAULT;
		r = mm_fault(mm, va, FAULT_WRITE | FAULT_FORCE, NULL);
		if (r == FAULT_OOM)
			return -ENOMEM;
		if (r != FAULT_OK || pt_lookup(mm->pml4, va, &pa, NULL) < 0)
			return -EFAULT;
		memcpy(phys_to_virt(pa), s, chunk);
		va += chunk;
		s += chunk;
		n -= chunk;
	}
	return 0;
}

/* ---- system calls ------------------------------------------------------- */

SYSCALL_DEFINE(brk)
{
	if (!current->mm)
		return -ENOMEM;
	return do_brk(current->mm, a0);
}

/* Whether a MAP_FIXED mmap of [addr, addr + len) would replace anything
 * (asked only while the audit trail is recording). */
static bool replaces_mappings(struct mm *mm, uint64_t addr, uint64_t len,
			      unsigned long flags)
{
	struct vma *next;

	if (!(flags & MAP_FIXED) || (flags & MAP_FIXED_NOREPLACE) || !len ||
	    len > MM_USER_TOP)
		return false;
	next = vma_find_next(&mm->vmas, addr);
	return next && next->start < addr + ALIGN_UP(len, PAGE_SIZE);
}

/* mmap(addr, length, prot, flags, fd, offset). W^X is asked first, as
 * the policy belongs to the call, not to do_mmap (exec and shmat map
 * through it with their own checks). */
SYSCALL_DEFINE(mmap)
{
	bool replacing;
	uint64_t addr;
	int err;

	if (!current->mm)
		return -ENOMEM;
	err = mm_wx_check(a2, "mmap");
	if (err)
		return err;
	replacing = unlikely(audit_enabled) && replaces_mappings(current->mm, a0, a1, a3);
	err = do_mmap(current->mm, a0, a1, a2, a3, (int)a4, a5, &addr);
	if (err)
		return err;
	if (replacing)
		audit_note_fixed_replace();
	return (long)addr;
}

SYSCALL_DEFINE(munmap)
{
	if (!current->mm)
		return -EINVAL;
	return do_munmap(current->mm, a0, a1);
}
