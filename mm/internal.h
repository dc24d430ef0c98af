/* Calls between the files of mm/ that nothing outside mm may use: the
 * boot steps mm_init runs in order. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

struct boot_info;

/* mm/pgtable.c: build the kernel page tables (direct map of every region
 * in bi's memory map and at least 4 GiB, the kernel image with its real
 * permissions, the fixed kernel-half top-level entries) and load them.
 * Needs frames below 4 GiB only; returns 0 or -ENOMEM. */
int pgtable_init(const struct boot_info *bi);

/* mm/slab.c: the kmalloc caches. Returns 0 or -EINVAL. */
int slab_init(void);

#endif
