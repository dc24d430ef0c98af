/* sys/ioctl.h: ioctl and the request numbers (Linux's). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H
#include "../../../include/uapi/termios.h"
#include "../../../include/uapi/ioctls.h"
int ioctl(int fd, unsigned long req, ...);
#endif
