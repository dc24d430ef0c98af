/* Pipes: pipe(2)/pipe2(2), a 64 KiB ring per pipe behind an inode of an
 * unmounted internal file system (fstat: S_IFIFO), with Linux's rules for
 * blocking, PIPE_BUF atomicity, EOF, EPIPE and SIGPIPE; named FIFOs
 * (fifo_fops) share the ring. poll readiness and FIONREAD are answered
 * here, the generic ioctls in fs/ioctl.c. */
#include <vfs.h>
#include <proc.h>
#include <sched.h>
#include <signal.h>
#include <syscall.h>
#include <uaccess.h>
#include <kmalloc.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/poll.h>
#include "internal.h"

#define PIPE_SIZE	(64 * 1024)	/* ring bytes, Linux's default */
#define PIPE_BUF	4096		/* writes up to this size are atomic */

/*
 * One pipe, shared by the open file descriptions of its two ends (more
 * after dup and fork). One CPU: the ring and the counts change only
 * inside preempt_disable sections, which nothing else that touches a
 * pipe can interrupt; sleepers wait on wq outside them.
 */
struct pipe {
	struct waitq wq;	/* readers, writers, pollers and FIFO opens;
				   woken with wake_up_all on every change */
	char *buf;		/* PIPE_SIZE bytes; NULL until the first write */
	uint32_t head;		/* ring index of the oldest byte */
	uint32_t len;		/* bytes in the ring */
	int readers, writers;	/* open file descriptions of each end */
	unsigned r_opens, w_opens;	/* opens so far of each end, so a FIFO
					   open sees a partner come and go */
};

/* An anonymous pipe and its inode, freed together at the last put. */
struct pipe_inode {
	struct inode inode;	/* private points at pipe */
	struct pipe pipe;
};

static void pipe_evict(struct inode *inode)
{
	struct pipe_inode *pi = (struct pipe_inode *)inode;

	kfree(pi->pipe.buf);
	kfree(pi);
}

static const struct super_ops pipefs_ops = {
	.evict = pipe_evict,
};

/* Never mounted: it only gives pipe inodes a device number and eviction. */
static struct super_block pipefs_sb = {
	.ops = &pipefs_ops,
	.dev = 0xc,			/* an anonymous device of its own */
	.magic = 0x50495045,		/* PIPEFS_MAGIC */
	.next_ino = 1,
};

static bool pipe_empty_or_hup(const struct pipe *p)
{
	return p->len > 0 || p->writers == 0;
}

/* Copy n bytes between the ring at ring index `at` and buf at off, in at
 * most two pieces. 0 or -EFAULT. */
static int ring_to_buf(struct pipe *p, const struct iobuf *buf, size_t off,
		       uint32_t at, size_t n)
{
	size_t first = PIPE_SIZE - at < n ? PIPE_SIZE - at : n;

	if (iobuf_copy_to(buf, off, p->buf + at, first))
		return -EFAULT;
	return iobuf_copy_to(buf, off + first, p->buf, n - first);
}

static int buf_to_ring(struct pipe *p, const struct iobuf *buf, size_t off,
		       uint32_t at, size_t n)
{
	size_t first = PIPE_SIZE - at < n ? PIPE_SIZE - at : n;

	if (iobuf_copy_from(p->buf + at, buf, off, first))
		return -EFAULT;
	return iobuf_copy_from(p->buf, buf, off + first, n - first);
}

/* Whatever is there, up to buf->len; waits for data unless no writer is
 * left (end of file: 0) or O_NONBLOCK (-EAGAIN). -EINTR on a signal. */
static long pipe_read(struct file *f, const struct iobuf *buf, uint64_t *pos)
{
	struct pipe *p = f->private;
	size_t n;

	(void)pos;
	if (buf->len == 0)
		return 0;
	for (;;) {
		preempt_disable();
		if (p->len > 0) {
			n = p->len < buf->len ? p->len : buf->len;
			if (ring_to_buf(p, buf, 0, p->head, n)) {
				preempt_enable();
				return -EFAULT;
			}
			p->head = (p->head + n) % PIPE_SIZE;
			p->len -= n;
			preempt_enable();
			wake_up_all(&p->wq);
			return (long)n;
		}
		preempt_enable();
		if (p->writers == 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(&p->wq, pipe_empty_or_hup(p)))
			return -EINTR;
	}
}

/* The bytes a blocked writer waits for: all of an atomic write's rest,
 * else any room at all. */
static bool pipe_room(const struct pipe *p, size_t need)
{
	return p->readers == 0 || PIPE_SIZE - p->len >= need;
}

/* Give the pipe its ring on first use (outside any critical section, as
 * kmalloc may take time). 0 or -ENOMEM. */
