/* fuzztest: an in-guest system-call fuzzer. Worker processes make random
 * system calls, most of them memory calls (mmap, munmap, mprotect, mremap,
 * madvise, mlock, brk, System V shm, futex...), with hostile pointers
 * (kernel, unmapped, misaligned, straddling a mapping's end), huge and
 * negative lengths and random flags, several at once, while the parent
 * watches for hangs, then removes every trace. Deterministic from a seed.
 * Among the calls are a few that are not system calls: loads and stores
 * from user mode, children that take signals on hostile stacks or return
 * from forged frames, exec from a fuzzed address space, /proc reads.
 *
 * Checks: fuzz_calls (the calls were all made, no worker stopped making
 * progress for HANG_SECONDS), fuzz_workers (no worker died or faulted on
 * its own memory), fuzz_cleanup (no file, directory or System V segment
 * left; what the workers may change for everyone is put back). The
 * kernel's leak check after the guest tests covers what is left inside.
 *
 * Command line (/proc/cmdline): fuzz_seed=N (default 0x5eed), fuzz_calls=N
 * (default 100000; 10000 on "quick" boots), fuzz_procs=N (4). Calls are
 * handed out in slices of SLICE_CALLS; each slice runs in a fresh worker
 * whose random stream depends only on the seed and the slice number, so
 * to reproduce: fuzz_slice=K runs slice K alone, fuzz_first=K starts at
 * slice K, fuzz_trace prints each call on the console before making it.
 *
 * What a worker may damage is only its own scratch: a window of mappings at
 * a fixed address far from everything else, mappings the kernel returned
 * to it, a directory /tmp/fuzz.<slot> and the fds it opened. Ranges given
 * to calls that unmap, move or reprotect memory are kept inside those
 * (or made to wrap or leave user space, which the kernel must refuse);
 * calls that would end the run rather than test the kernel are left out or
 * tamed (see the table of signatures). The worker itself makes only raw
 * system calls, so a fuzzed FS base, mask or limit cannot break it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096ull
#define SLICE_CALLS	4000		/* calls per worker before a fresh one */
#define MAX_PROCS	8
#define HANG_SECONDS	10		/* no progress this long: a hang */
#define TICK_US		4000		/* SIGALRM period: ends blocking calls */
#define WORKER_AS	(16ull << 20)	/* RLIMIT_AS of a worker */

/* A worker's address space, besides what it inherited. The window holds
 * its scratch mappings; anything from the window up to WINDOW_LIMIT is
 * empty, so damage there stays there. ARGS (random words for the kernel
 * to read and write) and STRINGS (paths, read-only) are never given to
 * calls that unmap or reprotect. Each has an unmapped page after it. */
#define WINDOW		0x100000000000ull
#define WINDOW_SIZE	(1ull << 30)
#define WINDOW_LIMIT	0x180000000000ull
#define SHARED_AT	0x200000000000ull
#define ARGS		0x280000000000ull
#define ARGS_SIZE	(2 * PAGE)
#define STRINGS		0x300000000000ull
#define STRINGS_SIZE	(4 * PAGE)	/* the last page PROT_NONE */
#define USER_END	0x800000000000ull

/* Places in ARGS where a call's structures are built just before it. */
#define ARG_IOV		(ARGS + 0x1800)		/* 16 iovecs */
#define ARG_TIME	(ARGS + 0x1900)		/* timespec or timeval */
#define ARG_SIGSET	(ARGS + 0x1910)		/* a mask without SIGALRM */
#define ARG_SIGPAIR	(ARGS + 0x1920)		/* pselect6's { mask, size } */
#define ARG_ROBUST	(ARGS + 0x1940)		/* a robust list of one: itself */
#define ARG_PATH	(ARGS + 0x1a00)		/* a /proc path (NR_PROCREAD) */

/* The scratch mappings, by offset in the window. */
enum { A_ANON = 0x0, B_NONE = 0x10000, C_SHFILE = 0x16000, D_PRFILE = 0x1e000,
       E_RDONLY = 0x27000, F_SHANON = 0x2b000, G_ANON = 0x2f000,
       H_GROWSDOWN = 0x40000, S_SYSV = 0x60000, T_SYSV = 0x68000,
       I_ROFILE = 0x70000, J_COMMON = 0x78000, ARENA_END = 0x80000 };
/* Shared by all workers: a file (the parent makes it and removes it at
 * the end) and a System V segment by key (the first worker makes it). */
#define COMMON_FILE	"/tmp/fuzz.common"
#define COMMON_KEY	0x4655a000
#define FILE0_SIZE	(5 * PAGE + 100)	/* C and D map 8 pages of it */

/* ---- raw system calls ------------------------------------------------ */

static inline long sc(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sc0(n)			sc(n, 0, 0, 0, 0, 0, 0)
#define sc1(n, a)		sc(n, (long)(a), 0, 0, 0, 0, 0)
#define sc2(n, a, b)		sc(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sc3(n, a, b, c)		sc(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sc4(n, a, b, c, d)	sc(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* fork, vfork and clone: a child (0 in rax) exits at once, touching
 * neither memory nor stack, so it is safe even on a random stack or in
 * the parent's memory (vfork). */
static inline long sc_forky(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The signal restorer: rt_sigreturn. */
void fz_restore(void);
__asm__(".text\n.globl fz_restore\nfz_restore:\n\tmov $15, %eax\n\tsyscall\n\tud2\n");

/* Touching memory from user mode: a fault on one of these loads or
 * stores is expected, and the handler resumes at fz_touch_fault, which
 * returns 1 (0 when the access went through). */
int fz_touch_read(uint64_t addr);
int fz_touch_write(uint64_t addr, uint64_t v);
int fz_touch_write8(uint64_t addr, uint64_t v);
extern char fz_touch_fault[];
__asm__(".text\n"
	".globl fz_touch_read\nfz_touch_read:\n\tmovzbl (%rdi), %eax\n\txor %eax, %eax\n\tret\n"
	".globl fz_touch_write\nfz_touch_write:\n\tmovb %sil, (%rdi)\n\txor %eax, %eax\n\tret\n"
	".globl fz_touch_write8\nfz_touch_write8:\n\tmovq %rsi, (%rdi)\n\txor %eax, %eax\n\tret\n"
	".globl fz_touch_fault\nfz_touch_fault:\n\tmov $1, %eax\n\tret\n");

struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};
#define K_SA_SIGINFO	4ul
#define K_SA_RESTORER	0x04000000ul

struct kiovec { uint64_t base, len; };
struct krlimit { uint64_t cur, max; };
struct ktimeval { long sec, usec; };
struct kitimerval { struct ktimeval interval, value; };
struct kstack { uint64_t sp; int flags; int pad; uint64_t size; };

/* ---- options --------------------------------------------------------- */

static struct {
	uint64_t seed, calls;
	int procs;
	long slice;		/* -1: all */
	int trace, quick, from_cmdline;
	uint64_t first;		/* the first slice */
} opt = { 0x5eed, 100000, 4, -1, 0, 0, 0, 0 };

static char cmdline[4096];

static const char *cmd_value(const char *key)
{
	size_t n = strlen(key);

	for (const char *p = cmdline; (p = strstr(p, key)); p += n)
		if ((p == cmdline || p[-1] == ' ') && (p[n] == '=' || p[n] == ' ' ||
						      p[n] == '\n' || !p[n]))
			return p[n] == '=' ? p + n + 1 : "";
	return NULL;
}

static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), got = 0, r;

	if (fd < 0)
		return -1;
	while (got < (int)size - 1 && (r = read(fd, buf + got, size - 1 - got)) > 0)
		got += r;
	close(fd);
	buf[got] = 0;
	return got;
}

/* ---- state shared with the parent (MAP_SHARED at SHARED_AT) ----------- */

struct slot {
	volatile int pid;
	volatile int state;		/* SLOT_* */
	volatile uint64_t slice, ncalls;
	volatile uint64_t calls;	/* made by this worker so far */
	volatile uint64_t nr, arg[6];	/* the call begun last */
	volatile uint64_t signals;	/* caught (and survived) */
	volatile uint64_t touch_faults;	/* expected faults of touches */
	volatile int fault_sig, fault_code;
	volatile uint64_t fault_addr, fault_ip;
	volatile int setup_step, setup_err;
};
enum { SLOT_FREE, SLOT_RUNNING, SLOT_HUNG };

struct shared {
	struct slot slot[MAX_PROCS];
	struct timespec rt_minus_mono;	/* the wall clock to put back */
	char hostname[65];
};

static struct shared *sh;

/* Worker exit statuses (beyond 0: done). */
enum { EXIT_RETIRED = 2, EXIT_FAULT = 3, EXIT_SETUP = 4 };

/* ---- what the worker must keep: its own text, data, stack ------------- */

#define MAX_VITAL 32
static struct { uint64_t start, end; } vital[MAX_VITAL];
static int nvital;
static uint64_t low_limit = 0x400000;	/* below the lowest of them */
static uint64_t high_floor;		/* above the highest of them */

/* The parent's mappings, which every worker inherits, from its maps. The
 * stack gets room to grow to its limit. */
static int vital_read(void)
{
	static char buf[8192];
	char *p = buf;

	if (read_small("/proc/self/maps", buf, sizeof(buf)) <= 0)
		return -1;
	while (*p && nvital < MAX_VITAL) {
		uint64_t s = strtoull(p, &p, 16), e = strtoull(p + 1, &p, 16);
		char *nl = strchr(p, '\n');

		if (nl && strstr(p, "[stack]") && strstr(p, "[stack]") < nl)
			s = s > (16ull << 20) ? s - (16ull << 20) : 0;
		vital[nvital].start = s;
		vital[nvital].end = e;
		nvital++;
		if (s < low_limit)
			low_limit = s;
		if (e > high_floor)
			high_floor = e;
		if (!nl)
			break;
		p = nl + 1;
	}
	return nvital ? 0 : -1;
}

static int vital_overlaps(uint64_t s, uint64_t e)
{
	for (int i = 0; i < nvital; i++)
		if (s < vital[i].end && e > vital[i].start)
			return 1;
	return 0;
}

/* ---- randomness ------------------------------------------------------ */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
	return v[below(n)];
}
#define PICK(...) ({ const uint64_t v_[] = { __VA_ARGS__ }; \
		     pick(v_, sizeof(v_) / sizeof(v_[0])); })

/* ---- the worker's bookkeeping (its own .bss: never handed out) -------- */

static struct slot *me;
static int self_pid, slot_no;
static uint64_t saved_fs, brk_now;
static struct krlimit saved_rlim[16];
static char scratch[32];		/* /tmp/fuzz.<slot> */
static int trace_fd = -1;

#define NFDS 24
static int fds[NFDS], nfds;
#define NRECS 8
static struct { uint64_t start, len; } recs[NRECS];
static int nrecs, rec_next;
#define NSHM 8
static int shmids[NSHM], nshm;
static uint64_t shm_addrs[NSHM];

/* Edges: addresses where a mapping turns into a hole or PROT_NONE. */
static uint64_t edges[16];
static int nedges;

/* Paths, in STRINGS. */
#define NPATHS 48
static uint64_t rw_paths[NPATHS], ro_paths[NPATHS], exec_paths[16], link_paths[16];
static int nrw, nro, nexec, nlink;
static uint64_t straddle_str, true_path;

static void rec_add(uint64_t start, uint64_t len)
{
	if (start >= WINDOW && start < WINDOW_LIMIT)
		return;		/* the window is scratch already */
	recs[rec_next].start = start;
	recs[rec_next].len = (len + PAGE - 1) & ~(PAGE - 1);
	rec_next = (rec_next + 1) % NRECS;
	if (nrecs < NRECS)
		nrecs++;
}

/* The end of the recorded mapping holding a, or 0. */
static uint64_t rec_end(uint64_t a)
{
	for (int i = 0; i < nrecs; i++)
		if (a >= recs[i].start && a - recs[i].start < recs[i].len)
			return recs[i].start + recs[i].len;
	return 0;
}

static void fd_add(long fd)
{
	if (fd < 0 || fd > 1 << 20)
		return;
	if (nfds < NFDS)
		fds[nfds++] = (int)fd;
	else
		fds[4 + below(NFDS - 4)] = (int)fd;	/* keep the first few */
}

/* ---- generators ------------------------------------------------------- */

/* Addresses no user mapping ever holds. */
static uint64_t gen_hostile(void)
{
	switch (below(12)) {
	case 0:  return 0;
	case 1:  return below(PAGE);
	case 2:  return 0xffff800000000000ull + below(1ull << 30);
	case 3:  return 0xffff800000000000ull + (below(1ull << 18) << 12);
	case 4:  return 0xffffffff80000000ull + below(16ull << 20);
	case 5:  return PICK(0xffffffffffffffffull, 0xfffffffffffff000ull,
			     0xfffffe0000000000ull, 0xffff7fffffffffffull,
			     0x8000000000000000ull, 0x0000fffffffff000ull,
			     0xffffffffffffff00ull, 0xffffc00000000000ull);
	case 6:  return USER_END - 1 - below(64);	/* straddles the top */
	case 7:  return USER_END + below(1ull << 20);
	case 8:  return 0x7ffffffff000ull + below(PAGE);	/* never mapped */
	case 9:  return 0x10000 + below(low_limit - 0x10000);	/* low hole */
	case 10: return (1ull << 47) | rnd();
	default: return 0xffff800000000000ull | rnd();
	}
}

/* The same, but never the low hole, where a fuzzed mmap may have put
 * random bytes: for pointers whose contents must not be random (paths,
 * iovec arrays, masks). */
static uint64_t gen_unmapped(void)
{
	uint64_t a;

	do
		a = gen_hostile();
	while (a >= 0x10000 && a < low_limit);
	return a;
}

/* An address in the window, mostly in the arena's mappings. */
static uint64_t gen_window(void)
{
	uint64_t a;

	switch (below(8)) {
	case 0:  a = WINDOW + below(WINDOW_SIZE); break;
	case 1:  a = WINDOW + (below(WINDOW_SIZE / PAGE) * PAGE); break;
	default: a = WINDOW + below(ARENA_END / PAGE) * PAGE; break;
	}
	switch (below(4)) {
	case 0:  return a + below(PAGE);
	case 1:  return a + 8 * below(PAGE / 8);
	default: return a;
	}
}

/* A pointer the kernel may write through: nothing of the worker's own
 * is reachable from it, even with a huge length, before a hole. */
static uint64_t gen_ptr(void)
{
	uint64_t a;

	switch (below(20)) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		return gen_window();
	case 6: case 7: case 8: case 9:
		return ARGS + (below(4) ? 8 * below(ARGS_SIZE / 8) : below(ARGS_SIZE));
	case 10: case 11:
		return edges[below(nedges)] - PICK(1, 2, 4, 8, 16, 64, 100, PAGE,
						   below(PAGE));
	case 12: case 13:
		if (nrecs) {
			int i = below(nrecs);
			return recs[i].start + below(recs[i].len);
		}
		return gen_window();
	case 14: case 15: case 16:
		return gen_hostile();
	case 17:
		return STRINGS + below(STRINGS_SIZE);	/* read-only */
	case 18:	/* above the stack: nothing of ours up there */
		return high_floor + below(USER_END - high_floor);
	default:
		do {
			a = below(2) ? rnd() & (USER_END - 1) : rnd();
		} while (vital_overlaps(a, a + 1));
		return a;
	}
}

/* A start for a call that unmaps, moves or reprotects: see dest_len. */
static uint64_t gen_dest(void)
{
	switch (below(20)) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8:
	case 9: case 10: case 11:
		return below(12) ? WINDOW + below(ARENA_END / PAGE) * PAGE : gen_window();
	case 12: case 13: case 14: case 15: case 16:
		if (nrecs) {
			int i = below(nrecs);
			return recs[i].start + (below(2) ? 0 : below(recs[i].len / PAGE) * PAGE);
		}
		return gen_window();
	default:
		return gen_hostile();
	}
}

static uint64_t gen_len(void)
{
	switch (below(16)) {
	case 0:  return 0;
	case 1:  return 1 + below(16);
	case 2: case 3:  return below(8192);
	case 4: case 5: case 6:  return (1 + below(16)) * PAGE;
	case 7:  return (1 + below(256)) * PAGE;
	case 8:  return below(2ull << 20);
	case 9:  return PAGE * (1 + below(64)) - 1 - below(8);
	case 10: return 1ull << (20 + below(44));
	case 11: return -(1 + below(4096));
	case 12: return -(PAGE * (1 + below(16)));
	case 13: return PICK(0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
			     0x7ffffffff000ull, 0x800000000000ull, 1ull << 63,
			     ~0ull, ~0ull - PAGE + 2, 0x7fffffffffffffffull,
			     0xfffffffffffff001ull, 0x1000000000000ull);
	case 14: return rnd();
	default: return (1 + below(4)) * PAGE;
	}
}

/* A length for the memory calls: mostly whole pages. */
static uint64_t gen_mlen(void)
{
	switch (below(10)) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		return (1 + below(16)) * PAGE;
	case 6:
		return (1 + below(160)) * PAGE;
	default:
		return gen_len();
	}
}

/* The length to give a call that damages [a, a + len) (strict: one that
 * acts on every mapping in the range, madvise and mprotect, rather than
 * refusing the whole range): unchanged when the range wraps or leaves
 * user space (the kernel must refuse it), else cut to the window, the
 * recorded mapping or the low hole it starts in. Returns 1 with *len set,
 * 0 when a is none of those (the caller picks another start). */
static int dest_len(uint64_t a, uint64_t *len, int strict)
{
	uint64_t end = a + *len, lim;

	if (end < a || a >= USER_END)
		return 1;
	if (!strict && end > USER_END)
		return 1;
	if (a >= WINDOW && a < WINDOW_LIMIT)
		lim = WINDOW_LIMIT;
	else if (a < low_limit)
		lim = low_limit;
	else if ((lim = rec_end(a)))
		;
	else if (a >= high_floor)
		lim = USER_END;
	else
		return 0;
	if (end > lim)
		*len = below(4) ? lim - a : below(lim - a + 1);
	return 1;
}

static void gen_range(uint64_t *a, uint64_t *len, int strict)
{
	do {
		*a = gen_dest();
		*len = gen_mlen();
	} while (!dest_len(*a, len, strict));
}

static uint64_t gen_int(void)
{
	switch (below(10)) {
	case 0: case 1: return below(17);
	case 2:  return 0;
	case 3:  return 1ull << below(32);
	case 4:  return rnd() & 0xffffffff;
	case 5:  return (uint64_t)-1;
	case 6:  return PICK(0x7fffffff, 0x80000000, 0xffffffff, 1ull << 63,
			     0x100000000ull, 0xffffffff80000000ull);
	case 7:  return rnd();
	default: return rnd() & (rnd() & 0xffff);
	}
}

static uint64_t gen_count(void)
{
	return PICK(0, 1, 2, 3, below(16), below(16), 1024, 1025, 0x7fffffff,
		    (uint64_t)-1, 0x80000000, rnd());
}

static uint64_t gen_off(void)
{
	switch (below(8)) {
	case 0: case 1: return 0;
	case 2: return below(16) * PAGE;
	case 3: return below(1 << 20);
	default: return PICK((uint64_t)-1, -PAGE, 1ull << 40, 0x7fffffffffffffffull,
			     0x7ffffffff000ull, 0xfffff000ull, 1ull << 44, rnd());
	}
}

static uint64_t gen_fd(void)
{
	switch (below(10)) {
	case 0:  return below(32);
	case 1:  return PICK((uint64_t)-1, (uint64_t)-100, 0x7fffffff, 1 << 20,
			     1023, 1024, 4096, 0x80000000, 0xffffffff, rnd());
	default: return nfds ? (uint64_t)fds[below(nfds)] : below(32);
	}
}

static uint64_t gen_dirfd(void)
{
	return below(5) < 2 ? (uint64_t)-100 : gen_fd();	/* AT_FDCWD */
}

static uint64_t gen_pid(void)
{
	return PICK(0, self_pid, self_pid, (uint64_t)-1, 0x80000000, 0x7fffffff,
		    1 + below(64), rnd() & 0xffffffff, 0xffffffff80000000ull);
}

/* A pid a signal may go to: this worker, or nobody. */
static uint64_t gen_sigpid(void)
{
	return PICK(self_pid, self_pid, self_pid, 0x80000000, 0x7ffffff0,
		    0x40000000 + below(1 << 20), 0xffffffff80000000ull);
}

/* Any signal number but SIGKILL and SIGSTOP, which no handler catches. */
static uint64_t gen_sig(void)
{
	uint64_t s;

	switch (below(8)) {
	case 0:  return PICK(0, 65, 128, (uint64_t)-1, 0x80000000, 0x100000001ull);
	default:
		do
			s = 1 + below(64);
		while (s == SIGKILL || s == SIGSTOP);
		return s;
	}
}

/* Ids for the set*id calls: mostly root or "unchanged", since a worker
 * that is no longer root is replaced. */
static uint64_t gen_uid(void)
{
	if (below(128))
		return PICK(0, 0xffffffff, (uint64_t)-1, 0x100000000ull);
	return PICK(1, 1000, 65534, 0xfffffffe, rnd() & 0xffffffff);
}

/* A mask without SIGALRM (which ends blocking calls), or a bad pointer. */
static uint64_t gen_sigset(void)
{
	if (below(5) == 0)
		return below(2) ? 0 : gen_unmapped();
	*(uint64_t *)ARG_SIGSET = rnd() & ~(1ull << (SIGALRM - 1));
	return ARG_SIGSET;
}

/* A short timeout (timespec, or timeval when tv), or an odd one. */
static uint64_t gen_timeout(int tv)
{
	long *t = (long *)ARG_TIME;

	switch (below(10)) {
	case 0:  return 0;		/* no timeout: SIGALRM ends the wait */
	case 1:  return gen_unmapped();
	case 2:  return ARGS + 8 * below(ARGS_SIZE / 8 - 2);	/* random words */
	case 3:
		t[0] = PICK((uint64_t)-1, 1ull << 62, 0x7fffffffffffffffull, 0);
		t[1] = PICK((uint64_t)-1, 1000000000, 999999999, 0, 1ull << 40);
		return ARG_TIME;
	default:	/* at most a tick, often none */
		t[0] = 0;
		t[1] = below(2) ? 0 : tv ? below(1000) : below(1000000);
		return ARG_TIME;
	}
}

/* An iovec array: mostly built here (write-safe bases), sometimes at the
 * very end of ARGS so it straddles the hole, sometimes a bad pointer. */
static uint64_t gen_iov(uint64_t *count)
{
	struct kiovec *v = (struct kiovec *)ARG_IOV;
	int n = below(17);

	if (below(8) == 0)
		return gen_unmapped();
	*count = below(8) ? (uint64_t)n : gen_count();
	for (int i = 0; i < n; i++) {
		v[i].base = gen_ptr();
		v[i].len = below(3) ? below(2 * PAGE) : gen_len();
	}
	if (below(6) == 0 && n) {	/* the same, ending at the hole */
		uint64_t end = ARGS + ARGS_SIZE - n * sizeof(*v);

		for (int i = 0; i < n; i++)
			((struct kiovec *)end)[i] = v[i];
		return end + (below(4) ? 0 : 8);
	}
	return (uint64_t)v;
}

/* Path classes: 's' anything may be done to it (inside the scratch
 * directory), 'A' also the read-only system paths, 'e' exec (never an
 * existing file), 'k' a symlink target (relative). None has a ".."
 * component: with symlinks made from the same names (d0 -> "."), one
 * would lead out of the scratch directory. */
static uint64_t gen_path(char cls)
{
	if (below(10) == 0) {
		switch (below(4)) {
		case 0:  return gen_unmapped();
		case 1:  return straddle_str - below(16);
		case 2:  return STRINGS + STRINGS_SIZE - PAGE + below(PAGE);	/* PROT_NONE */
		default: return 0;
		}
	}
	switch (cls) {
	case 'e': return exec_paths[below(nexec)];
	case 'k': return link_paths[below(nlink)];
	case 'A': if (below(3) == 0) return ro_paths[below(nro)];
		/* fall through */
	default:  return rw_paths[below(nrw)];
	}
}

/* A word for ARGS: something a call might take, and never the address of
 * the worker's own memory. */
static uint64_t gen_word(void)
{
	uint64_t v;

	switch (below(8)) {
	case 0: case 1: v = gen_int(); break;
	case 2: v = gen_len(); break;
	case 3: case 4: v = gen_ptr(); break;
	case 5: v = below(3) ? 0 : rnd(); break;
	case 6: v = below(100); break;
	default: v = gen_fd(); break;
	}
	return vital_overlaps(v, v + 1) ? 0 : v;
}

static void args_refill(int words)
{
	uint64_t *w = (uint64_t *)ARGS;

	for (int i = 0; i < words; i++)
		w[below(ARGS_SIZE / 8)] = gen_word();
}

static uint64_t gen_arg_raw(char k);

/* A value for one signature letter (see sigs[] below); never an address
 * of the worker's own, whatever the kernel takes it for. */
static uint64_t gen_arg(char k)
{
	uint64_t v = gen_arg_raw(k);

	return vital_overlaps(v, v + 1) ? gen_unmapped() : v;
}

static uint64_t gen_arg_raw(char k)
{
	switch (k) {
	case 'f': return gen_fd();
	case 'd': return gen_dirfd();
	case 'p': return gen_ptr();
	case 'l': return gen_len();
	case 'o': return gen_off();
	case 'i': return gen_int();
	case 'c': return gen_count();
	case 's': case 'A': case 'e': case 'k': return gen_path(k);
	case 'n': return gen_pid();
	case 'N': return gen_sigpid();
	case 'g': return gen_sig();
	case 't': return gen_timeout(0);
	case 'T': return gen_timeout(1);
	case 'M': return PICK(0, 0, 1, 2, (uint64_t)-1, 0x7fffffff, below(5));
	case 'm': return gen_sigset();
	case 'u': return gen_uid();
	case 'w': return PICK(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (uint64_t)-1,
			      0x80000000, rnd());
	case '8': return below(6) ? 8 : gen_len();
	case 'x': return rnd();
	default:	/* no signature: any kind */
		return gen_arg("ppiilfxcoo"[below(10)]);
	}
}

/*
 * Signatures of the calls made with generic arguments, by number. NULL:
 * unknown, any arguments. "X": never made: they end the run or reach
 * beyond the worker (exit, reboot, ptrace, mount, module and namespace
 * calls, seccomp, rseq, calls that write through pointers read from user
 * memory with no way to build them safely). Calls with their own
 * generator (the memory calls, fork, open, signals...) are in gen_call.
 */
static const char *const sigs[335] = {
	[0] = "fpl", [1] = "fpl", [3] = "f", [4] = "Ap", [5] = "fp", [6] = "Ap",
	[7] = "pcM", [8] = "foi", [15] = "X", [16] = "fip", [17] = "fplo",
	[18] = "fplo", [19] = "fvc", [20] = "fvc", [21] = "Ai", [22] = "p",
	[23] = "cpppT", [24] = "", [32] = "f", [33] = "ff", [34] = "", [35] = "tp",
	[36] = "ip", [37] = "i", [38] = "ipp", [39] = "", [40] = "ffpl", [47] = "X",
	[59] = "epp", [60] = "X", [61] = "npip", [63] = "p", [73] = "fi", [74] = "f",
	[75] = "f", [76] = "so", [77] = "fo", [78] = "fpl", [79] = "pl", [80] = "A",
	[81] = "f", [82] = "ss", [83] = "si", [84] = "s", [85] = "si", [86] = "ss",
	[87] = "s", [88] = "ks", [89] = "Apl", [90] = "si", [91] = "fi",
	[92] = "suu", [93] = "fuu", [94] = "suu", [95] = "i", [96] = "pp",
	[97] = "ip", [98] = "ip", [99] = "p", [100] = "p", [101] = "X", [102] = "",
	[103] = "X", [104] = "", [105] = "u", [106] = "u", [107] = "", [108] = "",
	[109] = "nn", [110] = "", [111] = "", [112] = "", [113] = "uu", [114] = "uu",
	[115] = "cp", [116] = "cp", [117] = "uuu", [118] = "ppp", [119] = "uuu",
	[120] = "ppp", [121] = "n", [122] = "u", [123] = "u", [124] = "n",
	[125] = "pp", [126] = "X", [127] = "p8", [128] = "mpt8", [132] = "sp",
	[134] = "e", [135] = "i", [136] = "ip", [137] = "Ap", [138] = "fp",
	[139] = "iip", [140] = "in", [141] = "X", [142] = "X", [143] = "np",
	[144] = "X", [145] = "n", [146] = "i", [147] = "i", [148] = "np",
	[153] = "X", [154] = "ipl", [155] = "X", [156] = "X", [159] = "X",
	[161] = "X", [162] = "", [163] = "X", [165] = "X", [166] = "X", [167] = "X",
	[168] = "X", [169] = "X", [171] = "X", [172] = "X", [173] = "X",
	[174] = "X", [175] = "X", [176] = "X", [177] = "X", [178] = "X",
	[179] = "X", [180] = "X", [186] = "", [187] = "fol", [188] = "sppli",
	[189] = "sppli", [190] = "fppli", [191] = "Appl", [192] = "Appl",
	[193] = "fppl", [194] = "Apl", [195] = "Apl", [196] = "fpl", [197] = "sp",
	[198] = "sp", [199] = "fp", [201] = "p", [203] = "nlp", [204] = "nlp",
	[205] = "p", [206] = "X", [207] = "X", [208] = "X", [209] = "X",
	[210] = "X", [211] = "p", [213] = "i", [217] = "fpl", [218] = "p",
	[219] = "", [221] = "foli", [222] = "ipp", [223] = "iipp", [224] = "ip",
	[225] = "i", [226] = "i", [228] = "wp", [229] = "wp", [230] = "witp",
	[231] = "X", [232] = "fpcM", [233] = "iifp", [235] = "sp", [240] = "X",
	[241] = "X", [246] = "X", [247] = "inpip", [253] = "", [254] = "fAi",
	[255] = "fi", [258] = "dsi", [260] = "dsuui", [261] = "dsp",
	[262] = "dApi", [263] = "dsi", [264] = "dsds", [265] = "dsdsi",
	[266] = "kds", [267] = "dApl", [268] = "dsi", [269] = "dAi", [272] = "X",
	[274] = "npp", [275] = "fpfpli", [276] = "ffli", [277] = "fooi",
	[278] = "fvci", [279] = "X", [280] = "dspi", [282] = "fm8", [283] = "ii",
	[284] = "ii", [285] = "fioo", [286] = "fipp", [287] = "fp", [289] = "fm8i",
	[290] = "ii", [291] = "i", [292] = "ffi", [293] = "pi", [294] = "i",
	[295] = "fvco", [296] = "fvco", [298] = "X", [299] = "X", [300] = "X",
	[301] = "X", [303] = "dAppi", [304] = "X", [305] = "X", [306] = "f",
	[307] = "X", [308] = "X", [309] = "ppp", [310] = "X", [311] = "X",
	[312] = "nnixx", [313] = "X", [314] = "X", [315] = "npli", [316] = "dsdsi",
	[317] = "X", [318] = "pli", [319] = "pi", [320] = "X", [321] = "X",
	[323] = "X", [324] = "ii", [326] = "fpfpli", [327] = "fvcoi",
	[328] = "fvcoi", [330] = "ii", [331] = "i", [332] = "dAiip", [333] = "X",
	[334] = "X",
};

/* Not system calls: a load or store from user mode (see fz_touch), a
 * child that takes a signal on a hostile stack or returns from a forged
 * signal frame (see sigframe_child), and a child that execs a real
 * program from its fuzzed address space with hostile arguments. */
#define NR_TOUCH	1000
#define NR_SIGFRAME	1001
#define NR_EXEC		1002	/* a child execs /bin/true with hostile argv */
#define NR_FORKTOUCH	1003	/* parent and child both touch, then it exits */
#define NR_PROCREAD	1004	/* read a /proc file while mappings change */

/* After-call work, as flags on a call. */
enum {
	C_FORKY = 1,		/* fork, vfork, clone: sc_forky, then reap */
	C_GUARD = 2,		/* signals blocked around it and its repair */
	C_RO_CLOSE = 4,		/* opened a system path: close it at once */
	C_FD = 8,		/* returns an fd */
	C_MAP = 16,		/* returns an address (mmap, mremap, shmat) */
	C_CREDS = 32,		/* may drop root */
};

struct call {
	uint64_t nr, a[6];
	int flags;
	uint64_t maplen;	/* C_MAP: the mapping's length */
};

static void gen_mem_args(struct call *c);

static int is_memcall(uint64_t nr)
{
	switch (nr) {
	case 9: case 10: case 11: case 12: case 25: case 26: case 27: case 28:
	case 29: case 30: case 31: case 67: case 149: case 150: case 151:
	case 152: case 202: case 216: case 325: case 329:
		return 1;
	}
	return 0;
}

/* The memory calls, with their own shapes; about 60% of all calls. */
static void gen_memcall(struct call *c)
{
	static const uint16_t weights[][2] = {
		{ 9, 28 }, { 11, 18 }, { 10, 16 }, { 26, 8 }, { 28, 14 }, { 27, 8 },
		{ 149, 6 }, { 150, 6 }, { 151, 2 }, { 152, 2 }, { 25, 16 },
		{ 12, 6 }, { 29, 8 }, { 30, 8 }, { 67, 6 }, { 31, 8 },
		{ 202, 12 }, { 216, 2 }, { 325, 2 }, { 329, 2 }, { NR_TOUCH, 20 },
		{ NR_PROCREAD, 4 },
		/* These fork, and cost milliseconds each under emulation. */
		{ NR_SIGFRAME, 1 }, { NR_EXEC, 1 }, { NR_FORKTOUCH, 1 },
	};
	int total = 0, r;

	for (size_t i = 0; i < sizeof(weights) / sizeof(weights[0]); i++)
		total += weights[i][1];
	r = below(total);
	for (size_t i = 0; i < sizeof(weights) / sizeof(weights[0]); i++) {
		if (r < weights[i][1]) {
			c->nr = weights[i][0];
			break;
		}
		r -= weights[i][1];
	}
	gen_mem_args(c);
}

/* Arguments for one memory call (c->nr): ranges that unmap, move or
 * reprotect go through dest_len. */
static void gen_mem_args(struct call *c)
{
	uint64_t *a = c->a;

	switch (c->nr) {
	case 9: {	/* mmap */
		uint64_t fl = below(12) ? PICK(MAP_PRIVATE, MAP_PRIVATE, MAP_SHARED, 3)
					: PICK(0, 0xf, 4);

		if (below(2))
			fl |= MAP_ANONYMOUS;
		fl |= below(2) == 0 ? MAP_FIXED : 0;
		fl |= below(10) == 0 ? MAP_FIXED_NOREPLACE : 0;
		fl |= below(8) == 0 ? MAP_POPULATE : 0;
		fl |= below(12) == 0 ? MAP_LOCKED : 0;
		fl |= below(12) == 0 ? MAP_GROWSDOWN : 0;
		fl |= below(10) == 0 ? MAP_NORESERVE | MAP_STACK : 0;
		fl |= below(40) == 0 ? (1ull << below(32)) : 0;
		fl |= below(80) == 0 ? gen_int() : 0;
		a[1] = gen_mlen();
		if (fl & MAP_FIXED) {
			a[0] = gen_dest();
			if (!dest_len(a[0], &a[1], 0))
				a[0] = WINDOW + ARENA_END + below(64) * PAGE;
			dest_len(a[0], &a[1], 0);
		} else {
			a[0] = below(3) ? 0 : gen_dest();	/* a hint */
			if (!dest_len(a[0], &(uint64_t){ 1 }, 0))
				a[0] = 0;
		}
		a[2] = below(8) ? PICK(PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ,
				       PROT_NONE, PROT_READ | PROT_EXEC, 7, PROT_WRITE)
				: gen_int();
		a[3] = fl;
		a[4] = (fl & MAP_ANONYMOUS) && below(4) ? (uint64_t)-1 : gen_fd();
		a[5] = below(4) ? below(8) * PAGE : gen_off();
		c->flags = C_MAP;
		c->maplen = a[1];
		break;
	}
	case 11:	/* munmap */
		gen_range(&a[0], &a[1], 0);
		break;
	case 10:	/* mprotect */
	case 329:	/* pkey_mprotect */
		gen_range(&a[0], &a[1], 1);
		a[2] = below(8) ? below(8) | (below(8) ? 0 : PROT_GROWSDOWN)
				: gen_int();
		a[3] = PICK(0, (uint64_t)-1, 1, rnd());
		break;
	case 26:	/* msync */
		a[0] = below(4) ? gen_dest() : gen_ptr();
		a[1] = gen_mlen();
		a[2] = below(8) ? PICK(MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE,
				       MS_SYNC | MS_INVALIDATE, 0, MS_SYNC | MS_ASYNC) : gen_int();
		break;
	case 28:	/* madvise */
		gen_range(&a[0], &a[1], 1);
		a[2] = below(5) ? PICK(0, 1, 2, 3, 4, 4, 4, 8, 8, 10, 11)
				: below(4) ? PICK(9, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
						  22, 23, 24, 25, 100, 101) : gen_int();
		break;
	case 27:	/* mincore */
		a[0] = below(4) ? gen_dest() : gen_ptr();
		a[1] = gen_mlen();
		a[2] = gen_ptr();
		break;
	case 149: case 150:	/* mlock, munlock */
		a[0] = below(4) ? gen_dest() : gen_ptr();
		a[1] = gen_mlen();
		break;
	case 325:	/* mlock2 */
		a[0] = gen_dest();
		a[1] = gen_mlen();
		a[2] = PICK(0, 1, 2, (uint64_t)-1);
		break;
	case 151:	/* mlockall: MCL_CURRENT populates everything, so rarely */
		a[0] = below(16) ? PICK(2, 4, 6, 0, 8, 0x10) : 1 | below(8);
		break;
	case 25: {	/* mremap: MAYMOVE 1, FIXED 2, DONTUNMAP 4 */
		uint64_t fl = below(8) ? PICK(0, 1, 1, 1, 3, 3, 3, 5, 2) : gen_int();

		gen_range(&a[0], &a[1], 0);
		a[2] = (fl & 4) && below(2) ? a[1] : gen_mlen();
		a[3] = fl;
		a[4] = gen_dest();
		if ((fl & 2) && !dest_len(a[4], &a[2], 0))	/* MREMAP_FIXED */
			a[4] = WINDOW + ARENA_END + below(64) * PAGE;
		dest_len(a[4], &a[2], 0);
		c->flags = C_MAP;
		c->maplen = a[2];
		break;
	}
	case 12:	/* brk */
		switch (below(6)) {
		case 0:  a[0] = 0; break;
		case 1:  a[0] = brk_now - below(64) * PAGE - below(PAGE); break;
		case 2:  a[0] = gen_hostile(); break;
		case 3:  a[0] = rnd(); break;
		default: a[0] = brk_now + below(256) * PAGE + below(2) * below(PAGE); break;
		}
		break;
	case 29:	/* shmget */
		a[0] = PICK(0, 0, 0, COMMON_KEY + below(4), (uint64_t)-1, rnd() & 0xffffffff);
		a[1] = below(3) ? (1 + below(16)) * PAGE - below(2) * below(PAGE)
				: PICK(0, 1, 256ull << 20, (256ull << 20) + 1, 1ull << 40,
				       (uint64_t)-1, 0x80000000, rnd());
		a[2] = (below(4) ? 01000 : 0) | (below(5) ? 0 : 02000) |
		       (below(2) ? 0600 : rnd() & 0777) |
		       (below(10) ? 0 : PICK(04000, 010000, rnd() & 0xffffffff));
		break;
	case 30:	/* shmat */
		a[0] = nshm && below(4) ? (uint64_t)shmids[below(nshm)] : gen_int();
		a[1] = below(2) ? 0 : gen_dest();
		a[2] = below(3) ? PICK(0, 010000, 020000, 030000, 0100000) : gen_int();
		/* SHM_REMAP replaces whatever is there, over a size we do not
		 * know: only in the window, where everything is scratch. */
		if ((a[2] & 040000) && a[1] < USER_END &&
		    !(a[1] >= WINDOW && a[1] < WINDOW + WINDOW_SIZE))
			a[2] &= ~040000ull;
		c->flags = C_MAP;
		c->maplen = PAGE;
		break;
	case 67:	/* shmdt */
		a[0] = nshm && below(2) ? shm_addrs[below(nshm)] : gen_ptr();
		break;
	case 31:	/* shmctl */
		a[0] = nshm && below(4) ? (uint64_t)shmids[below(nshm)] : gen_int();
		a[1] = below(5) ? PICK(0, 1, 2, 3, 11, 12, 13, 14, 15, 0x100, 0x102, 0x10d)
				: gen_int();
		a[2] = gen_ptr();
		break;
	case 202: {	/* futex, with short timeouts */
		uint64_t op = below(6) ? PICK(0, 0, 1, 1, 3, 4, 9, 9, 10, 2, 5, 6, 7, 8, 11,
					      12, 13) : gen_int();

		if (below(2))
			op |= 128;	/* FUTEX_PRIVATE_FLAG */
		if (below(8) == 0)
			op |= 256;	/* FUTEX_CLOCK_REALTIME */
		a[0] = below(4) ? ARGS + 4 * below(ARGS_SIZE / 4) : gen_ptr();
		a[1] = op;
		if (a[0] - ARGS <= ARGS_SIZE - 4 && below(4) == 0)
			a[2] = *(uint32_t *)a[0];	/* so WAIT waits */
		else
			a[2] = below(2) ? below(4) : gen_int();
		a[3] = below(4) ? gen_timeout(0) : gen_int();
		a[4] = gen_ptr();
		a[5] = below(2) ? 0xffffffff : gen_int();
		break;
	}
	case NR_TOUCH:	/* address, kind (read, write a byte, write 8), value */
		switch (below(10)) {
		case 0: case 1: case 2: case 3: case 4:
			a[0] = gen_dest() + (below(2) ? 0 : below(PAGE));
			break;
		case 5: case 6: case 7:
			a[0] = gen_ptr();
			break;
		default:
			a[0] = edges[below(nedges)] - 1 - below(8);
			break;
		}
		a[1] = below(5);
		a[2] = rnd();
		break;
	case NR_EXEC:		/* a seed for the arguments */
	case NR_FORKTOUCH:	/* a seed for the touches; stop it first? */
		a[0] = rnd();
		a[1] = below(4) == 0;
		break;
	case NR_PROCREAD:	/* which file, whose, a seed for the reads */
		a[0] = below(8);
		a[1] = PICK(0, 0, 0, 1, 2, 3);	/* self, parent, another worker, 1 */
		a[2] = rnd();
		break;
	case NR_SIGFRAME:	/* kind, stack, a seed for the frame */
		a[0] = below(3);
		a[1] = below(2) ? gen_ptr() : gen_hostile();
		a[2] = rnd();
		break;
	case 216:	/* remap_file_pages: an mmap over the range, in effect */
		gen_range(&a[0], &a[1], 1);
		a[2] = gen_int();
		a[3] = gen_off();
		a[4] = gen_int();
		break;
	}
}

static void gen_open(struct call *c, int at)
{
	uint64_t *a = c->a + at, fl;

	if (at)
		c->a[0] = gen_dirfd();
	if (below(4)) {
		a[0] = gen_path('s');
		a[1] = below(4) ? PICK(O_RDONLY, O_RDWR, O_WRONLY | O_CREAT, O_RDWR | O_CREAT,
				       O_RDWR | O_CREAT | O_EXCL, O_RDWR | O_TRUNC,
				       O_RDONLY | O_DIRECTORY, O_RDWR | O_APPEND,
				       O_RDONLY | O_NONBLOCK, O_PATH, O_RDWR | O_TMPFILE,
				       O_WRONLY | O_NOFOLLOW) : gen_int();
		c->flags = C_FD;
	} else {
		a[0] = below(8) ? ro_paths[below(nro)] : gen_path('A');
		fl = below(4) ? PICK(O_RDONLY, O_RDONLY | O_DIRECTORY, O_PATH, O_WRONLY,
				     O_RDWR | O_NONBLOCK) : gen_int();
		a[1] = fl & ~(uint64_t)(O_CREAT | O_TRUNC | O_TMPFILE | O_APPEND);
		c->flags = C_RO_CLOSE;
	}
	a[2] = below(2) ? 0600 : gen_int();
}

static const uint64_t beyond[] = {
	335, 336, 340, 387, 423, 436, 439, 448, 449, 451, 460, 511, 512, 547,
	1000, 4096, 0x3fffffff, 0x7fffffff, 0x80000000, 0xffffffff,
	0x17fffffffull, 0xdeadbeef00000539ull, 0x4000000000000000ull,
	0x8000000000000000ull, (uint64_t)-1, (uint64_t)-2, (uint64_t)-38,
	0x7fffffff7fffffffull,
};

/* Everything but the memory calls: any number, by signature. */
static void gen_other(struct call *c)
{
	uint64_t *a = c->a;
	const char *s;

	if (below(50) == 0) {
		c->nr = beyond[below(sizeof(beyond) / sizeof(beyond[0]))];
		for (int i = 0; i < 6; i++)
			a[i] = gen_arg(0);
		return;
	}
again:
	c->nr = below(335);
	s = sigs[c->nr];
	if (s && s[0] == 'X')
		goto again;
	if (is_memcall(c->nr)) {
		gen_mem_args(c);
		return;
	}
	switch (c->nr) {
	case 2:	/* open */
		gen_open(c, 0);
		return;
	case 257:	/* openat */
		gen_open(c, 1);
		return;
	case 85: case 32: case 33: case 292: case 319:
		c->flags = C_FD;
		break;
	case 56:	/* clone: no exit signal but SIGCHLD, ever */
		a[0] = (below(2) ? 0 : gen_int() & ~0xffull) | (below(8) ? SIGCHLD : 0);
		a[1] = below(2) ? 0 : gen_ptr();
		a[2] = gen_ptr();
		a[3] = gen_ptr();
		a[4] = gen_ptr();
		c->flags = C_FORKY;
		return;
	case 57: case 58:
		c->flags = C_FORKY;
		return;
	case 13:	/* rt_sigaction */
		a[0] = gen_sig();
		a[1] = below(4) ? gen_ptr() : 0;
		a[2] = gen_ptr();
		a[3] = below(6) ? 8 : gen_len();
		c->flags = C_GUARD;
		return;
	case 14:	/* rt_sigprocmask */
		a[0] = PICK(0, 1, 2, 3, (uint64_t)-1);
		a[1] = gen_ptr();
		a[2] = gen_ptr();
		a[3] = below(6) ? 8 : gen_len();
		return;
	case 62:	/* kill */
		a[0] = gen_sigpid();
		a[1] = gen_sig();
		return;
	case 200:	/* tkill */
		a[0] = gen_sigpid();
		a[1] = gen_sig();
		return;
	case 234:	/* tgkill */
		a[0] = gen_sigpid();
		a[1] = below(4) ? a[0] : gen_sigpid();
		a[2] = gen_sig();
		return;
	case 129: case 297: {	/* rt_sigqueueinfo, rt_tgsigqueueinfo */
		int k = c->nr == 297;

		a[0] = gen_sigpid();
		a[k] = below(4) ? a[0] : gen_sigpid();
		do
			a[k + 1] = gen_sig();
		while (a[k + 1] == SIGSEGV || a[k + 1] == SIGBUS || a[k + 1] == SIGILL ||
		       a[k + 1] == SIGFPE || a[k + 1] == SIGTRAP || a[k + 1] == SIGSYS);
		a[k + 2] = gen_ptr();
		return;
	}
	case 130:	/* rt_sigsuspend */
		a[0] = gen_sigset();
		a[1] = below(6) ? 8 : gen_len();
		return;
	case 131:	/* sigaltstack */
		a[0] = gen_ptr();
		a[1] = gen_ptr();
		return;
	case 133: case 259: {	/* mknod, mknodat: no tty device nodes */
		int k = c->nr == 259;
		uint64_t dev, major;

		if (k)
			a[0] = gen_dirfd();
		a[k] = gen_path('s');
		a[k + 1] = PICK(0, S_IFREG, S_IFIFO, S_IFCHR, S_IFBLK, S_IFDIR, S_IFSOCK,
				S_IFLNK, rnd() & 0xffffffff) | (rnd() & 07777);
		dev = below(2) ? PICK(0x103, 0x105, 0x107, 0x108, 0x109, 0xc801)
			       : rnd() & 0xffffffff;
		major = (dev & 0xfff00) >> 8;
		if (major != 1 && major < 200)
			dev = 0xc8 << 8 | (dev & 0xff);
		a[k + 2] = dev;
		return;
	}
	case 72: {	/* fcntl: no SIGIO to anyone else */
		uint64_t cmd = below(6) ? PICK(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16,
					       36, 37, 38, 1030, 1031, 1032, 1033, 1034)
				        : gen_int();

		a[0] = gen_fd();
		a[1] = cmd;
		switch (cmd) {
		case 8:  a[2] = below(2) ? 0 : self_pid; break;	/* F_SETOWN */
		case 15: a[1] = 16; a[2] = gen_ptr(); break;	/* _EX: get instead */
		case 0: case 1030: a[2] = gen_count(); c->flags = C_FD; break;
		case 2: case 4: case 10: a[2] = gen_int(); break;
		default: a[2] = gen_ptr(); break;
		}
		return;
	}
	case 157:	/* prctl: no seccomp, PR_SET_MM, syscall dispatch or
			 * changes to the audit trail, which is everyone's */
		a[0] = below(4) ? 1 + below(64) : below(2) ? 0x4b4e0001 + below(5) : gen_int();
		if (a[0] == 22 || a[0] == 35 || a[0] == 59 || a[0] == 0x4b4e0003 ||
		    a[0] == 0x4b4e0005)
			a[0] = 16;
		for (int i = 1; i < 5; i++)
			a[i] = below(2) ? below(3) : gen_arg(0);
		return;
	case 158:	/* arch_prctl */
		a[0] = below(4) ? PICK(0x1001, 0x1002, 0x1003, 0x1004, 0x1011, 0x1012,
				       0x2001, 0x2002, 0x2003) : gen_int();
		a[1] = below(3) ? gen_ptr() : saved_fs;
		c->flags = C_GUARD;
		return;
	case 160:	/* setrlimit */
		a[0] = below(4) ? below(16) : gen_int();
		a[1] = gen_ptr();
		c->flags = C_GUARD;
		return;
	case 302:	/* prlimit64: this worker only */
		a[0] = PICK(0, 0, self_pid, (uint64_t)-1, 0x80000000, 0x7ffffff0);
		a[1] = below(4) ? below(16) : gen_int();
		a[2] = below(2) ? gen_ptr() : 0;
		a[3] = gen_ptr();
		c->flags = C_GUARD;
		return;
	case 164:	/* settimeofday */
		a[0] = gen_ptr();
		a[1] = gen_ptr();
		return;
	case 227:	/* clock_settime */
		a[0] = gen_arg('w');
		a[1] = gen_ptr();
		return;
	case 170:	/* sethostname */
		a[0] = gen_ptr();
		a[1] = below(2) ? below(70) : gen_len();
		return;
	case 270:	/* pselect6 */
		a[0] = gen_count();
		a[1] = gen_ptr();
		a[2] = gen_ptr();
		a[3] = gen_ptr();
		a[4] = gen_timeout(0);
		if (below(4)) {
			((uint64_t *)ARG_SIGPAIR)[0] = gen_sigset();
			((uint64_t *)ARG_SIGPAIR)[1] = below(6) ? 8 : gen_len();
			a[5] = ARG_SIGPAIR;
		} else {
			a[5] = below(2) ? 0 : gen_unmapped();
		}
		return;
	case 271:	/* ppoll */
		a[0] = gen_ptr();
		a[1] = gen_count();
		a[2] = gen_timeout(0);
		a[3] = gen_sigset();
		a[4] = below(6) ? 8 : gen_len();
		return;
	case 281:	/* epoll_pwait */
		a[0] = gen_fd();
		a[1] = gen_ptr();
		a[2] = gen_count();
		a[3] = gen_arg('M');
		a[4] = gen_sigset();
		a[5] = 8;
		return;
	case 273:	/* set_robust_list: read at exit, so no random pointers */
		((uint64_t *)ARG_ROBUST)[0] = ARG_ROBUST;
		((uint64_t *)ARG_ROBUST)[1] = below(2) ? 0 : 8;
		((uint64_t *)ARG_ROBUST)[2] = 0;
		a[0] = below(2) ? ARG_ROBUST : gen_unmapped();
		a[1] = below(4) ? 24 : gen_len();
		return;
	case 322:	/* execveat */
		a[0] = gen_dirfd();
		a[1] = gen_path('e');
		a[2] = gen_ptr();
		a[3] = gen_ptr();
		a[4] = gen_int() & ~0x1000ull;	/* no AT_EMPTY_PATH: fd exec */
		return;
	case 105: case 106: case 113: case 114: case 117: case 119: case 122:
	case 123: case 116:
		c->flags = C_CREDS;
		break;
	}
	for (int i = 0; i < 6; i++) {
		char k = s && s[i] ? s[i] : (s ? 'x' : 0);

		if (c->nr == 19 || c->nr == 20 || c->nr == 278 || c->nr == 295 ||
		    c->nr == 296 || c->nr == 327 || c->nr == 328) {
			if (k == 'v') {
				a[i] = gen_iov(&a[i + 1]);
				i++;
				continue;
			}
		}
		a[i] = gen_arg(k);
	}
}

static void gen_call(struct call *c)
{
	memset(c, 0, sizeof(*c));
	if (below(10) < 6)
		gen_memcall(c);
	else
		gen_other(c);
}

/* ---- keeping the worker whole ----------------------------------------- */

static void on_signal(int sig, siginfo_t *si, void *uc);
static void reap(long pid);

static void handler_install(int sig)
{
	struct ksigaction sa = {
		.handler = (void *)on_signal,
		.flags = K_SA_SIGINFO | K_SA_RESTORER,
		.restorer = fz_restore,
		.mask = 0,
	};

	if (sig < 1 || sig > 64 || sig == SIGKILL || sig == SIGSTOP)
		return;
	sc4(SYS_rt_sigaction, sig, &sa, 0, 8);
}

static void timer_arm(void)
{
	struct kitimerval it = { { 0, TICK_US }, { 0, TICK_US } }, off = { { 0, 0 }, { 0, 0 } };

	sc3(SYS_setitimer, ITIMER_REAL, &it, 0);
	sc3(SYS_setitimer, ITIMER_VIRTUAL, &off, 0);
	sc3(SYS_setitimer, ITIMER_PROF, &off, 0);
}

static void mask_set(uint64_t mask)
{
	sc4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, 0, 8);
}

static void worker_exit(int code)
{
	sc1(SYS_exit_group, code);
	for (;;)
		;
}

/* Every signal is caught and counted; a fault the worker's own code made
 * (not one sent with kill) means its memory was damaged: it says where
 * and stops. */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
	greg_t *ip = &((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];

	me->signals++;
	if ((sig == SIGSEGV || sig == SIGBUS) && si->si_code > 0 &&
	    (uint64_t)*ip >= (uint64_t)fz_touch_read && (uint64_t)*ip < (uint64_t)fz_touch_fault) {
		*ip = (greg_t)fz_touch_fault;
		me->touch_faults++;
		return;
	}
	if ((sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	     sig == SIGTRAP || sig == SIGSYS) && si->si_code > 0 && si->si_code < 0x80) {
		me->fault_sig = sig;
		me->fault_code = si->si_code;
		me->fault_addr = (uint64_t)si->si_addr;
		me->fault_ip = *ip;
		worker_exit(EXIT_FAULT);
	}
}

static void rlimits_restore(void)
{
	for (int r = 0; r < 16; r++)
		sc4(SYS_prlimit64, 0, r, &saved_rlim[r], 0);
}

static void creds_check(void)
{
	uint32_t ids[3] = { 1, 1, 1 };

	sc3(SYS_getresuid, &ids[0], &ids[1], &ids[2]);
	if (ids[0] || ids[1] || ids[2] || sc1(SYS_setfsuid, -1) > 0)
		worker_exit(EXIT_RETIRED);	/* no longer root: a fresh one */
}

static void clock_restore(void)
{
	struct timespec now;

	sc2(SYS_clock_gettime, CLOCK_MONOTONIC, &now);
	now.tv_sec += sh->rt_minus_mono.tv_sec;
	now.tv_nsec += sh->rt_minus_mono.tv_nsec;
	if (now.tv_nsec >= 1000000000) {
		now.tv_nsec -= 1000000000;
		now.tv_sec++;
	}
	sc2(SYS_clock_settime, CLOCK_REALTIME, &now);
}

/* Put back what the call may have changed that the worker relies on. */
static void after_call(const struct call *c, long r)
{
	switch (c->nr) {
	case 13: handler_install((int)c->a[0]); break;
	case 14: case 130: mask_set(0); break;
	case 131: {
		struct kstack off = { 0, 2 /* SS_DISABLE */, 0, 0 };
		sc2(SYS_sigaltstack, &off, 0);
		break;
	}
	case 36: case 37: case 38: timer_arm(); break;
	case 80: case 81: sc1(SYS_chdir, scratch); break;
	case 158: sc2(SYS_arch_prctl, 0x1002, saved_fs); break;
	case 160: case 302: rlimits_restore(); break;
	case 164: case 227: if (r == 0) clock_restore(); break;
	case 170: if (r == 0) sc2(SYS_sethostname, sh->hostname, strlen(sh->hostname)); break;
	case 12: if (r > 0) brk_now = r; break;
	case 29: if (r >= 0) shmids[nshm < NSHM ? (uint64_t)nshm++ : below(NSHM)] = (int)r; break;
	}
	if ((c->flags & C_FD) && r >= 0)
		fd_add(r);
	if ((c->flags & C_RO_CLOSE) && r >= 0)
		sc1(SYS_close, r);
	if ((c->flags & C_MAP) && r >= 0 && (uint64_t)r < USER_END) {
		rec_add(r, c->maplen ? c->maplen : PAGE);
		if (c->nr == 30)
			shm_addrs[below(NSHM)] = r;
	}
	if ((c->flags & C_FORKY) && r > 0)
		reap(r);
	if (c->flags & C_CREDS)
		creds_check();
}

static void child_handler(int sig)
{
	(void)sig;
}

/*
 * NR_SIGFRAME, in a child of the worker: kind 0 takes SIGUSR1 with its
 * stack pointer at sp, kind 1 takes it on an alternate stack at sp, kind
 * 2 calls rt_sigreturn on a forged frame whose rip is never executable
 * memory. Every fault kills the child (default actions); the kernel must
 * neither write outside user memory nor fail to return to user mode.
 */
static __attribute__((noreturn)) void sigframe_child(uint64_t kind, uint64_t sp, uint64_t seed)
{
	struct ksigaction dfl = { SIG_DFL, K_SA_RESTORER, fz_restore, 0 };
	struct ksigaction h = { (void *)child_handler, K_SA_RESTORER, fz_restore, 0 };
	struct itimerval_zero { long v[4]; } off = { { 0, 0, 0, 0 } };
	long pid = sc0(SYS_getpid);

	rng = seed;
	for (int s = 1; s <= 64; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sc4(SYS_rt_sigaction, s, &dfl, 0, 8);
	sc3(SYS_setitimer, ITIMER_REAL, &off, 0);
	if (kind == 1) {
		struct kstack ss = { sp - below(2 * PAGE), (int)below(2) << 31,
				     0, PICK(2048, 8192, 1 << 20, gen_len()) };

		sc2(SYS_sigaltstack, &ss, 0);
		h.flags |= 0x08000000;	/* SA_ONSTACK */
		sp = 0;
	}
	sc4(SYS_rt_sigaction, SIGUSR1, &h, 0, 8);
	mask_set(0);
	if (kind == 2) {
		uint64_t *f = (uint64_t *)(ARGS + 0x400), fp = ARGS + 0x1000;
		uint64_t *sc = f + 6;	/* rt_sigframe: pretcode, then uc */

		for (int i = 0; i < 128; i++)
			f[i] = gen_word();
		for (int i = 0; i < 256; i++)
			((uint64_t *)fp)[i] = below(2) ? 0 : gen_word();
		if (below(2)) {		/* an XSAVE image, as the kernel writes it */
			uint32_t *sw = (uint32_t *)(fp + 464);

			sw[0] = 0x46505853u;
			sw[1] = below(2) ? 1024 + below(2048) : (uint32_t)rnd();
			*(uint64_t *)(sw + 2) = below(2) ? 3 : rnd();
			sw[4] = below(2) ? 832 : (uint32_t)rnd();
		}
		sc[16] = PICK(0, 0x10, 0x7ffffffff000ull, 0x7ffffffffff8ull, 0x800000000000ull,
			      0xffff800000000000ull, 0x8000000000000000ull, 0xffffffff80000000ull,
			      STRINGS + STRINGS_SIZE - PAGE);	/* rip */
		sc[17] = below(2) ? 0x202 : rnd();				/* eflags */
		sc[15] = below(2) ? ARGS + 0x800 : gen_hostile();		/* rsp */
		sc[18] = below(2) ? 0x2b0000000033ull : rnd();			/* cs, ss... */
		sc[23] = PICK(0, fp, fp + 8 * below(8), gen_hostile(), ARGS + ARGS_SIZE - 64);
		f[1] = below(2) ? 0 : rnd();					/* uc_flags */
		sp = (uint64_t)f + 8;
		__asm__ volatile("mov %0, %%rsp\n\t"
				 "mov $15, %%eax\n\t"
				 "syscall\n\t"
				 "mov $60, %%eax\n\t"
				 "xor %%edi, %%edi\n\t"
				 "syscall\n\t"
				 "ud2" : : "r"(sp) : "memory");
	}
	if (!sp) {
		sc2(SYS_kill, pid, SIGUSR1);
		sc1(SYS_exit, 0);
	}
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "mov $62, %%eax\n\t"
			 "syscall\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2" : : "r"(sp), "D"(pid), "S"((long)SIGUSR1) : "memory");
	__builtin_unreachable();
}

/* A NULL-terminated (mostly) array of string pointers, built at at. */
static uint64_t gen_strv(uint64_t at)
{
	uint64_t *v = (uint64_t *)at;
	int n = below(12);

	if (below(8) == 0)
		return below(2) ? 0 : gen_unmapped();
	for (int i = 0; i < n; i++)
		v[i] = PICK(rw_paths[below(nrw)], ro_paths[below(nro)], gen_ptr(), gen_unmapped(),
			    straddle_str - below(8));
	v[n] = below(16) ? 0 : gen_ptr();
	return at;
}

/* NR_EXEC, in a child of the worker: exec /bin/true, which exits 0, from
 * whatever state the fuzzed calls left (locks, shm attached, odd VMAs),
 * with argument and environment arrays pointing anywhere. */
static __attribute__((noreturn)) void exec_child(uint64_t seed)
{
	struct { long v[4]; } off = { { 0, 0, 0, 0 } };
	uint64_t argv, envp;

	rng = seed;
	sc3(SYS_setitimer, ITIMER_REAL, &off, 0);	/* it would survive exec */
	mask_set(0);
	argv = gen_strv(ARGS + 0x400);
	envp = gen_strv(ARGS + 0x600);
	sc3(SYS_execve, true_path, argv, envp);
	sc1(SYS_exit, 0);
	__builtin_unreachable();
}

/* Wait for a child of the worker to end, continuing it if it stops;
 * SIGALRM interrupts the wait, so it loops (a child that never ends is
 * a hang the parent reports). */
static void reap(long pid)
{
	int st;

	for (;;) {
		long r = sc4(SYS_wait4, pid, &st, WUNTRACED, 0);

		if (r == -EINTR)
			continue;
		if (r == pid && WIFSTOPPED(st)) {
			sc2(SYS_kill, pid, SIGCONT);
			continue;
		}
		return;
	}
}

/* Touches as NR_TOUCH makes them, n of them from the seed. */
static void touch_some(uint64_t seed, int n)
{
	uint64_t keep = rng;

	rng = seed;
	for (int i = 0; i < n; i++) {
		uint64_t a = below(4) ? gen_dest() + below(PAGE) : gen_ptr();

		if (below(3))
			fz_touch_write(a, rnd());
		else
			fz_touch_read(a);
	}
	rng = keep;
}

/* The calls made in a child of the worker (NR_SIGFRAME, NR_EXEC,
 * NR_FORKTOUCH): the child's pid, or -errno from fork. */
static long child_call(const struct call *c)
{
	long pid = sc0(SYS_fork);

	if (pid == 0) {
		if (c->nr == NR_EXEC)
			exec_child(c->a[0]);
		if (c->nr == NR_SIGFRAME)
			sigframe_child(c->a[0], c->a[1], c->a[2]);
		if (c->a[1])
			sc2(SYS_kill, sc0(SYS_getpid), SIGSTOP);
		touch_some(c->a[0], 16);	/* the same pages as the parent */
		sc1(SYS_exit, 0);
	}
	if (pid > 0) {
		if (c->nr == NR_FORKTOUCH)
			touch_some(c->a[0], 16);
		reap(pid);
	}
	return pid;
}

static char *put_dec(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = '0' + v % 10;
	while ((v /= 10));
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* NR_PROCREAD: a /proc file of this worker, its parent, another worker or
 * pid 1, read in odd pieces into any buffer, with seeks; the count read. */
static long procread_call(const struct call *c)
{
	static const char *const files[] = {
		"maps", "status", "stat", "cmdline", "maps", "maps", "status", "maps",
	};
	char *path = (char *)ARG_PATH, *p = path;
	uint64_t keep = rng;
	long fd, got = 0, pid;

	switch (c->a[1]) {
	case 0:  pid = self_pid; break;
	case 1:  pid = sc0(SYS_getppid); break;
	case 2:  pid = sh->slot[below(MAX_PROCS)].pid; break;
	default: pid = 1; break;
	}
	memcpy(p, "/proc/", 6);
	p = put_dec(p + 6, pid);
	*p++ = '/';
	strcpy(p, files[c->a[0]]);
	if (c->a[0] == 7)
		strcpy(path, c->a[2] & 1 ? "/proc/meminfo" : "/proc/sysvipc/shm");
	fd = sc3(SYS_open, path, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	rng = c->a[2];
	for (int i = 0; i < 8; i++) {
		uint64_t buf = below(2) ? ARGS + 0x1c00 : gen_ptr();
		long r = sc3(SYS_read, fd, buf, below(2) ? 1 + below(1024) : gen_len());

		if (below(4) == 0)
			sc3(SYS_lseek, fd, below(2) ? below(4096) : gen_off(), below(3));
		if (r > 0)
			got += r;
		else if (r == 0 && below(2))
			break;
	}
	rng = keep;
	sc1(SYS_close, fd);
	return got;
}

/* ---- tracing (fuzz_trace) --------------------------------------------- */

static char *put_hex(char *p, uint64_t v)
{
	char tmp[17];
	int n = 0;

	do
		tmp[n++] = "0123456789abcdef"[v & 15];
	while ((v >>= 4));
	*p++ = '0';
	*p++ = 'x';
	while (n)
		*p++ = tmp[--n];
	return p;
}

static void trace_call(uint64_t i, const struct call *c)
{
	char line[256], *p = line;

	memcpy(p, "fuzz: ", 6);
	p = put_hex(p + 6, me->slice);
	*p++ = ' ';
	p = put_hex(p, i);
	*p++ = ' ';
	p = put_hex(p, c->nr);
	*p++ = '(';
	for (int k = 0; k < 6; k++) {
		p = put_hex(p, c->a[k]);
		*p++ = k < 5 ? ',' : ')';
	}
	*p++ = '\n';
	if (sc3(SYS_write, trace_fd, line, p - line) < 0) {
		trace_fd = sc3(SYS_open, "/dev/console", O_WRONLY, 0);
		sc3(SYS_write, trace_fd, line, p - line);
	}
}

/* ---- worker setup ----------------------------------------------------- */

#define SETUP(step, expr) do { long r_ = (expr); \
	if (r_ < 0) { me->setup_step = (step); me->setup_err = (int)r_; \
		      worker_exit(EXIT_SETUP); } } while (0)

static uint64_t str_at;

static uint64_t str_put(const char *s)
{
	uint64_t p = str_at;
	size_t n = strlen(s) + 1;

	memcpy((void *)p, s, n);
	str_at += n;
	return p;
}

/* n times c, as a string. */
static uint64_t str_fill(char c, size_t n)
{
	uint64_t p = str_at;

	memset((void *)p, c, n);
	str_at += n;
	*(char *)str_at++ = 0;
	return p;
}

static void strings_setup(void)
{
	static const char *const rel[] = {
		"f0", "f1", "f2", "d0", "d0/f3", "d0/d1", "d0/d1/f4", "l0", "l1", "l2",
		"l0/f5", "l2/f6", "p0", "nonexist/x", "f0/x", "", ".", "./f1",
		"d0//f3", "f0/", "d0/", "./d0/./f3", "d2", "f7",
		"d0/d1/d3",
	};
	static const char *const ro[] = {
		"/proc/self/maps", "/proc/self/status", "/proc/meminfo", "/proc/self",
		"/proc/1/maps", "/dev/null", "/dev/zero", "/proc/sysvipc/shm",
		"/proc/self/cmdline", "/proc/uptime", "/etc/passwd", "/bin/sh",
		"/nonexistent", "/proc/self/stat", "/proc/kmsg", "/proc/self/fd",
		"/proc/sys/kernel/shmmax", "/dev/full",
	};
	static const char *const ex[] = {
		"nonexist", "d0", "f0/x", "", "/nonexistent/prog", "./nonexist", "d0/",
	};
	static const char *const ln[] = {
		"f0", "d0", "l0", "l1", "nonexist", ".", "d0/f3", "", "f0/", "d0/d1",
	};
	char abs[64];

	str_at = STRINGS;
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
		rw_paths[nrw++] = str_put(rel[i]);
	for (size_t i = 0; i < 4; i++) {
		static const char *const tail[] = { "/f0", "/d0/f3", "/d0", "/l0/f5" };

		strcpy(abs, scratch);
		strcat(abs, tail[i]);
		rw_paths[nrw++] = str_put(abs);
	}
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		ro_paths[nro++] = str_put(ro[i]);
	for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++)
		exec_paths[nexec++] = str_put(ex[i]);
	for (size_t i = 0; i < sizeof(ln) / sizeof(ln[0]); i++)
		link_paths[nlink++] = str_put(ln[i]);
	true_path = str_put("/bin/true");
	rw_paths[nrw++] = str_fill('x', 255);	/* NAME_MAX */
	rw_paths[nrw++] = str_fill('y', 256);	/* one over */
	link_paths[nlink++] = rw_paths[nrw - 2];
	/* "./" repeated: 4095 characters (PATH_MAX with its NUL), then 4096. */
	for (int k = 0; k < 2; k++) {
		rw_paths[nrw++] = str_at;
		for (int i = 0; i < 2046 + k; i++, str_at += 2)
			memcpy((void *)str_at, "./", 2);
		str_put(k ? "f0" : "f00");
	}
	/* The last bytes before the PROT_NONE page: no NUL. */
	memset((void *)(STRINGS + STRINGS_SIZE - PAGE - 64), 'z', 64);
	straddle_str = STRINGS + STRINGS_SIZE - PAGE - 1;
}

static long map_fixed(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off)
{
	long r = sc(SYS_mmap, addr, len, prot, flags | MAP_FIXED_NOREPLACE, fd, off);

	return r == (long)addr ? 0 : (r < 0 ? r : -EEXIST);
}

/* Touch the stack deep enough that signal frames never need it to grow:
 * a fuzzed RLIMIT_STACK or RLIMIT_AS must not make a frame unwritable. */
static void __attribute__((noinline)) stack_pregrow(void)
{
	volatile char deep[192 * 1024];

	for (size_t i = 0; i < sizeof(deep); i += PAGE)
		deep[i] = 0;
}

static void worker_setup(void)
{
	static const char content[] = "fuzz scratch file\n";
	uint64_t w = WINDOW;
	struct krlimit as = { WORKER_AS, WORKER_AS };
	long f0, f1, null, id;

	stack_pregrow();
	self_pid = sc0(SYS_getpid);
	me->pid = self_pid;
	null = sc3(SYS_open, "/dev/null", O_RDWR, 0);
	SETUP(1, null);
	for (int i = 0; i < 3; i++)
		sc2(SYS_dup2, null, i);
	if (null > 2)
		sc1(SYS_close, null);
	if (opt.trace)
		trace_fd = sc3(SYS_open, "/dev/console", O_WRONLY, 0);

	/* The scratch directory and its files. */
	strcpy(scratch, "/tmp/fuzz.");
	scratch[10] = '0' + slot_no;
	scratch[11] = 0;
	SETUP(2, sc2(SYS_mkdir, scratch, 0700));
	SETUP(3, sc1(SYS_chdir, scratch));
	SETUP(4, sc2(SYS_mkdir, "d0", 0700));
	SETUP(5, sc2(SYS_mkdir, "d0/d1", 0700));
	f0 = sc3(SYS_open, "f0", O_RDWR | O_CREAT, 0600);
	SETUP(6, f0);
	for (uint64_t off = 0; off < FILE0_SIZE; off += sizeof(content) - 1)
		sc4(SYS_pwrite64, f0, content, sizeof(content) - 1, off);
	SETUP(7, sc2(SYS_ftruncate, f0, FILE0_SIZE));
	f1 = sc3(SYS_open, "f1", O_RDWR | O_CREAT, 0600);
	SETUP(8, f1);
	SETUP(9, sc3(SYS_write, f1, content, sizeof(content) - 1));
	SETUP(10, sc2(SYS_symlink, "f0", "l0"));
	SETUP(11, sc2(SYS_symlink, "l1", "l1"));
	SETUP(12, sc2(SYS_symlink, "d0", "l2"));
	fd_add(f0);
	fd_add(sc2(SYS_open, "f1", O_RDONLY));
	fd_add(sc2(SYS_open, ".", O_RDONLY | O_DIRECTORY));
	fd_add(sc2(SYS_open, "d0", O_RDONLY | O_DIRECTORY));
	{
		int p[2];

		if (sc2(SYS_pipe2, p, O_NONBLOCK) == 0) {
			fd_add(p[0]);
			fd_add(p[1]);
		}
	}
	fd_add(sc2(SYS_open, "/dev/null", O_RDWR));
	fd_add(sc2(SYS_open, "/dev/zero", O_RDWR));
	fd_add(sc2(SYS_open, "/dev/urandom", O_RDONLY));

	/* ARGS, STRINGS, then the arena in the window. */
	SETUP(20, map_fixed(ARGS, ARGS_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SETUP(21, map_fixed(STRINGS, STRINGS_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	strings_setup();
	SETUP(22, sc3(SYS_mprotect, STRINGS, STRINGS_SIZE - PAGE, PROT_READ));
	SETUP(23, sc3(SYS_mprotect, STRINGS + STRINGS_SIZE - PAGE, PAGE, PROT_NONE));
	args_refill(ARGS_SIZE / 8);

	SETUP(30, map_fixed(w + A_ANON, 16 * PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SETUP(31, map_fixed(w + B_NONE, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SETUP(32, map_fixed(w + C_SHFILE, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f0, 0));
	SETUP(33, map_fixed(w + D_PRFILE, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, f0, 0));
	SETUP(34, map_fixed(w + E_RDONLY, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SETUP(35, map_fixed(w + F_SHANON, 4 * PAGE, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	SETUP(36, map_fixed(w + G_ANON, 3 * PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SETUP(37, map_fixed(w + H_GROWSDOWN, 16 * PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
	SETUP(38, map_fixed(w + I_ROFILE, 4 * PAGE, PROT_READ, MAP_PRIVATE, f1, 0));
	{
		long fc = sc3(SYS_open, COMMON_FILE, O_RDWR, 0);

		SETUP(39, fc);
		SETUP(40, map_fixed(w + J_COMMON, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
				    fc, 0));
		fd_add(fc);
	}
	((char *)w)[0] = 1;
	((char *)(w + C_SHFILE))[0] = 'F';
	((char *)(w + G_ANON))[0] = 1;
	/* A System V segment, marked for removal: it goes with the worker. */
	id = sc3(SYS_shmget, 0, 4 * PAGE, 01000 | 0600);
	if (id >= 0) {
		shmids[nshm++] = (int)id;
		if (sc3(SYS_shmat, id, w + S_SYSV, 0) == (long)(w + S_SYSV))
			shm_addrs[0] = w + S_SYSV;
		sc3(SYS_shmctl, id, IPC_RMID, 0);
	}
	id = sc3(SYS_shmget, COMMON_KEY, 8 * PAGE, 01000 | 0600);
	if (id >= 0) {
		shmids[nshm++] = (int)id;
		if (sc3(SYS_shmat, id, w + T_SYSV, 0) == (long)(w + T_SYSV))
			shm_addrs[1] = w + T_SYSV;
	}
	edges[nedges++] = w + B_NONE;
	edges[nedges++] = w + B_NONE + 4 * PAGE;
	edges[nedges++] = w + C_SHFILE + FILE0_SIZE;
	edges[nedges++] = w + C_SHFILE + 6 * PAGE;
	edges[nedges++] = w + D_PRFILE + 8 * PAGE;
	edges[nedges++] = w + E_RDONLY;
	edges[nedges++] = w + G_ANON + 3 * PAGE;
	edges[nedges++] = w + H_GROWSDOWN + 16 * PAGE;
	edges[nedges++] = w + I_ROFILE + 4 * PAGE;
	edges[nedges++] = w + J_COMMON + 3 * PAGE;	/* its end of file */
	edges[nedges++] = ARGS + ARGS_SIZE;

	/* Limits: the address-space cap keeps populate and mlockall from
	 * eating the machine; the rest are put back after each change. */
	SETUP(41, sc4(SYS_prlimit64, 0, RLIMIT_AS, &as, 0));
	for (int r = 0; r < 16; r++)
		sc4(SYS_prlimit64, 0, r, 0, &saved_rlim[r]);
	sc2(SYS_arch_prctl, 0x1003, &saved_fs);
	brk_now = sc1(SYS_brk, 0);
	for (int s = 1; s <= 64; s++)
		handler_install(s);
	mask_set(0);
	timer_arm();
}

static void worker(int slot, uint64_t slice, uint64_t ncalls)
{
	struct call c;

	slot_no = slot;
	me = &sh->slot[slot];
	rng = opt.seed ^ (slice * 0xd1b54a32d192ed03ull);
	rnd();
	worker_setup();
	for (uint64_t i = 0; i < ncalls; i++) {
		long r;

		if ((i & 15) == 0)
			args_refill(16);
		gen_call(&c);
		me->nr = c.nr;
		for (int k = 0; k < 6; k++)
			me->arg[k] = c.a[k];
		if (opt.trace)
			trace_call(i, &c);
		if (c.flags & C_GUARD)
			mask_set(~0ull);
		if (c.nr == NR_SIGFRAME || c.nr == NR_EXEC || c.nr == NR_FORKTOUCH)
			r = child_call(&c);
		else if (c.nr == NR_PROCREAD)
			r = procread_call(&c);
		else if (c.nr == NR_TOUCH)
			r = c.a[1] < 2 ? fz_touch_read(c.a[0]) :
			    c.a[1] < 4 ? fz_touch_write(c.a[0], c.a[2]) :
			    fz_touch_write8(c.a[0], c.a[2]);
		else if (c.flags & C_FORKY)
			r = sc_forky(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4], c.a[5]);
		else
			r = sc(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4], c.a[5]);
		after_call(&c, r);
		if (c.flags & C_GUARD)
			mask_set(0);
		me->calls = i + 1;
	}
	worker_exit(0);
}

/* ---- the parent --------------------------------------------------------- */

static int failures;

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

struct dirent64 {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
	char name[];
};

/* rm -r of dirfd/name, making each directory writable first; 0 when it
 * is gone. Passes over a directory until one removes nothing, since
 * removing entries may move the others under the reading offset. */
static int remove_tree_at(int dirfd, const char *name, int depth)
{
	char buf[2048];
	int fd, n, removed;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (depth > 64)
		return -1;
	fchmodat(dirfd, name, 0700, 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	do {
		removed = 0;
		lseek(fd, 0, SEEK_SET);
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
			for (int off = 0; off < n;) {
				struct dirent64 *d = (void *)(buf + off);

				off += d->reclen;
				if (strcmp(d->name, ".") && strcmp(d->name, "..") &&
				    remove_tree_at(fd, d->name, depth + 1) == 0)
					removed++;
			}
		}
	} while (removed);
	close(fd);
	return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -1;
}

static int remove_scratch(int slot)
{
	char dir[32];
	int tmp = open("/tmp", O_RDONLY | O_DIRECTORY), err = -1;

	snprintf(dir, sizeof(dir), "fuzz.%d", slot);
	if (tmp >= 0) {
		err = remove_tree_at(tmp, dir, 0);
		close(tmp);
	}
	return err;
}

/* The System V segment ids listed in /proc/sysvipc/shm (as many as fit
 * in the buffer). */
static int shm_list(int *ids, int max)
{
	static char buf[65536];
	char *p;
	int n = 0;

	if (read_small("/proc/sysvipc/shm", buf, sizeof(buf)) <= 0)
		return 0;
	p = strchr(buf, '\n');
	while (p && *++p && n < max) {
		long key = strtol(p, &p, 10);

		(void)key;
		ids[n++] = (int)strtol(p, &p, 10);
		p = strchr(p, '\n');
	}
	return n;
}

static int shm_before[256], nshm_before;
static char tmp_before[4096];
static int tmp_names(char *out, size_t size);

/* Remove every segment the workers made (those still attached go with
 * their last detach); the count removed. */
static int shm_sweep(void)
{
	static int ids[1024];
	int n, removed = 0, pass;

	do {
		pass = 0;
		n = shm_list(ids, 1024);
		for (int i = 0; i < n; i++) {
			int old = 0;

			for (int j = 0; j < nshm_before; j++)
				old |= shm_before[j] == ids[i];
			if (!old && shmctl(ids[i], IPC_RMID, NULL) == 0)
				pass++;
		}
		removed += pass;
	} while (pass && n == 1024);
	return removed;
}

static struct {
	const char *path;
	struct stat st;
} devnodes[] = { { "/dev/null", { 0 } }, { "/dev/zero", { 0 } }, { "/dev/urandom", { 0 } } };

struct run {
	uint64_t calls, assigned, next_slice, workers, retired, faults, lost, hangs;
	uint64_t signals, shm_removed, dirs;
	uint64_t progress[MAX_PROCS], progress_at[MAX_PROCS];
};

static void say_call(const char *what, int slot, const struct slot *s)
{
	printf("%s: worker pid %d (slot %d, slice %llu) in call %llu (%#llx, %#llx, %#llx, "
	       "%#llx, %#llx, %#llx) after %llu calls\n", what, s->pid, slot,
	       (unsigned long long)s->slice, (unsigned long long)s->nr,
	       (unsigned long long)s->arg[0], (unsigned long long)s->arg[1],
	       (unsigned long long)s->arg[2], (unsigned long long)s->arg[3],
	       (unsigned long long)s->arg[4], (unsigned long long)s->arg[5],
	       (unsigned long long)s->calls);
}

static int start_worker(struct run *run, int slot)
{
	struct slot *s = &sh->slot[slot];
	uint64_t n = opt.calls - run->assigned;
	pid_t pid;

	if (n > SLICE_CALLS)
		n = SLICE_CALLS;
	remove_scratch(slot);
	memset((void *)s, 0, sizeof(*s));
	s->slice = opt.slice >= 0 ? (uint64_t)opt.slice : run->next_slice++;
	s->ncalls = n;
	s->state = SLOT_RUNNING;
	if (opt.from_cmdline) {
		char line[96];
		int fd = open("/dev/console", O_WRONLY);

		snprintf(line, sizeof(line), "fuzz: slice %llu on slot %d\n",
			 (unsigned long long)s->slice, slot);
		if (fd >= 0) {
			(void)!write(fd, line, strlen(line));
			close(fd);
		}
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		worker(slot, s->slice, n);
	if (pid < 0) {
		s->state = SLOT_FREE;
		return -1;
	}
	s->pid = pid;
	run->assigned += n;
	run->workers++;
	run->progress[slot] = 0;
	run->progress_at[slot] = now_ns();
	return 0;
}

/* A worker ended: count it, give back the calls it did not make, and
 * clear its scratch directory. */
static void worker_done(struct run *run, int slot, int status)
{
	struct slot *s = &sh->slot[slot];

	run->calls += s->calls;
	run->signals += s->signals;
	if (s->state != SLOT_HUNG)
		run->assigned -= s->ncalls - s->calls;
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_RETIRED) {
		run->retired++;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_FAULT) {
		run->faults++;
		printf("FAIL guest/fuzz_worker_fault: signal %d code %d at %#llx (ip %#llx); ",
		       s->fault_sig, s->fault_code, (unsigned long long)s->fault_addr,
		       (unsigned long long)s->fault_ip);
		say_call("last", slot, s);
		failures++;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SETUP) {
		printf("FAIL guest/fuzz_worker_setup: step %d error %d (pid %d)\n",
		       s->setup_step, s->setup_err, s->pid);
		failures++;
	} else if (s->state != SLOT_HUNG && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		run->lost++;
		printf("FAIL guest/fuzz_worker_lost: wait status %#x; ", status);
		say_call("last", slot, s);
		failures++;
	}
	if (remove_scratch(slot) == 0)
		run->dirs++;
	run->shm_removed += shm_sweep();
	s->state = SLOT_FREE;
	s->pid = 0;
}

/* No progress for HANG_SECONDS: say what it was doing and kill it. */
static void hang_check(struct run *run, int slot, uint64_t now)
{
	struct slot *s = &sh->slot[slot];

	if (s->state != SLOT_RUNNING)
		return;
	if (s->calls != run->progress[slot]) {
		run->progress[slot] = s->calls;
		run->progress_at[slot] = now;
	}
	if (now - run->progress_at[slot] < HANG_SECONDS * 1000000000ull)
		return;
	printf("FAIL guest/fuzz_hang: no progress for %d s; ", HANG_SECONDS);
	say_call("stuck", slot, s);
	fflush(stdout);
	{
		char line[64];
		int fd = open("/dev/console", O_WRONLY);

		snprintf(line, sizeof(line), "fuzztest: slot %d stuck, call %llu\n", slot,
			 (unsigned long long)s->nr);
		if (fd >= 0) {
			(void)!write(fd, line, strlen(line));
			close(fd);
		}
	}
	failures++;
	run->hangs++;
	run->progress_at[slot] = now;
	s->state = SLOT_HUNG;
	kill(s->pid, SIGKILL);
}

static void options_read(void)
{
	const char *v;

	if (read_small("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		return;
	opt.quick = cmd_value("quick") != NULL;
	if (opt.quick)
		opt.calls = 10000;
	if ((v = cmd_value("fuzz_seed"))) {
		opt.seed = strtoull(v, NULL, 0);
		opt.from_cmdline = 1;
	}
	if ((v = cmd_value("fuzz_calls"))) {
		opt.calls = strtoull(v, NULL, 0);
		opt.from_cmdline = 1;
	}
	if ((v = cmd_value("fuzz_first")))
		opt.first = strtoull(v, NULL, 0);
	if ((v = cmd_value("fuzz_procs")))
		opt.procs = atoi(v);
	if (opt.procs < 1 || opt.procs > MAX_PROCS)
		opt.procs = 4;
	if ((v = cmd_value("fuzz_slice"))) {
		opt.slice = strtol(v, NULL, 0);
		opt.procs = 1;
		opt.calls = SLICE_CALLS;
	}
	opt.trace = cmd_value("fuzz_trace") != NULL;
}

/* What the workers may change for everyone: put it back. */
static void globals_save(void)
{
	struct timespec rt, mono;
	struct { char f[6][65]; } u;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	sh->rt_minus_mono.tv_sec = rt.tv_sec - mono.tv_sec;
	sh->rt_minus_mono.tv_nsec = rt.tv_nsec - mono.tv_nsec;
	if (sh->rt_minus_mono.tv_nsec < 0) {
		sh->rt_minus_mono.tv_nsec += 1000000000;
		sh->rt_minus_mono.tv_sec--;
	}
	if (syscall(SYS_uname, &u) == 0)
		memcpy(sh->hostname, u.f[1], sizeof(sh->hostname));
	for (size_t i = 0; i < sizeof(devnodes) / sizeof(devnodes[0]); i++)
		stat(devnodes[i].path, &devnodes[i].st);
	nshm_before = shm_list(shm_before, 256);
	tmp_names(tmp_before, sizeof(tmp_before));
}

static int globals_restore(void)
{
	struct { char f[6][65]; } u;
	struct timespec rt, mono;
	int changed = 0;

	if (syscall(SYS_uname, &u) == 0 && strcmp(u.f[1], sh->hostname)) {
		sethostname(sh->hostname, strlen(sh->hostname));
		changed++;
	}
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	if (llabs((long long)(rt.tv_sec - mono.tv_sec - sh->rt_minus_mono.tv_sec)) > 1) {
		rt.tv_sec = mono.tv_sec + sh->rt_minus_mono.tv_sec;
		clock_settime(CLOCK_REALTIME, &rt);
		changed++;
	}
	for (size_t i = 0; i < sizeof(devnodes) / sizeof(devnodes[0]); i++) {
		struct stat st;

		if (stat(devnodes[i].path, &st))
			continue;
		if ((st.st_mode & 07777) != (devnodes[i].st.st_mode & 07777)) {
			chmod(devnodes[i].path, devnodes[i].st.st_mode & 07777);
			changed++;
		}
		if (st.st_uid != devnodes[i].st.st_uid || st.st_gid != devnodes[i].st.st_gid) {
			chown(devnodes[i].path, devnodes[i].st.st_uid, devnodes[i].st.st_gid);
			changed++;
		}
	}
	return changed;
}

/* The names in /tmp, as "name/name/.../"; the count. */
static int tmp_names(char *out, size_t size)
{
	char buf[2048];
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY), n, count = 0;
	size_t used = 0;

	out[0] = '/';
	out[1] = 0;
	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (int off = 0; off < n;) {
			struct dirent64 *d = (void *)(buf + off);
			size_t l = strlen(d->name);

			off += d->reclen;
			if (used + l + 3 < size) {
				memcpy(out + used + 1, d->name, l);
				used += l + 1;
				out[used] = '/';
				out[used + 1] = 0;
			}
			count++;
		}
	}
	close(fd);
	return count;
}

/* Names in /tmp now that were not there at the start (the runner's
 * capture file of this program was); the first goes to first. */
static int tmp_leftovers(char *first, size_t size)
{
	static char now[4096];
	char *p, *e;
	int left = 0;

	if (tmp_names(now, sizeof(now)) < 0)
		return -1;
	for (p = now + 1; (e = strchr(p, '/')); p = e + 1) {
		char key[300];

		if ((size_t)(e - p) + 3 > sizeof(key))
			continue;
		key[0] = '/';
		memcpy(key + 1, p, e - p);
		key[e - p + 1] = '/';
		key[e - p + 2] = 0;
		if (!strstr(tmp_before, key)) {
			if (!left++)
				snprintf(first, size, "%.*s", (int)(e - p), p);
		}
	}
	return left;
}

int main(void)
{
	static struct run run;
	struct { char f[6][65]; } u;
	uint64_t t0, t1;
	int active = 0, status, restored, left, shm_left;
	char left_name[64] = "";

	/* Never on the host: this program damages what it may. */
	if (syscall(SYS_uname, &u) || !strcmp(u.f[0], "Linux"))
		return 0;
	options_read();
	if (!cmd_value("test"))
		return 0;
	sh = mmap((void *)SHARED_AT, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (sh != (void *)SHARED_AT) {
		printf("FAIL guest/fuzz_setup: shared page: %s\n", strerror(errno));
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	if (vital_read()) {
		printf("FAIL guest/fuzz_setup: cannot read /proc/self/maps\n");
		return 1;
	}
	globals_save();
	{
		int fd = open(COMMON_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || ftruncate(fd, 3 * PAGE)) {
			printf("FAIL guest/fuzz_setup: %s: %s\n", COMMON_FILE, strerror(errno));
			return 1;
		}
		close(fd);
	}
	/* Nothing a worker does should reach here; in case it does. */
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD && s != SIGSEGV &&
		    s != SIGBUS && s != SIGILL && s != SIGFPE && s != SIGTRAP && s != SIGSYS)
			signal(s, SIG_IGN);

	run.next_slice = opt.first;
	t0 = now_ns();
	for (;;) {
		uint64_t now;
		pid_t pid;

		while (active < opt.procs && run.assigned < opt.calls &&
		       (opt.slice < 0 || run.workers == 0)) {
			int slot = 0;

			while (sh->slot[slot].state != SLOT_FREE)
				slot++;
			if (start_worker(&run, slot))
				break;
			active++;
		}
		if (!active)
			break;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < opt.procs; i++) {
				if (sh->slot[i].state != SLOT_FREE && sh->slot[i].pid == pid) {
					worker_done(&run, i, status);
					active--;
				}
			}
		}
		now = now_ns();
		for (int i = 0; i < opt.procs; i++) {
			hang_check(&run, i, now);
			/* Killed and still not gone: report what we have. */
			if (sh->slot[i].state == SLOT_HUNG &&
			    now - run.progress_at[i] > HANG_SECONDS * 1000000000ull)
				goto give_up;
		}
		usleep(20000);
	}
give_up:
	t1 = now_ns();

	if (unlink(COMMON_FILE))
		failures++, printf("FAIL guest/fuzz_cleanup: %s: %s\n", COMMON_FILE, strerror(errno));
	restored = globals_restore();
	run.shm_removed += shm_sweep();
	left = tmp_leftovers(left_name, sizeof(left_name));
	{
		int ids[1024], n = shm_list(ids, 1024);

		shm_left = n - nshm_before;
	}
	if (run.calls >= opt.calls && !run.hangs) {
		printf("PASS guest/fuzz_calls (%llu calls in %llu ms, %llu us/call, seed %#llx, "
		       "%d processes, %llu workers, %llu signals survived)\n",
		       (unsigned long long)run.calls, (unsigned long long)(t1 - t0) / 1000000,
		       (unsigned long long)((t1 - t0) / 1000 / (run.calls ? run.calls : 1)),
		       (unsigned long long)opt.seed, opt.procs, (unsigned long long)run.workers,
		       (unsigned long long)run.signals);
	} else {
		printf("FAIL guest/fuzz_calls: %llu of %llu calls made, %llu hangs (seed %#llx)\n",
		       (unsigned long long)run.calls, (unsigned long long)opt.calls,
		       (unsigned long long)run.hangs, (unsigned long long)opt.seed);
		failures++;
	}
	printf("%s guest/fuzz_workers%s%llu workers, %llu retired after dropping root, "
	       "%llu faulted, %llu lost%s\n", run.faults || run.lost ? "FAIL" : "PASS",
	       run.faults || run.lost ? ": " : " (", (unsigned long long)run.workers,
	       (unsigned long long)run.retired, (unsigned long long)run.faults,
	       (unsigned long long)run.lost, run.faults || run.lost ? "" : ")");
	if (left == 0 && shm_left <= 0 && run.dirs == run.workers)
		printf("PASS guest/fuzz_cleanup (%llu scratch directories and %llu System V "
		       "segments removed, %d global settings put back)\n",
		       (unsigned long long)run.dirs, (unsigned long long)run.shm_removed, restored);
	else {
		printf("FAIL guest/fuzz_cleanup: %d left in /tmp (%s), %d segments left, "
		       "%llu of %llu directories removed\n", left, left_name, shm_left,
		       (unsigned long long)run.dirs, (unsigned long long)run.workers);
		failures++;
	}
	return failures ? 1 : 0;
}
