/* User-memory access: the only code that touches user addresses. Ranges
 * outside the user half are refused before any access; the access itself
 * runs in mm/uaccess_copy.asm, whose faults the #PF handler (mm/fault.c)
 * resolves like user faults (demand zero, COW, stack growth) or turns into
 * -EFAULT through the exception table looked up here. */
#include <uaccess.h>
#include <mm.h>
#include <proc.h>
#include <sched.h>
#include <cpu.h>
#include <layout.h>
#include <uapi/errno.h>

struct extable_entry {
	uint64_t insn, fixup;
};

extern const struct extable_entry uaccess_extable[], uaccess_extable_end[];
size_t uaccess_copy(void *dst, const void *src, size_t n);
size_t uaccess_clear(void *dst, size_t n);
long uaccess_strncpy(char *dst, const char *src, size_t max);

uint64_t uaccess_fixup(uint64_t ip)
{
	for (const struct extable_entry *e = uaccess_extable; e < uaccess_extable_end; e++)
		if (e->insn == ip)
			return e->fixup;
	return 0;
}

static int user_range_ok(uint64_t ua, size_t n)
{
	return ua < USER_END && n <= USER_END - ua;
}

/*
 * How far from ua on (up to end) the mappings allow the access (need is
 * VMA_READ or VMA_WRITE). A PROT_NONE page stays mapped for the kernel, so
 * the copy itself would not fault there: the VMA must say no. Addresses
 * in no VMA are left to the fault path, which turns a hole into -EFAULT
 * and may grow a stack into it.
 */
static uint64_t allowed_end(uint64_t ua, uint64_t end, unsigned need)
{
	struct mm *mm = current ? current->mm : NULL;

	while (mm && ua < end) {
		struct vma *v = vma_find(&mm->vmas, ua);

		if (!v) {
			v = vma_find_next(&mm->vmas, ua);
			if (!v)
				break;
			ua = v->start;
			continue;
		}
		if (!(v->flags & need))
			return ua;
		ua = v->end;
	}
	return end;
}

static int user_access_ok(uint64_t ua, size_t n, unsigned need)
{
	return user_range_ok(ua, n) && allowed_end(ua, ua + n, need) >= ua + n;
}

/*
 * With SMAP, user pages are reachable only between stac and clac. The
 * context switch does not save RFLAGS.AC, so the window must not be
 * preempted, or another process would run its kernel code with AC set.
 * Faults inside it are fine: they never sleep.
 */
static inline void user_open(void)
{
	preempt_disable();
	if (cpu_features.smap)
		__asm__ volatile("stac" ::: "memory");
}

static inline void user_close(void)
{
	if (cpu_features.smap)
		__asm__ volatile("clac" ::: "memory");
	preempt_enable();
}

int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	size_t left;

	if (!user_access_ok(usrc, n, VMA_READ))
		return -EFAULT;
	user_open();
	left = uaccess_copy(dst, (const void *)usrc, n);
	user_close();
	return left ? -EFAULT : 0;
}

int copy_to_user(uint64_t udst, const void *src, size_t n)
{
	size_t left;

	if (!user_access_ok(udst, n, VMA_WRITE))
		return -EFAULT;
	user_open();
	left = uaccess_copy((void *)udst, src, n);
	user_close();
	return left ? -EFAULT : 0;
}

int clear_user(uint64_t udst, size_t n)
{
	size_t left;

	if (!user_access_ok(udst, n, VMA_WRITE))
		return -EFAULT;
	user_open();
	left = uaccess_clear((void *)udst, n);
	user_close();
	return left ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, uint64_t usrc, size_t max)
{
	size_t lim = max;
	long len;

	if (usrc >= USER_END)
		return -EFAULT;
	/* Never read past the user half, even looking for the NUL: a
	 * string running into it is an unmapped one. */
	if (lim > USER_END - usrc)
		lim = USER_END - usrc;
	/* Stop where the mappings stop allowing reads: no NUL before that
	 * point makes the string unreadable, hence -EFAULT below. */
	lim = allowed_end(usrc, usrc + lim, VMA_READ) - usrc;
	if (!lim)
		return max ? -EFAULT : -ENAMETOOLONG;
	user_open();
	len = uaccess_strncpy(dst, (const char *)usrc, lim);
	user_close();
	if (len < 0)
		return -EFAULT;
	if ((size_t)len == lim)
		return lim < max ? -EFAULT : -ENAMETOOLONG;
	return len;
}
