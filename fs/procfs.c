/* procfs at /proc: self, <pid>/{maps,status,cmdline,stat}, meminfo, uptime,
 * cmdline, mounts, version, cpuinfo, loadavg, kmsg, sysvipc/shm and the writable
 * sys/kernel/shm{max,all,mni} (ipc.h's), in Linux's formats. Inodes are
 * made per lookup and dropped at their last reference; a file's text is
 * made once, at open, and read() serves it by offset. The numbers are
 * mm.h's, page.h's, proc.h's and signal.h's; no kernel address shows. */
#include <vfs.h>
#include <audit.h>
#include <proc.h>
#include <mm.h>
#include <page.h>
#include <pgtable.h>
#include <signal.h>
#include <sched.h>
#include <cpu.h>
#include <timer.h>
#include <printk.h>
#include <kmalloc.h>
#include <fmt.h>
#include <string.h>
#include <stdarg.h>
#include <ipc.h>
#include <memobj.h>
#include <cmdline.h>
#include <uapi/errno.h>
#include <uapi/dirent.h>

#define PROC_SUPER_MAGIC	0x9fa0
#define PROC_ROOT_INO		1
#define PROC_BUF_MAX		(4 << 20)	/* largest text a file may make */
#define USER_HZ			100		/* clock ticks of /proc/<pid>/stat */

/* ---- text buffers ------------------------------------------------------ */

/* Text being generated: len counts what was asked for even past cap, so
 * the caller can retry with a buffer large enough. */
struct seq {
	char *buf;
	size_t cap, len;
};

static __printf(2, 3) void seq_printf(struct seq *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->buf + (s->len < s->cap ? s->len : s->cap),
		      s->len < s->cap ? s->cap - s->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->len += n;
}

static void seq_putmem(struct seq *s, const void *p, size_t n)
{
	if (s->len < s->cap)
		memcpy(s->buf + s->len, p, s->cap - s->len < n ? s->cap - s->len : n);
	s->len += n;
}

/* Text made for an open procfs file. */
struct proc_text {
	size_t len;
	char data[];
};

/* A generator writes a file's text for pid (0 for system files): 0, or
 * -ESRCH when the process is gone. */
typedef int (*gen_fn)(struct seq *s, int pid);

/*
 * A file too big to make at once (the maps of 100,000 VMAs run to
 * megabytes) is made a chunk at a time: a streaming generator writes the
 * records whose key is >= *from, stops before overflowing s, and leaves
 * in *from the key of the first record it left out, or PROC_STREAM_END.
 */
typedef int (*gen_from_fn)(struct seq *s, int pid, uint64_t *from);
#define PROC_STREAM_END		UINT64_MAX
#define PROC_CHUNK		(16 * 1024)	/* bytes of a streamed chunk */

/*
 * An open procfs file: a snapshot of the whole text made at open, or for
 * a streamed file the chunk under the reader's offset, remade as the
 * reader moves on (a seek backwards starts again from the first record,
 * so a file that changes between reads reads like Linux's seq files).
 */
struct proc_open {
	gen_from_fn gen_from;	/* NULL: t is the whole file */
	int pid;
	uint64_t next;		/* streamed: where the chunk after t starts */
	uint64_t base;		/* file offset of t's first byte */
	struct proc_text *t;
};

/* ---- the directory layout ------------------------------------------------ */

struct proc_entry {
	const char *name;
	uint32_t mode;
	gen_fn gen;		/* the whole text at open, or NULL and */
	gen_from_fn gen_from;	/* the text a chunk at a time */
};

static int gen_meminfo(struct seq *s, int pid);
static int gen_uptime(struct seq *s, int pid);
static int gen_boot_cmdline(struct seq *s, int pid);
static int gen_mounts(struct seq *s, int pid);
static int gen_version(struct seq *s, int pid);
static int gen_cpuinfo(struct seq *s, int pid);
static int gen_loadavg(struct seq *s, int pid);
static int gen_kmsg(struct seq *s, int pid);
static int gen_maps(struct seq *s, int pid, uint64_t *from);
static int gen_status(struct seq *s, int pid);
static int gen_cmdline(struct seq *s, int pid);
static int gen_stat(struct seq *s, int pid);

static int gen_audit(struct seq *s, int pid);

static const struct proc_entry root_files[] = {
	{ "audit",   0400, gen_audit, NULL },	/* root only: the audit trail */
	{ "cmdline", 0444, gen_boot_cmdline, NULL },
	{ "cpuinfo", 0444, gen_cpuinfo, NULL },
	{ "kmsg",    0400, gen_kmsg, NULL },
	{ "loadavg", 0444, gen_loadavg, NULL },
	{ "meminfo", 0444, gen_meminfo, NULL },
	{ "mounts",  0444, gen_mounts, NULL },
	{ "uptime",  0444, gen_uptime, NULL },
	{ "version", 0444, gen_version, NULL },
};
#define NR_ROOT_FILES	(sizeof(root_files) / sizeof(root_files[0]))

static const struct proc_entry pid_files[] = {
	{ "cmdline", 0444, gen_cmdline, NULL },
	{ "maps",    0444, NULL, gen_maps },
	{ "stat",    0444, gen_stat, NULL },
	{ "status",  0444, gen_status, NULL },
};
#define NR_PID_FILES	(sizeof(pid_files) / sizeof(pid_files[0]))

