/* Processes (proc/proc.c): struct proc, the pid allocator, kernel threads,
 * entering user mode, exit, a minimal kernel-side wait and the reaping of
 * zombies, and turning user-mode exceptions into a signal death. Run
 * queues and sleeping are sched.h's; fork/exec/signals come later. */
#ifndef PROC_H
#define PROC_H
#include <stdint.h>
#include <compiler.h>
#include <layout.h>
#include <sched.h>
#include <trap.h>
#include <uapi/resource.h>

struct mm;
struct files;
struct inode;
struct signal_state;

#define PID_MAX		32768	/* pids are 1..PID_MAX-1; 0 is idle */
#define KSTACK_SIZE	(16 * 1024)
#define PROC_NAME_LEN	16

enum proc_state {
	PROC_NEW,		/* made, not yet started */
	PROC_RUNNING,		/* on the CPU (== current) */
	PROC_RUNNABLE,		/* on the run queue */
	PROC_SLEEPING,		/* on a wait queue and/or the timer list */
	PROC_STOPPED,		/* job control: until SIGCONT (signal.h) */
	PROC_ZOMBIE,		/* exited; holds its status until reaped */
	PROC_DEAD,		/* exited with nobody to reap it: freed by the
				   scheduler once switched away from */
};

#define CRED_NGROUPS	32	/* setgroups beyond this: -EINVAL */

struct cred {
	uint32_t uid, gid;	/* real */
	uint32_t euid, egid;	/* effective: what permission checks use */
	uint32_t suid, sgid;	/* saved set-user/group-ID */
	int ngroups;		/* supplementary groups (proc/cred.c): */
	uint32_t groups[CRED_NGROUPS];	/* [0, ngroups) */
};

#define PF_KTHREAD	0x1	/* has never been to user mode */
#define PF_EXECED	0x2	/* has exec'd since fork: setpgid on it by
				   the parent is -EACCES (proc/pgrp.c) */
#define PF_WX_RELAX	0x4	/* W^X lifted (PR_SET_WX_RELAX, mm/wx.c):
				   fork copies it, exec clears it */

/*
 * One process (one thread: there are no threads yet).
 *
 * Locking: one CPU. Fields marked [irq] change only with interrupts off;
 * [own] are changed only by the process itself (or before it starts, or
 * after it died); [const] are fixed at creation.
 */
struct proc {
	/* scheduler (proc/sched.c) */
	uint64_t ksp;			/* [irq] saved kernel rsp while off-CPU */
	enum proc_state state;		/* [irq] */
	struct qlink run_link;		/* [irq] run queue, while RUNNABLE */
	struct qlink timer_link;	/* [irq] timed sleepers, by wake_at */
	uint64_t wake_at;		/* [irq] deadline (monotonic ns) */
	unsigned slice;			/* [irq] ticks left in the time slice */

	/* identity and family */
	int pid;			/* [const] */
	int pgid, sid;			/* [own] process group, session */
	struct proc *parent;		/* [irq] NULL only for idle and kmain */
	struct qlink children;		/* [irq] struct proc.sibling */
	struct qlink sibling;		/* [irq] in parent->children */
	struct qlink all_link;		/* [irq] in the list of every process */
	struct waitq child_exit;	/* woken when a child becomes a zombie */
	struct cred cred;		/* [own] root at first */
	unsigned flags;			/* [own] PF_* */
	int exit_status;		/* [irq] wait status, valid once ZOMBIE */
	char name[PROC_NAME_LEN];	/* [own] NUL-terminated */
	struct rlimit rlim[RLIM_NLIMITS];	/* [own] proc/rlimit.c; fork
						   copies, exec keeps */
	/* CPU time in timer ticks (sched_tick charges current): own, and
	 * that of reaped children (added in proc_reap), for times(2). */
	uint64_t utime, stime;		/* [irq] user / kernel mode */
	uint64_t cutime, cstime;	/* [irq] */

	/* kernel stack: [kstack_top - kstack_size, kstack_top), with an
	 * unmapped guard page below; kstack_size 0 for kmain's boot stack,
	 * which is not ours to free. The user trap frame sits at the top. */
	void *kstack_top;		/* [const] */
	size_t kstack_size;		/* [const] */

	void *fpu;			/* [own] FPU save area (fpu_alloc) */

	/* Address space. pml4 is what CR3 gets: kernel_pml4_phys() for a
	 * kernel thread; otherwise a pt_create() root owned by the process,
	 * whose page tables exit frees (pt_destroy); or, for a process with
	 * an address space (mm.h), always mm->pml4, so the scheduler's CR3
	 * switch loads the mm's root. Exit destroys the mm (mm_destroy:
	 * VMAs, frames, tables). The frames mapped in a bare root belong to
	 * whoever mapped them. */
	paddr_t pml4;			/* [irq] */
	struct mm *mm;			/* [irq] NULL: kernel thread or bare root */

	/* Later subsystems; NULL for now. */
	struct files *files;		/* [own] fd table and umask (vfs.h);
					   NULL: none yet, made on first use */
	struct inode *cwd;		/* [own] referenced; NULL: the root */
	struct signal_state *signal;	/* signal.h; NULL only for idle */

