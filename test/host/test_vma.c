/* Host tests of the VMA interval logic (mm/vma.c) over a malloc-backed
 * allocator that can be told to fail on its Nth call, and hooks that count
 * opens and closes per backing object. Sketches are in pages from BASE:
 * |--A--| a VMA, [===) the range an operation works on, . a free page. */
#include "test.h"
#include <vma.h>
#include <uapi/errno.h>
#include <stdlib.h>
#include <string.h>

#define BASE		0x10000000ull
#define PG(n)		(BASE + (uint64_t)(n) * VMA_PAGE_SIZE)
#define MIB		(1ull << 20)

#define PROT_R		VMA_READ
#define PROT_RW		(VMA_READ | VMA_WRITE)
#define MAY_ALL		(VMA_MAYREAD | VMA_MAYWRITE | VMA_MAYEXEC)
#define F_R		(PROT_R | MAY_ALL)
#define F_RW		(PROT_RW | MAY_ALL)

/* A backing object: refs counts the VMA structs that hold it. */
struct tobj {
	long refs;
};

struct heap {
	long calls;		/* alloc calls so far */
	long fail_at;		/* this call (1-based) fails; 0: never */
	long live;		/* VMA structs allocated and not freed */
	long opens, closes;
};

static struct vma *heap_alloc(void *ctx)
{
	struct heap *h = ctx;
	struct vma *v;

	h->calls++;
	if (h->fail_at && h->calls == h->fail_at)
		return NULL;
	v = malloc(sizeof(*v));
	if (v) {
		memset(v, 0xAA, sizeof(*v));	/* no help from zeroed memory */
		h->live++;
	}
	return v;
}

static void heap_free(void *ctx, struct vma *v)
{
	struct heap *h = ctx;

	h->live--;
	memset(v, 0x55, sizeof(*v));
	free(v);
}

static void heap_open(void *ctx, struct vma *v)
{
	struct heap *h = ctx;

	h->opens++;
	if (v->obj)
		((struct tobj *)v->obj)->refs++;
}

static void heap_close(void *ctx, struct vma *v)
{
	struct heap *h = ctx;

	h->closes++;
	if (v->obj)
		((struct tobj *)v->obj)->refs--;
}

struct fx {
	struct heap heap;
	struct vma_hooks hooks;
	struct vma_tree t;
};

static void fx_init(struct fx *f, uint64_t low, uint64_t high)
{
	memset(f, 0, sizeof(*f));
	f->hooks = (struct vma_hooks){ heap_alloc, heap_free, heap_open,
				       heap_close, &f->heap };
	if (vma_tree_init(&f->t, low, high, &f->hooks) != 0)
		abort();
}

/* A template for insert/replace. */
static struct vma mk(uint64_t start, uint64_t end, uint32_t flags, void *obj,
		     uint64_t pgoff)
{
	struct vma v;

	memset(&v, 0, sizeof(v));
	v.start = start;
	v.end = end;
	v.flags = flags;
	v.obj = obj;
	v.pgoff = pgoff;
	return v;
}

static int ins(struct fx *f, uint64_t s, uint64_t e, uint32_t flags, void *obj,
	       uint64_t pgoff)
{
	struct vma v = mk(PG(s), PG(e), flags, obj, pgoff);

	return vma_insert(&f->t, &v, NULL);
}

/* The expected layout, in pages; pgoff < 0 means "don't care" (anon). */
struct want {
	uint64_t s, e;
	uint32_t flags;
	void *obj;
	long pgoff;
};

/* Index of the first VMA that differs from w[0..n), n if the count
 * differs, or -1 when the tree is exactly w. */
static int layout_diff(const struct vma_tree *t, const struct want *w, int n)
{
	const struct vma *v;
	int i = 0;

	vma_for_each(v, t) {
		if (i == n)
			return n;
		if (v->start != PG(w[i].s) || v->end != PG(w[i].e) ||
		    v->flags != w[i].flags || v->obj != w[i].obj ||
		    (w[i].pgoff >= 0 && v->pgoff != (uint64_t)w[i].pgoff))
			return i;
		i++;
	}
	if (i != n || t->count != (uint64_t)n)
		return n;
	return vma_tree_check(t) == 0 ? -1 : 1000;
}

#define ASSERT_LAYOUT(t, ...)						\
	do {								\
		const struct want _w[] = { __VA_ARGS__ };		\
		ASSERT_EQ(layout_diff((t), _w, sizeof(_w) / sizeof(_w[0])), -1); \
	} while (0)
#define ASSERT_EMPTY(t)							\
	do {								\
		ASSERT_EQ((t)->count, 0);				\
		ASSERT(vma_first(t) == NULL);				\
		ASSERT_EQ(vma_tree_check(t), 0);			\
	} while (0)

/* Every field of every VMA, to prove that a failed call changed nothing. */
struct snap {
	int n;
	struct vma v[64];
};

static void snap_take(const struct vma_tree *t, struct snap *s)
{
	const struct vma *v;

	s->n = 0;
	vma_for_each(v, t) {
		if (s->n == 64)
			abort();
		s->v[s->n++] = mk(v->start, v->end, v->flags, v->obj, v->pgoff);
		s->v[s->n - 1].name = v->name;
		s->v[s->n - 1].ops = v->ops;
	}
}

static bool snap_same(const struct vma_tree *t, const struct snap *s)
{
	struct snap now;

	snap_take(t, &now);
	return now.n == s->n && memcmp(now.v, s->v, s->n * sizeof(s->v[0])) == 0;
}

/* What a range callback heard. */
struct rec {
	int n;
	struct {
		uint64_t s, e;		/* the piece */
		uint64_t vs, ve;	/* its VMA, as it was then */
		uint32_t flags;
	} p[32];
};

static void rec_cb(void *ctx, const struct vma *v, uint64_t s, uint64_t e)
{
	struct rec *r = ctx;

	if (r->n == 32)
		abort();
	r->p[r->n].s = s;
	r->p[r->n].e = e;
	r->p[r->n].vs = v->start;
	r->p[r->n].ve = v->end;
	r->p[r->n].flags = v->flags;
	r->n++;
}

#define ASSERT_PIECE(r, i, s_, e_)					\
	do {								\
		ASSERT_EQ((r)->p[i].s, PG(s_));				\
		ASSERT_EQ((r)->p[i].e, PG(e_));				\
	} while (0)

static void fx_done(struct fx *f)
{
	vma_tree_destroy(&f->t);
	ASSERT_EQ(f->heap.live, 0);
	ASSERT_EQ(f->heap.opens, f->heap.closes);
}

/* ---- insert ------------------------------------------------------------ */

/*
 *   2   4       8   10
 *       |-- A --|           A = [4,8)
 *     [===)   [===)         overlapping A: -EEXIST (MAP_FIXED_NOREPLACE)
 *   [=)           [=)       touching A: fine
 */
TEST(vma_insert_fixed_noreplace_eexist)
{
	struct fx f;
	struct tobj o = { 0 };
	struct snap s;

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 4, 8, F_RW, &o, 0), 0);
	snap_take(&f.t, &s);
	f.heap.calls = 0;
	ASSERT_EQ(ins(&f, 3, 5, F_R, NULL, 0), -EEXIST);
	ASSERT_EQ(ins(&f, 7, 9, F_R, NULL, 0), -EEXIST);
	ASSERT_EQ(f.heap.calls, 0);		/* decided before allocating */
	ASSERT(snap_same(&f.t, &s));
	ASSERT_EQ(ins(&f, 2, 4, F_R, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 8, 10, F_R, NULL, 0), 0);
	ASSERT_LAYOUT(&f.t, { 2, 4, F_R, NULL, -1 }, { 4, 8, F_RW, &o, 0 },
		      { 8, 10, F_R, NULL, -1 });
	ASSERT_EQ(o.refs, 1);
	fx_done(&f);
	ASSERT_EQ(o.refs, 0);
}

