/* Self-tests of the page-table range walkers (mm/pgtable.c) and of the
 * address-space work built on them: fork, munmap/MADV_DONTNEED, mprotect
 * and mremap over sparse mappings GiBs to TiBs long. Page-table frames
 * are counted through the free-frame count, which must come back exact. */
#include <selftest.h>
#include <mm.h>
#include <page.h>
#include <pgtable.h>
#include <kmalloc.h>
#include <io.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

#define USER_HALF	0x0000800000000000ull
#define GIB		(1ull << 30)
#define MADV_DONTNEED	4	/* Linux's; mm/madvise.c keeps the list */

static uint64_t settled_free(void)
{
	kmem_shrink_all();
	return page_free_count();
}

/*
 * Six pages over three PML4 slots, so 3 PDPTs, 4 PDs and 5 PTs:
 *
 *   slot 0    PD 0: PT 0 [0x10000, 0x1ff000]  PT 1 [0x200000]
 *             PD 1: PT   [1 GiB + 0x3000]
 *   slot 1    [512 GiB + 0x5000]
 *   slot 255  [the top page of the user half]
 */
static const vaddr_t sparse_va[] = {
	0x10000, 0x1ff000, 0x200000, GIB + 0x3000,
	(512 * GIB) + 0x5000, USER_HALF - PAGE_SIZE,
};
#define SPARSE_N	6
#define SPARSE_TABLES	12

/* Map sparse_va to pa (one frame for all: the tables hold no counts). */
static int map_sparse(paddr_t root, paddr_t pa)
{
	for (int i = 0; i < SPARSE_N; i++) {
		int err = pt_map(root, sparse_va[i], pa, PT_USER | PT_WRITE);

		if (err)
			return err;
	}
	return 0;
}

struct seen {
	int n;
	vaddr_t va[SPARSE_N + 4];
	paddr_t pa[SPARSE_N + 4];
	int stop_at;		/* return 7 at this visit (1-based), or 0 */
};

static int note_leaf(void *ctx, vaddr_t va, pte_t *pte)
{
	struct seen *s = ctx;

	if (s->n < (int)ARRAY_SIZE(s->va)) {
		s->va[s->n] = va;
		s->pa[s->n] = pte_frame(*pte);
	}
	s->n++;
	return s->n == s->stop_at ? 7 : 0;
}

static void note_frame(void *ctx, vaddr_t va, paddr_t pa)
{
	struct seen *s = ctx;

	if (s->n < (int)ARRAY_SIZE(s->va)) {
		s->va[s->n] = va;
		s->pa[s->n] = pa;
	}
	s->n++;
}

static int read_only(void *ctx, vaddr_t va, pte_t *pte)
{
	(void)ctx;
	(void)va;
	pte_set_bits(pte, pte_bits(PT_USER));
	return 0;
}

/* Walking all 128 TiB of the user half visits the six leaves in order:
 * one page at a time this would take hours. Subranges, early stops, bad
 * ranges and changes made in place. */
