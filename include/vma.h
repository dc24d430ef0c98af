/* Virtual memory areas: the pure interval logic of one address space
 * (mm/vma.c). Find, insert, split, merge, unmap a range, change the flags
 * of a range, find a free gap, each O(log n) per VMA touched. It changes
 * VMA structures only: page tables, object references and locking belong
 * to the caller (mm/mmap.c), which hears of every change through hooks. */
#ifndef VMA_H
#define VMA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMA_PAGE_SHIFT	12
#define VMA_PAGE_SIZE	((uint64_t)1 << VMA_PAGE_SHIFT)

/* struct vma.flags. The MAY bits sit 4 above the bits they permit, so
 * (prot << VMA_MAY_SHIFT) is the MAY set a protection needs. Up to
 * VMA_NORESERVE the values are Linux's VM_* values, so dumps read the
 * same; the last three are ours. */
#define VMA_READ	0x00000001u	/* access allowed now */
#define VMA_WRITE	0x00000002u
#define VMA_EXEC	0x00000004u
#define VMA_SHARED	0x00000008u	/* writes reach obj and others */
#define VMA_MAYREAD	0x00000010u	/* what mprotect may ever allow */
#define VMA_MAYWRITE	0x00000020u
#define VMA_MAYEXEC	0x00000040u
#define VMA_MAYSHARE	0x00000080u
#define VMA_GROWSDOWN	0x00000100u	/* a fault below extends it */
#define VMA_LOCKED	0x00002000u	/* mlock: keep resident */
#define VMA_SEQ_READ	0x00008000u	/* MADV_SEQUENTIAL (recorded only) */
#define VMA_RAND_READ	0x00010000u	/* MADV_RANDOM (recorded only) */
#define VMA_DONTCOPY	0x00020000u	/* MADV_DONTFORK */
#define VMA_LOCKONFAULT	0x00080000u	/* MLOCK_ONFAULT: lock, don't populate */
#define VMA_NORESERVE	0x00200000u	/* MAP_NORESERVE */
#define VMA_STACK	0x01000000u	/* the main thread's stack */
#define VMA_HEAP	0x02000000u	/* brk area */
#define VMA_NOMERGE	0x04000000u	/* never merge: one VMA per attach
					   (SysV shm counts attaches) */

#define VMA_PROT_MASK	(VMA_READ | VMA_WRITE | VMA_EXEC)
#define VMA_MAY_SHIFT	4

/* One mapped range [start, end) of an address space. The caller owns every
 * field above the line and may change flags, obj, ops and name of a VMA in
 * a tree in place (then vma_merge() it); start, end and pgoff change only
 * through the functions below. Fields below the line are mm/vma.c's. */
struct vma {
	uint64_t start;		/* first byte, page-aligned */
	uint64_t end;		/* one past the last byte, page-aligned */
	uint32_t flags;		/* VMA_* */
	void *obj;		/* backing object; NULL for private anon */
	uint64_t pgoff;		/* page of obj at start, in pages; splits
				   keep it right even for anon, where it
				   means nothing */
	const void *ops;	/* the caller's per-VMA open/close table */
	const char *name;	/* "[heap]", "[stack]", a path, or NULL */
	/* Not copied by the functions below: the caller's open hook sets
	 * them on every new struct (mm/mm.c: owner and obj's mapper list). */
	void *mm;		/* the address space holding this VMA */
	struct vma *obj_prev, *obj_next;	/* VMAs mapping obj */
	/* ---- private to mm/vma.c ---- */
	struct vma *vm_prev, *vm_next;	/* address order, NULL at ends */
	struct vma *left, *right, *parent;	/* AVL tree keyed by start */
	uint64_t max_gap;	/* largest gap below a VMA of this subtree */
	int height;		/* AVL height, a leaf is 1 */
};

/* Where VMA structs come from, and what hears about their lifetime. Every
 * VMA struct in a tree stands for one "holder" of its obj: open is called
 * when a struct enters the tree (a new mapping, the second half of a
 * split), close just before one leaves it for good (unmapped, absorbed by a
 * merge, tree destroyed), then free. Extending or trimming an existing
 * struct calls neither. Neither hook may fail; both may be NULL. None of
 * them may call back into the tree. */
struct vma_hooks {
	struct vma *(*alloc)(void *ctx);	/* uninitialised, or NULL */
	void (*free)(void *ctx, struct vma *vma);
	void (*open)(void *ctx, struct vma *vma);
	void (*close)(void *ctx, struct vma *vma);
	void *ctx;
};

/* One address space: VMAs inside [low, high), page-aligned. The caller
 * serializes every call on a tree (the mm lock); lookups may run in
 * parallel with each other, they write nothing. */
struct vma_tree {
	struct vma *root;
	struct vma *first, *last;	/* address order list ends */
	uint64_t count;			/* VMAs in the tree */
	uint64_t low, high;		/* bounds of the address space */
	const struct vma_hooks *hooks;
};

/* Told about each piece [start, end) of vma that an operation is about to
 * remove or change, while vma still holds its old values and before the
 * structure changes. Only called once the operation can no longer fail. */
typedef void (*vma_range_fn)(void *ctx, const struct vma *vma,
			     uint64_t start, uint64_t end);

/* An empty tree over [low, high). 0, or -EINVAL unless low < high and
 * both are page-aligned. hooks must outlive the tree. */
int vma_tree_init(struct vma_tree *t, uint64_t low, uint64_t high,
		  const struct vma_hooks *hooks);

/* Close and free every VMA, in address order; t is then empty. */
void vma_tree_destroy(struct vma_tree *t);

/* The VMA containing addr, or NULL. */
struct vma *vma_find(const struct vma_tree *t, uint64_t addr);

