/* W^X as a static musl program sees it: mmap, mprotect and mremap refuse
 * memory that is writable and executable at once (EACCES) while writing
 * code and then making it executable is allowed; the prctl switch lifts
 * it, fork keeps the switch and exec resets it; an ELF file with a W+X
 * PT_LOAD does not exec (a copy of /bin/hello patched in /tmp). Also
 * prctl's process name and its EINVAL for what it does not know. Under
 * "wx=off" (seen in /proc/audit's status line) it checks that W+X is
 * allowed instead. One "PASS/FAIL guest/<name>" line per check. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../include/uapi/prctl.h"
#include "guest.h"

#define PG		4096UL
#define RWX		(PROT_READ | PROT_WRITE | PROT_EXEC)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)
#define ELF_OK		"/tmp/wxtest-ok.elf"
#define ELF_WX		"/tmp/wxtest-wx.elf"
#define EXEC_CHILD	"exec-child"

/* mov eax, 42; ret */
static const unsigned char code42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

static int run_code(void *p)
{
	int (*fn)(void) = (int (*)(void))p;

	return fn();
}

static int relax(int on)
{
	return prctl(PR_SET_WX_RELAX, on, 0, 0, 0);
}

static int relaxed(void)
{
	return prctl(PR_GET_WX_RELAX, 0, 0, 0, 0);
}

/* mmap of one page with prot refused with EACCES. */
static int mmap_denied(int prot, int flags)
{
	void *p = mmap(NULL, PG, prot, flags, -1, 0);

	if (p != MAP_FAILED) {
		munmap(p, PG);
		return 0;
	}
	return errno == EACCES;
}

/* A writable, executable page holding code42, run: 42, or -1. */
static int wx_page_runs(void)
{
	void *p = mmap(NULL, PG, RWX, ANON, -1, 0);
	int r;

	if (p == MAP_FAILED)
		return -1;
	memcpy(p, code42, sizeof(code42));
	r = run_code(p);
	munmap(p, PG);
	return r;
}

/* Wait for pid: its exit code, or -1. */
static int wait_code(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Whether /proc/audit's status line says the policy is off (wx=off). */
static int wx_off(void)
{
	char buf[512];
	int fd = open("/proc/audit", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return strstr(buf, "\"wx\":\"off\"") != NULL;
}

/* ---- the calls ------------------------------------------------------ */

static void test_mmap_mprotect(void)
{
	unsigned char *p;

	check("wx_default_not_relaxed", relaxed() == 0, "PR_GET_WX_RELAX is not 0");
	check("wx_mmap_rwx", mmap_denied(RWX, ANON), "RWX anonymous memory mapped");
	check("wx_mmap_wx", mmap_denied(PROT_WRITE | PROT_EXEC, ANON), "WX memory mapped");
	check("wx_mmap_shared_rwx", mmap_denied(RWX, MAP_SHARED | MAP_ANONYMOUS),
	      "RWX shared memory mapped");

	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, ANON, -1, 0);
	if (p == MAP_FAILED) {
		check("wx_mprotect_rwx", 0, "mmap RW failed");
		return;
	}
	errno = 0;
	check("wx_mprotect_rwx", mprotect(p, PG, RWX) < 0 && errno == EACCES,
	      "mprotect to RWX allowed");
	/* refused, the page kept its protection: still writable */
	p[0] = 1;
	memcpy(p, code42, sizeof(code42));
	check("wx_two_steps", mprotect(p, PG, PROT_READ | PROT_EXEC) == 0 && run_code(p) == 42,
	      "RW then RX did not run");
	check("wx_exec_then_write", mprotect(p, PG, PROT_READ | PROT_WRITE) == 0 &&
	      (p[10] = 5, p[10] == 5), "RX back to RW refused");
	munmap(p, PG);
}

static void test_relax(void)
{
	pid_t pid;

	check("wx_relax", relax(1) == 0 && relaxed() == 1 && wx_page_runs() == 42,
	      "RWX refused after PR_SET_WX_RELAX");
	pid = fork();
	if (pid == 0)
		_exit(relaxed() == 1 && wx_page_runs() == 42 ? 0 : 1);
	check("wx_relax_fork", wait_code(pid) == 0, "the forked child is not relaxed");
	/* the child execs this program again, which checks it is not */
	pid = fork();
	if (pid == 0) {
		char *const argv[] = { "/bin/wxtest", EXEC_CHILD, NULL };

		execve(argv[0], argv, environ);
		_exit(3);
	}
	check("wx_relax_exec_reset", wait_code(pid) == 0, "relaxed after exec");
}

/* The exec'd child of test_relax: 0 when W^X holds again. */
static int exec_child(void)
{
	return relaxed() == 0 && mmap_denied(RWX, ANON) ? 0 : 1;
}

/*
 * mremap keeps protections: it can only grow or move W+X memory that was
 * made while relaxed, and that is refused once the policy is back.
 */
static void test_mremap(void)
{
	unsigned char *w, *n, *q;

	relax(1);
	w = mmap(NULL, 2 * PG, RWX, ANON, -1, 0);
	relax(0);
	check("wx_restored", relaxed() == 0 && mmap_denied(RWX, ANON), "RWX still allowed");
	if (w == MAP_FAILED) {
		check("wx_mremap_grow", 0, "no RWX mapping while relaxed");
		return;
	}
	errno = 0;
	check("wx_mremap_grow", mremap(w, 2 * PG, 4 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
	      errno == EACCES, "a W+X mapping grew");
	n = mmap(NULL, 2 * PG, PROT_NONE, ANON, -1, 0);
	errno = 0;
	check("wx_mremap_move", n != MAP_FAILED &&
	      mremap(w, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, n) == MAP_FAILED &&
	      errno == EACCES, "a W+X mapping moved");
	check("wx_mremap_shrink", mremap(w, 2 * PG, PG, 0) == w, "shrinking refused");
	munmap(w, PG);
	if (n != MAP_FAILED)
		munmap(n, 2 * PG);

	w = mmap(NULL, PG, PROT_READ | PROT_WRITE, ANON, -1, 0);
	if (w != MAP_FAILED)
		w[0] = 7;
	q = w == MAP_FAILED ? MAP_FAILED : mremap(w, PG, 64 * PG, MREMAP_MAYMOVE);
	check("wx_mremap_normal", q != MAP_FAILED && q[0] == 7 && (q[63 * PG] = 1),
	      "mremap of a RW mapping failed");
	if (q != MAP_FAILED)
		munmap(q, 64 * PG);
}

/* ---- ELF ------------------------------------------------------------- */

/* Copy /bin/hello to path, with PF_W added to its executable PT_LOADs
 * when wx: 0, or -1. */
static int copy_hello(const char *path, int wx)
{
	static unsigned char buf[1 << 20];
	ssize_t len = 0, r;
	int fd = open("/bin/hello", O_RDONLY), patched = 0;
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += r;
	close(fd);
	if (len < (ssize_t)sizeof(*eh) || eh->e_phoff + eh->e_phnum * sizeof(Elf64_Phdr) > (size_t)len)
		return -1;
	for (int i = 0; wx && i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			ph->p_flags |= PF_W;
			patched++;
		}
	}
	if (wx && !patched)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		return -1;
	r = write(fd, buf, len);
	close(fd);
	return r == len ? 0 : -1;
}

/* Run path with its output thrown away: its exit code; 42 when execve
 * failed with EACCES, 43 for another error. */
static int run_quietly(const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *const argv[] = { (char *)path, NULL };
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execve(path, argv, environ);
		_exit(errno == EACCES ? 42 : 43);
	}
	return wait_code(pid);
}