TEST(vma_insert_rejects_overlap_and_bad_ranges)
{
	struct fx f;
	struct vma v = mk(PG(1) + 1, PG(2), F_R, NULL, 0);

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 10, 20, F_RW, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 10, 20, F_R, NULL, 0), -EEXIST);	/* same */
	ASSERT_EQ(ins(&f, 5, 30, F_R, NULL, 0), -EEXIST);	/* around */
	ASSERT_EQ(ins(&f, 12, 13, F_R, NULL, 0), -EEXIST);	/* inside */
	ASSERT_EQ(ins(&f, 19, 21, F_R, NULL, 0), -EEXIST);	/* tail */
	ASSERT_EQ(ins(&f, 5, 5, F_R, NULL, 0), -EINVAL);	/* empty */
	ASSERT_EQ(ins(&f, 6, 5, F_R, NULL, 0), -EINVAL);
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), -EINVAL);		/* unaligned */
	v = mk(BASE - VMA_PAGE_SIZE, PG(1), F_R, NULL, 0);
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), -EINVAL);		/* below low */
	ASSERT_EQ(ins(&f, 60, 65, F_R, NULL, 0), -EINVAL);	/* above high */
	ASSERT_EQ(ins(&f, 0, 1, F_R, NULL, 0), 0);		/* the edges */
	ASSERT_EQ(ins(&f, 63, 64, F_R, NULL, 0), 0);
	ASSERT_LAYOUT(&f.t, { 0, 1, F_R, NULL, -1 }, { 10, 20, F_RW, NULL, -1 },
		      { 63, 64, F_R, NULL, -1 });
	ASSERT(vma_find(&f.t, PG(10)) == vma_find(&f.t, PG(20) - 1));
	ASSERT(vma_find(&f.t, PG(20)) == NULL);
	ASSERT(vma_find(&f.t, PG(9) + 4095) == NULL);
	ASSERT_EQ(vma_find_next(&f.t, PG(1))->start, PG(10));
	ASSERT_EQ(vma_find_next(&f.t, PG(15))->start, PG(10));
	ASSERT_EQ(vma_find_next(&f.t, PG(20))->start, PG(63));
	ASSERT(vma_find_next(&f.t, PG(64)) == NULL);
	fx_done(&f);
}

/* ---- split ------------------------------------------------------------- */

/*
 *   0     4  6         10
 *   |------- A --------|     obj, pgoff 100
 *         [==)               unmap [4,6)
 *   |- A -|  |-- A' ---|     A' = [6,10), pgoff 106, a second holder
 */
TEST(vma_unmap_middle_split)
{
	struct fx f;
	struct tobj o = { 0 };
	struct rec r = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 10, F_RW, &o, 100), 0);
	ASSERT_EQ(vma_unmap_range(&f.t, PG(4), PG(6), rec_cb, &r), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_PIECE(&r, 0, 4, 6);
	ASSERT_EQ(r.p[0].vs, PG(0));		/* reported before the cut */
	ASSERT_EQ(r.p[0].ve, PG(10));
	ASSERT_LAYOUT(&f.t, { 0, 4, F_RW, &o, 100 }, { 6, 10, F_RW, &o, 106 });
	ASSERT_EQ(o.refs, 2);
	ASSERT_EQ(f.heap.live, 2);
	fx_done(&f);
	ASSERT_EQ(o.refs, 0);
}

/*
 *   0  3       10
 *   |---- A ---|          pgoff 100
 *   [==)                  unmap [0,3)
 *      |-- A --|          [3,10), pgoff 103
 */
TEST(vma_unmap_head_split)
{
	struct fx f;
	struct tobj o = { 0 };
	struct rec r = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 10, F_RW, &o, 100), 0);
	ASSERT_EQ(vma_unmap_range(&f.t, PG(0), PG(3), rec_cb, &r), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_PIECE(&r, 0, 0, 3);
	ASSERT_LAYOUT(&f.t, { 3, 10, F_RW, &o, 103 });
	ASSERT_EQ(o.refs, 1);
	ASSERT_EQ(f.heap.calls, 1);		/* only the insert */
	fx_done(&f);
}

/*
 *   0        7  10  12
 *   |---- A -----|          pgoff 100
 *            [======)       unmap [7,12): past the end is fine
 *   |-- A ---|              [0,7), pgoff 100
 */
TEST(vma_unmap_tail_split)
{
	struct fx f;
	struct tobj o = { 0 };
	struct rec r = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 10, F_RW, &o, 100), 0);
	ASSERT_EQ(vma_unmap_range(&f.t, PG(7), PG(12), rec_cb, &r), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_PIECE(&r, 0, 7, 10);
	ASSERT_LAYOUT(&f.t, { 0, 7, F_RW, &o, 100 });
	fx_done(&f);
}

TEST(vma_split_and_merge_back)
{
	struct fx f;
	struct tobj o = { 0 };
	struct vma *a, *up = NULL;

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 10, F_RW, &o, 7), 0);
	a = vma_find(&f.t, PG(0));
	ASSERT_EQ(vma_split(&f.t, a, PG(0), &up), -EINVAL);
	ASSERT_EQ(vma_split(&f.t, a, PG(10), &up), -EINVAL);
	ASSERT_EQ(vma_split(&f.t, a, PG(4) + 8, &up), -EINVAL);
	ASSERT_EQ(vma_split(&f.t, a, PG(4), &up), 0);
	ASSERT(up && up->start == PG(4));
	ASSERT_LAYOUT(&f.t, { 0, 4, F_RW, &o, 7 }, { 4, 10, F_RW, &o, 11 });
	ASSERT_EQ(o.refs, 2);
	/* The caller changes a field in place, then asks for a merge. */
	up->flags = F_R;
	ASSERT(vma_merge(&f.t, up) == up);
	ASSERT_EQ(f.t.count, 2);
	up->flags = F_RW;
	ASSERT(vma_merge(&f.t, up) == a);
	ASSERT_LAYOUT(&f.t, { 0, 10, F_RW, &o, 7 });
	ASSERT_EQ(o.refs, 1);
	fx_done(&f);
}

/* ---- merge rules ------------------------------------------------------- */

/*
 *   0   4   8   12  16
 *   |-A-|-B-|       |-D-|     A, B anon RW: one VMA on insert
 *           |-C-|             C fills the hole: A..D become one, D's
 *                             struct is closed and freed
 */
TEST(vma_merge_adjacent_compatible)
{
	struct fx f;
	struct tobj o = { 0 };
	struct vma v, *out;

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 4, F_RW, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 4, 8, F_RW, NULL, 55), 0);	/* anon: pgoff moot */
	ASSERT_LAYOUT(&f.t, { 0, 8, F_RW, NULL, -1 });
	ASSERT_EQ(ins(&f, 12, 16, F_RW, NULL, 0), 0);
	ASSERT_EQ(f.heap.live, 2);
	v = mk(PG(8), PG(12), F_RW, NULL, 0);
	ASSERT_EQ(vma_insert(&f.t, &v, &out), 0);
	ASSERT_EQ(out->start, PG(0));
	ASSERT_LAYOUT(&f.t, { 0, 16, F_RW, NULL, -1 });
	ASSERT_EQ(f.heap.live, 1);
	ASSERT_EQ(f.heap.closes, 1);

	/* File pages: merge when pgoff continues, below and above. */
	ASSERT_EQ(ins(&f, 30, 34, F_R, &o, 10), 0);
	ASSERT_EQ(ins(&f, 34, 36, F_R, &o, 14), 0);
	ASSERT_EQ(ins(&f, 28, 30, F_R, &o, 8), 0);
	ASSERT_LAYOUT(&f.t, { 0, 16, F_RW, NULL, -1 }, { 28, 36, F_R, &o, 8 });
	ASSERT_EQ(o.refs, 1);
	fx_done(&f);
}

/*
 *   0   4   8
 *   |-a-|-b-|      different objects: two VMAs
 *   |anon|-a|      anon next to a file: two VMAs
 */
