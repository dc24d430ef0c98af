/* Open file descriptions (struct file) and per-process descriptor tables:
 * opening by path, read/write/seek dispatch to the file ops, directory
 * listing, and the table operations fork, exec and exit use. The calls
 * that take user arguments are fs/fs_syscalls.c's. */
#include <vfs.h>
#include <proc.h>
#include <kmalloc.h>
#include <path.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/dirent.h>
#include "internal.h"

/* ---- open file descriptions ------------------------------------------ */

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refcount, 1, __ATOMIC_SEQ_CST);
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	path_put(&f->path);
	kfree(f->name);
	kfree(f);
}

long vfs_no_llseek(struct file *f, int64_t off, int whence)
{
	(void)f; (void)off; (void)whence;
	return -ESPIPE;
}

static long dir_read(struct file *f, const struct iobuf *buf, uint64_t *pos)
{
	(void)f; (void)buf; (void)pos;
	return -EISDIR;
}

static const struct file_ops dir_fops = {
	.read = dir_read,
	.write = dir_read,
};

/* Which ops open inode: its own, a registered device's, or directories'. */
static int file_ops_for(struct inode *inode, const struct file_ops **ops)
{
	if (S_ISCHR(inode->mode)) {
		*ops = chrdev_lookup(inode->rdev);
		return *ops ? 0 : -ENXIO;
	}
	if (S_ISDIR(inode->mode)) {
		*ops = &dir_fops;
		return 0;
	}
	if (S_ISREG(inode->mode) && inode->fops) {
		*ops = inode->fops;
		return 0;
	}
	if (S_ISFIFO(inode->mode)) {		/* named pipes: fs/pipe.c */
		*ops = &fifo_fops;
		return 0;
	}
	return -ENXIO;
}

/* Checks and truncation for opening p; vfs_lock held. created: the caller
 * just made it, so no permission check applies (open(O_CREAT, 0444) may
 * still write). */
static int may_open(const struct path *p, unsigned flags, bool created)
{
	struct inode *inode = p->inode;
	unsigned acc = flags & O_ACCMODE;
	int mask = 0, err;

	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & (O_TRUNC | O_CREAT))))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (acc == O_ACCMODE)
		return -EINVAL;
	if (created)
		return 0;
	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
		mask |= MAY_WRITE;
	err = vfs_permission(inode, mask);
	if (err)
		return err;
	if ((flags & O_TRUNC) && S_ISREG(inode->mode))
		return vfs_truncate_inode(inode, 0);
	return 0;
}

int vfs_open_path(const struct path *p, unsigned flags, struct file **out)
{
	const struct file_ops *ops;
	struct file *f;
	int err;

	err = file_ops_for(p->inode, &ops);
	if (err)
		return err;
	f = kzalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->refcount = 1;
	/* O_NOCTTY stays visible to ops->open (the tty) and goes after it. */
	f->flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	f->path = *p;
	f->inode = p->inode;
	f->ops = ops;
	if (ops->open) {
		err = ops->open(p->inode, f);
		if (err) {
			kfree(f);
			return err;
		}
	}
	f->flags &= ~O_NOCTTY;
	*out = f;
	return 0;
}

/* O_CREAT: find or make the last component; vfs_lock held. *created
 * says it was made. 0 with *p referenced, or -errno. */
