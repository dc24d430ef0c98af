/* Process groups and sessions, orphans adopted by pid 1, credentials and
 * the EPERMs after dropping root, resource limits (EMFILE, EAGAIN from
 * RLIMIT_NPROC), the clocks, times, getrandom, affinity, reboot's
 * refusals, the host name, and -EFAULT for bad pointers on every call that takes one.
 * One "PASS/FAIL guest/<name>" line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"

/* ---- process groups and sessions ------------------------------------ */

static int sess_child(void)
{
	pid_t me = getpid();

	/* A new session: its own group and session, no group leader before. */
	if (setsid() != me || getsid(0) != me || getpgrp() != me)
		return 1;
	if (setsid() != -1 || errno != EPERM)	/* now a group leader */
		return 2;
	if (setpgid(0, 0) != -1 || errno != EPERM)	/* session leader */
		return 3;
	return 0;
}

static void test_pgrp(void)
{
	pid_t me = getpid(), pid;
	int status;

	check("pgrp_getpgid", getpgid(0) == getpgrp() && getpgid(me) == getpgrp(),
	      "getpgid(0) and getpgid(self) differ from getpgrp");
	errno = 0;
	check("pgrp_getpgid_esrch", getpgid(32767) == -1 && errno == ESRCH,
	      "getpgid of a missing pid did not fail with ESRCH");
	errno = 0;
	check("pgrp_setpgid_einval", setpgid(0, -1) == -1 && errno == EINVAL,
	      "setpgid with pgid -1 did not fail with EINVAL");
	errno = 0;
	check("pgrp_setpgid_esrch", setpgid(1, 0) == -1 && errno == ESRCH,
	      "setpgid of a non-child did not fail with ESRCH");
	check("pgrp_own_group", setpgid(0, 0) == 0 && getpgrp() == me,
	      "setpgid(0, 0) did not make a group named by our pid");
	/* A group that does not exist in our session. */
	errno = 0;
	check("pgrp_setpgid_eperm", setpgid(0, 30000) == -1 && errno == EPERM,
	      "setpgid to a missing group did not fail with EPERM");

	/* The parent moves a child that has not exec'd yet (it stops itself
	 * until then); after its exec, -EACCES. */
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "hello", NULL };

		raise(SIGSTOP);
		execv("/bin/hello", argv);
		_exit(127);
	}
	if (waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status)) {
		check("pgrp_child_stopped", 0, "child did not stop itself");
		return;
	}
	check("pgrp_fork_inherits", getpgid(pid) == me && getsid(pid) == getsid(0),
	      "child not in the parent's group and session");
	check("pgrp_move_child", setpgid(pid, pid) == 0 && getpgid(pid) == pid,
	      "setpgid(child, child) failed");
	check("pgrp_join_back", setpgid(pid, me) == 0 && getpgid(pid) == me,
	      "setpgid(child, parent's group) failed");
	kill(pid, SIGCONT);
	/* Until it has exec'd, setpgid still succeeds (harmlessly); a
	 * zombie keeps the mark. */
	errno = 0;
	for (int i = 0; i < 200 && setpgid(pid, me) == 0; i++)
		usleep(5000);
	check("pgrp_setpgid_eacces", errno == EACCES,
	      "setpgid on a child that exec'd did not fail with EACCES");
	waitpid(pid, &status, 0);

	check("session_setsid", in_child(sess_child) == 0,
	      "setsid/getsid in a child did not behave");
	/* The child of a new session leader is in another session: -EPERM. */
	check("session_getsid_self", getsid(0) > 0 && getsid(me) == getsid(0),
	      "getsid(self) differs from getsid(0)");
}

/* ---- orphans ------------------------------------------------------- */

/* A child forks a grandchild and exits; the grandchild writes its new
 * parent's pid to a file once it is 1 (or after 1 s). */
