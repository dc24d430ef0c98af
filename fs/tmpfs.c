/* tmpfs: a file system in memory. Directories are lists of names, regular
 * files keep their bytes in a memory object (the same pages mmap will
 * map), symlinks hold their target. Each instance has a limit on data
 * pages (ENOSPC) and on inodes. devfs, /, /tmp and /dev/shm are tmpfs. */
#include <vfs.h>
#include <page.h>
#include <proc.h>
#include <kmalloc.h>
#include <string.h>
#include <io.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/dirent.h>
#include <uapi/limits.h>

#define BOGO_DIRENT_SIZE 20	/* st_size of a directory per entry, as Linux */
#define TMPFS_MAX_PAGES_PER_FILE 0xFFFFFFFFull	/* memobj indexes are 32-bit */

struct tmpfs_dirent {
	struct qlink link;		/* in tmpfs_inode.entries, by cookie */
	struct inode *inode;		/* counted in inode->nlink, not refcount */
	uint64_t cookie;		/* getdents position; grows per directory */
	size_t len;
	char name[];
};

/* Everything here is guarded by vfs_lock. */
struct tmpfs_inode {
	struct inode vfs;
	struct qlink entries;		/* directories: struct tmpfs_dirent */
	uint64_t next_cookie;		/* directories: 2 and up */
	struct inode *parent;		/* directories: the one holding it */
	char *target;			/* symlinks: NUL-terminated */
};

static inline struct tmpfs_inode *TI(struct inode *i)
{
	return (struct tmpfs_inode *)i;
}

static const struct inode_ops tmpfs_dir_ops, tmpfs_file_ops, tmpfs_link_ops;
static const struct file_ops tmpfs_fops;
static const struct super_ops tmpfs_super_ops;

/* ---- data pages -------------------------------------------------------- */

/* obj->private is the superblock: it outlives every object (mounts are
 * permanent), while the object may outlive its inode through a mapping. */
static int tmpfs_get_page(struct memobj *obj, uint32_t index, unsigned flags,
			  struct page **out)
{
	struct super_block *sb = obj->private;
	struct page *pg;

	(void)index;
	(void)flags;
	if (sb->used_pages >= sb->max_pages)
		return -ENOSPC;
	pg = page_alloc(0, GFP_ZERO);
	if (!pg)
		return -ENOMEM;
	sb->used_pages++;
	*out = pg;
	return 0;
}

static void tmpfs_obj_truncate(struct memobj *obj, uint32_t n, uint32_t dropped)
{
	struct super_block *sb = obj->private;

	(void)n;
	sb->used_pages -= dropped;
}

static void tmpfs_obj_release(struct memobj *obj)
{
	kfree(obj);
}

static const struct memobj_ops tmpfs_memobj_ops = {
	.get_page = tmpfs_get_page,
	.truncate = tmpfs_obj_truncate,
	.release = tmpfs_obj_release,
};

/* ---- inodes ------------------------------------------------------------- */

static int tmpfs_new_inode(struct super_block *sb, uint32_t mode, struct inode **out)
{
	struct tmpfs_inode *ti;

	if (sb->used_inodes >= sb->max_inodes)
		return -ENOSPC;
	ti = kzalloc(sizeof(*ti));
	if (!ti)
		return -ENOMEM;
	inode_init(&ti->vfs, sb, mode);
	qlink_init(&ti->entries);
	switch (mode & S_IFMT) {
	case S_IFDIR:
		ti->vfs.ops = &tmpfs_dir_ops;
		ti->next_cookie = 2;
		ti->vfs.nlink = 2;
		break;
	case S_IFREG:
		ti->vfs.memobj = kmalloc(sizeof(struct memobj));
		if (!ti->vfs.memobj) {
			kfree(ti);
			return -ENOMEM;
		}
		memobj_init(ti->vfs.memobj, &tmpfs_memobj_ops, sb);
		ti->vfs.memobj->dev = sb->dev;
		ti->vfs.memobj->ino = ti->vfs.ino;
		ti->vfs.ops = &tmpfs_file_ops;
		ti->vfs.fops = &tmpfs_fops;
		ti->vfs.nlink = 1;
		break;
	case S_IFLNK:
		ti->vfs.ops = &tmpfs_link_ops;
		ti->vfs.nlink = 1;
		break;
	default:			/* device nodes, FIFOs */
		ti->vfs.ops = &tmpfs_file_ops;
		ti->vfs.nlink = 1;
		break;
	}
	sb->used_inodes++;
	*out = &ti->vfs;
	return 0;
}