/* The first VMA with end > addr (containing addr or above it), or NULL. */
struct vma *vma_find_next(const struct vma_tree *t, uint64_t addr);

/* Address-order iteration. Nothing may be removed while iterating except
 * through the iterator's own next pointer, saved first. */
static inline struct vma *vma_first(const struct vma_tree *t)
{
	return t->first;
}

static inline struct vma *vma_last(const struct vma_tree *t)
{
	return t->last;
}

static inline struct vma *vma_next(const struct vma *v)
{
	return v->vm_next;
}

static inline struct vma *vma_prev(const struct vma *v)
{
	return v->vm_prev;
}

#define vma_for_each(v, t) \
	for ((v) = vma_first(t); (v); (v) = vma_next(v))

/* Whether a and b (a just below b) could be one VMA: adjacent, all flags
 * equal and VMA_NOMERGE unset, same obj, ops and name (same pointer or
 * equal strings), and for obj != NULL, b's pgoff continuing a's. Private
 * anonymous VMAs merge whatever their pgoff: their pages are found through
 * the page tables by address, never through pgoff. */
bool vma_mergeable(const struct vma *a, const struct vma *b);

/* Map tmpl's fields over [tmpl->start, tmpl->end), which must be free
 * (MAP_FIXED_NOREPLACE, or a range vma_find_gap returned). Merges with
 * the neighbours when vma_mergeable allows, else allocates a VMA and
 * opens it. *out (may be NULL) gets the VMA now covering the range.
 * 0; -EINVAL for an empty, unaligned or out-of-bounds range; -EEXIST if
 * any VMA overlaps it; -ENOMEM if allocation fails. Nothing changes on
 * error. */
int vma_insert(struct vma_tree *t, const struct vma *tmpl, struct vma **out);

/* MAP_FIXED: unmap whatever lies in [tmpl->start, tmpl->end) (cb as in
 * vma_unmap_range), then insert tmpl there. Allocates at most two VMAs
 * (a middle split and the new one), all before changing anything, so
 * -ENOMEM (or -EINVAL as for vma_insert) leaves the tree as it was. */
int vma_replace(struct vma_tree *t, const struct vma *tmpl,
		vma_range_fn cb, void *ctx, struct vma **out);

/* Split vma at addr, strictly inside it and page-aligned: vma keeps
 * [start, addr), a new opened VMA gets [addr, end) with pgoff advanced.
 * *upper (may be NULL) gets the new VMA. 0, -EINVAL, or -ENOMEM (nothing
 * changed). */
int vma_split(struct vma_tree *t, struct vma *vma, uint64_t addr,
	      struct vma **upper);

/* Merge vma with its neighbours where vma_mergeable allows (after the
 * caller changed vma's fields in place). Returns the VMA now covering
 * vma's range; absorbed VMAs are closed and freed. */
struct vma *vma_merge(struct vma_tree *t, struct vma *vma);

/* munmap: remove [start, end) from every VMA that covers part of it,
 * trimming heads and tails and splitting one VMA in the middle if the
 * range lies strictly inside it; holes are skipped. cb (may be NULL)
 * hears of every removed piece first, in address order. 0; -EINVAL for
 * an empty or unaligned range; -ENOMEM if the middle split cannot get a
 * VMA, and then nothing changed and cb was not called. */
int vma_unmap_range(struct vma_tree *t, uint64_t start, uint64_t end,
		    vma_range_fn cb, void *ctx);

/* mprotect: set the VMA_PROT_MASK bits of every VMA in [start, end) to
 * prot, splitting at start and end where the protection changes and
 * merging again afterwards. cb (may be NULL) hears of each piece whose
 * flags change, with the old flags still in the VMA. Returns 0; -EINVAL
 * for an empty or unaligned range or bits outside VMA_PROT_MASK;
 * -ENOMEM if part of the range is unmapped; -EACCES if a VMA lacks the
 * VMA_MAY* bit for a bit of prot (the first of the two in address order);
 * -ENOMEM if a split cannot allocate. On any error nothing changed. */
int vma_protect_range(struct vma_tree *t, uint64_t start, uint64_t end,
		      uint32_t prot, vma_range_fn cb, void *ctx);

/* The same for any flags (mlock, MADV_DONTFORK, ...): each VMA's flags
 * become (flags & ~mask) | (value & mask), with no VMA_MAY* check. Same
 * errors as vma_protect_range except -EACCES. */
int vma_update_flags(struct vma_tree *t, uint64_t start, uint64_t end,
		     uint32_t mask, uint32_t value, vma_range_fn cb, void *ctx);

/* A free range of len bytes inside both [low, high) and the tree's
 * bounds, aligned to align (a power of two, at least a page; 0 means a
 * page). If hint != 0 and [hint, hint + len) is aligned, inside and free,
 * that is the answer. Otherwise top-down, as Linux's mmap: the highest gap
 * (cut to the bounds) that holds len + align - VMA_PAGE_SIZE bytes, so
 * that any position in it can be aligned, and the highest aligned address
 * in it. A smaller gap that would fit only because it happens to be
 * aligned is not looked for: that keeps the search O(log n). Returns 0
 * and *addr; -EINVAL for a zero or unaligned len or a bad align; -ENOMEM
 * when nothing fits. */
int vma_find_gap(const struct vma_tree *t, uint64_t len, uint64_t align,
		 uint64_t hint, uint64_t low, uint64_t high, uint64_t *addr);

/* Check every invariant: list and tree agree and are in address order,
 * VMAs are non-empty, aligned, inside the bounds and disjoint, parent
 * links, AVL heights and balance, max_gap, count. 0 or -EINVAL. For
 * tests. */
int vma_tree_check(const struct vma_tree *t);

#endif
