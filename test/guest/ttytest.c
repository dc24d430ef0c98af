/* The console tty from a static musl program: termios round trips (raw
 * mode via cfmakeraw and back), the window size, the foreground process
 * group with its errors, and isatty. It opens /dev/console itself, since
 * the runner points fds 1 and 2 at a capture file. Typing is tested by
 * the kernel's self-tests; a guest cannot type. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok)
{
	if (ok) {
		printf("PASS guest/tty_%s\n", name);
	} else {
		printf("FAIL guest/tty_%s (errno %d)\n", name, errno);
		failures++;
	}
}

static int same_termios(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	       !memcmp(a->c_cc, b->c_cc, 17);
}

int main(void)
{
	struct termios orig, raw, now;
	struct winsize ws;
	int fd, file, pfd[2];
	pid_t pg;

	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	check("open_console", fd >= 0);
	if (fd < 0)
		return 1;
	check("isatty_console", isatty(fd) == 1);
	check("tcgetattr", tcgetattr(fd, &orig) == 0);
	check("default_canonical_echo", (orig.c_lflag & (ICANON | ECHO | ISIG)) ==
	      (ICANON | ECHO | ISIG) && orig.c_cc[VINTR] == 3 && orig.c_cc[VEOF] == 4 &&
	      (orig.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR));

	raw = orig;
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	check("tcsetattr_raw", tcsetattr(fd, TCSANOW, &raw) == 0);
	check("raw_round_trip", tcgetattr(fd, &now) == 0 && same_termios(&now, &raw) &&
	      !(now.c_lflag & (ICANON | ECHO)));
	/* VMIN 0, VTIME 0: a read returns at once with whatever is there */
	char c;
	check("raw_read_does_not_block", read(fd, &c, 1) >= 0);
	check("tcsetattr_flush_back", tcsetattr(fd, TCSAFLUSH, &orig) == 0);
	check("restored", tcgetattr(fd, &now) == 0 && same_termios(&now, &orig));

	check("winsize", ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0);
	struct winsize big = ws;
	big.ws_row = 50;
	check("set_winsize", ioctl(fd, TIOCSWINSZ, &big) == 0 &&
	      ioctl(fd, TIOCGWINSZ, &big) == 0 && big.ws_row == 50 &&
	      ioctl(fd, TIOCSWINSZ, &ws) == 0);
	int avail = -1;
	check("fionread", ioctl(fd, FIONREAD, &avail) == 0 && avail >= 0);

	/* The runner's processes are in the boot session, whose terminal
	 * the console is. */
	pg = tcgetpgrp(fd);
	check("tcgetpgrp", pg > 0);
	check("tcsetpgrp_own_group", tcsetpgrp(fd, getpgrp()) == 0 && tcgetpgrp(fd) == getpgrp());
	errno = 0;
	check("tcsetpgrp_no_such_group", tcsetpgrp(fd, 30000) == -1 &&
	      (errno == ESRCH || errno == EPERM));
	errno = 0;
	check("tcsetpgrp_negative", tcsetpgrp(fd, -5) == -1 && errno == EINVAL);
	if (pg > 0)
		tcsetpgrp(fd, pg);
	int dt = open("/dev/tty", O_RDWR);
	check("dev_tty_is_controlling_terminal", dt >= 0 && isatty(dt));
	if (dt >= 0)
		close(dt);

	file = open("/tmp/ttytest.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	errno = 0;
	check("isatty_file", file >= 0 && isatty(file) == 0 && errno == ENOTTY);
	errno = 0;
	check("tcgetattr_file_enotty", tcgetattr(file, &now) == -1 && errno == ENOTTY);
	errno = 0;
	check("tcgetpgrp_file_enotty", tcgetpgrp(file) == -1 && errno == ENOTTY);
	close(file);
	unlink("/tmp/ttytest.file");
	if (pipe(pfd) == 0) {
		errno = 0;
		check("tcsetpgrp_pipe_enotty", tcsetpgrp(pfd[0], getpgrp()) == -1 &&
		      errno == ENOTTY);
		check("isatty_pipe", isatty(pfd[1]) == 0);
		close(pfd[0]);
		close(pfd[1]);
	} else {
		check("pipe", 0);
	}
	close(fd);
	return failures ? 1 : 0;
}
