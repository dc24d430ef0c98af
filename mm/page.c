/* Physical frames: the boot-time survey of the memory map (what is RAM,
 * what must stay reserved), the struct page array, and the buddy
 * allocator over it (pure core in buddy.c) with refcounts and failure
 * injection. mm_init also runs the page-table and heap set-up, which
 * belong to pgtable.c and slab.c. */
#include <page.h>
#include <bootinfo.h>
#include <buddy.h>
#include <io.h>
#include <printk.h>
#include <panic.h>
#include <string.h>
#include <fmt.h>
#include <uapi/errno.h>
#include "internal.h"

_Static_assert(sizeof(struct page) <= 32, "struct page must stay within 32 bytes");
_Static_assert(PAGE_MAX_ORDER == BUDDY_MAX_ORDER, "page and buddy orders differ");

extern char _kernel_phys_start[], _kernel_end[];

#define LOW_RESERVED  (1UL << 20)		/* BIOS data, EBDA, later trampolines */
#define BOOT_MAPPED   (4UL << 30)		/* what boot/entry.asm maps at DIRECT_MAP */
/* Frames past the direct map, or past what the buddy's 32-bit frame
 * numbers reach (16 TiB), are left alone. */
#define MAX_PFN       ((DIRECT_MAP_END - DIRECT_MAP) >> PAGE_SHIFT < BUDDY_NONE ? \
		       (DIRECT_MAP_END - DIRECT_MAP) >> PAGE_SHIFT : (uint64_t)BUDDY_NONE - 1)
#define MAX_RANGES    (BOOT_MAX_MEM + BOOT_MAX_MODS + 8)

/* Frame numbers [start, end). */
struct range {
	uint64_t start, end;
};

struct range_set {
	struct range r[MAX_RANGES];
	int n;
};

/* Allocator state; buddy and fail_after are guarded by irq_save. */
static struct page *page_map;		/* page_map[pfn], pfn < page_nframes */
static uint64_t page_nframes;
static struct buddy buddy;
static long fail_after = -1;		/* see page_alloc_fail_after */

/* The boot survey, kept for the summary and for page_total_count. */
static struct range_set usable;		/* usable regions, frames inside them */
static struct range_set holes;		/* every other region, frames touching it */
static struct range_set excluded;	/* holes plus what must stay reserved */
static uint64_t ram_frames;		/* usable minus holes */
static uint64_t kernel_bytes, boot_bytes, map_bytes;

/* Add [s, e) to a sorted set, merging overlapping and touching ranges. */
static void range_add(struct range_set *set, uint64_t s, uint64_t e)
{
	int i = 0, j;

	if (s >= e)
		return;
	while (i < set->n && set->r[i].end < s)
		i++;
	/* Ranges i .. j-1 overlap or touch [s, e): fold them in. */
	for (j = i; j < set->n && set->r[j].start <= e; j++) {
		s = s < set->r[j].start ? s : set->r[j].start;
		e = e > set->r[j].end ? e : set->r[j].end;
	}
	if (i == j) {
		BUG_ON(set->n == MAX_RANGES);
		memmove(&set->r[i + 1], &set->r[i], (set->n - i) * sizeof(set->r[0]));
		set->n++;
	} else if (j > i + 1) {
		memmove(&set->r[i + 1], &set->r[j], (set->n - j) * sizeof(set->r[0]));
		set->n -= j - i - 1;
	}
	set->r[i].start = s;
	set->r[i].end = e;
}

static void reserve_bytes(uint64_t start, uint64_t end)
{
	range_add(&excluded, ALIGN_DOWN(start, PAGE_SIZE) >> PAGE_SHIFT,
		  ALIGN_UP(end, PAGE_SIZE) >> PAGE_SHIFT);
}

/* Call fn on each maximal run of frames in [lo, hi) that lies in a usable
 * region and outside every range of skip. */
static void for_each_run(const struct range_set *skip, uint64_t lo, uint64_t hi,
			 void (*fn)(uint64_t s, uint64_t e, void *arg), void *arg)
{
	for (int i = 0; i < usable.n; i++) {
		uint64_t s = usable.r[i].start > lo ? usable.r[i].start : lo;
		uint64_t e = usable.r[i].end < hi ? usable.r[i].end : hi;
		int j = 0;

		while (s < e) {
			while (j < skip->n && skip->r[j].end <= s)
				j++;
			if (j < skip->n && skip->r[j].start <= s) {
				s = skip->r[j].end;
				continue;
			}
			uint64_t run_end = j < skip->n && skip->r[j].start < e ? skip->r[j].start : e;
			fn(s, run_end, arg);
			s = run_end;
		}
	}
}

static void count_run(uint64_t s, uint64_t e, void *arg)
{
	uint64_t *sum = arg;

	*sum += e - s;
}

static void max_run_end(uint64_t s, uint64_t e, void *arg)
{
	uint64_t *max = arg;

	(void)s;
	if (e > *max)
		*max = e;
}

