/* System V shared memory: the segment table and shmget, shmat, shmdt and
 * shmctl, with the attach counts kept by the VMA open/close hooks, and
 * what procfs shows of it. Ids, permissions and limit arithmetic are
 * ipc/ipc.c's (pure); a segment's pages are a memory object's
 * (mm/memobj.c); an attachment is a shared VMA made by mm_map_object. */
#include <ipc.h>
#include <mm.h>
#include <memobj.h>
#include <page.h>
#include <proc.h>
#include <sched.h>
#include <rtc.h>
#include <syscall.h>
#include <uaccess.h>
#include <kmalloc.h>
#include <fmt.h>
#include <string.h>
#include <stddef.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

/*
 * One segment. Its lifetime is its memory object's: the table holds one
 * reference while the segment is in it, and each attaching VMA one more
 * (mm/mm.c's open hook), so the frames and this struct go with the last
 * of them, through shm_release. Leaving the table (shm_destroy) happens
 * at IPC_RMID when nothing is attached, else at the last detach, as on
 * Linux; until then a removed segment keeps its id (SHM_DEST in its mode)
 * but its key is IPC_PRIVATE, so shmget no longer finds it.
 */
struct shm_seg {
	struct ipc_kperm perm;		/* [lock] key, owner, mode, id */
	struct memobj obj;		/* pages [0, pages) of zeroes on demand */
	uint64_t size;			/* [const] bytes asked for: shm_segsz */
	uint64_t pages;			/* [const] size in pages, in shm_tot */
	int64_t atime, dtime, ctime;	/* [lock] seconds since the epoch */
	int cpid, lpid;			/* [lock] creator, last attach/detach */
	uint64_t nattch;		/* [lock] VMAs mapping it, plus shmat
					   calls between lookup and mapping */
	uint32_t lock_uid;		/* [lock] charged for SHM_LOCKED */
	bool removed;			/* [lock] out of the table for good */
	char name[32];			/* [const] the maps name */
};

/*
 * The table and the limits. Locking: one CPU, and nothing here is used
 * from interrupts or the fault path, only from system calls, VMA hooks
 * and procfs in process context; so shm_lock holds off preemption and
 * nothing done under it sleeps (kmalloc, page_put and copying into
 * kernel buffers do not). User memory is copied outside it.
 */
static struct ipc_ids shm_ids;			/* [lock] */
static uint64_t shm_tot;			/* [lock] pages of all segments */
static uint64_t shm_ctlmax = SHMMAX;		/* [lock] bytes per segment */
static uint64_t shm_ctlall = SHMALL;		/* [lock] pages of all segments */
static uint64_t shm_ctlmni = SHMMNI;		/* [lock] segments */

static void shm_lock(void)
{
	preempt_disable();
}

static void shm_unlock(void)
{
	preempt_enable();
}

static struct shm_seg *seg_of_obj(struct memobj *obj)
{
	return (struct shm_seg *)((char *)obj - offsetof(struct shm_seg, obj));
}

static struct shm_seg *seg_of_perm(struct ipc_kperm *p)
{
	return p ? (struct shm_seg *)((char *)p - offsetof(struct shm_seg, perm)) : NULL;
}

static int64_t now_seconds(void)
{
	return clock_realtime_ns() / 1000000000;
}

static int current_pid(void)
{
	return current ? current->pid : 0;
}

static void cred_of_current(struct ipc_cred *c)
{
	const struct cred *cr = &current->cred;

	*c = (struct ipc_cred){ cr->euid, cr->egid, cr->ngroups, cr->groups };
}

/* ---- the memory object ------------------------------------------------ */

/* Zeroed frames on first touch; the segment's pages were charged to
 * SHMALL when it was made, so only memory itself can run out. */
static int shm_get_page(struct memobj *obj, uint32_t index, unsigned flags,
			struct page **out)
{
	(void)obj;
	(void)index;
	(void)flags;
	*out = page_alloc(0, GFP_ZERO);
	return *out ? 0 : -ENOMEM;
}

/* The last reference went: the pages are gone already (memobj_put). */
static void shm_release(struct memobj *obj)
{
	kfree(seg_of_obj(obj));
}

static const struct memobj_ops shm_memobj_ops = {
	.get_page = shm_get_page,
	.release = shm_release,
};