/*
 * What an inode stands for, packed in its number so nothing else need be
 * kept: ino = (pid << 8) | kind, where kind is one of the below, or
 * KIND_FILE + index into the file table of the root (pid 0) or of a pid
 * directory, or KIND_SUB + index into sub_files.
 */
enum {
	KIND_ROOT = 1,
	KIND_SELF,
	KIND_PIDDIR,
	KIND_SYS,		/* sys */
	KIND_SYS_KERNEL,	/* sys/kernel */
	KIND_SYSVIPC,		/* sysvipc */
	KIND_FILE = 16,
	KIND_SUB = 128,
};

/* The fixed directories below the root, each in its parent (a kind). */
static const struct proc_subdir {
	const char *name;
	unsigned kind, parent;
} sub_dirs[] = {
	{ "sys",     KIND_SYS,        KIND_ROOT },
	{ "sysvipc", KIND_SYSVIPC,    KIND_ROOT },
	{ "kernel",  KIND_SYS_KERNEL, KIND_SYS },
};
#define NR_SUB_DIRS	(sizeof(sub_dirs) / sizeof(sub_dirs[0]))

static int gen_shmall(struct seq *s, int pid);
static int gen_shmmax(struct seq *s, int pid);
static int gen_shmmni(struct seq *s, int pid);
static int gen_sysvipc_shm(struct seq *s, int pid);
static int set_shmall(uint64_t v);
static int set_shmmax(uint64_t v);
static int set_shmmni(uint64_t v);

/* Their files; set makes one a writable sysctl (a decimal number). */
static const struct proc_subfile {
	unsigned dir;
	struct proc_entry e;
	int (*set)(uint64_t v);
} sub_files[] = {
	{ KIND_SYS_KERNEL, { "shmall", 0644, gen_shmall, NULL }, set_shmall },
	{ KIND_SYS_KERNEL, { "shmmax", 0644, gen_shmmax, NULL }, set_shmmax },
	{ KIND_SYS_KERNEL, { "shmmni", 0644, gen_shmmni, NULL }, set_shmmni },
	{ KIND_SYSVIPC,    { "shm",    0444, gen_sysvipc_shm, NULL }, NULL },
};
#define NR_SUB_FILES	(sizeof(sub_files) / sizeof(sub_files[0]))

static uint64_t proc_ino(int pid, unsigned kind)
{
	return ((uint64_t)pid << 8) | kind;
}

static int ino_pid(const struct inode *inode)
{
	return (int)(inode->ino >> 8);
}

static unsigned ino_kind(const struct inode *inode)
{
	return inode->ino & 0xff;
}

/* Whether a process with pid exists (it may be gone a moment later). */
static bool pid_alive(int pid)
{
	uint64_t fl = irq_save();
	bool alive = proc_find(pid) != NULL;

	irq_restore(fl);
	return alive;
}

/* ---- inodes ----------------------------------------------------------------- */

static const struct inode_ops procfs_dir_ops;
static const struct inode_ops procfs_link_ops;
static const struct file_ops procfs_file_fops;

/* A fresh inode for (pid, kind); vfs_lock held. NULL on ENOMEM. */
static struct inode *procfs_inode(struct super_block *sb, int pid, unsigned kind,
				  uint32_t mode)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode_init(inode, sb, mode);
	inode->ino = proc_ino(pid, kind);
	inode->uid = inode->gid = 0;
	inode->nlink = S_ISDIR(mode) ? 2 : 1;
	if (S_ISDIR(mode))
		inode->ops = &procfs_dir_ops;
	else if (S_ISLNK(mode))
		inode->ops = &procfs_link_ops;
	else
		inode->fops = &procfs_file_fops;
	return inode;
}

static int name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(name, s, len);
}

/* A decimal pid without sign or leading zero, else 0. */
static int parse_pid(const char *name, size_t len)
{
	int pid = 0;

	if (len == 0 || len > 6 || name[0] == '0')
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid < PID_MAX ? pid : 0;
}

/* The parent kind of a fixed subdirectory; KIND_ROOT for anything else. */
static unsigned sub_parent(unsigned kind)
{
	for (size_t i = 0; i < NR_SUB_DIRS; i++)
		if (sub_dirs[i].kind == kind)
			return sub_dirs[i].parent;
	return KIND_ROOT;
}

/* name in the fixed directory of kind dir (the root's fixed part too):
 * 0 and a fresh inode, -ENOENT or -ENOMEM. */
static int sub_lookup(struct super_block *sb, unsigned dir, const char *name,
		      size_t len, struct inode **out)
{
	for (size_t i = 0; i < NR_SUB_DIRS; i++)
		if (sub_dirs[i].parent == dir && name_is(name, len, sub_dirs[i].name)) {
			*out = procfs_inode(sb, 0, sub_dirs[i].kind, S_IFDIR | 0555);
			return *out ? 0 : -ENOMEM;
		}
	for (size_t i = 0; i < NR_SUB_FILES; i++)
		if (sub_files[i].dir == dir && name_is(name, len, sub_files[i].e.name)) {
			*out = procfs_inode(sb, 0, KIND_SUB + i,
					    S_IFREG | sub_files[i].e.mode);
			return *out ? 0 : -ENOMEM;
		}
	return -ENOENT;
}

