/* Kernel page tables (mm/pgtable.c): the only code that knows the PTE
 * format. At boot it replaces the early tables with a direct map of all
 * RAM, then offers mappings for device memory and kernel stacks. */
#ifndef PGTABLE_H
#define PGTABLE_H
#include <stddef.h>
#include <layout.h>

enum cache_mode { CACHE_WB, CACHE_UC, CACHE_WC };

/* Map device memory [pa, pa + len) into the direct-map range and return
 * a pointer to pa, or NULL when page tables cannot be allocated. */
void *ioremap(paddr_t pa, size_t len, enum cache_mode mode);

/* Kernel stacks: size bytes (a multiple of PAGE_SIZE) with an unmapped
 * guard page below, so an overflow faults instead of corrupting memory.
 * Returns the stack top, or NULL. */
void *kstack_alloc(size_t size);
void kstack_free(void *top, size_t size);

#endif