/* ---- table changes ------------------------------------------------------ */

/* Take seg out of the table and drop the table's reference; its pages
 * go now, or at the put of the VMA whose close hook called this. Lock
 * held. */
static void shm_destroy(struct shm_seg *seg)
{
	ipc_remove(&shm_ids, &seg->perm);
	shm_tot -= seg->pages;
	seg->removed = true;
	memobj_put(&seg->obj);
}

/* Drop one attach count: a removed (IPC_RMID) segment leaves the table
 * with the last. Lock held. */
static void shm_put_attach(struct shm_seg *seg)
{
	if (--seg->nattch == 0 && (seg->perm.mode & SHM_DEST) && !seg->removed)
		shm_destroy(seg);
}

/* A new segment for key, in the table: its id, or -EINVAL, -ENOSPC,
 * -ENOMEM. Lock held. */
static int shm_create(int32_t key, uint64_t size, int flag)
{
	const struct cred *cr = &current->cred;
	struct shm_seg *seg;
	uint64_t pages;
	int err = shm_check_size(size, shm_ctlmax, shm_tot, shm_ctlall, &pages);

	if (err)
		return err;
	/* No huge pages are reserved: refused as Linux refuses them then.
	 * Page indexes of a memory object are 32-bit. */
	if ((flag & SHM_HUGETLB) || pages > UINT32_MAX)
		return -ENOMEM;
	seg = kzalloc(sizeof(*seg));
	if (!seg)
		return -ENOMEM;
	seg->perm = (struct ipc_kperm){
		.key = key, .uid = cr->euid, .gid = cr->egid,
		.cuid = cr->euid, .cgid = cr->egid, .mode = flag & 0777,
	};
	err = ipc_add(&shm_ids, &seg->perm, (uint32_t)shm_ctlmni);
	if (err < 0) {
		kfree(seg);
		return err;
	}
	memobj_init(&seg->obj, &shm_memobj_ops, NULL);
	memobj_extend(&seg->obj, (uint32_t)pages);
	/* maps shows device 00:01 and the shmid as the inode, as Linux. */
	seg->obj.dev = 1;
	seg->obj.ino = (uint64_t)seg->perm.id;
	seg->size = size;
	seg->pages = pages;
	seg->ctime = now_seconds();
	seg->cpid = current_pid();
	/* Linux names the segment's file after its key, and maps shows it
	 * unlinked from the start. */
	snprintf(seg->name, sizeof(seg->name), "/SYSV%08x (deleted)", (uint32_t)key);
	shm_tot += pages;
	return seg->perm.id;
}

/* shmget(key, size, flag): the checks of Linux's ipcget, in its order. */
static long shm_get(int32_t key, uint64_t size, int flag)
{
	struct ipc_cred c;
	struct shm_seg *seg;
	long ret;

	cred_of_current(&c);
	shm_lock();
	seg = seg_of_perm(ipc_find_key(&shm_ids, key));
	if (!seg) {
		if (key != IPC_PRIVATE && !(flag & IPC_CREAT))
			ret = -ENOENT;
		else
			ret = shm_create(key, size, flag);
	} else if ((flag & IPC_CREAT) && (flag & IPC_EXCL)) {
		ret = -EEXIST;
	} else if (size > seg->size) {
		ret = -EINVAL;
	} else if (ipc_perm_check(&seg->perm, &c, (unsigned)flag)) {
		ret = -EACCES;
	} else {
		ret = seg->perm.id;
	}
	shm_unlock();
	return ret;
}

/* ---- attachments ---------------------------------------------------------- */

/*
 * Every VMA over a segment is one attachment, as Linux counts them: the
 * one shmat made, its copy in a forked child, each piece a partial
 * munmap or mprotect split off. mm/mm.c calls these as each VMA struct
 * enters and leaves an address space, so fork, exit and exec need
 * nothing of their own. The VMA holds a reference on the object until
 * after close returns, so seg is alive throughout.
 */
static void shm_vma_open(struct vma *vma)
{
	struct shm_seg *seg = seg_of_obj(vma->obj);

	shm_lock();
	seg->nattch++;
	seg->atime = now_seconds();
	seg->lpid = current_pid();
	shm_unlock();
}

