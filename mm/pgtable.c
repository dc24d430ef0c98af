/* Page tables: the one file that knows the x86-64 entry format. At boot it
 * builds the kernel's tables (direct map, kernel image with real
 * permissions, the fixed kernel-half PML4 entries) from allocated frames
 * and loads them; afterwards it maps device memory and kernel stacks and
 * offers 4 KiB map/unmap/protect/lookup on any PML4, and walkers over
 * ranges of the user half (visit, copy, unmap) that cost what the tables
 * under the range hold. What to map where is the callers' business.
 * Single CPU: irq_save guards the kernel tables and every walk. */
#include <pgtable.h>
#include <page.h>
#include <bootinfo.h>
#include <cpu.h>
#include <io.h>
#include <printk.h>
#include <panic.h>
#include <string.h>
#include <uapi/errno.h>
#include "internal.h"

/* PTE_P, PTE_W, PTE_A, PTE_D and PTE_ADDR are in pgtable.h, for the
 * walkers' inline helpers. */
#define PTE_U		(1ull << 2)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_PS		(1ull << 7)	/* in PDPT/PD entries: a large page */
#define PTE_G		(1ull << 8)
#define PTE_NX		(1ull << 63)

#define PT_ENTRIES	512
#define USER_END	0x0000800000000000ull	/* first non-canonical address */
#define KERNEL_HALF	0xFFFF800000000000ull	/* first kernel-half address */
#define PML4_KERNEL	256			/* first kernel-half PML4 slot */

/* PAT: entry 0 WB, 1 WC, 2 UC-, 3 UC; 4-7 keep their reset values. So
 * WB = no bits, WC = PWT, UC = PCD|PWT, and the PAT bit is never used. */
#define MSR_PAT		0x277
#define PAT_VALUE	0x0007040600070106ull

#define KSTACK_SLOT	(64 * 1024)		/* virtual space per stack unit */
#define KSTACK_SLOTS	((KSTACK_END - KSTACK_BASE) / KSTACK_SLOT)

extern char _text_start[], _text_end[], _data_start[], _kernel_end[];

static struct {
	paddr_t root;		/* the kernel's PML4 */
	pte_t nx;		/* PTE_NX when EFER.NXE is on, else 0 */
	pte_t global;		/* PTE_G when the CPU has PGE, else 0 */
	int wc;			/* PAT entry 1 is write-combining */
	int max_level;		/* direct map pages: 2 (2 MiB) or 3 (1 GiB) */
	uint64_t phys_limit;	/* physical addresses the direct map can hold */
} pt;

/* Kernel stack slots in [KSTACK_BASE, KSTACK_END); bit set = taken. */
static uint64_t kstack_used[KSTACK_SLOTS / 64];

static unsigned shift_of(int level)
{
	return 12 + 9 * (level - 1);
}

static unsigned index_of(vaddr_t va, int level)
{
	return (va >> shift_of(level)) & (PT_ENTRIES - 1);
}

static pte_t *table_at(paddr_t pa)
{
	return phys_to_virt(pa);
}

static pte_t *table_of(pte_t e)
{
	return table_at(e & PTE_ADDR);
}

static int is_user(vaddr_t va)
{
	return va < USER_END;
}

static int canonical(vaddr_t va)
{
	return va < USER_END || va >= KERNEL_HALF;
}

/* Entry bits for a leaf with protection prot. */
static pte_t leaf_bits(unsigned prot)
{
	pte_t e = PTE_P;

	if (prot & PT_WRITE)
		e |= PTE_W;
	if (prot & PT_USER)
		e |= PTE_U;
	if (prot & PT_GLOBAL)
		e |= pt.global;
	if (!(prot & PT_EXEC))
		e |= pt.nx;
	if ((prot & PT_WC) && pt.wc)
		e |= PTE_PWT;
	else if (prot & (PT_UC | PT_WC))
		e |= PTE_PCD | PTE_PWT;
	return e;
}

