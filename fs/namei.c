/* The path walker over path.h's lexical iterator: absolute and relative
 * paths, "." and "..", mount crossings both ways, symlinks (SYMLOOP_MAX
 * in all per walk), search permission on every directory. And the calls
 * that work on names: mkdir, rmdir, unlink, rename, link, symlink, mknod,
 * readlink, stat, plus the absolute name of a directory for getcwd. */
#include <vfs.h>
#include <path.h>
#include <proc.h>
#include <kmalloc.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "internal.h"

struct walk {
	struct path cur;	/* where the walk stands (reference) */
	int links;		/* symlinks followed so far */
};

static void walk_set(struct walk *w, struct mount *mnt, struct inode *inode)
{
	/* Takes over the caller's reference on inode. */
	inode_put_locked(w->cur.inode);
	w->cur.mnt = mnt;
	w->cur.inode = inode;
}

int namei_lookup_one(struct inode *dir, const char *name, size_t len,
		     struct inode **out)
{
	if (!dir->ops || !dir->ops->lookup)
		return -ENOTDIR;
	return dir->ops->lookup(dir, name, len, out);
}

/* Step into whatever is mounted on p, repeatedly (reference follows). */
static void cross_down(struct mount **mnt, struct inode **inode)
{
	while ((*inode)->mounted) {
		struct mount *m = (*inode)->mounted;

		inode_get(m->root);
		inode_put_locked(*inode);
		*mnt = m;
		*inode = m->root;
	}
}

/* "..": at the root it stays; at a mount's root it leaves for the covered
 * directory first, whose parent is then taken. */
static int step_dotdot(struct walk *w)
{
	struct path root = vfs_root();
	struct inode *up;
	int err;

	for (;;) {
		if (w->cur.inode == root.inode)
			return 0;
		if (w->cur.inode != w->cur.mnt->root || !w->cur.mnt->parent)
			break;
		inode_get(w->cur.mnt->mountpoint);
		walk_set(w, w->cur.mnt->parent, w->cur.mnt->mountpoint);
	}
	err = namei_lookup_one(w->cur.inode, "..", 2, &up);
	if (err)
		return err;
	walk_set(w, w->cur.mnt, up);
	return 0;
}

static int walk_components(struct walk *w, struct path_cursor *c, unsigned flags);

/* Resolve the symlink link, found in w->cur, leaving the walk at its target. */
static int follow_link(struct walk *w, struct inode *link)
{
	struct path_cursor c;
	char *buf;
	int n, err;

	if (++w->links > SYMLOOP_MAX)
		return -ELOOP;
	if (!link->ops || !link->ops->readlink)
		return -EINVAL;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	n = link->ops->readlink(link, buf, PATH_MAX - 1);
	if (n < 0) {
		err = n;
		goto out_free;
	}
	buf[n] = '\0';
	err = path_init(&c, buf);
	if (err)
		goto out_free;
	err = walk_components(w, &c, LOOKUP_FOLLOW);
out_free:
	kfree(buf);
	return err;
}

static bool is_dot(const char *n, size_t len)
{
	return len == 1 && n[0] == '.';
}

static bool is_dotdot(const char *n, size_t len)
{
	return len == 2 && n[0] == '.' && n[1] == '.';
}

/* Walk the components left in c from w->cur. */
static int walk_components(struct walk *w, struct path_cursor *c, unsigned flags)
{
	const char *name;
	size_t len;
	int r, err;

	if (c->absolute) {
		struct path root = vfs_root();

		inode_get(root.inode);
		walk_set(w, root.mnt, root.inode);
	}
	while ((r = path_next_component(c, &name, &len)) > 0) {
		struct inode *dir = w->cur.inode, *child;
		struct mount *mnt = w->cur.mnt;

		if (!S_ISDIR(dir->mode))
			return -ENOTDIR;
		err = vfs_permission(dir, MAY_EXEC);
		if (err)
			return err;
		if (is_dot(name, len))
			continue;
		if (is_dotdot(name, len)) {
			err = step_dotdot(w);
			if (err)
				return err;
			continue;
		}
		err = namei_lookup_one(dir, name, len, &child);
		if (err)
			return err;
		cross_down(&mnt, &child);
		if (S_ISLNK(child->mode) &&
		    (!c->last || (flags & LOOKUP_FOLLOW) || c->trailing_slash)) {
			/* The target is resolved from the link's directory. */
			err = follow_link(w, child);
			inode_put_locked(child);
			if (err)
				return err;
			continue;
		}
		walk_set(w, mnt, child);
	}
	if (r < 0)
		return r;
	if ((flags & LOOKUP_DIRECTORY || c->trailing_slash) &&
	    !S_ISDIR(w->cur.inode->mode))
		return -ENOTDIR;
	return 0;
}

