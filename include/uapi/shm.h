/* System V shared memory of the Linux x86-64 ABI: shmget/shmat/shmctl
 * flags and commands, struct shmid_ds (Linux's shmid64_ds, 112 bytes),
 * struct shminfo (shminfo64, IPC_INFO) and struct shm_info (SHM_INFO).
 * Shared by the kernel (ipc/shm.c) and libc's sys/shm.h. */
#ifndef UAPI_SHM_H
#define UAPI_SHM_H
#include <stdint.h>
#include "ipc.h"

/* This kernel's boot-time limits (Linux's SHMMAX and SHMALL are all but
 * unlimited; these suit a small machine). The live values are in
 * /proc/sys/kernel/shm{max,all,mni} and IPC_INFO. */
#define SHMMIN		1			/* bytes */
#define SHMMAX		(256ul << 20)		/* bytes per segment */
#define SHMALL		(1ul << 18)		/* pages in all segments (1 GiB) */
#define SHMMNI		4096			/* segments */
#define SHMSEG		SHMMNI			/* per process: not enforced */
#define SHMLBA		4096			/* attach alignment: a page */

/* shmget flags, above the permission bits and IPC_CREAT/IPC_EXCL */
#define SHM_HUGETLB	04000
#define SHM_NORESERVE	010000

/* shmat flags */
#define SHM_RDONLY	010000		/* read-only attach */
#define SHM_RND		020000		/* round the address down to SHMLBA */
#define SHM_REMAP	040000		/* replace what is mapped there */
#define SHM_EXEC	0100000		/* executable attach */

/* shmctl commands besides IPC_* */
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13		/* by table index; returns the id */
#define SHM_INFO	14
#define SHM_STAT_ANY	15		/* SHM_STAT without the read check */

/* shm_perm.mode bits the kernel sets */
#define SHM_DEST	01000		/* removed: goes at the last detach */
#define SHM_LOCKED	02000		/* SHM_LOCK'd */

struct shmid_ds {
	struct ipc_perm shm_perm;
	uint64_t shm_segsz;	/* bytes, as asked for */
	int64_t shm_atime;	/* last attach, seconds since the epoch */
	int64_t shm_dtime;	/* last detach */
	int64_t shm_ctime;	/* creation or last IPC_SET */
	int32_t shm_cpid;	/* creator */
	int32_t shm_lpid;	/* last attach or detach */
	uint64_t shm_nattch;	/* mappings (VMAs) of it */
	uint64_t __unused4;
	uint64_t __unused5;
};

/* IPC_INFO */
struct shminfo {
	uint64_t shmmax;
	uint64_t shmmin;
	uint64_t shmmni;
	uint64_t shmseg;
	uint64_t shmall;
	uint64_t __unused1, __unused2, __unused3, __unused4;
};

/* SHM_INFO */
struct shm_info {
	int32_t used_ids;
	uint64_t shm_tot;	/* pages of every segment */
	uint64_t shm_rss;	/* pages resident */
	uint64_t shm_swp;	/* pages swapped (no swap: 0) */
	uint64_t swap_attempts;
	uint64_t swap_successes;
};

#endif
