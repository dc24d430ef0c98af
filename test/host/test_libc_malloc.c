/* libc's malloc (libc/src/malloc.c) compiled natively under hl_* names,
 * over a fake page provider that records every get and put and can fail
 * the Nth request. Its abort and write are hooked too, so the corruption
 * checks can be seen firing instead of ending the test binary. */
#include "test.h"
#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define malloc hl_malloc
#define free hl_free
#define calloc hl_calloc
#define realloc hl_realloc
#define reallocarray hl_reallocarray
#define aligned_alloc hl_aligned_alloc
#define posix_memalign hl_posix_memalign
#define malloc_usable_size hl_malloc_usable_size
#define __malloc_provider hl_malloc_provider
#define __malloc_default_pages hl_malloc_default_pages
#define abort hl_malloc_abort
#define write hl_malloc_write
_Noreturn void hl_malloc_abort(void);
ssize_t hl_malloc_write(int fd, const void *buf, size_t n);
void *hl_malloc(size_t n);
void hl_free(void *p);
void *hl_calloc(size_t nmemb, size_t size);
void *hl_realloc(void *p, size_t n);
void *hl_reallocarray(void *p, size_t nmemb, size_t size);
void *hl_aligned_alloc(size_t align, size_t n);
int hl_posix_memalign(void **out, size_t align, size_t n);
size_t hl_malloc_usable_size(void *p);
#include "../../libc/src/malloc.c"
#undef malloc
#undef free
#undef calloc
#undef realloc
#undef reallocarray
#undef aligned_alloc
#undef posix_memalign
#undef malloc_usable_size
#undef abort
#undef write

/* ---- the fake provider ------------------------------------------------ */

struct range {
	char *addr;
	size_t len;
};

static struct {
	unsigned long requests;		/* get_run and get calls so far */
	unsigned long fail_at;		/* fail request number fail_at; 0: never */
	unsigned long runs, gets, puts;
	struct range *runs_held;	/* every run handed out (never returned) */
	size_t nruns_held;
	struct range *live;		/* large mappings not yet put back */
	size_t nlive, cap_live;
	struct range last_get, last_put;
	int bad_put;			/* a put that matched no live get */
} fake;

static int fake_should_fail(void)
{
	fake.requests++;
	return fake.fail_at && fake.requests == fake.fail_at;
}

/* Page-aligned, zeroed, as the guest's brk and mmap give. */
static void *fake_pages(size_t len)
{
	void *p = aligned_alloc(PAGE, len);

	if (p)
		memset(p, 0, len);
	return p;
}

static void *fake_get_run(size_t len)
{
	if (fake_should_fail() || len % PAGE)
		return NULL;
	char *p = fake_pages(len);
	fake.runs_held = realloc(fake.runs_held, (fake.nruns_held + 1) * sizeof(struct range));
	fake.runs_held[fake.nruns_held++] = (struct range){ p, len };
	fake.runs++;
	return p;
}

static void *fake_get(size_t len)
{
	if (fake_should_fail() || len % PAGE)
		return NULL;
	char *p = fake_pages(len);
	if (fake.nlive == fake.cap_live) {
		fake.cap_live = fake.cap_live ? 2 * fake.cap_live : 64;
		fake.live = realloc(fake.live, fake.cap_live * sizeof(struct range));
	}
	fake.live[fake.nlive++] = (struct range){ p, len };
	fake.last_get = (struct range){ p, len };
	fake.gets++;
	return p;
}

static void fake_put(void *addr, size_t len)
{
	fake.puts++;
	fake.last_put = (struct range){ addr, len };
	for (size_t i = 0; i < fake.nlive; i++) {
		if (fake.live[i].addr == addr) {
			if (fake.live[i].len != len)
				break;
			free(addr);
			fake.live[i] = fake.live[--fake.nlive];
			return;
		}
	}
	fake.bad_put = 1;
}

static const struct __malloc_pages fake_provider = {
	.get_run = fake_get_run,
	.get = fake_get,
	.put = fake_put,
};

