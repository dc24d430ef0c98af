/* The VMA interval logic of one address space (include/vma.h): an address
 * ordered list threaded through an AVL tree keyed by start, each node
 * augmented with the largest free gap in its subtree. Pure C: memory and
 * lifetime events go through the caller's hooks, page tables and locking
 * stay with mm/mmap.c.
 *
 * The gap of a VMA is the free space just below it: start minus the end
 * of the previous VMA (or minus t->low for the first one). The free space
 * above the last VMA, up to t->high, belongs to no node and is looked at
 * separately. Every change that moves a start, an end or a neighbour ends
 * with a walk from the touched node to the root that recomputes height and
 * max_gap, so the augmentation never needs special cases in rotations. */
#include <string.h>
#include <uapi/errno.h>
#include <vma.h>

#define PAGE_MASK	(VMA_PAGE_SIZE - 1)

static bool page_aligned(uint64_t x)
{
	return (x & PAGE_MASK) == 0;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* ---- tree mechanics ---------------------------------------------------- */

static int height(const struct vma *v)
{
	return v ? v->height : 0;
}

static uint64_t subtree_gap(const struct vma *v)
{
	return v ? v->max_gap : 0;
}

static uint64_t gap_below(const struct vma_tree *t, const struct vma *v)
{
	return v->start - (v->vm_prev ? v->vm_prev->end : t->low);
}

/* Recompute v's height and max_gap from its children and its own gap. */
static void update(const struct vma_tree *t, struct vma *v)
{
	int hl = height(v->left), hr = height(v->right);

	v->height = 1 + (hl > hr ? hl : hr);
	v->max_gap = max64(gap_below(t, v),
			   max64(subtree_gap(v->left), subtree_gap(v->right)));
}

/* Point whatever pointed at old (its parent's child link or the root) at
 * new, and give new old's parent. */
static void replace_child(struct vma_tree *t, struct vma *old, struct vma *new)
{
	struct vma *p = old->parent;

	if (!p)
		t->root = new;
	else if (p->left == old)
		p->left = new;
	else
		p->right = new;
	if (new)
		new->parent = p;
}

/*      x                y
 *     / \              / \
 *    a   y     =>     x   c
 *       / \          / \
 *      b   c        a   b
 */
static struct vma *rotate_left(struct vma_tree *t, struct vma *x)
{
	struct vma *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace_child(t, x, y);
	y->left = x;
	x->parent = y;
	update(t, x);
	update(t, y);
	return y;
}

static struct vma *rotate_right(struct vma_tree *t, struct vma *x)
{
	struct vma *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	replace_child(t, x, y);
	y->right = x;
	x->parent = y;
	update(t, x);
	update(t, y);
	return y;
}

/* Restore balance at v; returns the root of v's subtree afterwards. */
static struct vma *rebalance(struct vma_tree *t, struct vma *v)
{
	int bal;

	update(t, v);
	bal = height(v->left) - height(v->right);
	if (bal > 1) {
		if (height(v->left->left) < height(v->left->right))
			rotate_left(t, v->left);
		return rotate_right(t, v);
	}
	if (bal < -1) {
		if (height(v->right->right) < height(v->right->left))
			rotate_right(t, v->right);
		return rotate_left(t, v);
	}
	return v;
}

/* After a structural change below v: rebalance and recompute all the way
 * up. Never stops early, so max_gap is right on the whole path. */
static void fix_up(struct vma_tree *t, struct vma *v)
{
	while (v)
		v = rebalance(t, v)->parent;
}

/* After v's gap changed (its start or its predecessor's end moved): only
 * max_gap on the path to the root can be stale. */
static void gap_up(struct vma_tree *t, struct vma *v)
{
	for (; v; v = v->parent)
		update(t, v);
}

/* Link v (start and end set, disjoint from every VMA) into list and tree. */
static void tree_insert(struct vma_tree *t, struct vma *v)
{
	struct vma **link = &t->root, *parent = NULL;
	struct vma *prev = NULL, *next = NULL;

	while (*link) {
		parent = *link;
		if (v->start < parent->start) {
			next = parent;
			link = &parent->left;
		} else {
			prev = parent;
			link = &parent->right;
		}
	}
	v->left = v->right = NULL;
	v->parent = parent;
	*link = v;

	v->vm_prev = prev;
	v->vm_next = next;
	if (prev)
		prev->vm_next = v;
	else
		t->first = v;
	if (next)
		next->vm_prev = v;
	else
		t->last = v;
	t->count++;

	/* next's gap shrank, but next, like prev, is an ancestor of the new
	 * leaf: the walk up from parent recomputes it. */
	update(t, v);
	fix_up(t, parent);
}

/* Unlink v from list and tree; the caller frees it. */
static void tree_remove(struct vma_tree *t, struct vma *v)
{
	struct vma *next = v->vm_next, *fix;

	if (v->vm_prev)
		v->vm_prev->vm_next = next;
	else
		t->first = next;
	if (next)
		next->vm_prev = v->vm_prev;
	else
		t->last = v->vm_prev;
	t->count--;

	if (v->left && v->right) {
		/* Two children: the in-order successor, which is the list's
		 * next and has no left child, takes v's place in the tree. */
		struct vma *s = next;

		if (s->parent != v) {
			fix = s->parent;
			fix->left = s->right;
			if (s->right)
				s->right->parent = fix;
			s->right = v->right;
			v->right->parent = s;
		} else {
			fix = s;
		}
		s->left = v->left;
		v->left->parent = s;
		replace_child(t, v, s);
	} else {
		fix = v->parent;
		replace_child(t, v, v->left ? v->left : v->right);
	}
	fix_up(t, fix);
	gap_up(t, next);	/* its gap now reaches v's predecessor */
}

/* Move v's start up to start, inside v; pgoff follows. */
static void trim_head(struct vma_tree *t, struct vma *v, uint64_t start)
{
	v->pgoff += (start - v->start) >> VMA_PAGE_SHIFT;
	v->start = start;
	gap_up(t, v);
}

/* Move v's end, down or up to at most its successor's start. */
static void set_end(struct vma_tree *t, struct vma *v, uint64_t end)
{
	v->end = end;
	gap_up(t, v->vm_next);
}

/* ---- VMA lifetime ------------------------------------------------------ */

static struct vma *new_vma(struct vma_tree *t)
{
	return t->hooks->alloc(t->hooks->ctx);
}

static void free_vma(struct vma_tree *t, struct vma *v)
{
	if (v)
		t->hooks->free(t->hooks->ctx, v);
}

static void open_vma(struct vma_tree *t, struct vma *v)
{
	if (t->hooks->open)
		t->hooks->open(t->hooks->ctx, v);
}

/* Take v out of the tree for good. */
static void drop_vma(struct vma_tree *t, struct vma *v)
{
	tree_remove(t, v);
	if (t->hooks->close)
		t->hooks->close(t->hooks->ctx, v);
	free_vma(t, v);
}

static void copy_fields(struct vma *dst, const struct vma *src)
{
	dst->start = src->start;
	dst->end = src->end;
	dst->flags = src->flags;
	dst->obj = src->obj;
	dst->pgoff = src->pgoff;
	dst->ops = src->ops;
	dst->name = src->name;
}

/* Cut v at addr using the preallocated n for [addr, end). */
static struct vma *split_with(struct vma_tree *t, struct vma *v, uint64_t addr,
			      struct vma *n)
{
	copy_fields(n, v);
	n->start = addr;
	n->pgoff = v->pgoff + ((addr - v->start) >> VMA_PAGE_SHIFT);
	v->end = addr;		/* n comes next, with a gap of 0 */
	tree_insert(t, n);
	open_vma(t, n);
	return n;
}

/* a grows over b, which is adjacent above it and goes away. */
static void absorb(struct vma_tree *t, struct vma *a, struct vma *b)
{
	uint64_t end = b->end;

	drop_vma(t, b);
	set_end(t, a, end);
}

/* ---- public: setup and lookup ------------------------------------------ */

int vma_tree_init(struct vma_tree *t, uint64_t low, uint64_t high,
		  const struct vma_hooks *hooks)
{
	if (low >= high || !page_aligned(low) || !page_aligned(high))
		return -EINVAL;
	t->root = t->first = t->last = NULL;
	t->count = 0;
	t->low = low;
	t->high = high;
	t->hooks = hooks;
	return 0;
}

void vma_tree_destroy(struct vma_tree *t)
{
	struct vma *v = t->first, *next;

	for (; v; v = next) {
		next = v->vm_next;
		if (t->hooks->close)
			t->hooks->close(t->hooks->ctx, v);
		free_vma(t, v);
	}
	t->root = t->first = t->last = NULL;
	t->count = 0;
}

struct vma *vma_find(const struct vma_tree *t, uint64_t addr)
{
	struct vma *v = t->root;

	while (v) {
		if (addr < v->start)
			v = v->left;
		else if (addr >= v->end)
			v = v->right;
		else
			return v;
	}
	return NULL;
}

struct vma *vma_find_next(const struct vma_tree *t, uint64_t addr)
{
	struct vma *v = t->root, *best = NULL;

	/* Ends are in the same order as starts: VMAs never overlap. */
	while (v) {
		if (v->end > addr) {
			best = v;
			if (v->start <= addr)
				break;
			v = v->left;
		} else {
			v = v->right;
		}
	}
	return best;
}

static bool same_name(const char *a, const char *b)
{
	if (a == b)
		return true;
	return a && b && strcmp(a, b) == 0;
}

bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->flags != b->flags ||
	    (a->flags & VMA_NOMERGE) || a->obj != b->obj || a->ops != b->ops ||
	    !same_name(a->name, b->name))
		return false;
	if (!a->obj)
		return true;
	return b->pgoff == a->pgoff + ((a->end - a->start) >> VMA_PAGE_SHIFT);
}

