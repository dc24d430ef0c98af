/* The virtual file system (fs/): inodes and their operations, superblocks,
 * mounts, the path walker, open file descriptions and per-process fd
 * tables, character devices, and the kernel-side calls the system calls
 * (fs/fs_syscalls.c) and other subsystems build on. File systems: tmpfs
 * (fs/tmpfs.c), devfs (fs/devfs.c), the initrd unpacker (fs/initrd.c). */
#ifndef VFS_H
#define VFS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sched.h>
#include <memobj.h>
#include <uapi/stat.h>
#include <uapi/time.h>

struct proc;
struct inode;
struct file;
struct super_block;
struct mount;

/*
 * Locking. One CPU with preemption: the namespace (directories, inode
 * fields, mounts, superblock counters) is guarded by one sleeping lock,
 * vfs_lock()/vfs_unlock(); the path walker and every inode operation run
 * with it held. File reads and writes take it themselves where the file
 * system needs it (tmpfs does; devices do not, so a device may sleep).
 * Reference counts are atomic and may be dropped without the lock, except
 * that inode_put must not be called with it held (it takes it to evict).
 */
void vfs_lock(void);
void vfs_unlock(void);

/* ---- buffers: the one place the VFS tells kernel from user memory ---- */

enum iobuf_seg { IOBUF_KERNEL, IOBUF_USER };

struct iobuf {
	uint64_t base;		/* kernel pointer or user address */
	size_t len;
	enum iobuf_seg seg;
};

static inline struct iobuf iobuf_kernel(void *p, size_t len)
{
	return (struct iobuf){ (uint64_t)p, len, IOBUF_KERNEL };
}

static inline struct iobuf iobuf_user(uint64_t ua, size_t len)
{
	return (struct iobuf){ ua, len, IOBUF_USER };
}

/* Copy n bytes to/from buf at offset off: 0 or -EFAULT. */
int iobuf_copy_to(const struct iobuf *buf, size_t off, const void *src, size_t n);
int iobuf_copy_from(void *dst, const struct iobuf *buf, size_t off, size_t n);
int iobuf_clear(const struct iobuf *buf, size_t off, size_t n);

/* ---- inodes -------------------------------------------------------- */

/* Filled by getdents iteration; returns nonzero to stop (buffer full). */
typedef int (*filldir_fn)(void *ctx, const char *name, size_t len,
			  uint64_t ino, unsigned dtype, uint64_t next_pos);

/* setattr mask */
#define ATTR_MODE	0x1
#define ATTR_UID	0x2
#define ATTR_GID	0x4
#define ATTR_SIZE	0x8
#define ATTR_MTIME	0x10
#define ATTR_ATIME	0x20

struct iattr {
	unsigned valid;		/* ATTR_* */
	uint32_t mode;		/* permission bits only (07777) */
	uint32_t uid, gid;
	uint64_t size;
	struct timespec mtime, atime;
};

/*
 * Directory and attribute operations. All run with vfs_lock held and the
 * caller's permission checks done (the VFS checks write and search
 * permission on directories, sticky bits and types before calling). Names
 * are not NUL-terminated, 1..NAME_MAX bytes, never "." or "..". Results
 * that are inodes come back with a reference.
 */
struct inode_ops {
	/* The entry name in dir (".." too: the parent, the root's own
	 * root), or -ENOENT. */
	int (*lookup)(struct inode *dir, const char *name, size_t len,
		      struct inode **out);
	/* Make a new regular file, device node (mode has its type bits),
	 * directory, symlink; -EEXIST if name exists, -ENOSPC. */
	int (*create)(struct inode *dir, const char *name, size_t len,
		      uint32_t mode, uint32_t rdev, struct inode **out);
	int (*mkdir)(struct inode *dir, const char *name, size_t len,
		     uint32_t mode, struct inode **out);
	int (*symlink)(struct inode *dir, const char *name, size_t len,
		       const char *target, struct inode **out);
	/* A new name for inode (not a directory; same superblock). */
	int (*link)(struct inode *dir, const char *name, size_t len,
		    struct inode *inode);
	/* Remove the name of a non-directory / of an empty directory
	 * (-ENOTEMPTY). */
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	int (*rmdir)(struct inode *dir, const char *name, size_t len);
	/* Move old to new, replacing what new names (the VFS has checked the
	 * directory/non-directory rules and that a directory is not moved
	 * under itself). */
	int (*rename)(struct inode *odir, const char *oname, size_t olen,
		      struct inode *ndir, const char *nname, size_t nlen);
	/* Copy up to len bytes of a symlink's target into buf; returns the
	 * count (not NUL-terminated). */
	int (*readlink)(struct inode *inode, char *buf, size_t len);
	/* Change attributes (ATTR_SIZE: truncate or extend). */
	int (*setattr)(struct inode *inode, const struct iattr *attr);
	/* Call fill for every entry from *pos on ("." and ".." included),
	 * advancing *pos; stops when fill returns nonzero. 0 or -errno. */
	int (*iterate)(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx);
};