struct fit {
	uint64_t need, found;		/* frames wanted; first frame, or 0 */
};

static void first_fit(uint64_t s, uint64_t e, void *arg)
{
	struct fit *f = arg;

	if (!f->found && e - s >= f->need)
		f->found = s;
}

/* Sort the memory map into usable frames, holes and reservations. */
static void survey(const struct boot_info *bi)
{
	uint64_t kstart = (uint64_t)_kernel_phys_start;
	uint64_t kend = (uint64_t)_kernel_end - KERNEL_VMA;

	for (int i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		uint64_t end = m->base + m->len;

		if (m->type == MEM_USABLE)
			range_add(&usable, ALIGN_UP(m->base, PAGE_SIZE) >> PAGE_SHIFT,
				  ALIGN_DOWN(end, PAGE_SIZE) >> PAGE_SHIFT);
		else
			range_add(&holes, ALIGN_DOWN(m->base, PAGE_SIZE) >> PAGE_SHIFT,
				  ALIGN_UP(end, PAGE_SIZE) >> PAGE_SHIFT);
	}
	excluded = holes;
	reserve_bytes(0, LOW_RESERVED);
	reserve_bytes(kstart, kend);
	kernel_bytes = ALIGN_UP(kend, PAGE_SIZE) - ALIGN_DOWN(kstart, PAGE_SIZE);
	reserve_bytes(bi->mbi_phys, bi->mbi_phys + bi->mbi_size);
	boot_bytes = ALIGN_UP(bi->mbi_size, PAGE_SIZE);
	for (int i = 0; i < bi->nmods; i++) {
		reserve_bytes(bi->mods[i].start, bi->mods[i].end);
		boot_bytes += ALIGN_UP(bi->mods[i].end - bi->mods[i].start, PAGE_SIZE);
	}
	/* Frames above what the direct map can reach are not used at all. */
	range_add(&excluded, MAX_PFN, UINT64_MAX);

	for_each_run(&holes, 0, MAX_PFN, count_run, &ram_frames);
	page_nframes = 0;
	for_each_run(&holes, 0, MAX_PFN, max_run_end, &page_nframes);
	if (ram_frames == 0)
		panic("mm: the memory map has no usable RAM");
}

static void mark_ram(uint64_t s, uint64_t e, void *arg)
{
	(void)arg;
	for (uint64_t i = s; i < e; i++)
		page_map[i].flags |= PG_RAM;
}

static void free_run(uint64_t s, uint64_t e, void *arg)
{
	(void)arg;
	for (uint64_t i = s; i < e; i++)
		page_map[i].flags &= ~PG_RESERVED;
	BUG_ON(buddy_add_range(&buddy, s, e - s) != 0);
}

/* Put the struct page array in the first free run below 4 GiB that holds
 * it (the boot tables map no more), then hand out every other free frame
 * below 4 GiB; frames above wait for the new page tables. */
static void frames_init(void)
{
	struct fit fit;
	uint64_t base;

	map_bytes = ALIGN_UP(page_nframes * sizeof(struct page), PAGE_SIZE);
	fit.need = map_bytes >> PAGE_SHIFT;
	fit.found = 0;
	for_each_run(&excluded, 0, BOOT_MAPPED >> PAGE_SHIFT, first_fit, &fit);
	if (!fit.found)
		panic("mm: no room below 4 GiB for %lu KiB of page structures",
		      (unsigned long)(map_bytes >> 10));
	base = fit.found << PAGE_SHIFT;
	reserve_bytes(base, base + map_bytes);

	page_map = phys_to_virt(base);
	for (uint64_t i = 0; i < page_nframes; i++)
		page_map[i] = (struct page){ .flags = PG_RESERVED };
	if (buddy_init(&buddy, page_map, sizeof(struct page), page_nframes) != 0)
		panic("mm: %lu frames are too many for the allocator",
		      (unsigned long)page_nframes);
	for_each_run(&holes, 0, page_nframes, mark_ram, NULL);
	for_each_run(&excluded, 0, BOOT_MAPPED >> PAGE_SHIFT, free_run, NULL);
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case MEM_USABLE:	return "usable";
	case MEM_ACPI_RECLAIM:	return "ACPI data";
	case MEM_ACPI_NVS:	return "ACPI NVS";
	case MEM_BAD:		return "bad";
	default:		return "reserved";
	}
}

/* "639 KiB", "510 MiB", "12 GiB": the unit that keeps the number short. */
static void fmt_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes < (10UL << 20))
		snprintf(buf, len, "%lu KiB", (unsigned long)(bytes >> 10));
	else if (bytes < (10UL << 30))
		snprintf(buf, len, "%lu MiB", (unsigned long)(bytes >> 20));
	else
		snprintf(buf, len, "%lu GiB", (unsigned long)(bytes >> 30));
}