static void test_orphan(void)
{
	const char *path = "/tmp/proctest.orphan";
	int status, ppid = -1, fd;
	pid_t mid;

	unlink(path);
	mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			for (int i = 0; i < 400 && getppid() != 1; i++)
				usleep(2500);
			ppid = getppid();
			fd = open("/tmp/proctest.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0600);
			write(fd, &ppid, sizeof(ppid));
			close(fd);
			rename("/tmp/proctest.tmp", path);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(mid, &status, 0);
	for (int i = 0; i < 300; i++) {
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			if (read(fd, &ppid, sizeof(ppid)) != sizeof(ppid))
				ppid = -1;
			close(fd);
			break;
		}
		usleep(5000);
	}
	unlink(path);
	check("orphan_reparented_to_1", ppid == 1, "an orphan's parent is not pid 1");
	usleep(20000);	/* let it finish exiting, for pid 1 to reap */
}

/* ---- credentials ----------------------------------------------------- */

static int cred_child(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	gid_t groups[4] = { 5, 6, 7, 8 };

	if (getuid() != 0 || geteuid() != 0)
		return 1;
	if (setgroups(2, groups) || getgroups(0, NULL) != 2 || getgroups(4, groups) != 2 ||
	    groups[0] != 5 || groups[1] != 6)
		return 2;
	errno = 0;
	if (getgroups(1, groups) != -1 || errno != EINVAL)
		return 3;
	if (setresgid(100, 100, 100) || getresgid(&gr, &ge, &gs) || gr != 100 ||
	    ge != 100 || gs != 100 || getgid() != 100)
		return 4;
	if (setresuid(1000, 1000, 0) || getresuid(&r, &e, &s) || r != 1000 ||
	    e != 1000 || s != 0)
		return 5;
	/* The saved root lets us swap the effective id back and forth. */
	if (seteuid(0) || geteuid() != 0 || seteuid(1000) || geteuid() != 1000)
		return 6;
	/* Drop everything. */
	if (setuid(1000) != 0 || getresuid(&r, &e, &s) || s != 0)
		return 7;	/* non-root setuid changes only the effective id */
	if (setresuid(1000, 1000, 1000) || getresuid(&r, &e, &s) || s != 1000)
		return 8;
	errno = 0;
	if (setuid(0) != -1 || errno != EPERM)
		return 9;
	errno = 0;
	if (setresuid(-1, 0, -1) != -1 || errno != EPERM)
		return 10;
	errno = 0;
	if (setgid(0) != -1 || errno != EPERM)
		return 11;
	errno = 0;
	if (setgroups(0, NULL) != -1 || errno != EPERM)
		return 12;
	errno = 0;
	if (setreuid(0, -1) != -1 || errno != EPERM)
		return 13;
	errno = 0;
	if (syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321FEDC, 0) != -1 || errno != EPERM)
		return 15;
	errno = 0;
	if (setuid(-1) != -1 || errno != EINVAL)
		return 16;
	/* Still allowed: setting to what we are. */
	if (setuid(1000) || setresuid(-1, -1, -1))
		return 17;
	/* exec keeps credentials: hello runs as 1000 (it just has to run). */
	return 0;
}

static void test_cred(void)
{
	int r = in_child(cred_child);
	char why[64];

	snprintf(why, sizeof(why), "step %d of dropping to uid 1000 failed", r);
	check("cred_drop_root", r == 0, why);
	check("cred_parent_still_root", getuid() == 0 && geteuid() == 0,
	      "the child's setuid changed the parent");
	errno = 0;
	check("reboot_bad_magic", syscall(SYS_reboot, 1, 2, 0x4321FEDC, 0) == -1 &&
	      errno == EINVAL, "reboot with bad magic did not fail with EINVAL");
	check("reboot_cad", syscall(SYS_reboot, 0xfee1dead, 672274793, 0, 0) == 0,
	      "reboot(CAD_OFF) as root failed");
	errno = 0;
	check("reboot_bad_cmd", syscall(SYS_reboot, 0xfee1dead, 672274793, 0x1234, 0) == -1 &&
	      errno == EINVAL, "reboot with an unknown command did not fail with EINVAL");
}

/* ---- host name ----------------------------------------------------- */

static int hostname_child(void)
{
	if (setresuid(1000, 1000, 1000))
		return 1;
	errno = 0;
	if (sethostname("mine", 4) != -1 || errno != EPERM)
		return 2;
	return 0;
}

