/* The VFS core: the namespace lock, kernel/user buffers, inode references
 * and eviction, permission checks, attributes, mounts and the character
 * device table. Path walking is fs/namei.c's, open files fs/file.c's;
 * file systems plug in through the operation tables of vfs.h. */
#include <vfs.h>
#include <rtc.h>
#include <proc.h>
#include <sched.h>
#include <kmalloc.h>
#include <uaccess.h>
#include <timer.h>
#include <string.h>
#include <io.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* ---- the namespace lock ------------------------------------------------ */

/*
 * A sleeping lock that its owner may take again (depth counts), so that
 * helpers such as inode_put can lock without knowing their caller's state.
 * Owner and depth change with interrupts off (wait_event evaluates the
 * condition so), which is all one CPU needs.
 */
static struct waitq vfs_wq = WAITQ_INIT(vfs_wq);
static struct proc *vfs_owner;
static int vfs_depth;

static inline int vfs_try_take(void)
{
	if (vfs_owner && vfs_owner != current)
		return 0;
	vfs_owner = current;
	vfs_depth++;
	return 1;
}

void vfs_lock(void)
{
	wait_event(&vfs_wq, vfs_try_take());
}

void vfs_unlock(void)
{
	uint64_t fl = irq_save();

	if (--vfs_depth == 0) {
		vfs_owner = NULL;
		wake_up(&vfs_wq);
	}
	irq_restore(fl);
}

/* ---- buffers ------------------------------------------------------------ */

int iobuf_copy_to(const struct iobuf *buf, size_t off, const void *src, size_t n)
{
	if (buf->seg == IOBUF_USER)
		return copy_to_user(buf->base + off, src, n);
	memcpy((char *)buf->base + off, src, n);
	return 0;
}

int iobuf_copy_from(void *dst, const struct iobuf *buf, size_t off, size_t n)
{
	if (buf->seg == IOBUF_USER)
		return copy_from_user(dst, buf->base + off, n);
	memcpy(dst, (const char *)buf->base + off, n);
	return 0;
}

int iobuf_clear(const struct iobuf *buf, size_t off, size_t n)
{
	if (buf->seg == IOBUF_USER)
		return clear_user(buf->base + off, n);
	memset((char *)buf->base + off, 0, n);
	return 0;
}

/* ---- inodes --------------------------------------------------------------- */

/* File times are wall-clock times, as stat(2) callers expect. */
struct timespec vfs_now(void)
{
	int64_t ns = clock_realtime_ns();

	return (struct timespec){ (long)(ns / 1000000000ll), (long)(ns % 1000000000ll) };
}

void inode_init(struct inode *inode, struct super_block *sb, uint32_t mode)
{
	memset(inode, 0, sizeof(*inode));
	inode->ino = sb->next_ino++;
	inode->mode = mode;
	inode->uid = current ? current->cred.euid : 0;
	inode->gid = current ? current->cred.egid : 0;
	inode->refcount = 1;
	inode->sb = sb;
	inode->atime = inode->mtime = inode->ctime = vfs_now();
}

void inode_get(struct inode *inode)
{
	__atomic_add_fetch(&inode->refcount, 1, __ATOMIC_SEQ_CST);
}

