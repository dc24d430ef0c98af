/* Address-space limits checked before a mapping grows: RLIMIT_AS against
 * the whole address space, RLIMIT_DATA against private writable memory,
 * RLIMIT_MEMLOCK against locked memory. Also the populate helper that
 * mlock, MAP_LOCKED and MADV_WILLNEED share. */
#include <mm.h>
#include <proc.h>
#include <rlimit.h>
#include <uapi/errno.h>

static uint64_t limit_pages(int res)
{
	return current->rlim[res].rlim_cur >> PAGE_SHIFT;
}

/* Linux's data mappings: private, writable, not the stack. */
static int is_data(uint32_t vmflags)
{
	return (vmflags & (VMA_WRITE | VMA_SHARED | VMA_STACK)) == VMA_WRITE;
}

/*
 * Pages of data mappings, counted on demand rather than kept up to date
 * through every mprotect and munmap: only a finite RLIMIT_DATA asks, and
 * the walk is O(VMAs) only then.
 */
static uint64_t data_pages(struct mm *mm)
{
	uint64_t n = 0;
	struct vma *v;

	vma_for_each(v, &mm->vmas)
		if (is_data(v->flags))
			n += (v->end - v->start) >> PAGE_SHIFT;
	return n;
}

int mm_may_lock(struct mm *mm, uint64_t pages)
{
	if (!current || current->cred.euid == 0)
		return 1;
	return mm->locked_vm + pages <= limit_pages(RLIMIT_MEMLOCK);
}

int mm_may_expand(struct mm *mm, uint64_t pages, uint32_t vmflags)
{
	if (!current)
		return 0;	/* kernel-built address spaces (tests) */
	if (mm->total_vm + pages > limit_pages(RLIMIT_AS))
		return -ENOMEM;
	if (is_data(vmflags) &&
	    current->rlim[RLIMIT_DATA].rlim_cur != RLIM_INFINITY &&
	    data_pages(mm) + pages > limit_pages(RLIMIT_DATA))
		return -ENOMEM;
	if ((vmflags & VMA_LOCKED) && !mm_may_lock(mm, pages))
		return -EAGAIN;
	return 0;
}

/*
 * Fault in every page of [start, end) that a VMA allows some access to:
 * for writing in private writable VMAs (so no COW is left to break), for
 * reading elsewhere (a shared page need not be dirtied). Holes and
 * PROT_NONE VMAs are skipped. 0, or -ENOMEM when a frame cannot be had.
 */
int mm_populate(struct mm *mm, uint64_t start, uint64_t end)
{
	uint64_t va = start;

	while (va < end) {
		struct vma *v = vma_find_next(&mm->vmas, va);
		unsigned access;
		uint64_t stop;

		if (!v || v->start >= end)
			break;
		if (va < v->start)
			va = v->start;
		stop = v->end < end ? v->end : end;
		access = (v->flags & (VMA_WRITE | VMA_SHARED)) == VMA_WRITE ?
			 FAULT_WRITE : FAULT_READ;
		for (; (v->flags & VMA_PROT_MASK) && va < stop; va += PAGE_SIZE) {
			enum fault_result r = mm_fault(mm, va, access, NULL);

			if (r == FAULT_OOM)
				return -ENOMEM;
			if (r != FAULT_OK)
				break;	/* past the end of a file: leave it */
		}
		va = stop;
	}
	return 0;
}
