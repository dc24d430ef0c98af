/* Runs the self-tests gathered in .selftests (see selftest.h). */
#include <selftest.h>
#include <page.h>

extern const struct selftest __selftests_start[], __selftests_end[];

int selftest_run_all(void)
{
	int passed = 0, failed = 0;

	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		if (t->fn() == 0) {
			printk("PASS kernel/%s\n", t->name);
			passed++;
		} else {
			printk("FAIL kernel/%s\n", t->name);
			failed++;
		}
	}
	printk("%d passed, %d failed\n", passed, failed);
	return failed;
}
