/* The file system calls: argument checks, user memory through uaccess.h
 * (paths copied in once, buffers handed down as user iobufs), dirfd and
 * cwd resolution, and descriptor bookkeeping; the work is the VFS's.
 * Linux x86-64 numbers, flags, structs and errors. Elsewhere in fs/:
 * pipe, pipe2 (pipe.c), ioctl (ioctl.c), poll and select (poll.c). Not
 * here yet (so -ENOSYS): utimensat and friends. */
#include <vfs.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>
#include <kmalloc.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/limits.h>
#include "internal.h"

#define MAX_RW_COUNT	0x7FFFF000ul	/* Linux's cap on one read/write */
#define IOV_MAX		1024

struct user_iovec {
	uint64_t base;
	uint64_t len;
};

/* ---- helpers -------------------------------------------------------- */

/* Copy a user path into a PATH_MAX kernel buffer (kfree it). */
static int user_path(uint64_t up, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	long n;

	if (!buf)
		return -ENOMEM;
	n = strncpy_from_user(buf, up, PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	*out = buf;
	return 0;
}

/* Where a path relative to dirfd starts (a reference): the cwd for
 * AT_FDCWD, the directory open at dirfd otherwise. Absolute paths ignore
 * dirfd, as on Linux. */
static int start_at(int dirfd, const char *path, struct path *start)
{
	struct file *f;

	if (dirfd == AT_FDCWD || path[0] == '/') {
		vfs_cwd(current, start);
		return 0;
	}
	f = fd_get(current->files, dirfd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode) && path[0]) {	/* "" is AT_EMPTY_PATH's */
		file_put(f);
		return -ENOTDIR;
	}
	*start = f->path;
	path_get(start);
	file_put(f);
	return 0;
}

/* A user path and its starting point, both to be dropped by at_put. */
struct at {
	char *path;
	struct path start;
};

static int at_get(int dirfd, uint64_t upath, struct at *at)
{
	int err = user_path(upath, &at->path);

	if (err)
		return err;
	err = start_at(dirfd, at->path, &at->start);
	if (err)
		kfree(at->path);
	return err;
}

static void at_put(struct at *at)
{
	path_put(&at->start);
	kfree(at->path);
}

/*
 * The attribute calls share one shape: find the inode, by (dirfd, path)
 * or by fd, and apply one change to it under vfs_lock. op gets the inode
 * and the call's own argument.
 */
typedef int (*inode_op_fn)(struct inode *inode, const void *arg);

static long path_inode_op(int dirfd, uint64_t upath, unsigned lookup,
			  inode_op_fn op, const void *arg)
{
	struct at at;
	struct path p;
	int err = at_get(dirfd, upath, &at);

	if (err)
		return err;
	vfs_lock();
	err = namei_walk(&at.start, at.path, lookup, &p);
	if (!err) {
		err = op(p.inode, arg);
		path_put_locked(&p);
	}
	vfs_unlock();
	at_put(&at);
	return err;
}

static long fd_inode_op(int fd, inode_op_fn op, const void *arg)
{
	struct file *f = fd_get(current->files, fd);
	int err;

	if (!f)
		return -EBADF;
	vfs_lock();
	err = op(f->inode, arg);
	vfs_unlock();
	file_put(f);
	return err;
}

/* ---- open and close ------------------------------------------------------ */

