/* Runs the self-tests gathered in .selftests (see selftest.h), then checks
 * that the suite as a whole gave back every frame it took. */
#include <selftest.h>
#include <page.h>
#include <kmalloc.h>
#include <pgtable.h>
#include <exec.h>

extern const struct selftest __selftests_start[], __selftests_end[];

int selftest_run_all(void)
{
	int passed = 0, failed = 0;

	/* Caches keep one empty slab for reuse: shrink on both sides so the
	 * counts compare what the tests kept, not what the caches hold. */
	kmem_shrink_all();
	uint64_t before = page_free_count();
	uint64_t tables_before = pt_kernel_table_frames();

	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		if (t->fn() == 0) {
			printk("PASS kernel/%s\n", t->name);
			passed++;
		} else {
			printk("FAIL kernel/%s\n", t->name);
			failed++;
		}
	}

	/* New kernel page tables (ioremap) stay by design: not a leak. */
	kmem_shrink_all();
	uint64_t after = page_free_count();
	uint64_t tables = pt_kernel_table_frames() - tables_before;
	if (after + tables == before) {
		printk("PASS kernel/no_frames_leaked (%lu free before, %lu after, "
		       "%lu in new kernel page tables)\n", (unsigned long)before,
		       (unsigned long)after, (unsigned long)tables);
		passed++;
	} else {
		printk("FAIL kernel/no_frames_leaked: %lu free before, %lu after, "
		       "%lu in new kernel page tables\n", (unsigned long)before,
		       (unsigned long)after, (unsigned long)tables);
		failed++;
	}
	/* Then the user-mode test programs from the initrd (proc/exec.c):
	 * their results count in the same summary. */
	exec_run_guest_tests(&passed, &failed);
	printk("%d passed, %d failed\n", passed, failed);
	return failed;
}