static void tmpfs_evict(struct inode *inode)
{
	struct tmpfs_inode *ti = TI(inode);

	if (inode->memobj)
		memobj_put(inode->memobj);
	kfree(ti->target);
	inode->sb->used_inodes--;
	kfree(ti);
}

bool tmpfs_owns(const struct inode *inode)
{
	return inode->sb->ops == &tmpfs_super_ops;
}

/* ---- directory entries ---------------------------------------------------- */

static struct tmpfs_dirent *find_entry(struct inode *dir, const char *name, size_t len)
{
	struct qlink *head = &TI(dir)->entries;

	for (struct qlink *l = head->next; l != head; l = l->next) {
		struct tmpfs_dirent *d = qlink_entry(l, struct tmpfs_dirent, link);

		if (d->len == len && memcmp(d->name, name, len) == 0)
			return d;
	}
	return NULL;
}

static struct tmpfs_dirent *dirent_alloc(const char *name, size_t len)
{
	struct tmpfs_dirent *d = kmalloc(sizeof(*d) + len);

	if (!d)
		return NULL;
	memcpy(d->name, name, len);
	d->len = len;
	qlink_init(&d->link);
	return d;
}

static void touch(struct inode *inode)
{
	inode->mtime = inode->ctime = vfs_now();
}

/* Put d (naming inode) at the end of dir. */
static void dir_add(struct inode *dir, struct tmpfs_dirent *d, struct inode *inode)
{
	d->inode = inode;
	d->cookie = TI(dir)->next_cookie++;
	qlink_add_tail(&TI(dir)->entries, &d->link);
	dir->size += BOGO_DIRENT_SIZE;
	touch(dir);
}

static void dir_del(struct inode *dir, struct tmpfs_dirent *d)
{
	qlink_del(&d->link);
	dir->size -= BOGO_DIRENT_SIZE;
	touch(dir);
	kfree(d);
}

static int tmpfs_lookup(struct inode *dir, const char *name, size_t len,
			struct inode **out)
{
	struct tmpfs_dirent *d;

	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*out = TI(dir)->parent;
		inode_get(*out);
		return 0;
	}
	d = find_entry(dir, name, len);
	if (!d)
		return -ENOENT;
	inode_get(d->inode);
	*out = d->inode;
	return 0;
}

/* Make an inode of mode and link it into dir as name. */
static int make_node(struct inode *dir, const char *name, size_t len, uint32_t mode,
		     struct inode **out)
{
	struct tmpfs_dirent *d;
	struct inode *inode;
	int err;

	if (find_entry(dir, name, len))
		return -EEXIST;
	d = dirent_alloc(name, len);
	if (!d)
		return -ENOMEM;
	err = tmpfs_new_inode(dir->sb, mode, &inode);
	if (err) {
		kfree(d);
		return err;
	}
	/* New files take the directory's group when it is setgid. */
	if (dir->mode & S_ISGID) {
		inode->gid = dir->gid;
		if (S_ISDIR(mode))
			inode->mode |= S_ISGID;
	}
	dir_add(dir, d, inode);
	*out = inode;
	return 0;
}

static int tmpfs_new_node(struct inode *dir, const char *name, size_t len,
			uint32_t mode, uint32_t rdev, struct inode **out)
{
	int err = make_node(dir, name, len, mode, out);

	if (!err)
		(*out)->rdev = rdev;
	return err;
}

