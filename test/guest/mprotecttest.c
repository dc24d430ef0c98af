/* mprotect, madvise, posix_madvise, mincore, the mlock family, mremap and
 * the RLIMIT_AS/DATA/MEMLOCK limits, as a static musl program sees them.
 * Splits and merges are checked in /proc/self/maps, residency with
 * mincore, locked memory in /proc/self/status. Limits are tried in
 * children (uid 1000 where root would be exempt), so the runner keeps
 * its own. One "PASS/FAIL guest/<name>" line per check. */
#define _GNU_SOURCE
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guest.h"

#define PG 4096UL

static char *map(size_t pages, int prot)
{
	char *p = mmap(0, pages * PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Lines of /proc/self/maps overlapping [lo, hi). */
static int maps_lines(void *lo, void *hi)
{
	static char buf[65536];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0;
	ssize_t len = 0, r;
	char *line;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	close(fd);
	buf[len] = 0;
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx", &s, &e) == 2 &&
		    s < (uintptr_t)hi && e > (uintptr_t)lo)
			n++;
	}
	return n;
}

/* A "Name:  <n> kB" field of /proc/self/status, or -1. */
static long status_kb(const char *field)
{
	char buf[4096], *at;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = 0;
	at = strstr(buf, field);
	return at ? strtol(at + strlen(field) + 1, NULL, 10) : -1;
}

/* Pages of [p, p + pages * PG) that mincore calls resident, or -errno. */
static int resident(void *p, size_t pages)
{
	unsigned char vec[64];
	int n = 0;

	if (pages > sizeof(vec))
		return -E2BIG;
	if (mincore(p, pages * PG, vec))
		return -errno;
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

/* ---- faults ---- */

static sigjmp_buf recover;
static volatile sig_atomic_t last_sig, last_code;
static void *volatile last_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_sig = sig;
	last_code = si->si_code;
	last_addr = si->si_addr;
	siglongjmp(recover, 1);
}

static volatile char *target;

static void do_write(void) { *target = 1; }
static void do_read(void) { (void)*target; }

/* 1 if fn faulted on target with SIGSEGV/SEGV_ACCERR. */
static int accerr(void (*fn)(void))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	last_sig = 0;
	if (sigsetjmp(recover, 1) == 0) {
		fn();
		return 0;
	}
	return last_sig == SIGSEGV && last_code == SEGV_ACCERR &&
	       last_addr == (void *)target;
}

/* ---- mprotect ---- */

