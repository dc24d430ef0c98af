/* Pipes, ioctl and poll from a static musl program: data between
 * processes (fork, dup2, exec of /bin/hello), a full pipe, PIPE_BUF
 * atomicity, EOF, EPIPE with SIGPIPE, pipe2 flags, FIONREAD, ENOTTY,
 * and poll/select readiness, timeouts and EINTR. One "PASS/FAIL
 * guest/<name>" line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"

#define PIPE_SIZE	65536

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read until EOF into buf (size bytes at most); the count, or -1. */
static long read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	long r;

	while (got < size && (r = read(fd, buf + got, size - got)) > 0)
		got += r;
	return r < 0 ? -1 : (long)got;
}

static void test_basic(void)
{
	int fds[2];
	char buf[16] = { 0 };
	struct stat st;

	check("pipe_create", pipe(fds) == 0, "pipe failed");
	check("pipe_write_read", write(fds[1], "hello", 5) == 5 &&
	      read(fds[0], buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5),
	      "bytes did not come through");
	check("pipe_fstat_fifo", fstat(fds[0], &st) == 0 && S_ISFIFO(st.st_mode),
	      "fstat does not say S_IFIFO");
	errno = 0;
	check("pipe_lseek_espipe", lseek(fds[0], 0, SEEK_SET) == -1 && errno == ESPIPE,
	      "lseek on a pipe did not fail with ESPIPE");
	errno = 0;
	check("pipe_write_to_read_end", write(fds[0], "x", 1) == -1 && errno == EBADF,
	      "the read end accepted a write");
	close(fds[1]);
	check("pipe_eof", read(fds[0], buf, sizeof(buf)) == 0, "no EOF after the writer closed");
	close(fds[0]);
}

static void test_fork_exec(void)
{
	int fds[2], status;
	char buf[256];
	long n;
	pid_t pid;

	if (pipe(fds))
		return check("pipe_exec_hello", 0, "pipe failed");
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/hello", "hello", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read_all(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	buf[n > 0 ? n : 0] = 0;
	check("pipe_exec_hello", n > 0 && strstr(buf, "ello") && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "no output of /bin/hello came through the pipe");
}

static void test_between_processes(void)
{
	int fds[2], status;
	char buf[100000];
	long n;
	pid_t pid;

	if (pipe(fds))
		return check("pipe_fork_bulk", 0, "pipe failed");
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		memset(buf, 'z', sizeof(buf));
		_exit(write(fds[1], buf, sizeof(buf)) == sizeof(buf) ? 0 : 1);
	}
	close(fds[1]);
	n = read_all(fds[0], buf, sizeof(buf));
	close(fds[0]);
	waitpid(pid, &status, 0);
	check("pipe_fork_bulk", n == sizeof(buf) && buf[0] == 'z' && buf[n - 1] == 'z' &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "100000 bytes did not pass a 64 KiB pipe between two processes");
}

static void test_full(void)
{
	static char big[PIPE_SIZE];
	int fds[2], status, avail = -1;
	long n = 0, r;
	pid_t pid;

	if (pipe2(fds, O_NONBLOCK))
		return check("pipe_full_eagain", 0, "pipe2 failed");
	while ((r = write(fds[1], big, 4096)) > 0)
		n += r;
	check("pipe_full_eagain", r == -1 && errno == EAGAIN && n == PIPE_SIZE,
	      "a full non-blocking pipe did not say EAGAIN at 64 KiB");
	check("pipe_fionread", ioctl(fds[0], FIONREAD, &avail) == 0 && avail == PIPE_SIZE,
	      "FIONREAD did not report 65536");
	/* Blocking now: the writer must sleep until the child reads. */
	fcntl(fds[1], F_SETFL, 0);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		_exit(read(fds[0], big, 8192) == 8192 ? 0 : 1);
	}
	r = write(fds[1], big, 8192);
	waitpid(pid, &status, 0);
	check("pipe_full_writer_released", r == 8192 && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "a blocked writer was not released by a reader");
	close(fds[0]);
	close(fds[1]);
}

/* Two writers of PIPE_BUF-sized records: no record may be split. */
static void test_atomic(void)
{
	enum { REC = 4096, RECS = 24 };
	static char rec[REC], in[REC];
	int fds[2], ok = 1, status;
	pid_t kids[2];

	if (pipe(fds))
		return check("pipe_buf_atomic", 0, "pipe failed");
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			close(fds[0]);
			memset(rec, 'a' + k, REC);
			for (int i = 0; i < RECS; i++)
				if (write(fds[1], rec, REC) != REC)
					_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	for (int i = 0; i < 2 * RECS && ok; i++) {
		if (read_all(fds[0], in, REC) != REC) {
			ok = 0;
			break;
		}
		for (int j = 1; j < REC; j++)
			if (in[j] != in[0])
				ok = 0;
	}
	close(fds[0]);
	for (int k = 0; k < 2; k++)
		waitpid(kids[k], &status, 0);
	check("pipe_buf_atomic", ok, "a PIPE_BUF write was interleaved with another");
}

