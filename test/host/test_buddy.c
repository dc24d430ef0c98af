/* Host tests of the buddy core (mm/buddy.c): splitting and merging, ranges
 * at odd alignment, exhaustion, bad frees, and random operations checked
 * against a naive per-frame model. */
#include "test.h"
#include <buddy.h>
#include <uapi/errno.h>
#include <stdlib.h>
#include <string.h>

/* An element as wide as struct page, to test a stride other than the
 * buddy's own size. */
struct wide_frame {
	struct buddy_frame bf;
	char owner_data[22];
};

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static struct buddy_frame *new_frames(uint64_t n)
{
	struct buddy_frame *f = calloc(n, sizeof(*f));

	ASSERT(f);
	return f;
}

TEST(buddy_init_rejects_bad_arguments)
{
	struct buddy b;
	struct buddy_frame f[4] = { 0 };

	ASSERT_EQ(buddy_init(&b, f, sizeof(f[0]) - 1, 4), -EINVAL);
	ASSERT_EQ(buddy_init(&b, f, sizeof(f[0]), 1ull << 32), -EINVAL);
	ASSERT_EQ(buddy_init(&b, f, sizeof(f[0]), 4), 0);
	ASSERT_EQ(b.free_frames, 0);
	ASSERT_EQ(buddy_check(&b), 0);
}

/*
 *   16 frames, one order-4 block:  [0 ................ 15]
 *   alloc order 0 splits it:       [0][1][2 3][4 .. 7][8 ...... 15]
 *   free of frame 0 merges back:   [0 ................ 15]
 */
TEST(buddy_split_and_coalesce)
{
	struct buddy b;
	struct buddy_frame *f = new_frames(16);
	uint64_t i;

	ASSERT_EQ(buddy_init(&b, f, sizeof(*f), 16), 0);
	ASSERT_EQ(buddy_add_range(&b, 0, 16), 0);
	ASSERT_EQ(b.free_blocks[4], 1);
	ASSERT_EQ(buddy_alloc(&b, 0, &i), 0);
	ASSERT_EQ(i, 0);
	ASSERT_EQ(b.free_frames, 15);
	for (unsigned k = 0; k < 4; k++)
		ASSERT_EQ(b.free_blocks[k], 1);
	ASSERT_EQ(b.free_blocks[4], 0);
	ASSERT_EQ(buddy_check(&b), 0);

	ASSERT_EQ(buddy_free(&b, 0, 0), 0);
	ASSERT_EQ(b.free_frames, 16);
	ASSERT_EQ(b.free_blocks[4], 1);
	for (unsigned k = 0; k < 4; k++)
		ASSERT_EQ(b.free_blocks[k], 0);
	ASSERT_EQ(buddy_check(&b), 0);
	free(f);
}

TEST(buddy_high_order_alloc_is_aligned_and_merges)
{
	struct buddy b;
	struct buddy_frame *f = new_frames(4096);
	uint64_t blk[4], i;

	ASSERT_EQ(buddy_init(&b, f, sizeof(*f), 4096), 0);
	ASSERT_EQ(buddy_add_range(&b, 0, 4096), 0);
	ASSERT_EQ(b.free_blocks[BUDDY_MAX_ORDER], 4);
	ASSERT_EQ(buddy_alloc(&b, BUDDY_MAX_ORDER + 1, &i), -EINVAL);
	ASSERT_EQ(buddy_alloc(&b, 3, &i), 0);
	ASSERT_EQ(i % 8, 0);
	/* One order-10 block is split now: only three whole ones remain. */
	for (int n = 0; n < 3; n++) {
		ASSERT_EQ(buddy_alloc(&b, BUDDY_MAX_ORDER, &blk[n]), 0);
		ASSERT_EQ(blk[n] % 1024, 0);
	}
	ASSERT_EQ(buddy_alloc(&b, BUDDY_MAX_ORDER, &blk[3]), -ENOMEM);
	ASSERT_EQ(buddy_free(&b, i, 3), 0);
	ASSERT_EQ(buddy_alloc(&b, BUDDY_MAX_ORDER, &blk[3]), 0);
	for (int n = 0; n < 4; n++)
		ASSERT_EQ(buddy_free(&b, blk[n], BUDDY_MAX_ORDER), 0);
	ASSERT_EQ(b.free_blocks[BUDDY_MAX_ORDER], 4);
	ASSERT_EQ(buddy_check(&b), 0);
	free(f);
}

/*
 *   frames 3 .. 39 added:   [3][4..7][8....15][16..........31][32....39]
 *   orders:                  0   2     3         4               3
 *   then 0 .. 2 added:      merges up to [0 ....................... 31][32..39]
 */