/* sethostname as root shows in uname and gethostname; EPERM for others,
 * EINVAL past 64 bytes. The name the test found is put back. */
static void test_hostname(void)
{
	struct utsname u, was;
	char name[80], long_name[66];

	check("uname_nodename", uname(&was) == 0 && was.nodename[0], "uname failed");
	check("sethostname", sethostname("testhost.local", 14) == 0 && uname(&u) == 0 &&
	      !strcmp(u.nodename, "testhost.local") && gethostname(name, sizeof(name)) == 0 &&
	      !strcmp(name, "testhost.local"), "the new name does not show");
	check("sethostname_no_nul", sethostname("abcdef", 3) == 0 && uname(&u) == 0 &&
	      !strcmp(u.nodename, "abc"), "len bytes were not taken as the name");
	memset(long_name, 'h', sizeof(long_name));
	check("sethostname_64", sethostname(long_name, 64) == 0 && uname(&u) == 0 &&
	      strlen(u.nodename) == 64, "a 64-byte name was refused or cut");
	errno = 0;
	check("sethostname_einval", sethostname(long_name, 65) == -1 && errno == EINVAL &&
	      uname(&u) == 0 && strlen(u.nodename) == 64, "a 65-byte name was not EINVAL");
	errno = 0;
	check("sethostname_huge_einval", syscall(SYS_sethostname, long_name, -1L) == -1 &&
	      errno == EINVAL, "a negative length was not EINVAL");
	check("sethostname_eperm", in_child(hostname_child) == 0,
	      "uid 1000 could set the host name");
	check("sethostname_restore", sethostname(was.nodename, strlen(was.nodename)) == 0 &&
	      uname(&u) == 0 && !strcmp(u.nodename, was.nodename), "the old name did not come back");
}

/* ---- limits ------------------------------------------------------- */

static int nofile_child(void)
{
	struct rlimit rl = { 8, 8 };
	int fd, last = -1;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	for (int i = 0; i < 16; i++) {
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			break;
		last = fd;
	}
	if (last != 7 || errno != EMFILE)
		return 2;
	errno = 0;
	if (dup(0) != -1 || errno != EMFILE)
		return 3;
	/* Raising the hard limit back is root's privilege: we are root. */
	rl.rlim_cur = 64;
	rl.rlim_max = 4096;
	if (setrlimit(RLIMIT_NOFILE, &rl) || open("/dev/null", O_RDONLY) != 8)
		return 4;
	return 0;
}

static int nproc_child(void)
{
	struct rlimit rl = { 1, 2 };
	pid_t pid;

	if (setuid(1234))
		return 1;
	/* Only this process has uid 1234: a limit of 1 refuses any fork. */
	if (setrlimit(RLIMIT_NPROC, &rl))
		return 2;
	errno = 0;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid != -1 || errno != EAGAIN)
		return 3;
	rl.rlim_cur = 2;
	errno = 0;
	if (setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 10, 5000 }) != -1 || errno != EPERM)
		return 4;	/* non-root raising a hard limit */
	if (setrlimit(RLIMIT_NPROC, &rl))
		return 5;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return 6;
	waitpid(pid, NULL, 0);
	return 0;
}

static void test_rlimit(void)
{
	struct rlimit rl, old;

	check("rlimit_defaults", getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	      rl.rlim_cur == 1024 && rl.rlim_max == 4096 &&
	      getrlimit(RLIMIT_STACK, &old) == 0 && old.rlim_cur == 8 << 20 &&
	      old.rlim_max == RLIM_INFINITY, "NOFILE or STACK defaults differ from Linux");
	errno = 0;
	check("rlimit_einval_resource", getrlimit(99, &rl) == -1 && errno == EINVAL,
	      "getrlimit(99) did not fail with EINVAL");
	rl.rlim_cur = 100;
	rl.rlim_max = 50;
	errno = 0;
	check("rlimit_soft_above_hard", setrlimit(RLIMIT_CORE, &rl) == -1 && errno == EINVAL,
	      "soft above hard did not fail with EINVAL");
	rl.rlim_cur = 0;
	rl.rlim_max = RLIM_INFINITY;
	check("prlimit_self", prlimit(0, RLIMIT_CORE, &rl, &old) == 0 &&
	      old.rlim_cur == 0 && prlimit(getpid(), RLIMIT_CORE, NULL, &old) == 0,
	      "prlimit on ourselves failed");
	errno = 0;
	check("prlimit_esrch", prlimit(32767, RLIMIT_CORE, NULL, &old) == -1 &&
	      errno == ESRCH, "prlimit of a missing pid did not fail with ESRCH");
	check("rlimit_nofile_emfile", in_child(nofile_child) == 0,
	      "RLIMIT_NOFILE did not cap descriptors with EMFILE");
	check("rlimit_nproc_eagain", in_child(nproc_child) == 0,
	      "RLIMIT_NPROC did not refuse fork with EAGAIN for a non-root user");
}

