/* Host tests of the pure System V IPC logic (ipc/ipc.c): permission
 * rules, the id table with its sequence numbers and limits, and shared
 * memory's size, lock and attach-address arithmetic. */
#include "test.h"
#include <ipc.h>
#include <vma.h>
#include <uapi/errno.h>
#include <stdlib.h>
#include <string.h>

static struct ipc_kperm perm(uint32_t uid, uint32_t gid, uint32_t cuid, uint32_t cgid,
			     uint32_t mode)
{
	return (struct ipc_kperm){ .key = 1, .uid = uid, .gid = gid, .cuid = cuid,
				   .cgid = cgid, .mode = mode };
}

static struct ipc_cred cred(uint32_t uid, uint32_t gid)
{
	return (struct ipc_cred){ uid, gid, 0, NULL };
}

TEST(ipc_perm_owner_group_other_bits)
{
	struct ipc_kperm p = perm(100, 200, 100, 200, 0640);
	struct ipc_cred owner = cred(100, 999), group = cred(5, 200), other = cred(5, 6);

	ASSERT_EQ(ipc_perm_check(&p, &owner, 0600), 0);
	ASSERT_EQ(ipc_perm_check(&p, &owner, 0400), 0);
	ASSERT_EQ(ipc_perm_check(&p, &group, 0444), 0);
	ASSERT_EQ(ipc_perm_check(&p, &group, 0666), -EACCES);
	ASSERT_EQ(ipc_perm_check(&p, &other, 0444), -EACCES);
	/* no bits asked: always allowed (shmget of an existing key, mode 0) */
	ASSERT_EQ(ipc_perm_check(&p, &other, 0), 0);
	/* the bits are folded: 0006 asks for rw just as 0600 does */
	ASSERT_EQ(ipc_perm_check(&p, &group, 0006), -EACCES);
	ASSERT_EQ(ipc_perm_check(&p, &group, 0004), 0);
	/* flags above the permission bits ask for nothing */
	ASSERT_EQ(ipc_perm_check(&p, &group, IPC_CREAT | 0040), 0);
}

TEST(ipc_perm_creator_and_groups)
{
	/* owner changed by IPC_SET: the creator keeps the owner's rights */
	struct ipc_kperm p = perm(300, 300, 100, 200, 0600);
	struct ipc_cred creator = cred(100, 1), cgroup = cred(5, 200);
	uint32_t groups[] = { 7, 300 };
	struct ipc_cred supp = { 5, 6, 2, groups };
	struct ipc_kperm g = perm(300, 300, 100, 200, 0060);

	ASSERT_EQ(ipc_perm_check(&p, &creator, 0600), 0);
	ASSERT_EQ(ipc_perm_check(&p, &cgroup, 0400), -EACCES);
	ASSERT_EQ(ipc_perm_check(&g, &cgroup, 0600), 0);	/* cgid */
	ASSERT_EQ(ipc_perm_check(&g, &supp, 0600), 0);		/* gid among groups */
	ASSERT_EQ(ipc_perm_check(&g, &creator, 0400), -EACCES);	/* owner bits win */
}

TEST(ipc_perm_root_and_owner_rules)
{
	struct ipc_kperm p = perm(100, 100, 200, 200, 0);
	struct ipc_cred root = cred(0, 0), owner = cred(100, 5), creator = cred(200, 5),
			other = cred(300, 100);

	ASSERT_EQ(ipc_perm_check(&p, &root, 0777), 0);
	ASSERT_EQ(ipc_perm_owner(&p, &root), 0);
	ASSERT_EQ(ipc_perm_owner(&p, &owner), 0);
	ASSERT_EQ(ipc_perm_owner(&p, &creator), 0);
	/* in the owner's group is not enough */
	ASSERT_EQ(ipc_perm_owner(&p, &other), -EPERM);
}