static int tmpfs_mkdir(struct inode *dir, const char *name, size_t len,
		       uint32_t mode, struct inode **out)
{
	int err = make_node(dir, name, len, S_IFDIR | (mode & 07777), out);

	if (err)
		return err;
	TI(*out)->parent = dir;
	dir->nlink++;
	return 0;
}

static int tmpfs_symlink(struct inode *dir, const char *name, size_t len,
			 const char *target, struct inode **out)
{
	size_t tl = strlen(target);
	char *t = kmalloc(tl + 1);
	int err;

	if (!t)
		return -ENOMEM;
	memcpy(t, target, tl + 1);
	err = make_node(dir, name, len, S_IFLNK | 0777, out);
	if (err) {
		kfree(t);
		return err;
	}
	TI(*out)->target = t;
	(*out)->size = tl;
	return 0;
}

static int tmpfs_link(struct inode *dir, const char *name, size_t len,
		      struct inode *inode)
{
	struct tmpfs_dirent *d;

	if (find_entry(dir, name, len))
		return -EEXIST;
	d = dirent_alloc(name, len);
	if (!d)
		return -ENOMEM;
	dir_add(dir, d, inode);
	inode->nlink++;
	inode->ctime = vfs_now();
	return 0;
}

/* Drop the entry d of dir; the VFS holds a reference on its inode, and
 * evicts it when that goes with no links left. */
static void drop_entry(struct inode *dir, struct tmpfs_dirent *d)
{
	struct inode *inode = d->inode;

	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		dir->nlink--;
	} else {
		inode->nlink--;
	}
	inode->ctime = vfs_now();
	dir_del(dir, d);
}

static int tmpfs_unlink(struct inode *dir, const char *name, size_t len)
{
	struct tmpfs_dirent *d = find_entry(dir, name, len);

	if (!d)
		return -ENOENT;
	drop_entry(dir, d);
	return 0;
}

static int tmpfs_rmdir(struct inode *dir, const char *name, size_t len)
{
	struct tmpfs_dirent *d = find_entry(dir, name, len);

	if (!d)
		return -ENOENT;
	if (!S_ISDIR(d->inode->mode))
		return -ENOTDIR;
	if (!qlink_empty(&TI(d->inode)->entries))
		return -ENOTEMPTY;
	drop_entry(dir, d);
	return 0;
}

static int tmpfs_rename(struct inode *odir, const char *oname, size_t olen,
			struct inode *ndir, const char *nname, size_t nlen)
{
	struct tmpfs_dirent *od = find_entry(odir, oname, olen);
	struct tmpfs_dirent *nd = find_entry(ndir, nname, nlen);
	struct tmpfs_dirent *d;
	struct inode *moved;

	if (!od)
		return -ENOENT;
	moved = od->inode;
	if (nd && S_ISDIR(nd->inode->mode) && !qlink_empty(&TI(nd->inode)->entries))
		return -ENOTEMPTY;
	/* Allocate before changing anything, so ENOMEM leaves all as it was. */
	d = dirent_alloc(nname, nlen);
	if (!d)
		return -ENOMEM;
	if (nd)
		drop_entry(ndir, nd);
	dir_del(odir, od);
	dir_add(ndir, d, moved);
	if (S_ISDIR(moved->mode) && odir != ndir) {
		odir->nlink--;
		ndir->nlink++;
		TI(moved)->parent = ndir;
	}
	moved->ctime = vfs_now();
	return 0;
}

static int tmpfs_readlink(struct inode *inode, char *buf, size_t len)
{
	size_t n = inode->size < len ? inode->size : len;

	memcpy(buf, TI(inode)->target, n);
	return (int)n;
}

static unsigned dtype_of(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:	return DT_DIR;
	case S_IFREG:	return DT_REG;
	case S_IFLNK:	return DT_LNK;
	case S_IFCHR:	return DT_CHR;
	case S_IFBLK:	return DT_BLK;
	case S_IFIFO:	return DT_FIFO;
	case S_IFSOCK:	return DT_SOCK;
	}
	return DT_UNKNOWN;
}

