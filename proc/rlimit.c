/* Resource limits: getrlimit, setrlimit, prlimit64, the defaults, and
 * pushing a changed limit to where it is enforced: RLIMIT_NOFILE into
 * the fd table's max, RLIMIT_STACK into the mm's stack_limit, and the
 * RLIMIT_NPROC check fork makes. RLIMIT_AS, DATA and MEMLOCK are read
 * where mappings grow (mm/limits.c, mm/mlock.c). */
#include <proc.h>
#include <rlimit.h>
#include <syscall.h>
#include <uaccess.h>
#include <mm.h>
#include <vfs.h>
#include <io.h>
#include <string.h>
#include <uapi/errno.h>

#define INF		RLIM_INFINITY
#define NR_OPEN		(1u << 20)	/* Linux's fs.nr_open: NOFILE ceiling */

void rlimit_init_defaults(struct proc *p)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = (struct rlimit){ INF, INF };
	p->rlim[RLIMIT_STACK] = (struct rlimit){ MM_STACK_LIMIT, INF };
	p->rlim[RLIMIT_CORE] = (struct rlimit){ 0, INF };
	p->rlim[RLIMIT_NPROC] = (struct rlimit){ 4096, 4096 };
	p->rlim[RLIMIT_NOFILE] = (struct rlimit){ FD_DEFAULT_MAX, 4096 };
	p->rlim[RLIMIT_MEMLOCK] = (struct rlimit){ 8 << 20, 8 << 20 };
	p->rlim[RLIMIT_SIGPENDING] = (struct rlimit){ 4096, 4096 };
	p->rlim[RLIMIT_MSGQUEUE] = (struct rlimit){ 819200, 819200 };
	p->rlim[RLIMIT_NICE] = (struct rlimit){ 0, 0 };
	p->rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
}

uint64_t rlimit_stack_bytes(const struct proc *p)
{
	uint64_t lim = p->rlim[RLIMIT_STACK].rlim_cur;

	return lim > MM_USER_TOP ? MM_USER_TOP : lim;
}

static int nproc_count(struct proc *p, void *arg)
{
	uint32_t *uid_count = arg;	/* [0] the uid, [1] the count */

	if (p->cred.uid == uid_count[0])
		uid_count[1]++;
	return 0;
}

int rlimit_check_nproc(int counted)
{
	const struct cred *c = &current->cred;
	uint32_t uid_count[2] = { c->uid, 0 };

	if (c->uid == 0 || c->euid == 0)
		return 0;
	proc_for_each(nproc_count, uid_count);	/* interrupts off: one count */
	return uid_count[1] - counted >= current->rlim[RLIMIT_NPROC].rlim_cur ? -EAGAIN : 0;
}

/* Apply a new limit to p's enforcement points. Interrupts off or on; p is
 * current, or cannot run meanwhile (prlimit64 holds interrupts off). */
static void rlimit_apply(struct proc *p, int res)
{
	uint64_t cur = p->rlim[res].rlim_cur;

	if (res == RLIMIT_NOFILE && p->files)
		p->files->max = (int)(cur > NR_OPEN ? NR_OPEN : cur);
	if (res == RLIMIT_STACK && p->mm)
		p->mm->stack_limit = rlimit_stack_bytes(p);
}

/* Whether current may read and change p's limits: itself, root, or a
 * process whose ids all equal current's real ones (Linux's rule). */
static bool rlimit_may_access(const struct proc *p)
{
	const struct cred *c = &current->cred, *t = &p->cred;

	if (p == current || c->euid == 0)
		return true;
	return t->uid == c->uid && t->euid == c->uid && t->suid == c->uid &&
	       t->gid == c->gid && t->egid == c->gid && t->sgid == c->gid;
}

/* Check new against p's limit res: -EINVAL (soft above hard), -EPERM
 * (raising the hard limit without root, or NOFILE above NR_OPEN). */
static int rlimit_check(const struct proc *p, int res, const struct rlimit *new)
{
	if (new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new->rlim_max > p->rlim[res].rlim_max && current->cred.euid != 0)
		return -EPERM;
	if (res == RLIMIT_NOFILE && new->rlim_max > NR_OPEN)
		return -EPERM;
	return 0;
}

/*
 * prlimit64 and the two older calls: read p's limit res into old (a
 * user pointer, 0: no) and then set it from new (0: no). The fd table
 * is made first when NOFILE changes, so its max always follows the limit.
 */
static long do_prlimit(int pid, unsigned res, uint64_t unew, uint64_t uold)
{
	struct rlimit new, old;
	struct proc *p;
	uint64_t flags;
	int err;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	if (unew && res == RLIMIT_NOFILE && (!pid || pid == current->pid)) {
		err = vfs_proc_init(current);
		if (err)
			return err;
	}
	flags = irq_save();
	p = pid ? proc_find(pid) : current;
	err = -ESRCH;
	if (!p || p->state == PROC_ZOMBIE || p->state == PROC_DEAD)
		goto out;
	err = -EPERM;
	if (!rlimit_may_access(p))
		goto out;
	old = p->rlim[res];
	err = unew ? rlimit_check(p, res, &new) : 0;
	if (err)
		goto out;
	if (unew) {
		p->rlim[res] = new;
		rlimit_apply(p, res);
	}
out:
	irq_restore(flags);
	if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

SYSCALL_DEFINE(getrlimit)
{
	if (!a1)
		return -EFAULT;
	return do_prlimit(0, (unsigned)a0, 0, a1);
}

SYSCALL_DEFINE(setrlimit)
{
	if (!a1)
		return -EFAULT;
	return do_prlimit(0, (unsigned)a0, a1, 0);
}

SYSCALL_DEFINE(prlimit64)
{
	return do_prlimit((int)a0, (unsigned)a1, a2, a3);
}