/* ---- public: insert, split, merge -------------------------------------- */

static int check_range(uint64_t start, uint64_t end)
{
	if (start >= end || !page_aligned(start) || !page_aligned(end))
		return -EINVAL;
	return 0;
}

/* Map tmpl over its range, which is free. Uses *spare only when no
 * neighbour can absorb the range, and then clears it. */
static struct vma *insert_free(struct vma_tree *t, const struct vma *tmpl,
			       struct vma **spare)
{
	struct vma *next = vma_find_next(t, tmpl->start);
	struct vma *prev = next ? next->vm_prev : t->last;
	bool to_prev = prev && vma_mergeable(prev, tmpl);
	bool to_next = next && vma_mergeable(tmpl, next);
	struct vma *v;

	if (to_prev && to_next) {
		absorb(t, prev, next);
		return prev;
	}
	if (to_prev) {
		set_end(t, prev, tmpl->end);
		return prev;
	}
	if (to_next) {
		next->pgoff = tmpl->pgoff;
		next->start = tmpl->start;
		gap_up(t, next);
		return next;
	}
	v = *spare;
	*spare = NULL;
	copy_fields(v, tmpl);
	tree_insert(t, v);
	open_vma(t, v);
	return v;
}

/* Whether inserting tmpl would need a new VMA, given the VMAs that will
 * sit just below and above it (NULL: none, or not adjacent). */
