/* bench: cycles per operation of the memory calls, for `make bench`. One
 * static musl binary, booted as init (pid 1) on our kernel and on Debian's
 * Linux under the same QEMU; test/bench/run-bench.sh does the boots and
 * compares. It refuses to run as anything but pid 1, so it never touches
 * the host.
 *
 * Output, one line each: "BENCH <op> <cycles>" (median over batches of
 * cycles per operation, rdtsc between lfences), "BENCH <op> n/a <why>"
 * when a call the op needs fails, and "BENCHX <key> <value...>" for the
 * extras. The kernel command line word bench=ops|extras|ok picks the run
 * (ops when absent): ops times the table below, extras measures memory
 * per idle process and how many live processes fit, ok only says "ok"
 * (the smallest -m probe). A new op is one function and one table entry. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE		4096L
#define MAX_BATCHES	32
#define WHY_LEN		96

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* Unbuffered output: the serial console is all there is, and a line must
 * be out before the next op could hang or the machine powers off. */
static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0 && write(1, buf, n) < 0)
		return;
}

static const char *errname(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ ENOSYS, "ENOSYS" }, { ENOMEM, "ENOMEM" }, { EINVAL, "EINVAL" },
		{ EPERM, "EPERM" }, { EACCES, "EACCES" }, { ENOENT, "ENOENT" },
		{ EAGAIN, "EAGAIN" }, { EFAULT, "EFAULT" }, { ENOSPC, "ENOSPC" },
		{ EEXIST, "EEXIST" }, { EBADF, "EBADF" }, { EIO, "EIO" },
		{ EMFILE, "EMFILE" }, { ENFILE, "ENFILE" }, { EBUSY, "EBUSY" },
	};
	static char other[24];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* A small deterministic generator, so both kernels see the same pages. */
static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void touch_write(char *p, long bytes)
{
	for (long off = 0; off < bytes; off += PAGE)
		((volatile char *)p)[off] = 1;
}

/* ---- the operations --------------------------------------------------------
 * Each batch function does op->per_batch operations and returns the cycles
 * they took (setup it must repeat is left outside the timed part), or
 * -errno, with why filled when there is more to say than the errno. */

struct op;
typedef int64_t (*batch_fn)(const struct op *op, char *why);

struct op {
	const char *name;
	batch_fn batch;
	int (*prepare)(const struct op *op, char *why);	/* once before; may be NULL */
	void (*finish)(const struct op *op);		/* once after; may be NULL */
	long arg;		/* the op's size: bytes, or a VMA count */
	int per_batch;		/* operations per batch */
	int batches;		/* batches timed, after one untimed warm-up */
};

static int64_t null_syscall(const struct op *op, char *why)
{
	uint64_t t0 = tsc();

	(void)why;
	for (int i = 0; i < op->per_batch; i++)
		getppid();
	return tsc() - t0;
}

