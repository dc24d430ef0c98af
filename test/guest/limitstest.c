/* Per-process limits under pressure, as a static musl program sees them:
 * a fork bomb as uid 1000 under RLIMIT_NPROC (every fork past the limit
 * fails with EAGAIN, the system keeps answering, and all of it is reaped),
 * root's exemption, stack growth bound by RLIMIT_STACK, RLIMIT_AS and
 * RLIMIT_MEMLOCK (a locked stack), and exec under a small RLIMIT_STACK. mmap and brk against RLIMIT_AS, DATA
 * and MEMLOCK are mprotecttest's. One "PASS/FAIL guest/<name>" line per
 * check, with the numbers measured. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"

#define PG		4096UL
#define BOMB_UID	1000
#define BOMB_LIMIT	50	/* RLIMIT_NPROC of the bomb's uid */
#define BOMB_TRIES	3	/* refused forks each bomb process waits for */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Whole text of a small file into buf (NUL-terminated): its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t len = 0, r;

	if (fd < 0)
		return -1;
	while (len < (ssize_t)size - 1 && (r = read(fd, buf + len, size - 1 - len)) > 0)
		len += r;
	close(fd);
	buf[len] = 0;
	return len;
}

/* Processes whose real uid is uid, from /proc/<pid>/status. */
static int count_uid(unsigned uid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300], buf[2048], *u;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		if (read_file(path, buf, sizeof(buf)) <= 0 || !(u = strstr(buf, "\nUid:")))
			continue;
		if (strtoul(u + 5, NULL, 10) == uid)
			n++;
	}
	closedir(d);
	return n;
}

/* ---- the fork bomb ------------------------------------------------------ */

/* Shared by every bomb process (MAP_SHARED anonymous memory). */
struct bomb {
	int forks;		/* successful forks */
	int refused;		/* forks that failed with EAGAIN */
	int other;		/* forks that failed otherwise */
	int settled;		/* processes done trying, waiting to be told */
};

static struct bomb *bomb;
static volatile sig_atomic_t bomb_stop;

static void on_usr1(int sig)
{
	(void)sig;
	bomb_stop = 1;
}

/*
 * One bomb process: fork until BOMB_TRIES forks have been refused (each
 * child does the same), then wait for SIGUSR1, reap every child and
 * exit. Nobody exits before the stop, so the count of processes only
 * grows, and every fork after it reached the limit is refused.
 */
static void bomb_run(void)
{
	sigset_t none;
	int refusals = 0;

	while (refusals < BOMB_TRIES) {
		pid_t pid = fork();

		if (pid == 0) {
			refusals = 0;
			continue;
		}
		if (pid > 0) {
			__atomic_add_fetch(&bomb->forks, 1, __ATOMIC_SEQ_CST);
		} else if (errno == EAGAIN) {
			__atomic_add_fetch(&bomb->refused, 1, __ATOMIC_SEQ_CST);
			refusals++;
		} else {
			__atomic_add_fetch(&bomb->other, 1, __ATOMIC_SEQ_CST);
			break;
		}
	}
	__atomic_add_fetch(&bomb->settled, 1, __ATOMIC_SEQ_CST);
	sigemptyset(&none);
	while (!bomb_stop)
		sigsuspend(&none);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

/* The bomb's first process: its own group, uid BOMB_UID, the limit. */
static void bomb_leader(void)
{
	struct rlimit rl = { BOMB_LIMIT, BOMB_LIMIT };
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);	/* until sigsuspend */
	sigaction(SIGUSR1, &sa, NULL);
	setpgid(0, 0);
	if (setrlimit(RLIMIT_NPROC, &rl) || setgid(BOMB_UID) || setuid(BOMB_UID))
		_exit(2);
	bomb_run();
}

/* While the bomb is at its peak: can root still start a process? */
static int system_answers(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(getppid() > 0 ? 7 : 1);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 7;
}

/* Fork as uid BOMB_UID with the same limit, the bomb gone: it works. */
static int nproc_recovered_child(void)
{
	struct rlimit rl = { BOMB_LIMIT, BOMB_LIMIT };
	int status;
	pid_t pid;

	if (setrlimit(RLIMIT_NPROC, &rl) || setuid(BOMB_UID))
		return 1;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 2;
	return 0;
}

