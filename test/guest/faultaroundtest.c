/* Fault-around on file mappings: a read fault maps the pages the file
 * already holds in the aligned 64 KiB window around it (VmRSS grows by
 * them), never allocates a hole, stays off under MADV_RANDOM, and the
 * pages it maps behave as faulted ones: private copies on write, shared
 * writes reaching the file. And mincore on a file mapping reports the
 * file's pages, mapped or not. One PASS/FAIL line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "guest.h"

#define PAGE	4096ul
#define NPAGES	32
#define WINDOW	(16 * PAGE)


/* A file of NPAGES pages; each page in `which` (a bit per page) holds
 * its number in every byte, the rest are holes. */
static int make_file(const char *path, uint32_t which)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char buf[PAGE];

	if (fd < 0 || ftruncate(fd, NPAGES * PAGE))
		return -1;
	for (int i = 0; i < NPAGES; i++) {
		if (!(which & (1u << i)))
			continue;
		memset(buf, 'A' + i, PAGE);
		if (pwrite(fd, buf, PAGE, i * PAGE) != (ssize_t)PAGE)
			return -1;
	}
	return fd;
}

static char status[4096];

/* VmRSS of /proc/self/status, in pages; -1 on error. */
static long rss_pages(void)
{
	int fd = open("/proc/self/status", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, status, sizeof(status) - 1);
	const char *v;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	status[n] = 0;
	v = strstr(status, "VmRSS:");
	return v ? strtol(v + 6, NULL, 10) / 4 : -1;
}

/* Pages mapped by reading page i of p: VmRSS after less before. */
static long touch_maps(char *p, int i, char *c)
{
	long before = rss_pages();

	*c = *(volatile char *)(p + i * PAGE);
	return rss_pages() - before;
}

/* A bit per page of [p, p + NPAGES pages) that mincore calls resident. */
static uint32_t file_resident(char *p)
{
	unsigned char vec[NPAGES];
	uint32_t bits = 0;

	if (mincore(p, NPAGES * PAGE, vec))
		return 0xffffffffu;
	for (int i = 0; i < NPAGES; i++)
		bits |= (uint32_t)(vec[i] & 1) << i;
	return bits;
}

/* How many of the pages in `which` lie in the aligned window around
 * page i of p (inside the map). */
static long in_window(char *p, int i, uint32_t which)
{
	long n = 0;

	uintptr_t lo = ((uintptr_t)p + i * PAGE) & ~(WINDOW - 1);

	for (int j = 0; j < NPAGES; j++) {
		uintptr_t a = (uintptr_t)p + j * PAGE;

		n += a >= lo && a < lo + WINDOW && (which & (1u << j));
	}
	return n;
}

int main(void)
{
	const char *path = "/tmp/faultaround.dat";
	int fd = make_file(path, 0xffffffffu), ok;
	char *p, c;
	long got;

	if (fd < 0) {
		check("faultaround_file", 0, "cannot make the file");
		return 1;
	}

	p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check("faultaround_map", p != MAP_FAILED, "mmap failed");
	if (p == MAP_FAILED)
		return 1;
	rss_pages();	/* warm: the buffer and the code paths are in */
	got = touch_maps(p, 5, &c);
	check("faultaround_window", c == 'A' + 5 && got == in_window(p, 5, 0xffffffffu),
	      "a read fault did not map exactly the window the file holds");
	ok = 1;
	for (int i = 0; i < NPAGES; i++)
		ok &= p[i * PAGE] == 'A' + i && p[i * PAGE + PAGE - 1] == 'A' + i;
	check("faultaround_contents", ok, "a page mapped around holds the wrong bytes");
	p[6 * PAGE] = 'z';
	pread(fd, &c, 1, 6 * PAGE);
	check("faultaround_private_copy", p[6 * PAGE] == 'z' && c == 'A' + 6 && p[7 * PAGE] == 'A' + 7,
	      "a write to a page mapped around reached the file or its neighbour");
	munmap(p, NPAGES * PAGE);

	p = mmap(NULL, NPAGES * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	madvise(p, NPAGES * PAGE, MADV_RANDOM);
	got = touch_maps(p, 5, &c);
	check("faultaround_off_random", p != MAP_FAILED && got == 1,
	      "MADV_RANDOM did not keep the fault to its own page");
	munmap(p, NPAGES * PAGE);

	p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	c = p[1 * PAGE];
	p[2 * PAGE] = 'y';	/* mapped around, writable: no fault needed */
	pread(fd, &c, 1, 2 * PAGE);
	check("faultaround_shared_write", p != MAP_FAILED && c == 'y',
	      "a write through a shared page mapped around missed the file");
	munmap(p, NPAGES * PAGE);
	close(fd);

	/* Only pages 3 and 20 exist: a read at page 3 maps what the window
	 * holds and allocates none of the holes around it. mincore reports
	 * the file's pages whether mapped or not, as Linux reports the page
	 * cache, and the holes as absent. */
	fd = make_file(path, (1u << 3) | (1u << 20));
	p = mmap(NULL, NPAGES * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	check("mincore_file_pages", p != MAP_FAILED && file_resident(p) == ((1u << 3) | (1u << 20)),
	      "mincore did not show exactly the pages the file holds");
	got = touch_maps(p, 3, &c);
	check("faultaround_holes_stay", p != MAP_FAILED && c == 'A' + 3 &&
	      got == in_window(p, 3, (1u << 3) | (1u << 20)),
	      "holes were filled, or an existing page was not mapped");
	munmap(p, NPAGES * PAGE);
	close(fd);
	unlink(path);
	return failures ? 1 : 0;
}
