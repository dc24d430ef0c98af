/* Physical frames (mm/page.c over the pure buddy core in mm/buddy.c): one
 * struct page per frame, in an array indexed by frame number, covering
 * every frame up to the highest usable one. All calls may be made with
 * interrupts on or off; the allocator protects itself with irq_save. */
#ifndef PAGE_H
#define PAGE_H
#include <stdint.h>
#include <stddef.h>
#include <layout.h>
#include <buddy.h>

struct boot_info;

#define PAGE_MAX_ORDER 10		/* largest block: 2^10 frames, 4 MiB */

#define GFP_ZERO 0x1			/* page_alloc: zero the frames */

/* struct page flags. The first two are fixed at boot; the others belong
 * to whoever allocated the frame and are cleared by page_alloc. */
#define PG_RAM       0x0001	/* usable RAM in the memory map */
#define PG_RESERVED  0x0002	/* never given to the allocator */
#define PG_SLAB      0x0004	/* part of a slab; owner = slab start */
#define PG_KMALLOC   0x0008	/* head of a large kmalloc block */
#define PG_PGTABLE   0x0010	/* holds a page table */
#define PG_BOOT_MASK (PG_RAM | PG_RESERVED)

/* 32 bytes, so the array costs under 1% of RAM. */
struct page {
	struct buddy_frame buddy;	/* order, state, free links: buddy only */
	uint16_t flags;			/* PG_* */
	int32_t refcount;		/* references; 0 while free */
	int32_t mapcount;		/* user page-table entries mapping it */
	uint32_t index;			/* page index inside owner */
	void *owner;			/* memory object, slab, ...; NULL if none */
};

/* Frames, physical memory, the direct map of all RAM, slab and kmalloc:
 * everything mm needs at boot. Prints the memory map summary. */
void mm_init(const struct boot_info *bi);

/* 2^order contiguous frames, aligned to their size, with refcount 1 on
 * the first (the others 0), or NULL if none (or injected failure). */
struct page *page_alloc(unsigned order, unsigned gfp);

/* Free a block from page_alloc right away, whatever its refcount; a bad
 * free (double, wrong order, not allocated) is reported and ignored. */
void page_free(struct page *pg, unsigned order);

/* References: page_get adds one, page_put drops one and frees the block
 * (with the order it was allocated with) when none are left. */
void page_get(struct page *pg);
void page_put(struct page *pg);

paddr_t page_to_phys(const struct page *pg);
struct page *phys_to_page(paddr_t pa);			/* NULL if untracked */
void *page_address(const struct page *pg);		/* direct-map pointer */

/* The struct page behind a direct-map or kernel-image address. */
static inline struct page *virt_to_page(const void *va)
{
	return phys_to_page(virt_to_phys(va));
}

/* Order of the allocated block whose first frame is pg, or -EINVAL. */
int page_order(const struct page *pg);

uint64_t page_free_count(void);		/* free frames now */
uint64_t page_total_count(void);	/* usable frames at boot */

/* Failure injection for tests: after n more successful page_alloc calls,
 * every call fails until page_alloc_fail_after(-1) turns it off. */
void page_alloc_fail_after(long n);

#endif
