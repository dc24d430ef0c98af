/* The stack protector's run-time half: the canary, chosen afresh at every
 * boot before any protected function runs, and the report when a
 * function finds its copy overwritten. The compiler inserts the checks
 * (KCFLAGS in the Makefile); the deliberate overflow is kernel/crash.c's
 * "canary" kind. */
#include <stackprot.h>
#include <panic.h>
#include <selftest.h>
#include <trap.h>
#include <io.h>
#include <printk.h>

/* The value before stackprot_init: fixed, so the self-test can tell that
 * the real one replaced it. Nothing protected runs before then (kmain is
 * built without checks). */
#define CANARY_BOOT	0x5d3c0f1e9a7b2600ull

uint64_t __stack_chk_guard = CANARY_BOOT;

static const char *canary_source = "none";

static __no_stack_protector uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* CPUID leaf 1 ECX bit 30, read here because cpu_init has not run yet. */
static __no_stack_protector int have_rdrand(void)
{
	uint32_t a = 0, b, c, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	if (a < 1)
		return 0;
	a = 1;
	c = 0;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c >> 30) & 1;
}

/*
 * RDRAND may come back empty (carry clear) when its source is drained;
 * Intel's advice is ten tries. The TSC is mixed in either way, so a
 * broken RDRAND that returns a constant still gives a boot-dependent
 * value.
 */
__no_stack_protector void stackprot_init(void)
{
	uint64_t v = 0, tsc = rdtsc();
	uint8_t ok = 0;

	if (have_rdrand())
		for (int i = 0; i < 10 && !ok; i++)
			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
	canary_source = ok ? "rdrand" : "tsc";
	v ^= mix64(tsc ^ 0x9e3779b97f4a7c15ull) ^ mix64(rdtsc());
	v &= ~0xffull;
	if (!v || v == CANARY_BOOT)	/* one chance in 2^56 */
		v = ~CANARY_BOOT & ~0xffull;
	__stack_chk_guard = v;
}

const char *stackprot_source(void)
{
	return canary_source;
}

/*
 * Called from the epilogue of the function whose canary changed, so the
 * return address names it. Built without a check of its own, and never
 * returns: the frame it would return to is the corrupt one.
 */
__noreturn __no_stack_protector void __stack_chk_fail(void)
{
	uint64_t ip = (uint64_t)__builtin_return_address(0), off = 0;
	const char *sym = ksym_lookup(ip, &off);

	panic("stack protector: stack smashed in %s+0x%lx", sym ? sym : "?",
	      (unsigned long)off);
}

/* The canary was set, keeps its zero byte, and is not the boot value. Its
 * hash (never the value) is printed so two boots can be compared. */
SELFTEST(stackprot_canary)
{
	uint64_t g = __stack_chk_guard;

	ST_ASSERT(g != 0 && g != CANARY_BOOT);
	ST_ASSERT((g & 0xff) == 0);
	printk("  canary from %s, hash %04lx\n", canary_source,
	       (unsigned long)(mix64(g ^ 0x2545f4914f6cdd1dull) >> 48));
	return 0;
}
