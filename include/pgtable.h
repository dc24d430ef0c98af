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

/*
 * Range walkers over the user half, for work on whole mappings (fork,
 * munmap, mprotect, mremap, mincore). They descend only into present
 * entries and skip an absent PML4, PDPT or PD entry whole (512 GiB,
 * 1 GiB, 2 MiB at a time), so their cost follows the page-table pages
 * under the range, not its length. Ranges are [start, end), page-aligned,
 * inside [0, 2^47); anything else is -EINVAL. Each call runs with
 * interrupts off, so no other code sees the tables half-walked; callbacks
 * must not sleep and must not change the tables themselves except
 * through the entry they are handed.
 *
 * A pte_t is one leaf entry. Callers read it and change it in place only
 * through the pte_* helpers below, which are inline because they run once
 * per page: the leaf bits for a protection (pte_bits) are computed once
 * per operation. A changed entry goes in a struct pt_flush, flushed once
 * at the end of the operation.
 */
typedef uint64_t pte_t;

#define PTE_P		(1ull << 0)	/* present */
#define PTE_W		(1ull << 1)	/* writable */
#define PTE_A		(1ull << 5)	/* accessed (set by the CPU) */
#define PTE_D		(1ull << 6)	/* dirty (set by the CPU) */
#define PTE_ADDR	0x000FFFFFFFFFF000ull	/* the frame */

/* Everything but the frame of a leaf with protection prot (PT_*). */
pte_t pte_bits(unsigned prot);

static inline paddr_t pte_frame(pte_t e)
{
	return e & PTE_ADDR;
}

static inline int pte_writable(pte_t e)
{
	return (e & PTE_W) != 0;
}

/* A present leaf mapping the frame pa with bits from pte_bits. */
static inline pte_t pte_make(paddr_t pa, pte_t bits)
{
	return (pa & PTE_ADDR) | bits;
}

/* New protection bits (pte_bits), same frame, accessed and dirty kept:
 * nonzero when the entry changed, so it must be flushed. */
static inline int pte_set_bits(pte_t *e, pte_t bits)
{
	pte_t old = *e;

	*e = (old & (PTE_ADDR | PTE_A | PTE_D)) | bits;
	return ((old ^ *e) & ~(PTE_A | PTE_D)) != 0;
}

/* Called for each present leaf, in address order; nonzero stops the walk
 * and is returned from it. */
typedef int (*pt_leaf_fn)(void *ctx, vaddr_t va, pte_t *pte);
int pt_walk_range(paddr_t root, vaddr_t start, vaddr_t end, pt_leaf_fn fn, void *ctx);

/*
 * Copy walker: for each present leaf of src_root in [start, end), fn
 * fills *dst, the still empty entry at va + (dst_start - start) under
 * dst_root, and may change *src (fork makes it read-only). Tables under
 * dst_root are allocated as needed. 0, -ENOMEM (no table: the copy is
 * partial, every entry valid, tables possibly left empty; the caller
 * undoes it with pt_unmap_range or pt_destroy), -EEXIST (dst entry
 * already in use), -EINVAL, or what fn returned nonzero. The two ranges
 * may share a root only when they do not overlap.
 */
typedef int (*pt_copy_fn)(void *ctx, vaddr_t va, pte_t *src, pte_t *dst);
int pt_copy_range(paddr_t src_root, vaddr_t start, vaddr_t end,
		  paddr_t dst_root, vaddr_t dst_start, pt_copy_fn fn, void *ctx);

/*
 * Remove every mapping in [start, end) and free the page tables the range
 * leaves empty (PT, PD and PDPT, never the PML4). fn (may be NULL) gets
 * each frame that was mapped, the caller's to put, only once the TLB no
 * longer holds it: a loaded root is flushed once for the whole range.
 * Returns how many pages were unmapped, or -EINVAL.
 */
typedef void (*pt_unmap_fn)(void *ctx, vaddr_t va, paddr_t pa);
int64_t pt_unmap_range(paddr_t root, vaddr_t start, vaddr_t end, pt_unmap_fn fn,
		       void *ctx);

/*
 * A TLB batch for entries changed in place: pt_flush_add each changed
 * page, pt_flush_finish once before the old translations may no longer
 * be used (before returning to user space, before a frame they map is
 * freed). Nothing is flushed for tables not loaded in CR3: a CR3 load
 * drops every user translation. Few pages get one invlpg each, more a
 * reload of CR3.
 */
#define PT_FLUSH_PAGES 32
struct pt_flush {
	paddr_t root;
	uint64_t pages;			/* changed since the last finish */
	vaddr_t va[PT_FLUSH_PAGES];	/* the first PT_FLUSH_PAGES of them */
};

static inline void pt_flush_init(struct pt_flush *f, paddr_t root)
{
	f->root = root;
	f->pages = 0;
}

static inline void pt_flush_add(struct pt_flush *f, vaddr_t va)
{
	if (f->pages < PT_FLUSH_PAGES)
		f->va[f->pages] = va;
	f->pages++;
}

void pt_flush_finish(struct pt_flush *f);

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
