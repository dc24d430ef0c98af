/* mmap of files and shared memory from a static musl program: the errors
 * of mmap, MAP_SHARED|MAP_ANONYMOUS and MAP_PRIVATE across fork, file
 * coherence between read/write and mappings, SIGBUS past the end of a
 * file (also after ftruncate), mappings outliving close and unlink,
 * msync, /proc/self/maps and POSIX shm in /dev/shm. Works in /tmp/fmt.
 * One "PASS/FAIL guest/<name>" line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guest.h"

#define D	"/tmp/fmt"
#define PG	4096

#define MERR(expr, err)	(errno = 0, (expr) == MAP_FAILED && errno == (err))

/* A file of size bytes, byte i being fill + i % 26, open O_RDWR. */
static int make_file(const char *path, size_t size, char fill)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[PG];

	if (fd < 0)
		return -1;
	for (size_t at = 0; at < size; at += sizeof(buf)) {
		size_t n = size - at < sizeof(buf) ? size - at : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(fill + (at + i) % 26);
		if (write(fd, buf, n) != (long)n) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Wait for pid; its exit status or -1. */
static int wait_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* ---- errors ------------------------------------------------------------- */

static void test_errors(void)
{
	int rw = make_file(D "/err", PG, 'a');
	int ro = open(D "/err", O_RDONLY);
	int wo = open(D "/err", O_WRONLY);
	int dir = open(D, O_RDONLY | O_DIRECTORY);
	int pfd[2] = { -1, -1 };
	void *p;

	check("mmap_ebadf", MERR(mmap(0, PG, PROT_READ, MAP_SHARED, -1, 0), EBADF) &&
	      MERR(mmap(0, PG, PROT_READ, MAP_PRIVATE, 999, 0), EBADF),
	      "bad fd not EBADF");
	check("mmap_eacces_wronly",
	      MERR(mmap(0, PG, PROT_READ, MAP_PRIVATE, wo, 0), EACCES) &&
	      MERR(mmap(0, PG, PROT_READ, MAP_SHARED, wo, 0), EACCES),
	      "fd not open for reading not EACCES");
	check("mmap_eacces_shared_write",
	      MERR(mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES),
	      "MAP_SHARED|PROT_WRITE on O_RDONLY fd not EACCES");
	p = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	check("mmap_private_write_rdonly_fd", p != MAP_FAILED, "private rw on O_RDONLY fd refused");
	if (p != MAP_FAILED)
		munmap(p, PG);
	p = mmap(0, PG, PROT_READ, MAP_SHARED, ro, 0);
	check("mmap_shared_read_rdonly_fd", p != MAP_FAILED && ((char *)p)[0] == 'a',
	      "shared read-only mapping of O_RDONLY fd");
	if (p != MAP_FAILED)
		munmap(p, PG);
	pipe(pfd);
	check("mmap_enodev", MERR(mmap(0, PG, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV) &&
	      MERR(mmap(0, PG, PROT_READ, MAP_SHARED, pfd[0], 0), ENODEV),
	      "directory or pipe not ENODEV");
	check("mmap_einval_offset",
	      MERR(mmap(0, PG, PROT_READ, MAP_SHARED, rw, 100), EINVAL) &&
	      MERR((void *)syscall(9, 0, PG, PROT_READ, MAP_SHARED, rw, 2048), EINVAL),
	      "unaligned offset not EINVAL");
	check("mmap_hugetlb", MERR(mmap(0, 2 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
					MAP_HUGETLB, -1, 0), EINVAL),
	      "MAP_HUGETLB not EINVAL");
	check("mmap_validate_unknown",
	      MERR(mmap(0, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, rw, 0), EOPNOTSUPP) &&
	      MERR(mmap(0, PG, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, rw, 0), EOPNOTSUPP),
	      "unknown flag with MAP_SHARED_VALIDATE not EOPNOTSUPP");
	p = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, rw, 0);
	check("mmap_validate_ok", p != MAP_FAILED && ((char *)p)[1] == 'b',
	      "MAP_SHARED_VALIDATE with known flags refused");
	if (p != MAP_FAILED)
		munmap(p, PG);
	p = mmap(0, PG, PROT_READ, MAP_SHARED | 0x200000, rw, 0);
	check("mmap_shared_ignores_unknown", p != MAP_FAILED, "MAP_SHARED refused unknown bit");
	if (p != MAP_FAILED)
		munmap(p, PG);
	close(pfd[0]);
	close(pfd[1]);
	close(dir);
	close(wo);
	close(ro);
	close(rw);
	unlink(D "/err");
}

/* ---- anonymous memory across fork --------------------------------------- */

static void test_anon_fork(void)
{
	volatile int *sh = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *pr = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	if (sh == MAP_FAILED || pr == MAP_FAILED) {
		check("mmap_shared_anon", 0, "mmap failed");
		return;
	}
	sh[0] = 1;
	pr[0] = 1;
	pid = fork();
	if (pid == 0) {
		int ok = sh[0] == 1 && pr[0] == 1;

		sh[1] = 42;		/* the parent must see this */
		pr[1] = 42;		/* and not this */
		while (sh[2] != 7)	/* the parent's store, seen here */
			sched_yield();
		ok = ok && pr[2] == 0;
		_exit(ok ? 0 : 1);
	}
	while (sh[1] != 42)
		sched_yield();
	pr[2] = 7;
	sh[2] = 7;
	st = wait_status(pid);
	check("mmap_shared_anon_child_to_parent", sh[1] == 42, "child's store not seen");
	check("mmap_shared_anon_parent_to_child", st == 0, "child did not see parent's store");
	check("mmap_private_anon_cow", pr[1] == 0 && pr[2] == 7, "private anon not isolated");
	munmap((void *)sh, PG);
	munmap((void *)pr, PG);
}

/* ---- file coherence ----------------------------------------------------- */

static void test_coherence(void)
{
	int fd = make_file(D "/coh", 2 * PG, 'a');
	char *m1, *m2, *pv, buf[8];
	pid_t pid;

	m1 = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	m2 = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pv = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (fd < 0 || m1 == MAP_FAILED || m2 == MAP_FAILED || pv == MAP_FAILED) {
		check("mmap_file", 0, "set-up failed");
		return;
	}
	check("mmap_file_contents", m1[0] == 'a' && m1[PG + 1] == (char)('a' + (PG + 1) % 26) &&
	      pv[2] == 'c', "mapped bytes differ from the file");
	pwrite(fd, "WXYZ", 4, 10);
	check("mmap_write_then_map", memcmp(m1 + 10, "WXYZ", 4) == 0 &&
	      memcmp(pv + 10, "WXYZ", 4) == 0, "write() not seen through mappings");
	memcpy(m1 + PG + 5, "hello", 5);
	check("mmap_store_then_read", pread(fd, buf, 5, PG + 5) == 5 &&
	      memcmp(buf, "hello", 5) == 0, "store through MAP_SHARED not seen by read()");
	check("mmap_two_mappings", m1 != m2 && memcmp(m2 + PG + 5, "hello", 5) == 0,
	      "second mapping did not see the store");
	m2[20] = '!';
	check("mmap_two_mappings_back", m1[20] == '!', "first mapping did not see the store");

	pv[0] = 'P';		/* private copy of page 0 from here on */
	pwrite(fd, "Q", 1, 1);
	check("mmap_private_cow", pv[0] == 'P' && pv[1] == 'b' && m1[0] == 'a' &&
	      m1[1] == 'Q', "private mapping still sees the file, or leaked its store");
	pwrite(fd, "R", 1, PG);
	check("mmap_private_other_page", pv[PG] == 'R', "untouched private page not coherent");

	/* fork: shared file pages stay shared, private ones are COW */
	pid = fork();
	if (pid == 0) {
		m1[100] = 'C';
		pv[PG + 100] = 'C';
		_exit(0);
	}
	wait_status(pid);
	check("mmap_file_shared_fork", m1[100] == 'C' && m2[100] == 'C',
	      "child's store to a shared file mapping lost");
	check("mmap_file_private_fork", pv[PG + 100] != 'C', "child's private store leaked");

	munmap(m1, 2 * PG);
	munmap(m2, 2 * PG);
	munmap(pv, 2 * PG);
	close(fd);
	unlink(D "/coh");
}

/* ---- SIGBUS ------------------------------------------------------------- */

static sigjmp_buf recover;
static volatile int bus_code;
static volatile void *bus_addr;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_code = si->si_code;
	bus_addr = si->si_addr;
	siglongjmp(recover, 1);
}

