/* Processes: the pid allocator, the table of every process, creating
 * kernel threads and user processes, entering user mode, exit, the
 * minimal kernel-side wait and reaping, and handing a process that
 * faulted in user mode to the signal code. Who runs when is
 * proc/sched.c's business. */
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <trap.h>
#include <pgtable.h>
#include <mm.h>
#include <signal.h>
#include <vfs.h>
#include <kmalloc.h>
#include <rlimit.h>
#include <printk.h>
#include <panic.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/wait.h>

#define RFLAGS_RESERVED	(1ul << 1)	/* always set */
#define RFLAGS_IF	(1ul << 9)

struct proc *current;

/* Every process but idle, in creation order: [irq]. */
static struct qlink all_procs = QLINK_INIT(all_procs);
static struct proc *init_proc;		/* pid 1: adopts orphans */

/* ---- pids ------------------------------------------------------------ */

/*
 * One bit per pid, set while a process (zombies included) holds it. New
 * pids go upwards from the last one handed out and wrap to 2, so a pid is
 * reused only after the whole range went round. [irq]
 */
static uint64_t pid_used[PID_MAX / 64];
static int pid_last = 1;

static bool pid_taken(int pid)
{
	return pid_used[pid / 64] & (1ull << (pid % 64));
}

static void pid_mark(int pid, bool used)
{
	if (used)
		pid_used[pid / 64] |= 1ull << (pid % 64);
	else
		pid_used[pid / 64] &= ~(1ull << (pid % 64));
}

/* The next free pid after pid_last, or -EAGAIN when all are taken. */
static int pid_alloc(void)
{
	uint64_t flags = irq_save();
	int pid = pid_last;

	for (int n = 0; n < PID_MAX; n++) {
		if (++pid >= PID_MAX)
			pid = 2;	/* 0 is idle, 1 is kmain/init */
		if (!pid_taken(pid)) {
			pid_mark(pid, true);
			pid_last = pid;
			irq_restore(flags);
			return pid;
		}
	}
	irq_restore(flags);
	return -EAGAIN;
}

static void pid_free(int pid)
{
	uint64_t flags = irq_save();

	BUG_ON(pid <= 0 || pid >= PID_MAX || !pid_taken(pid));
	pid_mark(pid, false);
	irq_restore(flags);
}

struct proc *proc_find(int pid)
{
	uint64_t flags = irq_save();
	struct proc *found = NULL;

	for (struct qlink *l = all_procs.next; l != &all_procs; l = l->next) {
		struct proc *p = qlink_entry(l, struct proc, all_link);

		if (p->pid == pid) {
			found = p;
			break;
		}
	}
	irq_restore(flags);
	return found;
}

int proc_for_each(int (*fn)(struct proc *p, void *arg), void *arg)
{
	uint64_t flags = irq_save();
	int ret = 0;

	for (struct qlink *l = all_procs.next; l != &all_procs && !ret; l = l->next)
		ret = fn(qlink_entry(l, struct proc, all_link), arg);
	irq_restore(flags);
	return ret;
}

/* ---- creation -------------------------------------------------------- */

extern char proc_trampoline[];		/* proc/switch.asm */
__noreturn void kthread_entry(kthread_fn fn, void *arg);

static void proc_set_name(struct proc *p, const char *name)
{
	size_t n = strnlen(name, PROC_NAME_LEN - 1);

	memcpy(p->name, name, n);
	p->name[n] = 0;
}

/*
 * The stack a new process is first switched to: what switch_context
 * (proc/switch.asm) pops, r15 first, then its return address, which is
 * proc_trampoline; it passes r12 and r13 to kthread_entry. The frame
 * sits below the user trap frame's slot, and is placed so that the
 * trampoline runs with rsp 16-byte aligned, as a call site must.
 */
static void proc_init_stack(struct proc *p, kthread_fn fn, void *arg)
{
	uint64_t *sp = (uint64_t *)((char *)proc_frame(p) - 16) - 7;

	sp[0] = 0;			/* r15 */
	sp[1] = 0;			/* r14 */
	sp[2] = (uint64_t)arg;		/* r13 */
	sp[3] = (uint64_t)fn;		/* r12 */
	sp[4] = 0;			/* rbx */
	sp[5] = 0;			/* rbp: ends backtraces */
	sp[6] = (uint64_t)proc_trampoline;
	p->ksp = (uint64_t)sp;
}

/* Fields every process starts with; pid, stack and FPU are the caller's. */
static void proc_init_fields(struct proc *p, const char *name)
{
	p->state = PROC_NEW;
	qlink_init(&p->run_link);
	qlink_init(&p->timer_link);
	qlink_init(&p->children);
	qlink_init(&p->sibling);
	qlink_init(&p->all_link);
	waitq_init(&p->child_exit);
	p->flags = PF_KTHREAD;
	p->pml4 = kernel_pml4_phys();
	proc_set_name(p, name);
}