/*
 * One file, in memory for as long as it is referenced or linked. Fields
 * other than refcount are guarded by vfs_lock. ino, sb, ops, fops: set
 * at creation and constant.
 */
struct inode {
	uint64_t ino;
	uint32_t mode;			/* S_IF* type bits | 07777 */
	uint32_t uid, gid;
	uint32_t nlink;			/* names (directories: 2 + subdirs) */
	uint32_t rdev;			/* device nodes: Linux dev_t encoding */
	uint64_t size;			/* bytes */
	struct timespec atime, mtime, ctime;
	int refcount;			/* inode_get/inode_put; atomic */
	struct super_block *sb;
	const struct inode_ops *ops;
	const struct file_ops *fops;	/* for opening it; NULL: by type */
	struct memobj *memobj;		/* regular files' data, else NULL */
	struct mount *mounted;		/* the mount covering this directory */
	void *private;			/* the file system's */
};

void inode_get(struct inode *inode);
/* Drop a reference; an unlinked inode without references is evicted
 * (its file system frees it). Not with vfs_lock held. */
void inode_put(struct inode *inode);
/* The same, with vfs_lock held (eviction happens in place). */
void inode_put_locked(struct inode *inode);

/* Fill in a fresh inode: refcount 1, ino from sb, times now. */
void inode_init(struct inode *inode, struct super_block *sb, uint32_t mode);

/* The time stamped on inodes: seconds since boot (no RTC is read yet). */
struct timespec vfs_now(void);

/* ---- superblocks and mounts ----------------------------------------- */

struct super_ops {
	void (*statfs)(struct super_block *sb, struct statfs *st);
	/* Free an inode with no links and no references left. */
	void (*evict)(struct inode *inode);
	/* Whether an inode that still has links is evicted anyway at its
	 * last reference: procfs makes its inodes on every lookup and must
	 * not keep them. NULL: linked inodes stay. */
	bool (*drop)(struct inode *inode);
};

/*
 * One mounted file system instance. A superblock is mounted exactly once
 * (there are no bind mounts), so sb->mnt finds the mount of any inode.
 * Mounts are permanent: there is no umount yet.
 */
struct super_block {
	const struct super_ops *ops;
	uint32_t dev;			/* st_dev */
	int64_t magic;			/* statfs f_type */
	uint64_t max_pages;		/* data page limit (ENOSPC) */
	uint64_t used_pages;		/* guarded by irq_save (fault path) */
	uint64_t max_inodes, used_inodes;
	uint64_t next_ino;
	struct inode *root;		/* reference held */
	struct mount *mnt;		/* where it is mounted; NULL before */
	void *private;
};

struct mount {
	struct super_block *sb;
	struct inode *root;		/* == sb->root */
	struct mount *parent;		/* NULL for the root mount */
	struct inode *mountpoint;	/* covered directory in parent (ref) */
};

/* A position in the namespace: an inode and the mount it was reached
 * through. The walker returns it with a reference on inode. */
struct path {
	struct mount *mnt;
	struct inode *inode;
};

/* Make sb the root file system / mount it on the directory at path
 * (absolute, resolved as root). 0 or -errno (-EBUSY if already covered). */
int vfs_mount_root(struct super_block *sb);
int vfs_mount(struct super_block *sb, const char *path);
struct path vfs_root(void);		/* no reference taken */
/* Call fn for every mount in the order they were made (the root first)
 * until it returns nonzero; that value, or 0. vfs_lock held. */
int vfs_for_each_mount(int (*fn)(struct mount *m, void *arg), void *arg);

/* ---- credentials and permission -------------------------------------- */

#define MAY_EXEC	0x1
#define MAY_WRITE	0x2
#define MAY_READ	0x4

/*
 * Whether the current process may access inode as mask says: owner,
 * group or other bits by its effective ids; euid 0 may read and write
 * anything and search any directory, but executes a non-directory only
 * if some x bit is set. 0 or -EACCES.
 */
int vfs_permission(struct inode *inode, int mask);

/* ---- the path walker (fs/namei.c) ------------------------------------ */

