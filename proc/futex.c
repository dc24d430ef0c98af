/* futex(2): the wait table (a hash of keys to sleeping processes), the
 * keys that name a user word, and the operations musl and glibc use:
 * WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET and WAKE_BITSET, each in
 * its _PRIVATE form too. Which object backs a shared word is mm's
 * (mm_shared_backing); sleeping and waking are the scheduler's. */
#include <futex.h>
#include <mm.h>
#include <memobj.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <timer.h>
#include <rtc.h>
#include <uaccess.h>
#include <io.h>
#include <uapi/errno.h>
#include <uapi/time.h>

/*
 * Keys. A futex word is named by the memory it lives in, not by where a
 * process sees it:
 *
 *   KEY_PRIVATE  (mm, address)      the _PRIVATE ops: only the threads of
 *                                   the address space reach the word
 *   KEY_OBJECT   (object, offset)   a shared op on a MAP_SHARED mapping (a
 *                                   file, POSIX or System V shm, shared
 *                                   anonymous memory): processes mapping
 *                                   the object at different addresses
 *                                   meet on one word
 *   KEY_MM       (mm, address)      a shared op on private memory:
 *                                   anonymous (which fork shares only
 *                                   copy-on-write) or a MAP_PRIVATE file
 *
 * KEY_MM never matches KEY_PRIVATE for the same word, as on Linux, where
 * FUTEX_WAKE_PRIVATE does not wake a FUTEX_WAIT. Linux keys a word of a
 * MAP_PRIVATE file mapping by the file while no write has copied its
 * page; here such a word is always the mm's. That is simpler, and only a
 * program that waits through a private mapping of a file and is woken
 * through a shared one could tell.
 *
 * Lifetime. A KEY_OBJECT key holds a reference on its object from
 * futex_key_get to futex_key_put, and a waiter holds its key for its
 * whole sleep, so an object with a waiter never dies and no other object
 * can be created at its address meanwhile: a key never outlives or
 * aliases its object, whatever is unmapped while it waits. (The other way,
 * purging the table when an object dies, would need a hook in
 * memobj_put and a walk of the table; a reference is one atomic add.)
 * The mm of the other two kinds is the sleeper's own, alive while it
 * sleeps.
 *
 * Locking: one CPU; the table, every queued waiter and the move of a
 * waiter between queues are guarded by interrupts off [irq].
 */

#define FUTEX_HASH_BITS	8
#define FUTEX_BUCKETS	(1u << FUTEX_HASH_BITS)
#define NSEC_PER_SEC	1000000000ull
#define FUTEX_FOREVER	(UINT64_MAX / 4)	/* ns: centuries, no overflow */

enum futex_key_kind { KEY_PRIVATE = 1, KEY_MM, KEY_OBJECT };

struct futex_key {
	void *base;		/* struct mm, or struct memobj (referenced) */
	uint64_t off;		/* user address, or byte offset in the object */
	int kind;		/* enum futex_key_kind */
};

/* One sleeper, on its own kernel stack while it sleeps. */
struct futex_waiter {
	struct qlink link;	/* [irq] in its key's bucket; self-linked
				   once a waker took it off */
	struct futex_key key;	/* [irq] requeue moves it to another key */
	uint32_t bitset;	/* FUTEX_WAIT_BITSET's mask; wakes must meet it */
	struct proc *proc;
};

/* struct futex_waiter.link by key hash, oldest first. [irq] A bucket
 * with a NULL next was never used (bucket_of makes it an empty list). */
static struct qlink futex_table[FUTEX_BUCKETS];

static bool key_equal(const struct futex_key *a, const struct futex_key *b)
{
	return a->base == b->base && a->off == b->off && a->kind == b->kind;
}

/* [irq] */
static struct qlink *bucket_of(const struct futex_key *key)
{
	uint64_t h = ((uint64_t)(uintptr_t)key->base ^ (key->off >> 2) ^
		      (uint64_t)key->kind) * 0x9E3779B97F4A7C15ull;
	struct qlink *b = &futex_table[h >> (64 - FUTEX_HASH_BITS)];

	if (!b->next)
		qlink_init(b);
	return b;
}

/*
 * Name the word at uaddr of current's address space (see Keys above).
 * 0 and *key, to be given back with futex_key_put; -EINVAL when uaddr is
 * not 4-byte aligned; -EFAULT outside user space, or for a shared op,
 * outside every accessible mapping. Interrupts on or off.
 */
static int futex_key_get(uint64_t uaddr, bool private, struct futex_key *key)
{
	struct mm *mm = current->mm;
	struct memobj *obj;
	uint64_t index;
	int err;

	if (uaddr & (sizeof(uint32_t) - 1))
		return -EINVAL;
	if (!mm || uaddr > USER_END - sizeof(uint32_t))
		return -EFAULT;
	*key = (struct futex_key){ mm, uaddr, private ? KEY_PRIVATE : KEY_MM };
	if (private)
		return 0;
	err = mm_shared_backing(mm, uaddr, &obj, &index);
	if (err || !obj)
		return err;
	*key = (struct futex_key){
		obj, (index << PAGE_SHIFT) | (uaddr & (PAGE_SIZE - 1)), KEY_OBJECT
	};
	return 0;
}

