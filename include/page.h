/* Physical frames (mm/page.c over the pure buddy core in mm/buddy.c): one
 * struct page per frame, in an array indexed by frame number. */
#ifndef PAGE_H
#define PAGE_H
#include <stdint.h>
#include <stddef.h>
#include <layout.h>

struct boot_info;

#define PAGE_MAX_ORDER 10		/* largest block: 2^10 frames, 4 MiB */

#define GFP_ZERO 0x1			/* page_alloc: zero the frames */

/* Frames, physical memory, the direct map of all RAM, slab and kmalloc:
 * everything mm needs at boot. Prints the memory map summary. */
void mm_init(const struct boot_info *bi);

struct page *page_alloc(unsigned order, unsigned gfp);	/* NULL if none */
void page_free(struct page *pg, unsigned order);

paddr_t page_to_phys(const struct page *pg);
struct page *phys_to_page(paddr_t pa);			/* NULL if untracked */
void *page_address(const struct page *pg);		/* direct-map pointer */

uint64_t page_free_count(void);		/* free frames now */
uint64_t page_total_count(void);	/* usable frames at boot */

#endif
