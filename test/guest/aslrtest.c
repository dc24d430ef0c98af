/* ASLR and resident-set accounting, from a static musl program: children
 * exec'd from this same binary report the address of a local, sbrk(0)
 * and a fresh mmap through a pipe; over four runs each must take at
 * least two values and stay in a sane layout. Then RssAnon, RssShmem and
 * RssFile of /proc/self/status grow as anonymous, shared anonymous and
 * file pages are touched. One "PASS/FAIL guest/<name>" line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guest.h"

#define RUNS	4
#define MIB	(1024 * 1024)

static char text[8192];

/* The child: three addresses, raw, on stdout (the pipe). */
static int report(void)
{
	int local = 0;
	uintptr_t a[3];
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	a[0] = (uintptr_t)&local;
	a[1] = (uintptr_t)sbrk(0);
	a[2] = m == MAP_FAILED ? 0 : (uintptr_t)m;
	return write(1, a, sizeof(a)) == sizeof(a) ? 0 : 1;
}

/* Run self with "report"; its three addresses into a. 0 or -1. */
static int run_child(const char *self, uintptr_t a[3])
{
	int fd[2], st;
	pid_t pid;
	ssize_t got = 0, r;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = { (char *)self, "report", NULL };

		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(self, argv);
		dprintf(2, "  exec %s: errno %d\n", self, errno);
		_exit(127);
	}
	close(fd[1]);
	while (got < (ssize_t)(3 * sizeof(uintptr_t)) &&
	       (r = read(fd[0], (char *)a + got, 3 * sizeof(uintptr_t) - got)) > 0)
		got += r;
	close(fd[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) ||
	    got != 3 * sizeof(uintptr_t)) {
		/* Enough to tell an exec failure (127) from a kill or a short
		 * report when this fails once in a while. */
		printf("  child %d: wait status %#x, %zd bytes reported\n", pid, st, got);
		return -1;
	}
	return 0;
}

static int distinct(uintptr_t v[RUNS][3], int k)
{
	int n = 0;

	for (int i = 0; i < RUNS; i++) {
		int seen = 0;

		for (int j = 0; j < i; j++)
			seen |= v[j][k] == v[i][k];
		n += !seen;
	}
	return n;
}

static void test_aslr(const char *self)
{
	uintptr_t v[RUNS][3];
	int ok = 1, sane = 1;

	for (int i = 0; i < RUNS && ok; i++)
		ok = run_child(self, v[i]) == 0;
	check("aslr_children_report", ok, "child exec or pipe failed");
	if (!ok)
		return;
	for (int i = 0; i < RUNS; i++)
		sane &= v[i][0] < 0x800000000000ull && v[i][0] > v[i][2] &&
			v[i][2] > v[i][1] && v[i][1] >= 0x10000 && v[i][2] != 0;
	check("aslr_layout_sane", sane, "stack, mmap and brk out of order or range");
	check("aslr_stack_random", distinct(v, 0) >= 2, "stack address the same every run");
	check("aslr_brk_random", distinct(v, 1) >= 2, "sbrk(0) the same every run");
	check("aslr_mmap_random", distinct(v, 2) >= 2, "mmap address the same every run");
}

/* A field (kB) of /proc/self/status, or -1. */
static long status_kb(const char *key)
{
	int fd = open("/proc/self/status", O_RDONLY);
	long got = 0, r;
	char pat[32];
	const char *p;

	if (fd < 0)
		return -1;
	while (got < (long)sizeof(text) - 1 &&
	       (r = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
		got += r;
	close(fd);
	text[got] = 0;
	snprintf(pat, sizeof(pat), "\n%s:", key);
	p = strstr(text, pat);
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

static int rss_sum_ok(void)
{
	long rss = status_kb("VmRSS"), a = status_kb("RssAnon");
	long f = status_kb("RssFile"), s = status_kb("RssShmem");

	return rss >= 0 && a >= 0 && f >= 0 && s >= 0 && rss == a + f + s;
}

static void touch(volatile char *p, size_t len, int write)
{
	for (size_t i = 0; i < len; i += 4096) {
		if (write)
			p[i] = 1;
		else
			(void)p[i];
	}
}

static void test_rss(void)
{
	long before, after;
	char *p;
	int fd;

	check("rss_sum", rss_sum_ok(), "VmRSS is not RssAnon + RssFile + RssShmem");

	before = status_kb("RssAnon");
	p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("rss_anon_map", p != MAP_FAILED, "mmap failed");
	if (p != MAP_FAILED) {
		touch(p, MIB, 1);
		after = status_kb("RssAnon");
		check("rss_anon_grows", after >= before + 1024, "RssAnon did not grow by 1 MiB");
		munmap(p, MIB);
		check("rss_anon_shrinks", status_kb("RssAnon") <= after - 1024,
		      "RssAnon did not fall after munmap");
	}

	before = status_kb("RssShmem");
	p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	check("rss_shmem_map", p != MAP_FAILED, "mmap failed");
	if (p != MAP_FAILED) {
		touch(p, MIB, 1);
		after = status_kb("RssShmem");
		check("rss_shmem_grows", after >= before + 1024, "RssShmem did not grow by 1 MiB");
		check("rss_sum_shmem", rss_sum_ok(), "VmRSS is not the sum");
		munmap(p, MIB);
		check("rss_shmem_shrinks", status_kb("RssShmem") <= after - 1024,
		      "RssShmem did not fall after munmap");
	}

	fd = open("/tmp/aslrtest.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
	check("rss_file_create", fd >= 0 && ftruncate(fd, MIB) == 0, "cannot make /tmp file");
	if (fd < 0)
		return;
	before = status_kb("RssFile");
	p = mmap(NULL, MIB, PROT_READ, MAP_PRIVATE, fd, 0);
	check("rss_file_map", p != MAP_FAILED, "mmap of the file failed");
	if (p != MAP_FAILED) {
		touch(p, MIB, 0);
		after = status_kb("RssFile");
		check("rss_file_grows", after >= before + 1024, "RssFile did not grow by 1 MiB");
		check("rss_sum_file", rss_sum_ok(), "VmRSS is not the sum");
		munmap(p, MIB);
		check("rss_file_shrinks", status_kb("RssFile") <= after - 1024,
		      "RssFile did not fall after munmap");
	}
	close(fd);
	unlink("/tmp/aslrtest.dat");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "report"))
		return report();
	test_aslr(argv[0][0] == '/' ? argv[0] : "/bin/aslrtest");
	test_rss();
	return failures ? 1 : 0;
}