/* ---- time, random, CPUs --------------------------------------------- */

static long long ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void test_time(void)
{
	struct timespec a, b, res;
	struct timeval tv;
	struct tms t;
	clock_t cpu0;
	char why[96];
	int mono_ok = 1;
	clock_t c0, c1;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 2000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (ts_ns(&b) < ts_ns(&a) || b.tv_nsec >= 1000000000)
			mono_ok = 0;
		a = b;
	}
	check("clock_monotonic_never_back", mono_ok, "CLOCK_MONOTONIC went backwards");
	check("clock_other_ids", clock_gettime(CLOCK_MONOTONIC_RAW, &a) == 0 &&
	      clock_gettime(CLOCK_BOOTTIME, &a) == 0 &&
	      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a) == 0 &&
	      clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_nsec > 0,
	      "MONOTONIC_RAW, BOOTTIME, PROCESS_CPUTIME or getres failed");
	errno = 0;
	check("clock_bad_id", clock_gettime(99, &a) == -1 && errno == EINVAL,
	      "clock 99 did not fail with EINVAL");
	clock_gettime(CLOCK_REALTIME, &a);
	check("clock_realtime_after_2020", a.tv_sec > 1577836800 && a.tv_sec < 4102444800LL,
	      "CLOCK_REALTIME not between 2020 and 2100");
	gettimeofday(&tv, NULL);
	check("gettimeofday_agrees", tv.tv_sec >= a.tv_sec && tv.tv_sec <= a.tv_sec + 2 &&
	      time(NULL) >= a.tv_sec, "gettimeofday/time disagree with CLOCK_REALTIME");
	errno = 0;
	check("clock_settime_mono_einval", clock_settime(CLOCK_MONOTONIC, &a) == -1 &&
	      errno == EINVAL, "setting CLOCK_MONOTONIC did not fail with EINVAL");

	c0 = times(&t);
	cpu0 = t.tms_utime + t.tms_stime;
	/* Burn CPU until 5 ticks of it are charged to us (10 s at most):
	 * a wall-clock budget failed when a loaded host starved the guest
	 * of timer ticks. Elapsed ticks can be no fewer. */
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		for (volatile int i = 0; i < 10000; i++)
			;
		c1 = times(&t);
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while (t.tms_utime + t.tms_stime - cpu0 < 5 && ts_ns(&b) - ts_ns(&a) < 10000000000);
	snprintf(why, sizeof(why), "%ld ticks of CPU time in %ld elapsed, %lld ms",
		 (long)(t.tms_utime + t.tms_stime - cpu0), (long)(c1 - c0),
		 (long long)((ts_ns(&b) - ts_ns(&a)) / 1000000));
	/* Each figure is rounded down to a tick on its own, so the two
	 * differences may disagree by a tick or two. */
	check("times", t.tms_utime + t.tms_stime - cpu0 >= 5 &&
	      c1 - c0 + 2 >= t.tms_utime + t.tms_stime - cpu0, why);
}

