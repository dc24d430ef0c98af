/* System V IPC (ipc/): shared memory segments (ipc/shm.c) over a table
 * of ids and permissions that is pure logic (ipc/ipc.c, host-tested).
 * The system calls are shm.c's; procfs asks here for /proc/sysvipc/shm,
 * the /proc/sys/kernel limits and the maps name of an attachment. */
#ifndef IPC_H
#define IPC_H
#include <stdbool.h>
#include <stdint.h>
#include <uapi/ipc.h>
#include <uapi/shm.h>

struct vma;

/* ---- the pure part (ipc/ipc.c) ------------------------------------------ */

/*
 * Ids are Linux's: index + seq * IPC_ID_MULT, where index is the slot in
 * the table and seq counts how often that slot was used before, so an id
 * that was removed never names its slot's next object: the stale id is
 * EINVAL, as on Linux. IPC_ID_MULT is Linux's IPCMNI; the table holds
 * IPC_SLOTS objects (the most SHMMNI may be raised to).
 */
#define IPC_ID_MULT	32768
#define IPC_SLOTS	4096
#define IPC_SEQ_MAX	65536	/* seq wraps: the largest id stays an int */

/* Who asks: effective ids and supplementary groups ([0, ngroups)). */
struct ipc_cred {
	uint32_t euid, egid;
	int ngroups;
	const uint32_t *groups;
};

/* What every IPC object carries; embedded in the object, in the table
 * from ipc_add to ipc_remove. The table's user guards it. */
struct ipc_kperm {
	int32_t key;		/* IPC_PRIVATE: found by id only */
	uint32_t uid, gid;	/* owner (IPC_SET changes them) */
	uint32_t cuid, cgid;	/* creator */
	uint32_t mode;		/* 0777 bits, plus the object's flags
				   (SHM_DEST, SHM_LOCKED) above them */
	int id;			/* set by ipc_add */
	uint16_t seq;		/* seq part of id */
};

/* One kind's table (shared memory: ipc/shm.c). All zero is empty. The
 * caller serializes every call. */
struct ipc_ids {
	struct ipc_kperm *slot[IPC_SLOTS];
	uint16_t seq[IPC_SLOTS];	/* seq the slot's next object gets */
	uint32_t in_use;		/* objects in the table */
	int max_idx;			/* highest used index + 1; 0: none */
};

/* Linux's ipcperms: the rwx bits asked for in flag's low nine bits
 * (folded, so 0600 and 0006 ask the same), against the owner's or the
 * creator's bits, else the group's (gid or cgid among c's groups), else
 * the others'. Root may do anything. 0 or -EACCES. */
int ipc_perm_check(const struct ipc_kperm *p, const struct ipc_cred *c, unsigned flag);

/* Whether c may change or remove p (IPC_SET, IPC_RMID, SHM_LOCK): owner,
 * creator or root. 0 or -EPERM. */
int ipc_perm_owner(const struct ipc_kperm *p, const struct ipc_cred *c);

/* IPC_SET: new owner and low nine mode bits; the object's own flags
 * stay. -EINVAL for an id of -1 (no such user), else 0. */
int ipc_perm_set(struct ipc_kperm *p, uint32_t uid, uint32_t gid, uint32_t mode);

/* The ABI view of p. */
void ipc_perm_export(const struct ipc_kperm *p, struct ipc_perm *out);

/* Put p in the lowest free slot, unless limit objects (or IPC_SLOTS) are
 * in already: its id (p->id, p->seq set), or -ENOSPC. */
int ipc_add(struct ipc_ids *ids, struct ipc_kperm *p, uint32_t limit);

/* Take p out; its slot's next object gets a new seq. */
void ipc_remove(struct ipc_ids *ids, struct ipc_kperm *p);

/* The object with this id (NULL: never was, or removed: -EINVAL), with
 * this key (not IPC_PRIVATE), or in this slot (index = id % IPC_ID_MULT,
 * as SHM_STAT takes it). */
struct ipc_kperm *ipc_find_id(const struct ipc_ids *ids, int id);
struct ipc_kperm *ipc_find_key(const struct ipc_ids *ids, int32_t key);
struct ipc_kperm *ipc_find_index(const struct ipc_ids *ids, int index);

/* What IPC_INFO and SHM_INFO return: the highest index in use, 0 when
 * the table is empty (as Linux). */
int ipc_max_index(const struct ipc_ids *ids);

/* shmget's checks for a new segment of size bytes, in Linux's order:
 * -EINVAL below SHMMIN or above shmmax; -ENOSPC when its pages would take
 * the total past shmall (or overflow). 0 and *pages otherwise. */
int shm_check_size(uint64_t size, uint64_t shmmax, uint64_t tot, uint64_t shmall,
		   uint64_t *pages);

/* shmat's address: 0 (the kernel chooses; *fixed 0), or addr (*fixed 1)
 * rounded down to SHMLBA with SHM_RND. -EINVAL for an unaligned address
 * without SHM_RND, and for SHM_REMAP with no address (or one SHM_RND
 * took to 0). */
int shm_attach_addr(uint64_t addr, int shmflg, uint64_t *out, int *fixed);

/* What an attach with shmflg needs of the mode (ipc_perm_check's flag),
 * and the VMA flags of the attachment. A read-only attach is never
 * writable, not even after mprotect (VMA_MAYWRITE off), and, as on Linux
 * for a read-only shared file mapping, not VMA_SHARED. */
unsigned shm_attach_access(int shmflg);
uint32_t shm_attach_vmflags(int shmflg);

/* SHM_LOCK of pages more by a user with locked pages of segments locked
 * already, under a soft RLIMIT_MEMLOCK of rlim bytes (~0: unlimited):
 * 0, or -ENOMEM past the limit. Root (privileged) is not limited. */
int shm_check_lock(uint64_t locked, uint64_t pages, uint64_t rlim, bool privileged);

/* ---- the kernel side (ipc/shm.c) ---------------------------------------- */

/* Call fn for each segment in index order with what SHM_STAT_ANY shows,
 * its id and resident pages, under the table lock (fn must not sleep or
 * call back here). Stops at fn's first nonzero return, which it returns;
 * else 0. For /proc/sysvipc/shm. */
int shm_for_each(int (*fn)(const struct shmid_ds *ds, int id, uint64_t rss, void *arg),
		 void *arg);

/* The tunables of /proc/sys/kernel: shmmax (bytes), shmall (pages),
 * shmmni (segments, at most IPC_SLOTS: -EINVAL above). They bind new
 * segments only. */
enum shm_limit { SHM_LIMIT_MAX, SHM_LIMIT_ALL, SHM_LIMIT_MNI };
uint64_t shm_limit_get(enum shm_limit which);
int shm_limit_set(enum shm_limit which, uint64_t value);

#endif
