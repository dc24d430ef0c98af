/* System V IPC common to shared memory, semaphores and message queues:
 * the IPC_* flag and command values and struct ipc_perm, in the Linux
 * x86-64 layout (the kernel's ipc64_perm, 48 bytes). Shared by the
 * kernel (ipc/) and libc's sys/ipc.h. */
#ifndef UAPI_IPC_H
#define UAPI_IPC_H
#include <stdint.h>

#define IPC_PRIVATE	0		/* key: always a new object */

/* xxxget flags, above the nine permission bits */
#define IPC_CREAT	00001000	/* create if the key is unknown */
#define IPC_EXCL	00002000	/* with IPC_CREAT: fail if it exists */
#define IPC_NOWAIT	00004000

/* xxxctl commands */
#define IPC_RMID	0
#define IPC_SET		1
#define IPC_STAT	2
#define IPC_INFO	3
/* The "new layout" bit some ABIs add to the command. x86-64 has one
 * layout only, and Linux there refuses a command carrying it (EINVAL). */
#define IPC_64		0x0100

struct ipc_perm {
	int32_t __key;		/* key_t; IPC_PRIVATE once removed */
	uint32_t uid;		/* owner */
	uint32_t gid;
	uint32_t cuid;		/* creator */
	uint32_t cgid;
	uint32_t mode;		/* 0777 bits, plus SHM_DEST/SHM_LOCKED */
	uint16_t __seq;		/* the id's sequence number */
	uint16_t __pad2;
	uint64_t __unused1;
	uint64_t __unused2;
};

#endif