static bool insert_needs_vma(const struct vma *below, const struct vma *tmpl,
			     const struct vma *above)
{
	return !(below && vma_mergeable(below, tmpl)) &&
	       !(above && vma_mergeable(tmpl, above));
}

static int check_tmpl(const struct vma_tree *t, const struct vma *tmpl)
{
	int err = check_range(tmpl->start, tmpl->end);

	if (err)
		return err;
	if (tmpl->start < t->low || tmpl->end > t->high)
		return -EINVAL;
	return 0;
}

int vma_insert(struct vma_tree *t, const struct vma *tmpl, struct vma **out)
{
	struct vma *next, *spare = NULL, *v;
	int err = check_tmpl(t, tmpl);

	if (err)
		return err;
	next = vma_find_next(t, tmpl->start);
	if (next && next->start < tmpl->end)
		return -EEXIST;
	if (insert_needs_vma(next ? next->vm_prev : t->last, tmpl, next)) {
		spare = new_vma(t);
		if (!spare)
			return -ENOMEM;
	}
	v = insert_free(t, tmpl, &spare);
	if (out)
		*out = v;
	return 0;
}

int vma_split(struct vma_tree *t, struct vma *vma, uint64_t addr,
	      struct vma **upper)
{
	struct vma *n;

	if (addr <= vma->start || addr >= vma->end || !page_aligned(addr))
		return -EINVAL;
	n = new_vma(t);
	if (!n)
		return -ENOMEM;
	split_with(t, vma, addr, n);
	if (upper)
		*upper = n;
	return 0;
}

