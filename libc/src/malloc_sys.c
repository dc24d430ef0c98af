/* malloc's page provider in the guest: heap runs from brk (mmap when the
 * break cannot move), large blocks from mmap, returned with munmap. */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "internal.h"

static uintptr_t cur_brk;

static void *map_pages(size_t len)
{
	void *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *brk_pages(size_t len)
{
	if (!cur_brk)
		cur_brk = (uintptr_t)__sc1(__NR_brk, 0);
	uintptr_t start = (cur_brk + 4095) & ~(uintptr_t)4095;
	uintptr_t want = start + len;
	uintptr_t got = (uintptr_t)__sc1(__NR_brk, want);
	if (got == want) {
		cur_brk = got;
		return (void *)start;
	}
	return map_pages(len);
}

static void unmap_pages(void *p, size_t len)
{
	munmap(p, len);
}

static const struct __malloc_pages sys_pages = {
	.get_run = brk_pages,
	.get = map_pages,
	.put = unmap_pages,
};

const struct __malloc_pages *__malloc_default_pages(void)
{
	return &sys_pages;
}

void *sbrk(long inc)
{
	if (!cur_brk)
		cur_brk = (uintptr_t)__sc1(__NR_brk, 0);
	uintptr_t old = cur_brk;
	if (inc) {
		uintptr_t got = (uintptr_t)__sc1(__NR_brk, old + inc);
		if (got != old + inc) {
			errno = ENOMEM;
			return (void *)-1;
		}
		cur_brk = got;
	}
	return (void *)old;
}

int brk(void *addr)
{
	uintptr_t got = (uintptr_t)__sc1(__NR_brk, addr);

	if (got != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	cur_brk = got;
	return 0;
}
