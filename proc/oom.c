/* The out-of-memory killer: when a user page fault cannot get a frame,
 * the process with the largest resident set is sent SIGKILL (never pid 1,
 * never a kernel thread) and the faulting process waits for the memory. */
#include <proc.h>
#include <mm.h>
#include <printk.h>
#include <sched.h>
#include <signal.h>
#include <timer.h>
#include <uapi/errno.h>

#define OOM_WAIT_NS	(10ull * 1000 * 1000)	/* between looks at the victim */
#define OOM_PATIENCE_NS	(5ull * 1000 * 1000 * 1000)	/* then pick another */

/*
 * The victim chosen last and when: while it is alive and within its
 * patience, further faults wait for it rather than kill again, so one
 * shortage costs one process. [irq] (read and written with interrupts
 * off, in proc_for_each's callback or under irq_save).
 */
static int victim_pid;
static uint64_t victim_since;

struct oom_pick {
	struct proc *victim;
	uint64_t rss;
	bool waiting;		/* the last victim is still dying */
};

static int oom_consider(struct proc *p, void *arg)
{
	struct oom_pick *pick = arg;

	if (p->pid == victim_pid && p->state != PROC_ZOMBIE && p->state != PROC_DEAD &&
	    clock_monotonic_ns() - victim_since < OOM_PATIENCE_NS) {
		pick->waiting = true;
		return 1;
	}
	if (p->pid == 1 || !p->mm || p->state == PROC_ZOMBIE || p->state == PROC_DEAD ||
	    p->state == PROC_NEW)
		return 0;
	if (!pick->victim || p->mm->resident > pick->rss) {
		pick->victim = p;
		pick->rss = p->mm->resident;
	}
	return 0;
}

int oom_kill(void)
{
	struct oom_pick pick = { 0 };
	uint64_t flags = irq_save();
	int pid;

	proc_for_each(oom_consider, &pick);
	if (pick.waiting) {
		irq_restore(flags);
		sleep_until_ns(clock_monotonic_ns() + OOM_WAIT_NS, SLEEP_UNINTERRUPTIBLE);
		return 0;
	}
	if (!pick.victim) {
		irq_restore(flags);
		return -ENOMEM;
	}
	pid = victim_pid = pick.victim->pid;
	victim_since = clock_monotonic_ns();
	pr_warn("oom: out of memory: killed pid %d (%s), %lu kB resident\n", pid,
		pick.victim->name, (unsigned long)(pick.rss << (PAGE_SHIFT - 10)));
	signal_send(pick.victim, SIGKILL, NULL);
	irq_restore(flags);
	if (pick.victim != current)
		sleep_until_ns(clock_monotonic_ns() + OOM_WAIT_NS, SLEEP_UNINTERRUPTIBLE);
	return 0;
}
