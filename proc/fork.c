/* fork, vfork and clone: a new process that is a copy of current, and
 * returns 0 from the same system call. The address space is copied by
 * mm_fork (copy-on-write), the fd table by the VFS, the signal state by
 * the signal code; this file puts them together. No threads yet: clone
 * takes only the flag sets that mean "fork". */
#include <proc.h>
#include <sched.h>
#include <signal.h>
#include <syscall.h>
#include <mm.h>
#include <vfs.h>
#include <io.h>
#include <pgtable.h>
#include <rlimit.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

#define CSIGNAL		0x000000ff	/* exit signal, low byte of the flags */
#define CLONE_VM	0x00000100
#define CLONE_VFORK	0x00004000

enum fork_kind {
	FORK_PLAIN,
	FORK_VFORK,	/* the parent waits until the child execs or exits */
};

/* The child's first code, after its first switch: back to user mode
 * through the frame fork copied from the parent. */
static int fork_child_start(void *arg)
{
	(void)arg;
	user_return(proc_frame(current));
}

/* Undo a fork whose child never ran. */
static void fork_abort(struct proc *child)
{
	if (child->files || child->cwd)
		fd_table_release(child);
	if (child->mm) {
		mm_destroy(child->mm);
		child->mm = NULL;
		child->pml4 = kernel_pml4_phys();
	}
	proc_reap(child);
}

/*
 * The copy of current: a new pid in the same process group and session,
 * with the same credentials, address space (COW), open files, cwd,
 * signal actions and mask, FPU registers, FS base and user registers,
 * apart from rax = 0 and, when newsp is nonzero, rsp = newsp. Returns
 * the child's pid, or -EINVAL (no address space to copy), -EAGAIN,
 * -ENOMEM.
 */
static long do_fork(enum fork_kind kind, uint64_t newsp)
{
	struct proc *parent = current, *child;
	struct trap_frame *tf;
	uint64_t flags;
	int pid, err;

	if (!parent->mm)
		return -EINVAL;
	err = rlimit_check_nproc(0);
	if (err)
		return err;
	err = proc_new(&child, parent->name, fork_child_start, NULL);
	if (err)
		return err;
	/* Again with the child in the table: two forks that both passed
	 * the check above while allocating must not both get the last
	 * slot (Linux counts the child first, then checks). */
	err = rlimit_check_nproc(1);
	if (err)
		goto out_abort;
	err = mm_fork(parent->mm, &child->mm);
	if (err)
		goto out_abort;
	child->pml4 = child->mm->pml4;
	err = fd_table_clone(child, parent);
	if (err)
		goto out_abort;
	if (child->signal && parent->signal)
		signal_fork(child, parent);

	child->flags &= ~PF_KTHREAD;
	child->flags |= parent->flags & PF_WX_RELAX;	/* same image, same W^X */
	child->fs_base = parent->fs_base;
	child->clear_child_tid = 0;
	tf = proc_frame(child);
	*tf = *proc_frame(parent);
	tf->rax = 0;
	if (newsp)
		tf->rsp = newsp;
	/* The parent's FPU registers are live (the kernel never uses
	 * them): save them straight into the child's area. */
	flags = irq_save();
	fpu_save(child->fpu);
	irq_restore(flags);

	pid = child->pid;
	if (kind == FORK_VFORK)
		child->vfork_parent = parent;
	sched_start(child);
	/* Only this process reaps the child, so it stays valid here. */
	if (kind == FORK_VFORK)
		wait_event(&parent->child_exit, !child->vfork_parent ||
			   child->state == PROC_ZOMBIE);
	return pid;

out_abort:
	fork_abort(child);
	return err;
}

SYSCALL_DEFINE(fork)
{
	return do_fork(FORK_PLAIN, 0);
}

/* vfork shares nothing here: a fork whose parent waits, which is all a
 * correct vfork caller can tell. */
SYSCALL_DEFINE(vfork)
{
	return do_fork(FORK_VFORK, 0);
}

/*
 * clone(flags, newsp, parent_tid, child_tid, tls): the two flag sets
 * musl uses without threads, SIGCHLD (fork) and CLONE_VM | CLONE_VFORK |
 * SIGCHLD (posix_spawn, system). The latter runs the child on newsp in a
 * copy of the memory rather than the same memory: posix_spawn's child
 * only reads what the parent prepared and reports through a pipe, and
 * the parent waits until it execs or exits, as with CLONE_VFORK.
 */
SYSCALL_DEFINE(clone)
{
	uint64_t fl = a0;

	if ((fl & CSIGNAL) != SIGCHLD)
		return -EINVAL;
	switch (fl & ~(uint64_t)CSIGNAL) {
	case 0:
		return do_fork(FORK_PLAIN, a1);
	case CLONE_VM | CLONE_VFORK:
		return do_fork(FORK_VFORK, a1);
	default:
		return -EINVAL;		/* threads and namespaces: not yet */
	}
}