static void test_epipe(void)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return check("pipe_sigpipe_kills", 0, "pipe failed");
	/* The read end goes before the fork, so no reader exists when the
	 * child writes (closing it after raced with the write). */
	close(fds[0]);
	pid = fork();
	if (pid == 0) {
		write(fds[1], "x", 1);
		_exit(0);
	}
	close(fds[1]);
	waitpid(pid, &status, 0);
	check("pipe_sigpipe_kills", WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
	      "writing to a pipe without readers did not kill with SIGPIPE");

	if (pipe(fds))
		return;
	signal(SIGPIPE, SIG_IGN);
	close(fds[0]);
	errno = 0;
	check("pipe_epipe_ignored", write(fds[1], "x", 1) == -1 && errno == EPIPE,
	      "write with SIGPIPE ignored did not fail with EPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);
}

static void test_pipe2_flags(void)
{
	int fds[2];
	char c;

	check("pipe2_cloexec", pipe2(fds, O_CLOEXEC) == 0 &&
	      (fcntl(fds[0], F_GETFD) & FD_CLOEXEC) && (fcntl(fds[1], F_GETFD) & FD_CLOEXEC),
	      "O_CLOEXEC not set on both ends");
	close(fds[0]);
	close(fds[1]);
	check("pipe2_nonblock", pipe2(fds, O_NONBLOCK) == 0 &&
	      (fcntl(fds[0], F_GETFL) & O_NONBLOCK) && read(fds[0], &c, 1) == -1 &&
	      errno == EAGAIN, "an empty O_NONBLOCK pipe did not say EAGAIN");
	close(fds[0]);
	close(fds[1]);
	errno = 0;
	check("pipe2_einval", pipe2(fds, O_APPEND) == -1 && errno == EINVAL,
	      "pipe2 with a bad flag did not fail with EINVAL");
}