static void test_random_cpu(void)
{
	unsigned char a[64], b[64];
	cpu_set_t set;
	unsigned cpu = 99;

	check("getrandom", getrandom(a, sizeof(a), 0) == 64 &&
	      getrandom(b, sizeof(b), GRND_NONBLOCK | GRND_RANDOM) == 64 &&
	      memcmp(a, b, sizeof(a)) != 0, "getrandom failed or repeated itself");
	errno = 0;
	check("getrandom_bad_flags", getrandom(a, 8, 0x80) == -1 && errno == EINVAL,
	      "getrandom with unknown flags did not fail with EINVAL");
	CPU_ZERO(&set);
	check("sched_getaffinity", sched_getaffinity(0, sizeof(set), &set) == 0 &&
	      CPU_ISSET(0, &set) && CPU_COUNT(&set) == 1, "mask is not CPU 0 alone");
	errno = 0;
	check("sched_getaffinity_small", syscall(SYS_sched_getaffinity, 0, 4, &set) == -1 &&
	      errno == EINVAL, "a 4-byte mask did not fail with EINVAL");
	check("sched_setaffinity", sched_setaffinity(0, sizeof(set), &set) == 0,
	      "setting the mask {0} failed");
	check("getcpu", syscall(SYS_getcpu, &cpu, NULL, NULL) == 0 && cpu == 0,
	      "getcpu did not say CPU 0");
}

/* ---- -EFAULT on every pointer --------------------------------------- */

#define KADDR	0xffff800000000000ul	/* the direct map: kernel */
#define UNMAPPED 0x0000100000000000ul	/* user half, nothing there */

/* One call per row; the bad pointer replaces argument `bad`. */
struct fault_case {
	const char *name;
	long nr;
	long args[6];
	int bad;
};