static void test_mprotect(void)
{
	char *p = map(4, PROT_READ | PROT_WRITE), *q;
	int before, split, merged, ok;
	int fd;

	memset(p, 0x5a, 4 * PG);
	before = maps_lines(p, p + 4 * PG);
	mprotect(p + PG, PG, PROT_READ);
	split = maps_lines(p, p + 4 * PG);
	mprotect(p + PG, PG, PROT_READ | PROT_WRITE);
	merged = maps_lines(p, p + 4 * PG);
	check("mprotect_split_merge", p && before == 1 && split == 3 && merged == 1,
	      "maps lines not 1 -> 3 -> 1 across a middle mprotect and back");

	check("mprotect_none", mprotect(p, 2 * PG, PROT_NONE) == 0 &&
	      (target = p + PG, accerr(do_read)) && accerr(do_write),
	      "PROT_NONE pages did not fault with SEGV_ACCERR");
	/* The kernel's copies obey the protection too, not just user loads. */
	/* A pipe reads the buffer (/dev/null would not, here or on Linux). */
	int pfd[2];
	pipe(pfd);
	errno = 0;
	check("mprotect_none_write_efault", write(pfd[1], p + PG, 16) == -1 && errno == EFAULT,
	      "write() from a PROT_NONE buffer did not fail with EFAULT");
	close(pfd[0]);
	close(pfd[1]);
	errno = 0;
	check("mprotect_none_path_efault", open(p, O_RDONLY) == -1 && errno == EFAULT,
	      "a path in PROT_NONE memory did not give EFAULT");
	mprotect(p, PG, PROT_READ);
	fd = open("/dev/zero", O_RDONLY);
	errno = 0;
	check("mprotect_readonly_read_efault", read(fd, p, 16) == -1 && errno == EFAULT &&
	      (mprotect(p, PG, PROT_NONE), 1),
	      "read() into a read-only buffer did not fail with EFAULT");
	close(fd);
	ok = mprotect(p, 2 * PG, PROT_READ | PROT_WRITE) == 0;
	for (size_t i = 0; ok && i < 4 * PG; i++)
		ok = p[i] == 0x5a;
	check("mprotect_none_restore", ok && (p[0] = 1, p[PG] = 2, p[0] + p[PG] == 3),
	      "data lost or not writable after PROT_NONE and back");

	mprotect(p + 2 * PG, PG, PROT_READ);
	target = p + 2 * PG;
	check("mprotect_readonly_accerr", accerr(do_write) && p[2 * PG] == 0x5a,
	      "write to a read-only page not caught as SEGV_ACCERR");
	signal(SIGSEGV, SIG_DFL);

	errno = 0;
	/* musl's mprotect rounds addr down itself: ask the kernel directly */
	check("mprotect_einval_unaligned", syscall(SYS_mprotect, p + 1, PG, PROT_READ) < 0 &&
	      errno == EINVAL, "unaligned addr not EINVAL");
	errno = 0;
	check("mprotect_einval_prot", mprotect(p, PG, 0x10) < 0 && errno == EINVAL,
	      "unknown prot bit not EINVAL");
	munmap(p + PG, PG);
	errno = 0;
	check("mprotect_enomem_hole", mprotect(p, 3 * PG, PROT_READ) < 0 &&
	      errno == ENOMEM && (p[0] = 7, p[0] == 7),
	      "range with a hole not ENOMEM, or partly changed");
	munmap(p, 4 * PG);

	/* A shared mapping of a file opened read-only may never become
	 * writable: VMA_MAYWRITE is absent. */
	fd = open("/tmp/mprotect.ro", O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd >= 0) {
		write(fd, p ? "data" : "", 4);
		ftruncate(fd, PG);
		close(fd);
	}
	fd = open("/tmp/mprotect.ro", O_RDONLY);
	q = mmap(0, PG, PROT_READ, MAP_SHARED, fd, 0);
	errno = 0;
	check("mprotect_eacces_shared_ro_file", q != MAP_FAILED &&
	      mprotect(q, PG, PROT_READ | PROT_WRITE) < 0 && errno == EACCES &&
	      mprotect(q, PG, PROT_READ) == 0,
	      "PROT_WRITE on a shared map of a read-only fd not EACCES");
	if (q != MAP_FAILED)
		munmap(q, PG);
	close(fd);
	unlink("/tmp/mprotect.ro");
}

/* ---- madvise, mincore ---- */

