/* prctl(2): the process name (PR_SET_NAME, PR_GET_NAME, as Linux) and the
 * project's own switches (include/uapi/prctl.h): W^X per process, and the
 * audit trail for root. What the switches govern lives in mm/wx.c and
 * kernel/audit.c. Any other option is -EINVAL, as Linux says for options
 * it does not know. */
#include <proc.h>
#include <audit.h>
#include <syscall.h>
#include <uaccess.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>

/* Linux's comm: the first PROC_NAME_LEN - 1 bytes of the string. */
static int prctl_set_name(uint64_t uname)
{
	char name[PROC_NAME_LEN];
	long n = strncpy_from_user(name, uname, sizeof(name));

	if (n == -ENAMETOOLONG)
		n = sizeof(name) - 1;
	if (n < 0)
		return -EFAULT;
	name[n] = 0;
	memcpy(current->name, name, sizeof(name));
	return 0;
}

static int prctl_get_name(uint64_t ubuf)
{
	char name[PROC_NAME_LEN];

	memcpy(name, current->name, sizeof(name));
	name[sizeof(name) - 1] = 0;
	return copy_to_user(ubuf, name, sizeof(name));
}

/* Our own options take one argument at most: the rest must be zero, so
 * that a later meaning for them cannot change what old callers get. */
static bool unused_args(uint64_t a, uint64_t b, uint64_t c)
{
	return !a && !b && !c;
}

/* prctl(option, arg2, arg3, arg4, arg5): option is an int, as in Linux. */
SYSCALL_DEFINE(prctl)
{
	bool root = current->cred.euid == 0;

	switch ((int)a0) {
	case PR_SET_NAME:
		return prctl_set_name(a1);
	case PR_GET_NAME:
		return prctl_get_name(a1);
	case PR_SET_WX_RELAX:
		if (a1 > 1 || !unused_args(a2, a3, a4))
			return -EINVAL;
		if (a1)
			current->flags |= PF_WX_RELAX;
		else
			current->flags &= ~PF_WX_RELAX;
		return 0;
	case PR_GET_WX_RELAX:
		if (!unused_args(a1, a2, a3) || a4)
			return -EINVAL;
		return (current->flags & PF_WX_RELAX) != 0;
	case PR_SET_AUDIT:
		if (a1 > 1 || !unused_args(a2, a3, a4))
			return -EINVAL;
		if (!root)
			return -EPERM;
		audit_set(a1 == 1);
		return 0;
	case PR_GET_AUDIT:
		if (!unused_args(a1, a2, a3) || a4)
			return -EINVAL;
		return audit_enabled;
	case PR_CLEAR_AUDIT:
		if (!unused_args(a1, a2, a3) || a4)
			return -EINVAL;
		if (!root)
			return -EPERM;
		audit_clear();
		return 0;
	default:
		return -EINVAL;
	}
}