static unsigned prot_of(pte_t e)
{
	unsigned prot = 0;

	if (e & PTE_W)
		prot |= PT_WRITE;
	if (e & PTE_U)
		prot |= PT_USER;
	if (e & PTE_G)
		prot |= PT_GLOBAL;
	if (!(e & PTE_NX))
		prot |= PT_EXEC;
	if (e & PTE_PCD)
		prot |= PT_UC;
	else if (e & PTE_PWT)
		prot |= PT_WC;
	if (e & PTE_A)
		prot |= PT_ACCESSED;
	if (e & PTE_D)
		prot |= PT_DIRTY;
	return prot;
}

/* Directory entries allow everything; the leaf decides. User-half
 * directories carry U so user leaves below them can be reached. */
static pte_t dir_bits(vaddr_t va)
{
	return PTE_P | PTE_W | (is_user(va) ? PTE_U : 0);
}

/* Frames holding kernel-half tables. They are permanent (ioremap has no
 * undo), so the self-test leak check must tell them from lost frames. */
static uint64_t kernel_tables;

uint64_t pt_kernel_table_frames(void)
{
	return kernel_tables;
}

/* va: an address the table serves, to tell kernel tables from user ones. */
static int alloc_table(paddr_t *pa, vaddr_t va)
{
	struct page *pg = page_alloc(0, GFP_ZERO);

	if (!pg)
		return -ENOMEM;
	pg->flags |= PG_PGTABLE;
	*pa = page_to_phys(pg);
	if (!is_user(va))
		kernel_tables++;
	return 0;
}

static void free_table(paddr_t pa, vaddr_t va)
{
	page_free(phys_to_page(pa), 0);
	if (!is_user(va))
		kernel_tables--;
}

static int table_empty(const pte_t *t)
{
	for (int i = 0; i < PT_ENTRIES; i++)
		if (t[i])
			return 0;
	return 1;
}

void pt_flush(vaddr_t va)
{
	invlpg(va);
}