static void shm_vma_close(struct vma *vma)
{
	struct shm_seg *seg = seg_of_obj(vma->obj);

	shm_lock();
	seg->dtime = now_seconds();
	seg->lpid = current_pid();
	shm_put_attach(seg);
	shm_unlock();
}

static const struct vma_ops shm_vma_ops = {
	.open = shm_vma_open,
	.close = shm_vma_close,
};

/*
 * shmat(id, addr, flag): Linux's order of checks (address, id,
 * permission, then the range; W^X, which Linux lacks, before the range),
 * then a shared mapping of the whole segment. The segment is held by a
 * count in nattch from the lookup to the end, so an IPC_RMID meanwhile
 * cannot free it under the mapping.
 */
static long shm_attach(int id, uint64_t addr, int flag)
{
	struct mm *mm = current->mm;
	struct shm_seg *seg;
	struct ipc_cred c;
	struct vma tmpl = { 0 };
	uint64_t at, len;
	int fixed, err;

	if (id < 0)
		return -EINVAL;
	err = shm_attach_addr(addr, flag, &at, &fixed);
	if (err)
		return err;
	if (!mm)
		return -EINVAL;
	cred_of_current(&c);
	shm_lock();
	seg = seg_of_perm(ipc_find_id(&shm_ids, id));
	if (!seg) {
		shm_unlock();
		return -EINVAL;
	}
	if (ipc_perm_check(&seg->perm, &c, shm_attach_access(flag))) {
		shm_unlock();
		return -EACCES;
	}
	seg->nattch++;
	shm_unlock();

	/* W^X (mm/wx.c): a writable attach may not be executable too. */
	if ((flag & (SHM_EXEC | SHM_RDONLY)) == SHM_EXEC) {
		err = mm_wx_check(PROT_READ | PROT_WRITE | PROT_EXEC, "shmat");
		if (err)
			goto out_put;
	}
	len = seg->pages << PAGE_SHIFT;
	err = -EINVAL;
	if (fixed && !(flag & SHM_REMAP)) {
		struct vma *v;

		if (at + len < at)
			goto out_put;
		v = vma_find_next(&mm->vmas, at);
		if (v && v->start < at + len)
			goto out_put;
	}
	tmpl.flags = shm_attach_vmflags(flag);
	tmpl.obj = &seg->obj;
	tmpl.pgoff = 0;
	tmpl.ops = &shm_vma_ops;
	tmpl.name = seg->name;
	err = mm_map_object(mm, &tmpl, at, len, fixed, &at);
out_put:
	shm_lock();
	shm_put_attach(seg);
	shm_unlock();
	return err ? err : (long)at;
}

/*
 * shmdt(addr): Linux's rule. The attachment is the first shm VMA at or
 * above addr whose offset in its segment equals its distance from addr
 * (the whole mapping, or a piece of it left by munmap or mprotect); the
 * pieces of the same segment within its size above it go too. -EINVAL
 * when there is none.
 */
static long shm_detach(uint64_t addr)
{
	struct mm *mm = current->mm;
	struct memobj *obj = NULL;
	struct vma *v, *next;
	uint64_t size = 0;

	if ((addr & (PAGE_SIZE - 1)) || !mm)
		return -EINVAL;
	for (v = vma_find_next(&mm->vmas, addr); v; v = next) {
		next = vma_next(v);
		if (v->ops == &shm_vma_ops && (v->start - addr) >> PAGE_SHIFT == v->pgoff) {
			obj = v->obj;
			size = seg_of_obj(obj)->pages << PAGE_SHIFT;
			do_munmap(mm, v->start, v->end - v->start);
			v = next;
			break;
		}
	}
	if (!obj)
		return -EINVAL;
	for (; v && v->end - addr <= size; v = next) {
		next = vma_next(v);
		if (v->ops == &shm_vma_ops && v->obj == obj &&
		    (v->start - addr) >> PAGE_SHIFT == v->pgoff)
			do_munmap(mm, v->start, v->end - v->start);
	}
	return 0;
}

/* ---- shmctl -------------------------------------------------------------- */

