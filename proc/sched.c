/* The scheduler: one FIFO run queue, round-robin with a time slice charged
 * by the timer tick, context switches (callee-saved registers in
 * proc/switch.asm; CR3, TSS.RSP0, the syscall stack and the FPU here),
 * wait queues, timed sleep and the idle process. Process lifetime is
 * proc/proc.c's. One CPU: interrupts off is the lock for all of it. */
#include <sched.h>
#include <proc.h>
#include <trap.h>
#include <timer.h>
#include <panic.h>
#include <printk.h>
#include <signal.h>

#define RFLAGS_IF (1ul << 9)
#define MSR_FS_BASE 0xC0000100

struct percpu cpu0;

static struct qlink run_queue = QLINK_INIT(run_queue);	/* proc.run_link */
static struct qlink sleepers = QLINK_INIT(sleepers);	/* proc.timer_link, by wake_at */
static struct proc *idle;
static struct proc *switched_from;	/* for sched_finish_switch */
static bool sched_ready;		/* sched_init done: the tick may act */
static bool need_resched;		/* [irq] */
static unsigned preempt_count;		/* [irq] */

void switch_context(uint64_t *save_ksp, uint64_t next_ksp);	/* switch.asm */

bool sched_signal_pending(void)
{
	return current && signal_pending(current);
}

bool sched_need_resched(void)
{
	return need_resched;
}

/* ---- run queue ------------------------------------------------------- */

static void runq_add(struct proc *p)
{
	p->state = PROC_RUNNABLE;
	qlink_add_tail(&run_queue, &p->run_link);
	if (current == idle)
		need_resched = true;
}

static struct proc *runq_pop(void)
{
	struct qlink *l = run_queue.next;

	if (l == &run_queue)
		return NULL;
	qlink_del(l);
	return qlink_entry(l, struct proc, run_link);
}

void sched_start(struct proc *p)
{
	uint64_t flags = irq_save();

	BUG_ON(p->state != PROC_NEW);
	runq_add(p);
	irq_restore(flags);
}

void sched_wake(struct proc *p)
{
	uint64_t flags = irq_save();

	if (p->state == PROC_SLEEPING)
		runq_add(p);
	irq_restore(flags);
}

/* Job control (signal.h): a stopped process is on no queue at all. */
void sched_stop_current(void)
{
	uint64_t flags = irq_save();

	current->state = PROC_STOPPED;
	schedule();
	irq_restore(flags);
}

void sched_continue(struct proc *p)
{
	uint64_t flags = irq_save();

	if (p->state == PROC_STOPPED)
		runq_add(p);
	irq_restore(flags);
}

/* ---- switching ------------------------------------------------------- */

/*
 * Everything that belongs to "the process on the CPU" besides registers:
 * its address space, the stack the CPU and syscall_entry enter the kernel
 * on, and the FPU registers (saved eagerly; a dead process's are not).
 */
static void switch_to(struct proc *prev, struct proc *next)
{
	if (next->pml4 != prev->pml4)
		write_cr3(next->pml4);
	tss_set_rsp0((uint64_t)next->kstack_top);
	cpu0.kstack_top = (uint64_t)next->kstack_top;
	if (prev->state != PROC_ZOMBIE && prev->state != PROC_DEAD)
		fpu_save(prev->fpu);
	fpu_restore(next->fpu);
	/* The user FS base (musl's thread pointer) changes only through
	 * arch_prctl, which keeps fs_base current: loading is enough. */
	if (next->fs_base != prev->fs_base)
		wrmsr(MSR_FS_BASE, next->fs_base);
	switched_from = prev;
	current = next;
	switch_context(&prev->ksp, next->ksp);
}

void sched_finish_switch(void)
{
	struct proc *prev = switched_from;

	switched_from = NULL;
	if (prev && prev->state == PROC_DEAD)
		proc_free(prev);
}

void schedule(void)
{
	uint64_t flags = irq_save();
	struct proc *prev = current, *next;

	BUG_ON(!sched_ready);
	need_resched = false;
	if (prev->state == PROC_RUNNING) {
		prev->state = PROC_RUNNABLE;
		if (prev != idle)	/* idle is what runs when none is queued */
			qlink_add_tail(&run_queue, &prev->run_link);
	}
	next = runq_pop();
	if (!next)
		next = idle;
	next->state = PROC_RUNNING;
	next->slice = SCHED_SLICE_TICKS;
	if (next != prev) {
		switch_to(prev, next);
		sched_finish_switch();
	}
	irq_restore(flags);
}

void sched_yield(void)
{
	schedule();
}

void preempt_disable(void)
{
	uint64_t flags = irq_save();

	preempt_count++;
	irq_restore(flags);
}

void preempt_enable(void)
{
	uint64_t flags = irq_save();

	BUG_ON(preempt_count == 0);
	if (--preempt_count == 0 && need_resched && (flags & RFLAGS_IF))
		schedule();
	irq_restore(flags);
}

/* ---- the tick -------------------------------------------------------- */