void pt_flush_all(void)
{
	uint64_t cr4 = read_cr4();

	if (cr4 & CR4_PGE) {
		/* Toggling PGE drops global entries too. */
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

/* Flush va if the tables rooted at root can be in the TLB right now. */
static void flush_if_live(paddr_t root, vaddr_t va)
{
	if (!is_user(va) || (read_cr3() & PTE_ADDR) == root)
		invlpg(va);
}

paddr_t kernel_pml4_phys(void)
{
	return pt.root;
}

/* Make the absent or large entry e (at level) point to a table of the
 * next level holding the same mapping, if any. */
static int descend(pte_t *e, int level, vaddr_t va)
{
	paddr_t tpa;
	pte_t *t;
	int err;

	if ((*e & PTE_P) && !(*e & PTE_PS))
		return 0;
	err = alloc_table(&tpa, va);
	if (err)
		return err;
	t = table_at(tpa);
	if (*e & PTE_P) {
		/* Split: same bits, smaller pages; PS only above level 1. */
		uint64_t child = 1ull << shift_of(level - 1);
		pte_t base = *e & PTE_ADDR & ~((child << 9) - 1);
		pte_t bits = (*e & ~PTE_ADDR & ~PTE_PS) | (level - 1 > 1 ? PTE_PS : 0);

		for (int i = 0; i < PT_ENTRIES; i++)
			t[i] = (base + i * child) | bits;
		*e = tpa | dir_bits(va);
		invlpg(va);
	} else {
		*e = tpa | dir_bits(va);
	}
	return 0;
}

/* Does the large page e (at level) already map va to pa with leaf bits? */
static int large_matches(pte_t e, int level, vaddr_t va, paddr_t pa, pte_t bits)
{
	uint64_t size = 1ull << shift_of(level);
	paddr_t base = pa - (va & (size - 1));

	return (e & ~(PTE_A | PTE_D)) == (base | bits | PTE_PS);
}

/* Map [va, va + len) to [pa, pa + len) (page-aligned, same offsets modulo
 * the largest page used) in table, which sits at level, with leaf bits,
 * using pages up to max_level. Existing mappings are replaced; large pages
 * only partly changed are split. On -ENOMEM the range is partly done but
 * every entry is valid. */
static int map_range(pte_t *table, int level, vaddr_t va, paddr_t pa,
		     uint64_t len, pte_t bits, int max_level)
{
	uint64_t size = 1ull << shift_of(level);

	while (len) {
		pte_t *e = &table[index_of(va, level)];
		uint64_t chunk = size - (va & (size - 1));
		int err;

		if (chunk > len)
			chunk = len;
		if (level == 1) {
			*e = pa | bits;
		} else if (level <= max_level && chunk == size && !(pa & (size - 1)) &&
			   (!(*e & PTE_P) || (*e & PTE_PS))) {
			*e = pa | bits | PTE_PS;
		} else if (!((*e & PTE_PS) && large_matches(*e, level, va, pa, bits))) {
			err = descend(e, level, va);
			if (err)
				return err;
			err = map_range(table_of(*e), level - 1, va, pa, chunk, bits, max_level);
			if (err)
				return err;
		}
		va += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}

int pt_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot)
{
	pte_t *made[3];		/* entries that got a fresh table, to undo */
	pte_t *table = table_at(root), *e;
	int nmade = 0, err = 0;
	uint64_t flags;

	if ((va | pa) & (PAGE_SIZE - 1) || !canonical(va) || pa >= pt.phys_limit)
		return -EINVAL;
	flags = irq_save();
	for (int level = 4; level > 1; level--) {
		e = &table[index_of(va, level)];
		if (!(*e & PTE_P)) {
			/* Kernel-half top-level slots are fixed at boot. */
			if (level == 4 && !is_user(va)) {
				err = -EINVAL;
				goto out_undo;
			}
			err = descend(e, level, va);
			if (err)
				goto out_undo;
			made[nmade++] = e;
		} else if (*e & PTE_PS) {
			err = -EEXIST;
			goto out_undo;
		}
		table = table_of(*e);
	}
	e = &table[index_of(va, 1)];
	if (*e & PTE_P) {
		err = -EEXIST;
		goto out_undo;
	}
	*e = pa | leaf_bits(prot);
	irq_restore(flags);
	return 0;

out_undo:
	while (nmade > 0) {
		pte_t *pe = made[--nmade];
		paddr_t tpa = *pe & PTE_ADDR;

		*pe = 0;
		free_table(tpa, va);
	}
	irq_restore(flags);
	return err;
}

/* The level-1 entry for va, with the table at each level in path[level];
 * NULL with -ENOENT or -EINVAL (large page) in *err. */
static pte_t *walk(paddr_t root, vaddr_t va, pte_t *path[5], int *err)
{
	pte_t *table = table_at(root);

	for (int level = 4; level >= 1; level--) {
		pte_t *e = &table[index_of(va, level)];

		path[level] = table;
		if (!(*e & PTE_P)) {
			*err = -ENOENT;
			return NULL;
		}
		if (level == 1)
			return e;
		if (*e & PTE_PS) {
			*err = -EINVAL;
			return NULL;
		}
		table = table_of(*e);
	}
	return NULL;
}

int pt_unmap(paddr_t root, vaddr_t va, paddr_t *pa)
{
	pte_t *path[5], *e;
	uint64_t flags;
	int err = 0;

	if (!canonical(va))
		return -EINVAL;
	va = ALIGN_DOWN(va, PAGE_SIZE);
	flags = irq_save();
	e = walk(root, va, path, &err);
	if (!e)
		goto out;
	if (pa)
		*pa = *e & PTE_ADDR;
	*e = 0;
	flush_if_live(root, va);

	/* Free tables left empty, bottom up. The kernel half's PDPTs are
	 * shared by every address space and stay. */
	for (int level = 1; level <= (is_user(va) ? 3 : 2); level++) {
		pte_t *pe = &path[level + 1][index_of(va, level + 1)];
		paddr_t tpa = *pe & PTE_ADDR;

		if (!table_empty(path[level]))
			break;
		*pe = 0;
		flush_if_live(root, va);	/* drops cached directory entries */
		free_table(tpa, va);
	}
out:
	irq_restore(flags);
	return err;
}

int pt_protect(paddr_t root, vaddr_t va, unsigned prot)
{
	pte_t *path[5], *e;
	uint64_t flags;
	int err = 0;

	if (!canonical(va))
		return -EINVAL;
	va = ALIGN_DOWN(va, PAGE_SIZE);
	flags = irq_save();
	e = walk(root, va, path, &err);
	if (e) {
		*e = (*e & (PTE_ADDR | PTE_A | PTE_D)) | leaf_bits(prot);
		flush_if_live(root, va);
	}
	irq_restore(flags);
	return err;
}

int pt_lookup(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *prot)
{
	pte_t *table = table_at(root);

	if (!canonical(va))
		return -ENOENT;
	for (int level = 4; level >= 1; level--) {
		pte_t e = table[index_of(va, level)];
		uint64_t size = 1ull << shift_of(level);

		if (!(e & PTE_P))
			return -ENOENT;
		if (level == 1 || (e & PTE_PS)) {
			if (pa)
				*pa = (e & PTE_ADDR & ~(size - 1)) + (va & (size - 1));
			if (prot)
				*prot = prot_of(e);
			return 0;
		}
		table = table_of(e);
	}
	return -ENOENT;
}

int pt_create(paddr_t *root)
{
	paddr_t pa;
	int err = alloc_table(&pa, 0);

	if (err)
		return err;
	memcpy(table_at(pa) + PML4_KERNEL, table_at(pt.root) + PML4_KERNEL,
	       (PT_ENTRIES - PML4_KERNEL) * sizeof(pte_t));
	*root = pa;
	return 0;
}

/* Free the table e points to and every table below it (level: e's). */
static void free_tree(pte_t e, int level)
{
	pte_t *t;

	if (!(e & PTE_P) || (e & PTE_PS) || level == 1)
		return;
	t = table_of(e);
	for (int i = 0; i < PT_ENTRIES; i++)
		free_tree(t[i], level - 1);
	free_table(e & PTE_ADDR, 0);
}

void pt_destroy(paddr_t root)
{
	pte_t *t = table_at(root);

	BUG_ON(root == pt.root);
	BUG_ON((read_cr3() & PTE_ADDR) == root);
	for (int i = 0; i < PML4_KERNEL; i++)
		free_tree(t[i], 4);
	free_table(root, 0);
}

/* ---- range walkers ------------------------------------------------------ */

/*
 * A leaf pt_unmap_range has taken out of use while its frame waits for
 * the TLB flush: not present, so the MMU ignores it, with the frame still
 * in the address bits. It never outlives one pt_unmap_range call (which
 * runs with interrupts off); everywhere else an entry is 0 or present.
 */
#define PTE_ZAPPED	(1ull << 9)

pte_t pte_bits(unsigned prot)
{
	return leaf_bits(prot);
}

void pt_flush_finish(struct pt_flush *f)
{
	if (f->pages && (read_cr3() & PTE_ADDR) == f->root) {
		if (f->pages <= PT_FLUSH_PAGES) {
			for (uint64_t i = 0; i < f->pages; i++)
				invlpg(f->va[i]);
		} else {
			/* User entries are never global: a CR3 load drops
			 * them all. */
			write_cr3(read_cr3());
		}
	}
	f->pages = 0;
}

/* A valid walker range: page-aligned, in the user half; may be empty. */
static int user_range(vaddr_t start, vaddr_t end)
{
	return start <= end && end <= USER_END && !((start | end) & (PAGE_SIZE - 1));
}

/* Where the span of the level entry holding va ends, or end if sooner. */
static vaddr_t span_end(vaddr_t va, int level, vaddr_t end)
{
	vaddr_t next = (va | ((1ull << shift_of(level)) - 1)) + 1;

	return next < end ? next : end;
}

/* The table below the directory entry e of the user half, which only
 * ever holds 4 KiB pages. */
static pte_t *user_table_of(pte_t e)
{
	BUG_ON(e & PTE_PS);
	return table_of(e);
}

/* The per-PT work of a walk: [va, end) lies inside the PT t. */
typedef int (*leaves_fn)(void *walk, pte_t *t, vaddr_t va, vaddr_t end);

/* Call leaves for each present PT under [va, end) of table t, which sits
 * at level, skipping absent entries whole; stops at its first error. */
static int walk_present(pte_t *t, int level, vaddr_t va, vaddr_t end,
			leaves_fn leaves, void *walk)
{
	if (level == 1)
		return leaves(walk, t, va, end);
	for (pte_t *e = &t[index_of(va, level)]; va < end; e++) {
		vaddr_t next = span_end(va, level, end);

		if (*e & PTE_P) {
			int err = walk_present(user_table_of(*e), level - 1, va, next,
					       leaves, walk);

			if (err)
				return err;
		}
		va = next;
	}
	return 0;
}

struct leaf_walk {
	pt_leaf_fn fn;
	void *ctx;
};

/* The per-page loop, kept tight. */
static int walk_leaves(void *walk, pte_t *t, vaddr_t va, vaddr_t end)
{
	const struct leaf_walk *w = walk;
	pte_t *e = &t[index_of(va, 1)], *last = e + ((end - va) >> PAGE_SHIFT);

	for (; e < last; e++, va += PAGE_SIZE) {
		if (*e & PTE_P) {
			int err = w->fn(w->ctx, va, e);

			if (err)
				return err;
		}
	}
	return 0;
}

int pt_walk_range(paddr_t root, vaddr_t start, vaddr_t end, pt_leaf_fn fn, void *ctx)
{
	struct leaf_walk w = { .fn = fn, .ctx = ctx };
	uint64_t flags;
	int err;

	if (!user_range(start, end))
		return -EINVAL;
	flags = irq_save();
	err = walk_present(table_at(root), 4, start, end, walk_leaves, &w);
	irq_restore(flags);
	return err;
}

struct copy_walk {
	pt_copy_fn fn;
	void *ctx;
	paddr_t dst_root;
	uint64_t delta;		/* destination minus source address */
	pte_t *dst_pt;		/* the destination PT last used, or NULL */
	vaddr_t dst_base;	/* the 2 MiB it serves start here */
};

/* Make dst_pt the destination PT serving dva, creating tables on the
 * way. Tables made before a failure stay, empty: see pt_copy_range. */
static int copy_dst_table(struct copy_walk *c, vaddr_t dva)
{
	pte_t *t = table_at(c->dst_root);

	for (int level = 4; level > 1; level--) {
		pte_t *e = &t[index_of(dva, level)];
		int err = descend(e, level, dva);

		if (err)
			return err;
		t = user_table_of(*e);
	}
	c->dst_pt = t;
	c->dst_base = ALIGN_DOWN(dva, HUGE_2M);
	return 0;
}

/* [va, end) lies inside the source PT t. */
static int copy_leaves(void *walk, pte_t *t, vaddr_t va, vaddr_t end)
{
	struct copy_walk *c = walk;
	pte_t *e = &t[index_of(va, 1)], *last = e + ((end - va) >> PAGE_SHIFT);

	for (; e < last; e++, va += PAGE_SIZE) {
		vaddr_t dva = va + c->delta;
		pte_t *dst;
		int err;

		if (!(*e & PTE_P))
			continue;
		/* One descent per destination PT, not per page. */
		if (!c->dst_pt || dva - c->dst_base >= HUGE_2M) {
			err = copy_dst_table(c, dva);
			if (err)
				return err;
		}
		dst = &c->dst_pt[index_of(dva, 1)];
		if (*dst)
			return -EEXIST;
		err = c->fn(c->ctx, va, e, dst);
		if (err)
			return err;
	}
	return 0;
}

int pt_copy_range(paddr_t src_root, vaddr_t start, vaddr_t end,
		  paddr_t dst_root, vaddr_t dst_start, pt_copy_fn fn, void *ctx)
{
	struct copy_walk c = {
		.fn = fn, .ctx = ctx, .dst_root = dst_root,
		.delta = dst_start - start,
	};
	uint64_t flags;
	int err;

	if (!user_range(start, end) || dst_start > USER_END - (end - start) ||
	    !user_range(dst_start, dst_start + (end - start)))
		return -EINVAL;
	/* Overlapping ranges of one root would copy copies. */
	if (src_root == dst_root && dst_start < end && start < dst_start + (end - start))
		return -EINVAL;
	flags = irq_save();
	err = walk_present(table_at(src_root), 4, start, end, copy_leaves, &c);
	irq_restore(flags);
	return err;
}

/*
 * pt_unmap_range in a live address space takes two passes, so that one
 * flush covers the whole range and no frame is handed back before it:
 *
 *   pass 1 (mark)     present leaf -> PTE_ZAPPED, its page noted for the flush
 *   flush
 *   pass 2 (release)  PTE_ZAPPED -> 0, fn(frame); emptied tables unlinked
 *   flush             (the directory entries of the unlinked tables)
 *   free the unlinked tables
 *
 * Tables not loaded in CR3 have nothing in the TLB: one release pass
 * takes present leaves straight to 0.
 */
struct unmap_walk {
	pt_unmap_fn fn;
	void *ctx;
	int release;		/* 0: pass 1 (mark); 1: clear and hand back */
	int64_t pages;		/* leaves cleared */
	struct pt_flush flush;
	paddr_t tables;		/* unlinked tables, chained through entry 0 */
	uint64_t ntables;
};

/* [va, end) lies inside one PT. A nonzero entry is present, or in pass 2
 * zapped by pass 1: nothing else is ever left in a user PT. */
static void unmap_leaves(struct unmap_walk *w, pte_t *t, vaddr_t va, vaddr_t end)
{
	pte_t *e = &t[index_of(va, 1)], *last = e + ((end - va) >> PAGE_SHIFT);

	for (; e < last; e++, va += PAGE_SIZE) {
		pte_t old = *e;

		if (!old)
			continue;
		if (!w->release) {
			*e = (old & PTE_ADDR) | PTE_ZAPPED;
			pt_flush_add(&w->flush, va);
			continue;
		}
		*e = 0;
		w->pages++;
		if (w->fn)
			w->fn(w->ctx, va, old & PTE_ADDR);
	}
}

/* Unlink the empty table behind directory entry e (its span holds va)
 * and queue it to be freed after the flush. An empty table is all
 * zeros, so its first entry can carry the chain: a next-table address
 * there reads as not present to any stale walk. */
static void unmap_queue_table(struct unmap_walk *w, pte_t *e, vaddr_t va)
{
	paddr_t tpa = *e & PTE_ADDR;

	*e = 0;
	table_at(tpa)[0] = w->tables;
	w->tables = tpa;
	w->ntables++;
	pt_flush_add(&w->flush, va);
}

static void unmap_level(struct unmap_walk *w, pte_t *t, int level, vaddr_t va,
			vaddr_t end)
{
	uint64_t span = 1ull << shift_of(level);	/* of one entry here */

	if (level == 1) {
		unmap_leaves(w, t, va, end);
		return;
	}
	for (pte_t *e = &t[index_of(va, level)]; va < end; e++) {
		vaddr_t next = span_end(va, level, end);

		if (*e & PTE_P) {
			pte_t *child = user_table_of(*e);

			unmap_level(w, child, level - 1, va, next);
			/* A child the range covers whole is empty now. */
			if (w->release && (next - va == span || table_empty(child)))
				unmap_queue_table(w, e, va);
		}
		va = next;
	}
}

int64_t pt_unmap_range(paddr_t root, vaddr_t start, vaddr_t end, pt_unmap_fn fn,
		       void *ctx)
{
	struct unmap_walk w = { .fn = fn, .ctx = ctx };
	uint64_t flags;

	if (!user_range(start, end))
		return -EINVAL;
	flags = irq_save();
	pt_flush_init(&w.flush, root);
	w.release = (read_cr3() & PTE_ADDR) != root;
	if (!w.release) {
		unmap_level(&w, table_at(root), 4, start, end);
		pt_flush_finish(&w.flush);
		w.release = 1;
	}
	unmap_level(&w, table_at(root), 4, start, end);
	pt_flush_finish(&w.flush);
	while (w.ntables--) {
		paddr_t tpa = w.tables;

		w.tables = table_at(tpa)[0];
		table_at(tpa)[0] = 0;
		free_table(tpa, 0);
	}
	irq_restore(flags);
	return w.pages;
}

/* ---- device memory ------------------------------------------------------ */

void *ioremap(paddr_t pa, size_t len, enum cache_mode mode)
{
	paddr_t start = ALIGN_DOWN(pa, PAGE_SIZE), end = ALIGN_UP(pa + len, PAGE_SIZE);
	unsigned prot = PT_WRITE | PT_GLOBAL;
	uint64_t flags;
	int err;

	if (len == 0 || end <= pa || end > pt.phys_limit)
		return NULL;
	if (mode != CACHE_WB) {
		/* Uncached aliases of RAM would break coherence with the
		 * cached direct map and kernel image. */
		for (paddr_t p = start; p < end; p += PAGE_SIZE) {
			struct page *pg = phys_to_page(p);

			if (pg && (pg->flags & PG_RAM))
				return NULL;
		}
		prot |= mode == CACHE_WC ? PT_WC : PT_UC;
	}
	flags = irq_save();
	err = map_range(table_at(pt.root), 4, DIRECT_MAP + start, start, end - start,
			leaf_bits(prot), pt.max_level);
	pt_flush_all();
	irq_restore(flags);
	return err ? NULL : phys_to_virt(pa);
}

/* ---- kernel stacks ------------------------------------------------------ */

static int slots_free(uint64_t first, uint64_t n)
{
	for (uint64_t i = first; i < first + n; i++)
		if (kstack_used[i / 64] & (1ull << (i % 64)))
			return 0;
	return 1;
}

static void slots_set(uint64_t first, uint64_t n, int used)
{
	for (uint64_t i = first; i < first + n; i++) {
		if (used)
			kstack_used[i / 64] |= 1ull << (i % 64);
		else
			kstack_used[i / 64] &= ~(1ull << (i % 64));
	}
}

/* Unmap and free the stack pages in [lo, hi). */
static void kstack_unmap(vaddr_t lo, vaddr_t hi)
{
	for (vaddr_t va = lo; va < hi; va += PAGE_SIZE) {
		paddr_t pa;

		if (pt_unmap(pt.root, va, &pa) == 0)
			page_free(phys_to_page(pa), 0);
	}
}

/* Slots a stack of size bytes takes: its pages and the guard page. */
static uint64_t kstack_slots(size_t size)
{
	return (size + PAGE_SIZE + KSTACK_SLOT - 1) / KSTACK_SLOT;
}

void *kstack_alloc(size_t size)
{
	uint64_t n, first, flags;
	vaddr_t top, va;

	if (size == 0 || size % PAGE_SIZE || size > KSTACK_MAX_SIZE)
		return NULL;
	n = kstack_slots(size);
	flags = irq_save();
	for (first = 0; first + n <= KSTACK_SLOTS; first++) {
		if (kstack_used[first / 64] == ~0ull) {
			first |= 63;		/* a full word: skip it */
			continue;
		}
		if (slots_free(first, n))
			break;
	}
	if (first + n > KSTACK_SLOTS) {
		irq_restore(flags);
		return NULL;
	}
	slots_set(first, n, 1);
	irq_restore(flags);

	/* Pages at the top of the slots; the guard and anything below
	 * stay unmapped. */
	top = KSTACK_BASE + (first + n) * KSTACK_SLOT;
	for (va = top - size; va < top; va += PAGE_SIZE) {
		struct page *pg = page_alloc(0, GFP_ZERO);

		if (!pg)
			goto out_unmap;
		if (pt_map(pt.root, va, page_to_phys(pg), PT_WRITE | PT_GLOBAL) != 0) {
			page_free(pg, 0);
			goto out_unmap;
		}
	}
	return (void *)top;

out_unmap:
	kstack_unmap(top - size, va);
	flags = irq_save();
	slots_set(first, n, 0);
	irq_restore(flags);
	return NULL;
}

void kstack_free(void *top, size_t size)
{
	vaddr_t t = (vaddr_t)top;
	uint64_t n, first, flags;

	if (!top)
		return;
	if (size == 0 || size % PAGE_SIZE || size > KSTACK_MAX_SIZE ||
	    t % KSTACK_SLOT || t <= KSTACK_BASE || t > KSTACK_END ||
	    (t - KSTACK_BASE) / KSTACK_SLOT < kstack_slots(size)) {
		pr_err("kstack_free: bad stack %p size %#lx\n", top, (unsigned long)size);
		return;
	}
	n = kstack_slots(size);
	first = (t - KSTACK_BASE) / KSTACK_SLOT - n;
	for (uint64_t i = first; i < first + n; i++) {
		if (!(kstack_used[i / 64] & (1ull << (i % 64)))) {
			pr_err("kstack_free: stack %p was not allocated\n", top);
			return;
		}
	}
	kstack_unmap(t - size, t);
	flags = irq_save();
	slots_set(first, n, 0);
	irq_restore(flags);
}

/* ---- boot --------------------------------------------------------------- */

/* Map physical [start, end) at DIRECT_MAP with the largest pages, rounded
 * out to them: RW, NX, global. */
static int map_direct(uint64_t start, uint64_t end)
{
	uint64_t size = 1ull << shift_of(pt.max_level);

	start = ALIGN_DOWN(start, size);
	end = ALIGN_UP(end, size);
	if (end > pt.phys_limit)
		end = pt.phys_limit;
	if (start >= end)
		return 0;
	return map_range(table_at(pt.root), 4, DIRECT_MAP + start, start, end - start,
			 leaf_bits(PT_WRITE | PT_GLOBAL), pt.max_level);
}

/* Map the kernel image's [start, end) (KERNEL_VMA addresses) with 4 KiB
 * pages and prot. */
static int map_image(const void *start, const void *end, unsigned prot)
{
	vaddr_t s = ALIGN_DOWN((vaddr_t)start, PAGE_SIZE), e = ALIGN_UP((vaddr_t)end, PAGE_SIZE);

	if (s >= e)
		return 0;
	return map_range(table_at(pt.root), 4, s, s - KERNEL_VMA, e - s,
			 leaf_bits(prot | PT_GLOBAL), 1);
}

/* A fresh, empty table behind a kernel-half PML4 slot. */
static int fix_slot(unsigned slot)
{
	pte_t *e = &table_at(pt.root)[slot];

	return descend(e, 4, (vaddr_t)0xFFFF000000000000ull | ((uint64_t)slot << 39));
}

static void features_init(void)
{
	unsigned bits = cpu_features.phys_bits ? cpu_features.phys_bits : 36;

	pt.nx = cpu_features.nx && (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
	pt.global = cpu_features.pge ? PTE_G : 0;
	pt.max_level = cpu_features.gbpages ? 3 : 2;
	pt.phys_limit = 1ull << (bits < 46 ? bits : 46);
	if (pt.phys_limit > DIRECT_MAP_END - DIRECT_MAP)
		pt.phys_limit = DIRECT_MAP_END - DIRECT_MAP;
	if (cpu_features.pat) {
		/* Only entry 1 changes, and no boot mapping uses it. */
		wrmsr(MSR_PAT, PAT_VALUE);
		pt.wc = 1;
	}
}

/* Build the kernel tables from frames below 4 GiB (reachable through the
 * boot tables' direct map) and switch to them. On failure the caller
 * panics, so nothing is unwound. */
int pgtable_init(const struct boot_info *bi)
{
	uint64_t direct_slots;
	int err;

	features_init();
	err = alloc_table(&pt.root, KERNEL_VMA);
	if (err)
		return err;

	/* Every kernel-half slot that will ever be used gets its PDPT now,
	 * so the top level never changes again (see pgtable.h). */
	direct_slots = (pt.phys_limit + (1ull << 39) - 1) >> 39;
	for (unsigned i = 0; i < direct_slots && !err; i++)
		err = fix_slot(index_of(DIRECT_MAP, 4) + i);
	if (!err)
		err = fix_slot(index_of(KSTACK_BASE, 4));
	if (!err)
		err = fix_slot(index_of(KERNEL_VMA, 4));

	/* The direct map: the first 4 GiB and every region of any type. */
	if (!err)
		err = map_direct(0, 4ull << 30);
	for (int i = 0; i < bi->nmem && !err; i++)
		err = map_direct(bi->mem[i].base, bi->mem[i].base + bi->mem[i].len);

	if (!err)
		err = map_image(_text_start, _text_end, PT_EXEC);
	if (!err)
		err = map_image((void *)ALIGN_UP((vaddr_t)_text_end, PAGE_SIZE), _data_start, 0);
	if (!err)
		err = map_image(_data_start, _kernel_end, PT_WRITE);
	if (err)
		return err;

	write_cr3(pt.root);
	pr_info("mem: page tables: direct map in %s pages, %lu-bit physical addresses%s%s%s\n",
		pt.max_level == 3 ? "1 GiB" : "2 MiB", (unsigned long)__builtin_ctzll(pt.phys_limit),
		pt.nx ? ", NX" : "", pt.global ? ", global" : "", pt.wc ? ", PAT WC" : "");
	return 0;
}
