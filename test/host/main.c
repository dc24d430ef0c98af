/* Runs every registered host test (see test.h), in name order. */
#include "test.h"
#include <string.h>
#include <stdlib.h>

jmp_buf test_fail_jmp;
static struct host_test *tests;

void test_register(struct host_test *t)
{
	struct host_test **p = &tests;

	while (*p && strcmp((*p)->name, t->name) < 0)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

int main(int argc, char **argv)
{
	/* volatile: both survive the longjmp out of a failed test */
	volatile int passed = 0, failed = 0;

	for (struct host_test *volatile t = tests; t; t = t->next) {
		if (argc > 1 && !strstr(t->name, argv[1]))
			continue;
		if (setjmp(test_fail_jmp) == 0) {
			t->fn();
			printf("PASS host/%s\n", t->name);
			passed++;
		} else {
			printf("FAIL host/%s\n", t->name);
			failed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
