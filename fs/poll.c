/* poll(2), ppoll(2), select(2) and pselect6(2) on one core, do_poll: ask
 * each file's ops->poll for its mask, and sleep on the wait queue each
 * one exposes through ops->poll_wait (vfs.h) until one of them wakes,
 * the deadline passes or a signal comes. Files without a poll op are
 * always ready (regular files, /dev/null). */
#include <vfs.h>
#include <proc.h>
#include <sched.h>
#include <signal.h>
#include <syscall.h>
#include <uaccess.h>
#include <kmalloc.h>
#include <timer.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/poll.h>
#include <uapi/time.h>

#define NSEC_PER_SEC	1000000000ull

/* One polled descriptor: its file (a reference, NULL for fd < 0 or a bad
 * fd) and our entry on the file's wait queue, if it has one. */
struct poll_slot {
	struct file *f;
	struct waitq *wq;
	struct wait_entry w;	/* self-linked when off the queue */
};

/* Readiness of one slot as poll reports it. */
static short poll_revents(const struct pollfd *pfd, const struct poll_slot *s)
{
	unsigned mask;

	if (pfd->fd < 0)
		return 0;
	if (!s->f)
		return POLLNVAL;
	mask = s->f->ops->poll ? s->f->ops->poll(s->f)
			       : POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return (short)(mask & ((unsigned short)pfd->events | POLLERR | POLLHUP));
}

/* Put every entry a wake-up took off its queue back on it; returns
 * whether any had been taken off (so something may have changed).
 * Interrupts off. */
static bool poll_requeue(struct poll_slot *slots, unsigned n)
{
	bool woken = false;

	for (unsigned i = 0; i < n; i++) {
		struct poll_slot *s = &slots[i];

		if (!s->wq || !qlink_empty(&s->w.link))
			continue;
		woken = true;
		s->w.proc = current;
		qlink_add_tail(&s->wq->waiters, &s->w.link);
	}
	return woken;
}

/*
 * The core: fill in revents of pfd[0..n) and return how many are nonzero,
 * waiting for one when there is none: forever if deadline is 0 (unless
 * nowait), else until clock_monotonic_ns() reaches deadline. -EINTR when
 * a signal arrives first, -ENOMEM.
 *
 * We stay on every queue from the first scan to the end, so a wake-up
 * between a scan and the sleep is not lost: it takes our entry off its
 * queue, which the check before sleeping sees (interrupts off).
 */
static long do_poll(struct pollfd *pfd, unsigned n, uint64_t deadline, bool nowait)
{
	struct poll_slot *slots = kzalloc((n ? n : 1) * sizeof(*slots));
	long count = 0;
	uint64_t fl;

	if (!slots)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		struct poll_slot *s = &slots[i];

		qlink_init(&s->w.link);
		s->f = pfd[i].fd >= 0 ? fd_get(current->files, pfd[i].fd) : NULL;
		if (s->f && s->f->ops->poll_wait && !nowait)
			s->wq = s->f->ops->poll_wait(s->f);
	}
	for (;;) {
		fl = irq_save();
		poll_requeue(slots, n);
		irq_restore(fl);
		count = 0;
		for (unsigned i = 0; i < n; i++) {
			pfd[i].revents = poll_revents(&pfd[i], &slots[i]);
			if (pfd[i].revents)
				count++;
		}
		if (count || nowait || (deadline && clock_monotonic_ns() >= deadline))
			break;
		fl = irq_save();
		if (sched_signal_pending()) {
			irq_restore(fl);
			count = -EINTR;
			break;
		}
		if (!poll_requeue(slots, n)) {
			current->state = PROC_SLEEPING;
			schedule_deadline(deadline);
			current->state = PROC_RUNNING;
		}
		irq_restore(fl);
	}
	fl = irq_save();
	for (unsigned i = 0; i < n; i++)
		qlink_del(&slots[i].w.link);
	irq_restore(fl);
	for (unsigned i = 0; i < n; i++)
		if (slots[i].f)
			file_put(slots[i].f);
	kfree(slots);
	return count;
}