static void futex_key_put(const struct futex_key *key)
{
	if (key->kind == KEY_OBJECT)
		memobj_put(key->base);
}

/*
 * The word at uaddr, read with interrupts off: a fault on it is resolved
 * (or becomes -EFAULT) by the #PF handler without sleeping or enabling
 * interrupts, so what the caller does after the comparison is atomic
 * with it against every waker. 0 or -EFAULT. [irq]
 */
static int futex_read_word(uint64_t uaddr, uint32_t *val)
{
	return copy_from_user(val, uaddr, sizeof(*val));
}

/*
 * The deadline of a wait, in monotonic ns, from the user's timespec at
 * uts: FUTEX_WAIT's timeout is relative; FUTEX_WAIT_BITSET's absolute,
 * on CLOCK_MONOTONIC or with FUTEX_CLOCK_REALTIME on the wall clock. A
 * wall-clock deadline is converted once, here: a clock_settime during
 * the wait does not move it (it does on Linux). 0, -EFAULT or -EINVAL.
 */
static int futex_deadline(uint64_t uts, bool relative, bool realtime,
			  uint64_t *deadline)
{
	uint64_t now = clock_monotonic_ns(), ns;
	struct timespec ts;
	int64_t wall;
	int err;

	err = copy_from_user(&ts, uts, sizeof(ts));
	if (err)
		return err;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= FUTEX_FOREVER / NSEC_PER_SEC)
		ns = FUTEX_FOREVER;
	else
		ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	if (relative) {
		*deadline = now + ns;
		return 0;
	}
	if (!realtime) {
		*deadline = ns;
		return 0;
	}
	/* A wall clock set before 1970 counts from the epoch: what is left
	 * is then at most ns, so the sum cannot overflow. */
	wall = clock_realtime_ns();
	if (wall < 0)
		wall = 0;
	*deadline = ns > (uint64_t)wall ? now + (ns - (uint64_t)wall) : now;
	return 0;
}

/*
 * FUTEX_WAIT(_BITSET): sleep while the word at uaddr holds val, until a
 * wake whose bitset meets ours, the deadline (monotonic ns; none unless
 * timed) or a signal. Reading the word and queueing happen with
 * interrupts off, which every waker takes too, so a wake that follows a
 * store to the word cannot fall between them. A waiter that was woken
 * returns 0 even if a signal or its deadline came as well: the wake was
 * taken and must be counted. 0, -EAGAIN (the word differs), -ETIMEDOUT,
 * -EINTR (no restart: musl and glibc retry their waits), -EINVAL,
 * -EFAULT.
 */
static int futex_wait(uint64_t uaddr, bool private, uint32_t val, uint32_t bitset,
		      bool timed, uint64_t deadline)
{
	struct futex_waiter w = { .bitset = bitset, .proc = current };
	uint32_t word;
	uint64_t irq;
	int err;

	if (!bitset)
		return -EINVAL;
	err = futex_key_get(uaddr, private, &w.key);
	if (err)
		return err;
	irq = irq_save();
	err = futex_read_word(uaddr, &word);
	if (err)
		goto out_unlock;
	if (word != val) {
		err = -EAGAIN;
		goto out_unlock;
	}
	qlink_add_tail(bucket_of(&w.key), &w.link);
	for (;;) {
		if (qlink_empty(&w.link)) {
			err = 0;
			break;
		}
		if (timed && clock_monotonic_ns() >= deadline) {
			err = -ETIMEDOUT;
			break;
		}
		if (sched_signal_pending()) {
			err = -EINTR;
			break;
		}
		current->state = PROC_SLEEPING;
		schedule_deadline(timed ? deadline : 0);
		current->state = PROC_RUNNING;
	}
	qlink_del(&w.link);
out_unlock:
	irq_restore(irq);
	futex_key_put(&w.key);
	return err;
}

/* Take up to nr (at least one) waiters of key whose bitset meets bitset
 * off their queue, oldest first, and make them runnable; how many. */
static int wake_key(const struct futex_key *key, int nr, uint32_t bitset)
{
	uint64_t irq = irq_save();
	struct qlink *b = bucket_of(key), *l, *next;
	int n = 0;

	for (l = b->next; l != b; l = next) {
		struct futex_waiter *w = qlink_entry(l, struct futex_waiter, link);

		next = l->next;
		if (!key_equal(&w->key, key) || !(w->bitset & bitset))
			continue;
		qlink_del(l);
		sched_wake(w->proc);
		if (++n >= nr)
			break;
	}
	irq_restore(irq);
	return n;
}

/* FUTEX_WAKE(_BITSET): how many were woken, -EINVAL or -EFAULT. */
static int do_wake(uint64_t uaddr, bool private, int nr, uint32_t bitset)
{
	struct futex_key key;
	int err;

	if (!bitset)
		return -EINVAL;
	err = futex_key_get(uaddr, private, &key);
	if (err)
		return err;
	err = wake_key(&key, nr, bitset);
	futex_key_put(&key);
	return err;
}