#define LOOKUP_FOLLOW		0x1	/* follow a symlink in the last component */
#define LOOKUP_DIRECTORY	0x2	/* the result must be a directory */

#define SYMLOOP_MAX	40

/*
 * Resolve path from start (NULL: the current directory; absolute paths
 * start at the root). 0 and *out (a reference on out->inode), or -ENOENT,
 * -ENOTDIR, -EACCES (search permission), -ELOOP, -ENAMETOOLONG. vfs_lock
 * held by the caller.
 */
int namei_walk(const struct path *start, const char *path, unsigned flags,
	       struct path *out);

/*
 * For the calls that work on a name in a directory: walk to the parent of
 * path's last component. 0 with *parent (a referenced directory, searched
 * with permission) and the name in last/len (pointing into path), and
 * *type an enum path_last; *slash says a '/' followed the name. vfs_lock
 * held.
 */
int namei_parent(const struct path *start, const char *path, struct path *parent,
		 const char **last, size_t *len, int *type, bool *slash);

/* The absolute path of p into buf (size bytes): its length, or -ERANGE,
 * -ENOENT (unlinked directory). vfs_lock held. */
int vfs_path_name(const struct path *p, char *buf, size_t size);

void path_get(const struct path *p);
void path_put(const struct path *p);		/* without vfs_lock */
void path_put_locked(const struct path *p);	/* with it */

/* ---- open file descriptions (fs/file.c) ------------------------------ */

struct file_ops {
	/* Called at open with vfs_lock released; may be NULL. */
	int (*open)(struct inode *inode, struct file *f);
	/* Read/write buf->len bytes at *pos (advance it). Count or -errno. */
	long (*read)(struct file *f, const struct iobuf *buf, uint64_t *pos);
	long (*write)(struct file *f, const struct iobuf *buf, uint64_t *pos);
	/* NULL: seekable with the generic rules; vfs_no_llseek: -ESPIPE. */
	long (*llseek)(struct file *f, int64_t off, int whence);
	long (*ioctl)(struct file *f, unsigned cmd, uint64_t arg);
	/* Readiness mask for poll (POLLIN, POLLOUT, POLLHUP, POLLERR of
	 * uapi/poll.h); NULL: always readable and writable. Must not sleep. */
	unsigned (*poll)(struct file *f);
	/* How poll/select (fs/poll.c) sleep on a file: the wait queue that
	 * is woken (wake_up_all) whenever the poll mask may have changed.
	 * One queue per file is enough: a pipe wakes the same queue for its
	 * readers, writers and pollers. NULL: the mask never changes. */
	struct waitq *(*poll_wait)(struct file *f);
	/* The last reference to the open file went. */
	void (*release)(struct file *f);
};

long vfs_no_llseek(struct file *f, int64_t off, int whence);

/*
 * An open file description: shared by dup'ed descriptors and, after fork,
 * by both processes. pos and flags are changed by the calls using it
 * (one CPU; read/write hold vfs_lock for tmpfs files).
 */
struct file {
	int refcount;			/* file_get/file_put; atomic */
	unsigned flags;			/* O_ACCMODE | O_APPEND | O_NONBLOCK ... */
	uint64_t pos;			/* byte offset; getdents cookie for dirs */
	struct path path;		/* what was opened (reference) */
	struct inode *inode;		/* == path.inode */
	const struct file_ops *ops;
	void *private;			/* the file ops' */
	char *name;			/* regular files: the absolute path
					   opened (not normalized), for
					   /proc/<pid>/maps; else NULL */
};

void file_get(struct file *f);
void file_put(struct file *f);		/* last one: ops->release, path_put */

/* Open flags of the calls understood (O_CREAT | O_EXCL | ...). mode is
 * used with O_CREAT (the umask is applied here). */
int vfs_open(const struct path *start, const char *path, unsigned flags,
	     uint32_t mode, struct file **out);
/* Open an inode already found (reference in p kept by the file). */
int vfs_open_path(const struct path *p, unsigned flags, struct file **out);

long vfs_read(struct file *f, const struct iobuf *buf);
long vfs_write(struct file *f, const struct iobuf *buf);
long vfs_pread(struct file *f, const struct iobuf *buf, uint64_t pos);
long vfs_pwrite(struct file *f, const struct iobuf *buf, uint64_t pos);
long vfs_lseek(struct file *f, int64_t off, int whence);
int vfs_truncate_inode(struct inode *inode, uint64_t size);	/* vfs_lock held */
int vfs_getdents(struct file *f, const struct iobuf *buf);	/* bytes or -errno */
void vfs_stat_inode(struct inode *inode, struct stat *st);	/* vfs_lock held */

