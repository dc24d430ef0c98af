/* Process groups and sessions: setpgid, getpgid, getpgrp, setsid,
 * getsid, with Linux's rules and errno values, and pid 1's reaping of
 * adopted zombies. Handing orphans to pid 1 is proc_exit's (proc.c);
 * the controlling terminal is the tty code's. */
#include <proc.h>
#include <syscall.h>
#include <io.h>
#include <uapi/errno.h>

/* Whether some process other than skip is in group pgid of session sid
 * (sid 0: any session). Interrupts off. */
struct pgrp_query {
	int pgid, sid;
	const struct proc *skip;
};

static int pgrp_match(struct proc *p, void *arg)
{
	const struct pgrp_query *q = arg;

	return p != q->skip && p->pgid == q->pgid && (!q->sid || p->sid == q->sid);
}

static bool pgrp_exists(int pgid, int sid, const struct proc *skip)
{
	struct pgrp_query q = { pgid, sid, skip };

	return proc_for_each(pgrp_match, &q);
}

/*
 * setpgid(pid, pgid), as Linux decides it:
 *   pgid < 0                                       -EINVAL
 *   pid is neither the caller nor its child        -ESRCH
 *   a child in another session                     -EPERM
 *   a child that has exec'd                        -EACCES
 *   the target leads its session                   -EPERM
 *   pgid names no group in the caller's session    -EPERM
 * pid 0 is the caller; pgid 0 is the target's pid.
 */
static long do_setpgid(int pid, int pgid)
{
	struct proc *self = current, *p;
	uint64_t flags;
	long err;

	if (pgid < 0)
		return -EINVAL;
	flags = irq_save();
	p = pid ? proc_find(pid) : self;
	err = -ESRCH;
	if (!p || (p != self && p->parent != self))
		goto out;
	if (!pgid)
		pgid = p->pid;
	if (p != self) {
		err = -EPERM;
		if (p->sid != self->sid)
			goto out;
		err = -EACCES;
		if (p->flags & PF_EXECED)
			goto out;
	}
	err = -EPERM;
	if (p->sid == p->pid)
		goto out;
	if (pgid != p->pid && !pgrp_exists(pgid, self->sid, NULL))
		goto out;
	p->pgid = pgid;
	err = 0;
out:
	irq_restore(flags);
	return err;
}

SYSCALL_DEFINE(setpgid)
{
	return do_setpgid((int)a0, (int)a1);
}

/* The process pid names (0: the caller), or NULL. Interrupts off. */
static struct proc *pgrp_target(int pid)
{
	return pid ? proc_find(pid) : current;
}

SYSCALL_DEFINE(getpgid)
{
	uint64_t flags = irq_save();
	struct proc *p = pgrp_target((int)a0);
	long ret = p ? p->pgid : -ESRCH;

	irq_restore(flags);
	return ret;
}

SYSCALL_DEFINE(getpgrp)
{
	return current->pgid;
}

SYSCALL_DEFINE(getsid)
{
	uint64_t flags = irq_save();
	struct proc *p = pgrp_target((int)a0);
	long ret = p ? p->sid : -ESRCH;

	irq_restore(flags);
	return ret;
}

/* setsid: a new session and group, both named by the caller's pid;
 * -EPERM when a group with that id exists already (the caller leads
 * one, or one outlived its leader), as on Linux. */
SYSCALL_DEFINE(setsid)
{
	struct proc *self = current;
	uint64_t flags = irq_save();
	long ret = -EPERM;

	if (!pgrp_exists(self->pid, 0, NULL)) {
		self->pgid = self->sid = self->pid;
		ret = self->pid;
	}
	irq_restore(flags);
	return ret;
}

/* ---- pid 1 -------------------------------------------------------------- */

int proc_reap_zombies(void)
{
	int n = 0;

	for (;;) {
		struct proc *z = NULL;
		uint64_t flags = irq_save();

		for (struct qlink *l = current->children.next;
		     l != &current->children; l = l->next) {
			struct proc *c = qlink_entry(l, struct proc, sibling);

			if (c->state == PROC_ZOMBIE) {
				z = c;
				break;
			}
		}
		irq_restore(flags);
		if (!z)
			return n;
		proc_reap(z);
		n++;
	}
}
