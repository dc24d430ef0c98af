/* The scheduler (proc/sched.c, proc/switch.asm): preemptive round-robin
 * over one run queue, context switches (registers, CR3, TSS.RSP0, FPU),
 * wait queues, timed sleep and the idle process. FPU/SSE state for user
 * mode lives in proc/fpu.c. Processes themselves are proc.h's.
 *
 * Locking: one CPU, so every scheduler structure below is guarded by
 * running with interrupts off (irq_save/irq_restore). */
#ifndef SCHED_H
#define SCHED_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <io.h>
#include <uapi/errno.h>

struct proc;
struct trap_frame;

#define SCHED_SLICE_TICKS 3	/* a time slice: 12 ms at TIMER_HZ 250 */

/* ---- intrusive doubly linked lists (circular, with a head node) ----- */

struct qlink {
	struct qlink *next, *prev;
};

#define QLINK_INIT(name) { &(name), &(name) }
#define qlink_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline void qlink_init(struct qlink *l)
{
	l->next = l->prev = l;
}

static inline bool qlink_empty(const struct qlink *head)
{
	return head->next == head;
}

static inline void qlink_add_before(struct qlink *pos, struct qlink *l)
{
	l->next = pos;
	l->prev = pos->prev;
	pos->prev->next = l;
	pos->prev = l;
}

static inline void qlink_add_tail(struct qlink *head, struct qlink *l)
{
	qlink_add_before(head, l);
}

/* Unlink l and leave it pointing at itself, so a second del is harmless. */
static inline void qlink_del(struct qlink *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	qlink_init(l);
}

/* ---- per-CPU data ---------------------------------------------------- */

/*
 * What the system-call entry needs before it has a stack: GS points here
 * in kernel mode (MSR_GS_BASE), and at the user's GS base in user mode,
 * with this address parked in MSR_KERNEL_GS_BASE; swapgs exchanges them.
 * The offsets are used by proc/syscall_entry.asm (checked in syscall.c).
 */
struct percpu {
	uint64_t kstack_top;	/* current's kernel-stack top; set on switch */
	uint64_t user_rsp;	/* scratch: user rsp during syscall entry */
	struct percpu *self;
};
#define PERCPU_KSTACK_TOP 0
#define PERCPU_USER_RSP   8

extern struct percpu cpu0;

/* ---- scheduling ------------------------------------------------------ */

/* Adopt the boot thread as pid 1 ("kmain", on the boot stack), create the
 * idle process (pid 0), set up the FPU for user mode and start ticking.
 * Before interrupts are first enabled; panics if memory is short. */
void sched_init(void);

/* Give the CPU to the next runnable process; current is put back at the
 * tail of the run queue if it is still RUNNING, otherwise (SLEEPING,
 * ZOMBIE, ...) it stays off it. Callable with interrupts on or off; it
 * returns, when current runs again, with the interrupt flag as it was. */
void schedule(void);

/* Right after every switch, in the process switched to (interrupts off):
 * frees the process switched away from if it died with nobody to reap
 * it. Called by schedule() and by the first code of a new process. */
void sched_finish_switch(void);

/* sched_yield(2): to the tail of the run queue. */
void sched_yield(void);

/* Timer interrupt hook (kernel/timer.c), interrupts off: wakes expired
 * sleepers, charges the slice and preempts when it is safe (below). */
void sched_tick(struct trap_frame *tf);

/* Make a SLEEPING or new process RUNNABLE (interrupts on or off). */
void sched_wake(struct proc *p);

/* First scheduling of a process proc_new made: it becomes RUNNABLE. */
void sched_start(struct proc *p);

/* A reschedule is due (slice used up or someone woke while idle). */
bool sched_need_resched(void);

/*
 * Preemption. A timer tick preempts the interrupted code when it was
 *   - user mode, or
 *   - kernel code running with interrupts on and preempt_count zero.
 * Code that must not lose the CPU either runs with interrupts off (all
 * scheduler, allocator and printk critical sections do) or brackets
 * itself with preempt_disable/preempt_enable; the latter reschedules at
 * once if a tick asked for it meanwhile.
 */