/* malloc.c falls back to this when no provider is set. */
const struct __malloc_pages *hl_malloc_default_pages(void)
{
	return &fake_provider;
}

/* Forget everything: the allocator's state and the fake's memory. */
static void reset(void)
{
	for (size_t i = 0; i < fake.nruns_held; i++)
		free(fake.runs_held[i].addr);
	for (size_t i = 0; i < fake.nlive; i++)
		free(fake.live[i].addr);
	free(fake.runs_held);
	free(fake.live);
	memset(&fake, 0, sizeof(fake));
	memset(&heap, 0, sizeof(heap));
	hl_malloc_provider = &fake_provider;
}

/* ---- the corruption hook -------------------------------------------- */

static jmp_buf corrupt_jmp;
static int corrupt_armed, corrupt_said;

ssize_t hl_malloc_write(int fd, const void *buf, size_t n)
{
	corrupt_said = fd == 2 && n > 7 && !memcmp(buf, "malloc:", 7);
	return (ssize_t)n;
}

_Noreturn void hl_malloc_abort(void)
{
	if (corrupt_armed) {
		corrupt_armed = 0;
		longjmp(corrupt_jmp, 1);
	}
	abort();
}

/* Whether free(p) reports corruption (and so changes nothing). */
static int free_is_caught(void *p)
{
	corrupt_said = 0;
	corrupt_armed = 1;
	if (setjmp(corrupt_jmp) == 0) {
		hl_free(p);
		corrupt_armed = 0;
		return 0;
	}
	return corrupt_said;
}

/* ---- helpers ---------------------------------------------------------- */

static unsigned char pat(unsigned seed, size_t i)
{
	return (unsigned char)(seed * 131u + i * 7u + (i >> 8));
}

static void fill(void *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		((unsigned char *)p)[i] = pat(seed, i);
}

static int holds(const void *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != pat(seed, i))
			return 0;
	return 1;
}

static int all_zero(const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i])
			return 0;
	return 1;
}

#define ALIGNED(p, a) (((uintptr_t)(p) & ((a) - 1)) == 0)

/* ---- tests ------------------------------------------------------------ */

/* Each class: the largest request that fits comes back at the same
 * address after a free, so does the smallest request of the class, and
 * one byte more goes to the next class. */
TEST(libc_malloc_every_class_reused)
{
	reset();
	for (unsigned c = 0; c < NCLASS; c++) {
		size_t n = class_size[c] - HDR;
		size_t lo = c ? class_size[c - 1] - HDR + 1 : 0;
		unsigned char *p = hl_malloc(n);

		ASSERT(p != NULL);
		ASSERT(ALIGNED(p, 16));
		ASSERT_EQ(hl_malloc_usable_size(p), n);
		fill(p, n, c);
		hl_free(p);
		unsigned char *q = hl_malloc(n);
		ASSERT(q == p);
		hl_free(q);
		q = hl_malloc(lo);
		ASSERT(q == p);
		ASSERT_EQ(hl_malloc_usable_size(q), n);
		unsigned char *r = hl_malloc(n + 1);
		ASSERT(r != NULL && r != p);
		ASSERT(hl_malloc_usable_size(r) > n);
		hl_free(r);
		hl_free(q);
	}
	ASSERT_EQ(fake.gets, 1);	/* the one above the last class */
	ASSERT_EQ(fake.puts, 1);
	ASSERT_EQ(fake.nlive, 0);
	ASSERT(!fake.bad_put);
}

/* Blocks of one class never overlap and stay in their run. */
TEST(libc_malloc_blocks_distinct)
{
	static void *ps[300];

	reset();
	for (int i = 0; i < 300; i++) {
		ps[i] = hl_malloc(100);
		ASSERT(ps[i] != NULL);
		fill(ps[i], 100, (unsigned)i);
	}
	for (int i = 0; i < 300; i++)
		ASSERT(holds(ps[i], 100, (unsigned)i));
	/* 128-byte blocks, 512 to a run. */
	ASSERT_EQ(fake.runs, 1);
	for (int i = 0; i < 300; i++)
		hl_free(ps[i]);
	/* LIFO: the last freed comes back first. */
	ASSERT(hl_malloc(100) == ps[299]);
	ASSERT(hl_malloc(100) == ps[298]);
}

