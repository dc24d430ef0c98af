/* Host unit tests: pure kernel logic compiled natively with ASan/UBSan.
 *
 *	TEST(fmt_width) { ASSERT_EQ(f("%5d", 1), 5); }
 *
 * Each TEST registers itself; main.c runs them all and prints
 * "PASS host/<name>" or "FAIL host/<name>" and then "N passed, N failed".
 * A failed ASSERT prints file:line and ends that test. */
#ifndef HOST_TEST_H
#define HOST_TEST_H
#include <stdio.h>
#include <setjmp.h>

struct host_test {
	const char *name;
	void (*fn)(void);
	struct host_test *next;
};

void test_register(struct host_test *t);
extern jmp_buf test_fail_jmp;

#define TEST(n)								\
	static void test_##n(void);					\
	static struct host_test test_desc_##n = { #n, test_##n, 0 };	\
	__attribute__((constructor)) static void test_reg_##n(void)	\
	{ test_register(&test_desc_##n); }				\
	static void test_##n(void)

#define ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("  %s:%d: ASSERT(%s)\n", __FILE__, __LINE__, #cond); \
			longjmp(test_fail_jmp, 1);			\
		}							\
	} while (0)

#define ASSERT_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			printf("  %s:%d: %s == %s: %lld != %lld\n",	\
			       __FILE__, __LINE__, #a, #b, _a, _b);	\
			longjmp(test_fail_jmp, 1);			\
		}							\
	} while (0)

#define ASSERT_STR(a, b)						\
	do {								\
		const char *_a = (a), *_b = (b);			\
		if (strcmp(_a, _b) != 0) {				\
			printf("  %s:%d: %s: \"%s\" != \"%s\"\n",	\
			       __FILE__, __LINE__, #a, _a, _b);		\
			longjmp(test_fail_jmp, 1);			\
		}							\
	} while (0)

#endif