static void test_madvise(void)
{
	char *p = map(4, PROT_READ | PROT_WRITE);
	int zero = 1, before, after;
	pid_t pid;
	int st;

	before = resident(p, 4);
	p[0] = 1;
	p[2 * PG] = 1;
	{
		unsigned char v[4];
		check("mincore_touched", before == 0 && mincore(p, 4 * PG, v) == 0 &&
		      (v[0] & 1) && !(v[1] & 1) && (v[2] & 1) && !(v[3] & 1),
		      "mincore does not show exactly the touched pages");
	}
	errno = 0;
	check("mincore_einval", mincore(p + 1, PG, (unsigned char[1]){0}) < 0 &&
	      errno == EINVAL, "unaligned addr not EINVAL");
	errno = 0;
	check("mincore_efault", mincore(p, PG, (unsigned char *)8) < 0 &&
	      errno == EFAULT, "bad vector not EFAULT");

	memset(p, 0xab, 4 * PG);
	check("madvise_dontneed_zero", madvise(p, 4 * PG, MADV_DONTNEED) == 0 &&
	      resident(p, 4) == 0, "DONTNEED failed or left pages resident");
	for (size_t i = 0; i < 4 * PG; i++)
		zero &= p[i] == 0;
	check("madvise_dontneed_reads_zero", zero, "private anon page not zero after DONTNEED");

	memset(p, 0xcd, PG);
	check("madvise_free", madvise(p, PG, MADV_FREE) == 0 && p[0] == 0 && p[PG - 1] == 0,
	      "MADV_FREE of private anon memory did not read back as zero");

	madvise(p, 4 * PG, MADV_DONTNEED);
	after = resident(p, 4);
	check("madvise_willneed_mincore", after == 0 &&
	      madvise(p, 4 * PG, MADV_WILLNEED) == 0 && resident(p, 4) == 4,
	      "WILLNEED did not make every page resident");

	check("madvise_patterns", madvise(p, PG, MADV_SEQUENTIAL) == 0 &&
	      maps_lines(p, p + 4 * PG) == 2 && madvise(p, 4 * PG, MADV_RANDOM) == 0 &&
	      maps_lines(p, p + 4 * PG) == 1 && madvise(p, 4 * PG, MADV_NORMAL) == 0 &&
	      maps_lines(p, p + 4 * PG) == 1,
	      "SEQUENTIAL/RANDOM/NORMAL not recorded per range (maps 2 then 1)");

	/* DONTFORK: the child has no such mapping. */
	madvise(p + PG, PG, MADV_DONTFORK);
	pid = fork();
	if (pid == 0) {
		unsigned char v;
		_exit(mincore(p + PG, PG, &v) < 0 && errno == ENOMEM &&
		      mincore(p, PG, &v) == 0 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	check("madvise_dontfork", WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	      madvise(p + PG, PG, MADV_DOFORK) == 0 && maps_lines(p, p + 4 * PG) == 1,
	      "DONTFORK range present in the child, or DOFORK did not merge");

	errno = 0;
	check("madvise_einval_advice", madvise(p, PG, 999) < 0 && errno == EINVAL,
	      "bad advice not EINVAL");
	errno = 0;
	check("madvise_einval_unaligned", madvise(p + 1, PG, MADV_NORMAL) < 0 &&
	      errno == EINVAL, "unaligned addr not EINVAL");
	check("posix_madvise", posix_madvise(p, PG, POSIX_MADV_WILLNEED) == 0 &&
	      (errno = 0, posix_madvise(p, PG, 999) == EINVAL) && errno == 0,
	      "posix_madvise did not return the error (and leave errno)");
	munmap(p + 2 * PG, PG);
	errno = 0;
	check("madvise_enomem_hole", madvise(p, 4 * PG, MADV_DONTNEED) < 0 &&
	      errno == ENOMEM, "range with a hole not ENOMEM");
	errno = 0;
	check("mincore_enomem", mincore(p, 4 * PG, (unsigned char[4]){0}) < 0 &&
	      errno == ENOMEM, "unmapped page not ENOMEM");
	munmap(p, 4 * PG);
}

/* ---- mlock ---- */

static int wait_ok(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static void test_mlock(void)
{
	char *p = map(8, PROT_READ | PROT_WRITE);
	long lck0 = status_kb("VmLck:"), lck1, lck2;
	pid_t pid;
	int r;

	check("mlock_populates", mlock(p, 8 * PG) == 0 && resident(p, 8) == 8,
	      "mlock did not make all pages resident");
	lck1 = status_kb("VmLck:");
	check("mlock_vmlck", lck1 == lck0 + 32, "VmLck did not grow by 32 kB");
	check("mlock_again_no_double", mlock(p, 8 * PG) == 0 &&
	      status_kb("VmLck:") == lck1, "locking twice counted twice");
	errno = 0;
	check("madvise_dontneed_locked", madvise(p, PG, MADV_DONTNEED) < 0 &&
	      errno == EINVAL, "DONTNEED on locked memory not EINVAL");
	check("munlock", munlock(p + PG, 2 * PG) == 0 &&
	      (lck2 = status_kb("VmLck:")) == lck1 - 8 && maps_lines(p, p + 8 * PG) == 3 &&
	      munlock(p, 8 * PG) == 0 && status_kb("VmLck:") == lck0 &&
	      maps_lines(p, p + 8 * PG) == 1, "munlock accounting or merge wrong");
	munmap(p, 8 * PG);

	/* Limits bind uid 1000, not root. */
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 4 * PG, 4 * PG };
		char *c = map(8, PROT_READ | PROT_WRITE);

		if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(1000) || setuid(1000))
			_exit(10);
		if (mlock(c, 8 * PG) == 0 || errno != ENOMEM)
			_exit(11);
		if (mlock(c, 4 * PG) || resident(c, 4) != 4)
			_exit(12);
		if (mlock(c + 4 * PG, PG) == 0 || errno != ENOMEM)
			_exit(13);
		if (mlockall(MCL_CURRENT) == 0 || errno != ENOMEM)
			_exit(14);
		if (mmap(0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED,
			 -1, 0) != MAP_FAILED || errno != EAGAIN)
			_exit(15);
		rl.rlim_cur = 0;
		setrlimit(RLIMIT_MEMLOCK, &rl);
		if (mlock(c + 4 * PG, PG) == 0 || errno != EPERM)
			_exit(16);
		if (munlockall())
			_exit(17);
		_exit(0);
	}
	r = wait_ok(pid);
	check("mlock_rlimit_memlock", r == 0,
	      r == 10 ? "setup" : r == 11 ? "over the limit not ENOMEM" :
	      r == 12 ? "within the limit failed" : r == 13 ? "already-locked not counted" :
	      r == 14 ? "mlockall over the limit not ENOMEM" :
	      r == 15 ? "MAP_LOCKED over the limit not EAGAIN" :
	      r == 16 ? "limit 0 not EPERM" : "munlockall failed or child died");

	pid = fork();
	if (pid == 0) {
		char *c;

		if (mlockall(0) == 0 || errno != EINVAL ||
		    mlockall(MCL_ONFAULT) == 0 || errno != EINVAL)
			_exit(1);
		if (mlockall(MCL_CURRENT | MCL_FUTURE))
			_exit(2);
		if (status_kb("VmLck:") <= 0)
			_exit(3);
		c = map(4, PROT_READ | PROT_WRITE);
		if (!c || resident(c, 4) != 4)
			_exit(4);	/* MCL_FUTURE: populated at mmap */
		if (munlockall() || status_kb("VmLck:") != 0)
			_exit(5);
		munmap(c, 4 * PG);
		c = map(4, PROT_READ | PROT_WRITE);
		if (!c || resident(c, 4) != 0)
			_exit(6);
		if (mlockall(MCL_CURRENT | MCL_ONFAULT) || resident(c, 4) != 0 ||
		    status_kb("VmLck:") <= 0 || munlockall())
			_exit(7);
		_exit(0);
	}
	r = wait_ok(pid);
	check("mlockall_munlockall", r == 0,
	      r == 1 ? "bad flags not EINVAL" : r == 2 ? "mlockall failed" :
	      r == 3 ? "VmLck 0 after mlockall" : r == 4 ? "MCL_FUTURE mapping not populated" :
	      r == 5 ? "munlockall left VmLck" : r == 6 ? "still locking after munlockall" :
	      r == 7 ? "MCL_ONFAULT populated or failed" : "child died");
}