static void test_efault(void)
{
	static char buf[256];
	long fd = open("/bin/hello", O_RDONLY), dfd = open("/", O_RDONLY | O_DIRECTORY);
	long wfd = open("/tmp/proctest.efault", O_RDWR | O_CREAT | O_TRUNC, 0600);
	const struct fault_case cases[] = {
		{ "open",		SYS_open,	{ 0, O_RDONLY }, 0 },
		{ "openat",		SYS_openat,	{ AT_FDCWD, 0, O_RDONLY }, 1 },
		{ "stat",		SYS_stat,	{ (long)"/", 0 }, 1 },
		{ "stat_path",		SYS_stat,	{ 0, (long)buf }, 0 },
		{ "lstat",		SYS_lstat,	{ (long)"/", 0 }, 1 },
		{ "fstat",		SYS_fstat,	{ fd, 0 }, 1 },
		{ "read",		SYS_read,	{ fd, 0, 64 }, 1 },
		{ "pread64",		SYS_pread64,	{ fd, 0, 64, 0 }, 1 },
		{ "write",		SYS_write,	{ wfd, 0, 64 }, 1 },
		{ "readv",		SYS_readv,	{ fd, 0, 1 }, 1 },
		{ "writev",		SYS_writev,	{ wfd, 0, 1 }, 1 },
		{ "access",		SYS_access,	{ 0, F_OK }, 0 },
		{ "getcwd",		SYS_getcwd,	{ 0, 256 }, 0 },
		{ "chdir",		SYS_chdir,	{ 0 }, 0 },
		{ "mkdir",		SYS_mkdir,	{ 0, 0755 }, 0 },
		{ "unlink",		SYS_unlink,	{ 0 }, 0 },
		{ "rename",		SYS_rename,	{ 0, (long)"/tmp/x" }, 0 },
		{ "readlink",		SYS_readlink,	{ 0, (long)buf, 64 }, 0 },
		{ "getdents64",		SYS_getdents64,	{ dfd, 0, 256 }, 1 },
		{ "execve",		SYS_execve,	{ 0, 0, 0 }, 0 },
		{ "execve_argv",	SYS_execve,	{ (long)"/bin/hello", 0, 0 }, 1 },
		{ "clock_gettime",	SYS_clock_gettime, { CLOCK_MONOTONIC, 0 }, 1 },
		{ "clock_getres",	SYS_clock_getres, { CLOCK_MONOTONIC, 0 }, 1 },
		{ "gettimeofday",	SYS_gettimeofday, { 0, 0 }, 0 },
		{ "time",		SYS_time,	{ 0 }, 0 },
		{ "times",		SYS_times,	{ 0 }, 0 },
		{ "nanosleep",		SYS_nanosleep,	{ 0, 0 }, 0 },
		{ "rt_sigaction",	SYS_rt_sigaction, { SIGUSR1, 0, 0, 8 }, 1 },
		{ "rt_sigaction_old",	SYS_rt_sigaction, { SIGUSR1, 0, 0, 8 }, 2 },
		{ "rt_sigprocmask",	SYS_rt_sigprocmask, { SIG_BLOCK, 0, 0, 8 }, 1 },
		{ "rt_sigpending",	SYS_rt_sigpending, { 0, 8 }, 0 },
		{ "sigaltstack",	SYS_sigaltstack, { 0, 0 }, 0 },
		{ "uname",		SYS_uname,	{ 0 }, 0 },
		{ "sethostname",	SYS_sethostname, { 0, 4 }, 0 },
		{ "pipe",		SYS_pipe,	{ 0 }, 0 },
		{ "getrlimit",		SYS_getrlimit,	{ RLIMIT_CORE, 0 }, 1 },
		{ "setrlimit",		SYS_setrlimit,	{ RLIMIT_CORE, 0 }, 1 },
		{ "prlimit64",		SYS_prlimit64,	{ 0, RLIMIT_CORE, 0, 0 }, 3 },
		{ "getresuid",		SYS_getresuid,	{ (long)buf, (long)buf, 0 }, 2 },
		{ "getresgid",		SYS_getresgid,	{ 0, (long)buf, (long)buf }, 0 },
		{ "getgroups",		SYS_getgroups,	{ 4, 0 }, 1 },
		{ "setgroups",		SYS_setgroups,	{ 1, 0 }, 1 },
		{ "sched_getaffinity",	SYS_sched_getaffinity, { 0, 8, 0 }, 2 },
		{ "getrandom",		SYS_getrandom,	{ 0, 16, 0 }, 0 },
		{ "sysinfo",		SYS_sysinfo,	{ 0 }, 0 },
		{ "arch_prctl",		SYS_arch_prctl,	{ 0x1003, 0 }, 1 },
		{ "getitimer",		SYS_getitimer,	{ ITIMER_REAL, 0 }, 1 },
		{ "setitimer",		SYS_setitimer,	{ ITIMER_REAL, 0, 0 }, 1 },
		{ "wait4_status",	SYS_wait4,	{ -1, 0, 0, 0 }, 1 },
	};
	const unsigned long bad[2] = { KADDR, UNMAPPED };
	int n = 0, surprises = 0;
	char line[160];
	gid_t one = 0;

	/* getgroups copies nothing (and so cannot fault) with no groups. */
	setgroups(1, &one);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fault_case *fc = &cases[i];

		for (int b = 0; b < 2; b++) {
			long a[6];
			long r;
			pid_t child = -1;

			memcpy(a, fc->args, sizeof(a));
			a[fc->bad] = (long)bad[b];
			/* wait4 needs a child to report; it exits at once. */
			if (fc->nr == SYS_wait4 && (child = fork()) == 0)
				_exit(0);
			if (fc->nr == SYS_wait4)
				usleep(10000);
			errno = 0;
			r = syscall(fc->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
			if (r == -1 && errno == ENOSYS)
				continue;	/* not there yet (pipe) */
			n++;
			if (r != -1 || errno != EFAULT) {
				surprises++;
				snprintf(line, sizeof(line), "%s with %#lx returned %ld",
					 fc->name, bad[b], r);
				check("efault_case", 0, line);
			}
			if (child > 0)
				waitpid(child, NULL, 0);
		}
	}
	close(fd);
	close(dfd);
	close(wfd);
	unlink("/tmp/proctest.efault");
	snprintf(line, sizeof(line), "efault_every_pointer: %d calls, %d surprises", n, surprises);
	check(line, surprises == 0, "some call did not return EFAULT");
}

int main(void)
{
	test_pgrp();
	test_orphan();
	test_cred();
	test_hostname();
	test_rlimit();
	test_time();
	test_random_cpu();
	test_efault();
	return failures ? 1 : 0;
}