TEST(ipc_perm_set_keeps_object_flags)
{
	struct ipc_kperm p = perm(1, 1, 1, 1, 0600 | SHM_DEST | SHM_LOCKED);
	struct ipc_perm out;

	ASSERT_EQ(ipc_perm_set(&p, 5, 6, 0777 | SHM_DEST | 070000), 0);
	ASSERT_EQ(p.uid, 5);
	ASSERT_EQ(p.gid, 6);
	ASSERT_EQ(p.cuid, 1);
	ASSERT_EQ(p.mode, 0777 | SHM_DEST | SHM_LOCKED);
	ASSERT_EQ(ipc_perm_set(&p, (uint32_t)-1, 6, 0), -EINVAL);
	ASSERT_EQ(ipc_perm_set(&p, 5, (uint32_t)-1, 0), -EINVAL);
	ASSERT_EQ(p.mode, 0777 | SHM_DEST | SHM_LOCKED);
	p.seq = 3;
	ipc_perm_export(&p, &out);
	ASSERT_EQ(out.__key, 1);
	ASSERT_EQ(out.uid, 5);
	ASSERT_EQ(out.__seq, 3);
	ASSERT_EQ(out.mode, 0777 | SHM_DEST | SHM_LOCKED);
}

/* The layouts musl and glibc expect on x86-64. */
TEST(ipc_uapi_layouts)
{
	ASSERT_EQ(sizeof(struct ipc_perm), 48);
	ASSERT_EQ(__builtin_offsetof(struct ipc_perm, mode), 20);
	ASSERT_EQ(__builtin_offsetof(struct ipc_perm, __seq), 24);
	ASSERT_EQ(sizeof(struct shmid_ds), 112);
	ASSERT_EQ(__builtin_offsetof(struct shmid_ds, shm_segsz), 48);
	ASSERT_EQ(__builtin_offsetof(struct shmid_ds, shm_atime), 56);
	ASSERT_EQ(__builtin_offsetof(struct shmid_ds, shm_cpid), 80);
	ASSERT_EQ(__builtin_offsetof(struct shmid_ds, shm_nattch), 88);
	ASSERT_EQ(sizeof(struct shminfo), 72);
	ASSERT_EQ(sizeof(struct shm_info), 48);
	ASSERT_EQ(__builtin_offsetof(struct shm_info, shm_tot), 8);
}

/* ---- the table ----------------------------------------------------------- */

TEST(ipc_ids_lowest_slot_and_new_id_on_reuse)
{
	struct ipc_ids *ids = calloc(1, sizeof(*ids));
	struct ipc_kperm a = perm(0, 0, 0, 0, 0), b = a, c = a, d = a;

	ASSERT(ids);
	ASSERT_EQ(ipc_max_index(ids), 0);
	ASSERT_EQ(ipc_add(ids, &a, 10), 0);
	ASSERT_EQ(ipc_add(ids, &b, 10), 1);
	ASSERT_EQ(ipc_max_index(ids), 1);
	ipc_remove(ids, &a);
	ASSERT(ipc_find_id(ids, 0) == NULL);
	/* slot 0 again, with the next sequence number */
	ASSERT_EQ(ipc_add(ids, &c, 10), IPC_ID_MULT);
	ASSERT(ipc_find_id(ids, 0) == NULL);		/* stale id */
	ASSERT(ipc_find_id(ids, IPC_ID_MULT) == &c);
	ASSERT(ipc_find_index(ids, 0) == &c);
	ASSERT(ipc_find_index(ids, IPC_ID_MULT) == &c);	/* SHM_STAT takes either */
	ASSERT(ipc_find_index(ids, 5) == NULL);
	ASSERT(ipc_find_id(ids, -1) == NULL);
	ASSERT(ipc_find_index(ids, -1) == NULL);
	ASSERT(ipc_find_id(ids, IPC_SLOTS + 1) == NULL);
	ASSERT_EQ(c.seq, 1);
	ASSERT_EQ(ipc_add(ids, &d, 10), 2);
	ASSERT_EQ(ids->in_use, 3);
	/* the highest index follows removals down */
	ipc_remove(ids, &d);
	ASSERT_EQ(ipc_max_index(ids), 1);
	ipc_remove(ids, &b);
	ASSERT_EQ(ipc_max_index(ids), 0);
	ipc_remove(ids, &c);
	ASSERT_EQ(ids->in_use, 0);
	ASSERT_EQ(ipc_max_index(ids), 0);
	free(ids);
}

