/* fork, execve and wait4 from user space: a child execs /bin/hello and
 * the parent checks its exit status; exit codes, a bad path and a failed
 * exec that leaves the caller running. One "PASS/FAIL guest/<name>" line
 * per check, read by the kernel's guest-test runner. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("PASS guest/%s\n", name);
	} else {
		printf("FAIL guest/%s: %s (errno %d)\n", name, why, errno);
		failures++;
	}
}

/* Fork a child that execs path; the wait status, or -1. */
static int run(const char *path, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void test_exec_hello(void)
{
	char *argv[] = { "hello", NULL };
	int status = run("/bin/hello", argv);

	check("exec_hello", status >= 0 && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "hello did not exit 0");
}

static void test_exit_code(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(42);
	check("fork_exit_code", pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 42,
	      "status of _exit(42) not seen");
}

static void test_exec_missing(void)
{
	char *argv[] = { "nothing", NULL };

	errno = 0;
	check("exec_enoent", execv("/bin/does-not-exist", argv) == -1 &&
	      errno == ENOENT, "exec of a missing file did not fail with ENOENT");
}

static void test_exec_not_elf(void)
{
	char *argv[] = { "hostname", NULL };

	/* /etc/hostname is a regular file without the exec bit. */
	errno = 0;
	check("exec_eacces", execv("/etc/hostname", argv) == -1 &&
	      errno == EACCES, "exec of a non-executable file did not fail with EACCES");
}

/* Make path with mode and contents; 0 or -1. */
static int make_file(const char *path, int mode, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	size_t len = strlen(text);

	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void test_exec_garbage(void)
{
	char *argv[] = { "garbage", NULL };

	check("exec_enoexec_setup", make_file("/tmp/garbage", 0755,
	      "neither ELF nor a script\n") == 0, "cannot create /tmp/garbage");
	errno = 0;
	check("exec_enoexec", execv("/tmp/garbage", argv) == -1 &&
	      errno == ENOEXEC, "exec of garbage did not fail with ENOEXEC");
	unlink("/tmp/garbage");
}

/* A "#!" script whose interpreter is hello: it runs hello, which exits 0. */
static void test_exec_script(void)
{
	char *argv[] = { "script", "arg", NULL };
	int status;

	check("exec_script_setup", make_file("/tmp/script", 0755,
	      "#!/bin/hello -x\n") == 0, "cannot create /tmp/script");
	status = run("/tmp/script", argv);
	check("exec_script", status >= 0 && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "script through /bin/hello did not exit 0");
	unlink("/tmp/script");
}

/* vfork: the parent sleeps until the child has exec'ed (or exited). */
static void test_vfork_exec(void)
{
	char *argv[] = { "hello", NULL };
	int status;
	pid_t pid = vfork();

	if (pid == 0) {
		execv("/bin/hello", argv);
		_exit(127);
	}
	check("vfork_exec", pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "vfork + exec of hello did not exit 0");
}

static void test_killed_status(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		volatile uintptr_t bad = 8;	/* hidden from the compiler */

		*(volatile int *)bad = 1;
		_exit(0);
	}
	check("wait_signaled", pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "a segfaulting child's status is not SIGSEGV");
}

/* WNOHANG on a live child returns 0; waiting on the own process group
 * (pid 0) then finds it. */
static void test_wait_nohang_group(void)
{
	int status, r;
	pid_t pid = fork();

	if (pid == 0) {
		usleep(50000);
		_exit(7);
	}
	r = waitpid(pid, &status, WNOHANG);
	check("wait_nohang_running", r == 0, "WNOHANG did not return 0");
	check("wait_own_group", waitpid(0, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "waitpid(0) did not find the child");
}

/* Bad pointers and oversized arguments fail, and the caller goes on. */
static void test_exec_errors(void)
{
	static char big[200 * 1024];
	char *argv[] = { "hello", big, NULL };
	char *kernel = (char *)0xffff800000000000ull;

	errno = 0;
	check("exec_efault_path", syscall(SYS_execve, (char *)1, NULL, NULL) == -1 &&
	      errno == EFAULT, "bad path pointer did not give EFAULT");
	errno = 0;
	check("exec_efault_kernel_argv", syscall(SYS_execve, "/bin/hello", kernel, NULL) == -1 &&
	      errno == EFAULT, "kernel argv pointer did not give EFAULT");
	memset(big, 'x', sizeof(big) - 1);
	errno = 0;
	check("exec_e2big", execv("/bin/hello", argv) == -1 && errno == E2BIG,
	      "200 KiB argument did not give E2BIG");
}

static void test_wait_nohang_echild(void)
{
	int status;

	errno = 0;
	check("wait_echild", waitpid(-1, &status, WNOHANG) == -1 &&
	      errno == ECHILD, "wait with no children did not fail with ECHILD");
}

static void test_getpid_in_child(void)
{
	int status;
	pid_t parent = getpid(), pid = fork();

	if (pid == 0)
		_exit(getppid() == parent && getpid() != parent ? 0 : 1);
	check("fork_pids", pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child's getpid/getppid wrong");
}

int main(void)
{
	/* Unbuffered, so that nothing is printed twice after a fork and
	 * nothing is lost if a check crashes the program. */
	setvbuf(stdout, NULL, _IONBF, 0);
	test_exit_code();
	test_getpid_in_child();
	test_exec_hello();
	test_exec_missing();
	test_exec_not_elf();
	test_exec_garbage();
	test_exec_script();
	test_exec_errors();
	test_vfork_exec();
	test_killed_status();
	test_wait_nohang_group();
	test_wait_nohang_echild();
	return failures ? 1 : 0;
}
