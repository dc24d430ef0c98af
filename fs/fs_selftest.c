/* In-kernel self-tests of the VFS (test boot entry, run by kmain as pid
 * 1): the unpacked initrd, tmpfs data across pages and shared pages, the
 * walker's errors, links, renames, permissions, fd limits, ENOSPC, EXDEV,
 * the simple devices, and the system calls' EFAULT paths (called through
 * the .syscalls table with bad user addresses). Every test removes what
 * it made, so the suite's frame-leak check covers it. */
#include <selftest.h>
#include <vfs.h>
#include <proc.h>
#include <page.h>
#include <syscall.h>
#include <kmalloc.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/dirent.h>
#include "internal.h"

extern const struct syscall_def __syscalls_start[], __syscalls_end[];

/* Run system call nr as if from user mode (pointers are user addresses). */
static long sc(unsigned nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	for (const struct syscall_def *d = __syscalls_start; d < __syscalls_end; d++)
		if (d->nr == nr)
			return d->fn(a0, a1, a2, a3, 0, 0);
	return -ENOSYS;
}

#define BAD_UADDR 0x1000ull	/* user half, never mapped for pid 1 */

static int kopen(const char *p, unsigned flags, uint32_t mode, struct file **f)
{
	struct path r = vfs_root();

	return vfs_open(&r, p, flags, mode, f);
}

static long kread(struct file *f, void *buf, size_t n)
{
	struct iobuf b = iobuf_kernel(buf, n);

	return vfs_read(f, &b);
}

static long kwrite(struct file *f, const void *buf, size_t n)
{
	struct iobuf b = iobuf_kernel((void *)buf, n);

	return vfs_write(f, &b);
}

static int kstat(const char *p, unsigned lookup, struct stat *st)
{
	struct path r = vfs_root();

	return vfs_stat(&r, p, lookup, st);
}

static int kunlink(const char *p)
{
	struct path r = vfs_root();

	return vfs_unlink(&r, p);
}

static int krmdir(const char *p)
{
	struct path r = vfs_root();

	return vfs_rmdir(&r, p);
}

static int kmkdir(const char *p, uint32_t mode)
{
	struct path r = vfs_root();

	return vfs_mkdir(&r, p, mode);
}

static int krename(const char *a, const char *b)
{
	struct path r = vfs_root();

	return vfs_rename(&r, a, &r, b);
}

/* Create p with the given bytes. */
static int kcreate(const char *p, const char *data)
{
	struct file *f;
	int err = kopen(p, O_CREAT | O_WRONLY | O_TRUNC, 0644, &f);

	if (err)
		return err;
	if (data && kwrite(f, data, strlen(data)) != (long)strlen(data))
		err = -EIO;
	file_put(f);
	return err;
}

SELFTEST(fs_initrd_hostname)
{
	char buf[32] = { 0 };
	struct file *f;
	struct stat st;

	ST_ASSERT(kopen("/etc/hostname", O_RDONLY, 0, &f) == 0);
	ST_ASSERT(kread(f, buf, sizeof(buf) - 1) == 7);
	ST_ASSERT(memcmp(buf, "kernel\n", 7) == 0);
	ST_ASSERT(kread(f, buf, sizeof(buf)) == 0);
	file_put(f);
	ST_ASSERT(kstat("/etc", LOOKUP_FOLLOW, &st) == 0 && S_ISDIR(st.st_mode));
	ST_ASSERT(kstat("/dev/null", LOOKUP_FOLLOW, &st) == 0 && S_ISCHR(st.st_mode));
	ST_ASSERT(kstat("/tmp", LOOKUP_FOLLOW, &st) == 0 && (st.st_mode & 07777) == 01777);
	ST_ASSERT(kstat("/dev/shm", LOOKUP_FOLLOW, &st) == 0 && (st.st_mode & 07777) == 01777);
	return 0;
}