SELFTEST(pt_walk_sparse)
{
	uint64_t before = settled_free(), empty;
	struct page *pg = page_alloc(0, GFP_ZERO);
	struct seen s = { 0 };
	paddr_t root, pa = 0;
	unsigned prot;

	ST_ASSERT(pg);
	pa = page_to_phys(pg);
	ST_ASSERT(pt_create(&root) == 0);
	empty = page_free_count();
	ST_ASSERT(map_sparse(root, pa) == 0);
	ST_ASSERT(empty - page_free_count() == SPARSE_TABLES);

	ST_ASSERT(pt_walk_range(root, 0, USER_HALF, note_leaf, &s) == 0);
	ST_ASSERT(s.n == SPARSE_N);
	for (int i = 0; i < SPARSE_N; i++)
		ST_ASSERT(s.va[i] == sparse_va[i] && s.pa[i] == pa);

	s = (struct seen){ 0 };
	ST_ASSERT(pt_walk_range(root, 0x1ff000, GIB + 0x4000, note_leaf, &s) == 0);
	ST_ASSERT(s.n == 3 && s.va[0] == 0x1ff000 && s.va[2] == GIB + 0x3000);
	s = (struct seen){ 0 };
	ST_ASSERT(pt_walk_range(root, 0x11000, 0x1ff000, note_leaf, &s) == 0 && s.n == 0);
	ST_ASSERT(pt_walk_range(root, 0x10000, 0x10000, note_leaf, &s) == 0 && s.n == 0);
	s = (struct seen){ .stop_at = 2 };
	ST_ASSERT(pt_walk_range(root, 0, USER_HALF, note_leaf, &s) == 7 && s.n == 2);

	ST_ASSERT(pt_walk_range(root, 0x10800, 0x20000, note_leaf, &s) == -EINVAL);
	ST_ASSERT(pt_walk_range(root, 0x20000, 0x10000, note_leaf, &s) == -EINVAL);
	ST_ASSERT(pt_walk_range(root, 0, USER_HALF + PAGE_SIZE, note_leaf, &s) == -EINVAL);
	ST_ASSERT(pt_walk_range(root, DIRECT_MAP, DIRECT_MAP + GIB, note_leaf, &s) == -EINVAL);

	ST_ASSERT(pt_walk_range(root, 0x200000, USER_HALF, read_only, NULL) == 0);
	ST_ASSERT(pt_lookup(root, 0x1ff000, NULL, &prot) == 0 && (prot & PT_WRITE));
	ST_ASSERT(pt_lookup(root, 0x200000, NULL, &prot) == 0 && !(prot & PT_WRITE));
	ST_ASSERT(pt_lookup(root, USER_HALF - 1, NULL, &prot) == 0 && !(prot & PT_WRITE));
	ST_ASSERT(pte_frame(pte_make(pa, pte_bits(PT_USER))) == pa);
	ST_ASSERT(pte_writable(pte_make(pa, pte_bits(PT_USER | PT_WRITE))));
	ST_ASSERT(!pte_writable(pte_make(pa, pte_bits(PT_USER))));

	pt_destroy(root);
	page_free(pg, 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* pt_unmap_range on tables that are (live) or are not (!live) in CR3:
 * the frames come back through the callback, the tables the range
 * empties are freed, the ones still in use stay. */
static int unmap_sparse(int live)
{
	struct page *pg = page_alloc(0, GFP_ZERO);
	struct seen s = { 0 };
	paddr_t root, pa, old_cr3 = read_cr3();
	uint64_t empty, full, flags;
	int64_t n;

	ST_ASSERT(pg);
	pa = page_to_phys(pg);
	ST_ASSERT(pt_create(&root) == 0);
	empty = page_free_count();
	ST_ASSERT(map_sparse(root, pa) == 0);
	full = page_free_count();

	/* The kernel half is the same in root, so the tests may run on it. */
	flags = irq_save();
	if (live)
		write_cr3(root);
	/* PT 1 empties; PT 0 keeps 0x10000. */
	n = pt_unmap_range(root, 0x1ff000, 0x201000, note_frame, &s);
	if (live)
		write_cr3(old_cr3);
	irq_restore(flags);
	ST_ASSERT(n == 2 && s.n == 2);
	ST_ASSERT(s.va[0] == 0x1ff000 && s.va[1] == 0x200000 && s.pa[1] == pa);
	ST_ASSERT(page_free_count() == full + 1);
	ST_ASSERT(pt_lookup(root, 0x200000, NULL, NULL) == -ENOENT);
	ST_ASSERT(pt_lookup(root, 0x10000, NULL, NULL) == 0);

	/* Nothing mapped there: nothing called, nothing freed. */
	s = (struct seen){ 0 };
	ST_ASSERT(pt_unmap_range(root, 0x400000, 64 * GIB, note_frame, &s) == 1);
	ST_ASSERT(s.n == 1 && s.va[0] == GIB + 0x3000);
	ST_ASSERT(page_free_count() == full + 1 + 2);	/* its PT and PD */

	s = (struct seen){ 0 };
	flags = irq_save();
	if (live)
		write_cr3(root);
	n = pt_unmap_range(root, 0, USER_HALF, note_frame, &s);
	if (live)
		write_cr3(old_cr3);
	irq_restore(flags);
	ST_ASSERT(n == 3 && s.n == 3 && s.va[2] == USER_HALF - PAGE_SIZE);
	ST_ASSERT(page_free_count() == empty);
	ST_ASSERT(pt_unmap_range(root, 0, USER_HALF, NULL, NULL) == 0);
	ST_ASSERT(pt_unmap_range(root, 0, DIRECT_MAP, NULL, NULL) == -EINVAL);

	pt_destroy(root);
	page_free(pg, 0);
	return 0;
}

SELFTEST(pt_unmap_range_frees_tables)
{
	uint64_t before = settled_free();

	ST_ASSERT(unmap_sparse(0) == 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}

SELFTEST(pt_unmap_range_live)
{
	uint64_t before = settled_free();

	ST_ASSERT(unmap_sparse(1) == 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}

static int copy_entry(void *ctx, vaddr_t va, pte_t *src, pte_t *dst)
{
	int *n = ctx;

	(void)va;
	*dst = *src;
	(*n)++;
	return 0;
}

/* A fork-like copy to a new root builds the same tables, no more; a move
 * inside one root by an offset that is not a multiple of 2 MiB lands
 * every page where it belongs. */
SELFTEST(pt_copy_range_sparse)
{
	uint64_t before = settled_free(), mid;
	struct page *pg = page_alloc(0, GFP_ZERO);
	vaddr_t to = 700 * GIB + 0x5000;
	struct seen s = { 0 };
	paddr_t src, dst, pa;
	int n = 0;

	ST_ASSERT(pg);
	ST_ASSERT(pt_create(&src) == 0 && pt_create(&dst) == 0);
	ST_ASSERT(map_sparse(src, page_to_phys(pg)) == 0);
	mid = page_free_count();
	ST_ASSERT(pt_copy_range(src, 0, USER_HALF, dst, 0, copy_entry, &n) == 0);
	ST_ASSERT(n == SPARSE_N && mid - page_free_count() == SPARSE_TABLES);
	ST_ASSERT(pt_walk_range(dst, 0, USER_HALF, note_leaf, &s) == 0 && s.n == SPARSE_N);
	for (int i = 0; i < SPARSE_N; i++)
		ST_ASSERT(s.va[i] == sparse_va[i] && s.pa[i] == page_to_phys(pg));
	n = 0;
	ST_ASSERT(pt_copy_range(src, 0x1ff000, 0x201000, dst, 0x1ff000, copy_entry, &n) == -EEXIST);

	/* [0x10000, GIB + 0x4000) of src moved to `to` within src. */
	n = 0;
	ST_ASSERT(pt_copy_range(src, 0x10000, GIB + 0x4000, src, to, copy_entry, &n) == 0);
	ST_ASSERT(n == 4);
	for (int i = 0; i < 4; i++)
		ST_ASSERT(pt_lookup(src, to + sparse_va[i] - 0x10000, &pa, NULL) == 0 &&
			  pa == page_to_phys(pg));
	ST_ASSERT(pt_unmap_range(src, 0x10000, GIB + 0x4000, NULL, NULL) == 4);
	s = (struct seen){ 0 };
	ST_ASSERT(pt_walk_range(src, 0, USER_HALF, note_leaf, &s) == 0 && s.n == SPARSE_N);
	ST_ASSERT(s.va[0] == (512 * GIB) + 0x5000 && s.va[1] == to && s.va[4] == to + GIB - 0xd000);
	/* Overlapping ranges of one root are refused. */
	ST_ASSERT(pt_copy_range(src, to, to + GIB, src, to + PAGE_SIZE, copy_entry, &n) == -EINVAL);
	ST_ASSERT(pt_copy_range(src, 0, PAGE_SIZE, dst, USER_HALF, copy_entry, &n) == -EINVAL);

	pt_destroy(src);
	pt_destroy(dst);
	page_free(pg, 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* Running out of page tables at every point of a copy leaves a partial
 * copy that pt_destroy (fork's unwinding) or pt_unmap_range (mremap's)
 * takes back completely. */
SELFTEST(pt_copy_range_enomem)
{
	uint64_t before = settled_free(), mid;
	struct page *pg = page_alloc(0, GFP_ZERO);
	int err = -ENOMEM, n, tries = 0;
	paddr_t src, dst;

	ST_ASSERT(pg);
	ST_ASSERT(pt_create(&src) == 0);
	ST_ASSERT(map_sparse(src, page_to_phys(pg)) == 0);
	for (long k = 0; err == -ENOMEM && k < 64; k++, tries++) {
		ST_ASSERT(pt_create(&dst) == 0);
		n = 0;
		page_alloc_fail_after(k);
		err = pt_copy_range(src, 0, USER_HALF, dst, 0, copy_entry, &n);
		page_alloc_fail_after(-1);
		ST_ASSERT(err == 0 || err == -ENOMEM);
		pt_destroy(dst);
	}
	ST_ASSERT(err == 0 && tries == SPARSE_TABLES + 1);

	mid = page_free_count();
	err = -ENOMEM;
	for (long k = 0; err == -ENOMEM && k < 64; k++) {
		n = 0;
		page_alloc_fail_after(k);
		err = pt_copy_range(src, 0x10000, GIB + 0x4000, src, 700 * GIB, copy_entry, &n);
		page_alloc_fail_after(-1);
		ST_ASSERT(err == 0 || err == -ENOMEM);
		pt_unmap_range(src, 700 * GIB, 701 * GIB + 0x4000 - 0x10000, NULL, NULL);
		ST_ASSERT(page_free_count() == mid);
	}
	ST_ASSERT(err == 0);

	pt_destroy(src);
	page_free(pg, 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* ---- address spaces ---------------------------------------------------- */

#define SP		0x100000000000ull	/* 16 TiB, PML4 slot 32 */
#define SP_LEN		(64ull << 40)		/* 64 TiB */

/* Written pages of the sparse mapping, and one only read (zero page). */
static const uint64_t sp_off[] = {
	0, 0x1ff000, 0x200000, GIB + 0x2000, 512 * GIB + 0x1000, SP_LEN - PAGE_SIZE,
};
#define SP_N		6
#define SP_READ		(3 * GIB)

static int map_fixed(struct mm *mm, uint64_t addr, uint64_t len, unsigned long prot)
{
	uint64_t got;
	int err = do_mmap(mm, addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			  -1, 0, &got);

	return err ? err : (got == addr ? 0 : -EINVAL);
}

/* An address space with the 64 TiB mapping and its seven pages. */
static int sparse_space(struct mm **out)
{
	struct mm *mm;
	int err = mm_create(&mm);

	if (err)
		return err;
	err = map_fixed(mm, SP, SP_LEN, PROT_READ | PROT_WRITE);
	for (int i = 0; i < SP_N && !err; i++) {
		uint64_t val = 0x5000 + i;

		err = mm_copy_in(mm, SP + sp_off[i], &val, sizeof(val));
	}
	if (!err && mm_fault(mm, SP + SP_READ, FAULT_READ, NULL) != FAULT_OK)
		err = -ENOMEM;
	if (err) {
		mm_destroy(mm);
		return err;
	}
	*out = mm;
	return 0;
}

static int count_leaf(void *ctx, vaddr_t va, pte_t *pte)
{
	(void)va;
	(void)pte;
	(*(int *)ctx)++;
	return 0;
}

static int leaves(struct mm *mm)
{
	int n = 0;

	pt_walk_range(mm->pml4, 0, USER_HALF, count_leaf, &n);
	return n;
}

/* Fork of a 64 TiB mapping with seven pages in it: stepping through it
 * page by page would take hours. Both sides end up read-only on shared
 * frames with their counts raised; the zero page is shared uncounted. */
SELFTEST(mm_fork_sparse)
{
	uint64_t before = settled_free();
	struct mm *a, *b;
	paddr_t pa, pb;
	unsigned prot;

	ST_ASSERT(sparse_space(&a) == 0);
	ST_ASSERT(mm_fork(a, &b) == 0);
	for (int i = 0; i < SP_N; i++) {
		ST_ASSERT(pt_lookup(a->pml4, SP + sp_off[i], &pa, &prot) == 0 && !(prot & PT_WRITE));
		ST_ASSERT(pt_lookup(b->pml4, SP + sp_off[i], &pb, &prot) == 0 && !(prot & PT_WRITE));
		ST_ASSERT(pa == pb && phys_to_page(pa)->refcount == 2 &&
			  phys_to_page(pa)->mapcount == 2);
		ST_ASSERT(*(uint64_t *)phys_to_virt(pb) == 0x5000u + i);
	}
	ST_ASSERT(pt_lookup(b->pml4, SP + SP_READ, &pb, NULL) == 0 && pb == mm_zero_page());
	ST_ASSERT(leaves(a) == leaves(b));
	ST_ASSERT(b->resident == a->resident && b->rss[MM_RSS_ANON] == a->rss[MM_RSS_ANON]);
	ST_ASSERT(b->total_vm == a->total_vm);

	/* The parent's munmap drops its half of every count. */
	ST_ASSERT(do_munmap(a, SP, SP_LEN) == 0);
	ST_ASSERT(a->resident == 0 && a->rss[MM_RSS_ANON] == 0);
	ST_ASSERT(pt_lookup(b->pml4, SP, &pb, NULL) == 0 && phys_to_page(pb)->refcount == 1);
	mm_destroy(a);
	mm_destroy(b);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* mm_fork of the sparse space failing at each allocation unwinds
 * completely, and the parent stays intact. */
SELFTEST(mm_fork_sparse_enomem)
{
	uint64_t before = settled_free(), resident;
	int err = -ENOMEM;
	struct mm *a, *b;
	paddr_t pa;

	ST_ASSERT(sparse_space(&a) == 0);
	resident = a->resident;
	for (long k = 0; err == -ENOMEM && k < 100; k++) {
		page_alloc_fail_after(k);
		err = mm_fork(a, &b);
		page_alloc_fail_after(-1);
		ST_ASSERT(err == 0 || err == -ENOMEM);
		ST_ASSERT(a->resident == resident);
		for (int i = 0; i < SP_N; i++)
			ST_ASSERT(pt_lookup(a->pml4, SP + sp_off[i], &pa, NULL) == 0 &&
				  phys_to_page(pa)->refcount == 1 + (err == 0));
		if (err == 0)
			mm_destroy(b);
	}
	ST_ASSERT(err == 0);
	mm_destroy(a);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/*
 * Dropping pages frees the page tables they leave empty: 64 pages, one
 * per 2 MiB, cost 64 frames, 64 PTs, a PD and a PDPT, and MADV_DONTNEED
 * or munmap of the range gives all 130 back.
 */
SELFTEST(mm_zap_frees_tables)
{
	uint64_t before = settled_free(), mapped;
	struct mm *mm;

	ST_ASSERT(mm_create(&mm) == 0);
	ST_ASSERT(map_fixed(mm, SP, GIB, PROT_READ | PROT_WRITE) == 0);
	for (int round = 0; round < 2; round++) {
		mapped = settled_free();
		for (uint64_t i = 0; i < 64; i++)
			ST_ASSERT(mm_copy_in(mm, SP + i * HUGE_2M, &i, sizeof(i)) == 0);
		ST_ASSERT(mapped - settled_free() == 130);
		ST_ASSERT(mm->resident == 64);
		if (round == 0)
			ST_ASSERT(do_madvise(mm, SP, GIB, MADV_DONTNEED) == 0);
		else	/* all but the untouched last page: no VMA freed */
			ST_ASSERT(do_munmap(mm, SP, GIB - PAGE_SIZE) == 0);
		ST_ASSERT(mm->resident == 0 && leaves(mm) == 0);
		ST_ASSERT(settled_free() == mapped);
	}
	mm_destroy(mm);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* mprotect of the whole 64 TiB: every present entry follows, write
 * permission is taken away and never granted back (the fault does). */
SELFTEST(mm_mprotect_sparse)
{
	uint64_t before = settled_free();
	unsigned prot;
	struct mm *mm;

	ST_ASSERT(sparse_space(&mm) == 0);
	ST_ASSERT(do_mprotect(mm, SP, SP_LEN, PROT_READ) == 0);
	for (int i = 0; i < SP_N; i++)
		ST_ASSERT(pt_lookup(mm->pml4, SP + sp_off[i], NULL, &prot) == 0 &&
			  (prot & (PT_USER | PT_WRITE)) == PT_USER);
	ST_ASSERT(do_mprotect(mm, SP, SP_LEN, PROT_NONE) == 0);
	ST_ASSERT(pt_lookup(mm->pml4, SP, NULL, &prot) == 0 && !(prot & PT_USER));
	ST_ASSERT(do_mprotect(mm, SP, SP_LEN, PROT_READ | PROT_WRITE) == 0);
	ST_ASSERT(pt_lookup(mm->pml4, SP, NULL, &prot) == 0 &&
		  (prot & (PT_USER | PT_WRITE)) == PT_USER);
	ST_ASSERT(mm_fault(mm, SP, FAULT_WRITE, NULL) == FAULT_OK);
	ST_ASSERT(pt_lookup(mm->pml4, SP, NULL, &prot) == 0 && (prot & PT_WRITE));
	ST_ASSERT(leaves(mm) == SP_N + 1);
	mm_destroy(mm);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* mremap moves 1 TiB with its pages (same frames, no copies) and leaves
 * no page table behind: moved away and back, the frame count is exact. */
SELFTEST(mm_mremap_sparse)
{
	uint64_t before = settled_free(), to = SP + SP_LEN + 0x7000, got, kept;
	const unsigned long move = 3;	/* MREMAP_MAYMOVE | MREMAP_FIXED */
	paddr_t pa[SP_N - 1], p;
	struct mm *mm;

	ST_ASSERT(sparse_space(&mm) == 0);
	for (int i = 0; i < SP_N - 1; i++)
		ST_ASSERT(pt_lookup(mm->pml4, SP + sp_off[i], &pa[i], NULL) == 0);
	ST_ASSERT(do_munmap(mm, SP + 1024 * GIB, SP_LEN - 1024 * GIB) == 0);
	kept = settled_free();
	ST_ASSERT(do_mremap(mm, SP, 1024 * GIB, 1024 * GIB, move, to, &got) == 0 && got == to);
	for (int i = 0; i < SP_N - 1; i++) {
		ST_ASSERT(pt_lookup(mm->pml4, SP + sp_off[i], NULL, NULL) == -ENOENT);
		ST_ASSERT(pt_lookup(mm->pml4, to + sp_off[i], &p, NULL) == 0 && p == pa[i]);
		ST_ASSERT(phys_to_page(p)->refcount == 1);
	}
	ST_ASSERT(pt_lookup(mm->pml4, to + SP_READ, &p, NULL) == 0 && p == mm_zero_page());
	ST_ASSERT(leaves(mm) == SP_N && mm->resident == SP_N - 1);
	ST_ASSERT(do_mremap(mm, to, 1024 * GIB, 1024 * GIB, move, SP, &got) == 0 && got == SP);
	for (int i = 0; i < SP_N - 1; i++)
		ST_ASSERT(pt_lookup(mm->pml4, SP + sp_off[i], &p, NULL) == 0 && p == pa[i]);
	ST_ASSERT(leaves(mm) == SP_N && settled_free() == kept);
	mm_destroy(mm);
	ST_ASSERT(settled_free() == before);
	return 0;
}