/* EINVAL beyond the descriptor limit, as Linux's RLIMIT_NOFILE check. */
static int poll_check_nfds(uint64_t nfds)
{
	struct files *ft = current->files;

	return nfds > (uint64_t)(ft ? ft->max : FD_DEFAULT_MAX) ? -EINVAL : 0;
}

/* poll's user side: copy the array in, run do_poll, copy revents out. */
static long poll_user(uint64_t ufds, uint64_t nfds, uint64_t deadline, bool nowait)
{
	struct pollfd *pfd;
	long r;

	r = poll_check_nfds(nfds);
	if (r)
		return r;
	pfd = kmalloc((nfds ? nfds : 1) * sizeof(*pfd));
	if (!pfd)
		return -ENOMEM;
	if (copy_from_user(pfd, ufds, nfds * sizeof(*pfd))) {
		r = -EFAULT;
		goto out;
	}
	r = do_poll(pfd, (unsigned)nfds, deadline, nowait);
	if (r >= 0 && copy_to_user(ufds, pfd, nfds * sizeof(*pfd)))
		r = -EFAULT;
out:
	kfree(pfd);
	return r;
}

/* A user timespec as a deadline: 0 and *deadline, *nowait (NULL: wait
 * forever), -EFAULT or -EINVAL. */
static int timespec_deadline(uint64_t uts, uint64_t *deadline, bool *nowait)
{
	struct timespec ts;
	uint64_t ns;

	*deadline = 0;
	*nowait = false;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (ts.tv_sec == 0 && ts.tv_nsec == 0) {
		*nowait = true;
		return 0;
	}
	ns = (uint64_t)ts.tv_sec > UINT64_MAX / NSEC_PER_SEC / 2 ? UINT64_MAX / 2
		: (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	*deadline = clock_monotonic_ns() + ns;
	return 0;
}

/*
 * ppoll/pselect6's mask: blocked for the duration of the call, put back
 * on the way out to user mode by signal_return (after any handler the
 * call's -EINTR runs), as rt_sigsuspend does. 0, -EINVAL or -EFAULT.
 */
static int poll_set_sigmask(uint64_t umask, uint64_t size)
{
	struct signal_state *s = current->signal;
	sigset_t mask;
	uint64_t fl;

	if (!umask)
		return 0;
	if (size != sizeof(sigset_t) || !s)
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	fl = irq_save();
	if (!s->restore_mask)
		s->saved_mask = s->blocked;
	s->restore_mask = true;
	s->blocked = mask & ~SIG_UNBLOCKABLE;
	irq_restore(fl);
	return 0;
}

SYSCALL_DEFINE(poll)
{
	int timeout = (int)a2;
	uint64_t deadline = 0;

	if (timeout > 0)
		deadline = clock_monotonic_ns() + (uint64_t)timeout * 1000000ull;
	return poll_user(a0, a1, deadline, timeout == 0);
}

SYSCALL_DEFINE(ppoll)
{
	uint64_t deadline;
	bool nowait;
	long r = timespec_deadline(a2, &deadline, &nowait);

	if (!r)
		r = poll_check_nfds(a1);
	if (!r)
		r = poll_set_sigmask(a3, a4);
	if (r)
		return r;
	return poll_user(a0, a1, deadline, nowait);
}

/* ---- select ------------------------------------------------------------ */

#define SEL_IN	(POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define SEL_OUT	(POLLOUT | POLLWRNORM | POLLERR)
#define SEL_EX	POLLPRI

static bool fdset_has(const uint64_t *set, int fd)
{
	return set && (set[fd / 64] >> (fd % 64)) & 1;
}

/*
 * select over the three fd_sets (in, out, except: kernel copies, NULL if
 * absent, nfds bits each), rewritten to what is ready. The count of bits
 * set, -EBADF for a set bit naming no open file, -EINTR, -ENOMEM.
 */
static long do_select(int nfds, uint64_t *sets[3], uint64_t deadline, bool nowait)
{
	static const short want[3] = { POLLIN, POLLOUT, POLLPRI };
	static const short got[3] = { SEL_IN, SEL_OUT, SEL_EX };
	struct pollfd *pfd = kmalloc((nfds ? nfds : 1) * sizeof(*pfd));
	unsigned n = 0;
	long r;

	if (!pfd)
		return -ENOMEM;
	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;

		for (int k = 0; k < 3; k++)
			if (fdset_has(sets[k], fd))
				ev |= want[k];
		if (!ev)
			continue;
		pfd[n++] = (struct pollfd){ fd, ev, 0 };
	}
	r = do_poll(pfd, n, deadline, nowait);
	if (r < 0)
		goto out;
	for (unsigned i = 0; i < n; i++) {
		if (pfd[i].revents & POLLNVAL) {
			r = -EBADF;
			goto out;
		}
	}
	r = 0;
	for (int k = 0; k < 3; k++)
		if (sets[k])
			memset(sets[k], 0, ALIGN_UP(nfds, 64) / 8);
	for (unsigned i = 0; i < n; i++) {
		for (int k = 0; k < 3; k++) {
			if ((pfd[i].events & want[k]) && (pfd[i].revents & got[k])) {
				sets[k][pfd[i].fd / 64] |= 1ull << (pfd[i].fd % 64);
				r++;
			}
		}
	}
out:
	kfree(pfd);
	return r;
}