/* Name operations relative to start (NULL: cwd). */
int vfs_mkdir(const struct path *start, const char *path, uint32_t mode);
int vfs_rmdir(const struct path *start, const char *path);
int vfs_unlink(const struct path *start, const char *path);
int vfs_rename(const struct path *ostart, const char *oldp,
	       const struct path *nstart, const char *newp);
int vfs_link(const struct path *ostart, const char *oldp,
	     const struct path *nstart, const char *newp, unsigned lookup);
int vfs_symlink(const char *target, const struct path *start, const char *path);
int vfs_mknod(const struct path *start, const char *path, uint32_t mode,
	      uint32_t rdev);
int vfs_readlink(const struct path *start, const char *path, char *buf, size_t len);
int vfs_stat(const struct path *start, const char *path, unsigned lookup,
	     struct stat *st);
int vfs_utimes_inode(struct inode *inode, const struct timespec times[2]);
int vfs_chmod_inode(struct inode *inode, uint32_t mode);	/* vfs_lock held */
int vfs_chown_inode(struct inode *inode, uint32_t uid, uint32_t gid);

/* ---- per-process file state (fs/file.c) ------------------------------ */

#define FD_DEFAULT_MAX	1024	/* a new table's limit, until RLIMIT_NOFILE sets it */

/*
 * A process's descriptor table (proc->files). fds[i] holds a reference;
 * cloexec is a bit per slot. umask lives here too, as struct proc has no
 * slot for it; fork copies both. Changed only by the owning process.
 */
struct files {
	int nslots;			/* length of fds and cloexec (bits) */
	struct file **fds;
	uint64_t *cloexec;
	uint32_t umask;
	int max;			/* EMFILE at this many descriptors */
};

struct files *fd_table_alloc(void);			/* NULL on ENOMEM */
/* A copy for a forked child: same open files (references added), same
 * close-on-exec bits and umask. 0 or -ENOMEM. */
int fd_table_clone(struct proc *child, struct proc *parent);
void fd_table_close_on_exec(struct proc *p);
/* Close everything and free the table (exit); also drops p->cwd. */
void fd_table_release(struct proc *p);

/* Install f in the lowest free slot >= min: the fd, or -EMFILE, -ENOMEM.
 * The table takes over the caller's reference on success. */
int fd_install(struct files *ft, struct file *f, int min, bool cloexec);
/* The file at fd with a reference added, or NULL. */
struct file *fd_get(struct files *ft, int fd);
int fd_close(struct files *ft, int fd);
/* Give current a table if it has none (kmain before exec'ing init). */
int vfs_proc_init(struct proc *p);
/* Open /dev/console as fds 0, 1 and 2 of current. */
int vfs_setup_init_fds(void);
/* The cwd of p as a path (a reference); the root if it has none. */
void vfs_cwd(struct proc *p, struct path *out);

/* ---- character devices ----------------------------------------------- */

#define MKDEV(ma, mi)	(((uint32_t)(ma) << 8) | ((mi) & 0xff) | (((uint32_t)(mi) & ~0xffu) << 12))
#define MAJOR(d)	(((d) >> 8) & 0xfff)
#define MINOR(d)	(((d) & 0xff) | (((d) >> 12) & ~0xffu))

/* Open device nodes with rdev through ops (replacing earlier ops, so the
 * tty layer can take over the console). 0 or -ENOMEM. */
int chrdev_register(uint32_t rdev, const struct file_ops *ops);

/* ---- file systems ----------------------------------------------------- */

/* A new tmpfs with at most max_bytes of data and a root directory of
 * mode (permission bits). 0 and *out, or -ENOMEM. */
int tmpfs_create(uint64_t max_bytes, uint32_t root_mode, struct super_block **out);
/* Free an unmounted tmpfs holding only its root: 0 or -EBUSY. */
int tmpfs_destroy(struct super_block *sb);
/* Whether inode is a tmpfs inode (so its memobj is tmpfs's). */
bool tmpfs_owns(const struct inode *inode);

/* devfs: a tmpfs at /dev with the device nodes made. */
int devfs_create(struct super_block **out);
void devfs_init(void);				/* register the devices */

/* procfs (fs/procfs.c): a new, unmounted instance. 0 or -ENOMEM. */
int procfs_create(struct super_block **out);

/* Boot: tmpfs root, initrd unpacked, /dev, /dev/shm, /tmp, /proc. */
void vfs_init(void);
int initrd_unpack(const void *buf, size_t len);

#endif
