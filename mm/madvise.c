/* madvise(2) and mincore(2). Advice that only describes the access
 * pattern is recorded in VMA flags; WILLNEED prefaults; DONTNEED and FREE
 * drop pages, so private anonymous memory reads back as zero and mapped
 * objects are read again. mincore reports which pages are mapped. */
#include <mm.h>
#include <page.h>
#include <memobj.h>
#include <pgtable.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>
#include <string.h>
#include <uapi/errno.h>

/* Linux's advice values (sys/mman.h has them for programs). */
#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL	2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	8
#define MADV_DONTFORK	10
#define MADV_DOFORK	11

#define MADV_READ_MASK	(VMA_SEQ_READ | VMA_RAND_READ)

/* Apply advice to [start, end), which lies inside the one VMA v. */
static int madvise_piece(struct mm *mm, struct vma *v, uint64_t start,
			 uint64_t end, int advice)
{
	struct vma_tree *t = &mm->vmas;

	switch (advice) {
	case MADV_NORMAL:
		return vma_update_flags(t, start, end, MADV_READ_MASK, 0, NULL, NULL);
	case MADV_RANDOM:
		return vma_update_flags(t, start, end, MADV_READ_MASK,
					VMA_RAND_READ, NULL, NULL);
	case MADV_SEQUENTIAL:
		return vma_update_flags(t, start, end, MADV_READ_MASK,
					VMA_SEQ_READ, NULL, NULL);
	case MADV_DONTFORK:
		return vma_update_flags(t, start, end, VMA_DONTCOPY,
					VMA_DONTCOPY, NULL, NULL);
	case MADV_DOFORK:
		return vma_update_flags(t, start, end, VMA_DONTCOPY, 0, NULL, NULL);
	case MADV_WILLNEED:
		return mm_populate(mm, start, end) ? -EAGAIN : 0;
	case MADV_FREE:
		/* Only private anonymous pages may be forgotten lazily;
		 * forgetting them at once is allowed. */
		if (v->obj || (v->flags & VMA_SHARED))
			return -EINVAL;
		/* fall through */
	case MADV_DONTNEED:
		/* Locked pages must stay resident (Linux refuses too). */
		if (v->flags & VMA_LOCKED)
			return -EINVAL;
		mm_zap_range(mm, start, end);
		return 0;
	}
	return -EINVAL;
}

static int advice_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_DONTFORK: case MADV_DOFORK:
		return 1;
	}
	return 0;
}

/*
 * As on Linux, the mapped parts of the range get the advice even when
 * there are holes, and the holes are reported afterwards with -ENOMEM.
 * Each piece is looked up again by address: changing flags may split or
 * merge the VMAs around it.
 */
int do_madvise(struct mm *mm, uint64_t start, uint64_t len, int advice)
{
	uint64_t end, pos;
	int hole = 0, err;

	if (!advice_valid(advice) || (start & (PAGE_SIZE - 1)))
		return -EINVAL;
	end = ALIGN_UP(start + len, PAGE_SIZE);
	if (end < start || (len && end == start))
		return -EINVAL;
	if (end == start)
		return 0;
	for (pos = start; pos < end;) {
		struct vma *v = vma_find_next(&mm->vmas, pos);
		uint64_t s, e;

		if (!v || v->start >= end) {
			hole = 1;
			break;
		}
		if (v->start > pos)
			hole = 1;
		s = v->start > pos ? v->start : pos;
		e = v->end < end ? v->end : end;
		err = madvise_piece(mm, v, s, e, advice);
		if (err)
			return err;
		pos = e;
	}
	return hole ? -ENOMEM : 0;
}

#define MINCORE_CHUNK	256	/* pages reported per copy_to_user */

struct mincore_walk {
	uint64_t start;		/* the chunk's first address */
	uint8_t *buf;		/* a byte per page of the chunk */
};

/* pt_leaf_fn: the page has a frame (or the zero page) in this space. */
static int mincore_pte(void *ctx, vaddr_t va, pte_t *pte)
{
	struct mincore_walk *w = ctx;

	(void)pte;
	w->buf[(va - w->start) >> PAGE_SHIFT] = 1;
	return 0;
}

/* Whether VMAs cover all of [start, end), looking from *v (NULL or the
 * VMA last found) on and leaving there the last VMA it used. */
static int mincore_covered(struct mm *mm, uint64_t start, uint64_t end,
			   struct vma **v)
{
	for (uint64_t va = start; va < end; va = (*v)->end) {
		if (!*v || va < (*v)->start || va >= (*v)->end)
			*v = vma_find(&mm->vmas, va);
		if (!*v)
			return 0;
	}
	return 1;
}

/* A file's page (any memory object's) is resident while the object holds
 * it, mapped here or not: Linux reports page-cache residency for them. */
static void mincore_objects(struct mm *mm, struct mincore_walk *w, uint64_t end)
{
	for (struct vma *v = vma_find_next(&mm->vmas, w->start); v && v->start < end;
	     v = vma_next(v)) {
		uint64_t a = v->start > w->start ? v->start : w->start;
		uint64_t stop = v->end < end ? v->end : end;

		for (; v->obj && a < stop; a += PAGE_SIZE) {
			uint8_t *b = &w->buf[(a - w->start) >> PAGE_SHIFT];
			uint64_t index = v->pgoff + ((a - v->start) >> PAGE_SHIFT);
			struct page *pg;

			if (!*b && index < UINT32_MAX &&
			    memobj_get_page(v->obj, (uint32_t)index, 0, &pg) == 0) {
				*b = 1;
				page_put(pg);
			}
		}
	}
}

/* One byte per page of [start, start + len) into uvec: bit 0 set when the
 * page is mapped in this address space (a frame, or the zero page) or,
 * for a file or shared memory, held by its object. As on Linux, the
 * chunks before a hole are reported before -ENOMEM. */
int do_mincore(struct mm *mm, uint64_t start, uint64_t len, uint64_t uvec)
{
	uint8_t buf[MINCORE_CHUNK];
	struct mincore_walk w = { .buf = buf };
	uint64_t pages, done = 0;
	struct vma *v = NULL;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > MM_USER_TOP || start > MM_USER_TOP - len)
		return -ENOMEM;
	pages = ALIGN_UP(len, PAGE_SIZE) >> PAGE_SHIFT;
	if (uvec >= USER_END || pages > USER_END - uvec)
		return -EFAULT;
	while (done < pages) {
		uint64_t n = pages - done < MINCORE_CHUNK ? pages - done : MINCORE_CHUNK;

		w.start = start + (done << PAGE_SHIFT);
		if (!mincore_covered(mm, w.start, w.start + (n << PAGE_SHIFT), &v))
			return -ENOMEM;
		memset(buf, 0, n);
		pt_walk_range(mm->pml4, w.start, w.start + (n << PAGE_SHIFT), mincore_pte, &w);
		mincore_objects(mm, &w, w.start + (n << PAGE_SHIFT));
		if (copy_to_user(uvec + done, buf, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}

/* madvise(addr, len, advice) */
SYSCALL_DEFINE(madvise)
{
	if (!current->mm)
		return -ENOMEM;
	return do_madvise(current->mm, a0, a1, (int)a2);
}

/* mincore(addr, len, vec) */
SYSCALL_DEFINE(mincore)
{
	if (!current->mm)
		return -ENOMEM;
	return do_mincore(current->mm, a0, a1, a2);
}
