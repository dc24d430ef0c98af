/* The kernel heap: slab caches (bookkeeping in slab_core.c) fed with frames
 * from page_alloc, and kmalloc over power-of-two caches of 16..2048 bytes;
 * bigger requests take frames directly. Each slab frame is marked PG_SLAB
 * with the slab's start in page->owner, and a large block's head
 * PG_KMALLOC, which is how kfree tells them apart. */
#include <kmalloc.h>
#include <slab_core.h>
#include <page.h>
#include <io.h>
#include <printk.h>
#include <string.h>
#include <uapi/errno.h>
#include "internal.h"

_Static_assert(SLAB_PAGE_SIZE == PAGE_SIZE, "slab pages are frames");
_Static_assert(SLAB_MAX_ORDER <= PAGE_MAX_ORDER, "slabs come from the buddy");

#define KMALLOC_MIN_SHIFT 4		/* 16 bytes */
#define KMALLOC_MAX_SHIFT 11		/* 2048 bytes */
#define KMALLOC_CLASSES   (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

static void *slab_frames_alloc(unsigned order, void *ctx);
static void slab_frames_free(void *mem, unsigned order, void *ctx);

static const struct slab_backend frames = {
	.alloc = slab_frames_alloc,
	.free = slab_frames_free,
};

/* All state below is guarded by irq_save. */
static struct kmem_cache cache_cache;		/* struct kmem_cache objects */
static struct kmem_cache kmalloc_caches[KMALLOC_CLASSES];
static struct kmem_cache *caches;		/* every cache, for shrinking */
static int slab_ready;

static const char *const kmalloc_names[KMALLOC_CLASSES] = {
	"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

static void *slab_frames_alloc(unsigned order, void *ctx)
{
	struct page *pg = page_alloc(order, 0);
	void *base;

	(void)ctx;
	if (!pg)
		return NULL;
	base = page_address(pg);
	for (unsigned i = 0; i < (1u << order); i++) {
		pg[i].flags |= PG_SLAB;
		pg[i].owner = base;
	}
	return base;
}

static void slab_frames_free(void *mem, unsigned order, void *ctx)
{
	struct page *pg = virt_to_page(mem);

	(void)ctx;
	for (unsigned i = 0; i < (1u << order); i++) {
		pg[i].flags &= ~PG_SLAB;
		pg[i].owner = NULL;
	}
	page_free(pg, order);
}

static void cache_link(struct kmem_cache *c)
{
	c->next = caches;
	caches = c;
}

static void cache_unlink(struct kmem_cache *c)
{
	struct kmem_cache **p = &caches;

	while (*p && *p != c)
		p = &(*p)->next;
	if (*p)
		*p = c->next;
}

int slab_init(void)
{
	int err = slab_cache_init(&cache_cache, "kmem_cache", sizeof(struct kmem_cache),
				  0, &frames);

	if (err)
		return err;
	cache_link(&cache_cache);
	for (int i = 0; i < KMALLOC_CLASSES; i++) {
		size_t size = (size_t)1 << (i + KMALLOC_MIN_SHIFT);

		/* Cache-line alignment for the classes that can use it. */
		err = slab_cache_init(&kmalloc_caches[i], kmalloc_names[i], size,
				      size < 64 ? size : 64, &frames);
		if (err)
			return err;
		cache_link(&kmalloc_caches[i]);
	}
	slab_ready = 1;
	return 0;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align)
{
	uint64_t flags = irq_save();
	struct kmem_cache *c = slab_ready ? slab_alloc(&cache_cache) : NULL;

	if (!c)
		goto out;
	if (slab_cache_init(c, name, size, align, &frames) != 0) {
		slab_free(&cache_cache, c);
		c = NULL;
		goto out;
	}
	cache_link(c);
out:
	irq_restore(flags);
	return c;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	uint64_t flags = irq_save();
	int err = slab_cache_release(c);

	if (!err) {
		cache_unlink(c);
		slab_free(&cache_cache, c);
	}
	irq_restore(flags);
	return err;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	uint64_t flags = irq_save();
	void *obj = slab_alloc(c);

	irq_restore(flags);
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	uint64_t flags;
	int err;

	if (!obj)
		return;
	flags = irq_save();
	err = slab_free(c, obj);
	irq_restore(flags);
	if (err)
		pr_err("kmem_cache_free: %p is not an allocated %s object\n", obj, c->name);
}

uint64_t kmem_shrink_all(void)
{
	uint64_t flags = irq_save(), n = 0;

	for (struct kmem_cache *c = caches; c; c = c->next)
		n += slab_shrink(c);
	irq_restore(flags);
	return n;
}

/* Smallest order whose block holds size bytes. */
static unsigned order_for(size_t size)
{
	unsigned order = 0;

	while (((size_t)PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *kmalloc(size_t size)
{
	struct page *pg;
	unsigned shift = KMALLOC_MIN_SHIFT;

	if (!slab_ready)
		return NULL;
	if (size <= ((size_t)1 << KMALLOC_MAX_SHIFT)) {
		while (((size_t)1 << shift) < size)
			shift++;
		return kmem_cache_alloc(&kmalloc_caches[shift - KMALLOC_MIN_SHIFT]);
	}
	if (size > ((size_t)PAGE_SIZE << PAGE_MAX_ORDER))
		return NULL;
	pg = page_alloc(order_for(size), 0);
	if (!pg)
		return NULL;
	pg->flags |= PG_KMALLOC;
	return page_address(pg);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct page *pg;
	int order;

	if (!p)
		return;
	pg = virt_to_page(p);
	if (pg && (pg->flags & PG_SLAB)) {
		struct kmem_cache *c;
		uint64_t flags = irq_save();
		int err = -EINVAL;

		c = slab_cache_of(pg->owner);
		if (c)
			err = slab_free(c, p);
		irq_restore(flags);
		if (!err)
			return;
	} else if (pg && (pg->flags & PG_KMALLOC) && p == page_address(pg) &&
		   (order = page_order(pg)) >= 0) {
		pg->flags &= ~PG_KMALLOC;
		page_free(pg, order);
		return;
	}
	pr_err("kfree: %p was not allocated by kmalloc\n", p);
}

size_t ksize(const void *p)
{
	struct page *pg = p ? virt_to_page(p) : NULL;
	struct kmem_cache *c;

	if (!pg)
		return 0;
	if (pg->flags & PG_SLAB) {
		c = slab_cache_of(pg->owner);
		return c ? c->size : 0;
	}
	if ((pg->flags & PG_KMALLOC) && page_order(pg) >= 0)
		return PAGE_SIZE << page_order(pg);
	return 0;
}
