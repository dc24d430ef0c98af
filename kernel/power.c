/* Ending the machine: the test harness's exit port, power off (ACPI S5,
 * then the ports QEMU and Bochs answer on) and reset (ACPI reset register,
 * keyboard controller, PCI reset port, triple fault). Each method that
 * returns is followed by the next; the last resort is a clean halt. */
#include <power.h>
#include <acpi.h>
#include <cmdline.h>
#include <io.h>
#include <pgtable.h>
#include <printk.h>
#include <selftest.h>
#include <stdint.h>

#define QEMU_DEBUG_EXIT_PORT	0xF4	/* -device isa-debug-exit,iobase=0xf4 */
/* Where firmware usually puts PM1a_CNT: PM base 0x600 (QEMU q35, and pc
 * under SeaBIOS) or 0xb000 (Bochs, and QEMU's pc under OVMF). */
#define QEMU_PM1_CNT_PORT	0x604
#define BOCHS_PM1_CNT_PORT	0xB004
#define LEGACY_S5		0x2000	/* SLP_EN with SLP_TYP 0: QEMU's soft off */

#define KBC_STATUS_PORT		0x64
#define KBC_STATUS_IN_FULL	0x02	/* controller has not taken our byte yet */
#define KBC_CMD_PULSE_RESET	0xFE
#define PCI_RESET_PORT		0xCF9
#define PCI_RESET_SYS		0x02	/* full reset rather than CPU-only... */
#define PCI_RESET_CPU		0x04	/* ...taken on the 0 -> 1 edge of this */

/* Roughly ms milliseconds: a write to the POST port takes about a
 * microsecond on real buses. Interrupts are off, so no timer to ask. */
static void power_delay(unsigned ms)
{
	for (unsigned long i = 0; i < ms * 1000ul; i++)
		io_wait();
}

static __noreturn void power_halt(void)
{
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

void power_test_exit(int code)
{
	if (!cmdline_has("test"))
		return;
	pr_info("power: test exit, code %d\n", code);
	/* QEMU exits with (code << 1) | 1; without the device this does
	 * nothing and we power off normally. */
	outb(QEMU_DEBUG_EXIT_PORT, code);
	power_delay(10);
	power_off();
}

/* SLP_TYP and SLP_EN take effect only in ACPI mode (SCI_EN set). Legacy
 * firmware switches modes when ACPI_ENABLE is written to SMI_CMD. */
static void acpi_enter_acpi_mode(const struct acpi_fadt *f)
{
	if (inw(f->pm1a_cnt) & ACPI_PM1_SCI_EN)
		return;
	if (!f->smi_cmd || !f->acpi_enable)
		return;
	pr_info("power: enabling ACPI mode (SMI_CMD %#x <- %#x)\n", f->smi_cmd, f->acpi_enable);
	outb(f->smi_cmd, f->acpi_enable);
	for (int i = 0; i < 300 && !(inw(f->pm1a_cnt) & ACPI_PM1_SCI_EN); i++)
		power_delay(1);
}

static void pm1_write(uint16_t port, uint8_t typ, uint16_t extra)
{
	uint16_t v = inw(port) & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);

	outw(port, v | ((typ & 7) << ACPI_PM1_SLP_TYP_SHIFT) | extra);
}

static void acpi_power_off(void)
{
	const struct acpi_fadt *f = acpi_get_fadt();
	uint8_t typa, typb;

	if (!f || !f->pm1a_cnt || acpi_s5_type(&typa, &typb) < 0)
		return;
	acpi_enter_acpi_mode(f);
	pr_info("power: ACPI S5 (PM1a_CNT %#x, SLP_TYP %u/%u)\n", f->pm1a_cnt, typa, typb);
	power_delay(10);
	/* The type first, then the type with SLP_EN, as the spec's sequence
	 * has it; both blocks in step when there is a PM1b. */
	pm1_write(f->pm1a_cnt, typa, 0);
	if (f->pm1b_cnt)
		pm1_write(f->pm1b_cnt, typb, 0);
	pm1_write(f->pm1a_cnt, typa, ACPI_PM1_SLP_EN);
	if (f->pm1b_cnt)
		pm1_write(f->pm1b_cnt, typb, ACPI_PM1_SLP_EN);
	power_delay(100);
}

void power_off(void)
{
	irq_disable();
	pr_info("power: powering off\n");
	acpi_power_off();

	pr_info("power: trying QEMU's ACPI port %#x\n", QEMU_PM1_CNT_PORT);
	power_delay(10);
	outw(QEMU_PM1_CNT_PORT, LEGACY_S5);
	power_delay(100);

	pr_info("power: trying the Bochs ACPI port %#x\n", BOCHS_PM1_CNT_PORT);
	outw(BOCHS_PM1_CNT_PORT, LEGACY_S5);
	power_delay(100);

	pr_err("power: could not power off; halted\n");
	power_halt();
}

static void acpi_reset(void)
{
	const struct acpi_fadt *f = acpi_get_fadt();
	const struct acpi_gas *r;

	if (!f || !f->reset_supported)
		return;
	r = &f->reset_reg;
	if (r->space == ACPI_GAS_IO && r->address <= 0xFFFF) {
		pr_info("power: ACPI reset register (port %#lx <- %#x)\n",
			(unsigned long)r->address, f->reset_value);
		power_delay(10);
		outb(r->address, f->reset_value);
	} else if (r->space == ACPI_GAS_MEMORY) {
		volatile uint8_t *reg = ioremap(r->address, 1, CACHE_UC);

		if (!reg)
			return;
		pr_info("power: ACPI reset register (memory %#lx <- %#x)\n",
			(unsigned long)r->address, f->reset_value);
		power_delay(10);
		*reg = f->reset_value;
	}
	power_delay(100);
}

static void kbc_reset(void)
{
	pr_info("power: keyboard controller reset\n");
	power_delay(10);
	for (int i = 0; i < 100000 && (inb(KBC_STATUS_PORT) & KBC_STATUS_IN_FULL); i++)
		io_wait();
	outb(KBC_STATUS_PORT, KBC_CMD_PULSE_RESET);
	power_delay(100);
}

static void pci_reset(void)
{
	pr_info("power: PCI reset (port %#x)\n", PCI_RESET_PORT);
	power_delay(10);
	outb(PCI_RESET_PORT, PCI_RESET_SYS);
	power_delay(1);
	outb(PCI_RESET_PORT, PCI_RESET_SYS | PCI_RESET_CPU);
	power_delay(100);
}

/* With an empty IDT the breakpoint cannot be delivered, nor can the
 * double fault that follows: the CPU shuts down and the board resets. */
static void triple_fault(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr = { 0, 0 };

	pr_info("power: triple fault\n");
	power_delay(10);
	__asm__ volatile("lidt %0; int3" :: "m"(idtr) : "memory");
}

void power_reboot(void)
{
	irq_disable();
	pr_info("power: rebooting\n");
	acpi_reset();
	kbc_reset();
	pci_reset();
	triple_fault();
	pr_err("power: could not reboot; halted\n");
	power_halt();
}

/* power_test_exit, and with it the test suite's exit status, depends on
 * the test boot entry's bare "test" word being seen. */
SELFTEST(cmdline_has_test)
{
	char val[8];

	ST_ASSERT(cmdline_has("test"));
	ST_ASSERT(cmdline_get("test", val, sizeof(val)) >= 0);
	ST_ASSERT(!cmdline_has("tes"));
	return 0;
}