static int pipe_alloc_buf(struct pipe *p)
{
	char *nb;

	if (p->buf)
		return 0;
	nb = kmalloc(PIPE_SIZE);
	if (!nb)
		return -ENOMEM;
	preempt_disable();
	if (!p->buf) {
		p->buf = nb;
		nb = NULL;
	}
	preempt_enable();
	kfree(nb);
	return 0;
}

/*
 * Write all of buf unless interrupted, non-blocking or the readers go:
 * a write of at most PIPE_BUF bytes goes in one piece or not at all;
 * longer ones may interleave with other writers. With no reader left:
 * SIGPIPE to the writer and -EPIPE (or the count written before).
 */
static long pipe_write(struct file *f, const struct iobuf *buf, uint64_t *pos)
{
	struct pipe *p = f->private;
	size_t total = buf->len, done = 0, n, need;
	int err;

	(void)pos;
	if (total == 0)
		return 0;
	err = pipe_alloc_buf(p);
	if (err)
		return err;
	while (done < total) {
		need = total <= PIPE_BUF ? total : 1;
		preempt_disable();
		if (p->readers == 0) {
			preempt_enable();
			signal_send(current, SIGPIPE, NULL);
			return done ? (long)done : -EPIPE;
		}
		if (PIPE_SIZE - p->len >= need) {
			n = PIPE_SIZE - p->len;
			if (n > total - done)
				n = total - done;
			if (buf_to_ring(p, buf, done, (p->head + p->len) % PIPE_SIZE, n)) {
				preempt_enable();
				return done ? (long)done : -EFAULT;
			}
			p->len += n;
			done += n;
			preempt_enable();
			wake_up_all(&p->wq);
			continue;
		}
		preempt_enable();
		if (f->flags & O_NONBLOCK)
			return done ? (long)done : -EAGAIN;
		if (wait_event_interruptible(&p->wq, pipe_room(p, need)))
			return done ? (long)done : -EINTR;
	}
	return (long)done;
}

static unsigned pipe_poll(struct file *f)
{
	struct pipe *p = f->private;
	unsigned mask = 0;
	unsigned acc = f->flags & O_ACCMODE;

	if (acc == O_RDONLY || acc == O_RDWR) {
		if (p->len > 0)
			mask |= POLLIN | POLLRDNORM;
		if (p->writers == 0)
			mask |= POLLHUP;
	}
	if (acc == O_WRONLY || acc == O_RDWR) {
		if (PIPE_SIZE - p->len >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			mask |= POLLERR;
	}
	return mask;
}

static struct waitq *pipe_poll_wait(struct file *f)
{
	struct pipe *p = f->private;

	return &p->wq;
}

static long pipe_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct pipe *p = f->private;
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	n = (int)p->len;
	return copy_to_user(arg, &n, sizeof(n));
}

/* Count an end opened with flags in or out (dir +1 / -1). Preemption
 * off. */
static void pipe_count(struct pipe *p, unsigned flags, int dir)
{
	unsigned acc = flags & O_ACCMODE;

	if (acc == O_RDONLY || acc == O_RDWR) {
		p->readers += dir;
		p->r_opens += dir > 0;
	}
	if (acc == O_WRONLY || acc == O_RDWR) {
		p->writers += dir;
		p->w_opens += dir > 0;
	}
}

/* One end's description went: the other end sees EOF or EPIPE. */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->private;

	preempt_disable();
	pipe_count(p, f->flags, -1);
	preempt_enable();
	wake_up_all(&p->wq);
}

static const struct file_ops pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.llseek = vfs_no_llseek,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.poll_wait = pipe_poll_wait,
	.release = pipe_release,
};

/* An open file description of one end (the caller's inode reference
 * passes to it). */
static struct file *pipe_file(struct pipe_inode *pi, unsigned flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refcount = 1;
	f->flags = flags;
	f->path.inode = &pi->inode;	/* no mount: pipes have no name */
	f->inode = &pi->inode;
	f->ops = &pipe_fops;
	f->private = &pi->pipe;
	return f;
}

/* A new pipe: its read end in *rd and write end in *wr. 0 or -ENOMEM. */
static int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	struct pipe_inode *pi = kzalloc(sizeof(*pi));

	if (!pi)
		return -ENOMEM;
	vfs_lock();
	inode_init(&pi->inode, &pipefs_sb, S_IFIFO | 0600);
	vfs_unlock();
	pi->inode.private = &pi->pipe;
	waitq_init(&pi->pipe.wq);
	pi->pipe.readers = pi->pipe.writers = 1;
	*rd = pipe_file(pi, O_RDONLY | (flags & O_NONBLOCK));
	*wr = pipe_file(pi, O_WRONLY | (flags & O_NONBLOCK));
	if (!*rd || !*wr) {
		kfree(*rd);
		kfree(*wr);
		kfree(pi);
		return -ENOMEM;
	}
	inode_get(&pi->inode);		/* one reference per end */
	return 0;
}