TEST(buddy_range_at_odd_alignment)
{
	struct buddy b;
	struct buddy_frame *f = new_frames(64);

	ASSERT_EQ(buddy_init(&b, f, sizeof(*f), 64), 0);
	ASSERT_EQ(buddy_add_range(&b, 3, 37), 0);
	ASSERT_EQ(b.free_frames, 37);
	ASSERT_EQ(b.free_blocks[0], 1);
	ASSERT_EQ(b.free_blocks[1], 0);
	ASSERT_EQ(b.free_blocks[2], 1);
	ASSERT_EQ(b.free_blocks[3], 2);
	ASSERT_EQ(b.free_blocks[4], 1);
	ASSERT_EQ(buddy_check(&b), 0);

	/* Overlapping or out-of-range additions change nothing. */
	ASSERT_EQ(buddy_add_range(&b, 0, 4), -EINVAL);
	ASSERT_EQ(buddy_add_range(&b, 60, 5), -EINVAL);
	ASSERT_EQ(buddy_add_range(&b, 1, UINT64_MAX), -EINVAL);
	ASSERT_EQ(b.free_frames, 37);
	ASSERT_EQ(buddy_check(&b), 0);

	ASSERT_EQ(buddy_add_range(&b, 0, 3), 0);
	ASSERT_EQ(b.free_frames, 40);
	ASSERT_EQ(b.free_blocks[5], 1);
	ASSERT_EQ(b.free_blocks[3], 1);
	ASSERT_EQ(b.free_blocks[0] + b.free_blocks[1] + b.free_blocks[2] + b.free_blocks[4], 0);
	ASSERT_EQ(buddy_check(&b), 0);
	ASSERT_EQ(buddy_add_range(&b, 40, 0), 0);
	ASSERT_EQ(b.managed_frames, 40);
	free(f);
}

TEST(buddy_exhaust_and_refill)
{
	struct buddy b, fresh;
	struct buddy_frame *f = new_frames(1100);
	uint64_t got[1000], i;
	int n = 0;

	ASSERT_EQ(buddy_init(&b, f, sizeof(*f), 1100), 0);
	ASSERT_EQ(buddy_add_range(&b, 5, 1000), 0);
	fresh = b;
	while (buddy_alloc(&b, 0, &i) == 0) {
		ASSERT(n < 1000);
		ASSERT(i >= 5 && i < 1005);
		got[n++] = i;
	}
	ASSERT_EQ(n, 1000);
	ASSERT_EQ(b.free_frames, 0);
	ASSERT_EQ(buddy_alloc(&b, 0, &i), -ENOMEM);
	ASSERT_EQ(buddy_check(&b), 0);

	/* Give them back in a random order: the blocks must come out as
	 * they went in. */
	for (int k = n - 1; k > 0; k--) {
		int j = rng() % (k + 1);
		uint64_t t = got[k];

		got[k] = got[j];
		got[j] = t;
	}
	for (int k = 0; k < n; k++)
		ASSERT_EQ(buddy_free(&b, got[k], 0), 0);
	ASSERT_EQ(b.free_frames, 1000);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		ASSERT_EQ(b.free_blocks[k], fresh.free_blocks[k]);
	ASSERT_EQ(buddy_check(&b), 0);
	free(f);
}

TEST(buddy_bad_free_is_einval_and_harmless)
{
	struct buddy b;
	struct buddy_frame *f = new_frames(64);
	uint64_t i, j;

	ASSERT_EQ(buddy_init(&b, f, sizeof(*f), 64), 0);
	ASSERT_EQ(buddy_add_range(&b, 0, 32), 0);
	ASSERT_EQ(buddy_alloc(&b, 2, &i), 0);
	ASSERT_EQ(buddy_alloc(&b, 0, &j), 0);

	ASSERT_EQ(buddy_free(&b, i, 1), -EINVAL);		/* wrong order */
	ASSERT_EQ(buddy_free(&b, i + 1, 0), -EINVAL);		/* a tail */
	ASSERT_EQ(buddy_free(&b, i + 2, 1), -EINVAL);		/* a tail, aligned */
	ASSERT_EQ(buddy_free(&b, 40, 0), -EINVAL);		/* never managed */
	ASSERT_EQ(buddy_free(&b, 64, 0), -EINVAL);		/* outside */
	ASSERT_EQ(buddy_free(&b, 2, 2), -EINVAL);		/* misaligned */
	ASSERT_EQ(buddy_free(&b, 0, BUDDY_MAX_ORDER + 1), -EINVAL);
	ASSERT_EQ(b.free_frames, 27);
	ASSERT_EQ(buddy_check(&b), 0);

	ASSERT_EQ(buddy_free(&b, j, 0), 0);
	ASSERT_EQ(buddy_free(&b, j, 0), -EINVAL);		/* double free */
	ASSERT_EQ(buddy_free(&b, i, 2), 0);
	ASSERT_EQ(buddy_free(&b, i, 2), -EINVAL);		/* double free, merged */
	ASSERT_EQ(b.free_frames, 32);
	ASSERT_EQ(b.free_blocks[5], 1);
	ASSERT_EQ(buddy_check(&b), 0);

	/* A free frame inside a bigger free block is not a block head. */
	ASSERT_EQ(buddy_free(&b, 16, 4), -EINVAL);
	ASSERT_EQ(buddy_check(&b), 0);
	free(f);
}

