/* kmain: bring the machine up in order, then run the self-tests (test boot)
 * or wait for user mode. Each step may print; serial comes first so that
 * everything after it can be seen. */
#include <bootinfo.h>
#include <console.h>
#include <printk.h>
#include <panic.h>
#include <cmdline.h>
#include <cpu.h>
#include <trap.h>
#include <page.h>
#include <acpi.h>
#include <timer.h>
#include <sched.h>
#include <syscall.h>
#include <power.h>
#include <selftest.h>
#include <io.h>
#include <string.h>
#include <vfs.h>
#include <exec.h>
#include <stackprot.h>
#include <pgtable.h>
#include <proc.h>

#define MB2_BOOT_MAGIC 0x36D76289
#define MBI_MAX_SIZE   (64 * 1024)

struct boot_info boot_info;

static void apply_cmdline(void)
{
	char val[16];

	if (cmdline_get("loglevel", val, sizeof(val)) > 0 && val[0] >= '0' && val[0] <= '8')
		printk_set_loglevel(val[0] - '0');
}

void trap_call_on_stack(void (*fn)(void), uint64_t stack_top);	/* trap_entry.asm */

/* The rest of kmain, on a stack with a guard page below it. */
static __noreturn void kmain_late(void)
{
	screen_console_init(&boot_info);
	acpi_init(&boot_info);
	timer_init();
	/* From here kmain is process 1, and the self-tests below run in a
	 * process context: they may sleep, and ticks preempt them. */
	sched_init();
	syscall_init();
	irq_enable();
	/* After the scheduler: the VFS lock and fd tables need current. */
	vfs_init();

	pr_info("kernel: ready, %lu MiB free of %lu MiB\n",
		(unsigned long)(page_free_count() * PAGE_SIZE >> 20),
		(unsigned long)(page_total_count() * PAGE_SIZE >> 20));

	/* The harness checks that faults are reported: crash=<kind>. */
	char crash[16];
	if (cmdline_get("crash", crash, sizeof(crash)) > 0)
		trap_crash_test(crash);

	if (cmdline_has("test")) {
		int failed = selftest_run_all();
		power_test_exit(failed ? POWER_EXIT_FAILURE : POWER_EXIT_SUCCESS);
		power_off();
	}
	/* kmain becomes init (pid 1); back here only without a /bin/init. */
	exec_start_init();
	pr_info("kernel: nothing to run; halting\n");
	for (;;)
		cpu_halt();
}

/* Without a canary of its own: it is live while stackprot_init changes
 * the value, and never returns anyway. */
__no_stack_protector void kmain(uint32_t magic, uint32_t mbi_phys)
{
	void *stack;

	stackprot_init();
	serial_init();
	if (magic != MB2_BOOT_MAGIC)
		panic("bad multiboot2 magic %#x", magic);
	if (mb2_parse(phys_to_virt(mbi_phys), MBI_MAX_SIZE, &boot_info) < 0)
		panic("malformed multiboot2 information at %#x", mbi_phys);
	boot_info.mbi_phys = mbi_phys;
	cmdline_init(boot_info.cmdline);
	apply_cmdline();

	pr_info("\nkernel: x86-64, booted by %s%s\n",
		boot_info.loader ? boot_info.loader : "an unknown loader",
		boot_info.efi ? " (UEFI)" : "");
	pr_info("kernel: command line: %s\n", cmdline_raw());

	cpu_init();
	gdt_init();
	trap_init();
	mm_init(&boot_info);
	/* Off the boot stack, below which lies .bss, to one whose overflow
	 * faults; the same for the IST stacks. Without the memory for it,
	 * the boot stack it is. */
	gdt_guard_ist_stacks();
	stack = kstack_alloc(KSTACK_SIZE);
	if (stack) {
		proc_set_boot_stack(stack);
		trap_call_on_stack(kmain_late, (uint64_t)stack);
	}
	kmain_late();
}
