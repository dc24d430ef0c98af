/* Kernel heap (mm/slab.c): slab caches for fixed-size objects and kmalloc
 * size classes on top of them; large requests go to the frame allocator.
 * All allocations can fail and return NULL. */
#ifndef KMALLOC_H
#define KMALLOC_H
#include <stddef.h>

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
void *kmem_cache_alloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif
