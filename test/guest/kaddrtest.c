/* No kernel address reaches user space: every procfs file (but the kernel
 * log, which is root's alone), the initial stack and its auxv, a signal
 * frame, the registers and results of system calls (successful and
 * failing), and the structures calls fill in are scanned for values in
 * the kernel half (>= 0xffff800000000000; the top page, where -1 and
 * -errno fall, is not an address). One "PASS/FAIL guest/<name>" line per check, with the
 * counts of what was scanned. */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "guest.h"

#define KERNEL_BASE	0xffff800000000000ull

/* What was looked at, and what looked like a kernel address. */
static long values, leaks;

/* The top page is never mapped: values there are -errno and -1. */
static int kernel_value(uint64_t v)
{
	return v >= KERNEL_BASE && v < 0xfffffffffffff000ull;
}

static void note(const char *where, uint64_t v)
{
	values++;
	if (kernel_value(v)) {
		if (leaks++ < 40)
			printf("kaddr: %s: %#llx\n", where, (unsigned long long)v);
	}
}

/* Every aligned 64-bit word of [p, p + n). */
static void scan_words(const char *where, const void *p, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t v;

		memcpy(&v, (const char *)p + i, 8);
		note(where, v);
	}
}

/* ---- procfs ------------------------------------------------------------- */

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The value of a run of hex digits read as base (10 or 16), or 0 when it
 * has more than 64 bits' worth (no address is that long). */
static uint64_t token_value(const char *t, size_t n, int base)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		int d = t[i] <= '9' ? t[i] - '0' : (t[i] | 0x20) - 'a' + 10;

		if (v > (UINT64_MAX - d) / base)
			return 0;
		v = v * base + d;
	}
	return v;
}

/* Every number in a text: runs of hex digits, read as hex when they have
 * a letter or are 16 digits long (the kernel's %016lx), else as decimal. */
static void scan_text(const char *where, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i, letters = 0;

		while (j < len && is_hex((unsigned char)s[j])) {
			letters += !(s[j] >= '0' && s[j] <= '9');
			j++;
		}
		if (j == i) {
			i++;
			continue;
		}
		if (letters || j - i == 16)
			note(where, token_value(s + i, j - i, 16));
		if (!letters)
			note(where, token_value(s + i, j - i, 10));
		i = j;
	}
}

static char filebuf[1 << 20];
static int proc_files;

/* Signal masks are bit sets, not addresses: a mask with most signals
 * blocked (0xfffffffffffbfeff) would pass for one. Blank them out: the
 * Sig* and ShdPnd lines of status, fields 31 to 34 of stat. */
static void blank_signal_masks(const char *path, char *s, size_t len)
{
	size_t n = strlen(path);

	if (n >= 7 && !strcmp(path + n - 7, "/status")) {
		for (size_t i = 0; i < len; i++) {
			if ((i == 0 || s[i - 1] == '\n') &&
			    (!strncmp(s + i, "Sig", 3) || !strncmp(s + i, "ShdPnd", 6)))
				for (; i < len && s[i] != '\n'; i++)
					s[i] = ' ';
		}
	} else if (n >= 5 && !strcmp(path + n - 5, "/stat")) {
		char *p = memrchr(s, ')', len);	/* fields count after comm */
		int field = 2;

		for (; p && p < s + len; p++) {
			field += *p == ' ';
			if (field >= 31 && field <= 34 && *p != ' ')
				*p = ' ';
		}
	}
}

static void scan_proc_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;
		ssize_t len = 0, r;
		int fd;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		/* The kernel log holds kernel pointers by design (oopses,
		 * allocator complaints); it is root's only, checked below. */
		if (!strcmp(path, "/proc/kmsg") || lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < 4)
				scan_proc_dir(path, depth + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;	/* a process that has gone */
		while (len < (ssize_t)sizeof(filebuf) && (r = read(fd, filebuf + len,
								 sizeof(filebuf) - len)) > 0)
			len += r;
		close(fd);
		blank_signal_masks(path, filebuf, (size_t)len);
		scan_text(path, filebuf, len);
		proc_files++;
	}
	closedir(d);
}

static int kmsg_child(void)
{
	if (setuid(1000))
		return 1;
	return open("/proc/kmsg", O_RDONLY) < 0 && errno == EACCES ? 0 : 2;
}

static void test_procfs(void)
{
	long before = leaks;
	char line[128];
	struct stat st;
	pid_t child = fork();

	/* A second process to be seen through /proc/<pid>, asleep. */
	if (child == 0) {
		pause();
		_exit(0);
	}
	scan_proc_dir("/proc", 0);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	snprintf(line, sizeof(line), "kaddr_procfs: %d files, %ld values", proc_files, values);
	check(line, proc_files >= 20 && leaks == before, "a procfs value looks like a kernel address");
	check("kaddr_kmsg_root_only", stat("/proc/kmsg", &st) == 0 && (st.st_mode & 0777) == 0400 &&
	      in_child(kmsg_child) == 0, "/proc/kmsg is not readable by root alone");
}

/* ---- the initial stack and the auxv -------------------------------------- */

static void test_stack(char **argv, char **envp)
{
	static char maps[65536];
	long before = leaks, v0 = values;
	uint64_t top = 0, lo, hi, rnd = 0;
	char **e = envp, *l, line[128];
	Elf64_auxv_t *a;
	int fd, sysinfo_ok = 1;
	ssize_t len;

	while (*e)
		e++;
	for (a = (Elf64_auxv_t *)(e + 1); a->a_type != AT_NULL; a++) {
		note("auxv", a->a_un.a_val);
		if (a->a_type == AT_RANDOM)
			rnd = a->a_un.a_val;
		if (a->a_type == AT_SYSINFO_EHDR && a->a_un.a_val >= KERNEL_BASE)
			sysinfo_ok = 0;
	}
	fd = open("/proc/self/maps", O_RDONLY);
	len = fd < 0 ? -1 : read(fd, maps, sizeof(maps) - 1);
	if (fd >= 0)
		close(fd);
	if (len > 0) {
		maps[len] = 0;
		for (l = maps; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
			if (sscanf(l, "%lx-%lx", &lo, &hi) == 2 && (uint64_t)argv >= lo &&
			    (uint64_t)argv < hi)
				top = hi;
	}
	/* argc, the vectors, the auxv, padding, the strings: all of what
	 * exec wrote, but the AT_RANDOM bytes (random is random). */
	for (uint64_t p = (uint64_t)(argv - 1); top && p + 8 <= top; p += 8)
		if (!rnd || p + 8 <= rnd || p >= rnd + 16)
			note("initial stack", *(uint64_t *)p);
	snprintf(line, sizeof(line), "kaddr_initial_stack: %ld values", values - v0);
	check(line, top && leaks == before && sysinfo_ok,
	      !top ? "no [stack] mapping holds argv" : "a kernel address on the initial stack");
}

/* ---- a signal frame ----------------------------------------------------------- */

/*
 * fault_with_patterns(addr): every general register but rsp gets a known
 * value (reg_pattern), then a store to addr, which must fault. The
 * handler checks the frame and resumes at fault_resume.
 */
void fault_with_patterns(uint64_t addr);
extern const char fault_insn[], fault_resume[];

#define PAT(n)	(0x0101010101010101ull * (n))

__asm__(".text\n"
	".globl fault_with_patterns\n"
	"fault_with_patterns:\n"
	"\tpush %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n"
	"\tmovabs $0x0101010101010101, %rax\n"
	"\tmovabs $0x0202020202020202, %rbx\n"
	"\tmovabs $0x0303030303030303, %rcx\n"
	"\tmovabs $0x0404040404040404, %rdx\n"
	"\tmovabs $0x0505050505050505, %rsi\n"
	"\tmovabs $0x0606060606060606, %rbp\n"
	"\tmovabs $0x0808080808080808, %r8\n"
	"\tmovabs $0x0909090909090909, %r9\n"
	"\tmovabs $0x0a0a0a0a0a0a0a0a, %r10\n"
	"\tmovabs $0x0b0b0b0b0b0b0b0b, %r11\n"
	"\tmovabs $0x0c0c0c0c0c0c0c0c, %r12\n"
	"\tmovabs $0x0d0d0d0d0d0d0d0d, %r13\n"
	"\tmovabs $0x0e0e0e0e0e0e0e0e, %r14\n"
	"\tmovabs $0x0f0f0f0f0f0f0f0f, %r15\n"
	".globl fault_insn\n"
	"fault_insn:\n"
	"\tmovb $1, (%rdi)\n"
	".globl fault_resume\n"
	"fault_resume:\n"
	"\tpop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n"
	"\tret\n");

static volatile uint64_t frame_addr;
static volatile int frame_bad, frame_seen;

/* Words of the frame's non-register parts, and the FPU image's fields
 * that are not register contents (control, pointers, reserved bytes). */
static void scan_frame(const char *where, const siginfo_t *si, const ucontext_t *uc)
{
	const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;

	scan_words(where, si, sizeof(*si));
	note(where, (uint64_t)uc->uc_link);
	scan_words(where, &uc->uc_stack, sizeof(uc->uc_stack));
	note(where, uc->uc_mcontext.gregs[REG_ERR]);
	note(where, uc->uc_mcontext.gregs[REG_TRAPNO]);
	note(where, uc->uc_mcontext.gregs[REG_OLDMASK]);
	note(where, uc->uc_mcontext.gregs[REG_CR2]);
	note(where, (uint64_t)fp);
	if (fp) {
		scan_words(where, fp, 32);		/* fcw .. mxcsr_mask */
		scan_words(where, fp + 416, 96);	/* reserved, sw bytes */
	}
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	static const int regs[] = { REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RBP,
				    REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13,
				    REG_R14, REG_R15 };
	static const int pats[] = { 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

	(void)sig;
	frame_seen++;
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if ((uint64_t)g[regs[i]] != PAT(pats[i]))
			frame_bad |= 1;
	if ((uint64_t)g[REG_RDI] != frame_addr || (uint64_t)g[REG_RIP] != (uint64_t)fault_insn)
		frame_bad |= 2;
	if ((uint64_t)g[REG_CR2] != frame_addr || (uint64_t)si->si_addr != frame_addr ||
	    g[REG_TRAPNO] != 14 || g[REG_ERR] != 7 || si->si_code != SEGV_ACCERR)
		frame_bad |= 4;
	if ((uint64_t)g[REG_RSP] >= KERNEL_BASE)
		frame_bad |= 8;
	scan_frame("SIGSEGV frame", si, uc);
	g[REG_RIP] = (greg_t)fault_resume;
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	frame_seen++;
	scan_frame("SIGUSR1 frame", si, ucv);
}

static void test_signal_frame(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	long before = leaks, v0;
	char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char line[128];

	if (page == MAP_FAILED || sigaction(SIGSEGV, &sa, NULL)) {
		check("kaddr_signal_frame", 0, "setup");
		return;
	}
	v0 = values;
	(void)*(volatile char *)page;	/* present: the store is a protection fault */
	frame_addr = (uint64_t)page + 8;
	fault_with_patterns(frame_addr);
	sa.sa_sigaction = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);	/* not raise: musl blocks signals around it */
	munmap(page, 4096);
	signal(SIGSEGV, SIG_DFL);
	snprintf(line, sizeof(line), "kaddr_signal_frame: %ld values", values - v0);
	check(line, frame_seen == 2 && !frame_bad && leaks == before,
	      frame_seen != 2 ? "a handler did not run" :
	      frame_bad & 1 ? "a saved register is not the user's" :
	      frame_bad & 2 ? "saved rdi or rip wrong" :
	      frame_bad & 4 ? "cr2, si_addr, trapno, err or si_code wrong" :
	      frame_bad & 8 ? "saved rsp in the kernel" : "a kernel address in a frame");
}

/* ---- system calls: registers and results ------------------------------------- */

/*
 * raw_syscall(r): r[] holds rax rbx rcx rdx rsi rdi rbp r8 .. r15 (16
 * words) before, and after the syscall instruction.
 */
void raw_syscall(uint64_t *r);
extern const char raw_syscall_ret[];

__asm__(".text\n"
	".globl raw_syscall\n"
	"raw_syscall:\n"
	"\tpush %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n"
	"\tpush %rdi\n"
	"\tmov 0(%rdi), %rax\n\tmov 8(%rdi), %rbx\n\tmov 16(%rdi), %rcx\n"
	"\tmov 24(%rdi), %rdx\n\tmov 32(%rdi), %rsi\n\tmov 48(%rdi), %rbp\n"
	"\tmov 56(%rdi), %r8\n\tmov 64(%rdi), %r9\n\tmov 72(%rdi), %r10\n"
	"\tmov 80(%rdi), %r11\n\tmov 88(%rdi), %r12\n\tmov 96(%rdi), %r13\n"
	"\tmov 104(%rdi), %r14\n\tmov 112(%rdi), %r15\n\tmov 40(%rdi), %rdi\n"
	"\tsyscall\n"
	".globl raw_syscall_ret\n"
	"raw_syscall_ret:\n"
	"\txchg %rdi, (%rsp)\n"
	"\tmov %rax, 0(%rdi)\n\tmov %rbx, 8(%rdi)\n\tmov %rcx, 16(%rdi)\n"
	"\tmov %rdx, 24(%rdi)\n\tmov %rsi, 32(%rdi)\n\tmov %rbp, 48(%rdi)\n"
	"\tmov %r8, 56(%rdi)\n\tmov %r9, 64(%rdi)\n\tmov %r10, 72(%rdi)\n"
	"\tmov %r11, 80(%rdi)\n\tmov %r12, 88(%rdi)\n\tmov %r13, 96(%rdi)\n"
	"\tmov %r14, 104(%rdi)\n\tmov %r15, 112(%rdi)\n"
	"\tpop %rax\n\tmov %rax, 40(%rdi)\n"
	"\tpop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n"
	"\tret\n");

enum { R_RAX, R_RBX, R_RCX, R_RDX, R_RSI, R_RDI, R_RBP, R_R8, R_R9, R_R10, R_R11,
       R_R12, R_R13, R_R14, R_R15, NR_REGS };

struct raw_call {
	const char *name;
	long nr;
	uint64_t a[6];		/* rdi rsi rdx r10 r8 r9 */
	long expect;		/* the result, or 1: any non-negative value */
};

static int syscalls_made;

/* One call: 0 when every register but rax, rcx and r11 came back as it
 * went in, rcx is the return address, and nothing is a kernel value. */
static int raw_check(const struct raw_call *c)
{
	static const int args[6] = { R_RDI, R_RSI, R_RDX, R_R10, R_R8, R_R9 };
	uint64_t in[NR_REGS], out[NR_REGS];
	int bad = 0;

	for (int i = 0; i < NR_REGS; i++)
		in[i] = PAT(i + 1) ^ 0x1000;
	in[R_RAX] = c->nr;
	for (int i = 0; i < 6; i++)
		in[args[i]] = c->a[i];
	memcpy(out, in, sizeof(out));
	raw_syscall(out);
	syscalls_made++;
	/* A register that kept the caller's value (an argument that was a
	 * kernel address, say) is not the kernel's. */
	for (int i = 0; i < NR_REGS; i++) {
		if (i == R_RAX || i == R_RCX || i == R_R11 || out[i] != in[i])
			note(c->name, out[i]);
		if (i != R_RAX && i != R_RCX && i != R_R11 && out[i] != in[i])
			bad = 1;
	}
	if (out[R_RCX] != (uint64_t)raw_syscall_ret)
		bad = 1;
	if (c->expect == 1 ? (long)out[R_RAX] < 0 : (long)out[R_RAX] != c->expect)
		bad = 1;
	if (bad)
		printf("kaddr: %s: rax %#llx rcx %#llx\n", c->name,
		       (unsigned long long)out[R_RAX], (unsigned long long)out[R_RCX]);
	return bad;
}

static void test_syscall_registers(void)
{
	static char buf[64];
	const uint64_t k = KERNEL_BASE, ub = (uint64_t)buf;
	const uint64_t zero = (uint64_t)open("/dev/zero", O_RDONLY);
	const struct raw_call calls[] = {
		{ "getpid", SYS_getpid, { 0 }, 1 },
		{ "brk", SYS_brk, { 0 }, 1 },
		{ "read EBADF", SYS_read, { 999, ub, 8 }, -EBADF },
		{ "read EFAULT", SYS_read, { zero, k, 8 }, -EFAULT },
		{ "read", SYS_read, { zero, ub, 8 }, 8 },
		{ "write EFAULT", SYS_write, { 1, k + 0x1000, 8 }, -EFAULT },
		{ "open ENOENT", SYS_open, { (uint64_t)"/no/such/file", O_RDONLY }, -ENOENT },
		{ "open EFAULT", SYS_open, { k, O_RDONLY }, -EFAULT },
		{ "stat EFAULT", SYS_stat, { (uint64_t)"/", k }, -EFAULT },
		{ "clock_gettime EFAULT", SYS_clock_gettime, { CLOCK_MONOTONIC, k }, -EFAULT },
		{ "uname EFAULT", SYS_uname, { 0xffffffff80000000ull }, -EFAULT },
		{ "rt_sigaction EINVAL", SYS_rt_sigaction, { 0, 0, 0, 8 }, -EINVAL },
		{ "kill ESRCH", SYS_kill, { 99999, 0 }, -ESRCH },
		{ "mmap EINVAL", SYS_mmap, { 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
					    (uint64_t)-1, 0 }, -EINVAL },
		{ "munmap kernel", SYS_munmap, { k, 4096 }, -EINVAL },
		{ "mprotect kernel", SYS_mprotect, { k, 4096, PROT_READ }, -ENOMEM },
		{ "unknown call", 1000, { 0 }, -ENOSYS },
		{ "execve EFAULT", SYS_execve, { k, 0, 0 }, -EFAULT },
		{ "wait4 ECHILD", SYS_wait4, { (uint64_t)-1, ub, 0, 0 }, -ECHILD },
	};
	char line[128];
	long before = leaks;
	int bad = 0;

	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		bad += raw_check(&calls[i]);
	close((int)zero);
	snprintf(line, sizeof(line), "kaddr_syscall_registers: %d calls", syscalls_made);
	check(line, !bad && leaks == before,
	      bad ? "a register or result differs from Linux's" :
	      "a kernel address in a register after a call");
}

/* ---- what calls fill in -------------------------------------------------------- */

static void scan_dents(const char *dir)
{
	static char buf[8192];
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	long n;

	if (fd < 0)
		return;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct { uint64_t ino; int64_t off; uint16_t reclen; } h;

			memcpy(&h, buf + off, sizeof(h));
			note("getdents64 d_ino", h.ino);
			note("getdents64 d_off", (uint64_t)h.off);
			if (!h.reclen)
				break;
			off += h.reclen;
		}
	}
	close(fd);
}

static void test_structs(void)
{
	static const char *const paths[] = { "/", "/proc", "/proc/self/status", "/dev/null",
					     "/dev/console", "/tmp", "/bin/sh", "/etc/passwd" };
	static const char *const dirs[] = { "/", "/proc", "/proc/1", "/dev", "/bin", "/tmp" };
	long before = leaks, v0 = values;
	char line[128];
	struct stat st;
	struct statfs sfs;
	struct sysinfo si;
	struct tms tms;
	struct timespec ts;
	struct rlimit rl;
	struct sigaction old;
	struct itimerval it;
	struct termios tio;
	stack_t ss;
	int pfd[2], n, status;
	pid_t pid;

	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		memset(&st, 0, sizeof(st));
		if (stat(paths[i], &st) == 0)
			scan_words("stat", &st, sizeof(st));
		memset(&sfs, 0, sizeof(sfs));
		if (statfs(paths[i], &sfs) == 0)
			scan_words("statfs", &sfs, sizeof(sfs));
	}
	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		scan_dents(dirs[i]);
	if (pipe(pfd) == 0) {
		struct pollfd p = { pfd[0], POLLIN, 0 };

		if (fstat(pfd[0], &st) == 0)
			scan_words("fstat pipe", &st, sizeof(st));
		write(pfd[1], "x", 1);
		if (ioctl(pfd[0], FIONREAD, &n) == 0)
			note("FIONREAD", (uint64_t)(int64_t)n);
		poll(&p, 1, 0);
		scan_words("poll", &p, sizeof(p));
		close(pfd[0]);
		close(pfd[1]);
	}
	memset(&si, 0, sizeof(si));
	if (sysinfo(&si) == 0)
		scan_words("sysinfo", &si, sizeof(si));
	memset(&tms, 0, sizeof(tms));
	note("times", (uint64_t)times(&tms));
	scan_words("times", &tms, sizeof(tms));
	for (int c = 0; c < 8; c++) {
		memset(&ts, 0, sizeof(ts));
		if (clock_gettime(c, &ts) == 0)
			scan_words("clock_gettime", &ts, sizeof(ts));
		memset(&ts, 0, sizeof(ts));
		if (clock_getres(c, &ts) == 0)
			scan_words("clock_getres", &ts, sizeof(ts));
	}
	/* musl copies only part of some of these: zero them first, so
	 * what is scanned is the kernel's or nothing. */
	for (int r = 0; r < RLIM_NLIMITS; r++) {
		memset(&rl, 0, sizeof(rl));
		if (getrlimit(r, &rl) == 0)
			scan_words("getrlimit", &rl, sizeof(rl));
	}
	for (int s = 1; s < 32; s++) {
		memset(&old, 0, sizeof(old));
		if (sigaction(s, NULL, &old) == 0)
			scan_words("sigaction", &old, sizeof(old));
	}
	memset(&ss, 0, sizeof(ss));
	if (sigaltstack(NULL, &ss) == 0)
		scan_words("sigaltstack", &ss, sizeof(ss));
	memset(&it, 0, sizeof(it));
	if (getitimer(ITIMER_REAL, &it) == 0)
		scan_words("getitimer", &it, sizeof(it));
	memset(&tio, 0, sizeof(tio));
	if (tcgetattr(0, &tio) == 0)
		scan_words("tcgetattr", &tio, sizeof(tio) & ~7ul);
	pid = fork();
	if (pid == 0)
		_exit(3);
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		note("wait status", (uint64_t)(int64_t)status);
	snprintf(line, sizeof(line), "kaddr_call_results: %ld values", values - v0);
	check(line, leaks == before, "a kernel address in what a call filled in");
}

/* ---- sgdt/sidt ------------------------------------------------------------------- */

static sigjmp_buf umip_env;

static void on_umip(int sig)
{
	(void)sig;
	siglongjmp(umip_env, 1);
}

/* Without UMIP the CPU itself tells ring 3 where the GDT and IDT are (a
 * kernel address; Linux has the same limit on such CPUs). With it, the
 * instruction faults: SIGSEGV. */
static void test_umip(void)
{
	static char cpuinfo[8192];
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdt = { 0, 0 };
	int fd = open("/proc/cpuinfo", O_RDONLY), umip = 0, faulted;
	ssize_t len = fd < 0 ? -1 : read(fd, cpuinfo, sizeof(cpuinfo) - 1);

	if (fd >= 0)
		close(fd);
	if (len > 0) {
		cpuinfo[len] = 0;
		umip = strstr(cpuinfo, " umip") != NULL;
	}
	signal(SIGSEGV, on_umip);
	faulted = sigsetjmp(umip_env, 1);
	if (!faulted)
		__asm__ volatile("sgdt %0" : "=m"(gdt));
	signal(SIGSEGV, SIG_DFL);
	if (!umip) {
		printf("kaddr: no UMIP on this CPU: sgdt in user mode is not stopped\n");
		check("kaddr_umip_sgdt", 1, "");
		return;
	}
	check("kaddr_umip_sgdt", faulted || gdt.base < KERNEL_BASE,
	      "UMIP is on but sgdt gave user mode the GDT's address");
}

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_procfs();
	test_stack(argv, envp);
	test_signal_frame();
	test_syscall_registers();
	test_structs();
	test_umip();
	printf("kaddr: %ld values scanned, %ld kernel addresses\n", values, leaks);
	return failures ? 1 : 0;
}