TEST(libc_malloc_alignment)
{
	static const size_t aligns[] = { 1, 2, 8, 16, 32, 64, 128, 256, 4096, 8192, 65536 };
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 1000, 5000, 40000, 200000 };
	void *p;

	reset();
	for (size_t n = 0; n < 2000; n += 7) {
		p = hl_malloc(n);
		ASSERT(p && ALIGNED(p, 16));
		hl_free(p);
	}
	for (unsigned i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		for (unsigned j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			size_t a = aligns[i], n = sizes[j];

			p = hl_aligned_alloc(a, n);
			ASSERT(p != NULL);
			ASSERT(ALIGNED(p, a < 16 ? 16 : a));
			ASSERT(hl_malloc_usable_size(p) >= n);
			fill(p, hl_malloc_usable_size(p), (unsigned)(i + j));
			void *q = NULL;
			if (a >= sizeof(void *)) {
				ASSERT_EQ(hl_posix_memalign(&q, a, n), 0);
				ASSERT(q && ALIGNED(q, a) && q != p);
				fill(q, n, 99);
			}
			ASSERT(holds(p, hl_malloc_usable_size(p), (unsigned)(i + j)));
			hl_free(p);
			hl_free(q);
		}
	}
	ASSERT_EQ(fake.nlive, 0);
	ASSERT(!fake.bad_put);

	errno = 0;
	ASSERT(hl_aligned_alloc(48, 10) == NULL && errno == EINVAL);
	p = (void *)1;
	ASSERT_EQ(hl_posix_memalign(&p, 4, 10), EINVAL);	/* below sizeof(void *) */
	ASSERT_EQ(hl_posix_memalign(&p, 24, 10), EINVAL);	/* not a power of two */
	ASSERT(p == (void *)1);
}

/* An aligned block reallocs and frees through its enclosing block. */
TEST(libc_malloc_aligned_realloc)
{
	reset();
	char *p = hl_aligned_alloc(256, 40);
	ASSERT(p && ALIGNED(p, 256));
	fill(p, 40, 5);
	char *q = hl_realloc(p, 3000);
	ASSERT(q && holds(q, 40, 5));
	hl_free(q);
	p = hl_aligned_alloc(4096, 50000);	/* enclosing block is large */
	ASSERT(p && ALIGNED(p, 4096));
	ASSERT_EQ(fake.nlive, 1);
	hl_free(p);
	ASSERT_EQ(fake.nlive, 0);
	ASSERT(!fake.bad_put);
}

/*
 * Grow one byte to 256 KiB by doubling and back, the contents kept:
 *
 *	1 .. 32752	size classes (moves between classes)
 *	32753 ..	a dedicated mapping (get on the way up, put on the way down)
 */
TEST(libc_malloc_realloc_preserves)
{
	reset();
	size_t n = 1;
	char *p = hl_malloc(n);

	fill(p, n, 7);
	while (n < 256 * 1024) {
		size_t m = n * 2;
		p = hl_realloc(p, m);
		ASSERT(p && ALIGNED(p, 16));
		ASSERT(holds(p, n, 7));
		fill(p, m, 7);
		n = m;
	}
	ASSERT(fake.gets >= 4);
	ASSERT_EQ(fake.nlive, 1);
	while (n > 1) {
		size_t m = n / 3 ? n / 3 : 1;
		p = hl_realloc(p, m);
		ASSERT(p);
		ASSERT(holds(p, m, 7));
		n = m;
	}
	ASSERT_EQ(fake.nlive, 0);	/* left the large path, mapping returned */
	ASSERT(!fake.bad_put);

	/* A small shrink stays in place; growing within the block too. */
	char *q = hl_malloc(1000);
	ASSERT(hl_realloc(q, 900) == q);
	ASSERT(hl_realloc(q, hl_malloc_usable_size(q)) == q);
	hl_free(q);
	hl_free(p);
}