int proc_new(struct proc **out, const char *name, kthread_fn fn, void *arg)
{
	struct proc *p, *parent = current;
	uint64_t flags;
	int err;

	p = kzalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	proc_init_fields(p, name);
	err = p->pid = pid_alloc();
	if (err < 0)
		goto out_free_proc;
	err = -ENOMEM;
	p->kstack_top = kstack_alloc(KSTACK_SIZE);
	if (!p->kstack_top)
		goto out_free_pid;
	p->kstack_size = KSTACK_SIZE;
	p->fpu = fpu_alloc();
	if (!p->fpu)
		goto out_free_stack;
	err = signal_init(p);
	if (err)
		goto out_free_fpu;

	p->cred = parent->cred;
	p->pgid = parent->pgid;
	p->sid = parent->sid;
	memcpy(p->rlim, parent->rlim, sizeof(p->rlim));
	proc_init_stack(p, fn, arg);

	flags = irq_save();
	p->parent = parent;
	qlink_add_tail(&parent->children, &p->sibling);
	qlink_add_tail(&all_procs, &p->all_link);
	irq_restore(flags);
	*out = p;
	return 0;

out_free_fpu:
	fpu_free(p->fpu);
out_free_stack:
	kstack_free(p->kstack_top, KSTACK_SIZE);
out_free_pid:
	pid_free(p->pid);
out_free_proc:
	kfree(p);
	return err;
}

struct proc *kthread_create(const char *name, kthread_fn fn, void *arg)
{
	struct proc *p;

	if (proc_new(&p, name, fn, arg) < 0)
		return NULL;
	sched_start(p);
	return p;
}

/*
 * First code of every new process, from proc_trampoline with interrupts
 * off, just after the switch to it.
 */
void kthread_entry(kthread_fn fn, void *arg)
{
	sched_finish_switch();
	irq_enable();
	proc_exit(W_EXITCODE(fn(arg), 0));
}

/* A user process's kernel half: the trap frame is already in place. */
static int user_start(void *arg)
{
	(void)arg;
	user_return(proc_frame(current));
}

static void user_frame_init(struct trap_frame *tf, uint64_t rip, uint64_t rsp)
{
	memset(tf, 0, sizeof(*tf));
	tf->rip = rip;
	tf->cs = SEL_UCODE;
	tf->rflags = RFLAGS_IF | RFLAGS_RESERVED;
	tf->rsp = rsp;
	tf->ss = SEL_UDATA;
}

static int proc_spawn(struct proc **out, const char *name, paddr_t root,
		      struct mm *mm, uint64_t rip, uint64_t rsp)
{
	struct proc *p;
	int err = proc_new(&p, name, user_start, NULL);

	if (err)
		return err;
	p->pml4 = root;
	p->mm = mm;
	p->flags &= ~PF_KTHREAD;
	user_frame_init(proc_frame(p), rip, rsp);
	if (out)
		*out = p;
	sched_start(p);
	return 0;
}

int proc_spawn_user(struct proc **out, const char *name, paddr_t root,
		    uint64_t rip, uint64_t rsp)
{
	return proc_spawn(out, name, root, NULL, rip, rsp);
}

int proc_spawn_mm(struct proc **out, const char *name, struct mm *mm,
		  uint64_t rip, uint64_t rsp)
{
	return proc_spawn(out, name, mm->pml4, mm, rip, rsp);
}

/*
 * The frame goes at the top of the kernel stack; whatever current was
 * doing in the kernel lies below it (or, for kmain on the boot stack,
 * partly in it: those frames are never returned to).
 */
void user_enter(uint64_t rip, uint64_t rsp)
{
	struct trap_frame *tf = proc_frame(current);

	irq_disable();
	current->flags &= ~PF_KTHREAD;
	user_frame_init(tf, rip, rsp);
	fpu_reset(current->fpu);
	fpu_restore(current->fpu);
	user_return(tf);
}

/* ---- the boot thread and idle ------------------------------------------ */

extern char boot_stack_top[];		/* boot/entry.asm: kmain's first stack */
static void *boot_kstack = boot_stack_top;

void proc_set_boot_stack(void *top)
{
	boot_kstack = top;
}

int proc_adopt_boot(struct proc **out)
{
	struct proc *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	proc_init_fields(p, "kmain");
	p->fpu = fpu_alloc();
	if (!p->fpu || signal_init(p) < 0) {
		fpu_free(p->fpu);
		kfree(p);
		return -ENOMEM;
	}
	p->pid = p->pgid = p->sid = 1;
	rlimit_init_defaults(p);	/* every process inherits them */
	pid_mark(0, true);
	pid_mark(1, true);
	p->kstack_top = boot_kstack;
	p->kstack_size = 0;	/* never freed: pid 1 never goes */
	p->state = PROC_RUNNING;
	qlink_add_tail(&all_procs, &p->all_link);
	init_proc = p;
	*out = p;
	return 0;
}

