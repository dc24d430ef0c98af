/* Interval timers: ITIMER_REAL (setitimer, getitimer, alarm), checked on
 * every tick, SIGALRM on expiry with the interval reloaded. Virtual and
 * profiling timers need CPU-time accounting, which does not exist yet:
 * they are -EINVAL. The signal itself goes through proc/signal.c. */
#include <signal.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <timer.h>
#include <uaccess.h>
#include <uapi/errno.h>

#define NSEC_PER_SEC	1000000000ull
#define NSEC_PER_USEC	1000ull
#define ITIMER_MAX_SEC	100000000ull	/* ~3 years: as good as forever */

/* struct signal_state.itimer_link of every armed ITIMER_REAL. [irq] */
static struct qlink armed = QLINK_INIT(armed);

/* Arm (deadline != 0) or disarm s's timer. [irq] */
static void itimer_set(struct signal_state *s, uint64_t deadline, uint64_t interval)
{
	qlink_del(&s->itimer_link);
	s->itimer_deadline = deadline;
	s->itimer_interval = deadline ? interval : 0;
	if (deadline)
		qlink_add_tail(&armed, &s->itimer_link);
}

void itimer_cancel(struct proc *p)
{
	uint64_t flags;

	if (!p->signal)
		return;
	flags = irq_save();
	itimer_set(p->signal, 0, 0);
	irq_restore(flags);
}

void itimer_tick(void)
{
	uint64_t now = clock_monotonic_ns();
	struct qlink *l, *next;

	for (l = armed.next; l != &armed; l = next) {
		struct signal_state *s = qlink_entry(l, struct signal_state, itimer_link);

		next = l->next;
		if (now < s->itimer_deadline)
			continue;
		if (s->itimer_interval) {
			s->itimer_deadline += s->itimer_interval;
			if (s->itimer_deadline <= now)	/* missed ticks: no burst */
				s->itimer_deadline = now + s->itimer_interval;
		} else {
			itimer_set(s, 0, 0);
		}
		signal_send(s->owner, SIGALRM, NULL);
	}
}

/* ---- conversions ----------------------------------------------------- */

static int timeval_to_ns(const struct timeval *tv, uint64_t *ns)
{
	uint64_t sec;

	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return -EINVAL;
	sec = (uint64_t)tv->tv_sec;
	if (sec > ITIMER_MAX_SEC)
		sec = ITIMER_MAX_SEC;
	*ns = sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * NSEC_PER_USEC;
	return 0;
}

/* Rounded up to the microsecond, so a running timer never reads as 0. */
static struct timeval ns_to_timeval(uint64_t ns)
{
	uint64_t us = (ns + NSEC_PER_USEC - 1) / NSEC_PER_USEC;

	return (struct timeval){ .tv_sec = us / 1000000, .tv_usec = us % 1000000 };
}

/* current's ITIMER_REAL as an itimerval. [irq] */
static struct itimerval itimer_get(struct signal_state *s)
{
	struct itimerval v = { 0 };
	uint64_t now = clock_monotonic_ns();

	if (!s->itimer_deadline)
		return v;
	v.it_value = ns_to_timeval(s->itimer_deadline > now ? s->itimer_deadline - now : 1);
	v.it_interval = ns_to_timeval(s->itimer_interval);
	return v;
}

/* ---- calls ------------------------------------------------------------ */

/* getitimer(which, value) */
SYSCALL_DEFINE(getitimer)
{
	struct signal_state *s = current->signal;
	struct itimerval v;
	uint64_t flags;

	if (a0 != ITIMER_REAL || !s)
		return -EINVAL;
	flags = irq_save();
	v = itimer_get(s);
	irq_restore(flags);
	return copy_to_user(a1, &v, sizeof(v)) ? -EFAULT : 0;
}

/* setitimer(which, new, old); a NULL new disarms, as on Linux. */
SYSCALL_DEFINE(setitimer)
{
	struct signal_state *s = current->signal;
	struct itimerval new = { 0 }, old;
	uint64_t value, interval, flags;
	int err;

	if (a0 != ITIMER_REAL || !s)
		return -EINVAL;
	if (a1 && copy_from_user(&new, a1, sizeof(new)))
		return -EFAULT;
	err = timeval_to_ns(&new.it_value, &value);
	if (!err)
		err = timeval_to_ns(&new.it_interval, &interval);
	if (err)
		return err;
	flags = irq_save();
	old = itimer_get(s);
	itimer_set(s, value ? clock_monotonic_ns() + value : 0, interval);
	irq_restore(flags);
	if (a2 && copy_to_user(a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* alarm(seconds): the seconds left on the previous alarm, rounded to
 * the nearest (and at least 1 while one is running). */
SYSCALL_DEFINE(alarm)
{
	struct signal_state *s = current->signal;
	uint64_t sec = (uint32_t)a0, flags;
	struct itimerval old;
	long left;

	if (!s)
		return -EINVAL;
	if (sec > ITIMER_MAX_SEC)
		sec = ITIMER_MAX_SEC;
	flags = irq_save();
	old = itimer_get(s);
	itimer_set(s, sec ? clock_monotonic_ns() + sec * NSEC_PER_SEC : 0, 0);
	irq_restore(flags);
	left = old.it_value.tv_sec;
	if (old.it_value.tv_usec >= 500000 || (!left && old.it_value.tv_usec))
		left++;
	return left;
}