static void test_elf(int off)
{
	int ok = copy_hello(ELF_OK, 0) == 0 && copy_hello(ELF_WX, 1) == 0;

	check(off ? "wx_off_elf_copy_runs" : "wx_elf_copy_runs", ok && run_quietly(ELF_OK) == 0,
	      "the unpatched copy of /bin/hello did not run");
	if (off) {
		check("wx_off_elf_wx_runs", ok && run_quietly(ELF_WX) == 0,
		      "a W+X PT_LOAD did not run with wx=off");
	} else {
		check("wx_elf_wx_eacces", ok && run_quietly(ELF_WX) == 42,
		      "a W+X PT_LOAD was not refused with EACCES");
		/* a relaxed process's exec gets no exception: the new image
		 * starts with W^X on */
		relax(1);
		check("wx_elf_wx_relaxed_eacces", ok && run_quietly(ELF_WX) == 42,
		      "a relaxed process could exec a W+X PT_LOAD");
		relax(0);
	}
	unlink(ELF_OK);
	unlink(ELF_WX);
}

/* ---- prctl ------------------------------------------------------------ */

static int status_has_name(const char *name)
{
	char buf[1024], want[64];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "Name:\t%s\n", name);
	return strstr(buf, want) != NULL;
}

static void test_prctl(void)
{
	char name[16] = "";

	errno = 0;
	check("prctl_unknown_einval", prctl(0x7fff0000, 0, 0, 0, 0) < 0 && errno == EINVAL,
	      "an unknown option did not give EINVAL");
	errno = 0;
	check("prctl_wx_bad_arg", prctl(PR_SET_WX_RELAX, 2, 0, 0, 0) < 0 && errno == EINVAL &&
	      prctl(PR_SET_WX_RELAX, 1, 1, 0, 0) < 0 && errno == EINVAL && relaxed() == 0,
	      "a bad argument was taken");
	check("prctl_name", prctl(PR_SET_NAME, "wx-renamed", 0, 0, 0) == 0 &&
	      prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && !strcmp(name, "wx-renamed") &&
	      status_has_name("wx-renamed"), "name not set");
	check("prctl_name_cut", prctl(PR_SET_NAME, "abcdefghijklmnopqrstuvwxyz", 0, 0, 0) == 0 &&
	      prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && !strcmp(name, "abcdefghijklmno"),
	      "a long name was not cut to 15 bytes");
	errno = 0;
	check("prctl_name_efault", prctl(PR_SET_NAME, (char *)8, 0, 0, 0) < 0 && errno == EFAULT,
	      "a bad pointer did not give EFAULT");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], EXEC_CHILD))
		return exec_child();
	if (wx_off()) {
		check("wx_off_mmap_rwx", wx_page_runs() == 42, "RWX refused with wx=off");
		test_elf(1);
		return failures ? 1 : 0;
	}
	test_mmap_mprotect();
	test_relax();
	test_mremap();
	test_elf(0);
	test_prctl();
	return failures ? 1 : 0;
}
