/* sys/resource.h (POSIX): limits and usage, Linux's layout. */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H
#include <sys/time.h>
#include "../../../include/uapi/resource.h"
typedef unsigned long rlim_t;
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
struct rusage {
	struct timeval ru_utime, ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt;
	long ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv;
	long ru_nsignals, ru_nvcsw, ru_nivcsw;
};
int getrlimit(int res, struct rlimit *r);
int setrlimit(int res, const struct rlimit *r);
int prlimit(pid_t pid, int res, const struct rlimit *n, struct rlimit *old);
int getrusage(int who, struct rusage *ru);
int getpriority(int which, id_t who);
int setpriority(int which, id_t who, int prio);
#endif
