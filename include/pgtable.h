/* Kernel page tables (mm/pgtable.c): the only code that knows the PTE
 * format. At boot it replaces the early tables with a direct map of all
 * RAM, then offers mappings for device memory and kernel stacks, and the
 * small primitives address spaces are built from.
 *
 * The kernel half (PML4 entries 256-511) is filled in once at boot and
 * its top-level entries never change afterwards, so every address space
 * may copy them at creation (pt_create) and see later kernel mappings. */
#ifndef PGTABLE_H
#define PGTABLE_H
#include <stddef.h>
#include <layout.h>

enum cache_mode { CACHE_WB, CACHE_UC, CACHE_WC };

/* Map device memory [pa, pa + len) into the direct-map range and return
 * a pointer to pa, or NULL when page tables cannot be allocated, the range
 * lies beyond the physical address width, or an uncached mode is asked
 * for usable RAM. WC falls back to UC without PAT. The mapping stays. */
void *ioremap(paddr_t pa, size_t len, enum cache_mode mode);

/* Kernel stacks: size bytes (a multiple of PAGE_SIZE, at most
 * KSTACK_MAX_SIZE) with an unmapped guard page below, so an overflow
 * faults instead of corrupting memory. Returns the stack top, or NULL. */
#define KSTACK_MAX_SIZE (1024 * 1024)
void *kstack_alloc(size_t size);
void kstack_free(void *top, size_t size);

/* Protection of one mapping, for pt_map/pt_protect and from pt_lookup.
 * Readable is implied by present. PT_ACCESSED and PT_DIRTY are only
 * reported. */
#define PT_WRITE    0x001
#define PT_EXEC     0x002
#define PT_USER     0x004
#define PT_GLOBAL   0x008	/* kernel mappings: kept across CR3 loads */
#define PT_UC       0x010	/* uncached */
#define PT_WC       0x020	/* write-combining (UC without PAT) */
#define PT_ACCESSED 0x100
#define PT_DIRTY    0x200

/* Frames now holding kernel-half page tables (for the leak check). */
uint64_t pt_kernel_table_frames(void);

/* The physical address of the kernel's PML4 (the boot address space). */
paddr_t kernel_pml4_phys(void);

/* Map the 4 KiB page at va to pa in the tables rooted at root, creating
 * intermediate tables. Returns 0, -EEXIST if va is already mapped (by a
 * page of any size), -ENOMEM, or -EINVAL for a misaligned or
 * non-canonical address or a kernel-half slot that was never set up.
 * No TLB flush is needed: va was not mapped. */
int pt_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot);

/* Remove the 4 KiB mapping at va, store its frame in *pa (if pa is not
 * NULL), flush it from the TLB, and free page tables left empty (never the
 * kernel half's top two levels). The frame itself stays the caller's.
 * Returns 0, -ENOENT if nothing is mapped, -EINVAL inside a large page. */
int pt_unmap(paddr_t root, vaddr_t va, paddr_t *pa);

/* Change the protection of the 4 KiB mapping at va and flush it.
 * Returns 0, -ENOENT, or -EINVAL inside a large page. */
int pt_protect(paddr_t root, vaddr_t va, unsigned prot);

/* Translate va (any page size): 0 with the physical address of va in *pa
 * and its PT_* bits in *prot (either may be NULL), or -ENOENT. */
int pt_lookup(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *prot);

/* A new, empty user half sharing the kernel half: 0 with the PML4 in
 * *root, or -ENOMEM. pt_destroy frees the user half's page tables (not the
 * frames they map: unmap those first) and the PML4. */
int pt_create(paddr_t *root);
void pt_destroy(paddr_t root);

/* TLB: one page of the current address space, or everything (global
 * entries included). */
void pt_flush(vaddr_t va);
void pt_flush_all(void);

#endif
