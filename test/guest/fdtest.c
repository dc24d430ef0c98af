/* Descriptors from a static musl program: dup/dup2/dup3, fcntl, shared
 * offsets, inheritance across fork and exec with close-on-exec (through
 * /bin/fdprobe), EMFILE under RLIMIT_NOFILE, and the devices /dev/null,
 * /dev/zero, /dev/full and /dev/urandom. One "PASS/FAIL guest/<name>"
 * line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guest.h"

#define F	"/tmp/fdtest.file"

static int is_open(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0;
}

static void test_dup(void)
{
	int fd = open(F, O_RDWR | O_CREAT | O_TRUNC, 0644), d, e = -1;
	char buf[8];

	write(fd, "0123456789", 10);
	d = dup(fd);
	check("dup", d > fd && is_open(d), "dup did not return a new descriptor");
	check("dup_shared_offset", lseek(fd, 3, SEEK_SET) == 3 && lseek(d, 0, SEEK_CUR) == 3 &&
	      read(d, buf, 2) == 2 && lseek(fd, 0, SEEK_CUR) == 5, "dup'd fds do not share the offset");
	check("dup_no_cloexec", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && (e = dup(fd)) >= 0 &&
	      fcntl(e, F_GETFD) == 0, "dup copied FD_CLOEXEC");
	close(e);
	fcntl(fd, F_SETFD, 0);
	check("dup_ebadf", ERR(dup(99), EBADF), "dup of a bad fd not EBADF");
	check("dup_lowest", close(d) == 0 && dup(fd) == d, "dup did not take the lowest free fd");
	check("dup2", dup2(fd, 15) == 15 && lseek(15, 0, SEEK_CUR) == 5, "dup2 to 15 failed");
	check("dup2_replaces", dup2(d, 15) == 15 && is_open(15), "dup2 onto an open fd failed");
	check("dup2_self", dup2(fd, fd) == fd && is_open(fd), "dup2 onto itself not a no-op");
	check("dup2_self_ebadf", ERR(dup2(40, 40), EBADF), "dup2 of a closed fd onto itself");
	check("dup2_ebadf", ERR(dup2(99, 16), EBADF) && !is_open(16), "dup2 of a bad fd");
	check("dup2_clears_cloexec", fcntl(15, F_SETFD, FD_CLOEXEC) == 0 && dup2(fd, 15) == 15 &&
	      fcntl(15, F_GETFD) == 0, "dup2 kept FD_CLOEXEC on the new fd");
	check("dup3_cloexec", dup3(fd, 16, O_CLOEXEC) == 16 && fcntl(16, F_GETFD) == FD_CLOEXEC,
	      "dup3 O_CLOEXEC did not set FD_CLOEXEC");
	check("dup3_same_einval", ERR(dup3(fd, fd, 0), EINVAL), "dup3 onto itself not EINVAL");
	check("dup3_flags_einval", ERR(syscall(292, fd, 17, O_APPEND), EINVAL), "dup3 bad flags not EINVAL");
	check("dup2_range_ebadf", ERR(dup2(fd, 100000), EBADF), "dup2 beyond the limit not EBADF");
	close(15);
	close(16);
	close(d);

	/* fcntl */
	check("f_getfd", fcntl(fd, F_GETFD) == 0, "F_GETFD not 0");
	check("f_setfd", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC &&
	      fcntl(fd, F_SETFD, 0) == 0 && fcntl(fd, F_GETFD) == 0, "F_SETFD did not toggle");
	check("f_getfl_rdwr", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR &&
	      !(fcntl(fd, F_GETFL) & O_APPEND), "F_GETFL access mode wrong");
	d = open(F, O_WRONLY | O_APPEND);
	check("f_getfl_append", (fcntl(d, F_GETFL) & (O_ACCMODE | O_APPEND)) == (O_WRONLY | O_APPEND),
	      "F_GETFL did not show O_WRONLY|O_APPEND");
	close(d);
	d = open(F, O_RDONLY);
	check("f_getfl_rdonly", (fcntl(d, F_GETFL) & O_ACCMODE) == O_RDONLY, "F_GETFL O_RDONLY");
	check("f_setfl_keeps_accmode", fcntl(d, F_SETFL, O_RDWR) == 0 &&
	      (fcntl(d, F_GETFL) & O_ACCMODE) == O_RDONLY && ERR(write(d, "x", 1), EBADF),
	      "F_SETFL changed the access mode");
	close(d);
	check("f_setfl_append", fcntl(fd, F_SETFL, O_APPEND) == 0 &&
	      (fcntl(fd, F_GETFL) & O_APPEND) && lseek(fd, 0, SEEK_SET) == 0 &&
	      write(fd, "A", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 11, "F_SETFL O_APPEND not honored");
	check("f_setfl_append_off", fcntl(fd, F_SETFL, 0) == 0 && !(fcntl(fd, F_GETFL) & O_APPEND) &&
	      lseek(fd, 0, SEEK_SET) == 0 && write(fd, "B", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 1,
	      "clearing O_APPEND did not write at the offset");
	check("f_setfl_nonblock", fcntl(fd, F_SETFL, O_NONBLOCK) == 0 &&
	      (fcntl(fd, F_GETFL) & O_NONBLOCK) && fcntl(fd, F_SETFL, 0) == 0 &&
	      !(fcntl(fd, F_GETFL) & O_NONBLOCK), "F_SETFL O_NONBLOCK did not toggle");
	d = dup(fd);
	check("f_setfl_shared", fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(d, F_GETFL) & O_APPEND) &&
	      fcntl(fd, F_SETFL, 0) == 0, "status flags not shared by dup'd fds");
	check("f_setfd_not_shared", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(d, F_GETFD) == 0 &&
	      fcntl(fd, F_SETFD, 0) == 0, "FD_CLOEXEC shared by dup'd fds");
	close(d);
	check("f_dupfd_min", fcntl(fd, F_DUPFD, 30) == 30 && fcntl(fd, F_DUPFD, 30) == 31 &&
	      fcntl(30, F_GETFD) == 0 && lseek(31, 0, SEEK_CUR) == 1, "F_DUPFD with a minimum");
	check("f_dupfd_cloexec", fcntl(fd, F_DUPFD_CLOEXEC, 30) == 32 &&
	      fcntl(32, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC");
	check("f_dupfd_einval", ERR(fcntl(fd, F_DUPFD, -1), EINVAL) &&
	      ERR(fcntl(fd, F_DUPFD, 1 << 30), EINVAL), "F_DUPFD bad minimum not EINVAL");
	close(30);
	close(31);
	close(32);
	check("fcntl_ebadf", ERR(fcntl(99, F_GETFD), EBADF) && ERR(fcntl(-1, F_GETFL), EBADF),
	      "fcntl on a bad fd not EBADF");
	check("fcntl_einval_cmd", ERR(fcntl(fd, 12345), EINVAL), "unknown fcntl command not EINVAL");
	close(fd);
}

static void test_fork_share(void)
{
	int fd = open(F, O_RDWR), status;
	pid_t pid;

	lseek(fd, 2, SEEK_SET);
	pid = fork();
	if (pid == 0)
		_exit(lseek(fd, 0, SEEK_CUR) == 2 && lseek(fd, 7, SEEK_SET) == 7 &&
		      fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 ? 0 : 1);
	check("fork_shared_offset", pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0 && lseek(fd, 0, SEEK_CUR) == 7,
	      "the child's lseek not seen by the parent");
	check("fork_fd_flags_private", fcntl(fd, F_GETFD) == 0, "child's FD_CLOEXEC reached the parent");
	pid = fork();
	if (pid == 0) {
		close(fd);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	check("fork_close_private", is_open(fd), "the child's close closed the parent's fd");
	close(fd);
}

static void test_exec_inherit(void)
{
	int keep = open(F, O_RDWR), gone = open(F, O_RDONLY | O_CLOEXEC), dcl, p[2], status;
	char out[256] = { 0 }, want[32], arg[16];
	long n = 0, r;
	pid_t pid;

	lseek(keep, 3, SEEK_SET);
	dcl = fcntl(keep, F_DUPFD_CLOEXEC, 12);
	dup2(keep, 13);
	pipe(p);
	snprintf(arg, sizeof(arg), "%d", keep);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "fdprobe", arg, NULL };

		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		if (!is_open(gone) || !is_open(dcl))
			_exit(3);
		execv("/bin/fdprobe", argv);
		_exit(127);
	}
	close(p[1]);
	while ((r = read(p[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += r;
	close(p[0]);
	check("exec_probe_ran", pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0 && strstr(out, "end"), "fdprobe did not run or failed");
	snprintf(want, sizeof(want), " %d:3 ", keep);
	check("exec_keeps_fd", strstr(out, want) != NULL, "an inherited fd missing or offset not 3");
	snprintf(want, sizeof(want), " %d:", gone);
	check("exec_closes_cloexec", strstr(out, want) == NULL, "an O_CLOEXEC fd survived exec");
	snprintf(want, sizeof(want), " %d:", dcl);
	check("exec_closes_dupfd_cloexec", strstr(out, want) == NULL,
	      "an F_DUPFD_CLOEXEC fd survived exec");
	check("exec_keeps_dup2", strstr(out, " 13:3 ") != NULL, "dup2'd fd 13 missing after exec");
	check("exec_stdio", !strncmp(out, "0:", 2) && strstr(out, " 1:") && strstr(out, " 2:"),
	      "fds 0-2 not inherited");
	check("exec_shared_offset", lseek(keep, 0, SEEK_CUR) == 8 && lseek(13, 0, SEEK_CUR) == 8,
	      "the exec'd program's write did not move the shared offset");
	check("exec_parent_cloexec_kept", is_open(gone) && fcntl(gone, F_GETFD) == FD_CLOEXEC,
	      "the parent's O_CLOEXEC fd was touched");
	{
		char buf[16] = { 0 };

		check("exec_write_landed", pread(keep, buf, 5, 3) == 5 && !memcmp(buf, "probe", 5),
		      "the exec'd program's write is not in the file");
	}
	close(keep);
	close(gone);
	close(dcl);
	close(13);
}

static void test_emfile(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 10, 10 }, got;
		int fd = -1, last = -1, code = 0;

		if (setrlimit(RLIMIT_NOFILE, &rl) || getrlimit(RLIMIT_NOFILE, &got) || got.rlim_cur != 10)
			_exit(10);
		while ((fd = open("/dev/null", O_RDONLY)) >= 0)
			last = fd;
		if (errno != EMFILE || last != 9)
			code = 11;
		else if (!ERR(dup(0), EMFILE))
			code = 12;
		else if (!ERR(dup2(0, 10), EBADF))
			code = 13;
		else if (!ERR(fcntl(0, F_DUPFD, 10), EINVAL))
			code = 14;
		else if (close(9) || open("/dev/null", O_RDONLY) != 9)
			code = 15;
		else if (!ERR(pipe((int[2]){ 0, 0 }), EMFILE))
			code = 16;
		_exit(code);
	}
	check("emfile", pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0,
	      "RLIMIT_NOFILE 10: open/dup/dup2/F_DUPFD/pipe errors differ from Linux");
	if (WIFEXITED(status) && WEXITSTATUS(status))
		printf("  (emfile child step %d)\n", WEXITSTATUS(status));
}

static void test_devices(void)
{
	char buf[256];
	int fd, ok;

	fd = open("/dev/null", O_RDWR);
	check("dev_null", fd >= 0 && write(fd, buf, sizeof(buf)) == sizeof(buf) &&
	      read(fd, buf, sizeof(buf)) == 0, "/dev/null: write not swallowed or read not EOF");
	close(fd);
	fd = open("/dev/zero", O_RDWR);
	memset(buf, 'x', sizeof(buf));
	ok = fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf) &&
	     write(fd, "abc", 3) == 3;
	for (int i = 0; ok && i < (int)sizeof(buf); i++)
		ok = buf[i] == 0;
	check("dev_zero", ok, "/dev/zero did not read zeros or refuse writes");
	close(fd);
	fd = open("/dev/full", O_RDWR);
	memset(buf, 'x', sizeof(buf));
	check("dev_full", fd >= 0 && ERR(write(fd, "abc", 3), ENOSPC) &&
	      read(fd, buf, 16) == 16 && buf[0] == 0 && buf[15] == 0,
	      "/dev/full: write not ENOSPC or read not zeros");
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	ok = fd >= 0 && read(fd, buf, 64) == 64;
	{
		int nz = 0;

		for (int i = 0; i < 64; i++)
			nz += buf[i] != 0;
		check("dev_urandom", ok && nz > 32, "/dev/urandom did not read random bytes");
	}
	close(fd);
	check("dev_null_lseek", (fd = open("/dev/null", O_RDONLY)) >= 0 && lseek(fd, 0, SEEK_SET) == 0,
	      "lseek on /dev/null not 0");
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_dup();
	test_fork_share();
	test_exec_inherit();
	test_emfile();
	test_devices();
	check("cleanup", unlink(F) == 0, "could not remove " F);
	return failures ? 1 : 0;
}
