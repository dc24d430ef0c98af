/* Resource limits of the Linux x86-64 ABI (getrlimit, setrlimit,
 * prlimit64), shared by the kernel and libc: the RLIMIT_* numbers and
 * struct rlimit with 64-bit fields, RLIM_INFINITY all ones. */
#ifndef UAPI_RESOURCE_H
#define UAPI_RESOURCE_H
#include <stdint.h>

#define RLIMIT_CPU		0	/* seconds of CPU time */
#define RLIMIT_FSIZE		1	/* bytes in a file written */
#define RLIMIT_DATA		2	/* bytes of data + heap */
#define RLIMIT_STACK		3	/* bytes of main stack */
#define RLIMIT_CORE		4	/* bytes of core file */
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6	/* processes of the real uid */
#define RLIMIT_NOFILE		7	/* one past the highest fd */
#define RLIMIT_MEMLOCK		8	/* bytes locked in memory */
#define RLIMIT_AS		9	/* bytes of address space */
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_NLIMITS		16

#define RLIM_INFINITY		(~0ull)

struct rlimit {
	uint64_t rlim_cur;	/* soft: what is enforced */
	uint64_t rlim_max;	/* hard: ceiling of the soft limit */
};

#endif
