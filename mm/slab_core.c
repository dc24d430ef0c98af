/* Slab bookkeeping: each slab is a block of 2^order pages from the backend,
 * aligned to its size, that starts with a header (list links, free list,
 * a bitmap of allocated objects) followed by the objects:
 *
 *   base                      base + first
 *   | struct slab | bitmap | pad | obj 0 | obj 1 | ... | obj n-1 | waste |
 *
 * A free object holds the free-list link in its first word. The bitmap
 * is what lets slab_free reject double and bogus frees. Pure C: the owner
 * serializes calls and supplies memory (include/slab_core.h). */
#include <slab_core.h>
#include <uapi/errno.h>

#define SLAB_MAGIC 0x51AB51ABu

enum slab_list { LIST_EMPTY, LIST_PARTIAL, LIST_FULL };

struct slab {
	uint32_t magic;
	uint16_t inuse;		/* objects allocated from this slab */
	uint8_t list;		/* enum slab_list: where it is linked */
	struct kmem_cache *cache;
	struct slab *next, *prev;
	void *freelist;		/* first free object, NULL when full */
	uint64_t used[];	/* bit i: object i is allocated */
};

static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static size_t header_size(size_t n)
{
	return sizeof(struct slab) + (n + 63) / 64 * sizeof(uint64_t);
}

/* How many objects fit in a slab of bytes, and where object 0 starts. */
static size_t fit(size_t bytes, size_t stride, size_t align, size_t *first)
{
	size_t n;

	if (bytes < sizeof(struct slab))
		return 0;
	n = (bytes - sizeof(struct slab)) / stride;
	while (n > 0 && align_up(header_size(n), align) + n * stride > bytes)
		n--;
	*first = align_up(header_size(n), align);
	return n;
}

int slab_cache_init(struct kmem_cache *c, const char *name, size_t size,
		    size_t align, const struct slab_backend *backend)
{
	size_t best_waste = 0, best_bytes = 1;
	int found = 0;

	if (align == 0)
		align = sizeof(void *);
	if (size == 0 || (align & (align - 1)) || align > SLAB_PAGE_SIZE ||
	    size > ((size_t)SLAB_PAGE_SIZE << SLAB_MAX_ORDER))
		return -EINVAL;
	if (align < sizeof(void *))
		align = sizeof(void *);

	c->name = name;
	c->size = size;
	c->align = align;
	c->stride = align_up(size < sizeof(void *) ? sizeof(void *) : size, align);

	/* The smallest order wasting at most 1/8 of the slab, or else the
	 * order that wastes the smallest share. */
	for (unsigned o = 0; o <= SLAB_MAX_ORDER; o++) {
		size_t bytes = (size_t)SLAB_PAGE_SIZE << o, first;
		size_t n = fit(bytes, c->stride, align, &first);
		size_t waste = bytes - n * c->stride;

		if (n == 0)
			continue;
		if (!found || waste * best_bytes < best_waste * bytes) {
			found = 1;
			best_waste = waste;
			best_bytes = bytes;
			c->order = o;
			c->per_slab = n;
			c->first = first;
		}
		if (waste * 8 <= bytes)
			break;
	}
	if (!found)
		return -EINVAL;

	c->max_empty = 1;
	c->partial = c->full = c->empty = NULL;
	c->nr_partial = c->nr_full = c->nr_empty = 0;
	c->in_use = 0;
	c->backend = backend;
	c->next = NULL;
	return 0;
}

static struct slab **list_head(struct kmem_cache *c, unsigned list, uint64_t **count)
{
	switch (list) {
	case LIST_EMPTY:
		*count = &c->nr_empty;
		return &c->empty;
	case LIST_PARTIAL:
		*count = &c->nr_partial;
		return &c->partial;
	default:
		*count = &c->nr_full;
		return &c->full;
	}
}

static void list_add(struct kmem_cache *c, struct slab *s, unsigned list)
{
	uint64_t *count;
	struct slab **head = list_head(c, list, &count);

	s->list = list;
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
	(*count)++;
}

static void list_del(struct kmem_cache *c, struct slab *s)
{
	uint64_t *count;
	struct slab **head = list_head(c, s->list, &count);

	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	(*count)--;
}

static void *obj_at(const struct kmem_cache *c, struct slab *s, size_t i)
{
	return (char *)s + c->first + i * c->stride;
}

/* A fresh slab with every object on its free list, linked on 'empty'. */
static struct slab *slab_new(struct kmem_cache *c)
{
	size_t bytes = (size_t)SLAB_PAGE_SIZE << c->order;
	struct slab *s = c->backend->alloc(c->order, c->backend->ctx);

