/* Time structures of the Linux x86-64 ABI (64-bit fields), shared by the
 * kernel and libc. */
#ifndef UAPI_TIME_H
#define UAPI_TIME_H

struct timespec {
	long tv_sec;		/* seconds */
	long tv_nsec;		/* nanoseconds, [0, 999999999] */
};

struct timeval {
	long tv_sec;
	long tv_usec;		/* microseconds, [0, 999999] */
};

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1

#endif