static int64_t mmap_munmap(const struct op *op, char *why)
{
	uint64_t t0 = tsc();

	(void)why;
	for (int i = 0; i < op->per_batch; i++) {
		void *p = mmap(NULL, op->arg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		if (munmap(p, op->arg))
			return -errno;
	}
	return tsc() - t0;
}

/*
 * The same mmap+munmap with this kernel's audit trail recording (its own
 * prctl, include/uapi/prctl.h); against mmap_munmap_4k, what auditing
 * costs, and that it costs nothing when off. Linux has no such switch:
 * there the op is n/a.
 */
#define BENCH_PR_SET_AUDIT	0x4b4e0003
#define BENCH_PR_CLEAR_AUDIT	0x4b4e0005

static int audit_prepare(const struct op *op, char *why)
{
	(void)op;
	if (syscall(SYS_prctl, BENCH_PR_SET_AUDIT, 1, 0, 0, 0)) {
		snprintf(why, WHY_LEN, "no audit trail (%s)", errname(errno));
		return -errno;
	}
	return 0;
}

static void audit_finish(const struct op *op)
{
	(void)op;
	syscall(SYS_prctl, BENCH_PR_SET_AUDIT, 0, 0, 0, 0);
	syscall(SYS_prctl, BENCH_PR_CLEAR_AUDIT, 0, 0, 0, 0);
}

/* Write to each page of a fresh anonymous mapping: per_batch pages. */
static int64_t first_touch(const struct op *op, char *why)
{
	long bytes = op->per_batch * PAGE;
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, t1;

	(void)why;
	if (p == MAP_FAILED)
		return -errno;
	t0 = tsc();
	touch_write(p, bytes);
	t1 = tsc();
	munmap(p, bytes);
	return t1 - t0;
}

/* The resident region fork and COW work on: op->arg bytes, all written. */
static char *resident;
static long resident_bytes;

static int resident_prepare(const struct op *op, char *why)
{
	(void)why;
	resident = mmap(NULL, op->arg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (resident == MAP_FAILED) {
		resident = NULL;
		return -errno;
	}
	resident_bytes = op->arg;
	touch_write(resident, op->arg);
	return 0;
}

static void resident_finish(const struct op *op)
{
	(void)op;
	if (resident)
		munmap(resident, resident_bytes);
	resident = NULL;
}

/* fork, the child exits at once, the parent waits: per_batch times. */
static int64_t fork_exit_wait(const struct op *op, char *why)
{
	uint64_t t0 = tsc();

	(void)why;
	for (int i = 0; i < op->per_batch; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return -errno;
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			return -errno;
	}
	return tsc() - t0;
}

/* With a child holding the resident region (blocked on a pipe), write to
 * per_batch of its pages: each write copies a page. */
static int64_t cow_fault(const struct op *op, char *why)
{
	int fds[2], status;
	uint64_t t0, t1;
	pid_t pid;
	char c;

	(void)why;
	if (op->per_batch * PAGE > resident_bytes)
		return -EINVAL;
	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	if (pid == 0) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) < 0);
	}
	close(fds[0]);
	t0 = tsc();
	touch_write(resident, op->per_batch * PAGE);
	t1 = tsc();
	close(fds[1]);
	waitpid(pid, &status, 0);
	return t1 - t0;
}

/* Three pages, all written; mprotect the middle one read-only (one VMA
 * becomes three) and back (three merge into one). Each op times only its
 * own half of the pair. */
static char *trio;

static int trio_prepare(const struct op *op, char *why)
{
	(void)op;
	(void)why;
	trio = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (trio == MAP_FAILED) {
		trio = NULL;
		return -errno;
	}
	touch_write(trio, 3 * PAGE);
	return 0;
}

static void trio_finish(const struct op *op)
{
	(void)op;
	if (trio)
		munmap(trio, 3 * PAGE);
	trio = NULL;
}

static int64_t mprotect_split_merge(const struct op *op, char *why)
{
	uint64_t spent = 0;
	bool split = op->arg == 0;

	(void)why;
	for (int i = 0; i < op->per_batch; i++) {
		uint64_t t0 = tsc(), t1;

		if (mprotect(trio + PAGE, PAGE, PROT_READ))
			return -errno;
		t1 = tsc();
		if (mprotect(trio + PAGE, PAGE, PROT_READ | PROT_WRITE))
			return -errno;
		spent += split ? t1 - t0 : tsc() - t1;
	}
	return spent;
}

/* ---- address spaces of many VMAs ----
 * A region of n pages whose odd pages are read-only: about n VMAs, the
 * even ones single read-write pages. Built once per n and shared by the
 * ops that name the same n (mprotect first: it wants untouched pages).
 * The first page of every 2 MiB is written when the world is built, so
 * every page table exists: a fault then costs the same whether the region
 * spans 4 MiB or 400 MiB, and what grows with n is the VMA work. */
#define PT_PAGES	512	/* pages one page table maps */

static struct { long n; char *base; } world;

static void world_free(void)
{
	if (world.base)
		munmap(world.base, world.n * PAGE);
	world.base = NULL;
	world.n = 0;
}

static int world_build(const struct op *op, char *why)
{
	long n = op->arg;
	char *base;

	if (world.n == n)
		return 0;
	world_free();
	base = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	for (long i = 1; i < n; i += 2) {
		if (mprotect(base + i * PAGE, PAGE, PROT_READ)) {
			int e = errno;
			snprintf(why, WHY_LEN, "reached %ld of %ld VMAs: %s", i, n, errname(e));
			munmap(base, n * PAGE);
			return -e;
		}
	}
	for (long i = 0; i < n; i += PT_PAGES)
		base[i * PAGE] = 1;
	world.n = n;
	world.base = base;
	return 0;
}

