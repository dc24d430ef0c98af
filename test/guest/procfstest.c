/* procfs read back by a static musl program: maps, status, stat and
 * cmdline of itself (and of a child exec'd with arguments), meminfo
 * following a 1 MiB allocation, mounts, the system files, listing /proc,
 * reads at offsets, and no kernel address anywhere. One "PASS/FAIL
 * guest/<name>" line per check. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guest.h"

static char text[65536];

/* The whole file into text (NUL-terminated); its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long got = 0, r;

	if (fd < 0)
		return -1;
	while (got < (long)sizeof(text) - 1 &&
	       (r = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
		got += r;
	close(fd);
	text[got] = 0;
	return got;
}

/* The number after "key:" in a status/meminfo text, or -1. */
static long field(const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s:", key);
	p = strstr(text, pat);
	if (!p && !strncmp(text, pat + 1, strlen(pat + 1)))
		p = text - 1;
	if (!p)
		return -1;
	return strtol(p + strlen(pat), NULL, 10);
}

/* Kernel addresses are 16 hex digits from ffff8...; user ones have at
 * most 12. Signal masks are 16 digits too, but never all-ones here. */
static int no_kernel_address(void)
{
	for (const char *p = text; (p = strstr(p, "ffff8")); p++) {
		size_t run = 0;

		while (strchr("0123456789abcdef", p[run]) && p[run])
			run++;
		if (run >= 12 && (p == text || !strchr("0123456789abcdef", p[-1])))
			return 0;
	}
	return 1;
}

static void test_maps(void)
{
	long n = slurp("/proc/self/maps");

	check("proc_maps_stack", n > 0 && strstr(text, "[stack]"), "no [stack] line in maps");
	check("proc_maps_exe", n > 0 && strstr(text, "/bin/procfstest"),
	      "maps does not name /bin/procfstest");
	check("proc_maps_format", n > 0 && strstr(text, " r-xp ") && strstr(text, " rw-p "),
	      "no r-xp and rw-p mappings in maps");
	check("proc_maps_no_kaddr", n > 0 && no_kernel_address(), "a kernel address in maps");
}

static void test_status_memory(void)
{
	long rss0, rss1, free0, free1;
	char *mem;

	slurp("/proc/self/status");
	rss0 = field("VmRSS");
	check("proc_status_ids", field("Pid") == getpid() && field("PPid") == getppid() &&
	      field("Tgid") == getpid() && strstr(text, "Name:\tprocfstest") &&
	      strstr(text, "Uid:\t0\t0\t0\t0") && strstr(text, "SigBlk:\t"),
	      "Name/Pid/PPid/Uid wrong in status");
	check("proc_status_no_kaddr", no_kernel_address(), "a kernel address in status");
	slurp("/proc/meminfo");
	free0 = field("MemFree");
	check("proc_meminfo_fields", field("MemTotal") > free0 && free0 > 0 &&
	      field("SwapTotal") == 0 && strstr(text, "Cached:") && strstr(text, "Shmem:"),
	      "meminfo lacks MemTotal/MemFree/SwapTotal/Cached/Shmem");
	mem = malloc(1 << 20);
	if (!mem)
		return check("proc_status_rss_grows", 0, "malloc failed");
	/* Through a volatile pointer: the compiler may not drop the stores. */
	for (long i = 0; i < (1 << 20); i += 4096)
		((volatile char *)mem)[i] = 1;
	slurp("/proc/self/status");
	rss1 = field("VmRSS");
	if (rss1 - rss0 < 1000)
		printf("VmRSS %ld kB before, %ld kB after\n", rss0, rss1);
	check("proc_status_rss_grows", rss0 > 0 && rss1 - rss0 >= 1000,
	      "VmRSS did not grow by 1 MiB after touching it");
	slurp("/proc/meminfo");
	free1 = field("MemFree");
	if (free0 - free1 < 900)
		printf("MemFree %ld kB before, %ld kB after\n", free0, free1);
	check("proc_meminfo_free_drops", free0 - free1 >= 900,
	      "MemFree did not drop after touching 1 MiB");
	free(mem);
}