	if (!s)
		return NULL;
	if ((uintptr_t)s & (bytes - 1)) {
		/* A backend breaking its contract: refuse rather than
		 * hand out objects we could never free. */
		c->backend->free(s, c->order, c->backend->ctx);
		return NULL;
	}
	s->magic = SLAB_MAGIC;
	s->inuse = 0;
	s->cache = c;
	for (size_t w = 0; w < (c->per_slab + 63) / 64; w++)
		s->used[w] = 0;
	s->freelist = NULL;
	for (size_t i = c->per_slab; i-- > 0; ) {
		void **obj = obj_at(c, s, i);

		*obj = s->freelist;
		s->freelist = obj;
	}
	list_add(c, s, LIST_EMPTY);
	return s;
}

static void slab_release(struct kmem_cache *c, struct slab *s)
{
	list_del(c, s);
	s->magic = 0;
	c->backend->free(s, c->order, c->backend->ctx);
}

void *slab_alloc(struct kmem_cache *c)
{
	struct slab *s = c->partial ? c->partial : c->empty;
	void **obj;
	size_t i;

	if (!s) {
		s = slab_new(c);
		if (!s)
			return NULL;
	}
	obj = s->freelist;
	s->freelist = *obj;
	i = ((char *)obj - (char *)s - c->first) / c->stride;
	s->used[i / 64] |= 1ull << (i % 64);
	s->inuse++;
	c->in_use++;

	list_del(c, s);
	list_add(c, s, s->inuse == c->per_slab ? LIST_FULL : LIST_PARTIAL);
	return obj;
}

int slab_free(struct kmem_cache *c, void *p)
{
	size_t bytes = (size_t)SLAB_PAGE_SIZE << c->order;
	struct slab *s = (struct slab *)((uintptr_t)p & ~(uintptr_t)(bytes - 1));
	size_t off = (uintptr_t)p - (uintptr_t)s, i;
	void **obj = p;

	if (!p || s->magic != SLAB_MAGIC || s->cache != c)
		return -EINVAL;
	if (off < c->first || (off - c->first) % c->stride)
		return -EINVAL;
	i = (off - c->first) / c->stride;
	if (i >= c->per_slab || !(s->used[i / 64] & (1ull << (i % 64))))
		return -EINVAL;

	s->used[i / 64] &= ~(1ull << (i % 64));
	*obj = s->freelist;
	s->freelist = obj;
	s->inuse--;
	c->in_use--;

	list_del(c, s);
	if (s->inuse > 0) {
		list_add(c, s, LIST_PARTIAL);
		return 0;
	}
	list_add(c, s, LIST_EMPTY);
	if (c->nr_empty > c->max_empty)
		slab_release(c, s);
	return 0;
}

uint64_t slab_shrink(struct kmem_cache *c)
{
	uint64_t n = 0;

	while (c->empty) {
		slab_release(c, c->empty);
		n++;
	}
	return n;
}

int slab_cache_release(struct kmem_cache *c)
{
	if (c->in_use)
		return -EBUSY;
	slab_shrink(c);
	return 0;
}

struct kmem_cache *slab_cache_of(const void *base)
{
	const struct slab *s = base;

	return s && s->magic == SLAB_MAGIC ? s->cache : NULL;
}

static int check_list(const struct kmem_cache *c, const struct slab *s,
		      unsigned list, uint64_t count, uint64_t *objs)
{
	const struct slab *prev = NULL;
	uint64_t seen = 0;

	for (; s; prev = s, s = s->next) {
		size_t bits = 0, free = 0;

		if (seen++ >= count || s->magic != SLAB_MAGIC || s->cache != c ||
		    s->list != list || s->prev != prev)
			return -EINVAL;
		for (size_t i = 0; i < c->per_slab; i++)
			bits += !!(s->used[i / 64] & (1ull << (i % 64)));
		for (void *const *o = s->freelist; o; o = *o)
			if (++free > c->per_slab)
				return -EINVAL;
		if (bits != s->inuse || free + bits != c->per_slab)
			return -EINVAL;
		if ((list == LIST_EMPTY) != (s->inuse == 0) ||
		    (list == LIST_FULL) != (s->inuse == c->per_slab))
			return -EINVAL;
		*objs += s->inuse;
	}
	return seen == count ? 0 : -EINVAL;
}

int slab_check(const struct kmem_cache *c)
{
	uint64_t objs = 0;

	if (check_list(c, c->empty, LIST_EMPTY, c->nr_empty, &objs) ||
	    check_list(c, c->partial, LIST_PARTIAL, c->nr_partial, &objs) ||
	    check_list(c, c->full, LIST_FULL, c->nr_full, &objs))
		return -EINVAL;
	return objs == c->in_use ? 0 : -EINVAL;
}
