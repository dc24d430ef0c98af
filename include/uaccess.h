/* Access to user memory (mm/uaccess.c): the only code that touches user
 * addresses. Every call rejects ranges outside the user half and returns
 * -EFAULT for pages that are not mapped for the access, instead of
 * faulting in the kernel. With SMAP on, accesses happen inside stac/clac. */
#ifndef UACCESS_H
#define UACCESS_H
#include <stddef.h>
#include <stdint.h>

#define USER_END 0x0000800000000000ull	/* first address above user space */

/* 0, or -EFAULT (nothing is guaranteed about a partial copy). */
int copy_from_user(void *dst, uint64_t usrc, size_t n);
int copy_to_user(uint64_t udst, const void *src, size_t n);
int clear_user(uint64_t udst, size_t n);

/* Copy a NUL-terminated string of at most max bytes including the NUL.
 * Returns its length (without the NUL), -EFAULT, or -ENAMETOOLONG when
 * no NUL is found within max bytes. */
long strncpy_from_user(char *dst, uint64_t usrc, size_t max);

#endif