struct vma *vma_merge(struct vma_tree *t, struct vma *vma)
{
	if (vma->vm_prev && vma_mergeable(vma->vm_prev, vma)) {
		struct vma *prev = vma->vm_prev;

		absorb(t, prev, vma);
		vma = prev;
	}
	if (vma->vm_next && vma_mergeable(vma, vma->vm_next))
		absorb(t, vma, vma->vm_next);
	return vma;
}

/* ---- public: unmap ----------------------------------------------------- */

/*
 * The four ways a VMA v meets the range [start, end) being removed:
 *
 *   head kept:    |--- v ---|             v.end = start
 *                      [=======)
 *   tail kept:         |--- v ---|        v.start = end, pgoff advances
 *                 [=======)
 *   both kept:    |------ v ------|       v = [v.start, start) and a new
 *                     [=====)             VMA [end, v.end): the only case
 *                                         that allocates
 *   none kept:      |- v -|               v is closed and freed
 *                 [===========)
 */

/* Whether unmapping [start, end) splits one VMA in the middle. */
static bool unmap_needs_vma(const struct vma_tree *t, uint64_t start,
			    uint64_t end)
{
	struct vma *v = vma_find(t, start);

	return v && v->start < start && v->end > end;
}

static void unmap_report(const struct vma_tree *t, uint64_t start,
			 uint64_t end, vma_range_fn cb, void *ctx)
{
	struct vma *v;

	if (!cb)
		return;
	for (v = vma_find_next(t, start); v && v->start < end; v = v->vm_next)
		cb(ctx, v, max64(v->start, start), min64(v->end, end));
}

/* Remove [start, end); spare is the VMA for a middle split, if needed. */
static void unmap_commit(struct vma_tree *t, uint64_t start, uint64_t end,
			 struct vma *spare)
{
	struct vma *v = vma_find_next(t, start), *next;

	for (; v && v->start < end; v = next) {
		next = v->vm_next;
		if (v->start < start && v->end > end) {
			split_with(t, v, end, spare);
			set_end(t, v, start);
			return;
		}
		if (v->start < start)
			set_end(t, v, start);
		else if (v->end > end)
			trim_head(t, v, end);
		else
			drop_vma(t, v);
	}
}

int vma_unmap_range(struct vma_tree *t, uint64_t start, uint64_t end,
		    vma_range_fn cb, void *ctx)
{
	struct vma *spare = NULL;
	int err = check_range(start, end);

	if (err)
		return err;
	if (unmap_needs_vma(t, start, end)) {
		spare = new_vma(t);
		if (!spare)
			return -ENOMEM;
	}
	unmap_report(t, start, end, cb, ctx);
	unmap_commit(t, start, end, spare);
	return 0;
}

/*
 * What sits just below and above [start, end) once it has been unmapped,
 * as copies in *below and *above; false when nothing will be adjacent.
 */
static bool neighbour_below(const struct vma_tree *t, uint64_t start,
			    struct vma *below)
{
	struct vma *v = start > t->low ? vma_find(t, start - 1) : NULL;

	if (!v)
		return false;
	copy_fields(below, v);
	below->end = start;
	return true;
}

static bool neighbour_above(const struct vma_tree *t, uint64_t end,
			    struct vma *above)
{
	struct vma *v = vma_find(t, end);

	if (!v)
		return false;
	copy_fields(above, v);
	above->pgoff += (end - v->start) >> VMA_PAGE_SHIFT;
	above->start = end;
	return true;
}

int vma_replace(struct vma_tree *t, const struct vma *tmpl,
		vma_range_fn cb, void *ctx, struct vma **out)
{
	struct vma below, above, *split = NULL, *spare = NULL, *v;
	bool has_below, has_above;
	int err = check_tmpl(t, tmpl);

	if (err)
		return err;
	has_below = neighbour_below(t, tmpl->start, &below);
	has_above = neighbour_above(t, tmpl->end, &above);
	if (insert_needs_vma(has_below ? &below : NULL, tmpl,
			     has_above ? &above : NULL)) {
		spare = new_vma(t);
		if (!spare)
			return -ENOMEM;
	}
	if (unmap_needs_vma(t, tmpl->start, tmpl->end)) {
		split = new_vma(t);
		if (!split) {
			free_vma(t, spare);
			return -ENOMEM;
		}
	}
	unmap_report(t, tmpl->start, tmpl->end, cb, ctx);
	unmap_commit(t, tmpl->start, tmpl->end, split);
	v = insert_free(t, tmpl, &spare);
	free_vma(t, spare);	/* NULL: the prediction above matches */
	if (out)
		*out = v;
	return 0;
}