TEST(libc_malloc_realloc_null_and_zero)
{
	reset();
	char *p = hl_realloc(NULL, 50);		/* realloc(NULL, n) is malloc(n) */
	ASSERT(p && hl_malloc_usable_size(p) >= 50);
	ASSERT(hl_realloc(p, 0) == NULL);	/* realloc(p, 0) frees p */
	ASSERT(hl_malloc(50) == p);
	ASSERT(hl_malloc_usable_size(NULL) == 0);
}

TEST(libc_malloc_calloc)
{
	reset();
	unsigned char *p = hl_malloc(200);
	memset(p, 0xab, 200);
	hl_free(p);
	unsigned char *q = hl_calloc(20, 10);	/* reuses the dirty block */
	ASSERT(q == p);
	ASSERT(all_zero(q, 200));
	hl_free(q);
	q = hl_calloc(1, 100000);
	ASSERT(q && all_zero(q, 100000));
	hl_free(q);
	q = hl_calloc(0, 5);
	ASSERT(q != NULL);
	hl_free(q);
	q = hl_calloc(5, 0);
	ASSERT(q != NULL);
	hl_free(q);

	unsigned long before = fake.requests;
	errno = 0;
	ASSERT(hl_calloc(SIZE_MAX / 2, 3) == NULL && errno == ENOMEM);
	errno = 0;
	ASSERT(hl_calloc((size_t)1 << 33, (size_t)1 << 32) == NULL && errno == ENOMEM);
	errno = 0;
	p = hl_malloc(10);
	ASSERT(hl_reallocarray(p, SIZE_MAX / 4, 8) == NULL && errno == ENOMEM);
	ASSERT(hl_malloc_usable_size(p) >= 10);	/* still p's */
	hl_free(p);
	ASSERT_EQ(fake.requests, before + 0);		/* no provider call for those */
}

TEST(libc_malloc_large_returned)
{
	reset();
	char *p = hl_malloc(100000);
	ASSERT(p && ALIGNED(p, 16));
	ASSERT_EQ(fake.gets, 1);
	ASSERT(fake.last_get.addr == p - HDR);
	ASSERT_EQ(fake.last_get.len, 102400);	/* 100000 + header, page-rounded */
	ASSERT_EQ(hl_malloc_usable_size(p), 102400 - HDR);
	fill(p, 100000, 3);
	hl_free(p);
	ASSERT_EQ(fake.puts, 1);
	ASSERT(fake.last_put.addr == fake.last_get.addr);
	ASSERT_EQ(fake.last_put.len, fake.last_get.len);
	ASSERT_EQ(fake.nlive, 0);
	ASSERT(!fake.bad_put);

	/* The first size past the classes is large. */
	p = hl_malloc(32768 - HDR + 1);
	ASSERT_EQ(fake.gets, 2);
	ASSERT_EQ(fake.last_get.len, 36864);
	hl_free(p);
	ASSERT_EQ(fake.puts, 2);
	ASSERT_EQ(fake.runs, 0);
}

TEST(libc_malloc_zero_and_free_null)
{
	reset();
	void *a = hl_malloc(0), *b = hl_malloc(0);
	ASSERT(a && b && a != b);	/* unique pointers, freeable */
	ASSERT(ALIGNED(a, 16));
	hl_free(a);
	hl_free(b);
	hl_free(NULL);
	ASSERT(hl_malloc(0) == b);
	ASSERT_EQ(fake.puts, 0);

	unsigned long before = fake.requests;
	errno = 0;
	ASSERT(hl_malloc(SIZE_MAX) == NULL && errno == ENOMEM);
	errno = 0;
	ASSERT(hl_malloc(SIZE_MAX / 2 + 1) == NULL && errno == ENOMEM);
	ASSERT_EQ(fake.requests, before);
}