static void test_fork_bomb(void)
{
	int peak = -1, settled = 0, answered = 0, status = 0, reaped = 0, left = -1;
	char line[160];
	pid_t leader;

	bomb = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (bomb == MAP_FAILED) {
		check("rlimit_nproc_fork_bomb", 0, "no shared page");
		return;
	}
	fflush(stdout);
	leader = fork();
	if (leader == 0)
		bomb_leader();
	if (leader < 0) {
		check("rlimit_nproc_fork_bomb", 0, "fork of the leader failed");
		return;
	}
	setpgid(leader, leader);
	/* Settled: every process counted is done trying, twice in a row (a
	 * child may settle before its parent has counted it). */
	for (int ms = 0, calm = 0; ms < 30000 && !settled; ms += 10) {
		int n = __atomic_load_n(&bomb->forks, __ATOMIC_SEQ_CST) + 1;

		calm = __atomic_load_n(&bomb->settled, __ATOMIC_SEQ_CST) == n ? calm + 1 : 0;
		settled = calm == 2;
		if (!settled)
			sleep_ms(10);
	}
	if (settled) {
		peak = count_uid(BOMB_UID);
		answered = system_answers();
	}
	/* Stop: each process reaps its children, so the leader is last. */
	kill(-leader, SIGUSR1);
	for (int ms = 0; ms < 20000 && !reaped; ms += 10) {
		reaped = waitpid(leader, &status, WNOHANG) == leader;
		if (!reaped)
			sleep_ms(10);
	}
	if (!reaped) {
		kill(-leader, SIGKILL);
		waitpid(leader, &status, 0);
	}
	left = count_uid(BOMB_UID);

	snprintf(line, sizeof(line),
		 "rlimit_nproc_fork_bomb: forks refused %d, processes at peak %d (limit %d)",
		 bomb->refused, peak, BOMB_LIMIT);
	check(line, settled && bomb->other == 0 && peak == BOMB_LIMIT &&
	      bomb->forks + 1 == BOMB_LIMIT && bomb->refused == BOMB_LIMIT * BOMB_TRIES,
	      !settled ? "the bomb did not settle within 30 s" :
	      bomb->other ? "a fork failed with another error than EAGAIN" :
	      "the number of processes is not the limit");
	check("fork_bomb_system_answers", answered, "root could not fork and reap a child "
	      "while the bomb was at its peak");
	check("fork_bomb_all_reaped", reaped && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	      left == 0, !reaped ? "the bomb did not end on SIGUSR1 within 20 s" :
	      "processes of the bomb's uid are left");
	check("rlimit_nproc_after_bomb", in_child(nproc_recovered_child) == 0,
	      "uid 1000 cannot fork once the bomb is gone");
	munmap(bomb, PG);
}

/* Root is exempt from RLIMIT_NPROC, as on Linux (CAP_SYS_RESOURCE). */
static int nproc_root_child(void)
{
	struct rlimit rl = { 1, 1 };
	int status;
	pid_t pid;

	if (setrlimit(RLIMIT_NPROC, &rl))
		return 1;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 2;
	return 0;
}

/* ---- stack growth ------------------------------------------------------- */

static sigjmp_buf grow_env;
static volatile uintptr_t grow_fault;
static char altstack[64 * 1024];

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	grow_fault = (uintptr_t)si->si_addr;
	siglongjmp(grow_env, 1);
}

/* The [stack] mapping's bounds from /proc/self/maps: 0 or -1. */
static int stack_bounds(uintptr_t *start, uintptr_t *end)
{
	static char buf[16384];
	char *l;

	if (read_file("/proc/self/maps", buf, sizeof(buf)) <= 0 || !(l = strstr(buf, "[stack]")))
		return -1;
	while (l > buf && l[-1] != '\n')
		l--;
	return sscanf(l, "%lx-%lx", start, end) == 2 ? 0 : -1;
}

/* A "Name:  <n> kB" field of /proc/self/status, or -1. */
static long status_kb(const char *field)
{
	char buf[4096], *at;

	if (read_file("/proc/self/status", buf, sizeof(buf)) <= 0 || !(at = strstr(buf, field)))
		return -1;
	return strtol(at + strlen(field), NULL, 10);
}

/*
 * Touch the pages below the stack one by one, up to max bytes, on the
 * handler's own stack: the bytes it grew by before the SIGSEGV, or -1
 * when none came. *fault gets the address it came for.
 */
static long grow_stack(long max, uintptr_t *fault)
{
	static uintptr_t start, end;
	static volatile long grown;
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };

	if (sigaltstack(&ss, NULL) || sigaction(SIGSEGV, &sa, NULL) || stack_bounds(&start, &end))
		return -2;
	grown = 0;
	if (sigsetjmp(grow_env, 1) == 0) {
		for (; grown < max; grown += PG)
			*(volatile char *)(start - grown - PG) = 1;
		return -1;
	}
	*fault = grow_fault;
	return grown;
}