void vfs_cwd(struct proc *p, struct path *out)
{
	if (p && p->cwd) {
		out->inode = p->cwd;
		out->mnt = p->cwd->sb->mnt;
	} else {
		*out = vfs_root();
	}
	inode_get(out->inode);
}

static void walk_start(struct walk *w, const struct path *start)
{
	w->links = 0;
	if (start) {
		w->cur = *start;
		inode_get(w->cur.inode);
	} else {
		vfs_cwd(current, &w->cur);
	}
}

int namei_walk(const struct path *start, const char *path, unsigned flags,
	       struct path *out)
{
	struct path_cursor c;
	struct walk w;
	int err;

	err = path_init(&c, path);
	if (err)
		return err;
	walk_start(&w, start);
	err = walk_components(&w, &c, flags);
	if (err) {
		path_put_locked(&w.cur);
		return err;
	}
	*out = w.cur;
	return 0;
}

int namei_parent(const struct path *start, const char *path, struct path *parent,
		 const char **last, size_t *len, int *type, bool *slash)
{
	struct path_cursor c;
	const char *pp;
	size_t plen;
	struct walk w;
	int t, err;

	t = path_split_last(path, &pp, &plen, last, len);
	if (t < 0)
		return t;
	path_init_len(&c, pp, plen);
	walk_start(&w, start);
	err = walk_components(&w, &c, LOOKUP_FOLLOW | LOOKUP_DIRECTORY);
	if (err) {
		path_put_locked(&w.cur);
		return err;
	}
	*parent = w.cur;
	*type = t;
	*slash = (*last)[*len] == '/';
	return 0;
}

/* ---- getcwd --------------------------------------------------------- */

struct name_search {
	uint64_t ino;
	char name[NAME_MAX + 1];
	size_t len;
	bool found;
};

static int match_ino(void *ctx, const char *name, size_t len, uint64_t ino,
		     unsigned dtype, uint64_t next)
{
	struct name_search *s = ctx;

	(void)dtype;
	(void)next;
	if (ino != s->ino || is_dot(name, len) || is_dotdot(name, len))
		return 0;
	memcpy(s->name, name, len);
	s->len = len;
	s->found = true;
	return 1;
}

/* Build the name right to left at the end of buf, then move it down. */
int vfs_path_name(const struct path *p, char *buf, size_t size)
{
	struct path root = vfs_root();
	struct walk w;
	size_t at = size;
	int err = 0;

	if (size < 2)
		return -ERANGE;
	buf[--at] = '\0';
	walk_start(&w, p);
	if (w.cur.inode->nlink == 0) {
		err = -ENOENT;
		goto out;
	}
	while (w.cur.inode != root.inode) {
		struct name_search s = { .found = false };
		uint64_t pos = 0;
		struct inode *child;

		if (w.cur.inode == w.cur.mnt->root && w.cur.mnt->parent) {
			inode_get(w.cur.mnt->mountpoint);
			walk_set(&w, w.cur.mnt->parent, w.cur.mnt->mountpoint);
			continue;
		}
		child = w.cur.inode;
		s.ino = child->ino;
		inode_get(child);
		err = step_dotdot(&w);
		if (!err && w.cur.inode->ops->iterate)
			err = w.cur.inode->ops->iterate(w.cur.inode, &pos, match_ino, &s);
		inode_put_locked(child);
		if (err)
			goto out;
		if (!s.found) {
			err = -ENOENT;
			goto out;
		}
		if (at < s.len + 1) {
			err = -ERANGE;
			goto out;
		}
		at -= s.len;
		memcpy(buf + at, s.name, s.len);
		buf[--at] = '/';
	}
	if (at == size - 1)
		buf[--at] = '/';
	memmove(buf, buf + at, size - at);
	err = (int)(size - at - 1);
out:
	path_put_locked(&w.cur);
	return err;
}