TEST(libc_malloc_provider_failure)
{
	reset();
	/* The very first run cannot be had. */
	fake.fail_at = 1;
	errno = 0;
	ASSERT(hl_malloc(10) == NULL && errno == ENOMEM);
	char *p = hl_malloc(10);
	ASSERT(p != NULL);
	fill(p, 10, 1);

	/* A large block cannot be had; nothing leaks, the rest still works. */
	fake.fail_at = fake.requests + 1;
	errno = 0;
	ASSERT(hl_malloc(1 << 20) == NULL && errno == ENOMEM);
	ASSERT_EQ(fake.nlive, 0);
	char *big = hl_malloc(1 << 20);
	ASSERT(big != NULL);

	/* A failed realloc leaves the old block alone. */
	fill(big, 1 << 20, 2);
	fake.fail_at = fake.requests + 1;
	errno = 0;
	ASSERT(hl_realloc(big, 2 << 20) == NULL && errno == ENOMEM);
	ASSERT(holds(big, 1 << 20, 2));
	hl_free(big);
	ASSERT(holds(p, 10, 1));

	/* Aligned and zeroed variants report it too. */
	fake.fail_at = fake.requests + 1;
	errno = 0;
	ASSERT(hl_aligned_alloc(4096, 100000) == NULL && errno == ENOMEM);
	fake.fail_at = fake.requests + 1;
	errno = 0;
	ASSERT(hl_calloc(1000, 1000) == NULL && errno == ENOMEM);
	void *q = (void *)1;
	fake.fail_at = fake.requests + 1;
	ASSERT_EQ(hl_posix_memalign(&q, 64, 100000), ENOMEM);
	ASSERT(q == (void *)1);
	hl_free(p);
	ASSERT_EQ(fake.nlive, 0);
	ASSERT(!fake.bad_put);
}

/* A shrink that would move to a smaller class keeps the block when the
 * smaller class has no memory to give. */
TEST(libc_malloc_realloc_shrink_survives_failure)
{
	reset();
	char *p = hl_malloc(200000);
	fill(p, 200000, 4);
	fake.fail_at = fake.requests + 1;	/* the run the small class needs */
	char *q = hl_realloc(p, 100);
	ASSERT(q == p);
	ASSERT(holds(q, 100, 4));
	hl_free(q);
	ASSERT_EQ(fake.nlive, 0);
}

/* Walk failure through every provider request of a fixed sequence: each
 * step either succeeds or says ENOMEM, and everything it got can be
 * freed. */
TEST(libc_malloc_fail_every_nth)
{
	static const size_t sizes[] = { 24, 40000, 3000, 70000, 30000, 16, 20000, 131072, 5 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };

	for (unsigned long nth = 1; nth <= 12; nth++) {
		void *ps[N];
		int failed = 0;

		reset();
		fake.fail_at = nth;
		for (int i = 0; i < N; i++) {
			errno = 0;
			ps[i] = hl_malloc(sizes[i]);
			if (!ps[i]) {
				ASSERT_EQ(errno, ENOMEM);
				failed++;
				continue;
			}
			fill(ps[i], sizes[i], (unsigned)i);
		}
		ASSERT(failed <= 1);
		for (int i = 0; i < N; i++) {
			if (ps[i])
				ASSERT(holds(ps[i], sizes[i], (unsigned)i));
			hl_free(ps[i]);
		}
		ASSERT_EQ(fake.nlive, 0);
		ASSERT(!fake.bad_put);
	}
}

TEST(libc_malloc_double_free_caught)
{
	reset();
	char *p = hl_malloc(64);
	hl_free(p);
	ASSERT(free_is_caught(p));
	ASSERT(hl_malloc(64) == p);		/* the list was not damaged */
	ASSERT(hl_malloc(64) != p);

	/* Freeing an aligned block twice is caught through either header. */
	char *a = hl_aligned_alloc(64, 100);
	hl_free(a);
	ASSERT(free_is_caught(a));
	a = hl_aligned_alloc(32, 100);
	hl_free(a);
	ASSERT(free_is_caught(a));

	/* Pointers malloc never gave out. */
	_Alignas(16) char buf[64] = { 0 };
	ASSERT(free_is_caught(buf + 16));
	ASSERT(free_is_caught(p + 8));		/* misaligned */
	char *q = hl_malloc(100);
	ASSERT(free_is_caught(q + 16));		/* inside a block */
	hl_free(q);
}

