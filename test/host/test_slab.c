/* Host tests of the slab core (mm/slab_core.c) over a fake page provider
 * built on aligned_alloc, which can be told to fail on its Nth call. */
#include "test.h"
#include <slab_core.h>
#include <uapi/errno.h>
#include <stdlib.h>
#include <string.h>

struct fake_pages {
	long calls;		/* alloc calls so far */
	long fail_at;		/* this call (1-based) and later fail; 0: never */
	long live_blocks;
	long live_pages;
};

static void *fake_alloc(unsigned order, void *ctx)
{
	struct fake_pages *fp = ctx;
	size_t bytes = (size_t)SLAB_PAGE_SIZE << order;
	void *p;

	fp->calls++;
	if (fp->fail_at && fp->calls >= fp->fail_at)
		return NULL;
	p = aligned_alloc(bytes, bytes);
	if (p) {
		memset(p, 0xAA, bytes);		/* no help from zeroed memory */
		fp->live_blocks++;
		fp->live_pages += 1L << order;
	}
	return p;
}

static void fake_free(void *mem, unsigned order, void *ctx)
{
	struct fake_pages *fp = ctx;

	fp->live_blocks--;
	fp->live_pages -= 1L << order;
	free(mem);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

#define BACKEND(fp) { fake_alloc, fake_free, &(fp) }

TEST(slab_init_rejects_bad_arguments)
{
	struct fake_pages fp = { 0 };
	struct slab_backend be = BACKEND(fp);
	struct kmem_cache c;

	ASSERT_EQ(slab_cache_init(&c, "zero", 0, 0, &be), -EINVAL);
	ASSERT_EQ(slab_cache_init(&c, "align3", 24, 3, &be), -EINVAL);
	ASSERT_EQ(slab_cache_init(&c, "align8k", 24, 8192, &be), -EINVAL);
	ASSERT_EQ(slab_cache_init(&c, "huge", 40000, 0, &be), -EINVAL);
	ASSERT_EQ(slab_cache_init(&c, "tiny", 1, 1, &be), 0);
	ASSERT_EQ(c.stride, sizeof(void *));
	ASSERT_EQ(fp.calls, 0);		/* nothing allocated up front */
}

/* Every kmalloc class: objects inside the slab, after the header,
 * aligned, and at most 1/8 of the slab wasted. */
TEST(slab_layout_of_kmalloc_classes)
{
	struct fake_pages fp = { 0 };
	struct slab_backend be = BACKEND(fp);

	for (size_t size = 16; size <= 2048; size *= 2) {
		struct kmem_cache c;
		size_t align = size < 64 ? size : 64;
		size_t bytes;

		ASSERT_EQ(slab_cache_init(&c, "k", size, align, &be), 0);
		bytes = (size_t)SLAB_PAGE_SIZE << c.order;
		ASSERT(c.per_slab >= 1);
		ASSERT(c.first % align == 0);
		ASSERT(c.first >= 48);
		ASSERT(c.first + c.per_slab * c.stride <= bytes);
		ASSERT((bytes - c.per_slab * c.stride) * 8 <= bytes);
	}
}

TEST(slab_alloc_free_restores_everything)
{
	enum { N = 1000 };
	struct fake_pages fp = { 0 };
	struct slab_backend be = BACKEND(fp);
	struct kmem_cache c;
	unsigned char *obj[N];

	ASSERT_EQ(slab_cache_init(&c, "t100", 100, 0, &be), 0);
	for (int i = 0; i < N; i++) {
		obj[i] = slab_alloc(&c);
		ASSERT(obj[i]);
		ASSERT((uintptr_t)obj[i] % 8 == 0);
		memset(obj[i], i & 0xFF, 100);
	}
	ASSERT_EQ(c.in_use, N);
	ASSERT_EQ(fp.live_blocks, (N + c.per_slab - 1) / c.per_slab);
	ASSERT_EQ(slab_check(&c), 0);
	for (int i = 0; i < N; i++)
		for (int b = 0; b < 100; b++)
			ASSERT_EQ(obj[i][b], i & 0xFF);

	for (int i = 0; i < N; i += 2)
		ASSERT_EQ(slab_free(&c, obj[i]), 0);
	ASSERT_EQ(slab_check(&c), 0);
	for (int i = 1; i < N; i += 2)
		ASSERT_EQ(slab_free(&c, obj[i]), 0);
	ASSERT_EQ(c.in_use, 0);
	ASSERT_EQ(c.nr_partial + c.nr_full, 0);
	ASSERT_EQ(c.nr_empty, c.max_empty);	/* one kept for reuse */
	ASSERT_EQ(fp.live_blocks, 1);
	ASSERT_EQ(slab_check(&c), 0);
	ASSERT_EQ(slab_shrink(&c), 1);
	ASSERT_EQ(fp.live_pages, 0);
	ASSERT_EQ(slab_cache_release(&c), 0);
}

TEST(slab_bad_free_is_einval_and_harmless)
{
	struct fake_pages fp = { 0 };
	struct slab_backend be = BACKEND(fp);
	struct kmem_cache a, b;
	char *x, *y, *z;

	ASSERT_EQ(slab_cache_init(&a, "a", 64, 0, &be), 0);
	ASSERT_EQ(slab_cache_init(&b, "b", 64, 0, &be), 0);
	x = slab_alloc(&a);
	y = slab_alloc(&a);
	z = slab_alloc(&b);
	ASSERT(x && y && z);

	ASSERT_EQ(slab_free(&a, NULL), -EINVAL);
	ASSERT_EQ(slab_free(&a, z), -EINVAL);		/* other cache */
	ASSERT_EQ(slab_free(&a, x + 8), -EINVAL);	/* inside an object */
	ASSERT_EQ(slab_free(&a, y + a.stride), -EINVAL);	/* never allocated */
	ASSERT_EQ(a.in_use, 2);
	ASSERT_EQ(slab_check(&a), 0);

	ASSERT_EQ(slab_free(&a, x), 0);
	ASSERT_EQ(slab_free(&a, x), -EINVAL);		/* double free */
	ASSERT_EQ(slab_check(&a), 0);
	ASSERT_EQ(slab_cache_release(&a), -EBUSY);
	ASSERT_EQ(slab_free(&a, y), 0);
	ASSERT_EQ(slab_free(&b, z), 0);
	ASSERT_EQ(slab_cache_release(&a), 0);
	ASSERT_EQ(slab_cache_release(&b), 0);
	ASSERT_EQ(fp.live_pages, 0);
}

TEST(slab_cache_of_finds_the_owner)
{
	struct fake_pages fp = { 0 };
	struct slab_backend be = BACKEND(fp);
	struct kmem_cache c;
	uintptr_t mask;
	void *o;

	ASSERT_EQ(slab_cache_init(&c, "c", 300, 0, &be), 0);
	o = slab_alloc(&c);
	ASSERT(o);
	mask = ((uintptr_t)SLAB_PAGE_SIZE << c.order) - 1;
	ASSERT(slab_cache_of((void *)((uintptr_t)o & ~mask)) == &c);
	ASSERT(slab_cache_of(NULL) == NULL);
	ASSERT_EQ(slab_free(&c, o), 0);
	slab_shrink(&c);
}

/* The backend fails on its Nth call: exactly N-1 slabs' worth of objects
 * come out, then NULL; the cache stays sound, frees work, and it grows
 * again once pages are back. */
TEST(slab_backend_failure_on_nth_page)
{
	struct fake_pages fp = { 0 };
	struct slab_backend be = BACKEND(fp);
	struct kmem_cache c;
	void *obj[512];
	int n = 0;

	ASSERT_EQ(slab_cache_init(&c, "f", 512, 0, &be), 0);
	for (long fail = 1; fail <= 4; fail++) {
		fp.calls = 0;
		fp.fail_at = fail;
		n = 0;
		while ((obj[n] = slab_alloc(&c)) != NULL)
			n++;
		ASSERT_EQ(n, (fail - 1) * c.per_slab);
		ASSERT_EQ(slab_alloc(&c), NULL);
		ASSERT_EQ(slab_check(&c), 0);
		while (n > 0)
			ASSERT_EQ(slab_free(&c, obj[--n]), 0);
		slab_shrink(&c);
		ASSERT_EQ(fp.live_pages, 0);
	}
	fp.fail_at = 0;
	obj[0] = slab_alloc(&c);
	ASSERT(obj[0]);
	ASSERT_EQ(fp.live_blocks, 1);
	ASSERT_EQ(slab_free(&c, obj[0]), 0);
	ASSERT_EQ(slab_cache_release(&c), 0);
	ASSERT_EQ(fp.live_pages, 0);
}

/* A backend that returns misaligned memory is refused, not trusted. */
static void *bad_alloc(unsigned order, void *ctx)
{
	char *p = fake_alloc(order + 1, ctx);

	return p ? p + (SLAB_PAGE_SIZE << order) / 2 : NULL;
}

static void bad_free(void *mem, unsigned order, void *ctx)
{
	fake_free((char *)mem - (SLAB_PAGE_SIZE << order) / 2, order + 1, ctx);
}

TEST(slab_refuses_misaligned_backend)
{
	struct fake_pages fp = { 0 };
	struct slab_backend be = { bad_alloc, bad_free, &fp };
	struct kmem_cache c;

	ASSERT_EQ(slab_cache_init(&c, "bad", 64, 0, &be), 0);
	ASSERT_EQ(slab_alloc(&c), NULL);
	ASSERT_EQ(fp.live_pages, 0);
}

TEST(slab_random_against_model)
{
	enum { LIVE = 3000 };
	struct fake_pages fp = { 0 };
	struct slab_backend be = BACKEND(fp);
	struct kmem_cache c;
	struct { unsigned char *p; unsigned char tag; } live[LIVE];
	int nlive = 0;

	ASSERT_EQ(slab_cache_init(&c, "r", 40, 16, &be), 0);
	for (int step = 0; step < 60000; step++) {
		if (nlive == 0 || (nlive < LIVE && rng() % 100 < 52)) {
			/* Every 97th backend call fails, to mix failures in. */
			fp.fail_at = fp.calls % 97 == 96 ? fp.calls + 1 : 0;
			unsigned char *p = slab_alloc(&c);

			if (!p)
				continue;
			ASSERT((uintptr_t)p % 16 == 0);
			live[nlive].p = p;
			live[nlive].tag = rng();
			memset(p, live[nlive].tag, 40);
			nlive++;
		} else {
			int v = rng() % nlive;

			for (int b = 0; b < 40; b++)
				ASSERT_EQ(live[v].p[b], live[v].tag);
			ASSERT_EQ(slab_free(&c, live[v].p), 0);
			live[v] = live[--nlive];
		}
		ASSERT_EQ(c.in_use, nlive);
		if (step % 1000 == 0)
			ASSERT_EQ(slab_check(&c), 0);
	}
	while (nlive > 0)
		ASSERT_EQ(slab_free(&c, live[--nlive].p), 0);
	ASSERT_EQ(slab_check(&c), 0);
	slab_shrink(&c);
	ASSERT_EQ(fp.live_pages, 0);
}
