/* Address spaces at scale: one process with 100,000 VMAs (faults,
 * mprotect, munmap and the maps file stay correct among them), and 1,000
 * live processes each holding copy-on-write memory whose writes stay
 * their own. Skipped on "quick" boots. One PASS/FAIL line per check,
 * with the figures. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE		4096ul
#define NVMA		100000
#define NPROC		1000
#define COW_PAGES	16

static int failures;
static char buf[65536];

static void check(const char *name, int ok, const char *what, long a, long b)
{
	printf("%s guest/%s%s", ok ? "PASS" : "FAIL", name, ok ? " (" : ": ");
	printf(what, a, b);
	printf("%s\n", ok ? ")" : "");
	failures += !ok;
	fflush(stdout);
}

/* Lines of /proc/self/maps, read in pieces (millions of bytes here). */
static long maps_lines(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	long lines = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (long i = 0; i < r; i++)
			lines += buf[i] == '\n';
	close(fd);
	return r < 0 ? -1 : lines;
}

static long meminfo_kb(const char *key)
{
	int fd = open("/proc/meminfo", O_RDONLY);
	long got = 0, r;
	const char *p;

	if (fd < 0)
		return -1;
	while (got < (long)sizeof(buf) - 1 && (r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += r;
	close(fd);
	buf[got] = 0;
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/*
 * 2 * NVMA pages mapped read-write in one call, then every other page
 * made read-only: NVMA + 1 VMAs or so that cannot merge. Faults land in
 * the right VMA, a write to a read-only one is refused, and one mprotect
 * and one munmap put it all back.
 */
static void test_many_vmas(void)
{
	size_t len = 2ul * NVMA * PAGE;
	long base_lines = maps_lines(), lines;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok = 1, pid, st;

	check("vma_map_region", p != MAP_FAILED, "%ld MiB, errno %ld", (long)(len >> 20), errno);
	if (p == MAP_FAILED)
		return;
	for (long i = 1; i < 2 * NVMA && ok; i += 2)
		ok = mprotect(p + i * PAGE, PAGE, PROT_READ) == 0;
	check("vma_split_100000", ok, "mprotect of every other page, errno %ld", errno, 0);
	lines = maps_lines();
	check("vma_count_100000", lines >= base_lines + 2 * NVMA - 1,
	      "%ld lines in maps, %ld before", lines, base_lines);

	/* Faults anywhere among them: writable pages take writes and read
	 * them back; a read-only neighbour still reads as zero. */
	for (long i = 0; i < 2 * NVMA && ok; i += 2 * 997) {
		p[i * PAGE] = (char)i | 1;
		ok = p[i * PAGE] == ((char)i | 1) && p[(i + 1) * PAGE] == 0;
	}
	check("vma_faults_among_100000", ok, "every 997th pair", 0, 0);

	/* A write to a read-only page among them is SIGSEGV, in a child. */
	pid = fork();
	if (pid == 0) {
		p[(NVMA + 1) * PAGE] = 1;
		_exit(0);
	}
	st = 0;
	waitpid(pid, &st, 0);
	check("vma_readonly_among_100000", WIFSIGNALED(st) && WTERMSIG(st) == 11,
	      "child wait status %#lx (fork copied %ld VMAs)", st, 2l * NVMA);

	ok = mprotect(p, len, PROT_READ | PROT_WRITE) == 0;
	lines = maps_lines();
	check("vma_merge_back", ok && lines <= base_lines + 1, "%ld lines in maps, %ld before",
	      lines, base_lines);
	ok = munmap(p, len) == 0;
	lines = maps_lines();
	check("vma_unmap_all", ok && lines <= base_lines, "%ld lines in maps, %ld before",
	      lines, base_lines);
}

/*
 * NPROC children of a parent holding COW_PAGES pages of a pattern: each
 * child writes its number into page 0 (its own copy now) and waits; once
 * all are alive the parent lets them go, and each checks that page 0
 * holds its number and the rest still the parent's pattern.
 */
static void test_many_procs(void)
{
	char *mem = mmap(NULL, COW_PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int go[2], ready[2], started = 0, good = 0;
	long free_before, free_during;
	char c;

	if (mem == MAP_FAILED || pipe(go) || pipe(ready)) {
		check("procs_setup", 0, "errno %ld", errno, 0);
		return;
	}
	for (unsigned long i = 0; i < COW_PAGES * PAGE; i += PAGE)
		memset(mem + i, 'p', 64);
	free_before = meminfo_kb("MemFree:");
	for (int n = 0; n < NPROC; n++) {
		pid_t pid = fork();

		if (pid < 0)
			break;
		if (pid == 0) {
			int bad = 0;

			close(go[1]);
			close(ready[0]);
			memcpy(mem, &n, sizeof(n));
			if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
				_exit(2);
			bad |= memcmp(mem, &n, sizeof(n)) != 0;
			for (unsigned long i = PAGE; i < COW_PAGES * PAGE; i += PAGE)
				bad |= mem[i] != 'p' || mem[i + 63] != 'p';
			_exit(bad);
		}
		started++;
	}
	close(go[0]);
	close(ready[1]);
	for (int n = 0; n < started; n++)
		if (read(ready[0], &c, 1) != 1)
			break;
	free_during = meminfo_kb("MemFree:");
	check("procs_1000_alive", started == NPROC, "%ld started, errno %ld", started, errno);
	printf("  %d processes took %ld kB (%ld kB each)\n", started,
	       free_before - free_during, started ? (free_before - free_during) / started : 0);
	check("procs_parent_memory_own", mem[0] == 'p' && mem[PAGE] == 'p', "parent's page 0 %#lx",
	      mem[0], 0);
	for (int n = 0; n < started; n++)
		if (write(go[1], "g", 1) != 1)
			break;
	for (int n = 0; n < started; n++) {
		int st;

		if (wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			good++;
	}
	check("procs_1000_cow_isolated", good == started && started == NPROC,
	      "%ld of %ld children saw only their own writes", good, started);
	close(go[1]);
	close(ready[0]);
	munmap(mem, COW_PAGES * PAGE);
}

int main(void)
{
	int fd = open("/proc/cmdline", O_RDONLY);
	long n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	if (strstr(buf, "quick"))
		return 0;
	test_many_vmas();
	test_many_procs();
	return failures ? 1 : 0;
}
