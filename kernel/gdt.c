/* The GDT and the 64-bit TSS of the boot CPU. The TSS carries RSP0 (the
 * kernel stack for entries from user mode, set by the scheduler through
 * tss_set_rsp0) and the IST stacks #DF, NMI and #MC always run on: static
 * ones at first, guarded ones once mm can map them. The IDT itself is
 * kernel/trap.c's. */
#include <trap.h>
#include <compiler.h>
#include <layout.h>
#include <pgtable.h>
#include <proc.h>
#include <selftest.h>
#include <stddef.h>
#include <uapi/errno.h>

/*
 * Descriptor values. Base and limit are ignored in long mode but set
 * flat anyway. Access byte: P, DPL, S, type; flags: G, D/B or L.
 *   kernel code  P DPL0 code exec/read, L      0x00AF9A000000FFFF
 *   kernel data  P DPL0 data read/write        0x00CF92000000FFFF
 *   user data    P DPL3 data read/write        0x00CFF2000000FFFF
 *   user code    P DPL3 code exec/read, L      0x00AFFA000000FFFF
 * sysret loads SS from STAR[63:48] + 8 and CS from STAR[63:48] + 16,
 * hence user data before user code.
 */
#define GDT_KCODE 0x00AF9A000000FFFFUL
#define GDT_KDATA 0x00CF92000000FFFFUL
#define GDT_UDATA 0x00CFF2000000FFFFUL
#define GDT_UCODE 0x00AFFA000000FFFFUL

#define TSS_TYPE_AVAIL 0x89	/* P, DPL0, 64-bit TSS (available) */

#define IST_STACK_SIZE 16384	/* a full panic report runs on these */

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];	/* stack for entries into ring 0..2 */
	uint64_t reserved1;
	uint64_t ist[7];	/* ist[n - 1] is IST slot n */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;	/* past the limit: no I/O bitmap */
} __packed;

_Static_assert(sizeof(struct tss) == 104, "TSS layout");

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

/* null, kcode, kdata, udata, ucode, TSS (two slots) */
static uint64_t gdt[7] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

_Static_assert(SEL_TSS / 8 + 2 == ARRAY_SIZE(gdt), "TSS is the last entry");

static void gdt_set_tss(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[SEL_TSS / 8] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
			   ((uint64_t)TSS_TYPE_AVAIL << 40) |
			   (((limit >> 16) & 0xF) << 48) |
			   (((base >> 24) & 0xFF) << 56);
	gdt[SEL_TSS / 8 + 1] = base >> 32;
}

/*
 * lgdt does not touch the segment registers: CS is reloaded by a far
 * return, the data registers by plain moves. FS and GS get the null
 * selector, which is fine until per-CPU data sets their bases by MSR.
 */
static void gdt_load(void)
{
	struct desc_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "movw %w3, %%fs\n\t"
			 "movw %w3, %%gs\n\t"
			 "ltr %w4"
			 :
			 : "m"(gdtr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(0),
			   "r"(SEL_TSS)
			 : "rax", "memory");
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[SEL_KCODE / 8] = GDT_KCODE;
	gdt[SEL_KDATA / 8] = GDT_KDATA;
	gdt[SEL_UDATA / 8] = GDT_UDATA;
	gdt[SEL_UCODE / 8] = GDT_UCODE;

	tss.ist[IST_DF - 1] = (uint64_t)&ist_stacks[0][IST_STACK_SIZE];
	tss.ist[IST_NMI - 1] = (uint64_t)&ist_stacks[1][IST_STACK_SIZE];
	tss.ist[IST_MC - 1] = (uint64_t)&ist_stacks[2][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);
	gdt_set_tss();
	gdt_load();
}

static const unsigned ist_slots[] = { IST_DF, IST_NMI, IST_MC };

void gdt_guard_ist_stacks(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(ist_slots); i++) {
		void *top = kstack_alloc(IST_STACK_SIZE);

		if (top)
			tss.ist[ist_slots[i] - 1] = (uint64_t)top;
	}
}

void tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

/* A stack [top - size, top) in the kstack area with nothing mapped in the
 * page below it. */
static int stack_guarded(uint64_t top, uint64_t size)
{
	paddr_t root = kernel_pml4_phys();

	return top > KSTACK_BASE && top <= KSTACK_END &&
	       pt_lookup(root, top - size, NULL, NULL) == 0 &&
	       pt_lookup(root, top - PAGE_SIZE, NULL, NULL) == 0 &&
	       pt_lookup(root, top - size - PAGE_SIZE, NULL, NULL) == -ENOENT;
}

/* Every kernel stack has its guard page: the IST stacks and pid 1's (the
 * one these tests run on), as well as every process's (kstack_alloc). */
SELFTEST(kernel_stacks_guarded)
{
	for (size_t i = 0; i < ARRAY_SIZE(ist_slots); i++)
		ST_ASSERT(stack_guarded(tss.ist[ist_slots[i] - 1], IST_STACK_SIZE));
	ST_ASSERT(current->pid == 1);
	ST_ASSERT(stack_guarded((uint64_t)current->kstack_top, KSTACK_SIZE));
	return 0;
}