static void test_cmdline(char **argv)
{
	long n = slurp("/proc/self/cmdline");
	int status;
	pid_t pid;

	check("proc_cmdline_self", n == (long)strlen(argv[0]) + 1 && !strcmp(text, argv[0]),
	      "/proc/self/cmdline is not argv[0]");
	pid = fork();
	if (pid == 0) {
		execl("/bin/procfstest", "procfstest", "cmdline-child", "two words", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	check("proc_cmdline_args", WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a child's cmdline did not equal its argv");
}

/* In the exec'd child: argv back from /proc/self/cmdline. */
static int cmdline_child(int argc, char **argv)
{
	long n = slurp("/proc/self/cmdline"), off = 0;

	for (int i = 0; i < argc; i++) {
		if (off >= n || strcmp(text + off, argv[i]))
			return 1;
		off += strlen(argv[i]) + 1;
	}
	return off == n ? 0 : 2;
}

static void test_stat(void)
{
	char comm[64], state;
	int pid, ppid;

	slurp("/proc/self/stat");
	check("proc_stat_fields", sscanf(text, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid) == 4 &&
	      pid == getpid() && ppid == getppid() && state == 'R' &&
	      !strcmp(comm, "procfstest"), "stat does not start with pid (comm) R ppid");
	check("proc_stat_no_kaddr", no_kernel_address(), "a kernel address in stat");
}

static void test_mounts(void)
{
	long n = slurp("/proc/mounts");

	check("proc_mounts", n > 0 && strstr(text, " / tmpfs ") && strstr(text, " /dev tmpfs ") &&
	      strstr(text, "proc /proc proc ") && strstr(text, " /tmp tmpfs ") &&
	      strstr(text, " /dev/shm tmpfs "), "mounts misses /, /dev, /proc, /tmp or /dev/shm");
}

static void test_system_files(void)
{
	double up = -1;

	check("proc_uptime", slurp("/proc/uptime") > 0 && sscanf(text, "%lf", &up) == 1 && up > 0,
	      "uptime is not a positive number");
	check("proc_version", slurp("/proc/version") > 0 && strstr(text, "version"),
	      "version is empty");
	check("proc_cpuinfo", slurp("/proc/cpuinfo") > 0 && strstr(text, "processor\t: 0") &&
	      strstr(text, "flags"), "cpuinfo lacks processor/flags");
	check("proc_loadavg", slurp("/proc/loadavg") > 0 && strchr(text, '/'), "loadavg malformed");
	check("proc_kmsg", slurp("/proc/kmsg") > 0, "kmsg empty");
	/* The guest tests find "quick" and their options here. */
	check("proc_cmdline", slurp("/proc/cmdline") > 0 && strstr(text, "test") &&
	      text[strlen(text) - 1] == '\n', "cmdline lacks the boot's words");
}

static void test_links_and_dirs(void)
{
	char buf[32], want[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	DIR *d;
	struct dirent *e;
	int self = 0, mine = 0, meminfo = 0;

	snprintf(want, sizeof(want), "%d", getpid());
	check("proc_self_link", n > 0 && (buf[n] = 0, !strcmp(buf, want)),
	      "/proc/self does not point at the pid");
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		self |= !strcmp(e->d_name, "self");
		mine |= !strcmp(e->d_name, want);
		meminfo |= !strcmp(e->d_name, "meminfo");
	}
	if (d)
		closedir(d);
	check("proc_readdir", self && mine && meminfo,
	      "listing /proc misses self, meminfo or our pid");
	d = opendir("/proc/self");
	mine = 0;
	while (d && (e = readdir(d)))
		mine += !strcmp(e->d_name, "maps") || !strcmp(e->d_name, "status");
	if (d)
		closedir(d);
	check("proc_readdir_pid", mine == 2, "listing /proc/self misses maps or status");
	errno = 0;
	check("proc_missing_pid", open("/proc/30000/status", O_RDONLY) == -1 && errno == ENOENT,
	      "a missing pid's file opened");
}

static void test_offsets(void)
{
	static char whole[8192], pieces[8192];
	int fd = open("/proc/self/status", O_RDONLY);
	long n = 0, r, total;
	char c;

	total = read(fd, whole, sizeof(whole));
	lseek(fd, 0, SEEK_SET);
	while ((r = read(fd, pieces + n, 7)) > 0)
		n += r;
	check("proc_read_small_chunks", total > 0 && n == total && !memcmp(whole, pieces, n),
	      "reading 7 bytes at a time differs from one read");
	check("proc_pread", pread(fd, &c, 1, 5) == 1 && c == whole[5],
	      "pread at an offset read the wrong byte");
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "cmdline-child"))
		return cmdline_child(argc, argv);
	test_maps();
	test_status_memory();
	test_cmdline(argv);
	test_stat();
	test_mounts();
	test_system_files();
	test_links_and_dirs();
	test_offsets();
	return failures ? 1 : 0;
}
