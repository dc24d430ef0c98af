/* User-memory access. Each page of the range is checked in the current
 * address space's tables before the copy, with interrupts off so nothing
 * can unmap it in between; demand paging (the memory layer's page-fault
 * handler) will replace the check with fault fixups. */
#include <uaccess.h>
#include <proc.h>
#include <cpu.h>
#include <io.h>
#include <pgtable.h>
#include <string.h>
#include <uapi/errno.h>

enum access { ACC_READ, ACC_WRITE };

static int range_ok(uint64_t ua, size_t n, enum access acc)
{
	if (ua >= USER_END || n > USER_END - ua)
		return 0;
	for (uint64_t va = ALIGN_DOWN(ua, PAGE_SIZE); va < ua + n; va += PAGE_SIZE) {
		unsigned prot;

		if (pt_lookup(current->pml4, va, NULL, &prot) < 0 || !(prot & PT_USER) ||
		    (acc == ACC_WRITE && !(prot & PT_WRITE)))
			return 0;
	}
	return 1;
}

static inline void user_open(void)
{
	if (cpu_features.smap)
		__asm__ volatile("stac" ::: "memory");
}

static inline void user_close(void)
{
	if (cpu_features.smap)
		__asm__ volatile("clac" ::: "memory");
}

static int user_copy(void *dst, const void *src, uint64_t ua, size_t n, enum access acc)
{
	uint64_t flags = irq_save();
	int err = -EFAULT;

	if (range_ok(ua, n, acc)) {
		user_open();
		if (dst)
			memcpy(dst, src, n);
		else
			memset((void *)ua, 0, n);
		user_close();
		err = 0;
	}
	irq_restore(flags);
	return err;
}

int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	return user_copy(dst, (const void *)usrc, usrc, n, ACC_READ);
}

int copy_to_user(uint64_t udst, const void *src, size_t n)
{
	return user_copy((void *)udst, src, udst, n, ACC_WRITE);
}

int clear_user(uint64_t udst, size_t n)
{
	return user_copy(NULL, NULL, udst, n, ACC_WRITE);
}

long strncpy_from_user(char *dst, uint64_t usrc, size_t max)
{
	/* A page at a time, so a string ending just before an unmapped page
	 * is fine. */
	size_t done = 0;

	while (done < max) {
		uint64_t ua = usrc + done;
		size_t chunk = PAGE_SIZE - (ua & (PAGE_SIZE - 1));

		if (chunk > max - done)
			chunk = max - done;
		if (copy_from_user(dst + done, ua, chunk) < 0)
			return -EFAULT;
		char *nul = memchr(dst + done, 0, chunk);
		if (nul)
			return nul - dst;
		done += chunk;
	}
	return -ENAMETOOLONG;
}