static void test_ioctl(void)
{
	struct termios_like { char b[64]; } t;
	int fd = open("/tmp/pipetest.reg", O_RDWR | O_CREAT | O_TRUNC, 0600);
	int on = 1, n = -1, fds[2];

	write(fd, "abcdef", 6);
	lseek(fd, 2, SEEK_SET);
	errno = 0;
	check("ioctl_regular_enotty", ioctl(fd, 0x5401 /* TCGETS */, &t) == -1 &&
	      errno == ENOTTY, "TCGETS on a regular file did not fail with ENOTTY");
	check("ioctl_fionread_regular", ioctl(fd, FIONREAD, &n) == 0 && n == 4,
	      "FIONREAD on a regular file is not size - offset");
	check("ioctl_fioclex", ioctl(fd, FIOCLEX) == 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC) &&
	      ioctl(fd, FIONCLEX) == 0 && !(fcntl(fd, F_GETFD) & FD_CLOEXEC),
	      "FIOCLEX/FIONCLEX did not change close-on-exec");
	close(fd);
	unlink("/tmp/pipetest.reg");
	errno = 0;
	check("ioctl_ebadf", ioctl(fd, FIONREAD, &n) == -1 && errno == EBADF,
	      "ioctl on a closed fd did not fail with EBADF");
	if (pipe(fds))
		return;
	check("ioctl_fionbio", ioctl(fds[0], FIONBIO, &on) == 0 &&
	      (fcntl(fds[0], F_GETFL) & O_NONBLOCK), "FIONBIO did not set O_NONBLOCK");
	close(fds[0]);
	close(fds[1]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_poll(void)
{
	struct pollfd p[2];
	int fds[2], fd;
	long t0, dt;
	struct sigaction sa;
	fd_set rd;
	struct timeval tv = { 0, 0 };

	if (pipe(fds))
		return check("poll_empty_timeout0", 0, "pipe failed");
	p[0] = (struct pollfd){ fds[0], POLLIN, 0 };
	p[1] = (struct pollfd){ fds[1], POLLOUT, 0 };
	check("poll_empty_timeout0", poll(p, 1, 0) == 0 && p[0].revents == 0,
	      "an empty pipe polled readable");
	check("poll_writable", poll(&p[1], 1, 0) == 1 && (p[1].revents & POLLOUT),
	      "an empty pipe did not poll writable");
	t0 = now_ms();
	check("poll_timeout_100ms", poll(p, 1, 100) == 0, "poll on an empty pipe returned early");
	dt = now_ms() - t0;
	check("poll_timeout_elapsed", dt >= 90 && dt < 1000, "100 ms timeout took the wrong time");
	write(fds[1], "x", 1);
	check("poll_readable", poll(p, 2, -1) == 2 && (p[0].revents & POLLIN) &&
	      (p[1].revents & POLLOUT), "a pipe with data did not poll readable");
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	check("select_readable", select(fds[0] + 1, &rd, NULL, NULL, &tv) == 1 &&
	      FD_ISSET(fds[0], &rd), "select did not see the pipe readable");
	close(fds[1]);
	read(fds[0], (char *)&fd, 1);
	check("poll_hup", poll(p, 1, 1000) == 1 && (p[0].revents & POLLHUP),
	      "no POLLHUP once the writer closed");
	close(fds[0]);

	p[0] = (struct pollfd){ fds[0], POLLIN, 0 };
	check("poll_nval", poll(p, 1, 0) == 1 && p[0].revents == POLLNVAL,
	      "a closed fd did not give POLLNVAL");
	fd = open("/dev/null", O_RDWR);
	p[0] = (struct pollfd){ fd, POLLIN | POLLOUT, 0 };
	check("poll_devnull_ready", poll(p, 1, -1) == 1 &&
	      (p[0].revents & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT),
	      "/dev/null not ready both ways");
	close(fd);
	errno = 0;
	check("poll_efault", poll((struct pollfd *)16, 1, 0) == -1 && errno == EFAULT,
	      "a bad array did not give EFAULT");
	errno = 0;
	check("poll_einval_nfds", poll(p, 1u << 20, 0) == -1 && errno == EINVAL,
	      "nfds beyond the fd limit did not give EINVAL");

	/* A child blocks in poll until the parent writes: wake-up works. */
	if (pipe(fds))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		struct pollfd q = { fds[0], POLLIN, 0 };
		_exit(poll(&q, 1, 5000) == 1 && (q.revents & POLLIN) ? 0 : 1);
	}
	usleep(30000);
	write(fds[1], "y", 1);
	int status;
	waitpid(pid, &status, 0);
	check("poll_wakeup", WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a poller was not woken by a write");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	p[0] = (struct pollfd){ fds[0], POLLIN, 0 };
	read(fds[0], &status, 1);
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	check("poll_eintr", poll(p, 1, 3000) == -1 && errno == EINTR,
	      "a signal did not interrupt poll with EINTR");
	signal(SIGALRM, SIG_DFL);
	close(fds[0]);
	close(fds[1]);
}

/* mkfifo: a writer and a reader in two processes meet at the name. */
static void test_fifo(void)
{
	const char *path = "/tmp/pipetest.fifo";
	struct stat st;
	char buf[16] = { 0 };
	int fd, status;
	pid_t pid;

	unlink(path);
	check("fifo_mkfifo", mkfifo(path, 0600) == 0 && stat(path, &st) == 0 &&
	      S_ISFIFO(st.st_mode), "mkfifo did not make a FIFO");
	errno = 0;
	check("fifo_nonblock_writer_enxio", open(path, O_WRONLY | O_NONBLOCK) == -1 &&
	      errno == ENXIO, "a non-blocking writer without readers did not get ENXIO");
	pid = fork();
	if (pid == 0) {
		int w = open(path, O_WRONLY);	/* waits for the reader */

		_exit(w >= 0 && write(w, "fifo!", 5) == 5 ? 0 : 1);
	}
	fd = open(path, O_RDONLY);		/* waits for the writer */
	check("fifo_read", fd >= 0 && read_all(fd, buf, sizeof(buf)) == 5 &&
	      !memcmp(buf, "fifo!", 5), "bytes did not pass through the FIFO");
	waitpid(pid, &status, 0);
	check("fifo_writer_done", WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the FIFO writer failed");
	close(fd);
	unlink(path);
}

static void test_ppoll(void)
{
	int fds[2];
	struct pollfd p;
	struct timespec ts = { 0, 20 * 1000000 };
	sigset_t mask;

	if (pipe(fds))
		return;
	p = (struct pollfd){ fds[0], POLLIN, 0 };
	sigemptyset(&mask);
	check("ppoll_timeout", ppoll(&p, 1, &ts, &mask) == 0, "ppoll on an empty pipe did not time out");
	write(fds[1], "z", 1);
	check("ppoll_readable", ppoll(&p, 1, NULL, NULL) == 1 && (p.revents & POLLIN),
	      "ppoll did not see data");
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	test_basic();
	test_fork_exec();
	test_between_processes();
	test_full();
	test_atomic();
	test_epipe();
	test_pipe2_flags();
	test_ioctl();
	test_poll();
	test_ppoll();
	test_fifo();
	return failures ? 1 : 0;
}
