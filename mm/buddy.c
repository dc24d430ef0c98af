/* The buddy allocator core: free lists per order, split on allocation,
 * merge on free, and the checks that turn a double or bogus free into
 * -EINVAL. Pure C over the caller's frame array (see include/buddy.h);
 * locking and the meaning of a frame number belong to the caller.
 *
 * Invariant: every managed frame is either the head of a block (FREE or
 * ALLOCATED, with its order) or a TAIL inside one. So a frame number names
 * a free block exactly when its head says FREE, and the buddy of block i
 * of order k, i ^ 2^k, can be merged exactly when it is a FREE head of the
 * same order: a tail or a smaller free block there means "not whole". */
#include <buddy.h>
#include <uapi/errno.h>

static struct buddy_frame *frame(const struct buddy *b, uint64_t i)
{
	return buddy_frame(b, i);
}

static void list_push(struct buddy *b, uint64_t i, unsigned order)
{
	struct buddy_frame *f = frame(b, i);

	f->state = BUDDY_FREE;
	f->order = order;
	f->prev = BUDDY_NONE;
	f->next = b->free_head[order];
	if (f->next != BUDDY_NONE)
		frame(b, f->next)->prev = i;
	b->free_head[order] = i;
	b->free_blocks[order]++;
	b->free_frames += 1ull << order;
}

/* Unlink free block i; its state is the caller's to set. */
static void list_remove(struct buddy *b, uint64_t i)
{
	struct buddy_frame *f = frame(b, i);
	unsigned order = f->order;

	if (f->prev != BUDDY_NONE)
		frame(b, f->prev)->next = f->next;
	else
		b->free_head[order] = f->next;
	if (f->next != BUDDY_NONE)
		frame(b, f->next)->prev = f->prev;
	b->free_blocks[order]--;
	b->free_frames -= 1ull << order;
}

int buddy_init(struct buddy *b, void *frames, size_t stride, uint64_t nframes)
{
	if (stride < sizeof(struct buddy_frame) || nframes >= BUDDY_NONE)
		return -EINVAL;
	b->frames = frames;
	b->stride = stride;
	b->nframes = nframes;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		b->free_head[k] = BUDDY_NONE;
		b->free_blocks[k] = 0;
	}
	b->free_frames = 0;
	b->managed_frames = 0;
	return 0;
}

int buddy_alloc(struct buddy *b, unsigned order, uint64_t *out)
{
	unsigned k = order;
	uint64_t i;

	if (order > BUDDY_MAX_ORDER)
		return -EINVAL;
	while (k <= BUDDY_MAX_ORDER && b->free_head[k] == BUDDY_NONE)
		k++;
	if (k > BUDDY_MAX_ORDER)
		return -ENOMEM;

	i = b->free_head[k];
	list_remove(b, i);
	/* Keep the lower half, give the upper halves back, largest first. */
	while (k > order) {
		k--;
		list_push(b, i + (1ull << k), k);
	}
	frame(b, i)->state = BUDDY_ALLOCATED;
	frame(b, i)->order = order;
	*out = i;
	return 0;
}

int buddy_free(struct buddy *b, uint64_t i, unsigned order)
{
	struct buddy_frame *f;

	if (order > BUDDY_MAX_ORDER || i >= b->nframes)
		return -EINVAL;
	if ((i & ((1ull << order) - 1)) || b->nframes - i < (1ull << order))
		return -EINVAL;
	f = frame(b, i);
	if (f->state != BUDDY_ALLOCATED || f->order != order)
		return -EINVAL;

	while (order < BUDDY_MAX_ORDER) {
		uint64_t j = i ^ (1ull << order);
		struct buddy_frame *bf;

		if (j >= b->nframes)
			break;
		bf = frame(b, j);
		if (bf->state != BUDDY_FREE || bf->order != order)
			break;
		list_remove(b, j);
		/* The higher of the two heads sinks into the merged block. */
		frame(b, i > j ? i : j)->state = BUDDY_TAIL;
		i = i < j ? i : j;
		order++;
	}
	list_push(b, i, order);
	return 0;
}

/* Largest order whose block starts at i and ends at or before end. */
static unsigned fit_order(uint64_t i, uint64_t end)
{
	unsigned k = 0;

	while (k < BUDDY_MAX_ORDER && !(i & (1ull << k)) && end - i >= (2ull << k))
		k++;
	return k;
}

int buddy_add_range(struct buddy *b, uint64_t first, uint64_t count)
{
	uint64_t end = first + count;

	if (end < first || end > b->nframes)
		return -EINVAL;
	for (uint64_t i = first; i < end; i++)
		if (frame(b, i)->state != BUDDY_UNMANAGED)
			return -EINVAL;

	for (uint64_t i = first; i < end; ) {
		unsigned k = fit_order(i, end);
		uint64_t n = 1ull << k;

		for (uint64_t t = 1; t < n; t++)
			frame(b, i + t)->state = BUDDY_TAIL;
		frame(b, i)->state = BUDDY_ALLOCATED;
		frame(b, i)->order = k;
		buddy_free(b, i, k);
		i += n;
	}
	b->managed_frames += count;
	return 0;
}

/* Each free list: heads marked FREE with the list's order, aligned, inside
 * the array, back links right, no loop; returns the frames it holds or
 * -EINVAL. */
static int64_t check_list(const struct buddy *b, unsigned k)
{
	uint64_t seen = 0, prev = BUDDY_NONE;

	for (uint64_t i = b->free_head[k]; i != BUDDY_NONE; i = frame(b, i)->next) {
		const struct buddy_frame *f;

		if (i >= b->nframes || seen >= b->free_blocks[k])
			return -EINVAL;
		f = frame(b, i);
		if (f->state != BUDDY_FREE || f->order != k || f->prev != prev)
			return -EINVAL;
		if ((i & ((1ull << k) - 1)) || b->nframes - i < (1ull << k))
			return -EINVAL;
		seen++;
		prev = i;
	}
	if (seen != b->free_blocks[k])
		return -EINVAL;
	return (int64_t)(seen << k);
}

int buddy_check(const struct buddy *b)
{
	uint64_t listed = 0, free_heads = 0, managed = 0;

	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		int64_t n = check_list(b, k);

		if (n < 0)
			return -EINVAL;
		listed += n;
	}
	if (listed != b->free_frames)
		return -EINVAL;

	/* Walk the array block by block: tails only inside blocks, and no
	 * free block whose buddy is a free block of the same order. */
	for (uint64_t i = 0; i < b->nframes; ) {
		const struct buddy_frame *f = frame(b, i);
		uint64_t n;

		if (f->state == BUDDY_UNMANAGED) {
			i++;
			continue;
		}
		if (f->state != BUDDY_FREE && f->state != BUDDY_ALLOCATED)
			return -EINVAL;
		if (f->order > BUDDY_MAX_ORDER)
			return -EINVAL;
		n = 1ull << f->order;
		if ((i & (n - 1)) || b->nframes - i < n)
			return -EINVAL;
		for (uint64_t t = 1; t < n; t++)
			if (frame(b, i + t)->state != BUDDY_TAIL)
				return -EINVAL;
		if (f->state == BUDDY_FREE) {
			uint64_t j = i ^ n;

			free_heads += n;
			if (f->order < BUDDY_MAX_ORDER && j < b->nframes &&
			    frame(b, j)->state == BUDDY_FREE && frame(b, j)->order == f->order)
				return -EINVAL;
		}
		managed += n;
		i += n;
	}
	if (free_heads != b->free_frames || managed != b->managed_frames)
		return -EINVAL;
	return 0;
}