TEST(ipc_ids_limit_and_full_table)
{
	struct ipc_ids *ids = calloc(1, sizeof(*ids));
	struct ipc_kperm *p = calloc(IPC_SLOTS + 1, sizeof(*p));

	ASSERT(ids && p);
	ASSERT_EQ(ipc_add(ids, &p[0], 2), 0);
	ASSERT_EQ(ipc_add(ids, &p[1], 2), 1);
	ASSERT_EQ(ipc_add(ids, &p[2], 2), -ENOSPC);
	ASSERT_EQ(ipc_add(ids, &p[2], 0), -ENOSPC);
	for (int i = 2; i < IPC_SLOTS; i++)
		ASSERT_EQ(ipc_add(ids, &p[i], ~0u), i);
	ASSERT_EQ(ipc_max_index(ids), IPC_SLOTS - 1);
	ASSERT_EQ(ipc_add(ids, &p[IPC_SLOTS], ~0u), -ENOSPC);
	ipc_remove(ids, &p[100]);
	ASSERT_EQ(ipc_add(ids, &p[IPC_SLOTS], ~0u), IPC_ID_MULT + 100);
	free(p);
	free(ids);
}

TEST(ipc_ids_seq_wraps_within_int)
{
	struct ipc_ids *ids = calloc(1, sizeof(*ids));
	struct ipc_kperm a = perm(0, 0, 0, 0, 0);
	int id = 0;

	ASSERT(ids);
	ids->seq[IPC_SLOTS - 1] = IPC_SEQ_MAX - 1;
	for (int i = 0; i < IPC_SLOTS - 1; i++)
		ids->slot[i] = &a;	/* only the last slot is free */
	ids->in_use = IPC_SLOTS - 1;
	ids->max_idx = IPC_SLOTS - 1;
	id = ipc_add(ids, &a, ~0u);
	ASSERT_EQ(id, (IPC_SEQ_MAX - 1) * IPC_ID_MULT + IPC_SLOTS - 1);
	ASSERT(id > 0);
	ipc_remove(ids, &a);
	ASSERT_EQ(ids->seq[IPC_SLOTS - 1], 0);
	free(ids);
}

TEST(ipc_ids_key_lookup)
{
	struct ipc_ids *ids = calloc(1, sizeof(*ids));
	struct ipc_kperm a = perm(0, 0, 0, 0, 0), b = a, priv = a;

	ASSERT(ids);
	a.key = 0x1234;
	b.key = 0x5678;
	priv.key = IPC_PRIVATE;
	ipc_add(ids, &priv, 10);
	ipc_add(ids, &a, 10);
	ipc_add(ids, &b, 10);
	ASSERT(ipc_find_key(ids, 0x1234) == &a);
	ASSERT(ipc_find_key(ids, 0x5678) == &b);
	ASSERT(ipc_find_key(ids, 0x9999) == NULL);
	/* IPC_PRIVATE never finds anything: removed segments have it */
	ASSERT(ipc_find_key(ids, IPC_PRIVATE) == NULL);
	a.key = IPC_PRIVATE;
	ASSERT(ipc_find_key(ids, 0x1234) == NULL);
	free(ids);
}

/* ---- shared memory arithmetic -------------------------------------------- */

