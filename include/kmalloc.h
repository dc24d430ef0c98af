/* Kernel heap (mm/slab.c): slab caches for fixed-size objects and kmalloc
 * size classes on top of them; large requests go to the frame allocator.
 * All allocations can fail and return NULL. Callable with interrupts on
 * or off. */
#ifndef KMALLOC_H
#define KMALLOC_H
#include <stddef.h>
#include <stdint.h>

struct kmem_cache;

/* A cache of size-byte objects aligned to align (0: 8 bytes; at most a
 * page), or NULL. name must outlive the cache. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);

/* Free an unused cache: 0, or -EBUSY while objects are still allocated. */
int kmem_cache_destroy(struct kmem_cache *c);

void *kmem_cache_alloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);	/* NULL is ignored */

/* Give every cache's spare empty slabs back to the frame allocator, e.g.
 * before comparing free-frame counts; returns the slabs freed. */
uint64_t kmem_shrink_all(void);

/* Up to 2048 bytes from power-of-two caches (aligned to the size, up to
 * 64), more as whole frames (page-aligned), at most 4 MiB. kmalloc(0)
 * returns a valid 16-byte object. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);				/* NULL is ignored */

/* Usable size of a kmalloc'd block (the class size), or 0 if p is not one. */
size_t ksize(const void *p);

#endif
