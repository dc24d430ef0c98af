/* termios.h over the TCGETS/TCSETS* ioctls, and isatty. */
#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "internal.h"

int tcgetattr(int fd, struct termios *t)
{
	return (int)__syscall_ret(__sc3(__NR_ioctl, fd, TCGETS, t));
}

int tcsetattr(int fd, int when, const struct termios *t)
{
	if (when < TCSANOW || when > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return (int)__syscall_ret(__sc3(__NR_ioctl, fd, TCSETS + when, t));
}

int tcdrain(int fd) { return (int)__syscall_ret(__sc3(__NR_ioctl, fd, TCSBRK, 1)); }
int tcflush(int fd, int q) { return (int)__syscall_ret(__sc3(__NR_ioctl, fd, TCFLSH, q)); }
int tcflow(int fd, int a) { return (int)__syscall_ret(__sc3(__NR_ioctl, fd, TCXONC, a)); }
int tcsendbreak(int fd, int d) { (void)d; return (int)__syscall_ret(__sc3(__NR_ioctl, fd, TCSBRK, 0)); }

pid_t tcgetsid(int fd)
{
	pid_t sid;

	if (__syscall_ret(__sc3(__NR_ioctl, fd, TIOCGSID, &sid)) < 0)
		return -1;
	return sid;
}

pid_t tcgetpgrp(int fd)
{
	pid_t pg;

	if (__syscall_ret(__sc3(__NR_ioctl, fd, TIOCGPGRP, &pg)) < 0)
		return -1;
	return pg;
}

int tcsetpgrp(int fd, pid_t pg)
{
	return (int)__syscall_ret(__sc3(__NR_ioctl, fd, TIOCSPGRP, &pg));
}

int isatty(int fd)
{
	struct termios t;

	return tcgetattr(fd, &t) == 0;
}

char *ttyname(int fd)
{
	static char name[] = "/dev/tty";

	if (!isatty(fd))
		return NULL;
	return name;
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(unsigned)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t->c_oflag &= ~(unsigned)OPOST;
	t->c_lflag &= ~(unsigned)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(unsigned)(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

speed_t cfgetospeed(const struct termios *t) { return t->c_cflag & CBAUD; }
speed_t cfgetispeed(const struct termios *t) { return cfgetospeed(t); }

int cfsetospeed(struct termios *t, speed_t s)
{
	if (s & ~(speed_t)CBAUD) {
		errno = EINVAL;
		return -1;
	}
	t->c_cflag = (t->c_cflag & ~(unsigned)CBAUD) | s;
	return 0;
}

int cfsetispeed(struct termios *t, speed_t s) { return s ? cfsetospeed(t, s) : 0; }
int cfsetspeed(struct termios *t, speed_t s) { return cfsetospeed(t, s); }