TEST(vma_no_merge_across_objects)
{
	struct fx f;
	struct tobj a = { 0 }, b = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 4, F_RW, &a, 0), 0);
	ASSERT_EQ(ins(&f, 4, 8, F_RW, &b, 4), 0);
	ASSERT_EQ(ins(&f, 8, 12, F_RW, NULL, 8), 0);
	ASSERT_EQ(ins(&f, 12, 16, F_RW, &a, 12), 0);
	ASSERT_LAYOUT(&f.t, { 0, 4, F_RW, &a, 0 }, { 4, 8, F_RW, &b, 4 },
		      { 8, 12, F_RW, NULL, -1 }, { 12, 16, F_RW, &a, 12 });
	ASSERT_EQ(a.refs, 2);
	ASSERT_EQ(b.refs, 1);
	fx_done(&f);
	ASSERT_EQ(a.refs + b.refs, 0);
}

/*
 *   0   4   8
 *   |-a-|-a-|      pgoff 0 then 5: page 4 of the object is not page 5
 */
TEST(vma_no_merge_noncontiguous_pgoff)
{
	struct fx f;
	struct tobj a = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 4, F_RW, &a, 0), 0);
	ASSERT_EQ(ins(&f, 4, 8, F_RW, &a, 5), 0);
	ASSERT_EQ(ins(&f, 8, 12, F_RW, &a, 8), 0);	/* below 5+4=9: no */
	ASSERT_EQ(ins(&f, 12, 14, F_RW, &a, 13), 0);	/* 9+4... no: 12 */
	ASSERT_LAYOUT(&f.t, { 0, 4, F_RW, &a, 0 }, { 4, 8, F_RW, &a, 5 },
		      { 8, 12, F_RW, &a, 8 }, { 12, 14, F_RW, &a, 13 });
	ASSERT_EQ(ins(&f, 14, 16, F_RW, &a, 15), 0);	/* 13+2: merges */
	ASSERT_LAYOUT(&f.t, { 0, 4, F_RW, &a, 0 }, { 4, 8, F_RW, &a, 5 },
		      { 8, 12, F_RW, &a, 8 }, { 12, 16, F_RW, &a, 13 });
	fx_done(&f);
}

/* Flags, names, ops and VMA_NOMERGE each keep neighbours apart; equal
 * names in different buffers do not. */
TEST(vma_no_merge_different_flags_names_ops)
{
	static const int ops_a = 1, ops_b = 2;
	char heap1[] = "[heap]", heap2[] = "[heap]";
	struct fx f;
	struct vma v;

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 2, F_RW, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 2, 4, F_R, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 4, 6, F_R | VMA_LOCKED, NULL, 0), 0);
	ASSERT_EQ(f.t.count, 3);

	v = mk(PG(10), PG(12), F_RW, NULL, 0);
	v.name = heap1;
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), 0);
	v = mk(PG(12), PG(14), F_RW, NULL, 0);
	v.name = heap2;				/* same text: merges */
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), 0);
	v = mk(PG(14), PG(16), F_RW, NULL, 0);	/* no name */
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), 0);
	ASSERT_EQ(f.t.count, 5);
	ASSERT_STR(vma_find(&f.t, PG(13))->name, "[heap]");
	ASSERT_EQ(vma_find(&f.t, PG(13))->start, PG(10));

	v = mk(PG(20), PG(22), F_RW, NULL, 0);
	v.ops = &ops_a;
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), 0);
	v = mk(PG(22), PG(24), F_RW, NULL, 0);
	v.ops = &ops_b;
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), 0);
	ASSERT_EQ(f.t.count, 7);

	ASSERT_EQ(ins(&f, 30, 32, F_RW | VMA_NOMERGE, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 32, 34, F_RW | VMA_NOMERGE, NULL, 0), 0);
	ASSERT_EQ(f.t.count, 9);
	ASSERT_EQ(vma_tree_check(&f.t), 0);
	fx_done(&f);
}

/* ---- unmap ------------------------------------------------------------- */

/*
 *   0  1 2 3    5 6 7 8 9  11
 *   |-A--|.|-B--|.|C|.|--D--|
 *      [==================)        unmap [1,9)
 *   |A|                 |D'-|      B and C gone, A and D trimmed
 */
TEST(vma_unmap_several_with_holes)
{
	struct fx f;
	struct tobj d = { 0 };
	struct rec r = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 2, F_RW, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 3, 5, F_R, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 6, 7, F_RW, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 8, 11, F_R, &d, 40), 0);
	ASSERT_EQ(vma_unmap_range(&f.t, PG(1), PG(9), rec_cb, &r), 0);
	ASSERT_EQ(r.n, 4);
	ASSERT_PIECE(&r, 0, 1, 2);
	ASSERT_PIECE(&r, 1, 3, 5);
	ASSERT_PIECE(&r, 2, 6, 7);
	ASSERT_PIECE(&r, 3, 8, 9);
	ASSERT_EQ(r.p[0].ve, PG(2));		/* every VMA still whole then */
	ASSERT_EQ(r.p[3].vs, PG(8));
	ASSERT_LAYOUT(&f.t, { 0, 1, F_RW, NULL, -1 }, { 9, 11, F_R, &d, 41 });
	ASSERT_EQ(f.heap.closes, 2);
	ASSERT_EQ(f.heap.live, 2);
	ASSERT_EQ(d.refs, 1);

	r.n = 0;				/* a hole: nothing to do */
	ASSERT_EQ(vma_unmap_range(&f.t, PG(2), PG(9), rec_cb, &r), 0);
	ASSERT_EQ(r.n, 0);
	ASSERT_EQ(vma_unmap_range(&f.t, PG(2), PG(2), rec_cb, &r), -EINVAL);
	ASSERT_EQ(vma_unmap_range(&f.t, PG(2), PG(3) + 1, rec_cb, &r), -EINVAL);
	ASSERT_EQ(f.t.count, 2);
	fx_done(&f);
}

/* Unmapping the whole address space releases every VMA and every ref. */
TEST(vma_unmap_full_range_releases_all)
{
	struct fx f;
	struct tobj o[3] = { { 0 } };
	struct rec r = { 0 };

	fx_init(&f, BASE, PG(64));
	for (int i = 0; i < 20; i++)
		ASSERT_EQ(ins(&f, 3 * i, 3 * i + 2, i % 2 ? F_R : F_RW,
			      i % 4 ? &o[i % 3] : NULL, i), 0);
	ASSERT_EQ(f.t.count, 20);
	ASSERT(o[0].refs > 0 && o[1].refs > 0 && o[2].refs > 0);
	ASSERT_EQ(vma_unmap_range(&f.t, f.t.low, f.t.high, rec_cb, &r), 0);
	ASSERT_EQ(r.n, 20);
	ASSERT_EMPTY(&f.t);
	ASSERT_EQ(f.heap.live, 0);
	ASSERT_EQ(f.heap.opens, f.heap.closes);
	ASSERT_EQ(o[0].refs + o[1].refs + o[2].refs, 0);

	/* Destroy closes and frees whatever is left. */
	ASSERT_EQ(ins(&f, 1, 2, F_R, &o[0], 0), 0);
	ASSERT_EQ(ins(&f, 5, 9, F_R, &o[1], 0), 0);
	vma_tree_destroy(&f.t);
	ASSERT_EMPTY(&f.t);
	ASSERT_EQ(f.heap.live, 0);
	ASSERT_EQ(o[0].refs + o[1].refs, 0);
	fx_done(&f);
}

/* ---- protect ----------------------------------------------------------- */

/*
 *   0      3     6       10
 *   |---------- A -------|     RW
 *          [=====)             PROT_NONE
 *   |- A --|- N -|-- A' -|
 *          [=====)             RW again
 *   |---------- A -------|     one VMA, as before
 */