void inode_put_locked(struct inode *inode)
{
	if (__atomic_sub_fetch(&inode->refcount, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	/* A linked inode stays, owned by its directory entries, unless its
	 * file system makes inodes afresh on every lookup (drop). */
	if ((inode->nlink == 0 || (inode->sb->ops->drop && inode->sb->ops->drop(inode))) &&
	    inode->sb->ops->evict)
		inode->sb->ops->evict(inode);
}

void inode_put(struct inode *inode)
{
	vfs_lock();
	inode_put_locked(inode);
	vfs_unlock();
}

void path_get(const struct path *p)
{
	inode_get(p->inode);
}

void path_put(const struct path *p)
{
	inode_put(p->inode);
}

void path_put_locked(const struct path *p)
{
	inode_put_locked(p->inode);
}

/* ---- permission and attributes --------------------------------------------- */

int vfs_permission(struct inode *inode, int mask)
{
	const struct cred *c = &current->cred;
	uint32_t bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (c->euid == 0) {
		if (!(mask & MAY_EXEC) || S_ISDIR(inode->mode) || (inode->mode & 0111))
			return 0;
		return -EACCES;
	}
	if (c->euid == inode->uid)
		bits = inode->mode >> 6;
	else if (c->egid == inode->gid)
		bits = inode->mode >> 3;
	else
		bits = inode->mode;
	return ((bits & 7 & mask) == (unsigned)mask) ? 0 : -EACCES;
}

static unsigned inode_blocks(struct inode *inode)
{
	return inode->memobj ? inode->memobj->nr_pages * (PAGE_SIZE / 512) : 0;
}

void vfs_stat_inode(struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->sb->dev;
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = inode->size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = inode_blocks(inode);
	st->st_atim = inode->atime;
	st->st_mtim = inode->mtime;
	st->st_ctim = inode->ctime;
}

static int notify_change(struct inode *inode, struct iattr *attr)
{
	if (!inode->ops || !inode->ops->setattr)
		return -EPERM;
	return inode->ops->setattr(inode, attr);
}

int vfs_truncate_inode(struct inode *inode, uint64_t size)
{
	struct iattr a = { .valid = ATTR_SIZE, .size = size };

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	return notify_change(inode, &a);
}

/*
 * utimensat: times[0] is the access time, times[1] the modification time,
 * each a value, UTIME_NOW or UTIME_OMIT. Setting both to now needs write
 * permission or ownership; setting explicit times needs ownership (or
 * root), as on Linux.
 */
int vfs_utimes_inode(struct inode *inode, const struct timespec times[2])
{
	const struct cred *c = &current->cred;
	struct timespec now = vfs_now();
	struct iattr a = { 0 };
	int explicit = 0;

	for (int i = 0; i < 2; i++) {
		long ns = times[i].tv_nsec;

		if (ns == UTIME_OMIT)
			continue;
		if (ns != UTIME_NOW && (ns < 0 || ns > 999999999))
			return -EINVAL;
		explicit |= ns != UTIME_NOW;
		a.valid |= i ? ATTR_MTIME : ATTR_ATIME;
		*(i ? &a.mtime : &a.atime) = ns == UTIME_NOW ? now : times[i];
	}
	if (!a.valid)
		return 0;
	if (c->euid != 0 && c->euid != inode->uid) {
		if (explicit)
			return -EPERM;
		int err = vfs_permission(inode, MAY_WRITE);
		if (err)
			return err;
	}
	return notify_change(inode, &a);
}

/* chmod: owner or root; a non-root caller outside the group loses setgid. */
int vfs_chmod_inode(struct inode *inode, uint32_t mode)
{
	const struct cred *c = &current->cred;
	struct iattr a = { .valid = ATTR_MODE, .mode = mode & 07777 };

	if (c->euid != 0 && c->euid != inode->uid)
		return -EPERM;
	if (c->euid != 0 && c->egid != inode->gid)
		a.mode &= ~S_ISGID;
	return notify_change(inode, &a);
}

/*
 * chown: only root changes the owner; the owner may change the group to
 * its own gid. (uint32_t)-1 leaves a field alone. A non-root change
 * clears setuid/setgid, as Linux does for regular files.
 */
int vfs_chown_inode(struct inode *inode, uint32_t uid, uint32_t gid)
{
	const struct cred *c = &current->cred;
	struct iattr a = { 0 };

	if (uid != (uint32_t)-1 && uid != inode->uid) {
		if (c->euid != 0)
			return -EPERM;
		a.valid |= ATTR_UID;
		a.uid = uid;
	}
	if (gid != (uint32_t)-1 && gid != inode->gid) {
		if (c->euid != 0 && (c->euid != inode->uid || gid != c->egid))
			return -EPERM;
		a.valid |= ATTR_GID;
		a.gid = gid;
	}
	if (c->euid != 0 && (uid != (uint32_t)-1 || gid != (uint32_t)-1) &&
	    (c->euid != inode->uid))
		return -EPERM;
	if (!a.valid)
		return 0;
	if (S_ISREG(inode->mode) && (inode->mode & (S_ISUID | S_ISGID))) {
		a.valid |= ATTR_MODE;
		a.mode = inode->mode & 07777 & ~(S_ISUID | S_ISGID);
	}
	return notify_change(inode, &a);
}

/* ---- mounts ----------------------------------------------------------------- */

static struct mount *root_mount;
static uint32_t next_dev = 1;

/* Every mount, in mount order, for /proc/mounts. Mounts are permanent,
 * so an array that only grows is enough. Guarded by vfs_lock. */
#define MOUNT_MAX 16
static struct mount *mounts[MOUNT_MAX];
static int nr_mounts;

int vfs_for_each_mount(int (*fn)(struct mount *m, void *arg), void *arg)
{
	int r;

	for (int i = 0; i < nr_mounts; i++)
		if ((r = fn(mounts[i], arg)))
			return r;
	return 0;
}

struct path vfs_root(void)
{
	return (struct path){ root_mount, root_mount->root };
}

static struct mount *mount_alloc(struct super_block *sb)
{
	struct mount *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	m->sb = sb;
	m->root = sb->root;
	sb->mnt = m;
	if (nr_mounts < MOUNT_MAX)		/* else only /proc/mounts misses it */
		mounts[nr_mounts++] = m;
	sb->dev = MKDEV(0, next_dev);		/* anonymous devices, as Linux */
	next_dev++;
	return m;
}

int vfs_mount_root(struct super_block *sb)
{
	struct mount *m = mount_alloc(sb);

	if (!m)
		return -ENOMEM;
	root_mount = m;
	return 0;
}

int vfs_mount(struct super_block *sb, const char *path)
{
	struct path root = vfs_root(), p;
	struct mount *m;
	int err;

	vfs_lock();
	err = namei_walk(&root, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (err)
		goto out_unlock;
	err = -EBUSY;
	if (p.inode->mounted)
		goto out_put;
	err = -ENOMEM;
	m = mount_alloc(sb);
	if (!m)
		goto out_put;
	m->parent = p.mnt;
	m->mountpoint = p.inode;	/* keeps the walk's reference */
	p.inode->mounted = m;
	vfs_unlock();
	return 0;
out_put:
	path_put_locked(&p);
out_unlock:
	vfs_unlock();
	return err;
}

/* ---- character devices ------------------------------------------------------- */

#define CHRDEV_MAX 32

static struct {
	uint32_t rdev;
	const struct file_ops *ops;
} chrdevs[CHRDEV_MAX];
static int nr_chrdevs;

int chrdev_register(uint32_t rdev, const struct file_ops *ops)
{
	for (int i = 0; i < nr_chrdevs; i++) {
		if (chrdevs[i].rdev == rdev) {
			chrdevs[i].ops = ops;
			return 0;
		}
	}
	if (nr_chrdevs == CHRDEV_MAX)
		return -ENOMEM;
	chrdevs[nr_chrdevs].rdev = rdev;
	chrdevs[nr_chrdevs].ops = ops;
	nr_chrdevs++;
	return 0;
}

/* The file ops that open a device node with rdev, or NULL (-ENXIO). */
const struct file_ops *chrdev_lookup(uint32_t rdev)
{
	for (int i = 0; i < nr_chrdevs; i++)
		if (chrdevs[i].rdev == rdev)
			return chrdevs[i].ops;
	return NULL;
}