/* ---- public: change flags over a range --------------------------------- */

/*
 * Changing the flags of [start, end) splits at most two VMAs, and only
 * where the flags really change:
 *
 *        |------ a ------|---- b ----|------ c ------|
 *                [=========================)
 *   =>   |-- a --|- a' --|--- b' ----|- c' -|-- c ---|
 *
 * then every boundary inside [start, end], including the two outer ones,
 * is offered to vma_mergeable: PROT_NONE over the middle of a VMA and back
 * gives the one VMA it started as.
 */
static uint32_t new_flags(const struct vma *v, uint32_t mask, uint32_t value)
{
	return (v->flags & ~mask) | (value & mask);
}

static int change_range(struct vma_tree *t, uint64_t start, uint64_t end,
			uint32_t mask, uint32_t value, bool check_may,
			vma_range_fn cb, void *ctx)
{
	struct vma *first = vma_find_next(t, start), *last = NULL, *v, *cur;
	struct vma *head = NULL, *tail = NULL;
	uint64_t pos = start;
	uint32_t may = (value & VMA_PROT_MASK) << VMA_MAY_SHIFT;

	/* Decide: covered, permitted, and how many splits. */
	for (v = first; pos < end; v = v->vm_next) {
		if (!v || v->start > pos)
			return -ENOMEM;
		if (check_may && (v->flags & may) != may)
			return -EACCES;
		last = v;
		pos = v->end;
	}
	if (first->start < start &&
	    new_flags(first, mask, value) != first->flags) {
		head = new_vma(t);
		if (!head)
			return -ENOMEM;
	}
	if (last->end > end && new_flags(last, mask, value) != last->flags) {
		tail = new_vma(t);
		if (!tail) {
			free_vma(t, head);
			return -ENOMEM;
		}
	}

	/* Do: report, split, set, merge. */
	for (v = first; cb && v && v->start < end; v = v->vm_next)
		if (new_flags(v, mask, value) != v->flags)
			cb(ctx, v, max64(v->start, start), min64(v->end, end));
	if (tail)
		split_with(t, last, end, tail);
	if (head)
		first = split_with(t, first, start, head);
	for (v = first; v && v->start < end; v = v->vm_next)
		v->flags = new_flags(v, mask, value);

	cur = first->vm_prev ? first->vm_prev : first;
	while (cur->vm_next && cur->vm_next->start <= end) {
		if (vma_mergeable(cur, cur->vm_next))
			absorb(t, cur, cur->vm_next);
		else
			cur = cur->vm_next;
	}
	return 0;
}

int vma_protect_range(struct vma_tree *t, uint64_t start, uint64_t end,
		      uint32_t prot, vma_range_fn cb, void *ctx)
{
	int err = check_range(start, end);

	if (err)
		return err;
	if (prot & ~VMA_PROT_MASK)
		return -EINVAL;
	return change_range(t, start, end, VMA_PROT_MASK, prot, true, cb, ctx);
}

int vma_update_flags(struct vma_tree *t, uint64_t start, uint64_t end,
		     uint32_t mask, uint32_t value, vma_range_fn cb, void *ctx)
{
	int err = check_range(start, end);

	if (err)
		return err;
	return change_range(t, start, end, mask, value, false, cb, ctx);
}

/* ---- public: free-area search ------------------------------------------ */

/*
 * Top-down, as Linux's mmap. Candidates from the top of the window [lo, hi)
 * down:
 *
 *            gap of v0         gaps of nodes with start < hi     tail gap
 *   ...|-v-|.........|-- v0 --|.....|- w -|...|- last -|............|
 *                         ^hi                             (only when
 *                                                          last.end < hi)
 *
 * the tail gap above the last VMA, then the gap below v0, the first VMA
 * at or above hi, the only node gap that hi can cut; then the rightmost
 * node with start < hi whose whole gap is big enough, found in O(log n)
 * through max_gap. Only that node's gap can be cut by lo, and if lo cuts
 * it too short, every lower gap lies below lo.
 */

/* Whether [a, b) clipped to [lo, hi) holds need bytes; *top gets its end. */
static bool gap_fits(uint64_t a, uint64_t b, uint64_t lo, uint64_t hi,
		     uint64_t need, uint64_t *top)
{
	a = max64(a, lo);
	b = min64(b, hi);
	if (a >= b || b - a < need)
		return false;
	*top = b;
	return true;
}