/* A read-write page: the even page number k picks. */
static char *world_rw_page(long k)
{
	return world.base + 2 * (k % (world.n / 2)) * PAGE;
}

/* mprotect a random read-write page read-only (three VMAs merge) and back
 * (one splits into three); per_batch counts calls. */
static int64_t vma_mprotect(const struct op *op, char *why)
{
	uint64_t spent = 0;

	(void)why;
	for (int i = 0; i < op->per_batch; i += 2) {
		char *p = world_rw_page(rng());
		uint64_t t0 = tsc();

		if (mprotect(p, PAGE, PROT_READ))
			return -errno;
		if (mprotect(p, PAGE, PROT_READ | PROT_WRITE))
			return -errno;
		spent += tsc() - t0;
	}
	return spent;
}

/* First write to read-write pages never touched before, spread over the
 * region: the k-th candidate is read-write page k*7919 mod (n/2), distinct
 * for k < n/2 (7919 is prime and n/2 has only the factors 2 and 5 here);
 * the pages world_build wrote are skipped. */
static long world_faults;

static int64_t vma_fault(const struct op *op, char *why)
{
	uint64_t spent = 0;

	if (world_faults + op->per_batch + world.n / PT_PAGES + 1 > world.n / 2) {
		snprintf(why, WHY_LEN, "ran out of untouched pages");
		return -EINVAL;
	}
	for (int i = 0; i < op->per_batch; i++) {
		long k = world_faults++ * 7919 % (world.n / 2);
		volatile char *p;
		uint64_t t0;

		if (2 * k % PT_PAGES == 0) {
			i--;
			continue;
		}
		p = world_rw_page(k);
		t0 = tsc();
		*p = 1;
		spent += tsc() - t0;
	}
	return spent;
}

static int vma_fault_prepare(const struct op *op, char *why)
{
	world_faults = 0;
	return world_build(op, why);
}

static int64_t sysv_shm_cycle(const struct op *op, char *why)
{
	uint64_t t0 = tsc();

	(void)why;
	for (int i = 0; i < op->per_batch; i++) {
		int id = shmget(IPC_PRIVATE, op->arg, IPC_CREAT | 0600);
		void *p;

		if (id < 0)
			return -errno;
		p = shmat(id, NULL, 0);
		if (p == (void *)-1) {
			int e = errno;
			shmctl(id, IPC_RMID, NULL);
			return -e;
		}
		if (shmdt(p) || shmctl(id, IPC_RMID, NULL))
			return -errno;
	}
	return tsc() - t0;
}

