/* futex(2) from a static musl program, through the raw system call: the
 * errors, timeouts (relative and absolute), EINTR, private and shared
 * keys (a waiter woken by another process mapping the object at another
 * address; fork's copy-on-write memory staying private), wake counts,
 * requeue and bitsets; then what is built on it: four processes adding
 * to one counter under a lock of atomic instructions and under a futex
 * mutex, a sem_open semaphore across fork, and a process-shared pthread
 * mutex. One "PASS/FAIL guest/<name>" line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"

/* Linux's values (linux/futex.h), kept here so the test holds the
 * kernel to them. */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256

#define PG		4096
#define NPROC		4
#define ADDS		10000

/* The raw call; -1 and errno on failure, as syscall(2). */
static long futex(volatile uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts,
		  volatile uint32_t *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

/* The REQUEUE form: the fourth argument is a count, not a timeout. */
static long futex_requeue(volatile uint32_t *uaddr, int op, int nr_wake, long nr_requeue,
			  volatile uint32_t *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, nr_wake, nr_requeue, uaddr2, val3);
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct timespec ts_of(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ull),
				  .tv_nsec = (long)(ns % 1000000000ull) };
}

/* Wait for pid; its exit status, or -1 if it did not exit normally. */
static int wait_status(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* The state letter of /proc/<pid>/stat, or 0. */
static char proc_state(pid_t pid)
{
	char path[32], buf[256];
	long n;
	int fd;
	char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Yield until pid sleeps (in its futex wait: the children here sleep
 * nowhere else); 0 if it never did. */
static int wait_sleeping(pid_t pid)
{
	for (int i = 0; i < 200000; i++) {
		if (proc_state(pid) == 'S')
			return 1;
		sched_yield();
	}
	return 0;
}

/* fork, the child running fn(arg) and exiting with its value; an alarm
 * ends a child that would otherwise hang the suite. */
static pid_t spawn(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		alarm(20);
		_exit(fn(arg));
	}
	return pid;
}

/* Shared between the test and its children (MAP_SHARED|MAP_ANONYMOUS). */
struct shared {
	uint32_t word, word2;
	uint32_t lock;			/* the atomic-instruction lock */
	uint32_t fmutex;		/* the futex mutex */
	volatile long count;
	volatile long waits;		/* sleeps in the futex mutex */
	volatile long spins;		/* lock found taken, atomic lock */
	volatile uintptr_t child_addr;
	volatile int flag;
	pthread_mutex_t pmutex;
};

static struct shared *sh;

/* ---- errors ------------------------------------------------------------- */

static void test_errors(void)
{
	static uint32_t word = 1;
	struct timespec bad_ns = { 0, 1000000000 }, neg = { -1, 0 }, zero = { 0, 0 };
	char *none = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *noacc = mmap(0, PG, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile uint32_t *kernel = (uint32_t *)0xffff800000000000ull;
	volatile uint32_t *odd = (uint32_t *)((char *)&word + 1);

	munmap(none, PG);
	check("futex_wait_value_differs_private",
	      ERR(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0), EAGAIN),
	      "FUTEX_WAIT_PRIVATE on a word that differs was not EAGAIN");
	check("futex_wait_value_differs_shared", ERR(futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0), EAGAIN),
	      "FUTEX_WAIT on a word that differs was not EAGAIN");
	check("futex_wait_misaligned", ERR(futex(odd, FUTEX_WAIT, 0, NULL, NULL, 0), EINVAL),
	      "FUTEX_WAIT on a misaligned address was not EINVAL");
	check("futex_wake_misaligned",
	      ERR(futex(odd, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), EINVAL),
	      "FUTEX_WAKE on a misaligned address was not EINVAL");
	check("futex_wait_null", ERR(futex(NULL, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT),
	      "FUTEX_WAIT on NULL was not EFAULT");
	check("futex_wait_unmapped",
	      ERR(futex((uint32_t *)none, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0), EFAULT),
	      "FUTEX_WAIT on an unmapped page was not EFAULT");
	check("futex_wake_shared_unmapped",
	      ERR(futex((uint32_t *)none, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT),
	      "FUTEX_WAKE (shared) on an unmapped page was not EFAULT");
	/* A private key is the address alone; Linux does not look at the
	 * mapping, and nobody can be waiting there. */
	check("futex_wake_private_unmapped_none",
	      futex((uint32_t *)none, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0) == 0,
	      "FUTEX_WAKE_PRIVATE on an unmapped page did not return 0");
	check("futex_wake_kernel_address",
	      ERR(futex(kernel, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), EFAULT),
	      "FUTEX_WAKE_PRIVATE on a kernel address was not EFAULT");
	check("futex_wait_kernel_address", ERR(futex(kernel, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT),
	      "FUTEX_WAIT on a kernel address was not EFAULT");
	check("futex_shared_prot_none",
	      noacc != MAP_FAILED && ERR(futex(noacc, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT) &&
	      ERR(futex(noacc, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT),
	      "futex on a PROT_NONE page was not EFAULT");
	if (noacc != MAP_FAILED)
		munmap(noacc, PG);

	/* The timeout is checked before the word (word 1, val 0: EAGAIN
	 * if it were not, so a wrong kernel fails instead of sleeping). */
	check("futex_timeout_bad_nsec", ERR(futex(&word, FUTEX_WAIT, 0, &bad_ns, NULL, 0), EINVAL),
	      "tv_nsec of 1e9 was not EINVAL");
	check("futex_timeout_negative", ERR(futex(&word, FUTEX_WAIT, 0, &neg, NULL, 0), EINVAL),
	      "a negative timeout was not EINVAL");
	check("futex_timeout_efault",
	      ERR(futex(&word, FUTEX_WAIT, 0, (struct timespec *)8, NULL, 0), EFAULT),
	      "an unreadable timeout was not EFAULT");
	check("futex_timeout_zero", ERR(futex(&word, FUTEX_WAIT, 1, &zero, NULL, 0), ETIMEDOUT),
	      "a zero timeout did not time out at once");

	check("futex_unknown_op_enosys", ERR(futex(&word, 99, 0, NULL, NULL, 0), ENOSYS),
	      "op 99 was not ENOSYS");
	check("futex_fd_enosys", ERR(futex(&word, FUTEX_FD, 0, NULL, NULL, 0), ENOSYS),
	      "FUTEX_FD was not ENOSYS");
	check("futex_wake_op_enosys",
	      ERR(futex(&word, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, NULL, &word, 0), ENOSYS),
	      "FUTEX_WAKE_OP was not ENOSYS");
	check("futex_pi_enosys",
	      ERR(futex(&word, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0), ENOSYS) &&
	      ERR(futex(&word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0), ENOSYS),
	      "the PI ops were not ENOSYS");
	check("futex_realtime_flag_on_wake",
	      ERR(futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS),
	      "FUTEX_CLOCK_REALTIME on FUTEX_WAKE was not ENOSYS");
	check("futex_bitset_zero",
	      ERR(futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0), EINVAL) &&
	      ERR(futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL),
	      "a zero bitset was not EINVAL");
	check("futex_requeue_negative",
	      ERR(futex_requeue(&word, FUTEX_CMP_REQUEUE, -1, 1, &word, 1), EINVAL),
	      "a negative requeue count was not EINVAL");
	check("futex_cmp_requeue_differs",
	      ERR(futex_requeue(&word, FUTEX_CMP_REQUEUE, 1, 1, &word, 7), EAGAIN),
	      "FUTEX_CMP_REQUEUE with a stale value was not EAGAIN");
	check("futex_wake_nobody",
	      futex(&word, FUTEX_WAKE, 10, NULL, NULL, 0) == 0 &&
	      futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 0) == 0,
	      "FUTEX_WAKE with no waiters did not return 0");
}

/* ---- timeouts ------------------------------------------------------------- */

static void test_timeouts(void)
{
	static uint32_t word;
	struct timespec rel = ts_of(50000000), abs;
	uint64_t t0, t1, target;
	int ok;

	t0 = now_ns(CLOCK_MONOTONIC);
	ok = ERR(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &rel, NULL, 0), ETIMEDOUT);
	t1 = now_ns(CLOCK_MONOTONIC);
	check("futex_wait_timeout", ok && t1 - t0 >= 50000000,
	      "a 50 ms FUTEX_WAIT did not time out after at least 50 ms");
	rel = ts_of(20000000);
	t0 = now_ns(CLOCK_MONOTONIC);
	ok = ERR(futex(&word, FUTEX_WAIT, 0, &rel, NULL, 0), ETIMEDOUT);
	t1 = now_ns(CLOCK_MONOTONIC);
	check("futex_wait_timeout_shared_op", ok && t1 - t0 >= 20000000,
	      "a 20 ms FUTEX_WAIT (shared op) did not time out after at least 20 ms");

	target = now_ns(CLOCK_MONOTONIC) + 30000000;
	abs = ts_of(target);
	ok = ERR(futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &abs, NULL, ~0u), ETIMEDOUT);
	check("futex_wait_bitset_absolute_monotonic", ok && now_ns(CLOCK_MONOTONIC) >= target,
	      "FUTEX_WAIT_BITSET did not time out at its absolute monotonic deadline");
	abs = ts_of(1000);
	check("futex_wait_bitset_deadline_passed",
	      ERR(futex(&word, FUTEX_WAIT_BITSET, 0, &abs, NULL, ~0u), ETIMEDOUT),
	      "a deadline in the past did not time out at once");
	target = now_ns(CLOCK_REALTIME) + 30000000;
	abs = ts_of(target);
	ok = ERR(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME | FUTEX_PRIVATE_FLAG, 0,
		       &abs, NULL, ~0u), ETIMEDOUT);
	check("futex_wait_bitset_absolute_realtime", ok && now_ns(CLOCK_REALTIME) >= target,
	      "FUTEX_CLOCK_REALTIME did not time out at its wall-clock deadline");
}

