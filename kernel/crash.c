/* Deliberate kernel crashes for the test harness (crash=<kind> on the
 * command line): each must end in a complete trap report and a panic, so
 * the harness can check that faults are caught and described. Called from
 * kmain only; nothing here returns except for an unknown kind. */
#include <trap.h>
#include <layout.h>
#include <panic.h>
#include <pgtable.h>
#include <printk.h>
#include <stackprot.h>
#include <string.h>
#include <uapi/errno.h>

/* Lower half, above the boot identity map (1 GiB) and below any program. */
#define CRASH_UNMAPPED   0xdead0000UL
#define CRASH_NONCANON   0x8000000000000000UL
#define CRASH_STACK_SIZE (16 * 1024)

void trap_call_on_stack(void (*fn)(void), uint64_t stack_top);	/* trap_entry.asm */

static volatile int crash_keep_going = 1;	/* hides the recursion's end from GCC */
static volatile unsigned long crash_depth;

static __attribute__((noinline)) uint64_t crash_read(uint64_t addr)
{
	return *(volatile uint64_t *)addr;
}

static __attribute__((noinline)) void crash_divide(void)
{
	__asm__ volatile("xorl %%ecx, %%ecx\n\tdivl %%ecx" ::: "eax", "ecx", "edx");
}

static __attribute__((noinline)) void crash_recurse(void)
{
	volatile char pad[64];

	pad[0] = (char)crash_depth++;
	if (crash_keep_going)
		crash_recurse();
	pad[1] = pad[0];	/* no tail call: every level keeps its frame */
}

/*
 * Overflow a kernel stack. The recursion runs on a stack of its own whose
 * bottom borders memory that faults: the guard page kstack_alloc puts
 * below its stacks, or, while mm has none to give, the first page of the
 * direct map, below which addresses are non-canonical. Either way the CPU
 * cannot push the first fault's frame, raises #DF, and the #DF gate's IST
 * stack is where the report gets printed. (A stack of its own leaves
 * kmain's frames whole for the backtrace.)
 */
static void crash_stack_overflow(void)
{
	void *top = kstack_alloc(CRASH_STACK_SIZE);

	if (!top)
		top = (void *)(DIRECT_MAP + PAGE_SIZE);
	pr_emerg("crash: overflowing a kernel stack at %p\n", top);
	trap_call_on_stack(crash_recurse, (uint64_t)top);
}

/*
 * Overrun a local buffer up to and including the canary above it, as a
 * string copy gone wrong would: the check on return must panic. The
 * canary is found by its value, so the overrun stops there and leaves the
 * saved frame pointer above it whole for the backtrace. The compiler must
 * not see the bounds, hence the pointer laundered through an asm.
 */
static __attribute__((noinline)) void crash_smash_canary(void)
{
	char buf[16];
	char *p = buf;
	size_t len = sizeof(buf);

	__asm__ volatile("" : "+r"(p));
	while (len < 64 && memcmp(p + len, &__stack_chk_guard, 8) != 0)
		len += 8;
	if (len == 64)
		panic("crash test canary: no canary found above the buffer");
	pr_emerg("crash: overrunning a %zu-byte buffer by %zu bytes\n", sizeof(buf),
		 len + 8 - sizeof(buf));
	for (size_t i = 0; i < len + 8; i++)
		p[i] = 'A';
	__asm__ volatile("" :: "r"(p) : "memory");
}

int trap_crash_test(const char *kind)
{
	pr_emerg("crash: %s\n", kind);
	if (strcmp(kind, "pagefault") == 0)
		crash_read(CRASH_UNMAPPED);
	else if (strcmp(kind, "gp") == 0)
		crash_read(CRASH_NONCANON);
	else if (strcmp(kind, "ud") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(kind, "divide") == 0)
		crash_divide();
	else if (strcmp(kind, "stack") == 0)
		crash_stack_overflow();
	else if (strcmp(kind, "canary") == 0)
		crash_smash_canary();
	else if (strcmp(kind, "panic") == 0)
		panic("crash test");
	else
		return -EINVAL;
	panic("crash test %s: the kernel survived", kind);
}
