/* sys/ipc.h (System V IPC): the IPC_* values and struct ipc_perm come
 * from the kernel's uapi (Linux x86-64 layout). */
#ifndef _SYS_IPC_H
#define _SYS_IPC_H
#include <sys/types.h>
#include "../../../include/uapi/ipc.h"
key_t ftok(const char *path, int id);
#endif