/* One line per region of the loader's memory map, as given. */
static void print_map(const struct boot_info *bi)
{
	char size[24];

	for (int i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];

		fmt_size(size, sizeof(size), m->len);
		pr_info("mem: [0x%016lx-0x%016lx] %10s %s\n", (unsigned long)m->base,
			(unsigned long)(m->base + m->len - 1), size, type_name(m->type));
	}
}

static void print_summary(void)
{
	char a[24], b[24], c[24], d[24], e[24];
	uint64_t free = page_free_count();
	uint64_t reserved = ram_frames - buddy.managed_frames;

	fmt_size(a, sizeof(a), kernel_bytes);
	fmt_size(b, sizeof(b), boot_bytes);
	fmt_size(c, sizeof(c), map_bytes);
	pr_info("mem: reserved: kernel %s, boot data %s, page structures %s (%lu frames)\n",
		a, b, c, (unsigned long)page_nframes);
	fmt_size(a, sizeof(a), ram_frames * PAGE_SIZE);
	fmt_size(b, sizeof(b), reserved * PAGE_SIZE);
	fmt_size(c, sizeof(c), (buddy.managed_frames - free) * PAGE_SIZE);
	fmt_size(d, sizeof(d), free * PAGE_SIZE);
	fmt_size(e, sizeof(e), (uint64_t)1 << (PAGE_SHIFT + PAGE_MAX_ORDER));
	pr_info("mem: %s usable (%lu frames), %s reserved, %s in use, "
		"%s free (%lu frames), blocks up to %s\n",
		a, (unsigned long)ram_frames, b, c, d, (unsigned long)free, e);
}

void mm_init(const struct boot_info *bi)
{
	print_map(bi);
	survey(bi);
	frames_init();
	if (pgtable_init(bi) != 0)
		panic("mm: out of memory building the kernel page tables");
	/* The direct map now covers all RAM: free what lies above 4 GiB. */
	for_each_run(&excluded, BOOT_MAPPED >> PAGE_SHIFT, page_nframes, free_run, NULL);
	if (slab_init() != 0)
		panic("mm: cannot set up the kmalloc caches");
	print_summary();
}

struct page *page_alloc(unsigned order, unsigned gfp)
{
	uint64_t flags, pfn;
	struct page *pg;
	int err;

	if (order > PAGE_MAX_ORDER)
		return NULL;
	flags = irq_save();
	if (fail_after == 0) {
		irq_restore(flags);
		return NULL;
	}
	err = buddy_alloc(&buddy, order, &pfn);
	if (!err && fail_after > 0)
		fail_after--;
	irq_restore(flags);
	if (err)
		return NULL;

	pg = &page_map[pfn];
	for (uint64_t i = 0; i < (1ull << order); i++) {
		pg[i].flags &= PG_BOOT_MASK;
		pg[i].refcount = 0;
		pg[i].mapcount = 0;
		pg[i].index = 0;
		pg[i].owner = NULL;
	}
	pg->refcount = 1;
	if (gfp & GFP_ZERO)
		memset(page_address(pg), 0, PAGE_SIZE << order);
	return pg;
}

static int valid_page(const struct page *pg)
{
	return pg >= page_map && pg < page_map + page_nframes;
}

void page_free(struct page *pg, unsigned order)
{
	uint64_t flags, pfn;
	int err = -EINVAL;

	if (valid_page(pg)) {
		pfn = pg - page_map;
		flags = irq_save();
		err = buddy_free(&buddy, pfn, order);
		if (!err) {
			for (uint64_t i = 0; i < (1ull << order); i++) {
				pg[i].flags &= PG_BOOT_MASK;
				pg[i].refcount = 0;
				pg[i].owner = NULL;
			}
		}
		irq_restore(flags);
	}
	if (err)
		pr_err("page_free: frame %p order %u is not an allocated block\n",
		       (void *)pg, order);
}

void page_get(struct page *pg)
{
	uint64_t flags = irq_save();

	BUG_ON(pg->refcount <= 0);
	pg->refcount++;
	irq_restore(flags);
}

void page_put(struct page *pg)
{
	uint64_t flags = irq_save();
	int last;

	BUG_ON(pg->refcount <= 0);
	last = --pg->refcount == 0;
	irq_restore(flags);
	if (last)
		page_free(pg, pg->buddy.order);
}

int page_order(const struct page *pg)
{
	if (!valid_page(pg) || pg->buddy.state != BUDDY_ALLOCATED)
		return -EINVAL;
	return pg->buddy.order;
}

paddr_t page_to_phys(const struct page *pg)
{
	return (paddr_t)(pg - page_map) << PAGE_SHIFT;
}

struct page *phys_to_page(paddr_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	return pfn < page_nframes ? &page_map[pfn] : NULL;
}

void *page_address(const struct page *pg)
{
	return phys_to_virt(page_to_phys(pg));
}

uint64_t page_free_count(void)
{
	return buddy.free_frames;
}

uint64_t page_total_count(void)
{
	return ram_frames;
}

void page_alloc_fail_after(long n)
{
	uint64_t flags = irq_save();

	fail_after = n < 0 ? -1 : n;
	irq_restore(flags);
}