static long do_openat(int dirfd, uint64_t upath, unsigned flags, uint32_t mode)
{
	struct files *ft = current_files();
	struct file *f;
	struct at at;
	int err, fd;

	if (!ft)
		return -ENOMEM;
	err = at_get(dirfd, upath, &at);
	if (err)
		return err;
	err = vfs_open(&at.start, at.path, flags, mode, &f);
	at_put(&at);
	if (err)
		return err;
	fd = fd_install(ft, f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE(open) { return do_openat(AT_FDCWD, a0, (unsigned)a1, (uint32_t)a2); }
SYSCALL_DEFINE(openat) { return do_openat((int)a0, a1, (unsigned)a2, (uint32_t)a3); }
SYSCALL_DEFINE(creat)
{
	return do_openat(AT_FDCWD, a0, O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a1);
}

SYSCALL_DEFINE(close) { return fd_close(current->files, (int)a0); }

/* ---- read and write -------------------------------------------------------- */

enum rw { RW_READ, RW_WRITE };

static long do_rw(int fd, uint64_t ubuf, size_t n, enum rw dir, bool positioned,
		  int64_t pos)
{
	struct file *f = fd_get(current->files, fd);
	struct iobuf b = iobuf_user(ubuf, n > MAX_RW_COUNT ? MAX_RW_COUNT : n);
	long r;

	if (!f)
		return -EBADF;
	if (positioned && pos < 0)
		r = -EINVAL;
	else if (positioned)
		r = dir == RW_READ ? vfs_pread(f, &b, pos) : vfs_pwrite(f, &b, pos);
	else
		r = dir == RW_READ ? vfs_read(f, &b) : vfs_write(f, &b);
	file_put(f);
	return r;
}

SYSCALL_DEFINE(read) { return do_rw((int)a0, a1, a2, RW_READ, false, 0); }
SYSCALL_DEFINE(write) { return do_rw((int)a0, a1, a2, RW_WRITE, false, 0); }
SYSCALL_DEFINE(pread64) { return do_rw((int)a0, a1, a2, RW_READ, true, (int64_t)a3); }
SYSCALL_DEFINE(pwrite64) { return do_rw((int)a0, a1, a2, RW_WRITE, true, (int64_t)a3); }

/* Segment by segment; a short transfer ends the call, as on Linux. */
static long do_rwv(int fd, uint64_t uiov, int cnt, enum rw dir)
{
	struct user_iovec *iov;
	uint64_t total = 0;
	long done = 0, r = 0;

	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	if (cnt == 0)
		return 0;
	iov = kmalloc(cnt * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (copy_from_user(iov, uiov, cnt * sizeof(*iov))) {
		r = -EFAULT;
		goto out;
	}
	for (int i = 0; i < cnt; i++) {
		if (iov[i].len > MAX_RW_COUNT - total) {
			r = -EINVAL;
			goto out;
		}
		total += iov[i].len;
	}
	for (int i = 0; i < cnt; i++) {
		if (!iov[i].len)
			continue;
		r = do_rw(fd, iov[i].base, iov[i].len, dir, false, 0);
		if (r < 0)
			break;
		done += r;
		if ((uint64_t)r < iov[i].len)
			break;
	}
out:
	kfree(iov);
	return done ? done : r;
}

SYSCALL_DEFINE(readv) { return do_rwv((int)a0, a1, (int)a2, RW_READ); }
SYSCALL_DEFINE(writev) { return do_rwv((int)a0, a1, (int)a2, RW_WRITE); }

SYSCALL_DEFINE(lseek)
{
	struct file *f = fd_get(current->files, (int)a0);
	long r;

	if (!f)
		return -EBADF;
	r = vfs_lseek(f, (int64_t)a1, (int)a2);
	file_put(f);
	return r;
}

/* ---- sizes ---------------------------------------------------------------- */

static int op_truncate(struct inode *inode, const void *size)
{
	int err;

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	err = vfs_permission(inode, MAY_WRITE);
	return err ? err : vfs_truncate_inode(inode, *(const uint64_t *)size);
}

SYSCALL_DEFINE(truncate)
{
	uint64_t size = a1;

	if ((int64_t)size < 0)
		return -EINVAL;
	return path_inode_op(AT_FDCWD, a0, LOOKUP_FOLLOW, op_truncate, &size);
}

SYSCALL_DEFINE(ftruncate)
{
	struct file *f = fd_get(current->files, (int)a0);
	int err;

	if (!f)
		return -EBADF;
	if ((int64_t)a1 < 0 || !((f->flags & O_ACCMODE) == O_WRONLY ||
				 (f->flags & O_ACCMODE) == O_RDWR)) {
		err = -EINVAL;
	} else {
		vfs_lock();
		err = vfs_truncate_inode(f->inode, a1);
		vfs_unlock();
	}
	file_put(f);
	return err;
}

/* ---- stat ------------------------------------------------------------------ */

static long stat_file(struct file *f, uint64_t ubuf)
{
	struct stat st;

	vfs_lock();
	vfs_stat_inode(f->inode, &st);
	vfs_unlock();
	return copy_to_user(ubuf, &st, sizeof(st));
}

static long do_fstat(int fd, uint64_t ubuf)
{
	struct file *f = fd_get(current->files, fd);
	long r;

	if (!f)
		return -EBADF;
	r = stat_file(f, ubuf);
	file_put(f);
	return r;
}

static long do_fstatat(int dirfd, uint64_t upath, uint64_t ubuf, unsigned flags)
{
	struct stat st;
	struct at at;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = at_get(dirfd, upath, &at);
	if (err)
		return err;
	if (at.path[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		vfs_lock();
		vfs_stat_inode(at.start.inode, &st);
		vfs_unlock();
	} else {
		err = vfs_stat(&at.start, at.path,
			       (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &st);
	}
	at_put(&at);
	if (err)
		return err;
	return copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL_DEFINE(stat) { return do_fstatat(AT_FDCWD, a0, a1, 0); }
SYSCALL_DEFINE(lstat) { return do_fstatat(AT_FDCWD, a0, a1, AT_SYMLINK_NOFOLLOW); }
SYSCALL_DEFINE(fstat) { return do_fstat((int)a0, a1); }
SYSCALL_DEFINE(newfstatat) { return do_fstatat((int)a0, a1, a2, (unsigned)a3); }

/*
 * access checks with the real ids unless AT_EACCESS: the effective ones
 * are swapped for the real ones around the walk, which therefore also
 * searches with the real ids, as on Linux.
 */
static long do_faccessat(int dirfd, uint64_t upath, int mode, unsigned flags)
{
	struct cred saved = current->cred;
	struct at at;
	struct path p;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = at_get(dirfd, upath, &at);
	if (err)
		return err;
	if (!(flags & AT_EACCESS)) {
		current->cred.euid = current->cred.uid;
		current->cred.egid = current->cred.gid;
	}
	vfs_lock();
	err = namei_walk(&at.start, at.path,
			 (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &p);
	if (!err) {
		if (mode)
			err = vfs_permission(p.inode, mode);	/* R/W/X_OK == MAY_* */
		path_put_locked(&p);
	}
	vfs_unlock();
	current->cred.euid = saved.euid;
	current->cred.egid = saved.egid;
	at_put(&at);
	return err;
}

SYSCALL_DEFINE(access) { return do_faccessat(AT_FDCWD, a0, (int)a1, 0); }
SYSCALL_DEFINE(faccessat) { return do_faccessat((int)a0, a1, (int)a2, 0); }

SYSCALL_DEFINE(getdents64)
{
	struct file *f = fd_get(current->files, (int)a0);
	struct iobuf b = iobuf_user(a1, a2 > MAX_RW_COUNT ? MAX_RW_COUNT : a2);
	long r;

	if (!f)
		return -EBADF;
	r = vfs_getdents(f, &b);
	file_put(f);
	return r;
}

/* ---- names ------------------------------------------------------------------ */

static long do_mkdirat(int dirfd, uint64_t upath, uint32_t mode)
{
	struct at at;
	int err = at_get(dirfd, upath, &at);

	if (err)
		return err;
	err = vfs_mkdir(&at.start, at.path, mode);
	at_put(&at);
	return err;
}

SYSCALL_DEFINE(mkdir) { return do_mkdirat(AT_FDCWD, a0, (uint32_t)a1); }
SYSCALL_DEFINE(mkdirat) { return do_mkdirat((int)a0, a1, (uint32_t)a2); }

static long do_unlinkat(int dirfd, uint64_t upath, unsigned flags)
{
	struct at at;
	int err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = at_get(dirfd, upath, &at);
	if (err)
		return err;
	if (flags & AT_REMOVEDIR)
		err = vfs_rmdir(&at.start, at.path);
	else
		err = vfs_unlink(&at.start, at.path);
	at_put(&at);
	return err;
}

SYSCALL_DEFINE(rmdir) { return do_unlinkat(AT_FDCWD, a0, AT_REMOVEDIR); }
SYSCALL_DEFINE(unlink) { return do_unlinkat(AT_FDCWD, a0, 0); }
SYSCALL_DEFINE(unlinkat) { return do_unlinkat((int)a0, a1, (unsigned)a2); }

static long do_renameat(int odfd, uint64_t uold, int ndfd, uint64_t unew)
{
	struct at o, n;
	int err = at_get(odfd, uold, &o);

	if (err)
		return err;
	err = at_get(ndfd, unew, &n);
	if (!err) {
		err = vfs_rename(&o.start, o.path, &n.start, n.path);
		at_put(&n);
	}
	at_put(&o);
	return err;
}

SYSCALL_DEFINE(rename) { return do_renameat(AT_FDCWD, a0, AT_FDCWD, a1); }
SYSCALL_DEFINE(renameat) { return do_renameat((int)a0, a1, (int)a2, a3); }

static long do_linkat(int odfd, uint64_t uold, int ndfd, uint64_t unew, unsigned flags)
{
	struct at o, n;
	int err;

	if (flags & ~AT_SYMLINK_FOLLOW)
		return -EINVAL;
	err = at_get(odfd, uold, &o);
	if (err)
		return err;
	err = at_get(ndfd, unew, &n);
	if (!err) {
		err = vfs_link(&o.start, o.path, &n.start, n.path,
			       (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0);
		at_put(&n);
	}
	at_put(&o);
	return err;
}

SYSCALL_DEFINE(link) { return do_linkat(AT_FDCWD, a0, AT_FDCWD, a1, 0); }
SYSCALL_DEFINE(linkat) { return do_linkat((int)a0, a1, (int)a2, a3, (unsigned)a4); }

static long do_symlinkat(uint64_t utarget, int dirfd, uint64_t upath)
{
	char *target = NULL;
	struct at at;
	int err = user_path(utarget, &target);

	if (err)
		return err;
	err = at_get(dirfd, upath, &at);
	if (!err) {
		err = vfs_symlink(target, &at.start, at.path);
		at_put(&at);
	}
	kfree(target);
	return err;
}

/* mknod: a type of 0 means a regular file, as on Linux. */
static long do_mknodat(int dirfd, uint64_t upath, uint32_t mode, uint32_t dev)
{
	struct at at;
	int err;

	if ((mode & S_IFMT) == 0)
		mode |= S_IFREG;
	err = at_get(dirfd, upath, &at);
	if (err)
		return err;
	err = vfs_mknod(&at.start, at.path, mode, dev);
	at_put(&at);
	return err;
}

SYSCALL_DEFINE(mknod) { return do_mknodat(AT_FDCWD, a0, (uint32_t)a1, (uint32_t)a2); }
SYSCALL_DEFINE(mknodat) { return do_mknodat((int)a0, a1, (uint32_t)a2, (uint32_t)a3); }

SYSCALL_DEFINE(symlink) { return do_symlinkat(a0, AT_FDCWD, a1); }
SYSCALL_DEFINE(symlinkat) { return do_symlinkat(a0, (int)a1, a2); }

static long do_readlinkat(int dirfd, uint64_t upath, uint64_t ubuf, int64_t size)
{
	struct at at;
	char *buf;
	int err, n;

	if (size <= 0)
		return -EINVAL;
	err = at_get(dirfd, upath, &at);
	if (err)
		return err;
	buf = kmalloc(PATH_MAX);
	if (!buf) {
		at_put(&at);
		return -ENOMEM;
	}
	n = vfs_readlink(&at.start, at.path, buf, size < PATH_MAX ? size : PATH_MAX);
	at_put(&at);
	if (n >= 0 && copy_to_user(ubuf, buf, n))
		n = -EFAULT;
	kfree(buf);
	return n;
}

SYSCALL_DEFINE(readlink) { return do_readlinkat(AT_FDCWD, a0, a1, (int64_t)a2); }
SYSCALL_DEFINE(readlinkat) { return do_readlinkat((int)a0, a1, a2, (int64_t)a3); }

/* ---- the working directory ------------------------------------------------- */

/* Make p (referenced; the reference passes to current) the cwd. */
static int set_cwd(struct path *p)
{
	int err;

	vfs_lock();
	err = S_ISDIR(p->inode->mode) ? vfs_permission(p->inode, MAY_EXEC) : -ENOTDIR;
	vfs_unlock();
	if (err) {
		path_put(p);
		return err;
	}
	if (current->cwd)
		inode_put(current->cwd);
	current->cwd = p->inode;
	return 0;
}

SYSCALL_DEFINE(chdir)
{
	struct at at;
	struct path p;
	int err = at_get(AT_FDCWD, a0, &at);

	if (err)
		return err;
	vfs_lock();
	err = namei_walk(&at.start, at.path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	vfs_unlock();
	at_put(&at);
	return err ? err : set_cwd(&p);
}

SYSCALL_DEFINE(fchdir)
{
	struct file *f = fd_get(current->files, (int)a0);
	struct path p;

	if (!f)
		return -EBADF;
	p = f->path;
	path_get(&p);
	file_put(f);
	return set_cwd(&p);
}

/* Returns the length with its NUL, as Linux's getcwd call does. */
SYSCALL_DEFINE(getcwd)
{
	size_t size = a1 < PATH_MAX ? a1 : PATH_MAX;
	struct path cwd;
	char *buf;
	long n;

	if (size == 0)
		return -ERANGE;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	vfs_cwd(current, &cwd);
	vfs_lock();
	n = vfs_path_name(&cwd, buf, size);
	path_put_locked(&cwd);
	vfs_unlock();
	if (n >= 0) {
		n++;
		if (copy_to_user(a0, buf, n))
			n = -EFAULT;
	}
	kfree(buf);
	return n;
}

/* ---- descriptors ---------------------------------------------------------------- */

static long do_dup(int oldfd, int newfd, int min, bool cloexec, bool at)
{
	struct files *ft = current->files;
	struct file *f = fd_get(ft, oldfd);
	int r;

	if (!f)
		return -EBADF;
	r = at ? fd_replace(ft, newfd, f, cloexec) : fd_install(ft, f, min, cloexec);
	if (r < 0)
		file_put(f);
	return r;
}

SYSCALL_DEFINE(dup) { return do_dup((int)a0, 0, 0, false, false); }

SYSCALL_DEFINE(dup2)
{
	if ((int)a0 == (int)a1) {
		struct file *f = fd_get(current->files, (int)a0);

		if (!f)
			return -EBADF;
		file_put(f);
		return (int)a1;
	}
	return do_dup((int)a0, (int)a1, 0, false, true);
}

SYSCALL_DEFINE(dup3)
{
	if ((int)a0 == (int)a1 || (a2 & ~(uint64_t)O_CLOEXEC))
		return -EINVAL;
	return do_dup((int)a0, (int)a1, 0, a2 & O_CLOEXEC, true);
}

#define SETFL_MASK	(O_APPEND | O_NONBLOCK)

SYSCALL_DEFINE(fcntl)
{
	struct files *ft = current->files;
	int fd = (int)a0;
	struct file *f = fd_get(ft, fd);
	long r;

	if (!f)
		return -EBADF;
	switch ((int)a1) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		r = fd_install(ft, f, (int)a2, (int)a1 == F_DUPFD_CLOEXEC);
		if (r >= 0)
			return r;	/* the table took our reference */
		break;
	case F_GETFD:
		r = fd_get_cloexec(ft, fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		fd_set_cloexec(ft, fd, a2 & FD_CLOEXEC);
		r = 0;
		break;
	case F_GETFL:
		r = f->flags;
		break;
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | (a2 & SETFL_MASK);
		r = 0;
		break;
	default:
		r = -EINVAL;
		break;
	}
	file_put(f);
	return r;
}

/* ---- attributes --------------------------------------------------------------- */

static int op_chmod(struct inode *inode, const void *mode)
{
	return vfs_chmod_inode(inode, *(const uint32_t *)mode);
}

static int op_chown(struct inode *inode, const void *ids)
{
	const uint32_t *id = ids;

	return vfs_chown_inode(inode, id[0], id[1]);
}

static int op_utimes(struct inode *inode, const void *times)
{
	return vfs_utimes_inode(inode, times);
}

static long chown_at(int dirfd, uint64_t upath, uint32_t uid, uint32_t gid,
		     unsigned lookup)
{
	uint32_t ids[2] = { uid, gid };

	return path_inode_op(dirfd, upath, lookup, op_chown, ids);
}

SYSCALL_DEFINE(chmod)
{
	uint32_t mode = a1;

	return path_inode_op(AT_FDCWD, a0, LOOKUP_FOLLOW, op_chmod, &mode);
}

SYSCALL_DEFINE(fchmodat)
{
	uint32_t mode = a2;

	return path_inode_op((int)a0, a1, LOOKUP_FOLLOW, op_chmod, &mode);
}

SYSCALL_DEFINE(fchmod)
{
	uint32_t mode = a1;

	return fd_inode_op((int)a0, op_chmod, &mode);
}

SYSCALL_DEFINE(chown) { return chown_at(AT_FDCWD, a0, a1, a2, LOOKUP_FOLLOW); }
SYSCALL_DEFINE(lchown) { return chown_at(AT_FDCWD, a0, a1, a2, 0); }
SYSCALL_DEFINE(fchownat)
{
	if (a4 & ~(uint64_t)AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	return chown_at((int)a0, a1, a2, a3, (a4 & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
}

SYSCALL_DEFINE(fchown)
{
	uint32_t ids[2] = { a1, a2 };

	return fd_inode_op((int)a0, op_chown, ids);
}

/* utimensat(dirfd, path, times, flags): a NULL path means dirfd itself
 * (Linux's futimens); NULL times means both now. */
static long utimens_at(int dirfd, uint64_t upath, const struct timespec t[2], uint64_t flags)
{
	static const struct timespec now2[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };

	if (flags & ~(uint64_t)AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (!t)
		t = now2;
	if (!upath)
		return fd_inode_op(dirfd, op_utimes, t);
	return path_inode_op(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
			     op_utimes, t);
}

SYSCALL_DEFINE(utimensat)
{
	struct timespec t[2];

	if (a2 && copy_from_user(t, a2, sizeof(t)))
		return -EFAULT;
	return utimens_at((int)a0, a1, a2 ? t : NULL, a3);
}

/* utimes(path, timeval[2]) and utime(path, utimbuf): the older forms. */
SYSCALL_DEFINE(utimes)
{
	struct { long sec, usec; } tv[2];
	struct timespec t[2];

	if (!a1)
		return utimens_at(AT_FDCWD, a0, NULL, 0);
	if (copy_from_user(tv, a1, sizeof(tv)))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].usec < 0 || tv[i].usec >= 1000000)
			return -EINVAL;
		t[i] = (struct timespec){ tv[i].sec, tv[i].usec * 1000 };
	}
	return utimens_at(AT_FDCWD, a0, t, 0);
}

SYSCALL_DEFINE(utime)
{
	struct { long actime, modtime; } ub;
	struct timespec t[2];

	if (!a1)
		return utimens_at(AT_FDCWD, a0, NULL, 0);
	if (copy_from_user(&ub, a1, sizeof(ub)))
		return -EFAULT;
	t[0] = (struct timespec){ ub.actime, 0 };
	t[1] = (struct timespec){ ub.modtime, 0 };
	return utimens_at(AT_FDCWD, a0, t, 0);
}

SYSCALL_DEFINE(umask)
{
	struct files *ft = current_files();
	uint32_t old;

	if (!ft)
		return -ENOMEM;
	old = ft->umask;
	ft->umask = a0 & 0777;
	return old;
}

/* ---- file systems ---------------------------------------------------------------- */

static long statfs_inode(struct inode *inode, uint64_t ubuf)
{
	struct statfs st;

	memset(&st, 0, sizeof(st));
	vfs_lock();
	if (inode->sb->ops->statfs)
		inode->sb->ops->statfs(inode->sb, &st);
	vfs_unlock();
	return copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL_DEFINE(statfs)
{
	struct at at;
	struct path p;
	int err = at_get(AT_FDCWD, a0, &at);

	if (err)
		return err;
	vfs_lock();
	err = namei_walk(&at.start, at.path, LOOKUP_FOLLOW, &p);
	vfs_unlock();
	at_put(&at);
	if (err)
		return err;
	err = statfs_inode(p.inode, a1);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE(fstatfs)
{
	struct file *f = fd_get(current->files, (int)a0);
	long r;

	if (!f)
		return -EBADF;
	r = statfs_inode(f->inode, a1);
	file_put(f);
	return r;
}

static long do_fsync(int fd)
{
	struct file *f = fd_get(current->files, fd);
	int err = 0;

	if (!f)
		return -EBADF;
	if (!S_ISREG(f->inode->mode) && !S_ISDIR(f->inode->mode))
		err = -EINVAL;		/* pipes and devices, as on Linux */
	else if (f->inode->memobj)
		err = memobj_writeback(f->inode->memobj);
	file_put(f);
	return err;
}

SYSCALL_DEFINE(fsync) { return do_fsync((int)a0); }
SYSCALL_DEFINE(fdatasync) { return do_fsync((int)a0); }
SYSCALL_DEFINE(sync) { return 0; }	/* tmpfs has nowhere to write back */
