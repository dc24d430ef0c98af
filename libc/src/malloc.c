/* malloc, free, calloc, realloc and the aligned variants. Pure: pages
 * come from a provider (malloc_sys.c: brk and mmap in the guest; a fake
 * one in test/host/test_libc_malloc.c).
 *
 * Every block starts with a 16-byte header, so payloads are 16-aligned:
 *
 *	| magic | class | size |  payload ...
 *	  u32     u32     u64
 *
 * Small requests (block of at most 32 KiB) round up to one of the size
 * classes below; each class carves blocks from 64 KiB heap runs and keeps
 * freed blocks on its own LIFO list (the link lives in the payload), so
 * memory is reused by blocks of the same class and never returned. Large
 * requests get their own page-rounded mapping, returned on free.
 * An aligned block (align > 16) is carved inside a larger one; its
 * header's class is CLASS_ALIGNED and its size the distance back to the
 * enclosing block's payload. malloc(0) gives a unique minimum block,
 * free(NULL) does nothing, realloc(p, 0) frees p and returns NULL. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define HDR		16
#define RUN_SIZE	(64 * 1024)
#define PAGE		4096
#define MAGIC_USED	0xa110c8edu
#define MAGIC_FREE	0xf7eeb10cu
#define CLASS_LARGE	0xffu
#define CLASS_ALIGNED	0xfeu

struct hdr {
	uint32_t magic;
	uint32_t cls;
	uint64_t size;		/* block bytes with header; large: mapping length */
};

static const uint32_t class_size[] = {
	32, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 768, 1024,
	1536, 2048, 3072, 4096, 6144, 8192, 12288, 16384, 24576, 32768,
};
#define NCLASS (sizeof(class_size) / sizeof(class_size[0]))

static struct {
	void *free_list[NCLASS];
	char *run_next, *run_end;	/* uncarved rest of the current run */
} heap;

const struct __malloc_pages *__malloc_provider;
const struct __malloc_pages *__malloc_default_pages(void);

static const struct __malloc_pages *pages(void)
{
	if (!__malloc_provider)
		__malloc_provider = __malloc_default_pages();
	return __malloc_provider;
}

_Noreturn static void corrupt(void)
{
	static const char msg[] = "malloc: invalid free or heap corruption\n";
	extern ssize_t write(int, const void *, size_t);

	write(2, msg, sizeof(msg) - 1);
	abort();
}

static int class_of(size_t total)
{
	for (unsigned i = 0; i < NCLASS; i++)
		if (total <= class_size[i])
			return (int)i;
	return -1;
}

/* A fresh block of class c from the current run (a new run when the
 * current one is too short: its tail is left unused). */
static struct hdr *carve(int c)
{
	size_t sz = class_size[c];

	if (!heap.run_next || (size_t)(heap.run_end - heap.run_next) < sz) {
		char *run = pages()->get_run(RUN_SIZE);
		if (!run)
			return NULL;
		heap.run_next = run;
		heap.run_end = run + RUN_SIZE;
	}
	struct hdr *h = (struct hdr *)(void *)heap.run_next;
	heap.run_next += sz;
	return h;
}

void *malloc(size_t n)
{
	struct hdr *h;

	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	int c = class_of(n + HDR);
	if (c >= 0) {
		h = heap.free_list[c];
		if (h) {
			h = (struct hdr *)((char *)h - HDR);
			if (h->magic != MAGIC_FREE)
				corrupt();
			heap.free_list[c] = *(void **)(h + 1);
		} else if (!(h = carve(c))) {
			errno = ENOMEM;
			return NULL;
		}
		h->cls = (uint32_t)c;
		h->size = class_size[c];
	} else {
		size_t len = (n + HDR + PAGE - 1) & ~(size_t)(PAGE - 1);
		h = pages()->get(len);
		if (!h) {
			errno = ENOMEM;
			return NULL;
		}
		h->cls = CLASS_LARGE;
		h->size = len;
	}
	h->magic = MAGIC_USED;
	return h + 1;
}

static struct hdr *header_of(void *p)
{
	struct hdr *h = (struct hdr *)p - 1;

	if ((uintptr_t)p & 15 || h->magic != MAGIC_USED)
		corrupt();
	if (h->cls == CLASS_ALIGNED) {
		h = (struct hdr *)((char *)p - h->size) - 1;
		if (h->magic != MAGIC_USED)
			corrupt();
	}
	return h;
}

void free(void *p)
{
	if (!p)
		return;
	struct hdr *h = header_of(p);
	if (h->cls == CLASS_LARGE) {
		h->magic = MAGIC_FREE;
		pages()->put(h, h->size);
		return;
	}
	if (h->cls >= NCLASS)
		corrupt();
	h->magic = MAGIC_FREE;
	*(void **)(h + 1) = heap.free_list[h->cls];
	heap.free_list[h->cls] = h + 1;
}

size_t malloc_usable_size(void *p)
{
	if (!p)
		return 0;
	struct hdr *h = header_of(p);
	return h->size - HDR - (size_t)((char *)p - (char *)(h + 1));
}

void *calloc(size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	size_t have = malloc_usable_size(p);
	if (n <= have && (n >= have / 4 || have <= 256))
		return p;
	int saved_errno = errno;
	void *q = malloc(n);
	if (!q && n <= have) {
		errno = saved_errno;	/* a shrink that cannot move stays put */
		return p;
	}
	if (!q)
		return NULL;
	memcpy(q, p, n < have ? n : have);
	free(p);
	return q;
}

void *reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, nmemb * size);
}

void *aligned_alloc(size_t align, size_t n)
{
	if (align <= HDR)
		return malloc(n);
	if (align & (align - 1) || n > SIZE_MAX / 4 || align > SIZE_MAX / 4) {
		errno = EINVAL;
		return NULL;
	}
	char *base = malloc(n + align + HDR);
	if (!base)
		return NULL;
	uintptr_t a = ((uintptr_t)base + HDR + align - 1) & ~(uintptr_t)(align - 1);
	struct hdr *h = (struct hdr *)a - 1;
	h->magic = MAGIC_USED;
	h->cls = CLASS_ALIGNED;
	h->size = a - (uintptr_t)base;
	return (void *)a;
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || align & (align - 1))
		return EINVAL;
	void *p = aligned_alloc(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
