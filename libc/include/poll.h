/* poll.h (POSIX), Linux's values. */
#ifndef _POLL_H
#define _POLL_H
#include "../../include/uapi/poll.h"
typedef unsigned long nfds_t;
int poll(struct pollfd *fds, nfds_t n, int timeout);
#endif