/* ---- mremap ---- */

static int filled(const char *p, size_t len, int seed)
{
	for (size_t i = 0; i < len; i += 512)
		if (p[i] != (char)(seed + i / PG))
			return 0;
	return 1;
}

static void fill(char *p, size_t len, int seed)
{
	for (size_t i = 0; i < len; i += 512)
		p[i] = (char)(seed + i / PG);
}

static void test_mremap(void)
{
	char *p = map(8, PROT_READ | PROT_WRITE), *q, *r, *blk, *dst;
	unsigned char v;

	fill(p, 8 * PG, 3);
	munmap(p + 4 * PG, 4 * PG);
	q = mremap(p, 4 * PG, 2 * PG, 0);
	check("mremap_shrink", q == p && filled(p, 2 * PG, 3) &&
	      mincore(p + 2 * PG, PG, &v) < 0 && errno == ENOMEM,
	      "shrink moved, lost data or left the tail mapped");
	q = mremap(p, 2 * PG, 6 * PG, 0);
	check("mremap_grow_in_place", q == p && filled(p, 2 * PG, 3) &&
	      maps_lines(p, p + 6 * PG) == 1 && p[5 * PG] == 0,
	      "could not grow into the free range after it");

	/* Something right above: growing needs a move. */
	blk = mmap(p + 6 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	fill(p, 6 * PG, 9);
	errno = 0;
	check("mremap_enomem_no_move", blk == p + 6 * PG &&
	      mremap(p, 6 * PG, 8 * PG, 0) == MAP_FAILED && errno == ENOMEM,
	      "grow without MAYMOVE into a used range not ENOMEM");
	q = mremap(p, 6 * PG, 8 * PG, MREMAP_MAYMOVE);
	check("mremap_maymove", q != MAP_FAILED && q != p && filled(q, 6 * PG, 9) &&
	      q[7 * PG] == 0 && mincore(p, PG, &v) < 0 && errno == ENOMEM &&
	      resident(q, 6) == 6,
	      "move lost contents or left the old range mapped");

	dst = map(8, PROT_READ);
	r = mremap(q, 8 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 2 * PG);
	check("mremap_fixed", r == dst + 2 * PG && filled(r, 4 * PG, 9) &&
	      mincore(q, PG, &v) < 0 && errno == ENOMEM &&
	      maps_lines(dst, dst + 8 * PG) == 3,
	      "MREMAP_FIXED did not move onto (and replace) the range asked for");
	errno = 0;
	check("mremap_fixed_needs_maymove",
	      mremap(r, PG, PG, MREMAP_FIXED, dst) == MAP_FAILED && errno == EINVAL,
	      "MREMAP_FIXED without MAYMOVE not EINVAL");
	errno = 0;
	check("mremap_einval", mremap(r + 1, PG, PG, 0) == MAP_FAILED && errno == EINVAL &&
	      (errno = 0, mremap(r, PG, PG, 0x40) == MAP_FAILED) && errno == EINVAL,
	      "unaligned addr or bad flags not EINVAL");
	errno = 0;
	check("mremap_efault_unmapped", mremap(q, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
	      errno == EFAULT, "unmapped old range not EFAULT");
	munmap(dst, 8 * PG);
	munmap(blk, PG);
}

/* ---- RLIMIT_AS, RLIMIT_DATA ---- */

static void test_limits(void)
{
	pid_t pid = fork();
	int r;

	if (pid == 0) {
		struct rlimit rl = { 64 << 20, 64 << 20 };

		if (setrlimit(RLIMIT_AS, &rl))
			_exit(10);
		if (mmap(0, 128 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
		    MAP_FAILED || errno != ENOMEM)
			_exit(11);
		if (!map(16, PROT_READ | PROT_WRITE))
			_exit(12);
		_exit(0);
	}
	r = wait_ok(pid);
	check("rlimit_as_mmap", r == 0, r == 11 ? "mmap beyond RLIMIT_AS not ENOMEM" :
	      r == 12 ? "small mmap failed" : "setup");

	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };
		long cur = syscall(SYS_brk, 0);

		if (syscall(SYS_brk, cur + (long)PG) != cur + (long)PG ||
		    syscall(SYS_brk, cur) != cur)
			_exit(9);
		if (setrlimit(RLIMIT_DATA, &rl))
			_exit(10);
		if (mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0) != MAP_FAILED || errno != ENOMEM)
			_exit(11);
		if (!map(1, PROT_READ))
			_exit(12);	/* not data: read-only */
		if (syscall(SYS_brk, cur + 16 * (long)PG) != cur)
			_exit(13);
		_exit(0);
	}
	r = wait_ok(pid);
	check("rlimit_data_mmap_brk", r == 0, r == 11 ? "writable mmap beyond RLIMIT_DATA not ENOMEM" :
	      r == 12 ? "read-only mmap refused" : r == 13 ? "brk grew beyond RLIMIT_DATA" :
	      r == 9 ? "brk does not work at all" : "setup");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_mprotect();
	test_madvise();
	test_mlock();
	test_mremap();
	test_limits();
	return failures ? 1 : 0;
}