/* Read *p; 1 if it raised SIGBUS with BUS_ADRERR at p, 0 if it read
 * fine (the byte in *out), -1 for anything else. */
static int touch(volatile char *p, char *out)
{
	bus_code = 0;
	bus_addr = 0;
	if (sigsetjmp(recover, 1) == 0) {
		*out = *p;
		return 0;
	}
	return bus_code == BUS_ADRERR && bus_addr == (void *)p ? 1 : -1;
}

static void test_sigbus(void)
{
	struct sigaction sa = { 0 }, old;
	int fd = make_file(D "/bus", PG + 100, 'a');
	char *m, c = 0;

	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, &old);
	m = mmap(0, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd < 0 || m == MAP_FAILED) {
		check("mmap_sigbus", 0, "set-up failed");
		return;
	}
	check("mmap_tail_of_last_page", touch(m + PG + 200, &c) == 0 && c == 0,
	      "bytes past EOF in the last page not zero");
	check("mmap_sigbus_past_eof", touch(m + 2 * PG + 8, &c) == 1,
	      "no SIGBUS/BUS_ADRERR past the end of the file");
	check("mmap_before_truncate", touch(m + 5, &c) == 0 && c == 'f', "page 0 unreadable");
	ftruncate(fd, 0);
	check("mmap_sigbus_after_truncate", touch(m + 5, &c) == 1,
	      "no SIGBUS on a page ftruncate removed");
	ftruncate(fd, PG);
	check("mmap_regrow_reads_zero", touch(m + 5, &c) == 0 && c == 0,
	      "grown file did not read back as zero");
	check("mmap_sigbus_private", ({
		char *pv = mmap(0, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
		int r = pv != MAP_FAILED && touch(pv + PG, &c) == 1;
		if (pv != MAP_FAILED)
			munmap(pv, 2 * PG);
		r; }), "no SIGBUS past EOF in a private mapping");
	munmap(m, 3 * PG);
	sigaction(SIGBUS, &old, NULL);
	close(fd);
	unlink(D "/bus");
}