static int procfs_lookup(struct inode *dir, const char *name, size_t len,
			 struct inode **out)
{
	struct super_block *sb = dir->sb;
	int pid = ino_pid(dir);
	struct inode *inode = NULL;

	if (name_is(name, len, "..") && sub_parent(ino_kind(dir)) != KIND_ROOT) {
		*out = procfs_inode(sb, 0, sub_parent(ino_kind(dir)), S_IFDIR | 0555);
		return *out ? 0 : -ENOMEM;
	}
	if (ino_kind(dir) != KIND_ROOT && ino_kind(dir) != KIND_PIDDIR &&
	    !name_is(name, len, ".."))
		return sub_lookup(sb, ino_kind(dir), name, len, out);
	if (name_is(name, len, "..")) {
		inode_get(sb->root);
		*out = sb->root;
		return 0;
	}
	if (ino_kind(dir) == KIND_PIDDIR) {
		if (!pid_alive(pid))
			return -ENOENT;
		for (size_t i = 0; i < NR_PID_FILES && !inode; i++)
			if (name_is(name, len, pid_files[i].name))
				inode = procfs_inode(sb, pid, KIND_FILE + i,
						     S_IFREG | pid_files[i].mode);
	} else if (name_is(name, len, "self")) {
		inode = procfs_inode(sb, 0, KIND_SELF, S_IFLNK | 0777);
	} else if ((pid = parse_pid(name, len))) {
		if (!pid_alive(pid))
			return -ENOENT;
		inode = procfs_inode(sb, pid, KIND_PIDDIR, S_IFDIR | 0555);
	} else {
		for (size_t i = 0; i < NR_ROOT_FILES && !inode; i++)
			if (name_is(name, len, root_files[i].name))
				inode = procfs_inode(sb, 0, KIND_FILE + i,
						     S_IFREG | root_files[i].mode);
		if (!inode)
			return sub_lookup(sb, KIND_ROOT, name, len, out);
	}
	if (!inode)
		return -ENOENT;
	*out = inode;
	return 0;
}

static int procfs_readlink(struct inode *inode, char *buf, size_t len)
{
	char tmp[16];
	int n = snprintf(tmp, sizeof(tmp), "%d", current->pid);

	(void)inode;
	if ((size_t)n > len)
		n = (int)len;
	memcpy(buf, tmp, n);
	return n;
}

/* The lowest pid >= *want (an in/out argument of proc_for_each). */
struct pid_search {
	int from;
	int found;
};

static int find_next_pid(struct proc *p, void *arg)
{
	struct pid_search *ps = arg;

	if (p->pid >= ps->from && (!ps->found || p->pid < ps->found))
		ps->found = p->pid;
	return 0;
}

/*
 * Directory positions: 0 ".", 1 "..", then the files from 2 on, then the
 * fixed entries (sub_entry); in the root, "self" follows them and
 * PID_POS + pid stands for the pid
 * directories, in pid order, so a process that comes or goes between
 * two getdents calls does not make others repeat or vanish.
 */
#define PID_POS	256

/* The n-th entry of the fixed part of directory kind dir (subdirectories,
 * then files): false past the last. */
static bool sub_entry(unsigned dir, size_t n, const char **name, uint64_t *ino,
		      unsigned *type)
{
	for (size_t i = 0; i < NR_SUB_DIRS; i++)
		if (sub_dirs[i].parent == dir && n-- == 0) {
			*name = sub_dirs[i].name;
			*ino = proc_ino(0, sub_dirs[i].kind);
			*type = DT_DIR;
			return true;
		}
	for (size_t i = 0; i < NR_SUB_FILES; i++)
		if (sub_files[i].dir == dir && n-- == 0) {
			*name = sub_files[i].e.name;
			*ino = proc_ino(0, KIND_SUB + i);
			*type = DT_REG;
			return true;
		}
	return false;
}

