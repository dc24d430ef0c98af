/* termios.h (POSIX): the kernel's struct termios is libc's too. */
#ifndef _TERMIOS_H
#define _TERMIOS_H
#include <sys/types.h>
#include "../../include/uapi/termios.h"
typedef unsigned int speed_t;
#define B0 0000000
#define B9600 0000015
#define B19200 0000016
#define B115200 0010002
#define TCSANOW 0
#define TCSADRAIN 1
#define TCSAFLUSH 2
#define VT0 0
#define NL0 0
#define CR0 0
#define TAB0 0
#define BS0 0
#define FF0 0
#define OFILL 0000100
#define TABDLY 0014000
#define XTABS 0014000
int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int when, const struct termios *t);
int tcdrain(int fd);
int tcflush(int fd, int queue);
int tcflow(int fd, int action);
int tcsendbreak(int fd, int dur);
pid_t tcgetsid(int fd);
void cfmakeraw(struct termios *t);
speed_t cfgetispeed(const struct termios *t);
speed_t cfgetospeed(const struct termios *t);
int cfsetispeed(struct termios *t, speed_t s);
int cfsetospeed(struct termios *t, speed_t s);
int cfsetspeed(struct termios *t, speed_t s);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
#endif
