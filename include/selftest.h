/* In-kernel self-tests, run by the test boot entry ("test" on the command
 * line) before user mode exists. Any file may define one:
 *
 *	SELFTEST(buddy_split) { ST_ASSERT(x == 1); return 0; }
 *
 * The linker gathers them in .selftests; kernel/selftest.c runs them all
 * and reports "PASS name" / "FAIL name: file:line: expr" on every console,
 * then "N passed, N failed". */
#ifndef SELFTEST_H
#define SELFTEST_H
#include <printk.h>

struct selftest {
	const char *name;
	int (*fn)(void);	/* 0: pass; nonzero: fail (reason printed) */
};

#define SELFTEST(n)							\
	static int selftest_##n(void);					\
	static const struct selftest __selftest_##n			\
	__attribute__((section(".selftests"), used, aligned(8))) =	\
		{ #n, selftest_##n };					\
	static int selftest_##n(void)

#define ST_ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			printk("  %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			return 1;					\
		}							\
	} while (0)

/* Run every self-test; returns the number that failed. */
int selftest_run_all(void);

#endif