TEST(vma_protect_none_and_restore)
{
	struct fx f;
	struct tobj o = { 0 };
	struct rec r = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 10, F_RW, &o, 20), 0);
	ASSERT_EQ(vma_protect_range(&f.t, PG(3), PG(6), 0, rec_cb, &r), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_PIECE(&r, 0, 3, 6);
	ASSERT_EQ(r.p[0].flags, F_RW);		/* old flags in the callback */
	ASSERT_LAYOUT(&f.t, { 0, 3, F_RW, &o, 20 }, { 3, 6, MAY_ALL, &o, 23 },
		      { 6, 10, F_RW, &o, 26 });
	ASSERT_EQ(o.refs, 3);

	r.n = 0;
	ASSERT_EQ(vma_protect_range(&f.t, PG(3), PG(6), PROT_RW, rec_cb, &r), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_EQ(r.p[0].flags, MAY_ALL);
	ASSERT_LAYOUT(&f.t, { 0, 10, F_RW, &o, 20 });
	ASSERT_EQ(o.refs, 1);
	ASSERT_EQ(f.heap.live, 1);

	/* No change, no split, no callback. */
	r.n = 0;
	ASSERT_EQ(vma_protect_range(&f.t, PG(2), PG(4), PROT_RW, rec_cb, &r), 0);
	ASSERT_EQ(r.n, 0);
	ASSERT_EQ(f.heap.calls, 3);
	fx_done(&f);
}

/*
 *   0   2   4 5   7 8
 *   |-- A --|.|-B-|.
 *       [=====)          hole at 4: -ENOMEM, nothing changed
 */
TEST(vma_protect_hole_is_enomem_and_changes_nothing)
{
	struct fx f;
	struct rec r = { 0 };
	struct snap s;

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 4, F_RW, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 5, 7, F_RW, NULL, 0), 0);
	snap_take(&f.t, &s);
	f.heap.calls = 0;
	ASSERT_EQ(vma_protect_range(&f.t, PG(2), PG(6), PROT_R, rec_cb, &r), -ENOMEM);
	ASSERT_EQ(vma_protect_range(&f.t, PG(5), PG(8), PROT_R, rec_cb, &r), -ENOMEM);
	ASSERT_EQ(vma_protect_range(&f.t, PG(4), PG(6), PROT_R, rec_cb, &r), -ENOMEM);
	ASSERT_EQ(vma_protect_range(&f.t, PG(30), PG(31), PROT_R, rec_cb, &r), -ENOMEM);
	ASSERT_EQ(vma_protect_range(&f.t, PG(0), PG(1), VMA_SHARED, rec_cb, &r), -EINVAL);
	ASSERT_EQ(vma_protect_range(&f.t, PG(1), PG(1), PROT_R, rec_cb, &r), -EINVAL);
	ASSERT_EQ(r.n, 0);
	ASSERT_EQ(f.heap.calls, 0);
	ASSERT(snap_same(&f.t, &s));
	ASSERT_EQ(vma_tree_check(&f.t), 0);
	fx_done(&f);
}

/*
 *   0  2  4     8  10 12
 *   |- A -|- B -|- C -|     R; B may only ever read
 *      [===========)        RW or EXEC: -EACCES at B, nothing changed
 *      [===========)        PROT_NONE needs no MAY bit: splits A and C
 */
TEST(vma_protect_needs_may_bits)
{
	struct fx f;
	struct snap s;
	const uint32_t b_flags = PROT_R | VMA_MAYREAD;

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 4, F_R, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 4, 8, b_flags, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 8, 12, F_R, NULL, 0), 0);
	snap_take(&f.t, &s);
	ASSERT_EQ(vma_protect_range(&f.t, PG(2), PG(10), PROT_RW, NULL, NULL), -EACCES);
	ASSERT(snap_same(&f.t, &s));
	/* Address order decides between a hole and a refusal. */
	ASSERT_EQ(vma_protect_range(&f.t, PG(4), PG(14), PROT_RW, NULL, NULL), -EACCES);
	ASSERT_EQ(vma_protect_range(&f.t, PG(8), PG(14), PROT_RW, NULL, NULL), -ENOMEM);
	ASSERT_EQ(vma_protect_range(&f.t, PG(2), PG(6), VMA_EXEC, NULL, NULL), -EACCES);
	ASSERT_EQ(vma_protect_range(&f.t, PG(2), PG(6), PROT_R, NULL, NULL), 0);
	ASSERT(snap_same(&f.t, &s));
	ASSERT_EQ(vma_protect_range(&f.t, PG(2), PG(10), 0, NULL, NULL), 0);
	ASSERT_LAYOUT(&f.t, { 0, 2, F_R, NULL, -1 }, { 2, 4, MAY_ALL, NULL, -1 },
		      { 4, 8, VMA_MAYREAD, NULL, -1 }, { 8, 10, MAY_ALL, NULL, -1 },
		      { 10, 12, F_R, NULL, -1 });
	fx_done(&f);
}

/*
 *   0     4     8     12
 *   |- A -|- B -|- C -|     R, RW, R
 *         [=====)           B to R: A, B and C merge into one
 *      [=====)              [2,6) to RW: splits A... into three
 */
TEST(vma_protect_merges_with_neighbours)
{
	struct fx f;
	struct tobj o = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 4, F_R, &o, 0), 0);
	ASSERT_EQ(ins(&f, 4, 8, F_RW, &o, 4), 0);
	ASSERT_EQ(ins(&f, 8, 12, F_R, &o, 8), 0);
	ASSERT_EQ(f.t.count, 3);
	ASSERT_EQ(vma_protect_range(&f.t, PG(4), PG(8), PROT_R, NULL, NULL), 0);
	ASSERT_LAYOUT(&f.t, { 0, 12, F_R, &o, 0 });
	ASSERT_EQ(o.refs, 1);
	ASSERT_EQ(vma_protect_range(&f.t, PG(2), PG(6), PROT_RW, NULL, NULL), 0);
	ASSERT_LAYOUT(&f.t, { 0, 2, F_R, &o, 0 }, { 2, 6, F_RW, &o, 2 },
		      { 6, 12, F_R, &o, 6 });
	ASSERT_EQ(vma_protect_range(&f.t, PG(0), PG(12), PROT_RW, NULL, NULL), 0);
	ASSERT_LAYOUT(&f.t, { 0, 12, F_RW, &o, 0 });
	ASSERT_EQ(o.refs, 1);
	fx_done(&f);
}

/* mlock over part of a VMA: the same split and merge, any flag. */
TEST(vma_update_flags_lock_and_unlock)
{
	struct fx f;
	struct rec r = { 0 };

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 10, F_RW, NULL, 0), 0);
	ASSERT_EQ(vma_update_flags(&f.t, PG(2), PG(6), VMA_LOCKED, VMA_LOCKED,
				   rec_cb, &r), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_LAYOUT(&f.t, { 0, 2, F_RW, NULL, -1 },
		      { 2, 6, F_RW | VMA_LOCKED, NULL, -1 },
		      { 6, 10, F_RW, NULL, -1 });
	ASSERT_EQ(vma_update_flags(&f.t, PG(8), PG(12), VMA_LOCKED, VMA_LOCKED,
				   NULL, NULL), -ENOMEM);
	ASSERT_EQ(vma_update_flags(&f.t, PG(0), PG(10), VMA_LOCKED, 0,
				   NULL, NULL), 0);
	ASSERT_LAYOUT(&f.t, { 0, 10, F_RW, NULL, -1 });
	fx_done(&f);
}

/* ---- MAP_FIXED --------------------------------------------------------- */

/*
 *   0     3     6     10 12
 *   |-------- A -------|.        anon RW
 *         [=====)                a file mapping replaces [3,6)
 *   |- A -|- f -|- A' -|
 *         [=====)                anon RW again: one VMA, no allocation
 *              [========)        replace across A' and the hole
 */
