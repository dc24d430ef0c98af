/* ioctl(2): the requests every descriptor answers (FIONBIO, FIOCLEX,
 * FIONCLEX, FIOASYNC, FIONREAD on regular files), then the file's own
 * ops->ioctl (pipes, the console tty), else -ENOTTY as Linux says for a
 * file that is no terminal. */
#include <vfs.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include "internal.h"

/* The generic requests: their result, or 1 when f's ops must decide. */
static long ioctl_generic(struct files *ft, int fd, struct file *f, unsigned cmd,
			  uint64_t arg)
{
	int v;

	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		fd_set_cloexec(ft, fd, cmd == FIOCLEX);
		return 0;
	case FIONBIO:
		if (copy_from_user(&v, arg, sizeof(v)))
			return -EFAULT;
		if (v)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	case FIOASYNC:
		/* No SIGIO delivery exists: turning it off is all that works. */
		if (copy_from_user(&v, arg, sizeof(v)))
			return -EFAULT;
		return v ? -EINVAL : 0;
	case FIONREAD:
		if (!S_ISREG(f->inode->mode))
			return 1;
		v = f->inode->size > f->pos ? (int)(f->inode->size - f->pos) : 0;
		return copy_to_user(arg, &v, sizeof(v));
	}
	return 1;
}

SYSCALL_DEFINE(ioctl)
{
	struct files *ft = current->files;
	int fd = (int)a0;
	unsigned cmd = (unsigned)a1;
	struct file *f = fd_get(ft, fd);
	long r;

	if (!f)
		return -EBADF;
	r = ioctl_generic(ft, fd, f, cmd, a2);
	if (r == 1)
		r = f->ops->ioctl ? f->ops->ioctl(f, cmd, a2) : -ENOTTY;
	file_put(f);
	return r;
}
