/* wait4: a parent collecting the status of its children, by pid, any,
 * its own process group or another. Zombies are reaped here; stops and
 * continues are reported from the signal code's record (signal.h).
 * Exit itself, and handing orphans to init, are proc/proc.c's. */
#include <proc.h>
#include <sched.h>
#include <signal.h>
#include <syscall.h>
#include <uaccess.h>
#include <io.h>
#include <uapi/errno.h>
#include <uapi/wait.h>

#define WNOTHREAD	0x20000000	/* Linux's __WNOTHREAD, __WALL, __WCLONE: */
#define WALL		0x40000000	/* about threads, which do not exist yet */
#define WCLONE		0x80000000
#define RUSAGE_SIZE	144		/* struct rusage on x86-64 */

struct wait_req {
	int pid;		/* wait4's: > 0, -1, 0 (own group), < -1 */
	int options;
	struct proc *child;	/* result */
	int status;
	bool reap;		/* a zombie: reap it after taking the status */
};

static bool wait_matches(const struct proc *parent, const struct proc *c, int pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == -1)
		return true;
	if (pid == 0)
		return c->pgid == parent->pgid;
	return c->pgid == -pid;
}

/*
 * Look for a child with something to report: 0 with req->child, -EAGAIN
 * while matching children have nothing yet, -ECHILD when none match.
 * Interrupts off (it is a wait_event condition).
 */
static int wait_scan(struct proc *parent, struct wait_req *req)
{
	bool any = false;

	for (struct qlink *l = parent->children.next; l != &parent->children; l = l->next) {
		struct proc *c = qlink_entry(l, struct proc, sibling);

		if (!wait_matches(parent, c, req->pid))
			continue;
		any = true;
		if (c->state == PROC_ZOMBIE) {
			req->child = c;
			req->status = c->exit_status;
			req->reap = true;
			return 0;
		}
		if ((req->options & (WUNTRACED | WCONTINUED)) && c->signal &&
		    signal_wait_report(c, req->options, &req->status)) {
			req->child = c;
			req->reap = false;
			return 0;
		}
	}
	return any ? -EAGAIN : -ECHILD;
}

/* wait4(pid, status, options, rusage). Resource usage is not kept yet:
 * a non-NULL rusage gets zeros. */
SYSCALL_DEFINE(wait4)
{
	struct wait_req req = { .pid = (int)a0, .options = (int)a2 };
	uint64_t flags;
	int err, pid;

	if (req.options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE))
		return -EINVAL;
	if (req.pid == INT32_MIN)
		return -ESRCH;		/* -INT_MIN has no group to name */
	if (req.options & WNOHANG) {
		flags = irq_save();
		err = wait_scan(current, &req);
		irq_restore(flags);
		if (err == -EAGAIN)
			return 0;
	} else {
		int scan = -EAGAIN;

		err = wait_event_interruptible(&current->child_exit,
				(scan = wait_scan(current, &req)) != -EAGAIN);
		if (!err)
			err = scan;
	}
	if (err)
		return err;

	pid = req.child->pid;
	if (req.reap)
		proc_reap(req.child);
	if (a1 && copy_to_user(a1, &req.status, sizeof(int)))
		return -EFAULT;
	if (a3 && clear_user(a3, RUSAGE_SIZE))
		return -EFAULT;
	return pid;
}