TEST(vma_replace_is_map_fixed)
{
	struct fx f;
	struct tobj o = { 0 };
	struct rec r = { 0 };
	struct vma v = mk(PG(3), PG(6), F_R, &o, 9), *out;

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 10, F_RW, NULL, 0), 0);
	ASSERT_EQ(vma_replace(&f.t, &v, rec_cb, &r, &out), 0);
	ASSERT_EQ(out->obj, &o);
	ASSERT_EQ(r.n, 1);
	ASSERT_PIECE(&r, 0, 3, 6);
	ASSERT_LAYOUT(&f.t, { 0, 3, F_RW, NULL, -1 }, { 3, 6, F_R, &o, 9 },
		      { 6, 10, F_RW, NULL, -1 });
	ASSERT_EQ(o.refs, 1);

	f.heap.calls = 0;
	v = mk(PG(3), PG(6), F_RW, NULL, 0);
	ASSERT_EQ(vma_replace(&f.t, &v, NULL, NULL, &out), 0);
	ASSERT_EQ(f.heap.calls, 0);
	ASSERT_LAYOUT(&f.t, { 0, 10, F_RW, NULL, -1 });
	ASSERT_EQ(o.refs, 0);

	r.n = 0;
	v = mk(PG(6), PG(12), F_R, NULL, 0);
	ASSERT_EQ(vma_replace(&f.t, &v, rec_cb, &r, NULL), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_PIECE(&r, 0, 6, 10);
	ASSERT_LAYOUT(&f.t, { 0, 6, F_RW, NULL, -1 }, { 6, 12, F_R, NULL, -1 });
	fx_done(&f);
}

/*
 *   0        5        10
 *   |------- X -------|      obj, pgoff 10
 *   [========)               the same object over [0,5) at pgoff 10:
 *   |------- X -------|      X again, found without allocating
 *   [========)               at pgoff 5 it does not continue X's tail
 *   |-- Y ---|-- X' --|      (pgoff 15 by then): two VMAs
 */
TEST(vma_replace_predicts_merge_with_trimmed_neighbour)
{
	struct fx f;
	struct tobj o = { 0 };
	struct vma v = mk(PG(0), PG(5), F_R, &o, 10);

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 10, F_R, &o, 10), 0);
	f.heap.calls = 0;
	ASSERT_EQ(vma_replace(&f.t, &v, NULL, NULL, NULL), 0);
	ASSERT_EQ(f.heap.calls, 0);
	ASSERT_LAYOUT(&f.t, { 0, 10, F_R, &o, 10 });
	v.pgoff = 5;
	ASSERT_EQ(vma_replace(&f.t, &v, NULL, NULL, NULL), 0);
	ASSERT_EQ(f.heap.calls, 1);
	ASSERT_LAYOUT(&f.t, { 0, 5, F_R, &o, 5 }, { 5, 10, F_R, &o, 15 });
	ASSERT_EQ(o.refs, 2);
	fx_done(&f);
}

/* ---- free-area search -------------------------------------------------- */

/*
 *   0      8           20    24          40          56     64
 *   |- A --|...........|- B -|...........|---- C ----|......|
 *           12 free           16 free                 8 free
 */
TEST(vma_gap_top_down_with_hint)
{
	struct fx f;
	uint64_t a = 0;

	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(ins(&f, 0, 8, F_RW, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 20, 24, F_R, NULL, 0), 0);
	ASSERT_EQ(ins(&f, 40, 56, F_RW, NULL, 0), 0);
#define GAP(len, hint, lo, hi) \
	vma_find_gap(&f.t, PG(len) - BASE, 0, (hint), (lo), (hi), &a)

	ASSERT_EQ(GAP(4, 0, 0, ~0ull), 0);		/* the top gap first */
	ASSERT_EQ(a, PG(60));
	ASSERT_EQ(GAP(8, 0, 0, ~0ull), 0);
	ASSERT_EQ(a, PG(56));
	ASSERT_EQ(GAP(9, 0, 0, ~0ull), 0);		/* too big for it */
	ASSERT_EQ(a, PG(31));
	ASSERT_EQ(GAP(16, 0, 0, ~0ull), 0);
	ASSERT_EQ(a, PG(24));
	ASSERT_EQ(GAP(17, 0, 0, ~0ull), -ENOMEM);

	ASSERT_EQ(GAP(2, PG(10), 0, ~0ull), 0);		/* free hint: taken */
	ASSERT_EQ(a, PG(10));
	ASSERT_EQ(GAP(2, PG(7), 0, ~0ull), 0);		/* overlaps A */
	ASSERT_EQ(a, PG(62));
	ASSERT_EQ(GAP(2, PG(19), 0, ~0ull), 0);		/* overlaps B */
	ASSERT_EQ(a, PG(62));
	ASSERT_EQ(GAP(2, PG(63), 0, ~0ull), 0);		/* past the end */
	ASSERT_EQ(a, PG(62));
	ASSERT_EQ(GAP(2, PG(10), PG(12), ~0ull), 0);	/* below low */
	ASSERT_EQ(a, PG(62));

	/* Bounds: high cuts the gap below C, low cuts the one below B. */
	ASSERT_EQ(GAP(4, 0, 0, PG(30)), 0);
	ASSERT_EQ(a, PG(26));
	ASSERT_EQ(GAP(4, 0, 0, PG(44)), 0);
	ASSERT_EQ(a, PG(36));
	ASSERT_EQ(GAP(12, 0, 0, PG(30)), 0);
	ASSERT_EQ(a, PG(8));
	ASSERT_EQ(GAP(10, 0, PG(30), PG(40)), 0);
	ASSERT_EQ(a, PG(30));
	ASSERT_EQ(GAP(11, 0, PG(30), PG(40)), -ENOMEM);
	ASSERT_EQ(GAP(3, 0, PG(10), PG(12)), -ENOMEM);
	ASSERT_EQ(GAP(2, 0, PG(10), PG(12)), 0);
	ASSERT_EQ(a, PG(10));
	ASSERT_EQ(GAP(1, 0, PG(64), ~0ull), -ENOMEM);	/* empty window */

	ASSERT_EQ(vma_find_gap(&f.t, 0, 0, 0, 0, ~0ull, &a), -EINVAL);
	ASSERT_EQ(vma_find_gap(&f.t, 100, 0, 0, 0, ~0ull, &a), -EINVAL);
	ASSERT_EQ(vma_find_gap(&f.t, 4096, 3 * 4096, 0, 0, ~0ull, &a), -EINVAL);
	ASSERT_EQ(vma_find_gap(&f.t, 4096, 2048, 0, 0, ~0ull, &a), -EINVAL);
#undef GAP
	fx_done(&f);

	/* An empty space: the very top. */
	fx_init(&f, BASE, PG(64));
	ASSERT_EQ(vma_find_gap(&f.t, 4096, 0, 0, 0, ~0ull, &a), 0);
	ASSERT_EQ(a, PG(63));
	fx_done(&f);
}

/*
 * In MiB from 1 GiB; a gap must hold len + align - 4 KiB so that any
 * position in it aligns, as Linux asks of an aligned search:
 *
 *   0          6     8 8+4K        12       14       16
 *   |--- A ----|.....|B|...........|-- C ---|........|
 *               2M,    4M - 4K       2M free, tail
 *               aligned unaligned
 */