/* ---- signals ------------------------------------------------------------- */

static void on_usr(int sig)
{
	(void)sig;
}

/* Wait on *w with op until a signal ends the wait: 0 if that is how it
 * ended (EINTR), 1 if anything else ended it (a wake that should not
 * have reached it). SIGUSR1 has a handler without SA_RESTART. */
static int wait_until_signal(volatile uint32_t *w, int op)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr;
	sigaction(SIGUSR1, &sa, NULL);
	return ERR(futex(w, op, 0, NULL, NULL, 0), EINTR) ? 0 : 1;
}

static int child_eintr(void *arg)
{
	(void)arg;
	return wait_until_signal(&sh->word, FUTEX_WAIT);
}

static int child_blocked(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return wait_until_signal(&sh->word2, FUTEX_WAIT);
}

/* Still asleep a while after something that must not wake it. */
static int stays_asleep(pid_t pid)
{
	for (int i = 0; i < 50; i++)
		sched_yield();
	return proc_state(pid) == 'S';
}

static void test_signals(void)
{
	pid_t pid;
	int ok;

	sh->word = 0;
	pid = spawn(child_eintr, NULL);
	check("futex_wait_eintr", wait_sleeping(pid) && kill(pid, SIGUSR1) == 0 &&
	      wait_status(pid) == 0, "a signal did not end FUTEX_WAIT with EINTR");
	sh->word2 = 0;
	pid = spawn(child_blocked, NULL);
	ok = wait_sleeping(pid) && kill(pid, SIGUSR2) == 0 && stays_asleep(pid);
	kill(pid, SIGUSR1);
	check("futex_blocked_signal_keeps_waiting", ok && wait_status(pid) == 0,
	      "a blocked signal ended FUTEX_WAIT");
}