static int open_create(const struct path *start, const char *path, unsigned flags,
		       uint32_t mode, struct path *p, bool *created)
{
	struct path parent;
	struct inode *inode;
	const char *name;
	size_t len;
	bool slash;
	int type, err;

	*created = false;
	err = namei_parent(start, path, &parent, &name, &len, &type, &slash);
	if (err)
		return err;
	err = -EISDIR;
	if (type != PATH_LAST_NORM)
		goto out_parent;
	err = namei_lookup_one(parent.inode, name, len, &inode);
	if (err == 0) {
		inode_put_locked(inode);
		err = -EEXIST;
		if (flags & O_EXCL)
			goto out_parent;
		/* Exists: resolve it like a plain open (links, mounts). A
		 * dangling symlink is not created through: -ENOENT. */
		path_put_locked(&parent);
		err = namei_walk(start, path, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, p);
		if (!err && (flags & O_NOFOLLOW) && S_ISLNK(p->inode->mode)) {
			path_put_locked(p);
			err = -ELOOP;
		}
		return err;
	}
	if (err != -ENOENT)
		goto out_parent;
	err = -EISDIR;
	if (slash)
		goto out_parent;
	err = -ENOENT;
	if (parent.inode->nlink == 0)		/* a removed directory */
		goto out_parent;
	err = vfs_permission(parent.inode, MAY_WRITE | MAY_EXEC);
	if (err)
		goto out_parent;
	err = -EPERM;
	if (parent.inode->ops->create)
		err = parent.inode->ops->create(parent.inode, name, len,
				S_IFREG | (mode & 07777 & ~current_files()->umask), 0, &inode);
	if (err)
		goto out_parent;
	p->mnt = parent.mnt;
	p->inode = inode;
	*created = true;
out_parent:
	path_put_locked(&parent);
	return err;
}

/* The absolute name of path looked up from start (NULL: the cwd), as
 * mmap shows it in maps: start's name, '/', path, without resolving
 * "." or "..". NULL when it cannot be had. vfs_lock held. */
static char *open_name(const struct path *start, const char *path)
{
	size_t plen = strlen(path), blen;
	char *buf, *name;
	int n;

	if (path[0] == '/') {
		name = kmalloc(plen + 1);
		if (name)
			memcpy(name, path, plen + 1);
		return name;
	}
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return NULL;
	n = vfs_path_name(start, buf, PATH_MAX);
	if (n < 0 || (size_t)n + 1 + plen >= PATH_MAX) {
		kfree(buf);
		return NULL;
	}
	blen = (size_t)n;
	if (blen > 1)			/* the root is "/" already */
		buf[blen++] = '/';
	memcpy(buf + blen, path, plen + 1);
	name = kmalloc(blen + plen + 1);
	if (name)
		memcpy(name, buf, blen + plen + 1);
	kfree(buf);
	return name;
}