/* The rightmost node in v's subtree with start < hi and gap >= need.
 * Subtrees wholly below hi are searched by max_gap alone: there, a
 * max_gap >= need promises a hit, so the recursion fails at most once per
 * level of the path along hi. */
static struct vma *rightmost_gap(const struct vma_tree *t, struct vma *v,
				 uint64_t hi, uint64_t need)
{
	struct vma *r;

	while (v && v->max_gap >= need) {
		if (v->start >= hi) {
			v = v->left;
			continue;
		}
		r = rightmost_gap(t, v->right, hi, need);
		if (r)
			return r;
		if (gap_below(t, v) >= need)
			return v;
		v = v->left;
	}
	return NULL;
}

static bool range_free(const struct vma_tree *t, uint64_t start, uint64_t len)
{
	struct vma *v = vma_find_next(t, start);

	return !v || v->start >= start + len;
}

int vma_find_gap(const struct vma_tree *t, uint64_t len, uint64_t align,
		 uint64_t hint, uint64_t low, uint64_t high, uint64_t *addr)
{
	uint64_t lo = max64(low, t->low), hi = min64(high, t->high);
	uint64_t need, top, below;
	struct vma *v;

	if (align == 0)
		align = VMA_PAGE_SIZE;
	if (len == 0 || !page_aligned(len) || align < VMA_PAGE_SIZE ||
	    (align & (align - 1)))
		return -EINVAL;
	if (lo >= hi || len > hi - lo)
		return -ENOMEM;

	if (hint && (hint & (align - 1)) == 0 && hint >= lo &&
	    hint <= hi - len && range_free(t, hint, len)) {
		*addr = hint;
		return 0;
	}

	if (align - VMA_PAGE_SIZE > hi - lo - len)
		return -ENOMEM;
	need = len + align - VMA_PAGE_SIZE;

	below = t->last ? t->last->end : t->low;
	if (gap_fits(below, t->high, lo, hi, need, &top))
		goto found;
	v = vma_find_next(t, hi);
	if (v && v->start >= hi &&
	    gap_fits(v->start - gap_below(t, v), v->start, lo, hi, need, &top))
		goto found;
	v = rightmost_gap(t, t->root, hi, need);
	if (v && gap_fits(v->start - gap_below(t, v), v->start, lo, hi, need,
			  &top))
		goto found;
	return -ENOMEM;
found:
	*addr = (top - len) & ~(align - 1);
	return 0;
}

/* ---- invariants -------------------------------------------------------- */

/* Check v's subtree; returns its height, or -1. *prev walks in order. */
static int check_node(const struct vma_tree *t, const struct vma *v,
		      const struct vma *parent, const struct vma **prev,
		      uint64_t *n)
{
	int hl, hr;
	uint64_t gap;

	if (!v)
		return 0;
	if (v->parent != parent)
		return -1;
	hl = check_node(t, v->left, v, prev, n);
	if (hl < 0)
		return -1;
	/* in order: v must be the list successor of the previous node */
	if (v->vm_prev != *prev || (*prev ? (*prev)->vm_next : t->first) != v)
		return -1;
	if (v->start >= v->end || !page_aligned(v->start) ||
	    !page_aligned(v->end) || v->start < t->low || v->end > t->high)
		return -1;
	if (*prev && (*prev)->end > v->start)
		return -1;
	*prev = v;
	(*n)++;
	hr = check_node(t, v->right, v, prev, n);
	if (hr < 0)
		return -1;
	if (hl - hr > 1 || hr - hl > 1 || v->height != 1 + (hl > hr ? hl : hr))
		return -1;
	gap = max64(gap_below(t, v),
		    max64(subtree_gap(v->left), subtree_gap(v->right)));
	if (v->max_gap != gap)
		return -1;
	return v->height;
}

int vma_tree_check(const struct vma_tree *t)
{
	const struct vma *prev = NULL;
	uint64_t n = 0;

	if (t->low >= t->high)
		return -EINVAL;
	if (check_node(t, t->root, NULL, &prev, &n) < 0)
		return -EINVAL;
	if (prev != t->last || (prev && prev->vm_next) || n != t->count)
		return -EINVAL;
	if (!t->root && t->first)
		return -EINVAL;
	return 0;
}