TEST(vma_gap_alignment_and_bounds)
{
	const uint64_t G = 1ull << 30, M2 = 2 * MIB;
	struct fx f;
	struct vma v;
	uint64_t a = 0;

	fx_init(&f, G, G + 16 * MIB);
	v = mk(G, G + 6 * MIB, F_RW, NULL, 0);
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), 0);
	v = mk(G + 8 * MIB, G + 8 * MIB + 4096, F_R, NULL, 0);
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), 0);
	v = mk(G + 12 * MIB, G + 14 * MIB, F_RW, NULL, 0);
	ASSERT_EQ(vma_insert(&f.t, &v, NULL), 0);

	ASSERT_EQ(vma_find_gap(&f.t, M2, M2, 0, 0, ~0ull, &a), 0);
	ASSERT_EQ(a, G + 10 * MIB);
	ASSERT_EQ(a % M2, 0);
	/* A small length with a big alignment: the top 2 MiB. */
	ASSERT_EQ(vma_find_gap(&f.t, 4096, M2, 0, 0, ~0ull, &a), 0);
	ASSERT_EQ(a, G + 14 * MIB);
	/* Unaligned, 2 MiB fit in the tail at once. */
	ASSERT_EQ(vma_find_gap(&f.t, M2, 0, 0, 0, ~0ull, &a), 0);
	ASSERT_EQ(a, G + 14 * MIB);
	/* Below 11 MiB the unaligned gap is too short, and the exactly
	 * aligned 2 MiB at 6 MiB is not searched for; as a hint it is
	 * taken. */
	ASSERT_EQ(vma_find_gap(&f.t, M2, M2, 0, 0, G + 11 * MIB, &a), -ENOMEM);
	ASSERT_EQ(vma_find_gap(&f.t, M2, M2, G + 6 * MIB, 0, ~0ull, &a), 0);
	ASSERT_EQ(a, G + 6 * MIB);
	ASSERT_EQ(vma_find_gap(&f.t, M2, M2, G + 6 * MIB + 4096, 0, ~0ull, &a), 0);
	ASSERT_EQ(a, G + 10 * MIB);			/* unaligned hint */
	/* low cuts the unaligned gap to 3 MiB. */
	ASSERT_EQ(vma_find_gap(&f.t, M2, M2, 0, G + 9 * MIB, ~0ull, &a), -ENOMEM);
	ASSERT_EQ(vma_find_gap(&f.t, MIB, M2, 0, G + 9 * MIB, ~0ull, &a), 0);
	ASSERT_EQ(a, G + 10 * MIB);
	ASSERT_EQ(vma_find_gap(&f.t, MIB, 0, 0, G + 9 * MIB, ~0ull, &a), 0);
	ASSERT_EQ(a, G + 15 * MIB);
	/* Bigger than the space. */
	ASSERT_EQ(vma_find_gap(&f.t, 32 * MIB, 0, 0, 0, ~0ull, &a), -ENOMEM);
	ASSERT_EQ(vma_find_gap(&f.t, 4096, 1ull << 40, 0, 0, ~0ull, &a), -ENOMEM);
	fx_done(&f);
}

/* ---- allocation failure ------------------------------------------------ */

/* Each case builds a tree, then runs one operation that needs `allocs`
 * VMAs. The allocator fails on call N = 1, 2, ...: every failure must be
 * -ENOMEM with no change, no callback and no leak; N = allocs + 1 works. */
struct fail_case {
	void (*setup)(struct fx *f);
	int (*op)(struct fx *f, struct rec *r);
	int allocs;
};

static void walk_failures(const struct fail_case *c)
{
	for (long n = 1;; n++) {
		struct fx f;
		struct rec r = { 0 };
		struct snap s;
		long live;
		int err;

		fx_init(&f, BASE, PG(64));
		c->setup(&f);
		snap_take(&f.t, &s);
		live = f.heap.live;
		f.heap.calls = 0;
		f.heap.fail_at = n;
		err = c->op(&f, &r);
		if (n <= c->allocs) {
			ASSERT_EQ(err, -ENOMEM);
			ASSERT(snap_same(&f.t, &s));
			ASSERT_EQ(r.n, 0);
			ASSERT_EQ(f.heap.live, live);
			ASSERT_EQ(f.heap.calls, n);	/* stopped at once */
			ASSERT_EQ(vma_tree_check(&f.t), 0);
			fx_done(&f);
			continue;
		}
		ASSERT_EQ(err, 0);
		ASSERT_EQ(f.heap.calls, c->allocs);
		ASSERT_EQ(f.heap.live, (long)f.t.count);
		ASSERT_EQ(vma_tree_check(&f.t), 0);
		fx_done(&f);
		return;
	}
}

/*   |-A(R)-|.....|-B(RW)------|      A [0,4), B [10,20), obj, pgoff 0 */
static struct tobj two_obj;

static void setup_two(struct fx *f)
{
	if (ins(f, 0, 4, F_R, NULL, 0) || ins(f, 10, 20, F_RW, &two_obj, 0))
		abort();
}

static int op_insert(struct fx *f, struct rec *r)
{
	(void)r;
	return ins(f, 5, 8, F_RW, NULL, 0);		/* no neighbour */
}

static int op_unmap_middle(struct fx *f, struct rec *r)
{
	return vma_unmap_range(&f->t, PG(15), PG(17), rec_cb, r);
}

static int op_protect_middle(struct fx *f, struct rec *r)
{
	return vma_protect_range(&f->t, PG(12), PG(15), PROT_R, rec_cb, r);
}

static int op_replace_middle(struct fx *f, struct rec *r)
{
	struct vma v = mk(PG(12), PG(15), F_R, NULL, 0);

	return vma_replace(&f->t, &v, rec_cb, r, NULL);
}

static int op_split(struct fx *f, struct rec *r)
{
	(void)r;
	return vma_split(&f->t, vma_find(&f->t, PG(10)), PG(13), NULL);
}

TEST(vma_alloc_failure_nth_insert)
{
	static const struct fail_case c = { setup_two, op_insert, 1 };

	walk_failures(&c);
}

/*   |-A(R)-|.....|-B(RW)------|
 *       [==============)           trims A and B: never allocates
 *                    [==)          strictly inside B: one VMA
 */
TEST(vma_alloc_failure_nth_unmap)
{
	static const struct fail_case c = { setup_two, op_unmap_middle, 1 };
	struct fx f;

	fx_init(&f, BASE, PG(64));
	setup_two(&f);
	f.heap.fail_at = f.heap.calls + 1;
	ASSERT_EQ(vma_unmap_range(&f.t, PG(2), PG(14), NULL, NULL), 0);
	ASSERT_LAYOUT(&f.t, { 0, 2, F_R, NULL, -1 }, { 14, 20, F_RW, &two_obj, 4 });
	fx_done(&f);
	walk_failures(&c);
}

/*   |-----B(RW)-----|  [12,15) to R: two splits, two VMAs */
TEST(vma_alloc_failure_nth_protect)
{
	static const struct fail_case c = { setup_two, op_protect_middle, 2 };

	walk_failures(&c);
}

TEST(vma_alloc_failure_nth_replace_and_split)
{
	static const struct fail_case c1 = { setup_two, op_replace_middle, 2 };
	static const struct fail_case c2 = { setup_two, op_split, 1 };

	walk_failures(&c1);
	walk_failures(&c2);
}

/* ---- scale ------------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int log2_floor(uint64_t n)
{
	int l = 0;

	while (n >>= 1)
		l++;
	return l;
}

/* Nodes vma_find visits to reach v: the path from the root. */
static int path_len(const struct vma *v)
{
	int n = 0;

	for (; v; v = v->parent)
		n++;
	return n;
}

/* 100,000 one-page VMAs inserted in address order (the worst order for
 * an unbalanced tree): every lookup stays within 4 * log2(n) nodes. */
TEST(vma_lookup_is_logarithmic)
{
	enum { N = 100000 };
	struct fx f;
	int limit = 4 * log2_floor(N), worst = 0;

	fx_init(&f, BASE, PG(2 * N + 2));
	for (int i = 0; i < N; i++)
		ASSERT_EQ(ins(&f, 2 * i + 1, 2 * i + 2, F_RW, NULL, 0), 0);
	ASSERT_EQ(f.t.count, N);
	ASSERT_EQ(vma_tree_check(&f.t), 0);
	ASSERT(f.t.root->height <= limit);
	for (int i = 0; i < 20000; i++) {
		uint64_t p = rng() % (2 * N + 2);
		struct vma *v = vma_find(&f.t, PG(p));

		ASSERT_EQ(v != NULL, p % 2 == 1);
		if (v && path_len(v) > worst)
			worst = path_len(v);
	}
	ASSERT(worst <= limit);
	/* A miss walks at most the height. */
	ASSERT(f.t.root->height <= limit);
	fx_done(&f);
}

/* ---- randomized, against a page-granular model ------------------------- */