static int64_t posix_shm_cycle(const struct op *op, char *why)
{
	uint64_t t0 = tsc();

	(void)why;
	for (int i = 0; i < op->per_batch; i++) {
		int fd = shm_open("/bench", O_RDWR | O_CREAT | O_EXCL, 0600);
		void *p;

		if (fd < 0)
			return -errno;
		if (ftruncate(fd, op->arg)) {
			int e = errno;
			close(fd);
			shm_unlink("/bench");
			return -e;
		}
		p = mmap(NULL, op->arg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (p == MAP_FAILED) {
			int e = errno;
			shm_unlink("/bench");
			return -e;
		}
		if (munmap(p, op->arg) || shm_unlink("/bench"))
			return -errno;
	}
	return tsc() - t0;
}

/* A tmpfs file of per_batch pages, written with write(2); each batch maps
 * it privately read-only and reads one byte of each page. */
#define FILE_PATH "/tmp/bench.data"

static int file_prepare(const struct op *op, char *why)
{
	char page[PAGE];
	int fd;

	(void)why;
	memset(page, 'x', sizeof(page));
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -errno;
	for (int i = 0; i < op->per_batch; i++) {
		if (write(fd, page, PAGE) != PAGE) {
			int e = errno ? errno : ENOSPC;
			close(fd);
			return -e;
		}
	}
	close(fd);
	return 0;
}

static void file_finish(const struct op *op)
{
	(void)op;
	unlink(FILE_PATH);
}

static int64_t file_read_touch(const struct op *op, char *why)
{
	long bytes = op->per_batch * PAGE;
	int fd = open(FILE_PATH, O_RDONLY);
	volatile char *p;
	uint64_t t0, t1;
	char sum = 0;

	(void)why;
	if (fd < 0)
		return -errno;
	p = mmap(NULL, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	t0 = tsc();
	for (long off = 0; off < bytes; off += PAGE)
		sum += p[off];
	t1 = tsc();
	munmap((void *)p, bytes);
	if (sum != (char)('x' * op->per_batch))
		return -EIO;
	return t1 - t0;
}

#define MiB (1024L * 1024)

/* The table: name, batch, prepare, finish, arg, per batch, batches. Names
 * are what run-bench.sh prints; keep them one word. */
static const struct op ops[] = {
	{ "null_syscall",	null_syscall,	NULL, NULL, 0, 2000, 15 },
	{ "mmap_munmap_4k",	mmap_munmap,	NULL, NULL, PAGE, 200, 15 },
	{ "mmap_munmap_4k_audited", mmap_munmap, audit_prepare, audit_finish, PAGE, 200, 15 },
	{ "first_touch_page",	first_touch,	NULL, NULL, 0, 256, 15 },
	{ "fork_exit_wait_1m",	fork_exit_wait,	resident_prepare, resident_finish, 1 * MiB, 2, 11 },
	{ "fork_exit_wait_4m",	fork_exit_wait,	resident_prepare, resident_finish, 4 * MiB, 2, 7 },
	{ "fork_exit_wait_16m",	fork_exit_wait,	resident_prepare, resident_finish, 16 * MiB, 1, 7 },
	{ "fork_exit_wait_64m",	fork_exit_wait,	resident_prepare, resident_finish, 64 * MiB, 1, 7 },
	{ "cow_fault_page",	cow_fault,	resident_prepare, resident_finish, 1 * MiB, 256, 11 },
	{ "mprotect_split",	mprotect_split_merge, trio_prepare, trio_finish, 0, 100, 15 },
	{ "mprotect_merge",	mprotect_split_merge, trio_prepare, trio_finish, 1, 100, 15 },
	{ "mprotect_vmas_1000",	vma_mprotect,	world_build, NULL, 1000, 100, 15 },
	{ "fault_vmas_1000",	vma_fault,	vma_fault_prepare, NULL, 1000, 25, 15 },
	{ "mprotect_vmas_10000", vma_mprotect,	world_build, NULL, 10000, 100, 15 },
	{ "fault_vmas_10000",	vma_fault,	vma_fault_prepare, NULL, 10000, 25, 15 },
	{ "mprotect_vmas_100000", vma_mprotect,	world_build, NULL, 100000, 100, 15 },
	{ "fault_vmas_100000",	vma_fault,	vma_fault_prepare, NULL, 100000, 25, 15 },
	{ "sysv_shm_cycle",	sysv_shm_cycle,	NULL, NULL, PAGE, 50, 15 },
	{ "posix_shm_cycle",	posix_shm_cycle, NULL, NULL, PAGE, 50, 15 },
	{ "file_read_touch_page", file_read_touch, file_prepare, file_finish, 0, 256, 15 },
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void run_op(const struct op *op)
{
	int64_t samples[MAX_BATCHES], c = 0;
	char why[WHY_LEN] = "";
	int err = op->prepare ? op->prepare(op, why) : 0;
	bool prepared = !err;

	if (!err)
		c = op->batch(op, why);	/* warm-up: first-use costs stay out */
	for (int i = 0; !err && c >= 0 && i < op->batches && i < MAX_BATCHES; i++) {
		c = op->batch(op, why);
		samples[i] = c;
	}
	if (!err && c < 0)
		err = (int)c;
	if (op->finish && prepared)
		op->finish(op);
	if (err) {
		say("BENCH %s n/a %s\n", op->name, why[0] ? why : errname(-err));
		return;
	}
	qsort(samples, op->batches, sizeof(samples[0]), cmp_i64);
	say("BENCH %s %lld\n", op->name,
	    (long long)((samples[op->batches / 2] + op->per_batch / 2) / op->per_batch));
}

/* ---- extras: memory per idle process, how many live processes fit ---- */

static long memfree_kib(void)
{
	char buf[512];
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n;
	char *s;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	s = strstr(buf, "MemFree:");
	return s ? strtol(s + 8, NULL, 10) : -1;
}

static pid_t kids[10000];

/* Fork up to want children that each report on a pipe and then pause;
 * returns how many are alive, with the errno of the failed fork in *err. */
static int spawn_idle(int want, int *err)
{
	int fds[2], n;
	char c;

	*err = 0;
	if (pipe(fds)) {
		*err = errno;
		return 0;
	}
	for (n = 0; n < want; n++) {
		pid_t pid = fork();

		if (pid < 0) {
			*err = errno;
			break;
		}
		if (pid == 0) {
			close(fds[0]);
			if (write(fds[1], "", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		kids[n] = pid;
		if (read(fds[0], &c, 1) != 1) {
			*err = errno ? errno : EIO;
			n++;
			break;
		}
	}
	close(fds[0]);
	close(fds[1]);
	return n;
}

static void reap_all(int n)
{
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
}

static void extras(void)
{
	long before, after;
	int n, err;

	before = memfree_kib();
	n = spawn_idle(1000, &err);
	after = memfree_kib();
	if (n == 1000 && before > 0 && after > 0)
		say("BENCHX idle_proc_kib %.1f\n", (double)(before - after) / n);
	else
		say("BENCHX idle_proc_kib n/a spawned %d of 1000: %s\n", n, errname(err));
	reap_all(n);

	before = memfree_kib();
	n = spawn_idle(10000, &err);
	after = memfree_kib();
	if (n == 10000)
		say("BENCHX procs_10000 yes %d of 10000, MemFree %ld of %ld KiB before\n",
		    n, after, before);
	else
		say("BENCHX procs_10000 no %d of 10000: %s, MemFree %ld of %ld KiB before\n",
		    n, errname(err), after, before);
	reap_all(n);
	say("BENCHX memfree_after_reap_kib %ld of %ld\n", memfree_kib(), before);
}

/* ---- init duties ---- */

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		say("BENCHX note could not write %s: %s\n", path, errname(errno));
	close(fd);
}

/* What a bare Linux initramfs lacks and our kernel sets up itself: proc,
 * tmpfs on /tmp and /dev/shm, and limits that would stop the 100,000-VMA
 * and 10,000-process cases before memory does. Failures (ENOSYS on our
 * kernel, which mounts these at boot) are harmless. */
static void init_setup(void)
{
	if (fcntl(1, F_GETFD) < 0) {
		mkdir("/dev", 0755);
		mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
		int fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	mkdir("/proc", 0755);
	mkdir("/dev", 0755);
	mkdir("/dev/shm", 01777);
	mkdir("/tmp", 01777);
	if (access("/proc/meminfo", R_OK))
		mount("proc", "/proc", "proc", 0, NULL);
	mount("tmpfs", "/dev/shm", "tmpfs", 0, "mode=1777");
	mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
	write_file("/proc/sys/vm/max_map_count", "1000000");
	write_file("/proc/sys/kernel/threads-max", "100000");
}

/* The word bench=<mode> on the kernel command line (Linux), else the name
 * this program was started as, /bin/bench-<mode> (our kernel has no
 * /proc/cmdline; the bench initrd has those names as symlinks), else ops. */
static void get_mode(const char *argv0, char *mode, size_t len)
{
	char buf[1024], *s;
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	const char *name = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;

	if (fd >= 0)
		close(fd);
	snprintf(mode, len, "%s", strncmp(name, "bench-", 6) ? "ops" : name + 6);
	if (n <= 0)
		return;
	buf[n] = 0;
	for (s = buf; (s = strstr(s, "bench=")); s++) {
		if (s != buf && s[-1] != ' ')
			continue;
		snprintf(mode, len, "%.*s", (int)strcspn(s + 6, " \n"), s + 6);
		return;
	}
}

int main(int argc, char **argv)
{
	struct utsname u;
	char mode[16];

	if (getpid() != 1) {
		fprintf(stderr, "bench: runs only as init (pid 1) in a guest; see make bench\n");
		return 2;
	}
	init_setup();
	get_mode(argc > 0 ? argv[0] : "", mode, sizeof(mode));
	if (uname(&u) == 0)
		say("BENCHX kernel %s %s mode %s\n", u.sysname, u.release, mode);
	if (!strcmp(mode, "ok")) {
		say("ok\n");
	} else if (!strcmp(mode, "extras")) {
		extras();
	} else {
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			run_op(&ops[i]);
		world_free();
	}
	say("BENCHX done\n");
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