/* RLIMIT_STACK 256 KiB: the stack grows to exactly that, then SIGSEGV
 * at the page below. Exit 0, or what went wrong. */
static int stack_limit_child(void)
{
	struct rlimit rl = { 256 << 10, RLIM_INFINITY };
	uintptr_t start, end, fault = 0;
	long grown;

	if (setrlimit(RLIMIT_STACK, &rl) || stack_bounds(&start, &end) ||
	    end - start > (256 << 10))
		return 1;
	grown = grow_stack(1 << 20, &fault);
	if (grown < 0)
		return grown == -1 ? 2 : 1;
	if (stack_bounds(&start, &end) || end - start != (256 << 10))
		return 3;
	if (fault != start - PG)
		return 4;
	printf("limits: RLIMIT_STACK 256 KiB: the stack grew by %ld KiB, then SIGSEGV\n",
	       grown >> 10);
	return 0;
}

/* RLIMIT_AS 64 KiB above what is mapped: the stack grows by exactly 16
 * pages. (Nothing may be mapped between the two steps.) */
static int stack_as_child(void)
{
	long vm = status_kb("VmSize:");
	struct rlimit rl = { (rlim_t)vm * 1024 + (64 << 10), RLIM_INFINITY };
	uintptr_t fault = 0;
	long grown;

	if (vm <= 0 || setrlimit(RLIMIT_AS, &rl))
		return 1;
	grown = grow_stack(1 << 20, &fault);
	if (grown < 0)
		return grown == -1 ? 2 : 1;
	if (grown != (64 << 10))
		return 3;
	return status_kb("VmSize:") == vm + 64 ? 0 : 4;
}

/* A locked stack as uid 1000 with RLIMIT_MEMLOCK 16 KiB above its size:
 * it grows by 4 pages, VmLck follows, and munlockall takes it all back. */
static int stack_memlock_child(void)
{
	uintptr_t start, end, fault = 0;
	struct rlimit rl;
	long grown;

	if (stack_bounds(&start, &end))
		return 1;
	rl.rlim_cur = rl.rlim_max = (end - start) + (16 << 10);
	if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(BOMB_UID) || setuid(BOMB_UID))
		return 1;
	if (mlock((void *)start, end - start) || status_kb("VmLck:") != (long)(end - start) >> 10)
		return 5;
	grown = grow_stack(1 << 20, &fault);
	if (grown < 0)
		return grown == -1 ? 2 : 1;
	if (grown != (16 << 10))
		return 3;
	if (status_kb("VmLck:") != (long)(end - start + grown) >> 10)
		return 4;
	if (munlockall() || status_kb("VmLck:") != 0)
		return 6;
	return 0;
}

/* exec under a small RLIMIT_STACK: the program starts, with the room
 * the limit allows (Linux caps the initial stack the same way). */
static int stack_small_exec_child(void)
{
	struct rlimit rl = { 64 << 10, RLIM_INFINITY };
	char *argv[] = { "hello", NULL };
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0 || setrlimit(RLIMIT_STACK, &rl) || dup2(fd, 1) != 1)
		return 1;
	execv("/bin/hello", argv);
	return 7;
}

static const char *stack_why(int r)
{
	switch (r) {
	case 1: return "setup failed";
	case 2: return "no SIGSEGV within 1 MiB of growth";
	case 3: return "the stack grew by the wrong amount";
	case 4: return "wrong fault address or accounting after the growth";
	case 5: return "mlock of the stack failed or VmLck is wrong";
	case 6: return "munlockall did not bring VmLck back to 0";
	default: return "the child died";
	}
}

static void test_stack_limits(void)
{
	int r;

	r = in_child(stack_limit_child);
	check("rlimit_stack_growth", r == 0, stack_why(r));
	r = in_child(stack_as_child);
	check("rlimit_as_stack_growth", r == 0, stack_why(r));
	r = in_child(stack_memlock_child);
	check("rlimit_memlock_stack_growth", r == 0, stack_why(r));
	r = in_child(stack_small_exec_child);
	check("rlimit_stack_small_exec", r == 0, r == 7 ? "exec failed under RLIMIT_STACK 64 KiB" :
	      "setup failed, or the program did not run");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check("rlimit_nproc_root_exempt", in_child(nproc_root_child) == 0,
	      "root with RLIMIT_NPROC 1 could not fork");
	test_fork_bomb();
	test_stack_limits();
	return failures ? 1 : 0;
}