TEST(shm_size_limits)
{
	uint64_t pages = 0;

	ASSERT_EQ(shm_check_size(0, 1 << 20, 0, 100, &pages), -EINVAL);
	ASSERT_EQ(shm_check_size((1 << 20) + 1, 1 << 20, 0, 1000, &pages), -EINVAL);
	ASSERT_EQ(shm_check_size(1, 1 << 20, 0, 100, &pages), 0);
	ASSERT_EQ(pages, 1);
	ASSERT_EQ(shm_check_size(4096, 1 << 20, 0, 100, &pages), 0);
	ASSERT_EQ(pages, 1);
	ASSERT_EQ(shm_check_size(4097, 1 << 20, 0, 100, &pages), 0);
	ASSERT_EQ(pages, 2);
	/* SHMALL counts pages of every segment */
	ASSERT_EQ(shm_check_size(8192, 1 << 20, 98, 100, &pages), 0);
	ASSERT_EQ(shm_check_size(8193, 1 << 20, 98, 100, &pages), -ENOSPC);
	/* a huge total wraps: still ENOSPC */
	ASSERT_EQ(shm_check_size(1 << 20, ~0ull, ~0ull - 10, ~0ull, &pages), -ENOSPC);
	ASSERT_EQ(shm_check_size(~0ull, ~0ull, 0, ~0ull, &pages), 0);
	ASSERT_EQ(pages, 1ull << 52);
}

TEST(shm_attach_address_rules)
{
	uint64_t at = 99;
	int fixed = 99;

	ASSERT_EQ(shm_attach_addr(0, 0, &at, &fixed), 0);
	ASSERT_EQ(at, 0);
	ASSERT_EQ(fixed, 0);
	ASSERT_EQ(shm_attach_addr(0, SHM_REMAP, &at, &fixed), -EINVAL);
	ASSERT_EQ(shm_attach_addr(0x10000, 0, &at, &fixed), 0);
	ASSERT_EQ(at, 0x10000);
	ASSERT_EQ(fixed, 1);
	ASSERT_EQ(shm_attach_addr(0x10001, 0, &at, &fixed), -EINVAL);
	ASSERT_EQ(shm_attach_addr(0x10fff, SHM_RND, &at, &fixed), 0);
	ASSERT_EQ(at, 0x10000);
	ASSERT_EQ(fixed, 1);
	ASSERT_EQ(shm_attach_addr(0x10fff, SHM_RND | SHM_REMAP, &at, &fixed), 0);
	/* SHM_RND down to 0: still a fixed attach at 0, unless remapping */
	ASSERT_EQ(shm_attach_addr(0x100, SHM_RND, &at, &fixed), 0);
	ASSERT_EQ(at, 0);
	ASSERT_EQ(fixed, 1);
	ASSERT_EQ(shm_attach_addr(0x100, SHM_RND | SHM_REMAP, &at, &fixed), -EINVAL);
}

TEST(shm_attach_access_and_flags)
{
	uint32_t f;

	ASSERT_EQ(shm_attach_access(0), 0666);
	ASSERT_EQ(shm_attach_access(SHM_RDONLY), 0444);
	ASSERT_EQ(shm_attach_access(SHM_RDONLY | SHM_EXEC), 0555);
	ASSERT_EQ(shm_attach_access(SHM_EXEC), 0777);
	f = shm_attach_vmflags(0);
	ASSERT_EQ(f & (VMA_READ | VMA_WRITE | VMA_EXEC), VMA_READ | VMA_WRITE);
	ASSERT(f & VMA_SHARED);
	ASSERT(f & VMA_MAYSHARE);
	ASSERT(f & VMA_NOMERGE);
	f = shm_attach_vmflags(SHM_RDONLY | SHM_EXEC);
	ASSERT_EQ(f & (VMA_READ | VMA_WRITE | VMA_EXEC), VMA_READ | VMA_EXEC);
	ASSERT(!(f & (VMA_MAYWRITE | VMA_SHARED)));
	ASSERT(f & VMA_MAYSHARE);
}

TEST(shm_lock_charges)
{
	ASSERT_EQ(shm_check_lock(0, 2, 8192, false), 0);
	ASSERT_EQ(shm_check_lock(1, 2, 8192, false), -ENOMEM);
	ASSERT_EQ(shm_check_lock(1, 2, 8192, true), 0);
	ASSERT_EQ(shm_check_lock(0, 1, 4095, false), -ENOMEM);
	ASSERT_EQ(shm_check_lock(1ull << 40, 1ull << 40, ~0ull, false), 0);
	ASSERT_EQ(shm_check_lock(~0ull, 2, ~0ull, false), -ENOMEM);
}
