/* panic: report on every console, with a backtrace, then stop. Under the
 * test harness the machine is switched off with a failure code instead,
 * so a panic fails the run at once rather than by timeout. */
#include <panic.h>
#include <printk.h>
#include <console.h>
#include <fmt.h>
#include <io.h>
#include <power.h>
#include <trap.h>
#include <stdarg.h>

static int panicking;

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	irq_disable();
	if (panicking++) {	/* a panic while panicking: just stop */
		for (;;)
			cpu_halt();
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_emerg("KERNEL PANIC: %s\n", msg);
	backtrace_print((uint64_t)__builtin_frame_address(0));
	power_test_exit(POWER_EXIT_FAILURE);
	for (;;)
		cpu_halt();
}
