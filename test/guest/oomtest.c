/* Out of memory: a child touches anonymous memory without end until the
 * kernel has no frame left. The OOM killer must end that child (the
 * largest resident set) with SIGKILL and say so in dmesg, while a small
 * bystander and this program go on answering. Skipped on "quick" boots
 * (filling memory takes a while under emulation). One PASS/FAIL line per
 * check, with the figures. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOG_CHUNK	(64ul << 20)

static int failures;
static char buf[128 * 1024];

static void check(const char *name, int ok, const char *fmt, long a, long b)
{
	if (ok) {
		printf("PASS guest/%s (", name);
		printf(fmt, a, b);
		printf(")\n");
	} else {
		printf("FAIL guest/%s: ", name);
		printf(fmt, a, b);
		printf("\n");
		failures++;
	}
	fflush(stdout);
}

static long read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	long got = 0, r;

	if (fd < 0)
		return -1;
	while (got < (long)sizeof(buf) - 1 && (r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += r;
	close(fd);
	buf[got] = 0;
	return got;
}

static long meminfo_kb(const char *key)
{
	const char *p;

	if (read_file("/proc/meminfo") < 0 || !(p = strstr(buf, key)))
		return -1;
	return strtol(p + strlen(key) + 1, NULL, 10);
}

/* Map and touch 64 MiB at a time for ever; the kernel decides the end.
 * A mapping refused (ENOMEM) is fine: the hog just keeps what it has and
 * touches the next one. */
static void hog(int ready)
{
	long touched = 0;

	close(ready);
	for (;;) {
		char *p = mmap(NULL, HOG_CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED) {
			sleep(1);
			continue;
		}
		for (unsigned long i = 0; i < HOG_CHUNK; i += 4096)
			p[i] = 1;
		touched += HOG_CHUNK >> 20;
	}
}

/* Answers each byte on in with the same byte on out, until EOF. */
static void bystander(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			break;
	_exit(0);
}

int main(void)
{
	int to[2], from[2], st = 0;
	long free_before, free_after, n;
	pid_t hog_pid, by_pid;
	char c = 'x', pat[64];

	if (read_file("/proc/cmdline") > 0 && strstr(buf, "quick"))
		return 0;
	free_before = meminfo_kb("MemFree:");
	if (pipe(to) || pipe(from))
		return 1;
	by_pid = fork();
	if (by_pid == 0) {
		close(to[1]);
		close(from[0]);
		bystander(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	hog_pid = fork();
	if (hog_pid == 0)
		hog(to[1]);
	if (by_pid < 0 || hog_pid < 0) {
		printf("FAIL guest/oom_fork: errno %d\n", errno);
		return 1;
	}

	n = waitpid(hog_pid, &st, 0);
	check("oom_hog_killed", n == hog_pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "wait status %#lx, %ld kB free before", st, free_before);

	snprintf(pat, sizeof(pat), "killed pid %d (oomtest)", (int)hog_pid);
	n = read_file("/proc/kmsg");
	check("oom_logged", n > 0 && strstr(buf, pat) != NULL, "%ld bytes of dmesg, pid %ld",
	      n, hog_pid);

	n = write(to[1], &c, 1) == 1 && read(from[0], &c, 1) == 1 && c == 'x';
	check("oom_bystander_answers", n, "answered %ld, pid %ld", n, by_pid);
	close(to[1]);
	close(from[0]);
	n = waitpid(by_pid, &st, 0);
	check("oom_bystander_exits", n == by_pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "wait status %#lx (pid %ld)", st, by_pid);

	free_after = meminfo_kb("MemFree:");
	check("oom_memory_back", free_after >= free_before - 1024,
	      "%ld kB free before, %ld after", free_before, free_after);
	return failures ? 1 : 0;
}