int proc_new_idle(struct proc **out, kthread_fn idle_fn)
{
	struct proc *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	proc_init_fields(p, "idle");
	p->kstack_top = kstack_alloc(KSTACK_SIZE);
	if (!p->kstack_top)
		goto out_free_proc;
	p->kstack_size = KSTACK_SIZE;
	p->fpu = fpu_alloc();
	if (!p->fpu)
		goto out_free_stack;
	p->pid = 0;
	proc_init_stack(p, idle_fn, NULL);
	*out = p;
	return 0;

out_free_stack:
	kstack_free(p->kstack_top, KSTACK_SIZE);
out_free_proc:
	kfree(p);
	return -ENOMEM;
}

/* ---- exit, wait, reap ------------------------------------------------- */

void proc_free(struct proc *p)
{
	pid_free(p->pid);
	if (p->kstack_size)
		kstack_free(p->kstack_top, p->kstack_size);
	fpu_free(p->fpu);
	signal_free(p);
	kfree(p);
}

/*
 * Drop the user half. CR3 moves to the kernel's tables first, and pml4
 * with it, so that a preemption meanwhile switches back to tables that
 * still exist.
 */
static void proc_release_memory(struct proc *p)
{
	paddr_t kernel = kernel_pml4_phys(), old;
	uint64_t flags = irq_save();
	struct mm *mm = p->mm;

	old = p->pml4;
	p->pml4 = kernel;
	p->mm = NULL;
	if (old != kernel)
		write_cr3(kernel);
	irq_restore(flags);
	if (mm)
		mm_destroy(mm);
	else if (old != kernel)
		pt_destroy(old);
}

/* Hand p's children to init; a zombie among them is init's to reap. [irq] */
static void proc_reparent_children(struct proc *p)
{
	bool zombies = false;

	while (!qlink_empty(&p->children)) {
		struct qlink *l = p->children.next;
		struct proc *c = qlink_entry(l, struct proc, sibling);

		qlink_del(l);
		c->parent = init_proc;
		qlink_add_tail(&init_proc->children, l);
		zombies |= c->state == PROC_ZOMBIE;
	}
	if (zombies)
		wake_up_all(&init_proc->child_exit);
}

void proc_exit(int status)
{
	struct proc *p = current;

	if (p == init_proc)
		panic("kernel: init (pid 1) exited with status %#x", status);
	BUG_ON(p->pid == 0);
	/* Open files and cwd go first: closing may sleep (vfs_lock). */
	fd_table_release(p);
	proc_release_memory(p);

	irq_disable();
	proc_reparent_children(p);
	p->exit_status = status;
	if (p->parent) {
		p->state = PROC_ZOMBIE;
		wake_up_all(&p->parent->child_exit);
	} else {
		p->state = PROC_DEAD;
		qlink_del(&p->all_link);
	}
	signal_exit(p, status);		/* SIGCHLD, timers off */
	schedule();
	panic("proc_exit: pid %d ran again after exiting", p->pid);
}

/* 0 and *out for a zombie child matching pid (-1: any), -EAGAIN while the
 * matching children all live, -ECHILD when there are none. [irq] */
static int proc_find_zombie(struct proc *parent, int pid, struct proc **out)
{
	bool any = false;

	for (struct qlink *l = parent->children.next; l != &parent->children; l = l->next) {
		struct proc *c = qlink_entry(l, struct proc, sibling);

		if (pid > 0 && c->pid != pid)
			continue;
		any = true;
		if (c->state == PROC_ZOMBIE) {
			*out = c;
			return 0;
		}
	}
	return any ? -EAGAIN : -ECHILD;
}

int proc_wait(int pid, int *status)
{
	struct proc *child = NULL;
	int err;

	if (pid == 0 || pid < -1)
		return -EINVAL;	/* process groups: with wait4 */
	wait_event(&current->child_exit,
		   (err = proc_find_zombie(current, pid, &child)) != -EAGAIN);
	if (err)
		return err;

	pid = child->pid;
	if (status)
		*status = child->exit_status;
	proc_reap(child);
	return pid;
}

void proc_reap(struct proc *child)
{
	uint64_t flags = irq_save();

	/* times(2): the reaper's children's time includes this one's. */
	if (child->parent) {
		child->parent->cutime += child->utime + child->cutime;
		child->parent->cstime += child->stime + child->cstime;
	}
	qlink_del(&child->sibling);
	qlink_del(&child->all_link);
	irq_restore(flags);
	proc_free(child);
}

/* ---- user-mode exceptions ---------------------------------------------- */

int proc_fault_signal(uint64_t vector)
{
	switch (vector) {
	case VEC_DE: case VEC_MF: case VEC_XM:
		return SIGFPE;
	case VEC_DB: case VEC_BP:
		return SIGTRAP;
	case VEC_UD:
		return SIGILL;
	case VEC_NP: case VEC_SS: case VEC_AC:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

void proc_user_fault(struct trap_frame *tf)
{
	signal_user_trap(tf);
}