int vfs_open(const struct path *start, const char *path, unsigned flags,
	     uint32_t mode, struct file **out)
{
	char *name = NULL;
	struct path p;
	bool created = false;
	int err;

	if (!current_files())
		return -ENOMEM;
	vfs_lock();
	if (flags & O_CREAT) {
		err = open_create(start, path, flags, mode, &p, &created);
	} else {
		err = namei_walk(start, path,
				 ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
				 ((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0), &p);
	}
	if (err)
		goto out_unlock;
	err = may_open(&p, flags, created);
	if (err)
		goto out_put;
	if (S_ISREG(p.inode->mode))
		name = open_name(start, path);
	vfs_unlock();
	err = vfs_open_path(&p, flags, out);
	if (err) {
		path_put(&p);
		kfree(name);
		return err;
	}
	(*out)->name = name;
	return 0;
out_put:
	path_put_locked(&p);
out_unlock:
	vfs_unlock();
	return err;
}

/* ---- reading and writing ------------------------------------------------ */

static bool readable(struct file *f)
{
	return (f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

static bool writable(struct file *f)
{
	return (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

static bool seekable(struct file *f)
{
	return f->ops->llseek != vfs_no_llseek;
}

long vfs_read(struct file *f, const struct iobuf *buf)
{
	if (!readable(f))
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, buf, &f->pos);
}

long vfs_write(struct file *f, const struct iobuf *buf)
{
	if (!writable(f))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, buf, &f->pos);
}

long vfs_pread(struct file *f, const struct iobuf *buf, uint64_t pos)
{
	if (!readable(f))
		return -EBADF;
	if (!seekable(f))
		return -ESPIPE;
	if ((int64_t)pos < 0)
		return -EINVAL;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, buf, &pos);
}

long vfs_pwrite(struct file *f, const struct iobuf *buf, uint64_t pos)
{
	if (!writable(f))
		return -EBADF;
	if (!seekable(f))
		return -ESPIPE;
	if ((int64_t)pos < 0)
		return -EINVAL;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, buf, &pos);
}

long vfs_lseek(struct file *f, int64_t off, int whence)
{
	int64_t base;

	if (f->ops->llseek)
		return f->ops->llseek(f, off, whence);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		base = (int64_t)f->inode->size;
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

/* ---- directory listing ------------------------------------------------ */

struct dirent_fill {
	const struct iobuf *buf;
	size_t used;
	int err;
};

static int fill_dirent64(void *ctx, const char *name, size_t len, uint64_t ino,
			 unsigned dtype, uint64_t next)
{
	struct dirent_fill *d = ctx;
	struct linux_dirent64 hdr;
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
	char zeros[8] = { 0 };
	size_t off = d->used;

	if (d->used + reclen > d->buf->len) {
		if (d->used == 0)
			d->err = -EINVAL;
		return 1;
	}
	hdr.d_ino = ino;
	hdr.d_off = (int64_t)next;
	hdr.d_reclen = (uint16_t)reclen;
	hdr.d_type = (uint8_t)dtype;
	size_t hl = offsetof(struct linux_dirent64, d_name);
	if (iobuf_copy_to(d->buf, off, &hdr, hl) ||
	    iobuf_copy_to(d->buf, off + hl, name, len) ||
	    iobuf_copy_to(d->buf, off + hl + len, zeros, reclen - hl - len)) {
		d->err = -EFAULT;
		return 1;
	}
	d->used += reclen;
	return 0;
}

int vfs_getdents(struct file *f, const struct iobuf *buf)
{
	struct dirent_fill d = { buf, 0, 0 };
	struct inode *dir = f->inode;
	uint64_t pos;
	int err;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	vfs_lock();
	err = -ENOENT;
	if (dir->nlink == 0)			/* removed while open: empty */
		err = 0;
	else if (dir->ops->iterate) {
		pos = f->pos;
		err = dir->ops->iterate(dir, &pos, fill_dirent64, &d);
		/* Records copied out count; only then does pos move on. */
		if (!err && d.used)
			f->pos = pos;
	}
	vfs_unlock();
	if (err)
		return err;
	if (d.err && d.used == 0)
		return d.err;
	return (int)d.used;
}

/* ---- descriptor tables -------------------------------------------------- */

#define FD_INITIAL 16

static int fd_grow(struct files *ft, int fd);

struct files *fd_table_alloc(void)
{
	struct files *ft = kzalloc(sizeof(*ft));

	if (!ft)
		return NULL;
	ft->umask = 022;
	ft->max = FD_DEFAULT_MAX;
	/* Room for the usual few descriptors up front. */
	if (fd_grow(ft, FD_INITIAL - 1)) {
		kfree(ft);
		return NULL;
	}
	return ft;
}

struct files *current_files(void)
{
	if (!current->files)
		current->files = fd_table_alloc();
	return current->files;
}

int vfs_proc_init(struct proc *p)
{
	if (!p->files)
		p->files = fd_table_alloc();
	return p->files ? 0 : -ENOMEM;
}

/* Make room for slot fd (< ft->max). 0 or -ENOMEM. */
static int fd_grow(struct files *ft, int fd)
{
	int n = ft->nslots ? ft->nslots : FD_INITIAL;
	struct file **fds;
	uint64_t *bits;

	if (fd < ft->nslots)
		return 0;
	while (n <= fd)
		n *= 2;
	if (n > ft->max)
		n = ft->max;
	fds = kzalloc(n * sizeof(*fds));
	bits = kzalloc(ALIGN_UP(n, 64) / 8);
	if (!fds || !bits) {
		kfree(fds);
		kfree(bits);
		return -ENOMEM;
	}
	if (ft->nslots) {
		memcpy(fds, ft->fds, ft->nslots * sizeof(*fds));
		memcpy(bits, ft->cloexec, ALIGN_UP(ft->nslots, 64) / 8);
	}
	kfree(ft->fds);
	kfree(ft->cloexec);
	ft->fds = fds;
	ft->cloexec = bits;
	ft->nslots = n;
	return 0;
}

void fd_set_cloexec(struct files *ft, int fd, bool on)
{
	if (on)
		ft->cloexec[fd / 64] |= 1ull << (fd % 64);
	else
		ft->cloexec[fd / 64] &= ~(1ull << (fd % 64));
}

bool fd_get_cloexec(struct files *ft, int fd)
{
	return ft->cloexec[fd / 64] & (1ull << (fd % 64));
}

int fd_install(struct files *ft, struct file *f, int min, bool cloexec)
{
	int fd, err;

	if (min < 0)
		return -EINVAL;
	for (fd = min; fd < ft->nslots && ft->fds[fd]; fd++)
		;
	if (fd >= ft->max)
		return min >= ft->max ? -EINVAL : -EMFILE;
	err = fd_grow(ft, fd);
	if (err)
		return err;
	ft->fds[fd] = f;
	fd_set_cloexec(ft, fd, cloexec);
	return fd;
}

int fd_replace(struct files *ft, int fd, struct file *f, bool cloexec)
{
	struct file *old;
	int err;

	if (fd < 0 || fd >= ft->max)
		return -EBADF;
	err = fd_grow(ft, fd);
	if (err)
		return err;
	old = ft->fds[fd];
	ft->fds[fd] = f;
	fd_set_cloexec(ft, fd, cloexec);
	if (old)
		file_put(old);
	return fd;
}

struct file *fd_get(struct files *ft, int fd)
{
	struct file *f;

	if (!ft || fd < 0 || fd >= ft->nslots || !(f = ft->fds[fd]))
		return NULL;
	file_get(f);
	return f;
}

int fd_close(struct files *ft, int fd)
{
	struct file *f;

	if (!ft || fd < 0 || fd >= ft->nslots || !(f = ft->fds[fd]))
		return -EBADF;
	ft->fds[fd] = NULL;
	fd_set_cloexec(ft, fd, false);
	file_put(f);
	return 0;
}

int fd_table_clone(struct proc *child, struct proc *parent)
{
	struct files *src = parent->files, *ft;

	if (parent->cwd) {
		inode_get(parent->cwd);
		child->cwd = parent->cwd;
	}
	if (!src)
		return 0;
	ft = fd_table_alloc();
	if (!ft)
		return -ENOMEM;
	ft->umask = src->umask;
	ft->max = src->max;
	if (src->nslots && fd_grow(ft, src->nslots - 1)) {
		kfree(ft->fds);
		kfree(ft->cloexec);
		kfree(ft);
		return -ENOMEM;
	}
	for (int fd = 0; fd < src->nslots; fd++) {
		if (src->fds[fd]) {
			file_get(src->fds[fd]);
			ft->fds[fd] = src->fds[fd];
		}
	}
	if (src->nslots)
		memcpy(ft->cloexec, src->cloexec, ALIGN_UP(src->nslots, 64) / 8);
	child->files = ft;
	return 0;
}

void fd_table_close_on_exec(struct proc *p)
{
	struct files *ft = p->files;

	if (!ft)
		return;
	for (int fd = 0; fd < ft->nslots; fd++)
		if (ft->fds[fd] && fd_get_cloexec(ft, fd))
			fd_close(ft, fd);
}

void fd_table_release(struct proc *p)
{
	struct files *ft = p->files;

	if (p->cwd) {
		inode_put(p->cwd);
		p->cwd = NULL;
	}
	if (!ft)
		return;
	for (int fd = 0; fd < ft->nslots; fd++)
		if (ft->fds[fd])
			fd_close(ft, fd);
	p->files = NULL;
	kfree(ft->fds);
	kfree(ft->cloexec);
	kfree(ft);
}

int vfs_setup_init_fds(void)
{
	struct files *ft = current_files();
	int err = 0;

	if (!ft)
		return -ENOMEM;
	for (int fd = 0; fd < 3 && !err; fd++) {
		struct path root = vfs_root();
		struct file *f;

		if (fd < ft->nslots && ft->fds[fd])
			continue;
		err = vfs_open(&root, "/dev/console", O_RDWR, 0, &f);
		if (err)
			break;
		err = fd_replace(ft, fd, f, false);
		if (err < 0)
			file_put(f);
		else
			err = 0;
	}
	return err;
}