/* Reference model: per frame, managed or not, and free or not. */
struct model {
	uint64_t n;
	unsigned char *managed, *used;
};

/* Is there an aligned run of 2^k managed, free frames? Exactly then the
 * buddy must satisfy an order-k request, since it never leaves two free
 * buddies unmerged. */
static int model_has_block(const struct model *m, unsigned k)
{
	uint64_t sz = 1ull << k;

	for (uint64_t i = 0; i + sz <= m->n; i += sz) {
		uint64_t t;

		for (t = 0; t < sz; t++)
			if (!m->managed[i + t] || m->used[i + t])
				break;
		if (t == sz)
			return 1;
	}
	return 0;
}

TEST(buddy_random_against_model)
{
	enum { N = 3000, LIVE = 400 };
	struct wide_frame *f = calloc(N, sizeof(*f));
	struct model m = { N, calloc(N, 1), calloc(N, 1) };
	struct { uint64_t frame; unsigned order; } live[LIVE];
	uint64_t nfree = 0;
	int nlive = 0;
	struct buddy b;

	ASSERT(f && m.managed && m.used);
	ASSERT_EQ(buddy_init(&b, f, sizeof(*f), N), 0);
	/* Three ranges at awkward places, with holes between them. */
	static const uint64_t ranges[][2] = { { 1, 700 }, { 777, 1029 }, { 1900, 1023 } };
	for (unsigned r = 0; r < 3; r++) {
		ASSERT_EQ(buddy_add_range(&b, ranges[r][0], ranges[r][1]), 0);
		memset(m.managed + ranges[r][0], 1, ranges[r][1]);
		nfree += ranges[r][1];
	}

	for (int step = 0; step < 20000; step++) {
		int do_alloc = nlive == 0 || (nlive < LIVE && rng() % 100 < 55);

		if (do_alloc) {
			unsigned k = rng() % 100 < 70 ? rng() % 3 : rng() % (BUDDY_MAX_ORDER + 1);
			int expect = model_has_block(&m, k);
			uint64_t i;
			int err = buddy_alloc(&b, k, &i);

			if (!expect) {
				ASSERT_EQ(err, -ENOMEM);
				continue;
			}
			ASSERT_EQ(err, 0);
			ASSERT_EQ(i % (1ull << k), 0);
			for (uint64_t t = 0; t < (1ull << k); t++) {
				ASSERT(m.managed[i + t]);
				ASSERT(!m.used[i + t]);
				m.used[i + t] = 1;
			}
			nfree -= 1ull << k;
			live[nlive].frame = i;
			live[nlive].order = k;
			nlive++;
		} else {
			int v = rng() % nlive;

			/* Now and then, a bogus free first: it must bounce. */
			if (rng() % 8 == 0 && live[v].order > 0)
				ASSERT_EQ(buddy_free(&b, live[v].frame, live[v].order - 1), -EINVAL);
			ASSERT_EQ(buddy_free(&b, live[v].frame, live[v].order), 0);
			memset(m.used + live[v].frame, 0, 1ull << live[v].order);
			nfree += 1ull << live[v].order;
			if (rng() % 8 == 0)
				ASSERT_EQ(buddy_free(&b, live[v].frame, live[v].order), -EINVAL);
			live[v] = live[--nlive];
		}
		ASSERT_EQ(b.free_frames, nfree);
		if (step % 500 == 0)
			ASSERT_EQ(buddy_check(&b), 0);
	}
	while (nlive > 0) {
		nlive--;
		ASSERT_EQ(buddy_free(&b, live[nlive].frame, live[nlive].order), 0);
	}
	ASSERT_EQ(b.free_frames, 2752);
	ASSERT_EQ(buddy_check(&b), 0);
	free(f);
	free(m.managed);
	free(m.used);
}

TEST(buddy_check_catches_corruption)
{
	struct buddy b;
	struct buddy_frame *f = new_frames(32);
	uint64_t i;

	ASSERT_EQ(buddy_init(&b, f, sizeof(*f), 32), 0);
	ASSERT_EQ(buddy_add_range(&b, 0, 32), 0);
	ASSERT_EQ(buddy_alloc(&b, 0, &i), 0);
	ASSERT_EQ(buddy_check(&b), 0);
	f[i + 1].state = BUDDY_TAIL;		/* a free head lost */
	ASSERT_EQ(buddy_check(&b), -EINVAL);
	free(f);
}
