/* sys/shm.h (System V shared memory): flags, commands, struct shmid_ds,
 * struct shminfo and struct shm_info from the kernel's uapi (Linux
 * x86-64 layouts). */
#ifndef _SYS_SHM_H
#define _SYS_SHM_H
#include <sys/ipc.h>
#include <time.h>
#include "../../../include/uapi/shm.h"
typedef unsigned long shmatt_t;
int shmget(key_t key, size_t size, int flags);
void *shmat(int id, const void *addr, int flags);
int shmdt(const void *addr);
int shmctl(int id, int cmd, struct shmid_ds *buf);
#endif