/* A free block's header overwritten (a write past the block before it)
 * is caught when the block is handed out again. */
TEST(libc_malloc_overflow_caught_on_reuse)
{
	reset();
	char *a = hl_malloc(16), *b = hl_malloc(16);
	ASSERT(b == a + 32);	/* adjacent 32-byte blocks */
	hl_free(b);
	memset(a, 0, 24);	/* 8 bytes too far: b's magic */
	corrupt_said = 0;
	corrupt_armed = 1;
	if (setjmp(corrupt_jmp) == 0) {
		hl_malloc(16);
		corrupt_armed = 0;
		ASSERT(0);
	}
	ASSERT(corrupt_said);
}

/* Random malloc/calloc/realloc/aligned_alloc/free against a table of what
 * each live block should hold; every block's pattern is checked before it
 * changes or goes, and at the end everything is freed and every large
 * mapping has been put back. */
TEST(libc_malloc_random_stress)
{
	enum { SLOTS = 512, OPS = 60000 };
	static struct {
		unsigned char *p;
		size_t n;
		unsigned seed;
	} s[SLOTS];
	unsigned long long x = 0x9e3779b97f4a7c15ull;
	unsigned seed = 1;

	reset();
	memset(s, 0, sizeof(s));
	for (int op = 0; op < OPS; op++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		unsigned i = (unsigned)(x % SLOTS);
		unsigned kind = (unsigned)(x >> 20) % 100;
		unsigned r = (unsigned)(x >> 32);
		size_t n;

		if (r % 64 == 0)
			n = 32768 + r % 150000;		/* large */
		else if (r % 8 == 0)
			n = r % 32768;
		else
			n = r % 600;

		if (s[i].p) {
			ASSERT(holds(s[i].p, s[i].n, s[i].seed));
			if (kind < 40) {
				hl_free(s[i].p);
				s[i].p = NULL;
			} else {
				unsigned char *q = hl_realloc(s[i].p, n);
				if (n == 0) {
					ASSERT(q == NULL);
					s[i].p = NULL;
					continue;
				}
				ASSERT(q && ALIGNED(q, 16));
				ASSERT(holds(q, n < s[i].n ? n : s[i].n, s[i].seed));
				s[i].p = q;
				s[i].n = n;
				s[i].seed = seed++;
				fill(q, n, s[i].seed);
			}
			continue;
		}
		if (kind < 70) {
			s[i].p = hl_malloc(n);
		} else if (kind < 85) {
			s[i].p = hl_calloc(1, n);
			ASSERT(s[i].p && all_zero(s[i].p, n));
		} else {
			size_t a = (size_t)32 << (r % 8);
			s[i].p = hl_aligned_alloc(a, n);
			ASSERT(s[i].p && ALIGNED(s[i].p, a));
		}
		ASSERT(s[i].p && ALIGNED(s[i].p, 16));
		ASSERT(hl_malloc_usable_size(s[i].p) >= n);
		s[i].n = n;
		s[i].seed = seed++;
		fill(s[i].p, n, s[i].seed);
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		if (!s[i].p)
			continue;
		ASSERT(holds(s[i].p, s[i].n, s[i].seed));
		hl_free(s[i].p);
		s[i].p = NULL;
	}
	ASSERT_EQ(fake.nlive, 0);
	ASSERT_EQ(fake.gets, fake.puts);
	ASSERT(!fake.bad_put);
	/* Every free list holds only free blocks of its own class. */
	for (unsigned c = 0; c < NCLASS; c++) {
		for (void *f = heap.free_list[c]; f; f = *(void **)f) {
			struct hdr *h = (struct hdr *)f - 1;
			ASSERT_EQ(h->magic, MAGIC_FREE);
			ASSERT_EQ(h->cls, c);
			ASSERT_EQ(h->size, class_size[c]);
		}
	}
	reset();
}