static void sleepers_wake_expired(void)
{
	uint64_t now = clock_monotonic_ns();

	while (!qlink_empty(&sleepers)) {
		struct proc *p = qlink_entry(sleepers.next, struct proc, timer_link);

		if (p->wake_at > now)
			break;
		qlink_del(&p->timer_link);
		if (p->state == PROC_SLEEPING)
			runq_add(p);
	}
}

/* See sched.h: user mode, or kernel code with interrupts on that did not
 * ask to keep the CPU. */
static bool preempt_safe(const struct trap_frame *tf)
{
	if (trap_from_user(tf))
		return true;
	return (tf->rflags & RFLAGS_IF) && preempt_count == 0;
}

void sched_tick(struct trap_frame *tf)
{
	if (!sched_ready)
		return;
	itimer_tick();
	sleepers_wake_expired();
	/* CPU time for times(2) and the CPU-time clocks: the whole tick
	 * goes to whoever it interrupted. */
	if (current != idle) {
		if (trap_from_user(tf))
			current->utime++;
		else
			current->stime++;
	}
	if (current == idle) {
		if (!qlink_empty(&run_queue))
			need_resched = true;
	} else if (current->slice > 0 && --current->slice == 0) {
		if (qlink_empty(&run_queue))
			current->slice = SCHED_SLICE_TICKS;	/* alone: go on */
		else
			need_resched = true;
	}
	if (need_resched && preempt_safe(tf))
		schedule();
}

/* ---- wait queues ----------------------------------------------------- */

void waitq_init(struct waitq *wq)
{
	qlink_init(&wq->waiters);
}

void waitq_prepare(struct waitq *wq, struct wait_entry *w)
{
	w->proc = current;
	qlink_add_tail(&wq->waiters, &w->link);
	current->state = PROC_SLEEPING;
}

void waitq_finish(struct wait_entry *w)
{
	qlink_del(&w->link);
	current->state = PROC_RUNNING;
}

static void wake_first(struct waitq *wq)
{
	struct wait_entry *w = qlink_entry(wq->waiters.next, struct wait_entry, link);

	qlink_del(&w->link);
	if (w->proc->state == PROC_SLEEPING)
		runq_add(w->proc);
}

void wake_up(struct waitq *wq)
{
	uint64_t flags = irq_save();

	if (!qlink_empty(&wq->waiters))
		wake_first(wq);
	irq_restore(flags);
}

void wake_up_all(struct waitq *wq)
{
	uint64_t flags = irq_save();

	while (!qlink_empty(&wq->waiters))
		wake_first(wq);
	irq_restore(flags);
}

/* ---- timed sleep ----------------------------------------------------- */

/* Into the sleepers list, which is kept sorted by deadline. [irq] */
static void sleepers_add(struct proc *p, uint64_t deadline)
{
	struct qlink *pos = sleepers.next;

	p->wake_at = deadline;
	while (pos != &sleepers &&
	       qlink_entry(pos, struct proc, timer_link)->wake_at <= deadline)
		pos = pos->next;
	qlink_add_before(pos, &p->timer_link);
}

int sleep_until_ns(uint64_t deadline_ns, enum sleep_mode mode)
{
	uint64_t flags = irq_save();
	int err = 0;

	BUG_ON(current == idle);
	while (clock_monotonic_ns() < deadline_ns) {
		if (mode == SLEEP_INTERRUPTIBLE && sched_signal_pending()) {
			err = -EINTR;
			break;
		}
		sleepers_add(current, deadline_ns);
		current->state = PROC_SLEEPING;
		schedule();
		qlink_del(&current->timer_link);	/* if woken early */
	}
	irq_restore(flags);
	return err;
}

void schedule_deadline(uint64_t deadline_ns)
{
	uint64_t flags = irq_save();

	if (deadline_ns && current->state == PROC_SLEEPING)
		sleepers_add(current, deadline_ns);
	schedule();
	qlink_del(&current->timer_link);	/* if a wait queue woke it first */
	irq_restore(flags);
}

/* ---- idle and start-up ------------------------------------------------ */

/*
 * Runs when nothing else can. sti;hlt is atomic against interrupts (sti
 * takes effect after the next instruction), so a wake-up between the
 * check and the halt still ends the halt.
 */
static int idle_loop(void *arg)
{
	(void)arg;
	for (;;) {
		irq_disable();
		if (!qlink_empty(&run_queue)) {
			schedule();
			continue;
		}
		__asm__ volatile("sti; hlt" ::: "memory");
	}
	return 0;
}

void sched_init(void)
{
	struct proc *boot;

	fpu_init();
	if (proc_adopt_boot(&boot) < 0 || proc_new_idle(&idle, idle_loop) < 0)
		panic("sched: no memory for the first processes");
	idle->state = PROC_RUNNABLE;
	current = boot;
	boot->slice = SCHED_SLICE_TICKS;
	cpu0.self = &cpu0;
	cpu0.kstack_top = (uint64_t)boot->kstack_top;
	tss_set_rsp0(cpu0.kstack_top);
	sched_ready = true;
	pr_info("sched: round-robin, %u ms slices; FPU save area %lu bytes\n",
		SCHED_SLICE_TICKS * 1000 / TIMER_HZ, (unsigned long)fpu_area_size());
}
