/* ksym_search and bt_frame_ok (kernel/ksyms.c) over a small fake table
 * shaped like the one test/tools/ksyms.sh emits. */
#include "test.h"
#include <string.h>
#include <trap.h>

/*
 *  0x1000     0x1010          0x1100        0x1180   0x1200 (end)
 *  |  alpha   | beta = b_alias |  gamma     | delta  |
 */
static const char names[] = "alpha\0beta\0b_alias\0gamma\0delta";
static const struct ksym syms[] = {
	{ 0x1000, 0 }, { 0x1010, 6 }, { 0x1010, 11 }, { 0x1100, 19 }, { 0x1180, 25 },
};
static const struct ksym_table table = { syms, 5, names, 0x1200 };

TEST(ksyms_outside_text_has_no_symbol)
{
	uint64_t off = 99;

	ASSERT(ksym_search(&table, 0, &off) == NULL);
	ASSERT(ksym_search(&table, 0xfff, &off) == NULL);
	ASSERT(ksym_search(&table, 0x1200, &off) == NULL);
	ASSERT(ksym_search(&table, UINT64_MAX, &off) == NULL);
	ASSERT_EQ(off, 99);	/* untouched on a miss */
}

TEST(ksyms_finds_containing_function)
{
	uint64_t off;

	ASSERT_STR(ksym_search(&table, 0x1000, &off), "alpha");
	ASSERT_EQ(off, 0);
	ASSERT_STR(ksym_search(&table, 0x100f, &off), "alpha");
	ASSERT_EQ(off, 0xf);
	ASSERT_STR(ksym_search(&table, 0x1101, &off), "gamma");
	ASSERT_EQ(off, 1);
	ASSERT_STR(ksym_search(&table, 0x11ff, &off), "delta");
	ASSERT_EQ(off, 0x7f);
	ASSERT_STR(ksym_search(&table, 0x1180, NULL), "delta");
}

TEST(ksyms_alias_reports_first_name)
{
	uint64_t off;

	ASSERT_STR(ksym_search(&table, 0x1010, &off), "beta");
	ASSERT_EQ(off, 0);
	ASSERT_STR(ksym_search(&table, 0x10ff, &off), "beta");
	ASSERT_EQ(off, 0xef);
}

TEST(ksyms_empty_and_single_tables)
{
	static const struct ksym one[] = { { 0x2000, 0 } };
	struct ksym_table empty = { syms, 0, names, 0x1200 };
	struct ksym_table single = { one, 1, names, 0x2010 };
	uint64_t off;

	ASSERT(ksym_search(&empty, 0x1000, &off) == NULL);
	ASSERT_STR(ksym_search(&single, 0x200c, &off), "alpha");
	ASSERT_EQ(off, 0xc);
	ASSERT(ksym_search(&single, 0x2010, &off) == NULL);
}

/* Every address in a bigger table against a linear scan. */
TEST(ksyms_matches_linear_scan)
{
	enum { N = 200 };
	static struct ksym big[N];
	static char bignames[N * 2];
	struct ksym_table t = { big, N, bignames, 0 };
	uint64_t a = 0xffffffff80100000ULL;

	for (int i = 0; i < N; i++) {
		big[i].addr = a;
		big[i].name_off = 2 * i;
		bignames[2 * i] = (char)('A' + i % 50);
		a += 1 + (uint64_t)(i * 7919 % 37);
	}
	t.end = a;
	for (uint64_t x = big[0].addr - 3; x < t.end + 3; x++) {
		int want = -1;
		uint64_t off;

		for (int i = 0; i < N && big[i].addr <= x; i++)
			want = i;
		if (x >= t.end)
			want = -1;
		const char *got = ksym_search(&t, x, &off);
		if (want < 0) {
			ASSERT(got == NULL);
		} else {
			ASSERT(got == bignames + 2 * want);
			ASSERT_EQ(off, x - big[want].addr);
		}
	}
}

TEST(backtrace_frame_rules)
{
	uint64_t k = 0xffffffff80200000ULL;

	ASSERT(bt_frame_ok(k, 0));
	ASSERT(bt_frame_ok(k + 16, k));
	ASSERT(!bt_frame_ok(0, 0));			/* end of the chain */
	ASSERT(!bt_frame_ok(k + 4, 0));			/* misaligned */
	ASSERT(!bt_frame_ok(0x7fffffffe000ULL, 0));	/* user half */
	ASSERT(!bt_frame_ok(0x0000800000000000ULL, 0));	/* non-canonical */
	ASSERT(!bt_frame_ok(k, k));			/* a loop */
	ASSERT(!bt_frame_ok(k - 16, k));		/* going down the stack */
	ASSERT(!bt_frame_ok(UINT64_MAX - 7, 0));	/* pair would wrap */
	ASSERT(bt_frame_ok(0xffff800000001000ULL, 0));	/* direct map */
}