static int tmpfs_iterate(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx)
{
	struct qlink *head = &TI(dir)->entries;

	if (*pos == 0) {
		if (fill(ctx, ".", 1, dir->ino, DT_DIR, 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (fill(ctx, "..", 2, TI(dir)->parent->ino, DT_DIR, 2))
			return 0;
		*pos = 2;
	}
	for (struct qlink *l = head->next; l != head; l = l->next) {
		struct tmpfs_dirent *d = qlink_entry(l, struct tmpfs_dirent, link);

		if (d->cookie < *pos)
			continue;
		if (fill(ctx, d->name, d->len, d->inode->ino, dtype_of(d->inode->mode),
			 d->cookie + 1))
			return 0;
		*pos = d->cookie + 1;
	}
	return 0;
}

/* Truncate or extend a regular file; the tail of a cut page is zeroed so
 * a later extension reads zeros. The object's limit follows the size, so
 * mappings fault SIGBUS past the end (memobj_truncate unmaps them). */
static int tmpfs_resize(struct inode *inode, uint64_t size)
{
	struct page *pg;

	if (size > TMPFS_MAX_PAGES_PER_FILE * PAGE_SIZE)
		return -EFBIG;
	if (size < inode->size) {
		memobj_truncate(inode->memobj, (uint32_t)(ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT));
		if ((size & (PAGE_SIZE - 1)) &&
		    memobj_get_page(inode->memobj, size >> PAGE_SHIFT, 0, &pg) == 0) {
			size_t off = size & (PAGE_SIZE - 1);

			memset((char *)page_address(pg) + off, 0, PAGE_SIZE - off);
			page_put(pg);
		}
	} else {
		memobj_extend(inode->memobj, (uint32_t)(ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT));
	}
	inode->size = size;
	touch(inode);
	return 0;
}

static int tmpfs_setattr(struct inode *inode, const struct iattr *a)
{
	int err;

	if (a->valid & ATTR_SIZE) {
		if (!S_ISREG(inode->mode))
			return -EINVAL;
		err = tmpfs_resize(inode, a->size);
		if (err)
			return err;
	}
	if (a->valid & ATTR_MODE)
		inode->mode = (inode->mode & S_IFMT) | (a->mode & 07777);
	if (a->valid & ATTR_UID)
		inode->uid = a->uid;
	if (a->valid & ATTR_GID)
		inode->gid = a->gid;
	if (a->valid & ATTR_MTIME)
		inode->mtime = a->mtime;
	if (a->valid & ATTR_ATIME)
		inode->atime = a->atime;
	inode->ctime = vfs_now();
	return 0;
}

static const struct inode_ops tmpfs_dir_ops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_new_node,
	.mkdir = tmpfs_mkdir,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
	.iterate = tmpfs_iterate,
};

static const struct inode_ops tmpfs_file_ops = {
	.setattr = tmpfs_setattr,
};

static const struct inode_ops tmpfs_link_ops = {
	.readlink = tmpfs_readlink,
	.setattr = tmpfs_setattr,
};

/* ---- file data ------------------------------------------------------------- */

static long tmpfs_read(struct file *f, const struct iobuf *buf, uint64_t *pos)
{
	struct inode *inode = f->inode;
	size_t done = 0, n;
	long err = 0;

	vfs_lock();
	if (*pos >= inode->size)
		goto out;
	n = buf->len < inode->size - *pos ? buf->len : inode->size - *pos;
	while (done < n) {
		uint64_t at = *pos + done;
		size_t off = at & (PAGE_SIZE - 1);
		size_t chunk = PAGE_SIZE - off < n - done ? PAGE_SIZE - off : n - done;
		struct page *pg;

		if (memobj_get_page(inode->memobj, at >> PAGE_SHIFT, 0, &pg) == 0) {
			err = iobuf_copy_to(buf, done, (char *)page_address(pg) + off, chunk);
			page_put(pg);
		} else {
			err = iobuf_clear(buf, done, chunk);	/* a hole */
		}
		if (err)
			break;
		done += chunk;
	}
	*pos += done;
out:
	vfs_unlock();
	return done ? (long)done : err;
}

static long tmpfs_write(struct file *f, const struct iobuf *buf, uint64_t *pos)
{
	struct inode *inode = f->inode;
	size_t done = 0;
	long err = 0;

	vfs_lock();
	if (f->flags & O_APPEND)
		*pos = inode->size;
	if (*pos + buf->len < *pos ||
	    *pos + buf->len > TMPFS_MAX_PAGES_PER_FILE * PAGE_SIZE) {
		err = -EFBIG;
		goto out;
	}
	while (done < buf->len) {
		uint64_t at = *pos + done;
		size_t off = at & (PAGE_SIZE - 1);
		size_t chunk = PAGE_SIZE - off < buf->len - done ? PAGE_SIZE - off :
			       buf->len - done;
		struct page *pg;

		err = memobj_get_page(inode->memobj, at >> PAGE_SHIFT, MEMOBJ_CREATE, &pg);
		if (err)
			break;
		err = iobuf_copy_from((char *)page_address(pg) + off, buf, done, chunk);
		page_put(pg);
		if (err)
			break;
		done += chunk;
	}
	*pos += done;
	if (*pos > inode->size) {
		inode->size = *pos;
		memobj_extend(inode->memobj, (uint32_t)(ALIGN_UP(*pos, PAGE_SIZE) >> PAGE_SHIFT));
	}
	if (done)
		touch(inode);
out:
	vfs_unlock();
	return done ? (long)done : err;
}

static const struct file_ops tmpfs_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
};