/*
 * The model holds one entry per page of a 2 GiB space. Every operation is
 * applied to both; after each one the pages around it are compared
 * (mapping, flags, object, pgoff, and "same VMA" exactly where the model
 * says two pages could merge, since the tree merges all it can), and every
 * RAND_FULL ops the whole space, vma_tree_check and the reference counts.
 */
#define RAND_PAGES	(1u << 19)
#define RAND_VMAS	100000
#define RAND_OPS	60000
#define RAND_FULL	1000

struct mpage {
	uint64_t pgoff;
	uint32_t flags;
	uint8_t mapped, obj, name;
};

static struct tobj rand_objs[4];	/* [0] unused: obj 0 is anon */
static const char *const rand_names[] = { NULL, "[heap]", "/lib/a" };

struct rand {
	struct fx f;
	struct mpage *m;
};

static void *obj_of(int i)
{
	return i ? &rand_objs[i] : NULL;
}

static int obj_index(const void *p)
{
	for (int i = 1; i < 4; i++)
		if (p == &rand_objs[i])
			return i;
	return p ? -1 : 0;
}

static int name_index(const char *n)
{
	for (int i = 0; i < 3; i++)
		if (n == rand_names[i])
			return i;
	return -1;
}

static uint64_t pidx(uint64_t addr)
{
	return (addr - BASE) >> VMA_PAGE_SHIFT;
}

static bool m_mergeable(const struct mpage *a, const struct mpage *b)
{
	return a->mapped && b->mapped && a->flags == b->flags &&
	       a->obj == b->obj && a->name == b->name &&
	       (a->obj == 0 || b->pgoff == a->pgoff + 1);
}

/* Whether page p of the tree agrees with the model. */
static bool page_matches(const struct mpage *m, const struct vma *v,
			 uint64_t p)
{
	if (!v)
		return !m->mapped;
	return m->mapped && v->flags == m->flags &&
	       obj_index(v->obj) == m->obj && name_index(v->name) == m->name &&
	       (m->obj == 0 ||
		v->pgoff + ((PG(p) - v->start) >> VMA_PAGE_SHIFT) == m->pgoff);
}

static bool page_ok(struct rand *R, uint64_t p)
{
	return page_matches(&R->m[p], vma_find(&R->f.t, PG(p)), p);
}

/* Compare pages [a, b) and the VMA boundaries between them. */
static bool window_ok(struct rand *R, int64_t a, int64_t b)
{
	if (a < 0)
		a = 0;
	if (b > RAND_PAGES)
		b = RAND_PAGES;
	for (int64_t p = a; p < b; p++) {
		if (!page_ok(R, p))
			return false;
		if (p + 1 < b && R->m[p].mapped && R->m[p + 1].mapped) {
			bool same = vma_find(&R->f.t, PG(p)) ==
				    vma_find(&R->f.t, PG(p + 1));

			if (same != m_mergeable(&R->m[p], &R->m[p + 1]))
				return false;
		}
	}
	return true;
}

static bool full_ok(struct rand *R)
{
	const struct vma *v, *prev = NULL;
	uint64_t mapped = 0, covered = 0;
	long refs[4] = { 0 };

	if (vma_tree_check(&R->f.t) != 0)
		return false;
	for (uint64_t p = 0; p < RAND_PAGES; p++)
		mapped += R->m[p].mapped;
	vma_for_each(v, &R->f.t) {
		if (prev && vma_mergeable(prev, v))
			return false;		/* not merged as far as can be */
		for (uint64_t p = pidx(v->start); p < pidx(v->end); p++)
			if (!page_matches(&R->m[p], v, p))
				return false;
		covered += (v->end - v->start) >> VMA_PAGE_SHIFT;
		if (obj_index(v->obj) < 0)
			return false;
		refs[obj_index(v->obj)]++;
		prev = v;
	}
	for (int i = 1; i < 4; i++)
		if (refs[i] != rand_objs[i].refs)
			return false;
	return covered == mapped && R->f.heap.live == (long)R->f.t.count &&
	       R->f.heap.opens - R->f.heap.closes == (long)R->f.t.count;
}

static const uint32_t rand_flags[] = {
	F_R, F_RW, F_RW, MAY_ALL, PROT_R | VMA_MAYREAD,
	F_RW | VMA_LOCKED, VMA_EXEC | PROT_R | MAY_ALL,
};

/* A random template over [s, s + n) pages, often continuing the page below
 * so that merges happen. */
static struct vma rand_tmpl(struct rand *R, uint64_t s, uint64_t n)
{
	struct vma v;
	int obj = rng() % 2 ? 0 : 1 + rng() % 3;
	uint64_t pgoff = rng() % 1000;

	if (s > 0 && R->m[s - 1].mapped && rng() % 2) {
		const struct mpage *b = &R->m[s - 1];

		v = mk(PG(s), PG(s + n), b->flags, obj_of(b->obj), b->pgoff + 1);
		v.name = rand_names[b->name];
		return v;
	}
	v = mk(PG(s), PG(s + n), rand_flags[rng() % 7], obj_of(obj), pgoff);
	v.name = rand_names[obj ? 2 : (rng() % 4 == 0)];
	return v;
}

static void model_set(struct rand *R, const struct vma *v)
{
	for (uint64_t p = pidx(v->start); p < pidx(v->end); p++) {
		struct mpage *m = &R->m[p];

		m->mapped = 1;
		m->flags = v->flags;
		m->obj = obj_index(v->obj);
		m->name = name_index(v->name);
		m->pgoff = v->pgoff + (p - pidx(v->start));
	}
}

static bool model_free(struct rand *R, uint64_t s, uint64_t e)
{
	for (uint64_t p = s; p < e; p++)
		if (R->m[p].mapped)
			return false;
	return true;
}

/* The reference for vma_find_gap, page by page. */
static int model_gap(struct rand *R, uint64_t len, uint64_t align, uint64_t hint,
		     uint64_t low, uint64_t high, uint64_t *addr)
{
	uint64_t lo = low > R->f.t.low ? low : R->f.t.low;
	uint64_t hi = high < R->f.t.high ? high : R->f.t.high;
	uint64_t need, p, top;

	if (lo >= hi || len > hi - lo)
		return -ENOMEM;
	if (hint && hint % align == 0 && hint >= lo && hint + len <= hi &&
	    model_free(R, pidx(hint), pidx(hint + len))) {
		*addr = hint;
		return 0;
	}
	need = (len + align - VMA_PAGE_SIZE) >> VMA_PAGE_SHIFT;
	for (p = pidx(hi); p > pidx(lo);) {
		while (p > pidx(lo) && R->m[p - 1].mapped)
			p--;
		top = p;
		while (p > pidx(lo) && !R->m[p - 1].mapped)
			p--;
		if (top - p >= need) {
			*addr = (PG(top) - len) & ~(align - 1);
			return 0;
		}
	}
	return -ENOMEM;
}

/* Pieces a callback heard: in order, disjoint, inside [s, e) and their
 * VMA; returns the pages they cover. */
static uint64_t pieces_pages(const struct rec *r, uint64_t s, uint64_t e)
{
	uint64_t pages = 0, last = s;

	for (int i = 0; i < r->n; i++) {
		if (r->p[i].s < last || r->p[i].e > e || r->p[i].s >= r->p[i].e ||
		    r->p[i].s < r->p[i].vs || r->p[i].e > r->p[i].ve)
			return ~0ull;
		pages += (r->p[i].e - r->p[i].s) >> VMA_PAGE_SHIFT;
		last = r->p[i].e;
	}
	return pages;
}

static void rand_populate(struct rand *R)
{
	uint64_t p = 0;

	while (R->f.t.count < RAND_VMAS) {
		uint64_t n = 1 + rng() % 3;
		struct vma v;

		p += rng() % 5 == 0 ? 0 : 1 + rng() % 2;
		if (p + n > RAND_PAGES)
			abort();
		v = rand_tmpl(R, p, n);
		if (vma_insert(&R->f.t, &v, NULL) != 0)
			abort();
		model_set(R, &v);
		p += n;
	}
}