void preempt_disable(void);
void preempt_enable(void);

/* The signal layer's hook: whether current has a signal that should
 * interrupt an interruptible sleep. Always false until signals exist. */
bool sched_signal_pending(void);

/* ---- wait queues ----------------------------------------------------- */

struct waitq {
	struct qlink waiters;	/* struct wait_entry.link; irq_save */
};

#define WAITQ_INIT(name) { QLINK_INIT((name).waiters) }

/* One sleeper, on its own stack while it sleeps. */
struct wait_entry {
	struct qlink link;	/* in waitq.waiters; self-linked when off */
	struct proc *proc;
};

void waitq_init(struct waitq *wq);

/* Wake the first sleeper / every sleeper (each is taken off the queue
 * and re-checks its condition). Interrupts on or off; never sleeps. */
void wake_up(struct waitq *wq);
void wake_up_all(struct waitq *wq);

/* Used by the macros below, interrupts off: enqueue current and mark it
 * SLEEPING; and after schedule() returns, dequeue it (if a waker did not)
 * and mark it RUNNING again. */
void waitq_prepare(struct waitq *wq, struct wait_entry *w);
void waitq_finish(struct wait_entry *w);

/*
 * Sleep on wq until cond is true. cond is evaluated with interrupts off
 * (so no wake-up can slip between the test and the sleep): keep it a few
 * loads. The interruptible form gives up with -EINTR when a signal is
 * pending; both evaluate to 0 once cond held.
 */
#define __wait_event(wq, cond, intr)					\
({									\
	struct wait_entry __we;						\
	int __ret = 0;							\
	uint64_t __fl = irq_save();					\
	while (!(cond)) {						\
		if ((intr) && sched_signal_pending()) {			\
			__ret = -EINTR;					\
			break;						\
		}							\
		waitq_prepare((wq), &__we);				\
		schedule();						\
		waitq_finish(&__we);					\
	}								\
	irq_restore(__fl);						\
	__ret;								\
})

#define wait_event(wq, cond)			((void)__wait_event(wq, cond, 0))
#define wait_event_interruptible(wq, cond)	__wait_event(wq, cond, 1)

/* ---- timed sleep ----------------------------------------------------- */

enum sleep_mode {
	SLEEP_UNINTERRUPTIBLE,
	SLEEP_INTERRUPTIBLE,	/* a pending signal ends the sleep: -EINTR */
};

/* Sleep until clock_monotonic_ns() >= deadline_ns, woken by the tick
 * (so up to one tick late). 0, or -EINTR (interruptible mode only).
 * Needs a process context: not from interrupt handlers. */
int sleep_until_ns(uint64_t deadline_ns, enum sleep_mode mode);

/* For sleeping on several wait queues at once (poll, fs/poll.c): current
 * has put itself on them and set PROC_SLEEPING with interrupts off; give
 * up the CPU until a queue wakes it or, when deadline_ns is not 0, until
 * clock_monotonic_ns() reaches it (a tick late at most). The caller
 * takes itself off its queues and back to PROC_RUNNING (waitq_finish). */
void schedule_deadline(uint64_t deadline_ns);

/* ---- FPU / SSE state (proc/fpu.c) ------------------------------------ */

/* Enable x87/SSE (and AVX under XSAVE) for user mode: CR0.MP/NE on,
 * CR0.EM/TS off, CR4.OSFXSR/OSXMMEXCPT (and OSXSAVE, XCR0). */
void fpu_init(void);

/* A save area in the clean state (FCW 0x37F, MXCSR 0x1F80, registers
 * zero), 64-byte aligned; NULL when memory is short. */
void *fpu_alloc(void);
void fpu_free(void *area);		/* NULL is ignored */
void fpu_reset(void *area);		/* back to the clean state */
size_t fpu_area_size(void);

/* Save the live registers into area / load them from it (FXSAVE64 or
 * XSAVE). Interrupts off; the kernel never uses these registers itself. */
void fpu_save(void *area);
void fpu_restore(const void *area);

#endif
