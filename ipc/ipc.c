/* The pure part of System V IPC (include/ipc.h): the id table (slots,
 * sequence numbers, key lookup), Linux's permission rules, and shared
 * memory's size, limit and attach-address arithmetic. No globals, no
 * current, no locks: ipc/shm.c holds the table and its lock and passes
 * in who asks; the host tests (test/host/test_ipc.c) drive it directly. */
#include <ipc.h>
#include <vma.h>
#include <uapi/errno.h>

#define PERM_MASK	0777u

static bool in_group(const struct ipc_cred *c, uint32_t gid)
{
	if (c->egid == gid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

int ipc_perm_check(const struct ipc_kperm *p, const struct ipc_cred *c, unsigned flag)
{
	unsigned want = (flag >> 6) | (flag >> 3) | flag;
	unsigned have = p->mode;

	if (c->euid == 0)
		return 0;
	if (c->euid == p->cuid || c->euid == p->uid)
		have >>= 6;
	else if (in_group(c, p->cgid) || in_group(c, p->gid))
		have >>= 3;
	return (want & ~have & 7) ? -EACCES : 0;
}

int ipc_perm_owner(const struct ipc_kperm *p, const struct ipc_cred *c)
{
	if (c->euid == 0 || c->euid == p->uid || c->euid == p->cuid)
		return 0;
	return -EPERM;
}

int ipc_perm_set(struct ipc_kperm *p, uint32_t uid, uint32_t gid, uint32_t mode)
{
	if (uid == (uint32_t)-1 || gid == (uint32_t)-1)
		return -EINVAL;
	p->uid = uid;
	p->gid = gid;
	p->mode = (p->mode & ~PERM_MASK) | (mode & PERM_MASK);
	return 0;
}

void ipc_perm_export(const struct ipc_kperm *p, struct ipc_perm *out)
{
	*out = (struct ipc_perm){
		.__key = p->key, .uid = p->uid, .gid = p->gid,
		.cuid = p->cuid, .cgid = p->cgid, .mode = p->mode,
		.__seq = p->seq,
	};
}

/* ---- the table ------------------------------------------------------------ */

int ipc_add(struct ipc_ids *ids, struct ipc_kperm *p, uint32_t limit)
{
	int idx;

	if (ids->in_use >= limit || ids->in_use >= IPC_SLOTS)
		return -ENOSPC;
	for (idx = 0; ids->slot[idx]; idx++)
		;
	ids->slot[idx] = p;
	ids->in_use++;
	if (idx >= ids->max_idx)
		ids->max_idx = idx + 1;
	p->seq = ids->seq[idx];
	p->id = (int)p->seq * IPC_ID_MULT + idx;
	return p->id;
}

void ipc_remove(struct ipc_ids *ids, struct ipc_kperm *p)
{
	int idx = p->id % IPC_ID_MULT;

	ids->slot[idx] = NULL;
	ids->in_use--;
	ids->seq[idx] = (uint16_t)((p->seq + 1) % IPC_SEQ_MAX);
	while (ids->max_idx > 0 && !ids->slot[ids->max_idx - 1])
		ids->max_idx--;
}

struct ipc_kperm *ipc_find_index(const struct ipc_ids *ids, int index)
{
	if (index < 0)
		return NULL;
	index %= IPC_ID_MULT;
	return index < IPC_SLOTS ? ids->slot[index] : NULL;
}

struct ipc_kperm *ipc_find_id(const struct ipc_ids *ids, int id)
{
	struct ipc_kperm *p = ipc_find_index(ids, id);

	return p && p->id == id ? p : NULL;
}

struct ipc_kperm *ipc_find_key(const struct ipc_ids *ids, int32_t key)
{
	if (key == IPC_PRIVATE)
		return NULL;
	for (int i = 0; i < ids->max_idx; i++)
		if (ids->slot[i] && ids->slot[i]->key == key)
			return ids->slot[i];
	return NULL;
}

int ipc_max_index(const struct ipc_ids *ids)
{
	return ids->max_idx ? ids->max_idx - 1 : 0;
}

/* ---- shared memory arithmetic --------------------------------------------- */

int shm_check_size(uint64_t size, uint64_t shmmax, uint64_t tot, uint64_t shmall,
		   uint64_t *pages)
{
	uint64_t n;

	if (size < SHMMIN || size > shmmax)
		return -EINVAL;
	n = (size >> VMA_PAGE_SHIFT) + ((size & (VMA_PAGE_SIZE - 1)) != 0);
	if (tot + n < tot || tot + n > shmall)
		return -ENOSPC;
	*pages = n;
	return 0;
}

int shm_attach_addr(uint64_t addr, int shmflg, uint64_t *out, int *fixed)
{
	if (!addr) {
		if (shmflg & SHM_REMAP)
			return -EINVAL;
		*out = 0;
		*fixed = 0;
		return 0;
	}
	if (addr & (SHMLBA - 1)) {
		if (!(shmflg & SHM_RND))
			return -EINVAL;
		addr &= ~(uint64_t)(SHMLBA - 1);
		if (!addr && (shmflg & SHM_REMAP))
			return -EINVAL;
	}
	*out = addr;
	*fixed = 1;
	return 0;
}

unsigned shm_attach_access(int shmflg)
{
	unsigned acc = (shmflg & SHM_RDONLY) ? 0444 : 0666;

	if (shmflg & SHM_EXEC)
		acc |= 0111;
	return acc;
}

uint32_t shm_attach_vmflags(int shmflg)
{
	uint32_t f = VMA_READ | VMA_MAYREAD | VMA_MAYEXEC | VMA_MAYSHARE | VMA_NOMERGE;

	if (!(shmflg & SHM_RDONLY))
		f |= VMA_WRITE | VMA_MAYWRITE | VMA_SHARED;
	if (shmflg & SHM_EXEC)
		f |= VMA_EXEC;
	return f;
}

int shm_check_lock(uint64_t locked, uint64_t pages, uint64_t rlim, bool privileged)
{
	uint64_t limit = rlim == ~0ull ? ~0ull : rlim >> VMA_PAGE_SHIFT;

	if (privileged)
		return 0;
	if (locked + pages < locked || locked + pages > limit)
		return -ENOMEM;
	return 0;
}
