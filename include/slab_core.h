/* Pure slab bookkeeping (mm/slab_core.c): objects of one size carved from
 * blocks of 2^order pages that a backend supplies, tracked on partial,
 * full and empty lists. No locking and no globals; mm/slab.c gives it
 * frames and a lock, test/host/test_slab.c gives it aligned_alloc. */
#ifndef SLAB_CORE_H
#define SLAB_CORE_H
#include <stdint.h>
#include <stddef.h>

#define SLAB_PAGE_SIZE 4096
#define SLAB_MAX_ORDER 3		/* slabs of at most 8 pages */

/* Where slabs come from. alloc returns 2^order * SLAB_PAGE_SIZE bytes
 * aligned to that size (the core finds a slab from an object by masking),
 * or NULL; free takes back exactly such a block. */
struct slab_backend {
	void *(*alloc)(unsigned order, void *ctx);
	void (*free)(void *mem, unsigned order, void *ctx);
	void *ctx;
};

struct slab;	/* header at the start of each slab, private to the core */

/* One cache. Every field is the core's except next, which the owner may
 * use to chain its caches; the owner serializes all calls on a cache. */
struct kmem_cache {
	const char *name;
	size_t size;		/* as requested, bytes */
	size_t stride;		/* bytes from one object to the next */
	size_t align;		/* object alignment, a power of two */
	size_t first;		/* offset of object 0 from the slab start */
	unsigned order;		/* slab = 2^order pages */
	unsigned per_slab;	/* objects in one slab */
	unsigned max_empty;	/* empty slabs kept for reuse; more go back */
	struct slab *partial, *full, *empty;
	uint64_t nr_partial, nr_full, nr_empty;
	uint64_t in_use;	/* objects handed out */
	const struct slab_backend *backend;
	struct kmem_cache *next;
};

/* Prepare c for objects of size bytes aligned to align (0 means the
 * natural default, 8). Chooses the slab order that wastes least, up to
 * SLAB_MAX_ORDER. Returns 0, or -EINVAL for a zero size, an alignment that
 * is not a power of two or above SLAB_PAGE_SIZE, or an object too big for
 * the largest slab. Allocates nothing. */
int slab_cache_init(struct kmem_cache *c, const char *name, size_t size,
		    size_t align, const struct slab_backend *backend);

/* An object, or NULL when the backend has no memory for a new slab. */
void *slab_alloc(struct kmem_cache *c);

/* Return obj to c. Returns 0, or -EINVAL when obj is not an allocated
 * object of c (wrong cache, not on an object boundary, already free);
 * nothing changes then. An empty slab beyond max_empty goes back to the
 * backend at once. */
int slab_free(struct kmem_cache *c, void *obj);

/* Give every empty slab back to the backend; returns how many. */
uint64_t slab_shrink(struct kmem_cache *c);

/* Tear c down: -EBUSY while objects are in use, else frees its empty
 * slabs and returns 0; c may then be reused or freed by the owner. */
int slab_cache_release(struct kmem_cache *c);

/* The cache owning the slab that starts at base, or NULL if base is not
 * the start of a live slab. */
struct kmem_cache *slab_cache_of(const void *base);

/* Check the lists and counters of c; 0 or -EINVAL. For tests. */
int slab_check(const struct kmem_cache *c);

#endif
