/* Signals, kernel side (proc/signal.c, proc/itimer.c): per-process
 * handlers, pending and blocked sets, the alternate stack, sending,
 * delivery on the way back to user mode with a Linux rt_sigframe,
 * rt_sigreturn, job-control stops, and ITIMER_REAL. The ABI types are
 * uapi/signal.h's; wait4 and fork/exec call the hooks below. */
#ifndef SIGNAL_H
#define SIGNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <sched.h>
#include <uapi/signal.h>

struct proc;
struct trap_frame;

#define SIG_UNBLOCKABLE	(sigmask(SIGKILL) | sigmask(SIGSTOP))

/*
 * What a pending signal carries: the first 48 bytes of its siginfo,
 * which hold every field this kernel fills in (pid, uid, status, addr,
 * value). Standard signals coalesce, so one slot per signal is enough;
 * real-time signals coalesce too here (Linux queues them).
 */
#define KSIGINFO_BYTES	48

struct ksiginfo {
	uint8_t bytes[KSIGINFO_BYTES];
};

/*
 * A process's signal state, NULL for idle and the boot thread (they
 * ignore signals). One CPU: every field is guarded by interrupts off,
 * except actions, altstack and the itimer values, which only the
 * process itself changes [own].
 */
struct signal_state {
	struct proc *owner;			/* [const] */
	struct sigaction action[NSIG - 1];	/* [own] index sig - 1 */
	sigset_t pending;			/* [irq] */
	sigset_t blocked;			/* [irq] never KILL or STOP */
	sigset_t saved_mask;	/* [own] blocked before rt_sigsuspend ... */
	bool restore_mask;	/* [own] ... to be put back on the way out */
	struct ksiginfo info[NSIG - 1];		/* [irq] valid while pending */
	stack_t altstack;			/* [own] ss_flags 0 or SS_DISABLE */

	/* The last user exception, for sigcontext's trapno, err and cr2. */
	uint64_t fault_trapno, fault_err, fault_cr2;

	/* Job control: a stop or continue not yet seen by the parent's
	 * wait4 (WUNTRACED/WCONTINUED): a wait status, or 0. [irq] */
	int wait_report;

	struct waitq pause_wq;	/* pause and rt_sigsuspend sleep here */

	/* ITIMER_REAL: deadline in monotonic ns (0: disarmed) and reload
	 * interval in ns; on the armed list while the deadline is set. */
	uint64_t itimer_deadline, itimer_interval;	/* [irq] */
	struct qlink itimer_link;			/* [irq] */
};

/* ---- lifetime (proc/proc.c) ------------------------------------------ */

/* Fresh state for a new process: every action SIG_DFL, nothing pending
 * or blocked, no alternate stack. 0 or -ENOMEM. */
int signal_init(struct proc *p);
void signal_free(struct proc *p);		/* p->signal may be NULL */

/* fork: child (after signal_init) gets parent's actions, blocked mask and
 * alternate stack; nothing pending, no itimer. */
void signal_fork(struct proc *child, struct proc *parent);

/* execve: caught signals go back to SIG_DFL, ignored ones stay ignored,
 * the mask stays, the alternate stack goes. */
void signal_exec(struct proc *p);

/* From proc_exit once p is a ZOMBIE (or DEAD), interrupts off: disarm
 * its itimer and send the parent SIGCHLD for the wait status. */
void signal_exit(struct proc *p, int status);

/* ---- sending ------------------------------------------------------- */

/*
 * Make sig (1..64) pending for p with info (NULL: SI_KERNEL), unless p
 * ignores it; a stop signal cancels a pending SIGCONT and SIGCONT
 * resumes a stopped p and cancels pending stops; SIGKILL resumes a
 * stopped p too. Wakes p from a sleep so an interruptible one returns
 * -EINTR. Interrupts on or off; never sleeps. 0, or -EINVAL for a bad
 * number. A process without signal state (or a zombie) drops it.
 */
int signal_send(struct proc *p, int sig, const siginfo_t *info);

/* Whether p has a signal that is pending and not blocked. */
bool signal_pending(struct proc *p);

/* kill(2) as the kernel does it for current (permission checks and all):
 * 0, -EINVAL, -EPERM or -ESRCH. */
int signal_kill(int pid, int sig);

/*
 * A user-mode exception in current: record trapno/err/addr and force sig
 * with si_code and si_addr (a blocked or ignored sig is unblocked and
 * reset to SIG_DFL, as the instruction would otherwise just fault
 * again). Delivery happens on the way out of the trap. Interrupts off.
 */
void signal_fault(struct trap_frame *tf, int sig, int code, uint64_t addr);

/* proc_user_fault's body: the signal and code for tf's vector, then
 * signal_fault. Logs a line when the signal is going to kill. */
void signal_user_trap(struct trap_frame *tf);

/* ---- the way back to user mode ----------------------------------------- */

/*
 * Called with interrupts off just before returning to user mode through
 * the user frame tf (system calls and interrupts/exceptions from ring 3):
 * takes due reschedules, then acts on every deliverable signal, lowest
 * number first (synchronous faults before the rest): the default action
 * (may not return: exit; or stop until continued) or a handler frame on
 * the user stack, rewriting tf. Returns with interrupts off.
 */
void signal_return(struct trap_frame *tf);

/* ---- wait4 ------------------------------------------------------------ */

/* A stop (options & WUNTRACED) or continue (options & WCONTINUED) of
 * child not yet reported: 1 and *status (consumed unless WNOWAIT), or 0.
 * Interrupts off. The parent's child_exit queue is woken on both. */
int signal_wait_report(struct proc *child, int options, int *status);

/* ---- timer (proc/itimer.c) ---------------------------------------- */

/* From the tick, interrupts off: SIGALRM for expired ITIMER_REALs. */
void itimer_tick(void);

/* Disarm p's ITIMER_REAL (exit). Interrupts off or on. */
void itimer_cancel(struct proc *p);

/* ---- scheduler side (proc/sched.c) --------------------------------------- */

/* Stop current (state PROC_STOPPED) until sched_continue; interrupts off. */
void sched_stop_current(void);

/* A STOPPED process becomes RUNNABLE; others are left alone. */
void sched_continue(struct proc *p);

#endif