/* ---- name operations --------------------------------------------------- */

/* Sticky directories: only the owner of the entry, of the directory, or
 * root removes or renames it. */
static int check_sticky(struct inode *dir, struct inode *victim)
{
	uint32_t euid = current->cred.euid;

	if (!(dir->mode & S_ISVTX) || euid == 0 || euid == dir->uid ||
	    euid == victim->uid)
		return 0;
	return -EPERM;
}

static int may_modify(struct inode *dir)
{
	return vfs_permission(dir, MAY_WRITE | MAY_EXEC);
}

static uint32_t umask_of_current(void)
{
	struct files *ft = current_files();

	return ft ? ft->umask : 022;
}

/*
 * Common front of the creating calls: the parent of path, the name, and
 * -EEXIST when it exists (or is not an ordinary name); then write and
 * search permission. With vfs_lock held; *parent referenced on 0.
 */
static int create_prep(const struct path *start, const char *path, struct path *parent,
		       const char **name, size_t *len, bool *slash)
{
	struct inode *old;
	int type, err;

	err = namei_parent(start, path, parent, name, len, &type, slash);
	if (err)
		return err;
	err = -EEXIST;
	if (type != PATH_LAST_NORM)
		goto out_put;
	err = namei_lookup_one(parent->inode, *name, *len, &old);
	if (err == 0) {
		inode_put_locked(old);
		err = -EEXIST;
		goto out_put;
	}
	if (err != -ENOENT)
		goto out_put;
	if (parent->inode->nlink == 0)		/* a removed directory */
		goto out_put;
	err = may_modify(parent->inode);
	if (err)
		goto out_put;
	return 0;
out_put:
	path_put_locked(parent);
	return err;
}

int vfs_mkdir(const struct path *start, const char *path, uint32_t mode)
{
	struct path parent;
	struct inode *inode;
	const char *name;
	size_t len;
	bool slash;
	int err;

	vfs_lock();
	err = create_prep(start, path, &parent, &name, &len, &slash);
	if (err)
		goto out;
	err = -EPERM;
	if (parent.inode->ops->mkdir)
		err = parent.inode->ops->mkdir(parent.inode, name, len,
					       mode & 07777 & ~umask_of_current(), &inode);
	if (!err)
		inode_put_locked(inode);
	path_put_locked(&parent);
out:
	vfs_unlock();
	return err;
}

int vfs_mknod(const struct path *start, const char *path, uint32_t mode, uint32_t rdev)
{
	struct path parent;
	struct inode *inode;
	const char *name;
	size_t len;
	bool slash;
	int err;

	vfs_lock();
	err = create_prep(start, path, &parent, &name, &len, &slash);
	if (err)
		goto out;
	err = -ENOENT;
	if (slash)
		goto out_put;
	err = -EPERM;
	if (!S_ISREG(mode) && !S_ISCHR(mode) && !S_ISBLK(mode) && !S_ISFIFO(mode))
		goto out_put;
	if (!S_ISREG(mode) && !S_ISFIFO(mode) && current->cred.euid != 0)
		goto out_put;		/* FIFOs are anyone's to make, as on Linux */
	if (parent.inode->ops->create)
		err = parent.inode->ops->create(parent.inode, name, len,
						(mode & S_IFMT) | (mode & 07777 & ~umask_of_current()),
						rdev, &inode);
	if (!err)
		inode_put_locked(inode);
out_put:
	path_put_locked(&parent);
out:
	vfs_unlock();
	return err;
}

