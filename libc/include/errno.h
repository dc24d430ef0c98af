/* errno.h: the error numbers (Linux's, from the uapi) and errno, one
 * global int: this libc runs single-threaded programs. */
#ifndef _ERRNO_H
#define _ERRNO_H
#include "../../include/uapi/errno.h"
#define EWOULDBLOCK EAGAIN
#define EDEADLOCK EDEADLK
#ifndef ENOTCONN
#define ENOTCONN 107
#endif
#ifndef ECONNREFUSED
#define ECONNREFUSED 111
#endif
#ifndef EINPROGRESS
#define EINPROGRESS 115
#endif
#ifndef EALREADY
#define EALREADY 114
#endif
#ifndef EPROTO
#define EPROTO 71
#endif
#ifndef ENOTRECOVERABLE
#define ENOTRECOVERABLE 131
#endif
extern int errno;
#define errno errno
extern char *program_invocation_name;
extern char *program_invocation_short_name;
#endif
