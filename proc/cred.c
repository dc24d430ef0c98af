/* Credentials: set/get of real, effective and saved user and group ids,
 * and the supplementary groups, with Linux's rules. Without capabilities,
 * "privileged" means effective uid 0 (CAP_SETUID, CAP_SETGID). fork
 * copies struct cred (proc_new); exec keeps it (no set-id files yet). */
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>
#include <string.h>
#include <uapi/errno.h>

#define ID_KEEP		((uint32_t)-1)	/* "leave unchanged" in set*id */
#define NGROUPS_MAX	65536		/* Linux's, for getgroups' EINVAL */

static bool cred_privileged(void)
{
	return current->cred.euid == 0;
}

/* One id triple (real, effective, saved), so that the uid and gid calls
 * share their rules. */
struct id3 {
	uint32_t *r, *e, *s;
};

static struct id3 cred_uids(struct cred *c) { return (struct id3){ &c->uid, &c->euid, &c->suid }; }
static struct id3 cred_gids(struct cred *c) { return (struct id3){ &c->gid, &c->egid, &c->sgid }; }

static bool id_is_one_of(uint32_t id, const struct id3 *t)
{
	return id == *t->r || id == *t->e || id == *t->s;
}

/* setuid/setgid: privileged sets all three; otherwise only the effective
 * id, and only to the real or saved one. */
static long id_set(struct id3 t, uint32_t id)
{
	if (id == ID_KEEP)
		return -EINVAL;
	if (cred_privileged()) {
		*t.r = *t.e = *t.s = id;
		return 0;
	}
	if (id != *t.r && id != *t.s)
		return -EPERM;
	*t.e = id;
	return 0;
}

/* setresuid/setresgid: unprivileged, each new id must be one of the
 * current three. -1 keeps a field. Nothing changes on error. */
static long id_setres(struct id3 t, uint32_t r, uint32_t e, uint32_t s)
{
	if (!cred_privileged() &&
	    ((r != ID_KEEP && !id_is_one_of(r, &t)) ||
	     (e != ID_KEEP && !id_is_one_of(e, &t)) ||
	     (s != ID_KEEP && !id_is_one_of(s, &t))))
		return -EPERM;
	if (r != ID_KEEP)
		*t.r = r;
	if (e != ID_KEEP)
		*t.e = e;
	if (s != ID_KEEP)
		*t.s = s;
	return 0;
}

/* setreuid/setregid: unprivileged, the real id may become the effective
 * one, the effective id the real, effective or saved one. The saved id
 * follows the new effective id when the real one is set, or when the
 * effective one becomes something other than the old real one. */
static long id_setre(struct id3 t, uint32_t r, uint32_t e)
{
	uint32_t old_r = *t.r;

	if (!cred_privileged() &&
	    ((r != ID_KEEP && r != *t.r && r != *t.e) ||
	     (e != ID_KEEP && !id_is_one_of(e, &t))))
		return -EPERM;
	if (r != ID_KEEP)
		*t.r = r;
	if (e != ID_KEEP)
		*t.e = e;
	if (r != ID_KEEP || (e != ID_KEEP && e != old_r))
		*t.s = *t.e;
	return 0;
}

/* Copy the triple out to three user ints; 0 or -EFAULT. */
static long id_getres(struct id3 t, uint64_t ur, uint64_t ue, uint64_t us)
{
	if (copy_to_user(ur, t.r, 4) || copy_to_user(ue, t.e, 4) ||
	    copy_to_user(us, t.s, 4))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(setuid) { return id_set(cred_uids(&current->cred), (uint32_t)a0); }
SYSCALL_DEFINE(setgid) { return id_set(cred_gids(&current->cred), (uint32_t)a0); }

SYSCALL_DEFINE(setresuid)
{
	return id_setres(cred_uids(&current->cred), (uint32_t)a0, (uint32_t)a1, (uint32_t)a2);
}

SYSCALL_DEFINE(setresgid)
{
	return id_setres(cred_gids(&current->cred), (uint32_t)a0, (uint32_t)a1, (uint32_t)a2);
}

SYSCALL_DEFINE(setreuid)
{
	return id_setre(cred_uids(&current->cred), (uint32_t)a0, (uint32_t)a1);
}

SYSCALL_DEFINE(setregid)
{
	return id_setre(cred_gids(&current->cred), (uint32_t)a0, (uint32_t)a1);
}

SYSCALL_DEFINE(getresuid) { return id_getres(cred_uids(&current->cred), a0, a1, a2); }
SYSCALL_DEFINE(getresgid) { return id_getres(cred_gids(&current->cred), a0, a1, a2); }

/* getgroups(size, list): size 0 asks for the count only. */
SYSCALL_DEFINE(getgroups)
{
	const struct cred *c = &current->cred;
	int size = (int)a0;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(a1, c->groups, c->ngroups * sizeof(uint32_t)))
		return -EFAULT;
	return c->ngroups;
}

/* setgroups(size, list): privileged only. Linux allows NGROUPS_MAX
 * entries; this kernel keeps CRED_NGROUPS and says -EINVAL beyond. */
SYSCALL_DEFINE(setgroups)
{
	uint32_t groups[CRED_NGROUPS];
	int size = (int)a0;

	if (!cred_privileged())
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX || size > CRED_NGROUPS)
		return -EINVAL;
	if (size && copy_from_user(groups, a1, size * sizeof(uint32_t)))
		return -EFAULT;
	memcpy(current->cred.groups, groups, size * sizeof(uint32_t));
	current->cred.ngroups = size;
	return 0;
}