/* ---- lifetime ----------------------------------------------------------- */

static void test_lifetime(void)
{
	int fd = make_file(D "/life", 3 * PG, 'k');
	char *m = mmap(0, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct stat st;

	close(fd);
	unlink(D "/life");
	check("mmap_survives_close_unlink", m != MAP_FAILED && m[0] == 'k' &&
	      m[2 * PG] == (char)('k' + (2 * PG) % 26) && stat(D "/life", &st) < 0,
	      "mapping unreadable after close and unlink");
	if (m != MAP_FAILED) {
		m[PG] = 'z';
		check("mmap_unlinked_store", m[PG] == 'z', "store to an unlinked file lost");
		munmap(m, 3 * PG);
	}
}

/* ---- msync -------------------------------------------------------------- */

static void test_msync(void)
{
	int fd = make_file(D "/sync", 2 * PG, 'a');
	char *m = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *hole, buf[4];

	if (fd < 0 || m == MAP_FAILED) {
		check("msync", 0, "set-up failed");
		return;
	}
	m[0] = 'S';
	check("msync_flags", msync(m, 2 * PG, MS_SYNC) == 0 && msync(m, PG, MS_ASYNC) == 0 &&
	      msync(m, 100, MS_INVALIDATE) == 0 && msync(m, PG, MS_SYNC | MS_INVALIDATE) == 0 &&
	      msync(m, 0, MS_SYNC) == 0, "msync with valid flags failed");
	/* tmpfs: the pages are the file, so MS_INVALIDATE drops nothing */
	check("msync_tmpfs_pages_are_file", m[0] == 'S' && pread(fd, buf, 1, 0) == 1 &&
	      buf[0] == 'S', "data changed by msync");
	check("msync_einval", ERR(msync(m, PG, MS_SYNC | MS_ASYNC), EINVAL) &&
	      ERR(msync(m + 1, PG, MS_SYNC), EINVAL) && ERR(msync(m, PG, 8), EINVAL),
	      "bad flags or alignment not EINVAL");
	hole = mmap(0, 3 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole + PG, PG);
	check("msync_enomem", ERR(msync(hole, 3 * PG, MS_SYNC), ENOMEM) &&
	      ERR(msync(hole + PG, PG, MS_ASYNC), ENOMEM) && msync(hole, PG, MS_SYNC) == 0,
	      "unmapped range not ENOMEM");
	munmap(hole, 3 * PG);
	munmap(m, 2 * PG);
	close(fd);
	unlink(D "/sync");
}

/* ---- /proc/self/maps ---------------------------------------------------- */

/* The maps line for address a, in line; 1 if found. */
static int maps_line(void *a, char *line, size_t size)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, (int)size, f)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    (unsigned long)a >= lo && (unsigned long)a < hi) {
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

static void test_maps(void)
{
	int fd = make_file(D "/maps", 2 * PG, 'a');
	char *s = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	char *p = mmap(0, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	char *a = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char line[512];

	check("maps_shared_file", maps_line(s, line, sizeof(line)) &&
	      strstr(line, " rw-s 00001000 ") && strstr(line, D "/maps\n"),
	      "shared file mapping line wrong");
	check("maps_private_file", maps_line(p, line, sizeof(line)) &&
	      strstr(line, " r--p 00000000 ") && strstr(line, D "/maps\n"),
	      "private file mapping line wrong");
	check("maps_shared_anon", maps_line(a, line, sizeof(line)) && strstr(line, " rw-s "),
	      "shared anonymous line wrong");
	munmap(s, PG);
	munmap(p, 2 * PG);
	munmap(a, PG);
	close(fd);
	unlink(D "/maps");

	/* a file opened by a relative name shows its absolute path */
	chdir(D);
	fd = make_file("rel", PG, 'a');
	p = mmap(0, PG, PROT_READ, MAP_SHARED, fd, 0);
	check("maps_relative_open", p != MAP_FAILED && maps_line(p, line, sizeof(line)) &&
	      strstr(line, " r--s 00000000 ") && strstr(line, D "/rel\n"),
	      "relative open not shown by absolute path");
	if (p != MAP_FAILED)
		munmap(p, PG);
	close(fd);
	unlink("rel");
	chdir("/");
}

/* ---- POSIX shared memory through /dev/shm ------------------------------- */

static void test_shm(void)
{
	int fd = shm_open("/fmtest", O_RDWR | O_CREAT | O_EXCL, 0600);
	volatile char *m;
	struct stat st;
	pid_t pid;

	if (fd < 0 || ftruncate(fd, 2 * PG) < 0) {
		check("shm_open", 0, "shm_open/ftruncate failed");
		return;
	}
	check("shm_in_dev_shm", stat("/dev/shm/fmtest", &st) == 0 && st.st_size == 2 * PG,
	      "object not in /dev/shm");
	m = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		check("shm_mmap", 0, "mmap failed");
		return;
	}
	pid = fork();
	if (pid == 0) {
		/* a separate open and mapping, as an unrelated process has */
		int cfd = shm_open("/fmtest", O_RDWR, 0);
		volatile char *c = cfd < 0 ? MAP_FAILED :
			mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);

		if (c == MAP_FAILED)
			_exit(2);
		munmap((void *)m, 2 * PG);
		c[PG + 3] = 'x';
		while (c[0] != 'y')
			sched_yield();
		_exit(0);
	}
	while (m[PG + 3] != 'x')
		sched_yield();
	m[0] = 'y';
	check("shm_two_processes", wait_status(pid) == 0, "stores not seen across processes");
	munmap((void *)m, 2 * PG);
	check("shm_unlink", shm_unlink("/fmtest") == 0 && stat("/dev/shm/fmtest", &st) < 0,
	      "shm_unlink failed");
}

int main(void)
{
	mkdir(D, 0755);
	test_errors();
	test_anon_fork();
	test_coherence();
	test_sigbus();
	test_lifetime();
	test_msync();
	test_maps();
	test_shm();
	rmdir(D);
	return failures ? 1 : 0;
}
