/* W^X: the one place that decides whether user memory may be writable and
 * executable at once. The system calls that make or change mappings ask
 * here (mmap, mprotect, mremap, shmat; exec for its segments); the switch
 * per process is prctl's (proc/prctl.c), the one for the system the
 * kernel command line's ("wx=off"). As on OpenBSD, only the two at once
 * are refused: writing code, then making it executable, is allowed. */
#include <mm.h>
#include <audit.h>
#include <cmdline.h>
#include <proc.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

bool wx_enforced(void)
{
	char val[4];

	return !(cmdline_get("wx", val, sizeof(val)) == 3 && !strcmp(val, "off"));
}

/* The decision: -EACCES, logged, when prot asks for both and the policy
 * is not lifted (relaxed: by the process's switch). */
static int wx_decide(unsigned long prot, bool relaxed, const char *call,
		     const char *path)
{
	if ((prot & (PROT_WRITE | PROT_EXEC)) != (PROT_WRITE | PROT_EXEC))
		return 0;
	if (relaxed || !wx_enforced())
		return 0;
	audit_deny("wx", call, prot, path);
	return -EACCES;
}

int mm_wx_check(unsigned long prot, const char *call)
{
	return wx_decide(prot, (current->flags & PF_WX_RELAX) != 0, call, NULL);
}

int mm_wx_check_image(unsigned long prot, const char *path)
{
	return wx_decide(prot, false, "execve", path);
}