static int procfs_iterate(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx)
{
	bool root = ino_kind(dir) == KIND_ROOT;
	bool fixed = !root && ino_kind(dir) != KIND_PIDDIR;
	size_t nfiles = root ? NR_ROOT_FILES : fixed ? 0 : NR_PID_FILES;
	const struct proc_entry *files = root ? root_files : pid_files;
	const char *sub_name;
	uint64_t sub_ino;
	unsigned sub_type;
	char name[16];

	if (*pos == 0) {
		if (fill(ctx, ".", 1, dir->ino, DT_DIR, 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (fill(ctx, "..", 2, proc_ino(0, sub_parent(ino_kind(dir))), DT_DIR, 2))
			return 0;
		*pos = 2;
	}
	for (; *pos < 2 + nfiles; (*pos)++) {
		const struct proc_entry *e = &files[*pos - 2];

		if (fill(ctx, e->name, strlen(e->name),
			 proc_ino(ino_pid(dir), KIND_FILE + *pos - 2), DT_REG, *pos + 1))
			return 0;
	}
	for (; (root || fixed) && *pos < PID_POS &&
	       sub_entry(ino_kind(dir), *pos - 2 - nfiles, &sub_name, &sub_ino, &sub_type);
	     (*pos)++)
		if (fill(ctx, sub_name, strlen(sub_name), sub_ino, sub_type, *pos + 1))
			return 0;
	if (!root)
		return 0;
	if (*pos < PID_POS) {
		if (fill(ctx, "self", 4, proc_ino(0, KIND_SELF), DT_LNK, PID_POS))
			return 0;
		*pos = PID_POS;
	}
	for (;;) {
		struct pid_search ps = { (int)(*pos - PID_POS), 0 };
		int n;

		proc_for_each(find_next_pid, &ps);
		if (!ps.found)
			return 0;
		n = snprintf(name, sizeof(name), "%d", ps.found);
		if (fill(ctx, name, n, proc_ino(ps.found, KIND_PIDDIR), DT_DIR,
			 PID_POS + ps.found + 1))
			return 0;
		*pos = PID_POS + ps.found + 1;
	}
}

static const struct inode_ops procfs_dir_ops = {
	.lookup = procfs_lookup,
	.iterate = procfs_iterate,
};

static const struct inode_ops procfs_link_ops = {
	.readlink = procfs_readlink,
};

static void procfs_evict(struct inode *inode)
{
	kfree(inode);
}

/* Every inode but the root (which the superblock holds) goes with its
 * last reference: the next lookup makes it again. */
static bool procfs_drop(struct inode *inode)
{
	(void)inode;
	return true;
}

static void procfs_statfs(struct super_block *sb, struct statfs *st)
{
	st->f_type = sb->magic;
	st->f_bsize = PAGE_SIZE;
	st->f_namelen = 255;
}

static const struct super_ops procfs_super_ops = {
	.statfs = procfs_statfs,
	.evict = procfs_evict,
	.drop = procfs_drop,
};

int procfs_create(struct super_block **out)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct inode *root;

	if (!sb)
		return -ENOMEM;
	sb->ops = &procfs_super_ops;
	sb->magic = PROC_SUPER_MAGIC;
	sb->next_ino = 2;
	vfs_lock();
	root = procfs_inode(sb, 0, KIND_ROOT, S_IFDIR | 0555);
	vfs_unlock();
	if (!root) {
		kfree(sb);
		return -ENOMEM;
	}
	sb->root = root;
	*out = sb;
	return 0;
}

/* ---- files: open, read, release ------------------------------------------- */

/* Run gen into a buffer that fits: 0 and *out, -ENOMEM or gen's error. */
static int procfs_generate(gen_fn gen, int pid, struct proc_text **out)
{
	size_t cap = PAGE_SIZE - sizeof(struct proc_text);
	struct proc_text *t;
	struct seq s;
	int err;

	for (;;) {
		t = kmalloc(sizeof(*t) + cap);
		if (!t)
			return -ENOMEM;
		s = (struct seq){ t->data, cap, 0 };
		err = gen(&s, pid);
		if (err) {
			kfree(t);
			return err;
		}
		if (s.len <= cap)
			break;
		kfree(t);
		/* Room for what it wanted and some growth meanwhile. */
		cap = ALIGN_UP(s.len + s.len / 4 + sizeof(*t), PAGE_SIZE) - sizeof(*t);
		if (cap > PROC_BUF_MAX)
			return -ENOMEM;
	}
	t->len = s.len;
	*out = t;
	return 0;
}

/* The chunk of a streamed file that starts at record key o->next, in
 * place of o->t, at file offset base. 0, -ENOMEM or -ESRCH. */
static int procfs_next_chunk(struct proc_open *o, uint64_t base)
{
	struct proc_text *t = kmalloc(PROC_CHUNK);
	struct seq s;
	int err;

	if (!t)
		return -ENOMEM;
	s = (struct seq){ t->data, PROC_CHUNK - sizeof(*t), 0 };
	err = o->gen_from(&s, o->pid, &o->next);
	if (err) {
		kfree(t);
		return err;
	}
	t->len = s.len < s.cap ? s.len : s.cap;
	kfree(o->t);
	o->t = t;
	o->base = base;
	return 0;
}

static int procfs_open(struct inode *inode, struct file *f)
{
	unsigned idx = ino_kind(inode) - KIND_FILE;
	int pid = ino_pid(inode);
	const struct proc_entry *e = ino_kind(inode) >= KIND_SUB ?
				     &sub_files[ino_kind(inode) - KIND_SUB].e :
				     pid ? &pid_files[idx] : &root_files[idx];
	struct proc_open *o = kzalloc(sizeof(*o));
	int err;

	if (!o)
		return -ENOMEM;
	o->pid = pid;
	o->gen_from = e->gen_from;
	o->next = PROC_STREAM_END;
	if (e->gen_from) {
		o->next = 0;
		err = procfs_next_chunk(o, 0);
	} else {
		err = procfs_generate(e->gen, pid, &o->t);
	}
	if (err) {
		kfree(o->t);
		kfree(o);
		return err;
	}
	f->private = o;
	return 0;
}

static long procfs_read(struct file *f, const struct iobuf *buf, uint64_t *pos)
{
	struct proc_open *o = f->private;
	size_t n, off;
	int err;

	if (*pos < o->base) {		/* streamed, and sought backwards */
		o->next = 0;
		err = procfs_next_chunk(o, 0);
		if (err)
			return err;
	}
	while (*pos >= o->base + o->t->len) {
		if (o->next == PROC_STREAM_END)
			return 0;
		err = procfs_next_chunk(o, o->base + o->t->len);
		if (err)
			return err == -ESRCH ? 0 : err;	/* it exited: the end */
	}
	off = *pos - o->base;
	n = o->t->len - off < buf->len ? o->t->len - off : buf->len;
	if (iobuf_copy_to(buf, 0, o->t->data + off, n))
		return -EFAULT;
	*pos += n;
	return (long)n;
}

/* Only the sysctls take writes: one decimal number, with blanks or a
 * newline around it, as the whole write (Linux's strict sysctl writes:
 * later parts of the file are not read). */
static long procfs_write(struct file *f, const struct iobuf *buf, uint64_t *pos)
{
	unsigned kind = ino_kind(f->inode);
	char text[24];
	size_t n = buf->len, i = 0;
	uint64_t v = 0;
	int err;

	if (kind < KIND_SUB || !sub_files[kind - KIND_SUB].set)
		return -EINVAL;
	if (*pos)
		return (long)n;
	if (n >= sizeof(text))
		return -EINVAL;
	if (iobuf_copy_from(text, buf, 0, n))
		return -EFAULT;
	while (i < n && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (i == n || text[i] < '0' || text[i] > '9')
		return -EINVAL;
	for (; i < n && text[i] >= '0' && text[i] <= '9'; i++) {
		if (v > (UINT64_MAX - (uint64_t)(text[i] - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
		i++;
	if (i != n)
		return -EINVAL;
	err = sub_files[kind - KIND_SUB].set(v);
	if (err)
		return err;
	*pos += n;
	return (long)n;
}

static void procfs_release(struct file *f)
{
	struct proc_open *o = f->private;

	kfree(o->t);
	kfree(o);
}

static const struct file_ops procfs_file_fops = {
	.open = procfs_open,
	.read = procfs_read,
	.write = procfs_write,
	.release = procfs_release,
};

/* ---- system files ---------------------------------------------------------- */

#define KB(pages)	((unsigned long)(pages) * (PAGE_SIZE / 1024))

static int sum_tmpfs_pages(struct mount *m, void *arg)
{
	if (m->sb->magic == TMPFS_MAGIC)
		*(uint64_t *)arg += m->sb->used_pages;
	return 0;
}

static int sum_anon_pages(struct proc *p, void *arg)
{
	if (p->mm)
		*(uint64_t *)arg += p->mm->resident;
	return 0;
}

/* Cached and Shmem are both the tmpfs pages, as on Linux, where tmpfs
 * data is shared memory in the page cache; nothing can be reclaimed or
 * swapped, so MemAvailable is MemFree. */
static int gen_meminfo(struct seq *s, int pid)
{
	uint64_t total = page_total_count(), free = page_free_count();
	uint64_t shmem = 0, anon = 0;

	(void)pid;
	vfs_lock();
	vfs_for_each_mount(sum_tmpfs_pages, &shmem);
	vfs_unlock();
	proc_for_each(sum_anon_pages, &anon);
	seq_printf(s, "MemTotal:       %8lu kB\n", KB(total));
	seq_printf(s, "MemFree:        %8lu kB\n", KB(free));
	seq_printf(s, "MemAvailable:   %8lu kB\n", KB(free));
	seq_printf(s, "Buffers:        %8lu kB\n", 0ul);
	seq_printf(s, "Cached:         %8lu kB\n", KB(shmem));
	seq_printf(s, "SwapCached:     %8lu kB\n", 0ul);
	seq_printf(s, "AnonPages:      %8lu kB\n", KB(anon));
	seq_printf(s, "Shmem:          %8lu kB\n", KB(shmem));
	seq_printf(s, "SwapTotal:      %8lu kB\n", 0ul);
	seq_printf(s, "SwapFree:       %8lu kB\n", 0ul);
	seq_printf(s, "Dirty:          %8lu kB\n", 0ul);
	return 0;
}

/* Seconds since boot; the second figure (idle time) is not kept. */
static int gen_uptime(struct seq *s, int pid)
{
	uint64_t cs = clock_monotonic_ns() / 10000000ull;

	(void)pid;
	seq_printf(s, "%lu.%02lu 0.00\n", (unsigned long)(cs / 100), (unsigned long)(cs % 100));
	return 0;
}

/* The kernel's own command line, as Linux's /proc/cmdline. */
static int gen_boot_cmdline(struct seq *s, int pid)
{
	(void)pid;
	seq_printf(s, "%s\n", cmdline_raw());
	return 0;
}

static int mount_line(struct mount *m, void *arg)
{
	struct seq *s = arg;
	struct path p = { m, m->root };
	char where[256];
	const char *type = m->sb->magic == PROC_SUPER_MAGIC ? "proc" : "tmpfs";

	if (vfs_path_name(&p, where, sizeof(where)) < 0)
		return 0;
	if (m->sb->magic == PROC_SUPER_MAGIC)
		seq_printf(s, "proc %s proc rw,nosuid,nodev,noexec,relatime 0 0\n", where);
	else
		seq_printf(s, "%s %s %s rw,relatime 0 0\n", type, where, type);
	return 0;
}

static int gen_mounts(struct seq *s, int pid)
{
	(void)pid;
	vfs_lock();
	vfs_for_each_mount(mount_line, s);
	vfs_unlock();
	return 0;
}

/* What uname(2) says (proc/exec.c). */
static int gen_version(struct seq *s, int pid)
{
	(void)pid;
	seq_printf(s, "kernel version 0.1 (gcc) #1\n");
	return 0;
}

static int gen_cpuinfo(struct seq *s, int pid)
{
	static const struct { const bool *on; const char *name; } flags[] = {
		{ &cpu_features.tsc, "tsc" }, { &cpu_features.apic, "apic" },
		{ &cpu_features.pge, "pge" }, { &cpu_features.pat, "pat" },
		{ &cpu_features.fxsr, "fxsr" }, { &cpu_features.sse, "sse" },
		{ &cpu_features.sse2, "sse2" }, { &cpu_features.nx, "nx" },
		{ &cpu_features.gbpages, "pdpe1gb" },
		{ &cpu_features.invariant_tsc, "constant_tsc" },
		{ &cpu_features.pcid, "pcid" }, { &cpu_features.x2apic, "x2apic" },
		{ &cpu_features.xsave, "xsave" }, { &cpu_features.rdrand, "rdrand" },
		{ &cpu_features.hypervisor, "hypervisor" },
		{ &cpu_features.smep, "smep" }, { &cpu_features.rdseed, "rdseed" },
		{ &cpu_features.smap, "smap" }, { &cpu_features.umip, "umip" },
	};
	uint64_t khz = tsc_khz();

	(void)pid;
	seq_printf(s, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\n"
		   "model\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n",
		   cpu_features.vendor, cpu_features.family, cpu_features.model,
		   cpu_features.brand, cpu_features.stepping);
	if (khz)
		seq_printf(s, "cpu MHz\t\t: %lu.%03lu\n", (unsigned long)(khz / 1000),
			   (unsigned long)(khz % 1000));
	seq_printf(s, "cpu cores\t: 1\nflags\t\t: fpu");
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (*flags[i].on)
			seq_printf(s, " %s", flags[i].name);
	seq_printf(s, "\naddress sizes\t: %u bits physical, %u bits virtual\n\n",
		   cpu_features.phys_bits, cpu_features.virt_bits);
	return 0;
}

struct task_count {
	int running, total, last;
};

static int count_task(struct proc *p, void *arg)
{
	struct task_count *c = arg;

	c->total++;
	if (p->state == PROC_RUNNING || p->state == PROC_RUNNABLE)
		c->running++;
	if (p->pid > c->last)
		c->last = p->pid;
	return 0;
}

/* No load average is kept: its three figures read 0.00. */
static int gen_loadavg(struct seq *s, int pid)
{
	struct task_count c = { 0, 0, 0 };

	(void)pid;
	proc_for_each(count_task, &c);
	seq_printf(s, "0.00 0.00 0.00 %d/%d %d\n", c.running, c.total, c.last);
	return 0;
}

/* The kernel log as it is now (a snapshot: unlike Linux's /proc/kmsg,
 * reading neither blocks nor consumes). The log holds kernel addresses
 * (trap reports, allocator complaints), hence mode 0400: root's alone,
 * as Linux's dmesg_restrict makes it. */
static int gen_kmsg(struct seq *s, int pid)
{
	char tmp[256];
	size_t off = 0, n;

	(void)pid;
	while ((n = dmesg_read(tmp, off, sizeof(tmp))) > 0) {
		seq_putmem(s, tmp, n);
		off += n;
	}
	return 0;
}

/* kernel/audit.c's status line and records, as they are at open. */
static int gen_audit(struct seq *s, int pid)
{
	size_t at = s->len < s->cap ? s->len : s->cap;

	(void)pid;
	s->len += audit_read(s->buf + at, s->cap - at);
	return 0;
}

/* ---- per-process files ----------------------------------------------------- */

/*
 * The generators below look at another process's struct proc and mm. It
 * cannot run meanwhile (preemption is off from proc_find to the end, and
 * nothing here sleeps), but there is no mm lock yet: a process caught in
 * the middle of mmap could show a VMA tree mid-change. Reading one's own
 * files (/proc/self) is always consistent.
 */
static struct proc *pid_get_locked(int pid)
{
	struct proc *p;

	preempt_disable();
	p = proc_find(pid);
	if (!p || p->state == PROC_ZOMBIE || p->state == PROC_DEAD) {
		preempt_enable();
		return NULL;
	}
	return p;
}

static void pid_put_locked(void)
{
	preempt_enable();
}

/* Copy [va, va + n) of mm into s through its page tables, stopping at
 * the first page that is not mapped. */
static void seq_user_mem(struct seq *s, struct mm *mm, uint64_t va, uint64_t n)
{
	while (n) {
		uint64_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		paddr_t pa;

		if (chunk > n)
			chunk = n;
		if (pt_lookup(mm->pml4, va, &pa, NULL))
			return;
		seq_putmem(s, phys_to_virt(pa), chunk);
		va += chunk;
		n -= chunk;
	}
}

static int gen_cmdline(struct seq *s, int pid)
{
	struct proc *p = pid_get_locked(pid);

	if (!p)
		return -ESRCH;
	if (p->mm && p->mm->arg_end > p->mm->arg_start)
		seq_user_mem(s, p->mm, p->mm->arg_start, p->mm->arg_end - p->mm->arg_start);
	pid_put_locked();
	return 0;
}

static bool vma_in_image(const struct mm *mm, const struct vma *v)
{
	return mm->start_code && v->start >= mm->start_code && v->end <= mm->start_brk &&
	       !(v->flags & (VMA_HEAP | VMA_STACK));
}

/* What names a mapping in maps: Linux's bracketed names, else the
 * program for its image, else the VMA's own name, else nothing. */
static const char *vma_label(const struct mm *mm, const struct vma *v)
{
	if (v->flags & VMA_HEAP)
		return "[heap]";
	if (v->flags & VMA_STACK)
		return "[stack]";
	if (vma_in_image(mm, v) && mm->exe_name[0])
		return mm->exe_name;
	return v->name ? v->name : "";
}

/* One line per VMA: start-end perms offset dev inode, the name from
 * column 73 as Linux pads it. Image mappings are private copies made
 * at exec, so their offset is into the image and dev/inode are 0.
 * Streamed (gen_from_fn), a line keyed by its VMA's start. */
static int gen_maps(struct seq *s, int pid, uint64_t *from)
{
	struct proc *p = pid_get_locked(pid);
	const struct vma *v;

	if (!p)
		return -ESRCH;
	if (p->mm) {
		struct mm *mm = p->mm;

		for (v = vma_find_next(&mm->vmas, *from); v; v = vma_next(v)) {
			const char *name = vma_label(mm, v);
			uint64_t off = vma_in_image(mm, v) ? v->start - mm->start_code
							   : v->pgoff << PAGE_SHIFT;
			const struct memobj *obj = vma_in_image(mm, v) ? NULL : v->obj;
			size_t before = s->len;

			if (!v->obj && !vma_in_image(mm, v))
				off = 0;
			seq_printf(s, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu",
				   (unsigned long)v->start, (unsigned long)v->end,
				   v->flags & VMA_READ ? 'r' : '-',
				   v->flags & VMA_WRITE ? 'w' : '-',
				   v->flags & VMA_EXEC ? 'x' : '-',
				   v->flags & VMA_MAYSHARE ? 's' : 'p',
				   (unsigned long)off, obj ? MAJOR(obj->dev) : 0,
				   obj ? MINOR(obj->dev) : 0, obj ? (unsigned long)obj->ino : 0ul);
			if (name[0])
				seq_printf(s, "%*s%s", (int)(s->len - before < 73 ?
					   73 - (s->len - before) : 1), "", name);
			seq_printf(s, "\n");
			if (s->len >= s->cap && before) {
				/* Left for the next chunk (one line always
				 * fits an empty chunk). */
				s->len = before;
				*from = v->start;
				pid_put_locked();
				return 0;
			}
		}
	}
	*from = PROC_STREAM_END;
	pid_put_locked();
	return 0;
}

/* Sizes of kinds of mappings for status, in pages. */
struct vm_sizes {
	uint64_t data, stack, exe;
};

static void vm_sizes(const struct mm *mm, struct vm_sizes *z)
{
	const struct vma *v;

	*z = (struct vm_sizes){ 0, 0, 0 };
	for (v = vma_first(&mm->vmas); v; v = vma_next(v)) {
		uint64_t pages = (v->end - v->start) >> PAGE_SHIFT;

		if (v->flags & VMA_STACK)
			z->stack += pages;
		else if (vma_in_image(mm, v) && (v->flags & VMA_EXEC))
			z->exe += pages;
		else if ((v->flags & VMA_WRITE) && !(v->flags & VMA_SHARED))
			z->data += pages;
	}
}

static char state_char(const struct proc *p)
{
	switch (p->state) {
	case PROC_RUNNING:
	case PROC_RUNNABLE:
	case PROC_NEW:
		return 'R';
	case PROC_SLEEPING:
		return 'S';
	case PROC_STOPPED:
		return 'T';
	case PROC_ZOMBIE:
		return 'Z';
	default:
		return 'X';
	}
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default:  return "X (dead)";
	}
}

/* Signal sets of p: pending, blocked, ignored, caught. */
static void sig_sets(const struct proc *p, uint64_t set[4])
{
	const struct signal_state *ss = p->signal;

	set[0] = set[1] = set[2] = set[3] = 0;
	if (!ss)
		return;
	set[0] = ss->pending;
	set[1] = ss->blocked;
	for (int sig = 1; sig < NSIG; sig++) {
		uint64_t h = ss->action[sig - 1].sa_handler;

		if (h == SIG_IGN)
			set[2] |= sigmask(sig);
		else if (h != SIG_DFL)
			set[3] |= sigmask(sig);
	}
}

/* VmPeak and VmHWM are not tracked apart: they show the current sizes. */
static int gen_status(struct seq *s, int pid)
{
	struct proc *p = pid_get_locked(pid);
	const struct cred *c;
	struct vm_sizes z;
	uint64_t sig[4];
	char st;

	if (!p)
		return -ESRCH;
	c = &p->cred;
	st = state_char(p);
	seq_printf(s, "Name:\t%s\n", p->name);
	if (p->files)
		seq_printf(s, "Umask:\t%04o\n", p->files->umask);
	seq_printf(s, "State:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n",
		   state_name(st), p->pid, p->pid, p->parent ? p->parent->pid : 0);
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
		   c->uid, c->euid, c->suid, c->euid, c->gid, c->egid, c->sgid, c->egid);
	seq_printf(s, "FDSize:\t%d\n", p->files ? p->files->nslots : 0);
	if (p->mm) {
		struct mm *mm = p->mm;

		vm_sizes(mm, &z);
		seq_printf(s, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\n"
			   "VmPin:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n"
			   "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n"
			   "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n"
			   "VmLib:\t%8lu kB\nVmSwap:\t%8lu kB\n",
			   KB(mm->total_vm), KB(mm->total_vm), KB(mm->locked_vm), 0ul,
			   KB(mm->resident), KB(mm->resident), KB(mm->rss[MM_RSS_ANON]),
			   KB(mm->rss[MM_RSS_FILE]), KB(mm->rss[MM_RSS_SHMEM]),
			   KB(z.data), KB(z.stack), KB(z.exe), 0ul, 0ul);
	}
	sig_sets(p, sig);
	seq_printf(s, "Threads:\t1\nSigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n"
		   "SigIgn:\t%016lx\nSigCgt:\t%016lx\n",
		   (unsigned long)sig[0], 0ul, (unsigned long)sig[1],
		   (unsigned long)sig[2], (unsigned long)sig[3]);
	pid_put_locked();
	return 0;
}

static unsigned long ticks_to_clk(uint64_t ticks)
{
	return (unsigned long)(ticks * USER_HZ / TIMER_HZ);
}

/* Linux's 52 fields in order; what is not kept here is 0. */
static int gen_stat(struct seq *s, int pid)
{
	struct proc *p = pid_get_locked(pid);
	struct mm *mm;
	uint64_t sig[4];

	if (!p)
		return -ESRCH;
	mm = p->mm;
	sig_sets(p, sig);
	seq_printf(s, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu %lu %lu %lu 20 0 1 0 0 ",
		   p->pid, p->name, state_char(p), p->parent ? p->parent->pid : 0,
		   p->pgid, p->sid, ticks_to_clk(p->utime), ticks_to_clk(p->stime),
		   ticks_to_clk(p->cutime), ticks_to_clk(p->cstime));
	seq_printf(s, "%lu %lu 18446744073709551615 %lu %lu %lu 0 0 ",
		   mm ? (unsigned long)(mm->total_vm << PAGE_SHIFT) : 0ul,
		   mm ? (unsigned long)mm->resident : 0ul,
		   mm ? (unsigned long)mm->start_code : 0ul,
		   mm ? (unsigned long)mm->start_brk : 0ul,
		   mm ? (unsigned long)mm->arg_start : 0ul);
	seq_printf(s, "%lu %lu %lu %lu 0 0 0 17 0 0 0 0 0 0 0 0 %lu %lu %lu 0 0 0\n",
		   (unsigned long)sig[0], (unsigned long)sig[1], (unsigned long)sig[2],
		   (unsigned long)sig[3],
		   mm ? (unsigned long)mm->start_brk : 0ul,
		   mm ? (unsigned long)mm->arg_start : 0ul,
		   mm ? (unsigned long)mm->arg_end : 0ul);
	pid_put_locked();
	return 0;
}

/* ---- System V IPC and its limits ------------------------------------------- */

/* Linux's header line and columns (64-bit: sizes in 21 columns). */
static int shm_line(const struct shmid_ds *ds, int id, uint64_t rss, void *arg)
{
	seq_printf(arg, "%10d %10d  %4o %21lu %5d %5d  %5lu %5u %5u %5u %5u %10ld %10ld %10ld "
		   "%21lu %21lu\n",
		   ds->shm_perm.__key, id, ds->shm_perm.mode, (unsigned long)ds->shm_segsz,
		   ds->shm_cpid, ds->shm_lpid, (unsigned long)ds->shm_nattch,
		   ds->shm_perm.uid, ds->shm_perm.gid, ds->shm_perm.cuid, ds->shm_perm.cgid,
		   (long)ds->shm_atime, (long)ds->shm_dtime, (long)ds->shm_ctime,
		   (unsigned long)(rss * PAGE_SIZE), 0ul);
	return 0;
}

static int gen_sysvipc_shm(struct seq *s, int pid)
{
	(void)pid;
	seq_printf(s, "       key      shmid perms                  size  cpid  lpid nattch"
		   "   uid   gid  cuid  cgid      atime      dtime      ctime"
		   "                   rss                  swap\n");
	shm_for_each(shm_line, s);
	return 0;
}

static int gen_shmall(struct seq *s, int pid)
{
	(void)pid;
	seq_printf(s, "%lu\n", (unsigned long)shm_limit_get(SHM_LIMIT_ALL));
	return 0;
}

static int gen_shmmax(struct seq *s, int pid)
{
	(void)pid;
	seq_printf(s, "%lu\n", (unsigned long)shm_limit_get(SHM_LIMIT_MAX));
	return 0;
}

static int gen_shmmni(struct seq *s, int pid)
{
	(void)pid;
	seq_printf(s, "%lu\n", (unsigned long)shm_limit_get(SHM_LIMIT_MNI));
	return 0;
}

static int set_shmall(uint64_t v) { return shm_limit_set(SHM_LIMIT_ALL, v); }
static int set_shmmax(uint64_t v) { return shm_limit_set(SHM_LIMIT_MAX, v); }
static int set_shmmni(uint64_t v) { return shm_limit_set(SHM_LIMIT_MNI, v); }
