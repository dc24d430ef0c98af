/* fcntl.h (POSIX): open flags and fcntl, Linux's values. */
#ifndef _FCNTL_H
#define _FCNTL_H
#include <sys/types.h>
#include "../../include/uapi/fcntl.h"
#define O_NDELAY O_NONBLOCK
#define O_RSYNC O_SYNC
#define O_EXEC O_PATH
#define O_SEARCH O_PATH
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int creat(const char *path, mode_t mode);
int fcntl(int fd, int cmd, ...);
#endif
