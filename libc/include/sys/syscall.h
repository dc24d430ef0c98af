/* sys/syscall.h: the system-call numbers, as SYS_* too. */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H
#include "../../../include/uapi/unistd.h"
#define SYS_read __NR_read
#define SYS_write __NR_write
#define SYS_getpid __NR_getpid
#define SYS_gettid __NR_gettid
#define SYS_exit __NR_exit
#define SYS_mmap __NR_mmap
#define SYS_shmget __NR_shmget
#endif
