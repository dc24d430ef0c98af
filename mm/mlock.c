/* mlock, munlock, mlock2, mlockall, munlockall: VMA_LOCKED marks memory
 * that must stay resident; locking populates it (unless on-fault) and
 * counts it in locked_vm (VmLck), bounded by RLIMIT_MEMLOCK for all but
 * root. Nothing is ever swapped, so "locked" is a promise kept for free;
 * what matters is populating, accounting and the limit. */
#include <mm.h>
#include <proc.h>
#include <rlimit.h>
#include <syscall.h>
#include <uapi/errno.h>

#define MCL_CURRENT	1
#define MCL_FUTURE	2
#define MCL_ONFAULT	4
#define MLOCK_ONFAULT	1

#define LOCK_MASK	(VMA_LOCKED | VMA_LOCKONFAULT)

struct lock_ctx {
	struct mm *mm;
	uint32_t value;		/* the new LOCK_MASK bits */
};

/* vma_range_fn: keep locked_vm right as pieces gain or lose VMA_LOCKED. */
static void lock_piece(void *ctx, const struct vma *vma, uint64_t start,
		       uint64_t end)
{
	struct lock_ctx *lc = ctx;
	uint64_t pages = (end - start) >> PAGE_SHIFT;

	if ((lc->value & VMA_LOCKED) && !(vma->flags & VMA_LOCKED))
		lc->mm->locked_vm += pages;
	else if (!(lc->value & VMA_LOCKED) && (vma->flags & VMA_LOCKED))
		lc->mm->locked_vm -= pages;
}

static int set_lock_flags(struct mm *mm, uint64_t start, uint64_t end,
			  uint32_t value)
{
	struct lock_ctx lc = { .mm = mm, .value = value };

	return vma_update_flags(&mm->vmas, start, end, LOCK_MASK, value,
				lock_piece, &lc);
}

/* Linux's can_do_mlock: root, or a nonzero RLIMIT_MEMLOCK. */
static int may_mlock(void)
{
	return current->cred.euid == 0 ||
	       current->rlim[RLIMIT_MEMLOCK].rlim_cur != 0;
}

/* Pages of [start, end) already locked: they do not count again. */
static uint64_t locked_pages_in(struct mm *mm, uint64_t start, uint64_t end)
{
	uint64_t n = 0;

	for (struct vma *v = vma_find_next(&mm->vmas, start); v && v->start < end;
	     v = vma_next(v)) {
		uint64_t s = v->start > start ? v->start : start;
		uint64_t e = v->end < end ? v->end : end;

		if (v->flags & VMA_LOCKED)
			n += (e - s) >> PAGE_SHIFT;
	}
	return n;
}

/* mlock's range: addr rounded down, the length widened to match. 0 or
 * -EINVAL when it wraps. */
static int lock_range(uint64_t addr, uint64_t len, uint64_t *start, uint64_t *end)
{
	*start = ALIGN_DOWN(addr, PAGE_SIZE);
	*end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (addr + len < addr || (*end < *start))
		return -EINVAL;
	return 0;
}

int do_mlock(struct mm *mm, uint64_t addr, uint64_t len, uint32_t value)
{
	uint64_t start, end, pages;
	int err;

	if (!may_mlock())
		return -EPERM;
	err = lock_range(addr, len, &start, &end);
	if (err || start == end)
		return err;
	pages = (end - start) >> PAGE_SHIFT;
	if (!mm_may_lock(mm, pages - locked_pages_in(mm, start, end)))
		return -ENOMEM;
	err = set_lock_flags(mm, start, end, value);
	if (err)
		return err;
	if (value & VMA_LOCKONFAULT)
		return 0;
	return mm_populate(mm, start, end);
}

int do_munlock(struct mm *mm, uint64_t addr, uint64_t len)
{
	uint64_t start, end;
	int err = lock_range(addr, len, &start, &end);

	if (err || start == end)
		return err;
	return set_lock_flags(mm, start, end, 0);
}

/* Set the lock flags of every VMA to value. A VMA that merges with the
 * next is simply seen again, already done, at the next step. */
static int set_lock_all(struct mm *mm, uint32_t value)
{
	uint64_t pos = 0;
	struct vma *v;
	int err;

	while ((v = vma_find_next(&mm->vmas, pos))) {
		pos = v->end;
		err = set_lock_flags(mm, v->start, v->end, value);
		if (err)
			return err;
	}
	return 0;
}

int do_mlockall(struct mm *mm, int flags)
{
	uint32_t value = VMA_LOCKED | ((flags & MCL_ONFAULT) ? VMA_LOCKONFAULT : 0);
	int err;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!may_mlock())
		return -EPERM;
	if ((flags & MCL_CURRENT) && current->cred.euid != 0 &&
	    mm->total_vm > current->rlim[RLIMIT_MEMLOCK].rlim_cur >> PAGE_SHIFT)
		return -ENOMEM;
	mm->def_flags = (flags & MCL_FUTURE) ? value : 0;
	if (!(flags & MCL_CURRENT))
		return 0;
	err = set_lock_all(mm, value);
	if (err || (value & VMA_LOCKONFAULT))
		return err;
	return mm_populate(mm, MM_USER_LOW, MM_USER_TOP);
}

int do_munlockall(struct mm *mm)
{
	mm->def_flags = 0;
	return set_lock_all(mm, 0);
}

/* ---- system calls ------------------------------------------------------- */

/* mlock(addr, len) */
SYSCALL_DEFINE(mlock)
{
	if (!current->mm)
		return -ENOMEM;
	return do_mlock(current->mm, a0, a1, VMA_LOCKED);
}

/* mlock2(addr, len, flags) */
SYSCALL_DEFINE(mlock2)
{
	if (!current->mm)
		return -ENOMEM;
	if (a2 & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(current->mm, a0, a1,
			VMA_LOCKED | ((a2 & MLOCK_ONFAULT) ? VMA_LOCKONFAULT : 0));
}

/* munlock(addr, len) */
SYSCALL_DEFINE(munlock)
{
	if (!current->mm)
		return -ENOMEM;
	return do_munlock(current->mm, a0, a1);
}

/* mlockall(flags) */
SYSCALL_DEFINE(mlockall)
{
	if (!current->mm)
		return -ENOMEM;
	return do_mlockall(current->mm, (int)a0);
}

SYSCALL_DEFINE(munlockall)
{
	if (!current->mm)
		return -ENOMEM;
	return do_munlockall(current->mm);
}