/* Move [*s, *e) onto the run of mapped pages at or above *s, so that
 * protect and mlock succeed often enough to matter. */
static void onto_mapped_run(struct rand *R, uint64_t *s, uint64_t *e)
{
	uint64_t n = *e - *s, p = *s;

	while (p < RAND_PAGES && !R->m[p].mapped)
		p++;
	*s = p;
	while (p < RAND_PAGES && R->m[p].mapped && p < *s + n)
		p++;
	*e = p;
	if (*s == *e)		/* nothing mapped above: any range will do */
		*s = *e - 1;
}

/* One random operation; returns the page window it touched, or false
 * when the tree disagreed with the model. */
static bool rand_step(struct rand *R, int64_t *wa, int64_t *wb)
{
	uint64_t s = rng() % RAND_PAGES, n = 1 + rng() % 12, e;
	struct rec r = { 0 };
	struct vma v, *out;
	int op = rng() % 100, err;
	bool may_fail = rng() % 20 == 0;	/* the next allocation fails */

	if (s + n > RAND_PAGES)
		n = RAND_PAGES - s;
	e = s + n;
	*wa = (int64_t)s - 2;
	*wb = (int64_t)e + 2;
	R->f.heap.fail_at = may_fail ? R->f.heap.calls + 1 : 0;

	if (op < 25) {			/* insert, at a random or found place */
		if (op < 12) {
			uint64_t a, lo = PG(rng() % RAND_PAGES);

			if (vma_find_gap(&R->f.t, PG(n) - BASE, 0, 0, lo,
					 lo + PG(4096) - BASE, &a) != 0)
				return true;
			s = pidx(a);
			e = s + n;
			*wa = (int64_t)s - 2;
			*wb = (int64_t)e + 2;
		}
		v = rand_tmpl(R, s, n);
		err = vma_insert(&R->f.t, &v, &out);
		if (!model_free(R, s, e))
			return err == -EEXIST;
		if (err == -ENOMEM && may_fail)
			return true;
		if (err || out->start > v.start || out->end < v.end)
			return false;
		model_set(R, &v);
	} else if (op < 45) {		/* unmap */
		uint64_t pages = 0;

		n = 1 + rng() % 20;
		e = s + n > RAND_PAGES ? RAND_PAGES : s + n;
		*wb = (int64_t)e + 2;
		err = vma_unmap_range(&R->f.t, PG(s), PG(e), rec_cb, &r);
		if (err == -ENOMEM && may_fail && r.n == 0)
			return true;
		for (uint64_t p = s; p < e; p++)
			pages += R->m[p].mapped;
		if (err || pieces_pages(&r, PG(s), PG(e)) != pages)
			return false;
		for (uint64_t p = s; p < e; p++)
			R->m[p].mapped = 0;
	} else if (op < 65) {		/* protect */
		static const uint32_t prots[] = { 0, PROT_R, PROT_RW,
						  PROT_R | VMA_EXEC };
		uint32_t prot = prots[rng() % 4], may = prot << VMA_MAY_SHIFT;
		int want = 0;
		uint64_t changed = 0;

		if (rng() % 2) {
			onto_mapped_run(R, &s, &e);
			*wa = (int64_t)s - 2;
			*wb = (int64_t)e + 2;
		}
		for (uint64_t p = s; p < e && !want; p++) {
			if (!R->m[p].mapped)
				want = -ENOMEM;
			else if ((R->m[p].flags & may) != may)
				want = -EACCES;
			else if ((R->m[p].flags & VMA_PROT_MASK) != prot)
				changed++;
		}
		err = vma_protect_range(&R->f.t, PG(s), PG(e), prot, rec_cb, &r);
		if (want)
			return err == want && r.n == 0;
		if (err == -ENOMEM && may_fail && r.n == 0)
			return true;
		if (err || pieces_pages(&r, PG(s), PG(e)) != changed)
			return false;
		for (uint64_t p = s; p < e; p++)
			R->m[p].flags = (R->m[p].flags & ~VMA_PROT_MASK) | prot;
	} else if (op < 75) {		/* MAP_FIXED */
		v = rand_tmpl(R, s, n);
		err = vma_replace(&R->f.t, &v, rec_cb, &r, &out);
		if (err == -ENOMEM && may_fail && r.n == 0)
			return true;
		if (err || out->start > v.start || out->end < v.end)
			return false;
		model_set(R, &v);
	} else if (op < 80) {		/* mlock / munlock */
		uint32_t val = rng() % 2 ? VMA_LOCKED : 0;
		bool hole = false;

		if (rng() % 2) {
			onto_mapped_run(R, &s, &e);
			*wa = (int64_t)s - 2;
			*wb = (int64_t)e + 2;
		}
		for (uint64_t p = s; p < e; p++)
			hole |= !R->m[p].mapped;
		err = vma_update_flags(&R->f.t, PG(s), PG(e), VMA_LOCKED, val,
				       NULL, NULL);
		if (hole)
			return err == -ENOMEM;
		if (err == -ENOMEM && may_fail)
			return true;
		if (err)
			return false;
		for (uint64_t p = s; p < e; p++)
			R->m[p].flags = (R->m[p].flags & ~VMA_LOCKED) | val;
	} else if (op < 88) {		/* lookups */
		uint64_t a = PG(s) + rng() % VMA_PAGE_SIZE, p;
		struct vma *hit = vma_find(&R->f.t, a), *nx;

		if ((hit != NULL) != R->m[s].mapped)
			return false;
		nx = vma_find_next(&R->f.t, a);
		for (p = s; p < RAND_PAGES && !R->m[p].mapped; p++)
			;
		if (p == RAND_PAGES)
			return nx == NULL;
		return nx && nx == vma_find(&R->f.t, PG(p)) &&
		       (!hit || hit == nx);
	} else {			/* free-area search */
		static const uint64_t aligns[] = { 0, 0, 0, 4 * 4096, 64 * 4096 };
		uint64_t align = aligns[rng() % 5], len = PG(1 + rng() % 16) - BASE;
		uint64_t lo = 0, hi = ~0ull, hint = 0, a = 0, b = 0;
		int want;

		if (rng() % 8) {	/* mostly a window, to keep it cheap */
			lo = PG(rng() % RAND_PAGES);
			hi = lo + PG(rng() % 2048) - BASE;
		}
		if (rng() % 3 == 0)
			hint = PG(rng() % RAND_PAGES) & ~(rng() % 2 ? 0xFFFFull : 0);
		err = vma_find_gap(&R->f.t, len, align, hint, lo, hi, &a);
		want = model_gap(R, len, align ? align : VMA_PAGE_SIZE, hint,
				 lo, hi, &b);
		return err == want && a == b;
	}
	return true;
}

TEST(vma_randomized_against_model)
{
	struct rand *R = calloc(1, sizeof(*R));
	int64_t wa, wb;

	ASSERT(R);
	R->m = calloc(RAND_PAGES, sizeof(*R->m));
	ASSERT(R->m);
	fx_init(&R->f, BASE, PG(RAND_PAGES));
	memset(rand_objs, 0, sizeof(rand_objs));
	rand_populate(R);
	ASSERT(full_ok(R));
	for (int i = 0; i < RAND_OPS; i++) {
		bool ok = rand_step(R, &wa, &wb);

		R->f.heap.fail_at = 0;
		if (!ok)
			printf("  op %d failed\n", i);
		ASSERT(ok);
		ASSERT(window_ok(R, wa, wb));
		if (i % RAND_FULL == 0)
			ASSERT(full_ok(R));
	}
	ASSERT(full_ok(R));
	ASSERT(R->f.t.count > RAND_VMAS / 2);
	ASSERT(R->f.t.root->height <= 4 * log2_floor(R->f.t.count));
	fx_done(&R->f);
	for (int i = 1; i < 4; i++)
		ASSERT_EQ(rand_objs[i].refs, 0);
	free(R->m);
	free(R);
}
