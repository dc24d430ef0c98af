/* Boot-time file systems: the tmpfs root filled from the initrd (a ustar
 * archive GRUB loaded as module 0), then devfs on /dev and tmpfs on
 * /dev/shm and /tmp. The archive's frames stay reserved after unpacking:
 * page.h has no way to hand reserved frames back to the allocator. */
#include <vfs.h>
#include <ustar.h>
#include <path.h>
#include <proc.h>
#include <page.h>
#include <bootinfo.h>
#include <printk.h>
#include <panic.h>
#include <kmalloc.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

struct unpack_counts {
	unsigned dirs, files, symlinks, hardlinks, skipped;
	uint64_t bytes;
};

/* Whether name has a ".." component: refused, so nothing lands outside
 * the root whatever the archive says. */
static bool has_dotdot(const char *name)
{
	struct path_cursor c;
	const char *comp;
	size_t len;
	int r;

	if (path_init(&c, name) < 0)
		return true;
	while ((r = path_next_component(&c, &comp, &len)) > 0)
		if (len == 2 && comp[0] == '.' && comp[1] == '.')
			return true;
	return r < 0;
}

/* Apply the archive's owner, mode and mtime to the (unfollowed) path. */
static int set_attrs(const char *path, const struct ustar_entry *e, bool mode)
{
	struct path root = vfs_root(), p;
	struct iattr a = {
		.valid = ATTR_UID | ATTR_GID | ATTR_MTIME | ATTR_ATIME,
		.uid = e->uid, .gid = e->gid,
		.mtime = { (long)e->mtime, 0 }, .atime = { (long)e->mtime, 0 },
	};
	int err;

	if (mode) {
		a.valid |= ATTR_MODE;
		a.mode = e->mode;
	}
	vfs_lock();
	err = namei_walk(&root, path, 0, &p);
	if (!err) {
		err = p.inode->ops->setattr ? p.inode->ops->setattr(p.inode, &a) : 0;
		path_put_locked(&p);
	}
	vfs_unlock();
	return err;
}

static int unpack_file(const char *path, const struct ustar_entry *e)
{
	struct path root = vfs_root();
	struct iobuf b = iobuf_kernel((void *)e->data, e->size);
	struct file *f;
	long n;
	int err;

	err = vfs_open(&root, path, O_WRONLY | O_CREAT | O_TRUNC, 0600, &f);
	if (err)
		return err;
	n = e->size ? vfs_write(f, &b) : 0;
	file_put(f);
	if (n < 0)
		return (int)n;
	if ((size_t)n != e->size)
		return -ENOSPC;
	return 0;
}

static int unpack_one(const struct ustar_entry *e, char *path, struct unpack_counts *c)
{
	struct path root = vfs_root();
	int err;

	size_t nl = strlen(e->name);

	path[0] = '/';
	memcpy(path + 1, e->name, nl + 1);
	switch (e->type) {
	case USTAR_DIR:
		err = vfs_mkdir(&root, path, 0700);
		if (err && err != -EEXIST)
			return err;
		c->dirs++;
		return set_attrs(path, e, true);
	case USTAR_REG:
		err = unpack_file(path, e);
		if (err)
			return err;
		c->files++;
		c->bytes += e->size;
		return set_attrs(path, e, true);
	case USTAR_SYMLINK:
		err = vfs_symlink(e->linkname, &root, path);
		if (err)
			return err;
		c->symlinks++;
		return set_attrs(path, e, false);
	case USTAR_HARDLINK: {
		char target[USTAR_LINK_LEN + 1];

		if (has_dotdot(e->linkname))
			return -EINVAL;
		target[0] = '/';
		memcpy(target + 1, e->linkname, strlen(e->linkname) + 1);
		err = vfs_link(&root, target, &root, path, 0);
		if (err)
			return err;
		c->hardlinks++;
		return 0;
	}
	default:
		c->skipped++;
		return 0;
	}
}

/*
 * Unpack the archive into /, as root. The archive's root entry ("./") is
 * skipped: / keeps mode 0755 whatever the build directory's was. Bad
 * members are counted as skipped and logged; a malformed archive stops
 * the unpacking there. Returns 0 or the reader's -EINVAL.
 */
int initrd_unpack(const void *buf, size_t len)
{
	struct unpack_counts c = { 0 };
	struct ustar_iter it;
	struct ustar_entry *e = kmalloc(sizeof(*e));
	char *path = kmalloc(USTAR_NAME_LEN + 1);
	int r = -ENOMEM;

	if (!e || !path)
		goto out;
	ustar_iter_init(&it, buf, len);
	while ((r = ustar_next(&it, e)) > 0) {
		int err;

		if (!e->name[0])
			continue;
		if (has_dotdot(e->name)) {
			pr_warn("initrd: refusing %s: '..' in the name\n", e->name);
			c.skipped++;
			continue;
		}
		err = unpack_one(e, path, &c);
		if (err) {
			pr_warn("initrd: %s: error %d\n", e->name, err);
			c.skipped++;
		}
	}
	if (r < 0)
		pr_err("initrd: malformed archive (error %d); unpacked what came before\n", r);
	pr_info("initrd: %u directories, %u files (%lu KiB), %u symlinks, %u hard links, "
		"%u skipped\n", c.dirs, c.files, (unsigned long)(c.bytes >> 10), c.symlinks,
		c.hardlinks, c.skipped);
out:
	kfree(e);
	kfree(path);
	return r < 0 ? r : 0;
}

/* mkdir as root, fine if it exists. */
static void ensure_dir(const char *path, uint32_t mode)
{
	struct path root = vfs_root();
	int err = vfs_mkdir(&root, path, mode);

	if (err && err != -EEXIST)
		panic("vfs: cannot make %s: error %d", path, err);
}

/*
 * Sizes: / may hold half of the RAM free now, /dev/shm and /tmp a quarter
 * each (Linux's tmpfs default is half, per mount). They may add up to more
 * than RAM, as on Linux: each limit bounds one mount, and allocation
 * failure (-ENOMEM) still stops a write when memory runs out first.
 */
void vfs_init(void)
{
	uint64_t free_bytes = page_free_count() * PAGE_SIZE;
	struct super_block *sb;
	int err;

	if (tmpfs_create(free_bytes / 2, 0755, &sb) || vfs_mount_root(sb))
		panic("vfs: no memory for the root file system");
	if (vfs_proc_init(current))
		panic("vfs: no memory for the fd table of pid %d", current->pid);
	if (boot_info.nmods > 0) {
		const struct boot_module *m = &boot_info.mods[0];

		initrd_unpack(phys_to_virt(m->start), m->end - m->start);
	} else {
		pr_warn("initrd: no module loaded; / is empty\n");
	}
	ensure_dir("/dev", 0755);
	ensure_dir("/tmp", 01777);
	ensure_dir("/proc", 0555);
	devfs_init();
	err = devfs_create(&sb);
	if (!err)
		err = vfs_mount(sb, "/dev");
	if (!err)
		err = tmpfs_create(free_bytes / 4, 01777, &sb);
	if (!err)
		err = vfs_mount(sb, "/dev/shm");
	if (!err)
		err = tmpfs_create(free_bytes / 4, 01777, &sb);
	if (!err)
		err = vfs_mount(sb, "/tmp");
	if (!err)
		err = procfs_create(&sb);
	if (!err)
		err = vfs_mount(sb, "/proc");
	if (err)
		panic("vfs: mounting /dev, /dev/shm, /tmp, /proc failed: error %d", err);
}