/* What IPC_STAT shows. Lock held. */
static void shm_fill_ds(const struct shm_seg *seg, struct shmid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_perm_export(&seg->perm, &ds->shm_perm);
	ds->shm_segsz = seg->size;
	ds->shm_atime = seg->atime;
	ds->shm_dtime = seg->dtime;
	ds->shm_ctime = seg->ctime;
	ds->shm_cpid = seg->cpid;
	ds->shm_lpid = seg->lpid;
	ds->shm_nattch = seg->nattch;
}

/* IPC_STAT by id, SHM_STAT and SHM_STAT_ANY by index: 0 (IPC_STAT) or
 * the id, -EINVAL, -EACCES, -EFAULT. */
static long shm_stat(int id, int cmd, uint64_t ubuf)
{
	struct shmid_ds ds;
	struct shm_seg *seg;
	struct ipc_cred c;
	long ret;

	cred_of_current(&c);
	shm_lock();
	if (cmd == IPC_STAT)
		seg = seg_of_perm(ipc_find_id(&shm_ids, id));
	else
		seg = seg_of_perm(ipc_find_index(&shm_ids, id));
	if (!seg) {
		shm_unlock();
		return -EINVAL;
	}
	if (cmd != SHM_STAT_ANY && ipc_perm_check(&seg->perm, &c, 0444)) {
		shm_unlock();
		return -EACCES;
	}
	shm_fill_ds(seg, &ds);
	ret = cmd == IPC_STAT ? 0 : seg->perm.id;
	shm_unlock();
	if (copy_to_user(ubuf, &ds, sizeof(ds)))
		return -EFAULT;
	return ret;
}

/* IPC_INFO and SHM_INFO: the highest index in use, or -EFAULT. */
static long shm_info(int cmd, uint64_t ubuf)
{
	union {
		struct shminfo limits;
		struct shm_info use;
	} u;
	size_t len;
	long ret;

	memset(&u, 0, sizeof(u));
	shm_lock();
	if (cmd == IPC_INFO) {
		u.limits.shmmax = shm_ctlmax;
		u.limits.shmmin = SHMMIN;
		u.limits.shmmni = shm_ctlmni;
		u.limits.shmseg = shm_ctlmni;
		u.limits.shmall = shm_ctlall;
		len = sizeof(u.limits);
	} else {
		u.use.used_ids = (int32_t)shm_ids.in_use;
		u.use.shm_tot = shm_tot;
		for (int i = 0; i < shm_ids.max_idx; i++) {
			struct shm_seg *seg = seg_of_perm(shm_ids.slot[i]);

			if (seg)
				u.use.shm_rss += seg->obj.nr_pages;
		}
		len = sizeof(u.use);
	}
	ret = ipc_max_index(&shm_ids);
	shm_unlock();
	if (copy_to_user(ubuf, &u, len))
		return -EFAULT;
	return ret;
}

/* Pages of the segments uid has locked. Lock held. */
static uint64_t shm_locked_pages(uint32_t uid)
{
	uint64_t n = 0;

	for (int i = 0; i < shm_ids.max_idx; i++) {
		struct shm_seg *seg = seg_of_perm(shm_ids.slot[i]);

		if (seg && (seg->perm.mode & SHM_LOCKED) && seg->lock_uid == uid)
			n += seg->pages;
	}
	return n;
}

/*
 * SHM_LOCK and SHM_UNLOCK, with Linux's rules: root may always; others
 * must own or have created the segment (-EPERM), may not lock at all
 * with RLIMIT_MEMLOCK 0 (-EPERM), and may lock only as much as that
 * limit across their locked segments (-ENOMEM). There is no swap, so
 * locking keeps nothing more resident: it is the flag and the charge.
 */
static long shm_lock_cmd(int id, int cmd)
{
	const struct cred *cr = &current->cred;
	uint64_t rlim = current->rlim[RLIMIT_MEMLOCK].rlim_cur;
	bool root = cr->euid == 0;
	struct shm_seg *seg;
	long ret = 0;

	shm_lock();
	seg = seg_of_perm(ipc_find_id(&shm_ids, id));
	if (!seg) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (!root) {
		if (cr->euid != seg->perm.uid && cr->euid != seg->perm.cuid) {
			ret = -EPERM;
			goto out_unlock;
		}
		if (cmd == SHM_LOCK && rlim == 0) {
			ret = -EPERM;
			goto out_unlock;
		}
	}
	if (cmd == SHM_UNLOCK) {
		seg->perm.mode &= ~SHM_LOCKED;
		goto out_unlock;
	}
	if (seg->perm.mode & SHM_LOCKED)
		goto out_unlock;
	ret = shm_check_lock(shm_locked_pages(cr->euid), seg->pages, rlim, root);
	if (!ret) {
		seg->perm.mode |= SHM_LOCKED;
		seg->lock_uid = cr->euid;
	}
out_unlock:
	shm_unlock();
	return ret;
}

