/* The pure half of backtraces: searching the kernel symbol table that
 * test/tools/ksyms.sh builds, and the rules for following a frame pointer.
 * No globals, no printk: host-tested in test/host/test_ksyms.c. Walking
 * real stacks and printing is kernel/backtrace.c. */
#include <trap.h>
#include <stddef.h>

#define KERNEL_HALF 0xFFFF800000000000UL

/*
 * Binary search for the last symbol starting at or below addr. Addresses
 * outside [syms[0].addr, end) have no symbol: the table only knows text.
 * When several names share an address (aliases), the first one wins.
 */
const char *ksym_search(const struct ksym_table *t, uint64_t addr, uint64_t *off)
{
	uint64_t lo = 0, hi = t->count;

	if (t->count == 0 || addr < t->syms[0].addr || addr >= t->end)
		return NULL;
	/* Invariant: syms[lo].addr <= addr, and everything from hi on is above. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	while (lo > 0 && t->syms[lo - 1].addr == t->syms[lo].addr)
		lo--;
	if (off)
		*off = addr - t->syms[lo].addr;
	return t->names + t->syms[lo].name_off;
}

int bt_frame_ok(uint64_t fp, uint64_t prev)
{
	if (fp < KERNEL_HALF || (fp & 7))
		return 0;
	if (fp > UINT64_MAX - 16)	/* the saved rbp and return address */
		return 0;
	return prev == 0 || fp > prev;
}