static long do_pipe2(uint64_t ufds, uint64_t flags)
{
	struct files *ft = current->files;
	struct file *rd, *wr;
	int fds[2], err;

	if (flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!ft)
		return -EMFILE;
	err = pipe_create(flags, &rd, &wr);
	if (err)
		return err;
	fds[0] = fd_install(ft, rd, 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		err = fds[0];
		goto out_put;
	}
	fds[1] = fd_install(ft, wr, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		err = fds[1];
		fd_close(ft, fds[0]);
		file_put(wr);
		return err;
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(ft, fds[0]);
		fd_close(ft, fds[1]);
		return -EFAULT;
	}
	return 0;
out_put:
	file_put(rd);
	file_put(wr);
	return err;
}

SYSCALL_DEFINE(pipe) { return do_pipe2(a0, 0); }
SYSCALL_DEFINE(pipe2) { return do_pipe2(a0, a1); }

/* ---- named FIFOs -------------------------------------------------------- */

/*
 * The pipe of a FIFO inode lives while some description has it open: a
 * list entry keyed by the inode (whose private field is its file
 * system's), made by the first open and freed, with any unread bytes,
 * when the last end closes, as on Linux. List guarded by preemption off.
 */
struct fifo {
	struct qlink link;		/* in fifos */
	struct inode *inode;		/* the open files hold references */
	struct pipe pipe;
};

static struct qlink fifos = QLINK_INIT(fifos);

static struct fifo *fifo_find_locked(struct inode *inode)
{
	for (struct qlink *l = fifos.next; l != &fifos; l = l->next) {
		struct fifo *fi = qlink_entry(l, struct fifo, link);

		if (fi->inode == inode)
			return fi;
	}
	return NULL;
}

/* Drop one end of fi's pipe; the last one frees it. */
static void fifo_put(struct fifo *fi, unsigned flags)
{
	bool last;

	preempt_disable();
	pipe_count(&fi->pipe, flags, -1);
	last = fi->pipe.readers == 0 && fi->pipe.writers == 0;
	if (last)
		qlink_del(&fi->link);
	preempt_enable();
	if (last) {
		kfree(fi->pipe.buf);
		kfree(fi);
	} else {
		wake_up_all(&fi->pipe.wq);
	}
}

/*
 * Opening a FIFO: a reader waits for a writer and a writer for a reader
 * (a partner that came and went meanwhile counts), unless O_NONBLOCK: then
 * a reader goes ahead and a writer without readers gets -ENXIO. O_RDWR
 * never waits. -EINTR on a signal.
 */
static int fifo_open(struct inode *inode, struct file *f)
{
	unsigned acc = f->flags & O_ACCMODE;
	struct fifo *fi, *nf = kzalloc(sizeof(*nf));
	struct pipe *p;
	unsigned seen;
	int err = 0;

	if (!nf)
		return -ENOMEM;
	preempt_disable();
	fi = fifo_find_locked(inode);
	if (!fi) {
		fi = nf;
		nf = NULL;
		fi->inode = inode;
		waitq_init(&fi->pipe.wq);
		qlink_add_tail(&fifos, &fi->link);
	}
	p = &fi->pipe;
	pipe_count(p, f->flags, +1);
	preempt_enable();
	kfree(nf);
	wake_up_all(&p->wq);
	f->private = p;
	if (acc == O_RDONLY && !(f->flags & O_NONBLOCK)) {
		seen = p->w_opens;
		err = wait_event_interruptible(&p->wq, p->writers > 0 || p->w_opens != seen);
	} else if (acc == O_WRONLY && p->readers == 0) {
		seen = p->r_opens;
		if (f->flags & O_NONBLOCK)
			err = -ENXIO;
		else
			err = wait_event_interruptible(&p->wq, p->readers > 0 ||
						       p->r_opens != seen);
	}
	if (err)
		fifo_put(fi, f->flags);
	return err;
}

static void fifo_release(struct file *f)
{
	struct pipe *p = f->private;

	fifo_put((struct fifo *)((char *)p - offsetof(struct fifo, pipe)), f->flags);
}

const struct file_ops fifo_fops = {
	.open = fifo_open,
	.read = pipe_read,
	.write = pipe_write,
	.llseek = vfs_no_llseek,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.poll_wait = pipe_poll_wait,
	.release = fifo_release,
};
