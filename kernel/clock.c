/* The clock system calls: clock_gettime, clock_getres, clock_settime,
 * gettimeofday, settimeofday and time. Monotonic clocks come from the
 * tick/TSC clock (timer.c), the wall clock from rtc.c, CPU-time clocks
 * from the ticks the scheduler charges to each process. */
#include <rtc.h>
#include <timer.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>
#include <uapi/errno.h>
#include <uapi/time.h>

#define NSEC_PER_SEC		1000000000LL
#define NSEC_PER_TICK		(NSEC_PER_SEC / TIMER_HZ)

/* Linux's clock ids (uapi/time.h has the first two). */
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	3
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define CLOCK_TAI		11

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* The time on clock id in ns: 0, or -EINVAL for clocks this kernel does
 * not have (the negative ids of per-pid CPU clocks, the alarm clocks).
 * Nothing sleeps and no time passes in suspend, so BOOTTIME is the
 * monotonic clock; TAI is realtime (no leap-second table). */
static int clock_read_ns(int id, int64_t *ns)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = (int64_t)clock_monotonic_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:	/* one thread per process */
		*ns = (int64_t)(current->utime + current->stime) * NSEC_PER_TICK;
		return 0;
	default:
		return -EINVAL;
	}
}

static struct timespec ns_to_timespec(int64_t ns)
{
	struct timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

SYSCALL_DEFINE(clock_gettime)
{
	struct timespec ts;
	int64_t ns;
	int err = clock_read_ns((int)a0, &ns);

	if (err)
		return err;
	ts = ns_to_timespec(ns);
	return copy_to_user(a1, &ts, sizeof(ts));
}

/* Resolution: 1 ns when the TSC refines the clock, else a tick; the
 * coarse clocks and the CPU-time clocks move by ticks. */
SYSCALL_DEFINE(clock_getres)
{
	struct timespec ts = { 0, NSEC_PER_TICK };
	int64_t ns;
	int id = (int)a0, err = clock_read_ns(id, &ns);

	if (err)
		return err;
	if (tsc_khz() && id != CLOCK_REALTIME_COARSE && id != CLOCK_MONOTONIC_COARSE &&
	    id != CLOCK_PROCESS_CPUTIME_ID && id != CLOCK_THREAD_CPUTIME_ID)
		ts.tv_nsec = 1;
	if (!a1)
		return 0;
	return copy_to_user(a1, &ts, sizeof(ts));
}

/* Only the wall clock can be set, and only by root. */
SYSCALL_DEFINE(clock_settime)
{
	struct timespec ts;
	int id = (int)a0;

	if (copy_from_user(&ts, a1, sizeof(ts)))
		return -EFAULT;
	if (id != CLOCK_REALTIME)
		return -EINVAL;		/* the others cannot be set, as on Linux */
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (current->cred.euid != 0)
		return -EPERM;
	clock_set_realtime_ns(ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec);
	return 0;
}

/* gettimeofday(tv, tz): either may be NULL; the zone is always UTC. */
SYSCALL_DEFINE(gettimeofday)
{
	if (a0) {
		struct timespec ts = ns_to_timespec(clock_realtime_ns());
		struct timeval tv = { ts.tv_sec, ts.tv_nsec / 1000 };

		if (copy_to_user(a0, &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (a1) {
		struct timezone tz = { 0, 0 };

		if (copy_to_user(a1, &tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(settimeofday)
{
	struct timeval tv;

	if (!a0)
		return 0;	/* only a time zone: ignored, as UTC is all there is */
	if (copy_from_user(&tv, a0, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EINVAL;
	if (current->cred.euid != 0)
		return -EPERM;
	clock_set_realtime_ns(tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000);
	return 0;
}

SYSCALL_DEFINE(time)
{
	int64_t t = ns_to_timespec(clock_realtime_ns()).tv_sec;

	if (a0 && copy_to_user(a0, &t, sizeof(t)))
		return -EFAULT;
	return t;
}
