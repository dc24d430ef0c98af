/* Path and name limits, Linux's values, shared by the kernel and libc.
 * PATH_MAX counts the terminating NUL; NAME_MAX does not. */
#ifndef UAPI_LIMITS_H
#define UAPI_LIMITS_H

#define NAME_MAX  255	/* bytes in one path component */
#define PATH_MAX 4096	/* bytes in a path, including its NUL */

#endif
