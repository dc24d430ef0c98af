/* Pure buddy allocator core (mm/buddy.c): blocks of 2^order frames over an
 * array of per-frame metadata that the caller owns. No globals, no locking,
 * no hardware: mm/page.c wraps it for physical memory and test/host tests it.
 * Frame numbers are indices into the caller's array. */
#ifndef BUDDY_H
#define BUDDY_H
#include <stdint.h>
#include <stddef.h>

#define BUDDY_MAX_ORDER 10		/* largest block: 2^10 frames */
#define BUDDY_NONE      0xFFFFFFFFu	/* end of a free list */

/* State of a frame, seen by the buddy. Zero is "not managed", so an array
 * cleared with memset starts with every frame outside the allocator. */
enum buddy_state {
	BUDDY_UNMANAGED = 0,	/* never added: hole, firmware, kernel image */
	BUDDY_FREE,		/* head of a free block of 'order' */
	BUDDY_ALLOCATED,	/* head of an allocated block of 'order' */
	BUDDY_TAIL,		/* inside a block, not its head */
};

/* The buddy's part of a frame's metadata. It must start each element of
 * the caller's array (see buddy_init's stride). Packed so that the owner
 * can put 16-bit fields right after it. */
struct buddy_frame {
	uint32_t next;		/* free-list links (frame numbers), while free */
	uint32_t prev;
	uint8_t order;		/* valid on a block's head */
	uint8_t state;		/* enum buddy_state */
} __attribute__((packed));

struct buddy {
	uint8_t *frames;	/* caller's array; element i at frames + i * stride */
	size_t stride;		/* bytes per element, >= sizeof(struct buddy_frame) */
	uint64_t nframes;	/* frames [0, nframes) */
	uint32_t free_head[BUDDY_MAX_ORDER + 1];	/* per order, BUDDY_NONE if empty */
	uint64_t free_blocks[BUDDY_MAX_ORDER + 1];	/* blocks on each list */
	uint64_t free_frames;	/* frames in all free blocks */
	uint64_t managed_frames;	/* frames ever added */
};

/* Set up an empty allocator over nframes elements of stride bytes at
 * frames (all of them zeroed by the caller, i.e. BUDDY_UNMANAGED).
 * Returns 0, or -EINVAL for a stride too small or nframes above 2^32-1. */
int buddy_init(struct buddy *b, void *frames, size_t stride, uint64_t nframes);

/* Hand frames [first, first + count) to the allocator, at any alignment;
 * they are cut into maximal aligned blocks and merged with free
 * neighbours. Returns 0, or -EINVAL if the range leaves the array or any
 * frame in it is already managed (nothing is changed then). */
int buddy_add_range(struct buddy *b, uint64_t first, uint64_t count);

/* Take a block of 2^order frames, aligned to its size, splitting a larger
 * one when needed. Returns 0 with the head's frame number in *frame,
 * -ENOMEM when no block is big enough, -EINVAL for a bad order. */
int buddy_alloc(struct buddy *b, unsigned order, uint64_t *frame);

/* Give back the block of 2^order frames at frame, merging it with its
 * buddies. Returns 0, or -EINVAL when frame is not the head of an
 * allocated block of that order (double free, wrong order, tail, never
 * managed); the allocator is left untouched then. */
int buddy_free(struct buddy *b, uint64_t frame, unsigned order);

/* The buddy's view of one frame, for owners and tests. */
static inline struct buddy_frame *buddy_frame(const struct buddy *b, uint64_t i)
{
	return (struct buddy_frame *)(b->frames + i * b->stride);
}

/* Walk every list and frame and check the invariants (links, states,
 * alignment, no two free buddies left unmerged, counts). Returns 0 or
 * -EINVAL at the first inconsistency. O(nframes); for tests. */
int buddy_check(const struct buddy *b);

#endif