int vfs_symlink(const char *target, const struct path *start, const char *path)
{
	struct path parent;
	struct inode *inode;
	const char *name;
	size_t len;
	bool slash;
	int err;

	if (!target[0])
		return -ENOENT;
	if (strnlen(target, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	vfs_lock();
	err = create_prep(start, path, &parent, &name, &len, &slash);
	if (err)
		goto out;
	err = -ENOENT;
	if (slash)
		goto out_put;
	err = -EPERM;
	if (parent.inode->ops->symlink)
		err = parent.inode->ops->symlink(parent.inode, name, len, target, &inode);
	if (!err)
		inode_put_locked(inode);
out_put:
	path_put_locked(&parent);
out:
	vfs_unlock();
	return err;
}

int vfs_link(const struct path *ostart, const char *oldp,
	     const struct path *nstart, const char *newp, unsigned lookup)
{
	struct path old, parent;
	const char *name;
	size_t len;
	bool slash;
	int err;

	vfs_lock();
	err = namei_walk(ostart, oldp, lookup & LOOKUP_FOLLOW, &old);
	if (err)
		goto out;
	err = create_prep(nstart, newp, &parent, &name, &len, &slash);
	if (err)
		goto out_old;
	err = -EPERM;
	if (S_ISDIR(old.inode->mode))
		goto out_parent;
	err = -EXDEV;
	if (old.mnt != parent.mnt)
		goto out_parent;
	err = -ENOENT;
	if (slash || old.inode->nlink == 0)
		goto out_parent;
	err = -EPERM;
	if (parent.inode->ops->link)
		err = parent.inode->ops->link(parent.inode, name, len, old.inode);
out_parent:
	path_put_locked(&parent);
out_old:
	path_put_locked(&old);
out:
	vfs_unlock();
	return err;
}

/* The victim of unlink/rmdir/rename: the named entry, or an error. */
static int lookup_victim(struct path *parent, const char *name, size_t len,
			 struct inode **out)
{
	return namei_lookup_one(parent->inode, name, len, out);
}

int vfs_unlink(const struct path *start, const char *path)
{
	struct path parent;
	struct inode *victim;
	const char *name;
	size_t len;
	bool slash;
	int type, err;

	vfs_lock();
	err = namei_parent(start, path, &parent, &name, &len, &type, &slash);
	if (err)
		goto out;
	err = -EISDIR;
	if (type != PATH_LAST_NORM)
		goto out_parent;
	err = lookup_victim(&parent, name, len, &victim);
	if (err)
		goto out_parent;
	if (S_ISDIR(victim->mode))
		err = -EISDIR;
	else if (slash)
		err = -ENOTDIR;
	else if (!(err = may_modify(parent.inode)) &&
		 !(err = check_sticky(parent.inode, victim)))
		err = parent.inode->ops->unlink ?
		      parent.inode->ops->unlink(parent.inode, name, len) : -EPERM;
	inode_put_locked(victim);
out_parent:
	path_put_locked(&parent);
out:
	vfs_unlock();
	return err;
}

int vfs_rmdir(const struct path *start, const char *path)
{
	struct path parent;
	struct inode *victim;
	const char *name;
	size_t len;
	bool slash;
	int type, err;

	vfs_lock();
	err = namei_parent(start, path, &parent, &name, &len, &type, &slash);
	if (err)
		goto out;
	err = type == PATH_LAST_ROOT ? -EBUSY : type == PATH_LAST_DOT ? -EINVAL :
	      type == PATH_LAST_DOTDOT ? -ENOTEMPTY : 0;
	if (err)
		goto out_parent;
	err = lookup_victim(&parent, name, len, &victim);
	if (err)
		goto out_parent;
	if (!S_ISDIR(victim->mode))
		err = -ENOTDIR;
	else if (victim->mounted)
		err = -EBUSY;
	else if (!(err = may_modify(parent.inode)) &&
		 !(err = check_sticky(parent.inode, victim)))
		err = parent.inode->ops->rmdir ?
		      parent.inode->ops->rmdir(parent.inode, name, len) : -EPERM;
	inode_put_locked(victim);
out_parent:
	path_put_locked(&parent);
out:
	vfs_unlock();
	return err;
}

/* Whether dir is anc or lies below it (same mount; walks ".." up). */
static bool is_below(struct path *dir, struct inode *anc)
{
	struct inode *cur = dir->inode, *up;
	bool below = false;

	inode_get(cur);
	for (;;) {
		if (cur == anc) {
			below = true;
			break;
		}
		if (cur == dir->mnt->root || namei_lookup_one(cur, "..", 2, &up))
			break;
		if (up == cur) {
			inode_put_locked(up);
			break;
		}
		inode_put_locked(cur);
		cur = up;
	}
	inode_put_locked(cur);
	return below;
}

static int rename_checks(struct path *op, bool oslash, struct path *np, bool nslash,
			 struct inode *old, struct inode *target)
{
	int err;

	if (!S_ISDIR(old->mode) && (oslash || nslash))
		return -ENOTDIR;
	if ((err = may_modify(op->inode)) || (err = may_modify(np->inode)))
		return err;
	if ((err = check_sticky(op->inode, old)))
		return err;
	if (old->mounted || old == op->mnt->root)
		return -EBUSY;
	if (target) {
		if ((err = check_sticky(np->inode, target)))
			return err;
		if (S_ISDIR(old->mode) && !S_ISDIR(target->mode))
			return -ENOTDIR;
		if (!S_ISDIR(old->mode) && S_ISDIR(target->mode))
			return -EISDIR;
		if (target->mounted)
			return -EBUSY;
	}
	if (S_ISDIR(old->mode)) {
		if (is_below(np, old))
			return -EINVAL;
		/* Its ".." changes: that is a write to the directory. */
		if (op->inode != np->inode && (err = vfs_permission(old, MAY_WRITE)))
			return err;
	}
	return 0;
}

int vfs_rename(const struct path *ostart, const char *oldp,
	       const struct path *nstart, const char *newp)
{
	struct path op, np;
	struct inode *old, *target = NULL;
	const char *on, *nn;
	size_t ol, nl;
	bool oslash, nslash;
	int ot, nt, err;

	vfs_lock();
	err = namei_parent(ostart, oldp, &op, &on, &ol, &ot, &oslash);
	if (err)
		goto out;
	err = namei_parent(nstart, newp, &np, &nn, &nl, &nt, &nslash);
	if (err)
		goto out_op;
	err = -EBUSY;
	if (ot != PATH_LAST_NORM || nt != PATH_LAST_NORM)
		goto out_np;
	err = lookup_victim(&op, on, ol, &old);
	if (err)
		goto out_np;
	err = -EXDEV;
	if (op.mnt != np.mnt)
		goto out_old;
	err = namei_lookup_one(np.inode, nn, nl, &target);
	if (err == -ENOENT)
		target = NULL;
	else if (err)
		goto out_old;
	err = 0;
	if (target == old)		/* the same file: nothing to do */
		goto out_target;
	err = rename_checks(&op, oslash, &np, nslash, old, target);
	if (err)
		goto out_target;
	err = op.inode->ops->rename ?
	      op.inode->ops->rename(op.inode, on, ol, np.inode, nn, nl) : -EPERM;
out_target:
	if (target)
		inode_put_locked(target);
out_old:
	inode_put_locked(old);
out_np:
	path_put_locked(&np);
out_op:
	path_put_locked(&op);
out:
	vfs_unlock();
	return err;
}

int vfs_readlink(const struct path *start, const char *path, char *buf, size_t len)
{
	struct path p;
	int err;

	vfs_lock();
	err = namei_walk(start, path, 0, &p);
	if (err)
		goto out;
	err = -EINVAL;
	if (S_ISLNK(p.inode->mode) && p.inode->ops->readlink)
		err = p.inode->ops->readlink(p.inode, buf, len);
	path_put_locked(&p);
out:
	vfs_unlock();
	return err;
}

int vfs_stat(const struct path *start, const char *path, unsigned lookup,
	     struct stat *st)
{
	struct path p;
	int err;

	vfs_lock();
	err = namei_walk(start, path, lookup, &p);
	if (!err) {
		vfs_stat_inode(p.inode, st);
		path_put_locked(&p);
	}
	vfs_unlock();
	return err;
}