/* The user side of select and pselect6: the three sets in and out. */
static long select_user(int nfds, uint64_t uin, uint64_t uout, uint64_t uex,
			uint64_t deadline, bool nowait)
{
	uint64_t usets[3] = { uin, uout, uex };
	uint64_t *sets[3] = { NULL, NULL, NULL };
	struct files *ft = current->files;
	size_t bytes;
	long r = 0;

	if (nfds < 0)
		return -EINVAL;
	if (ft && nfds > ft->max)
		nfds = ft->max;		/* Linux clips to the table size */
	bytes = ALIGN_UP(nfds, 64) / 8;
	for (int k = 0; k < 3 && !r; k++) {
		if (!usets[k])
			continue;
		sets[k] = kmalloc(bytes ? bytes : 8);
		if (!sets[k])
			r = -ENOMEM;
		else if (copy_from_user(sets[k], usets[k], bytes))
			r = -EFAULT;
	}
	if (!r)
		r = do_select(nfds, sets, deadline, nowait);
	for (int k = 0; k < 3; k++) {
		if (r >= 0 && sets[k] && copy_to_user(usets[k], sets[k], bytes))
			r = -EFAULT;
		kfree(sets[k]);
	}
	return r;
}

struct timeval_user {
	int64_t tv_sec;
	int64_t tv_usec;
};

SYSCALL_DEFINE(select)
{
	struct timeval_user tv;
	uint64_t deadline = 0;
	bool nowait = false;

	if (a4) {
		if (copy_from_user(&tv, a4, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		if (tv.tv_sec == 0 && tv.tv_usec == 0)
			nowait = true;
		else
			deadline = clock_monotonic_ns() + (uint64_t)tv.tv_sec * NSEC_PER_SEC +
				   (uint64_t)tv.tv_usec * 1000;
	}
	return select_user((int)a0, a1, a2, a3, deadline, nowait);
}

/* pselect6's sixth argument points at { const sigset_t *ss; size_t len }. */
SYSCALL_DEFINE(pselect6)
{
	uint64_t sig[2] = { 0, 0 }, deadline;
	bool nowait;
	long r = timespec_deadline(a4, &deadline, &nowait);

	if (!r && a5 && copy_from_user(sig, a5, sizeof(sig)))
		r = -EFAULT;
	if (!r && (int)a0 < 0)
		r = -EINVAL;
	if (!r)
		r = poll_set_sigmask(sig[0], sig[1]);
	if (r)
		return r;
	return select_user((int)a0, a1, a2, a3, deadline, nowait);
}