/* ---- superblocks --------------------------------------------------------------- */

static void tmpfs_statfs(struct super_block *sb, struct statfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_type = sb->magic;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_blocks = sb->max_pages;
	st->f_bfree = st->f_bavail = sb->max_pages - sb->used_pages;
	st->f_files = sb->max_inodes;
	st->f_ffree = sb->max_inodes - sb->used_inodes;
	st->f_fsid[0] = (int32_t)sb->dev;
	st->f_namelen = NAME_MAX;
}

static const struct super_ops tmpfs_super_ops = {
	.statfs = tmpfs_statfs,
	.evict = tmpfs_evict,
};

/*
 * The inode limit is one per data page, at least 64, like Linux's
 * default of half the pages of RAM for a half-of-RAM mount: metadata
 * cannot grow without bound either.
 */
int tmpfs_create(uint64_t max_bytes, uint32_t root_mode, struct super_block **out)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct inode *root;
	int err;

	if (!sb)
		return -ENOMEM;
	sb->ops = &tmpfs_super_ops;
	sb->magic = TMPFS_MAGIC;
	sb->max_pages = max_bytes / PAGE_SIZE;
	sb->max_inodes = sb->max_pages > 64 ? sb->max_pages : 64;
	sb->next_ino = 1;
	err = tmpfs_new_inode(sb, S_IFDIR | (root_mode & 07777), &root);
	if (err) {
		kfree(sb);
		return err;
	}
	root->uid = root->gid = 0;
	TI(root)->parent = root;	/* ".." of the root is itself */
	sb->root = root;
	*out = sb;
	return 0;
}

/* Free a tmpfs that was never mounted and holds nothing but its root
 * (self-tests make small instances to fill up). -EBUSY otherwise. */
int tmpfs_destroy(struct super_block *sb)
{
	struct inode *root = sb->root;

	if (sb->mnt || !qlink_empty(&TI(root)->entries) || root->refcount != 1 ||
	    sb->used_inodes != 1)
		return -EBUSY;
	root->nlink = 0;
	inode_put(root);
	kfree(sb);
	return 0;
}