/* IPC_SET (ds copied in already) and IPC_RMID: owner, creator or root. */
static long shm_change(int id, int cmd, const struct shmid_ds *ds)
{
	struct shm_seg *seg;
	struct ipc_cred c;
	long ret;

	cred_of_current(&c);
	shm_lock();
	seg = seg_of_perm(ipc_find_id(&shm_ids, id));
	if (!seg) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = ipc_perm_owner(&seg->perm, &c);
	if (ret)
		goto out_unlock;
	if (cmd == IPC_SET) {
		ret = ipc_perm_set(&seg->perm, ds->shm_perm.uid, ds->shm_perm.gid,
				   ds->shm_perm.mode);
		if (!ret)
			seg->ctime = now_seconds();
	} else if (seg->nattch) {
		seg->perm.mode |= SHM_DEST;
		seg->perm.key = IPC_PRIVATE;
	} else {
		shm_destroy(seg);
	}
out_unlock:
	shm_unlock();
	return ret;
}

static long shm_ctl(int id, int cmd, uint64_t ubuf)
{
	struct shmid_ds ds;

	/* x86-64 has one layout: Linux refuses cmd | IPC_64 there too. */
	if (cmd < 0 || id < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info(cmd, ubuf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat(id, cmd, ubuf);
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shm_lock_cmd(id, cmd);
	case IPC_SET:
		if (copy_from_user(&ds, ubuf, sizeof(ds)))
			return -EFAULT;
		return shm_change(id, cmd, &ds);
	case IPC_RMID:
		return shm_change(id, cmd, NULL);
	default:
		return -EINVAL;
	}
}

/* ---- procfs ------------------------------------------------------------- */

int shm_for_each(int (*fn)(const struct shmid_ds *ds, int id, uint64_t rss, void *arg),
		 void *arg)
{
	struct shmid_ds ds;
	int ret = 0;

	shm_lock();
	for (int i = 0; i < shm_ids.max_idx && !ret; i++) {
		struct shm_seg *seg = seg_of_perm(shm_ids.slot[i]);

		if (!seg)
			continue;
		shm_fill_ds(seg, &ds);
		ret = fn(&ds, seg->perm.id, seg->obj.nr_pages, arg);
	}
	shm_unlock();
	return ret;
}

uint64_t shm_limit_get(enum shm_limit which)
{
	switch (which) {
	case SHM_LIMIT_MAX:
		return shm_ctlmax;
	case SHM_LIMIT_ALL:
		return shm_ctlall;
	default:
		return shm_ctlmni;
	}
}

int shm_limit_set(enum shm_limit which, uint64_t value)
{
	if (which == SHM_LIMIT_MNI && value > IPC_SLOTS)
		return -EINVAL;
	shm_lock();
	if (which == SHM_LIMIT_MAX)
		shm_ctlmax = value;
	else if (which == SHM_LIMIT_ALL)
		shm_ctlall = value;
	else
		shm_ctlmni = value;
	shm_unlock();
	return 0;
}

/* ---- system calls -------------------------------------------------------- */

/* shmget(key, size, shmflg) */
SYSCALL_DEFINE(shmget)
{
	return shm_get((int32_t)a0, a1, (int)a2);
}

/* shmat(shmid, shmaddr, shmflg) */
SYSCALL_DEFINE(shmat)
{
	return shm_attach((int)a0, a1, (int)a2);
}

/* shmdt(shmaddr) */
SYSCALL_DEFINE(shmdt)
{
	return shm_detach(a0);
}

/* shmctl(shmid, cmd, buf) */
SYSCALL_DEFINE(shmctl)
{
	return shm_ctl((int)a0, (int)a1, a2);
}