/* ---- shared keys ------------------------------------------------------------ */

#define OBJ	"/futextest-obj"

/* Map the object again, by name, at another address and at another file
 * offset (page 1 at offset 0 of the new mapping), and wait on the word the
 * parent sees at page 1 + 8. */
static int child_other_address(void *arg)
{
	char *old = arg;
	int fd = shm_open(OBJ, O_RDWR, 0);
	char *pad, *m;

	munmap(old, 2 * PG);
	pad = mmap(0, 3 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m = fd < 0 ? MAP_FAILED : mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	if (m == MAP_FAILED || pad == MAP_FAILED)
		return 2;
	close(fd);
	sh->child_addr = (uintptr_t)(m + 8);
	return futex((uint32_t *)(m + 8), FUTEX_WAIT, 0, NULL, NULL, 0) == 0 ? 0 : 3;
}

static void test_other_address(void)
{
	int fd = shm_open(OBJ, O_RDWR | O_CREAT | O_EXCL, 0600);
	char *m = MAP_FAILED;
	volatile uint32_t *w;
	long r1 = -1, r2 = -1;
	pid_t pid;
	int slept;

	if (fd >= 0 && ftruncate(fd, 2 * PG) == 0)
		m = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd >= 0)
		close(fd);
	if (m == MAP_FAILED) {
		check("futex_shm_setup", 0, "could not map " OBJ);
		shm_unlink(OBJ);
		return;
	}
	w = (uint32_t *)(m + PG + 8);
	*w = 0;
	sh->child_addr = 0;
	pid = spawn(child_other_address, m);
	slept = wait_sleeping(pid);
	if (slept) {
		r1 = futex(w, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
		*w = 1;
		r2 = futex(w, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	check("futex_private_wake_misses_shared_waiter", slept && r1 == 0,
	      "FUTEX_WAKE_PRIVATE woke a FUTEX_WAIT of another process");
	check("futex_shared_wake_other_address",
	      slept && r2 == 1 && wait_status(pid) == 0 && sh->child_addr &&
	      sh->child_addr != (uintptr_t)w,
	      "a waiter mapping the object elsewhere was not woken");
	munmap(m, 2 * PG);
	shm_unlink(OBJ);
}

/* A waiter on a read-only MAP_SHARED mapping of a file (opened O_RDONLY)
 * still waits on the file's word. */
static int child_readonly(void *arg)
{
	int fd = open(arg, O_RDONLY);
	uint32_t *m = fd < 0 ? MAP_FAILED : mmap(0, PG, PROT_READ, MAP_SHARED, fd, 0);

	if (m == MAP_FAILED)
		return 2;
	close(fd);
	return futex(m + 3, FUTEX_WAIT, 0, NULL, NULL, 0) == 0 ? 0 : 3;
}

static void test_file_readonly(void)
{
	const char *path = "/tmp/futextest.file";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	uint32_t *m = MAP_FAILED;
	pid_t pid;
	long r = -1;

	if (fd >= 0 && ftruncate(fd, PG) == 0)
		m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd >= 0)
		close(fd);
	if (m == MAP_FAILED) {
		check("futex_file_setup", 0, "could not map the file");
		unlink(path);
		return;
	}
	pid = spawn(child_readonly, (void *)path);
	if (wait_sleeping(pid))
		r = futex(m + 3, FUTEX_WAKE, 1, NULL, NULL, 0);
	check("futex_shared_file_readonly_mapping", r == 1 && wait_status(pid) == 0,
	      "a waiter on a read-only shared file mapping was not woken");
	munmap(m, PG);
	unlink(path);
}

/* A key names the object, not the name or the address: a new object
 * under the old name is another word. */
static int child_wait_word0(void *arg)
{
	return futex(arg, FUTEX_WAIT, 0, NULL, NULL, 0) == 0 ? 0 : 3;
}

static void test_key_follows_object(void)
{
	int fd = shm_open(OBJ, O_RDWR | O_CREAT | O_EXCL, 0600), fd2 = -1;
	uint32_t *m1 = MAP_FAILED, *m2 = MAP_FAILED;
	long r1 = -1, r2 = -1;
	pid_t pid;

	if (fd >= 0 && ftruncate(fd, PG) == 0)
		m1 = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m1 == MAP_FAILED) {
		check("futex_key_setup", 0, "could not map " OBJ);
		goto out;
	}
	pid = spawn(child_wait_word0, m1);
	if (wait_sleeping(pid)) {
		shm_unlink(OBJ);
		fd2 = shm_open(OBJ, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd2 >= 0 && ftruncate(fd2, PG) == 0)
			m2 = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
		if (m2 != MAP_FAILED)
			r1 = futex(m2, FUTEX_WAKE, 1, NULL, NULL, 0);
		r2 = futex(m1, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	check("futex_key_follows_object", r1 == 0 && r2 == 1 && wait_status(pid) == 0,
	      "a wake on a new object of the same name reached the old object's waiter");
	if (m2 != MAP_FAILED)
		munmap(m2, PG);
	munmap(m1, PG);
out:
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
	shm_unlink(OBJ);
}

/* ---- private keys ----------------------------------------------------------- */

static uint32_t cow_word;

static int child_private(void *arg)
{
	return wait_until_signal(&cow_word, arg ? FUTEX_WAIT : FUTEX_WAIT | FUTEX_PRIVATE_FLAG);
}

/* Private memory that fork shares copy-on-write is private on both
 * sides: neither wake form from the parent reaches a child waiting with
 * either form; a signal then ends the children's waits. */
static void test_private_fork(void)
{
	long r1 = -1, r2 = -1;
	pid_t a, b;
	int slept, r3, r4;

	cow_word = 0;
	a = spawn(child_private, NULL);
	b = spawn(child_private, (void *)1);
	slept = wait_sleeping(a) && wait_sleeping(b);
	if (slept) {
		r1 = futex(&cow_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 0);
		r2 = futex(&cow_word, FUTEX_WAKE, 10, NULL, NULL, 0);
		slept = stays_asleep(a) && stays_asleep(b);
	}
	kill(a, SIGUSR1);
	kill(b, SIGUSR1);
	r3 = wait_status(a);
	r4 = wait_status(b);
	check("futex_fork_private_memory_private_key", slept && r1 == 0 && r2 == 0 && r3 == 0,
	      "a wake in the parent reached a child's FUTEX_WAIT_PRIVATE");
	check("futex_fork_private_memory_shared_op", slept && r1 == 0 && r2 == 0 && r4 == 0,
	      "a wake in the parent reached a child's FUTEX_WAIT on private memory");
}

/* ---- counts, requeue, bitsets ------------------------------------------------ */

static int child_wait_word(void *arg)
{
	struct timespec rel = ts_of(10000000000ull);

	return futex(arg, FUTEX_WAIT, 0, &rel, NULL, 0) == 0 ? 0 : 3;
}

static int all_sleeping(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		if (!wait_sleeping(pids[i]))
			return 0;
	return 1;
}

static int all_exit_zero(pid_t *pids, int n)
{
	int ok = 1;

	for (int i = 0; i < n; i++)
		ok &= wait_status(pids[i]) == 0;
	return ok;
}

/* Four waiters: a count of 0 wakes one (as Linux), then 2, then the
 * last, then nobody is left. */
static void test_wake_count(void)
{
	pid_t pids[4];
	long r0 = -1, r1 = -1, r2 = -1, r3 = -1;

	sh->word = 0;
	for (int i = 0; i < 4; i++)
		pids[i] = spawn(child_wait_word, &sh->word);
	if (all_sleeping(pids, 4)) {
		r0 = futex(&sh->word, FUTEX_WAKE, 0, NULL, NULL, 0);
		r1 = futex(&sh->word, FUTEX_WAKE, 2, NULL, NULL, 0);
		r2 = futex(&sh->word, FUTEX_WAKE, 10, NULL, NULL, 0);
		r3 = futex(&sh->word, FUTEX_WAKE, 10, NULL, NULL, 0);
	}
	check("futex_wake_count",
	      r0 == 1 && r1 == 2 && r2 == 1 && r3 == 0 && all_exit_zero(pids, 4),
	      "FUTEX_WAKE did not wake exactly as many as asked");
}

static void test_requeue(void)
{
	pid_t pids[3];
	long r0 = 0, r1 = -1, r2 = -1, r3 = -1, r4 = -1;
	int e0 = 0;

	sh->word = 0;
	sh->word2 = 0;
	for (int i = 0; i < 3; i++)
		pids[i] = spawn(child_wait_word, &sh->word);
	if (all_sleeping(pids, 3)) {
		r0 = futex_requeue(&sh->word, FUTEX_CMP_REQUEUE, 0, 2, &sh->word2, 5);
		e0 = errno;
		r1 = futex_requeue(&sh->word, FUTEX_CMP_REQUEUE, 1, 1, &sh->word2, 0);
		r2 = futex(&sh->word, FUTEX_WAKE, 10, NULL, NULL, 0);
		r3 = futex_requeue(&sh->word2, FUTEX_REQUEUE, 0, 10, &sh->word, 0);
		r4 = futex(&sh->word, FUTEX_WAKE, 10, NULL, NULL, 0);
	}
	check("futex_cmp_requeue_stale_value", r0 == -1 && e0 == EAGAIN,
	      "FUTEX_CMP_REQUEUE went ahead with a stale value");
	check("futex_cmp_requeue",
	      r1 == 2 && r2 == 1 && r3 == 1 && r4 == 1 && all_exit_zero(pids, 3),
	      "requeued waiters were not moved, counted or woken right");
}

static int child_bitset(void *arg)
{
	(void)arg;
	return futex(&sh->word, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0x1) == 0 ? 0 : 3;
}

static void test_bitset(void)
{
	long r1 = -1, r2 = -1;
	pid_t pid;

	sh->word = 0;
	pid = spawn(child_bitset, NULL);
	if (wait_sleeping(pid)) {
		r1 = futex(&sh->word, FUTEX_WAKE_BITSET, 10, NULL, NULL, 0x2);
		r2 = futex(&sh->word, FUTEX_WAKE_BITSET, 10, NULL, NULL, 0x3);
	}
	check("futex_wake_bitset", r1 == 0 && r2 == 1 && wait_status(pid) == 0,
	      "FUTEX_WAKE_BITSET did not honour the waiter's bitset");
}

/* ---- counters under locks ----------------------------------------------------- */

/* A test-and-set lock: atomic exchange, yielding while it is taken. */
static void atomic_lock(uint32_t *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE)) {
		__atomic_add_fetch(&sh->spins, 1, __ATOMIC_RELAXED);
		sched_yield();
	}
}

static void atomic_unlock(uint32_t *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/* A futex mutex: 0 free, 1 taken, 2 taken with (maybe) sleepers. Shared
 * ops, since the word is shared between processes. */
static void fmutex_lock(uint32_t *m)
{
	uint32_t c = 0;

	if (__atomic_compare_exchange_n(m, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		__atomic_add_fetch(&sh->waits, 1, __ATOMIC_RELAXED);
		futex(m, FUTEX_WAIT, 2, NULL, NULL, 0);
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	}
}

static void fmutex_unlock(uint32_t *m)
{
	if (__atomic_fetch_sub(m, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(m, 0, __ATOMIC_RELEASE);
		futex(m, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
}

enum lock_kind { LOCK_ATOMIC, LOCK_FUTEX, LOCK_PTHREAD, LOCK_SEM };

static sem_t *mutex_sem;

/* ADDS read-modify-writes of the counter, each under the lock; now and
 * then the holder yields between the read and the write, so a lock that
 * did not exclude would lose updates for certain. */
static int child_adder(void *arg)
{
	enum lock_kind kind = (enum lock_kind)(uintptr_t)arg;
	int adds = kind == LOCK_SEM ? ADDS / 2 : ADDS;

	for (int i = 0; i < adds; i++) {
		long v;

		switch (kind) {
		case LOCK_ATOMIC: atomic_lock(&sh->lock); break;
		case LOCK_FUTEX: fmutex_lock(&sh->fmutex); break;
		case LOCK_PTHREAD: if (pthread_mutex_lock(&sh->pmutex)) return 2; break;
		case LOCK_SEM: if (sem_wait(mutex_sem)) return 2; break;
		}
		v = sh->count;
		if (i % 500 == 0)
			sched_yield();
		sh->count = v + 1;
		switch (kind) {
		case LOCK_ATOMIC: atomic_unlock(&sh->lock); break;
		case LOCK_FUTEX: fmutex_unlock(&sh->fmutex); break;
		case LOCK_PTHREAD: pthread_mutex_unlock(&sh->pmutex); break;
		case LOCK_SEM: sem_post(mutex_sem); break;
		}
	}
	return 0;
}

/* NPROC adders; 1 if every one exited 0 and the total is exact. */
static int run_adders(enum lock_kind kind, long total)
{
	pid_t pids[NPROC];

	sh->count = 0;
	for (int i = 0; i < NPROC; i++)
		pids[i] = spawn(child_adder, (void *)(uintptr_t)kind);
	return all_exit_zero(pids, NPROC) && sh->count == total;
}

static void test_counters(void)
{
	char msg[96];
	int ok;

	sh->lock = 0;
	sh->spins = 0;
	ok = run_adders(LOCK_ATOMIC, NPROC * ADDS);
	snprintf(msg, sizeof(msg), "total %ld, not %d", sh->count, NPROC * ADDS);
	check("counter_atomic_lock_40000", ok, msg);
	sh->fmutex = 0;
	sh->waits = 0;
	ok = run_adders(LOCK_FUTEX, NPROC * ADDS);
	snprintf(msg, sizeof(msg), "total %ld, not %d", sh->count, NPROC * ADDS);
	check("counter_futex_mutex_40000", ok, msg);
	check("counter_futex_mutex_slept", sh->waits > 0 && sh->fmutex == 0,
	      "the futex mutex never slept in FUTEX_WAIT, or was left taken");
	printf("info: atomic lock found taken %ld times; futex mutex slept %ld times\n",
	       sh->spins, sh->waits);
}

/* ---- sem_open ------------------------------------------------------------------ */

#define SEM	"/futextest-sem"
#define SEMMX	"/futextest-mutex"

static int child_sem_wait(void *arg)
{
	sem_t *s = sem_open(SEM, 0);

	(void)arg;
	if (s == SEM_FAILED)
		return 2;
	if (sem_wait(s))
		return 3;
	__atomic_add_fetch(&sh->count, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void test_sem_open(void)
{
	struct timespec abs;
	struct stat st;
	sem_t *s;
	pid_t pids[3];
	uint64_t target;
	int ok, v = -1;

	sem_unlink(SEM);
	sem_unlink(SEMMX);
	s = sem_open(SEM, O_CREAT | O_EXCL, 0600, 0);
	check("sem_open_create", s != SEM_FAILED, "sem_open O_CREAT|O_EXCL failed");
	if (s == SEM_FAILED)
		return;
	check("sem_open_in_dev_shm", stat("/dev/shm" SEM, &st) == 0 && S_ISREG(st.st_mode),
	      "the semaphore is not in /dev/shm");
	check("sem_open_excl_exists", (errno = 0, sem_open(SEM, O_CREAT | O_EXCL, 0600, 0)) ==
	      SEM_FAILED && errno == EEXIST, "O_CREAT|O_EXCL of an existing semaphore");
	check("sem_open_missing", (errno = 0, sem_open("/futextest-none", 0)) == SEM_FAILED &&
	      errno == ENOENT, "opening a missing semaphore was not ENOENT");

	sh->count = 0;
	for (int i = 0; i < 3; i++)
		pids[i] = spawn(child_sem_wait, NULL);
	ok = all_sleeping(pids, 3) && sh->count == 0;
	for (int i = 0; i < 3; i++)
		sem_post(s);
	ok = all_exit_zero(pids, 3) && ok;
	check("sem_open_across_fork", ok && sh->count == 3 && sem_getvalue(s, &v) == 0 && v == 0,
	      "processes blocked in sem_wait were not released one per sem_post");

	target = now_ns(CLOCK_REALTIME) + 30000000;
	abs = ts_of(target);
	check("sem_timedwait_timeout", ERR(sem_timedwait(s, &abs), ETIMEDOUT) &&
	      now_ns(CLOCK_REALTIME) >= target, "sem_timedwait did not time out");

	mutex_sem = sem_open(SEMMX, O_CREAT | O_EXCL, 0600, 1);
	if (mutex_sem == SEM_FAILED) {
		check("sem_open_mutex", 0, "sem_open of the mutex semaphore failed");
	} else {
		ok = run_adders(LOCK_SEM, NPROC * ADDS / 2);
		check("counter_sem_open_mutex_20000", ok, "the total under a semaphore is wrong");
		sem_close(mutex_sem);
		sem_unlink(SEMMX);
	}
	sem_close(s);
	check("sem_unlink", sem_unlink(SEM) == 0 && stat("/dev/shm" SEM, &st) < 0,
	      "sem_unlink did not remove the name");
}

/* ---- process-shared pthread mutex ------------------------------------------------- */

static int child_trylock(void *arg)
{
	(void)arg;
	return pthread_mutex_trylock(&sh->pmutex) == EBUSY ? 0 : 1;
}

static int child_lock_handoff(void *arg)
{
	(void)arg;
	if (pthread_mutex_lock(&sh->pmutex))
		return 2;
	if (sh->flag != 42)
		return 3;
	pthread_mutex_unlock(&sh->pmutex);
	return 0;
}

static void test_pshared_mutex(void)
{
	pthread_mutexattr_t a;
	pid_t pid;
	int ok;

	if (pthread_mutexattr_init(&a) || pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) ||
	    pthread_mutex_init(&sh->pmutex, &a)) {
		check("pshared_mutex_init", 0, "could not make a process-shared mutex");
		return;
	}
	pthread_mutexattr_destroy(&a);
	pthread_mutex_lock(&sh->pmutex);
	pid = spawn(child_trylock, NULL);
	check("pshared_mutex_trylock_busy", wait_status(pid) == 0,
	      "trylock in another process did not see the mutex taken");
	sh->flag = 0;
	pid = spawn(child_lock_handoff, NULL);
	ok = wait_sleeping(pid);
	sh->flag = 42;
	pthread_mutex_unlock(&sh->pmutex);
	check("pshared_mutex_blocks_and_wakes", ok && wait_status(pid) == 0,
	      "a process blocked on the mutex was not woken by the unlock");
	ok = run_adders(LOCK_PTHREAD, NPROC * ADDS);
	check("counter_pshared_mutex_40000", ok, "the total under the pthread mutex is wrong");
	pthread_mutex_destroy(&sh->pmutex);
}

/* ---- costs (reported, never asserted) ------------------------------------------------ */

#define WAKES	10000
#define PINGS	500

static int child_pong(void *arg)
{
	(void)arg;
	for (int i = 0; i < PINGS; i++) {
		while (__atomic_load_n(&sh->word, __ATOMIC_ACQUIRE) != 1)
			futex(&sh->word, FUTEX_WAIT, 0, NULL, NULL, 0);
		__atomic_store_n(&sh->word, 0, __ATOMIC_RELEASE);
		futex(&sh->word, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	return 0;
}

static void measure(void)
{
	uint64_t t0, t1, t2;
	pid_t pid;

	t0 = now_ns(CLOCK_MONOTONIC);
	for (int i = 0; i < WAKES; i++)
		futex(&sh->word2, FUTEX_WAKE, 1, NULL, NULL, 0);
	t1 = now_ns(CLOCK_MONOTONIC);
	sh->word = 0;
	pid = spawn(child_pong, NULL);
	for (int i = 0; i < PINGS; i++) {
		__atomic_store_n(&sh->word, 1, __ATOMIC_RELEASE);
		futex(&sh->word, FUTEX_WAKE, 1, NULL, NULL, 0);
		while (__atomic_load_n(&sh->word, __ATOMIC_ACQUIRE) != 0)
			futex(&sh->word, FUTEX_WAIT, 1, NULL, NULL, 0);
	}
	t2 = now_ns(CLOCK_MONOTONIC);
	check("futex_ping_pong", wait_status(pid) == 0, "the ping-pong partner failed");
	printf("info: FUTEX_WAKE (shared, nobody waiting) %lu ns per call; "
	       "futex ping-pong %lu ns per round trip\n",
	       (unsigned long)((t1 - t0) / WAKES), (unsigned long)((t2 - t1) / PINGS));
}

int main(void)
{
	sh = mmap(0, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		check("futex_setup", 0, "no shared memory");
		return 1;
	}
	test_errors();
	test_timeouts();
	test_signals();
	test_other_address();
	test_file_readonly();
	test_key_follows_object();
	test_private_fork();
	test_wake_count();
	test_requeue();
	test_bitset();
	test_counters();
	test_sem_open();
	test_pshared_mutex();
	measure();
	munmap(sh, sizeof(*sh));
	return failures ? 1 : 0;
}