	/* Program image state (proc/exec.c, proc/fork.c): fork copies it,
	 * exec resets it. */
	uint64_t fs_base;		/* [own] user FS base (arch_prctl): the
					   scheduler loads it on every switch */
	uint64_t clear_child_tid;	/* [own] set_tid_address; for threads */
	struct proc *vfork_parent;	/* [irq] blocked in vfork/CLONE_VFORK
					   until this child execs or exits */
};

/* The process on the CPU. Single CPU: a plain global, set only by the
 * scheduler with interrupts off. */
extern struct proc *current;

/* The user-mode register frame of p: at the top of its kernel stack,
 * where the CPU (TSS.RSP0) and syscall_entry both build it. */
static inline struct trap_frame *proc_frame(struct proc *p)
{
	return (struct trap_frame *)p->kstack_top - 1;
}

/* ---- creation ---------------------------------------------------------- */

/* A new process in state PROC_NEW, child of current, with a pid, a 16 KiB
 * kernel stack, a clean FPU area, current's credentials, process group
 * and session, and the kernel address space. It first runs fn(arg) in
 * kernel mode, and exits with fn's return value as its exit code when fn
 * returns. 0 and *out, -EAGAIN (no pid) or -ENOMEM. */
typedef int (*kthread_fn)(void *arg);
int proc_new(struct proc **out, const char *name, kthread_fn fn, void *arg);

/* A kernel thread: proc_new + sched_start. NULL when out of pids or
 * memory (proc_new says which). */
struct proc *kthread_create(const char *name, kthread_fn fn, void *arg);

/* A new process that starts in user mode at rip with stack rsp in the
 * address space root (a pt_create() root; the process takes it over on
 * success, and pt_destroys it at exit), with every other register zero,
 * the FPU clean and IF on. 0 and *out (may be NULL), or -errno. */
int proc_spawn_user(struct proc **out, const char *name, paddr_t root,
		    uint64_t rip, uint64_t rsp);

/* The same in the address space mm (mm.h), which the process takes over
 * on success and destroys at exit. */
int proc_spawn_mm(struct proc **out, const char *name, struct mm *mm,
		  uint64_t rip, uint64_t rsp);

/* Leave the kernel for user mode in current's address space: rip, rsp,
 * zeroed general registers, user selectors, IF on, a clean FPU. The
 * kernel stack is abandoned. Interrupts on or off. */
__noreturn void user_enter(uint64_t rip, uint64_t rsp);

/* ---- exit and wait ------------------------------------------------------ */

/* Terminate current with a wait status (W_EXITCODE form): release its
 * address space, hand its children to kmain (pid 1), become a zombie for
 * the parent to reap (or DEAD when there is none), and switch away for
 * good. The kernel stack and struct proc go when reaped. */
__noreturn void proc_exit(int status);

/* Kernel-side wait: block until a child (pid > 0: that one; -1: any)
 * is a zombie, reap it and return its pid, with its status in *status
 * (may be NULL). -ECHILD if there is no such child. wait4 builds on it. */
int proc_wait(int pid, int *status);

/* Unlink a zombie child from its parent and every list and free it;
 * wait4 and proc_wait, after taking its status. */
void proc_reap(struct proc *child);

/* Reap every zombie child of current without sleeping (pid 1 running as
 * kmain on the test boot, whose adopted orphans nobody waits for);
 * returns how many (proc/pgrp.c). */
int proc_reap_zombies(void);

/* The process with this pid, or NULL. Interrupts off or preemption held:
 * the result is only good until the caller can be switched away. */
struct proc *proc_find(int pid);

/*
 * An exception in user mode (trap.c, after any registered handler
 * declined): raise the signal the vector stands for (SIGSEGV, SIGILL,
 * SIGFPE, SIGBUS, SIGTRAP) with signal_user_trap; it is acted on (a
 * handler, or the default: death) on the way back to user mode.
 */
void proc_user_fault(struct trap_frame *tf);

/* Call fn(p, arg) for every process but idle, interrupts off, until fn
 * returns nonzero; returns that value, or 0. fn must not sleep. */
int proc_for_each(int (*fn)(struct proc *p, void *arg), void *arg);

/*
 * Out of memory in a user page fault (proc/oom.c): SIGKILL to the process
 * with the largest resident set (not pid 1, not a kernel thread; perhaps
 * current), logged, then a short wait for its memory, so the caller can
 * retry the access. While an earlier victim is still dying it only waits.
 * 0, or -ENOMEM when no process can be chosen. May sleep; any IF state.
 */
int oom_kill(void);

/* The signal a user-mode exception vector turns into. */
int proc_fault_signal(uint64_t vector);

/* The stack kmain moved to from the boot stack (one with a guard page,
 * kstack_alloc'd), before sched_init: pid 1 keeps it for life. */
void proc_set_boot_stack(void *top);

/* Internal to proc/, for sched_init and the scheduler: the boot thread
 * as pid 1 and the idle process as pid 0 (0 or -ENOMEM), and freeing a
 * process that is off the CPU for good (interrupts off or on). */
int proc_adopt_boot(struct proc **out);
int proc_new_idle(struct proc **out, kthread_fn idle_fn);
void proc_free(struct proc *p);

#endif