/* Bytes 4000..14000 of a file cross three page boundaries. */
SELFTEST(fs_tmpfs_data_across_pages)
{
	static char in[10000], out[10000];
	struct file *a, *b;
	struct page *p1, *p2;
	struct stat st;

	for (int i = 0; i < 10000; i++)
		in[i] = (char)(i * 7 + 3);
	ST_ASSERT(kopen("/tmp/data", O_CREAT | O_RDWR | O_EXCL, 0600, &a) == 0);
	ST_ASSERT(vfs_lseek(a, 4000, SEEK_SET) == 4000);
	ST_ASSERT(kwrite(a, in, 10000) == 10000);
	ST_ASSERT(a->inode->size == 14000);
	/* A second open sees the same bytes: the same memory-object pages. */
	ST_ASSERT(kopen("/tmp/data", O_RDONLY, 0, &b) == 0);
	ST_ASSERT(b->inode == a->inode);
	ST_ASSERT(kread(b, out, 4000) == 4000);
	for (int i = 0; i < 4000; i++)
		ST_ASSERT(out[i] == 0);		/* the hole reads as zeros */
	ST_ASSERT(kread(b, out, 10000) == 10000);
	ST_ASSERT(memcmp(in, out, 10000) == 0);
	ST_ASSERT(memobj_get_page(a->inode->memobj, 2, 0, &p1) == 0);
	ST_ASSERT(memobj_get_page(b->inode->memobj, 2, 0, &p2) == 0);
	ST_ASSERT(p1 == p2 && p1->owner == a->inode->memobj && p1->index == 2);
	page_put(p1);
	page_put(p2);
	/* Seeks. */
	ST_ASSERT(vfs_lseek(b, 0, SEEK_END) == 14000);
	ST_ASSERT(vfs_lseek(b, -14001, SEEK_CUR) == -EINVAL);
	ST_ASSERT(vfs_lseek(b, 0, 7) == -EINVAL);
	/* Truncate inside page 1, then grow again: the cut tail reads zeros. */
	vfs_lock();
	ST_ASSERT(vfs_truncate_inode(a->inode, 5000) == 0);
	ST_ASSERT(a->inode->memobj->nr_pages == 2);
	ST_ASSERT(vfs_truncate_inode(a->inode, 9000) == 0);
	vfs_unlock();
	{
		struct iobuf io = iobuf_kernel(out, 4000);

		ST_ASSERT(vfs_pread(b, &io, 4900) == 4000);
	}
	ST_ASSERT(memcmp(out, in + 900, 100) == 0);
	for (int i = 100; i < 4000; i++)
		ST_ASSERT(out[i] == 0);
	/* O_APPEND writes at the end whatever the offset. */
	ST_ASSERT(vfs_lseek(a, 0, SEEK_SET) == 0);
	a->flags |= O_APPEND;
	ST_ASSERT(kwrite(a, "xy", 2) == 2 && a->inode->size == 9002);
	ST_ASSERT(kstat("/tmp/data", 0, &st) == 0 && st.st_size == 9002 &&
		  st.st_nlink == 1 && st.st_blocks == 3 * 8);
	/* Unlinked while open: still readable until the last close. */
	ST_ASSERT(kunlink("/tmp/data") == 0);
	ST_ASSERT(kstat("/tmp/data", 0, &st) == -ENOENT);
	ST_ASSERT(vfs_lseek(b, 4000, SEEK_SET) == 4000);
	ST_ASSERT(kread(b, out, 100) == 100 && memcmp(out, in, 100) == 0);
	file_put(a);
	file_put(b);
	/* O_RDONLY file is not writable. */
	ST_ASSERT(kopen("/etc/hostname", O_RDONLY, 0, &a) == 0);
	ST_ASSERT(kwrite(a, "x", 1) == -EBADF);
	file_put(a);
	return 0;
}

struct names {
	char seen[8][8];
	int n;
};