int futex_wake(uint64_t uaddr, unsigned flags, int nr)
{
	return do_wake(uaddr, flags & FUTEX_PRIVATE_FLAG, nr, FUTEX_BITSET_MATCH_ANY);
}

/*
 * FUTEX_(CMP_)REQUEUE: wake up to nr_wake waiters of uaddr, then move up
 * to nr_requeue more to uaddr2's queue, where a wake of uaddr2 finds
 * them (a condition variable hands its waiters to the mutex instead of
 * waking them all to fight for it). With cmp, only if the word at uaddr
 * still holds cmpval. A moved waiter's key now names uaddr2's object, so
 * it takes a reference on that one and gives back the one on uaddr's.
 * Returns woken plus moved, as Linux does for both ops; -EAGAIN, -EINVAL
 * (a negative count, a misaligned address) or -EFAULT.
 */
static int futex_requeue(uint64_t uaddr, uint64_t uaddr2, bool private, int nr_wake,
			 int nr_requeue, bool cmp, uint32_t cmpval)
{
	struct qlink moved = QLINK_INIT(moved);
	struct futex_key k1, k2;
	struct qlink *b, *l, *next;
	int woken = 0, requeued = 0, err;
	uint32_t word;
	uint64_t irq;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	err = futex_key_get(uaddr, private, &k1);
	if (err)
		return err;
	err = futex_key_get(uaddr2, private, &k2);
	if (err)
		goto out_put_k1;
	irq = irq_save();
	if (cmp) {
		err = futex_read_word(uaddr, &word);
		if (!err && word != cmpval)
			err = -EAGAIN;
		if (err)
			goto out_unlock;
	}
	b = bucket_of(&k1);
	for (l = b->next; l != b; l = next) {
		struct futex_waiter *w = qlink_entry(l, struct futex_waiter, link);

		next = l->next;
		if (!key_equal(&w->key, &k1))
			continue;
		if (woken < nr_wake) {
			qlink_del(l);
			sched_wake(w->proc);
			woken++;
			continue;
		}
		if (requeued == nr_requeue)
			break;
		/* Parked on a list of our own until the walk is over, so a
		 * waiter moved to this same bucket is not met again. */
		qlink_del(l);
		w->key = k2;
		if (k2.kind == KEY_OBJECT)
			memobj_get(k2.base);
		qlink_add_tail(&moved, l);
		requeued++;
	}
	b = bucket_of(&k2);
	while (!qlink_empty(&moved)) {
		l = moved.next;
		qlink_del(l);
		qlink_add_tail(b, l);
	}
	err = woken + requeued;
out_unlock:
	irq_restore(irq);
	/* k1 holds its own reference until below, so none of these is the
	 * last. */
	for (int i = 0; i < requeued && k1.kind == KEY_OBJECT; i++)
		memobj_put(k1.base);
	futex_key_put(&k2);
out_put_k1:
	futex_key_put(&k1);
	return err;
}

/*
 * futex(uaddr, op, val, timeout or val2, uaddr2, val3). Checks in Linux's
 * order: the timeout of a waiting op (-EFAULT, -EINVAL), the clock flag
 * (FUTEX_CLOCK_REALTIME on an op that takes no absolute time: -ENOSYS),
 * then the op. Anything else is -ENOSYS, as Linux says for an op it does
 * not know: FUTEX_WAKE_OP (old glibc condition variables only) and the
 * priority-inheritance family, which musl asks for only through
 * pthread_mutexattr_setprotocol(PTHREAD_PRIO_INHERIT), whose probe turns
 * -ENOSYS into ENOTSUP. musl retries an op without FUTEX_PRIVATE_FLAG on
 * -ENOSYS; here both forms work.
 */
SYSCALL_DEFINE(futex)
{
	int cmd = (int)a1 & FUTEX_CMD_MASK;
	bool private = a1 & FUTEX_PRIVATE_FLAG;
	bool realtime = a1 & FUTEX_CLOCK_REALTIME;
	bool waits = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
	uint64_t deadline = 0;
	int err;

	if (waits && a3) {
		err = futex_deadline(a3, cmd == FUTEX_WAIT, realtime, &deadline);
		if (err)
			return err;
	}
	if (realtime && !waits)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(a0, private, (uint32_t)a2, FUTEX_BITSET_MATCH_ANY,
				  a3 != 0, deadline);
	case FUTEX_WAIT_BITSET:
		return futex_wait(a0, private, (uint32_t)a2, (uint32_t)a5, a3 != 0, deadline);
	case FUTEX_WAKE:
		return do_wake(a0, private, (int)a2, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return do_wake(a0, private, (int)a2, (uint32_t)a5);
	case FUTEX_REQUEUE:
		return futex_requeue(a0, a4, private, (int)a2, (int)a3, false, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(a0, a4, private, (int)a2, (int)a3, true, (uint32_t)a5);
	default:
		return -ENOSYS;
	}
}