SELFTEST(fs_getdents)
{
	static char buf[512];
	struct file *d;
	int n, found = 0;

	ST_ASSERT(kmkdir("/tmp/dir", 0755) == 0);
	ST_ASSERT(kcreate("/tmp/dir/a", "1") == 0);
	ST_ASSERT(kcreate("/tmp/dir/bb", "2") == 0);
	ST_ASSERT(kmkdir("/tmp/dir/ccc", 0755) == 0);
	ST_ASSERT(kopen("/tmp/dir", O_RDONLY | O_DIRECTORY, 0, &d) == 0);
	{
		struct iobuf tiny = iobuf_kernel(buf, 8);

		ST_ASSERT(vfs_getdents(d, &tiny) == -EINVAL);
	}
	for (;;) {
		struct iobuf io = iobuf_kernel(buf, 48);	/* two records at most */

		n = vfs_getdents(d, &io);
		ST_ASSERT(n >= 0);
		if (n == 0)
			break;
		for (int off = 0; off < n;) {
			struct linux_dirent64 *e = (void *)(buf + off);

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				found |= 1;
			else if (!strcmp(e->d_name, "a") && e->d_type == DT_REG)
				found |= 2;
			else if (!strcmp(e->d_name, "bb") && e->d_type == DT_REG)
				found |= 4;
			else if (!strcmp(e->d_name, "ccc") && e->d_type == DT_DIR)
				found |= 8;
			else
				found |= 16;
			ST_ASSERT(e->d_reclen % 8 == 0);
			off += e->d_reclen;
		}
	}
	ST_ASSERT(found == 15);
	ST_ASSERT(kread(d, buf, 10) == -EISDIR);
	file_put(d);
	ST_ASSERT(kopen("/tmp/dir", O_WRONLY, 0, &d) == -EISDIR);
	ST_ASSERT(krmdir("/tmp/dir") == -ENOTEMPTY);
	ST_ASSERT(kunlink("/tmp/dir/ccc") == -EISDIR);
	ST_ASSERT(krmdir("/tmp/dir/a") == -ENOTDIR);
	ST_ASSERT(krmdir("/tmp/dir/ccc/.") == -EINVAL);
	ST_ASSERT(krmdir("/tmp/dir/ccc") == 0);
	ST_ASSERT(kunlink("/tmp/dir/a") == 0);
	ST_ASSERT(kunlink("/tmp/dir/bb") == 0);
	ST_ASSERT(krmdir("/tmp/dir") == 0);
	return 0;
}

SELFTEST(fs_walk_errors)
{
	static char longname[300];
	struct stat st;
	struct file *f;

	ST_ASSERT(kstat("/nonexistent", 0, &st) == -ENOENT);
	ST_ASSERT(kstat("/etc/hostname/x", 0, &st) == -ENOTDIR);
	ST_ASSERT(kstat("/etc/hostname/", 0, &st) == -ENOTDIR);
	ST_ASSERT(kstat("", 0, &st) == -ENOENT);
	memset(longname, 'a', 299);
	longname[0] = '/';
	ST_ASSERT(kstat(longname, 0, &st) == -ENAMETOOLONG);
	ST_ASSERT(kopen("/etc/hostname", O_RDONLY | O_DIRECTORY, 0, &f) == -ENOTDIR);
	ST_ASSERT(kopen("/tmp/x/", O_CREAT | O_RDWR, 0644, &f) == -EISDIR);
	ST_ASSERT(kopen("/etc/hostname", O_CREAT | O_EXCL | O_RDWR, 0644, &f) == -EEXIST);
	ST_ASSERT(kmkdir("/etc", 0755) == -EEXIST);
	ST_ASSERT(kmkdir("/", 0755) == -EEXIST);
	ST_ASSERT(krmdir("/") == -EBUSY);
	ST_ASSERT(krmdir("/tmp") == -EBUSY);		/* a mount point */
	/* ".." crosses mounts upward; "." and repeated slashes are nothing. */
	{
		struct stat a, b;

		ST_ASSERT(kstat("/dev/shm/../null", 0, &a) == 0);
		ST_ASSERT(kstat("/dev/./null", 0, &b) == 0 && a.st_ino == b.st_ino);
		ST_ASSERT(kstat("/tmp/..//etc/hostname", 0, &a) == 0);
		ST_ASSERT(kstat("/../../etc/hostname", 0, &b) == 0 && a.st_ino == b.st_ino);
		ST_ASSERT(kstat("/dev/shm", 0, &a) == 0 && kstat("/dev", 0, &b) == 0 &&
			  a.st_dev != b.st_dev);
	}
	/* Absolute names back from paths, across mounts. */
	{
		struct path r = vfs_root(), p;
		char name[64];

		vfs_lock();
		ST_ASSERT(namei_walk(&r, "/dev/shm/", LOOKUP_FOLLOW, &p) == 0);
		ST_ASSERT(vfs_path_name(&p, name, sizeof(name)) == 8);
		ST_ASSERT(strcmp(name, "/dev/shm") == 0);
		ST_ASSERT(vfs_path_name(&p, name, 5) == -ERANGE);
		path_put_locked(&p);
		ST_ASSERT(vfs_path_name(&r, name, sizeof(name)) == 1 && !strcmp(name, "/"));
		vfs_unlock();
	}
	return 0;
}

SELFTEST(fs_links_and_symlinks)
{
	struct path r = vfs_root();
	struct stat st, st2;
	char buf[64];
	struct file *f;

	ST_ASSERT(kcreate("/tmp/orig", "hello") == 0);
	ST_ASSERT(vfs_link(&r, "/tmp/orig", &r, "/tmp/hard", 0) == 0);
	ST_ASSERT(kstat("/tmp/orig", 0, &st) == 0 && st.st_nlink == 2);
	ST_ASSERT(kstat("/tmp/hard", 0, &st2) == 0 && st2.st_ino == st.st_ino);
	ST_ASSERT(vfs_link(&r, "/tmp/orig", &r, "/tmp/hard", 0) == -EEXIST);
	ST_ASSERT(vfs_link(&r, "/tmp", &r, "/tmp/dirlink", 0) == -EPERM);
	ST_ASSERT(vfs_symlink("orig", &r, "/tmp/sym") == 0);
	ST_ASSERT(vfs_symlink("", &r, "/tmp/empty") == -ENOENT);
	ST_ASSERT(kstat("/tmp/sym", LOOKUP_FOLLOW, &st2) == 0 && st2.st_ino == st.st_ino);
	ST_ASSERT(kstat("/tmp/sym", 0, &st2) == 0 && S_ISLNK(st2.st_mode) && st2.st_size == 4);
	ST_ASSERT(vfs_readlink(&r, "/tmp/sym", buf, sizeof(buf)) == 4);
	ST_ASSERT(memcmp(buf, "orig", 4) == 0);
	ST_ASSERT(vfs_readlink(&r, "/tmp/orig", buf, sizeof(buf)) == -EINVAL);
	ST_ASSERT(kopen("/tmp/sym", O_RDONLY, 0, &f) == 0);
	ST_ASSERT(kread(f, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
	file_put(f);
	ST_ASSERT(kopen("/tmp/sym", O_RDONLY | O_NOFOLLOW, 0, &f) == -ELOOP);
	/* A symlink to a directory, in the middle of a path. */
	ST_ASSERT(vfs_symlink("/etc", &r, "/tmp/etclink") == 0);
	ST_ASSERT(kstat("/tmp/etclink/hostname", 0, &st2) == 0 && S_ISREG(st2.st_mode));
	ST_ASSERT(kstat("/tmp/etclink/", 0, &st2) == 0 && S_ISDIR(st2.st_mode));
	/* Loops. */
	ST_ASSERT(vfs_symlink("loop2", &r, "/tmp/loop1") == 0);
	ST_ASSERT(vfs_symlink("loop1", &r, "/tmp/loop2") == 0);
	ST_ASSERT(kstat("/tmp/loop1", LOOKUP_FOLLOW, &st2) == -ELOOP);
	ST_ASSERT(kopen("/tmp/loop1", O_RDONLY, 0, &f) == -ELOOP);
	ST_ASSERT(kstat("/tmp/loop1/x", 0, &st2) == -ELOOP);
	ST_ASSERT(kstat("/tmp/loop1", 0, &st2) == 0);	/* lstat is fine */
	/* Dangling. */
	ST_ASSERT(vfs_symlink("/nowhere", &r, "/tmp/dangle") == 0);
	ST_ASSERT(kstat("/tmp/dangle", LOOKUP_FOLLOW, &st2) == -ENOENT);
	/* Removing one name keeps the other. */
	ST_ASSERT(kunlink("/tmp/orig") == 0);
	ST_ASSERT(kstat("/tmp/hard", 0, &st2) == 0 && st2.st_nlink == 1);
	ST_ASSERT(kstat("/tmp/sym", LOOKUP_FOLLOW, &st2) == -ENOENT);
	const char *names[] = { "/tmp/hard", "/tmp/sym", "/tmp/etclink", "/tmp/loop1",
				"/tmp/loop2", "/tmp/dangle" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ST_ASSERT(kunlink(names[i]) == 0);
	return 0;
}

SELFTEST(fs_rename_rules)
{
	struct path r = vfs_root();
	struct stat st, st2;

	ST_ASSERT(kcreate("/tmp/f1", "one") == 0);
	ST_ASSERT(kcreate("/tmp/f2", "two") == 0);
	ST_ASSERT(kmkdir("/tmp/d1", 0755) == 0);
	ST_ASSERT(kmkdir("/tmp/d2", 0755) == 0);
	ST_ASSERT(kcreate("/tmp/d2/inside", NULL) == 0);
	ST_ASSERT(kstat("/tmp/f1", 0, &st) == 0);
	/* Over an existing file: it replaces it. */
	ST_ASSERT(krename("/tmp/f1", "/tmp/f2") == 0);
	ST_ASSERT(kstat("/tmp/f1", 0, &st2) == -ENOENT);
	ST_ASSERT(kstat("/tmp/f2", 0, &st2) == 0 && st2.st_ino == st.st_ino);
	/* Same file: nothing happens. */
	ST_ASSERT(krename("/tmp/f2", "/tmp/f2") == 0);
	/* Directory rules. */
	ST_ASSERT(krename("/tmp/d1", "/tmp/d2") == -ENOTEMPTY);
	ST_ASSERT(krename("/tmp/f2", "/tmp/d1") == -EISDIR);
	ST_ASSERT(krename("/tmp/d1", "/tmp/f2") == -ENOTDIR);
	ST_ASSERT(krename("/tmp/d2", "/tmp/d2/sub") == -EINVAL);
	ST_ASSERT(krename("/tmp/f2/", "/tmp/f3") == -ENOTDIR);
	ST_ASSERT(krename("/tmp/nope", "/tmp/f3") == -ENOENT);
	ST_ASSERT(krename("/tmp/.", "/tmp/x") == -EBUSY);
	/* A directory moves into another and its ".." follows. */
	ST_ASSERT(kstat("/tmp/d2", 0, &st) == 0 && st.st_nlink == 2);
	ST_ASSERT(krename("/tmp/d1", "/tmp/d2/d1") == 0);
	ST_ASSERT(kstat("/tmp/d2", 0, &st) == 0 && st.st_nlink == 3);
	ST_ASSERT(kstat("/tmp/d2/d1/../inside", 0, &st2) == 0);
	/* An empty directory may be replaced by a directory. */
	ST_ASSERT(kmkdir("/tmp/d3", 0755) == 0);
	ST_ASSERT(krename("/tmp/d3", "/tmp/d2/d1") == 0);
	ST_ASSERT(kstat("/tmp/d2", 0, &st) == 0 && st.st_nlink == 3);
	/* Across mounts. */
	ST_ASSERT(krename("/tmp/f2", "/dev/shm/f2") == -EXDEV);
	ST_ASSERT(vfs_link(&r, "/tmp/f2", &r, "/dev/shm/f2", 0) == -EXDEV);
	ST_ASSERT(kunlink("/tmp/f2") == 0);
	ST_ASSERT(kunlink("/tmp/d2/inside") == 0);
	ST_ASSERT(krmdir("/tmp/d2/d1") == 0);
	ST_ASSERT(krmdir("/tmp/d2") == 0);
	return 0;
}

SELFTEST(fs_permissions)
{
	struct cred saved = current->cred;
	struct path r = vfs_root();
	struct file *f;
	struct stat st;
	int e1, e2, e3, e4, e5, e6, e7, e8 = 0;

	ST_ASSERT(kmkdir("/tmp/priv", 0700) == 0);
	ST_ASSERT(kcreate("/tmp/priv/f", "x") == 0);
	ST_ASSERT(kcreate("/tmp/rootfile", "x") == 0);		/* 0644 & ~022 */
	current_files()->umask = 0;
	ST_ASSERT(kmkdir("/tmp/open", 0777) == 0);
	current_files()->umask = 022;
	/* Root may not execute a file with no x bit at all. */
	vfs_lock();
	{
		struct path p;

		ST_ASSERT(namei_walk(&r, "/tmp/rootfile", 0, &p) == 0);
		ST_ASSERT(vfs_permission(p.inode, MAY_EXEC) == -EACCES);
		ST_ASSERT(vfs_permission(p.inode, MAY_READ | MAY_WRITE) == 0);
		path_put_locked(&p);
	}
	vfs_unlock();

	current->cred.euid = current->cred.uid = 1000;
	current->cred.egid = current->cred.gid = 1000;
	e1 = kstat("/tmp/priv/f", 0, &st);			/* no search */
	e2 = kopen("/tmp/rootfile", O_WRONLY, 0, &f);		/* 0644, not ours */
	e3 = kunlink("/tmp/rootfile");				/* sticky /tmp */
	e4 = kcreate("/tmp/priv/g", NULL);
	e5 = kcreate("/tmp/open/mine", "m");			/* fine */
	e6 = kopen("/tmp/rootfile", O_RDONLY, 0, &f);
	if (e6 == 0)
		file_put(f);
	vfs_lock();
	{
		struct path p;

		e7 = namei_walk(&r, "/tmp/rootfile", 0, &p);
		if (!e7) {
			e7 = vfs_chown_inode(p.inode, 1000, (uint32_t)-1);
			e8 = vfs_chmod_inode(p.inode, 0777);
			path_put_locked(&p);
		}
	}
	vfs_unlock();
	current->cred = saved;

	ST_ASSERT(e1 == -EACCES);
	ST_ASSERT(e2 == -EACCES);
	ST_ASSERT(e3 == -EPERM);
	ST_ASSERT(e4 == -EACCES);
	ST_ASSERT(e5 == 0);
	ST_ASSERT(e6 == 0);
	ST_ASSERT(e7 == -EPERM && e8 == -EPERM);
	ST_ASSERT(kstat("/tmp/open/mine", 0, &st) == 0 && st.st_uid == 1000);
	ST_ASSERT(kunlink("/tmp/open/mine") == 0);
	ST_ASSERT(krmdir("/tmp/open") == 0);
	ST_ASSERT(kunlink("/tmp/rootfile") == 0);
	ST_ASSERT(kunlink("/tmp/priv/f") == 0);
	ST_ASSERT(krmdir("/tmp/priv") == 0);
	return 0;
}

SELFTEST(fs_emfile_and_dup)
{
	struct files *ft = current_files();
	int saved_max = ft->max, fds[16], n = 0, err;
	struct file *f;

	ST_ASSERT(kopen("/dev/null", O_RDWR, 0, &f) == 0);
	ft->max = 12;
	for (;;) {
		file_get(f);
		err = fd_install(ft, f, 0, false);
		if (err < 0) {
			file_put(f);
			break;
		}
		fds[n++] = err;
	}
	ST_ASSERT(err == -EMFILE);
	ST_ASSERT(n <= 12 && n > 3);
	ST_ASSERT(sc(__NR_dup, fds[0], 0, 0, 0) == -EMFILE);
	ST_ASSERT(sc(__NR_fcntl, fds[0], F_DUPFD, 12, 0) == -EINVAL);
	/* dup2 onto an open fd closes that one; cloexec bits per fd. */
	ST_ASSERT(sc(__NR_dup3, fds[0], fds[1], O_CLOEXEC, 0) == fds[1]);
	ST_ASSERT(sc(__NR_fcntl, fds[1], F_GETFD, 0, 0) == FD_CLOEXEC);
	ST_ASSERT(sc(__NR_fcntl, fds[0], F_GETFD, 0, 0) == 0);
	ST_ASSERT(sc(__NR_dup3, fds[0], fds[0], 0, 0) == -EINVAL);
	ST_ASSERT(sc(__NR_dup2, fds[0], fds[0], 0, 0) == fds[0]);
	ST_ASSERT(sc(__NR_fcntl, fds[0], F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY, 0) == 0);
	ST_ASSERT(sc(__NR_fcntl, fds[0], F_GETFL, 0, 0) == (O_RDWR | O_APPEND | O_NONBLOCK));
	for (int i = 0; i < n; i++)
		ST_ASSERT(sc(__NR_close, fds[i], 0, 0, 0) == 0);
	ST_ASSERT(sc(__NR_close, fds[0], 0, 0, 0) == -EBADF);
	ft->max = saved_max;
	file_put(f);
	return 0;
}

SELFTEST(fs_enospc_small_tmpfs)
{
	static char blk[4096];
	struct super_block *sb;
	struct inode *ino;
	struct file *f;
	struct statfs sf;
	struct path p;
	long n, total = 0;

	ST_ASSERT(tmpfs_create(8 * PAGE_SIZE, 0755, &sb) == 0);
	vfs_lock();
	ST_ASSERT(sb->root->ops->create(sb->root, "big", 3, S_IFREG | 0644, 0, &ino) == 0);
	vfs_unlock();
	p.mnt = NULL;
	p.inode = ino;
	ST_ASSERT(vfs_open_path(&p, O_RDWR, &f) == 0);	/* takes the reference */
	memset(blk, 0x5a, sizeof(blk));
	while ((n = kwrite(f, blk, 3000)) > 0)
		total += n;
	ST_ASSERT(n == -ENOSPC);
	ST_ASSERT(total == 8 * PAGE_SIZE);
	sb->ops->statfs(sb, &sf);
	ST_ASSERT(sf.f_type == TMPFS_MAGIC && sf.f_blocks == 8 && sf.f_bfree == 0);
	/* Truncating gives the space back. */
	vfs_lock();
	ST_ASSERT(vfs_truncate_inode(ino, PAGE_SIZE) == 0);
	vfs_unlock();
	ST_ASSERT(sb->used_pages == 1);
	ST_ASSERT(kwrite(f, blk, 100) == -ENOSPC || sb->used_pages <= 8);
	vfs_lock();
	ST_ASSERT(sb->root->ops->unlink(sb->root, "big", 3) == 0);
	vfs_unlock();
	file_put(f);
	ST_ASSERT(sb->used_pages == 0);
	ST_ASSERT(tmpfs_destroy(sb) == 0);
	return 0;
}

SELFTEST(fs_devices)
{
	char buf[64];
	struct file *f;
	bool nonzero = false;

	ST_ASSERT(kopen("/dev/null", O_RDWR, 0, &f) == 0);
	ST_ASSERT(kread(f, buf, sizeof(buf)) == 0);
	ST_ASSERT(kwrite(f, buf, sizeof(buf)) == sizeof(buf));
	file_put(f);
	ST_ASSERT(kopen("/dev/zero", O_RDONLY, 0, &f) == 0);
	memset(buf, 1, sizeof(buf));
	ST_ASSERT(kread(f, buf, sizeof(buf)) == sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		ST_ASSERT(buf[i] == 0);
	file_put(f);
	ST_ASSERT(kopen("/dev/full", O_WRONLY, 0, &f) == 0);
	ST_ASSERT(kwrite(f, buf, 1) == -ENOSPC);
	file_put(f);
	ST_ASSERT(kopen("/dev/urandom", O_RDONLY, 0, &f) == 0);
	ST_ASSERT(kread(f, buf, sizeof(buf)) == sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		nonzero |= buf[i] != 0;
	ST_ASSERT(nonzero);
	file_put(f);
	ST_ASSERT(kopen("/dev/console", O_WRONLY, 0, &f) == 0);
	ST_ASSERT(vfs_lseek(f, 0, SEEK_SET) == -ESPIPE);
	{
		struct iobuf io = iobuf_kernel(buf, 1);

		ST_ASSERT(vfs_pwrite(f, &io, 0) == -ESPIPE);
	}
	ST_ASSERT(kwrite(f, "", 0) == 0);
	file_put(f);
	return 0;
}

/* The system calls with user pointers that are not mapped, or kernel
 * addresses, must fail with EFAULT and change nothing. */
SELFTEST(fs_syscalls_efault)
{
	static char kbuf[64];
	uint64_t kaddr = (uint64_t)kbuf;
	struct files *ft = current_files();
	struct file *f;
	int fd;

	ST_ASSERT(sc(__NR_open, BAD_UADDR, O_RDONLY, 0, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_open, (uint64_t)"/etc/hostname", O_RDONLY, 0, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_mkdir, BAD_UADDR, 0755, 0, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_getcwd, BAD_UADDR, 64, 0, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_getcwd, BAD_UADDR, 1, 0, 0) == -ERANGE);
	ST_ASSERT(sc(__NR_rename, BAD_UADDR, kaddr, 0, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_read, 999, BAD_UADDR, 1, 0) == -EBADF);
	ST_ASSERT(kopen("/etc/hostname", O_RDONLY, 0, &f) == 0);
	fd = fd_install(ft, f, 0, false);
	ST_ASSERT(fd >= 0);
	ST_ASSERT(sc(__NR_read, fd, BAD_UADDR, 4, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_read, fd, kaddr, 4, 0) == -EFAULT);
	ST_ASSERT(f->pos == 0);
	ST_ASSERT(sc(__NR_pread64, fd, BAD_UADDR, 4, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_readv, fd, BAD_UADDR, 1, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_write, fd, kaddr, 4, 0) == -EBADF);
	ST_ASSERT(sc(__NR_fstat, fd, BAD_UADDR, 0, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_fstatfs, fd, kaddr, 0, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_getdents64, fd, BAD_UADDR, 64, 0) == -ENOTDIR);
	ST_ASSERT(sc(__NR_lseek, fd, 3, SEEK_SET, 0) == 3);
	ST_ASSERT(sc(__NR_ftruncate, fd, 0, 0, 0) == -EINVAL);
	ST_ASSERT(sc(__NR_fsync, fd, 0, 0, 0) == 0);
	ST_ASSERT(sc(__NR_close, fd, 0, 0, 0) == 0);
	ST_ASSERT(kopen("/", O_RDONLY | O_DIRECTORY, 0, &f) == 0);
	fd = fd_install(ft, f, 0, false);
	ST_ASSERT(fd >= 0);
	ST_ASSERT(sc(__NR_getdents64, fd, BAD_UADDR, 64, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_newfstatat, fd, BAD_UADDR, kaddr, 0) == -EFAULT);
	ST_ASSERT(sc(__NR_newfstatat, fd, BAD_UADDR, kaddr, 0x8000) == -EINVAL);
	ST_ASSERT(sc(__NR_fchdir, fd, 0, 0, 0) == 0);
	ST_ASSERT(current->cwd == f->inode);
	ST_ASSERT(sc(__NR_close, fd, 0, 0, 0) == 0);
	inode_put(current->cwd);
	current->cwd = NULL;
	ST_ASSERT(sc(__NR_umask, 077, 0, 0, 0) == 022);
	ST_ASSERT(sc(__NR_umask, 022, 0, 0, 0) == 077);
	/* pipe made its two descriptors, then could not store them: both
	 * are closed again. */
	ST_ASSERT(sc(__NR_pipe, BAD_UADDR, 0, 0, 0) == -EFAULT);
	return 0;
}
