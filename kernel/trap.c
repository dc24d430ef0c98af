/* The IDT and the C side of every interrupt: trap_dispatch routes legacy
 * IRQs (through the 8259s, kernel/pic.c), exceptions and software
 * interrupts to registered handlers, and turns an unhandled exception
 * into a full report and a panic. Entry stubs: kernel/trap_entry.asm. */
#include <trap.h>
#include <io.h>
#include <panic.h>
#include <printk.h>
#include <selftest.h>
#include <string.h>
#include <uapi/errno.h>
#include <stddef.h>
#include <proc.h>
#include <mm.h>
#include <signal.h>
#include "pic.h"

_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "trap_entry.asm TF_VECTOR");
_Static_assert(offsetof(struct trap_frame, rip) == 17 * 8, "trap_entry.asm TF_RIP");
_Static_assert(offsetof(struct trap_frame, cs) == 18 * 8, "trap_entry.asm TF_CS");
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "keeps the stack aligned");

#define GATE_INTERRUPT 0x8E	/* P, DPL0, 64-bit interrupt gate (IF cleared) */
#define GATE_DPL3      0x60	/* reachable by int n from user mode */

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;		/* IST slot, 0 for none */
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __packed;

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static struct idt_gate idt[NR_VECTORS] __attribute__((aligned(16)));
static trap_handler_t trap_handlers[NR_VECTORS];
static irq_handler_t irq_handlers[NR_IRQS];
static uint64_t spurious_irqs;

extern const uint64_t trap_stubs[NR_VECTORS];
extern const char ksafe_read64_insn[], ksafe_read64_fixup[];

void trap_dispatch(struct trap_frame *tf);	/* from trap_entry.asm */

static const struct {
	const char *mnemonic, *name;
} exceptions[NR_EXCEPTIONS] = {
	[VEC_DE] = { "#DE", "divide error" },
	[VEC_DB] = { "#DB", "debug" },
	[VEC_NMI] = { "NMI", "non-maskable interrupt" },
	[VEC_BP] = { "#BP", "breakpoint" },
	[VEC_OF] = { "#OF", "overflow" },
	[VEC_BR] = { "#BR", "bound range exceeded" },
	[VEC_UD] = { "#UD", "invalid opcode" },
	[VEC_NM] = { "#NM", "device not available" },
	[VEC_DF] = { "#DF", "double fault" },
	[9] = { "#CSO", "coprocessor segment overrun" },
	[VEC_TS] = { "#TS", "invalid TSS" },
	[VEC_NP] = { "#NP", "segment not present" },
	[VEC_SS] = { "#SS", "stack-segment fault" },
	[VEC_GP] = { "#GP", "general protection fault" },
	[VEC_PF] = { "#PF", "page fault" },
	[VEC_MF] = { "#MF", "x87 floating-point error" },
	[VEC_AC] = { "#AC", "alignment check" },
	[VEC_MC] = { "#MC", "machine check" },
	[VEC_XM] = { "#XM", "SIMD floating-point exception" },
	[VEC_VE] = { "#VE", "virtualization exception" },
	[VEC_CP] = { "#CP", "control protection exception" },
	[VEC_HV] = { "#HV", "hypervisor injection exception" },
	[VEC_VC] = { "#VC", "VMM communication exception" },
	[VEC_SX] = { "#SX", "security exception" },
};

const char *trap_mnemonic(uint64_t vector)
{
	if (vector < NR_EXCEPTIONS && exceptions[vector].mnemonic)
		return exceptions[vector].mnemonic;
	return vector < NR_EXCEPTIONS ? "reserved" : "interrupt";
}

static const char *trap_name(uint64_t vector)
{
	if (vector < NR_EXCEPTIONS && exceptions[vector].name)
		return exceptions[vector].name;
	return vector < NR_EXCEPTIONS ? "reserved exception" : "unexpected interrupt";
}

static void idt_set_gate(unsigned vector, uint64_t entry, unsigned ist, unsigned dpl3)
{
	struct idt_gate *g = &idt[vector];

	g->off_lo = entry & 0xFFFF;
	g->sel = SEL_KCODE;
	g->ist = ist;
	g->type = GATE_INTERRUPT | (dpl3 ? GATE_DPL3 : 0);
	g->off_mid = (entry >> 16) & 0xFFFF;
	g->off_hi = entry >> 32;
	g->reserved = 0;
}

void trap_init(void)
{
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };

	for (unsigned v = 0; v < NR_VECTORS; v++)
		idt_set_gate(v, trap_stubs[v], 0, 0);
	/* Stacks that are known to be good, whatever state RSP is in. */
	idt_set_gate(VEC_DF, trap_stubs[VEC_DF], IST_DF, 0);
	idt_set_gate(VEC_NMI, trap_stubs[VEC_NMI], IST_NMI, 0);
	idt_set_gate(VEC_MC, trap_stubs[VEC_MC], IST_MC, 0);
	/* int3 and into are instructions user programs may use. */
	idt_set_gate(VEC_BP, trap_stubs[VEC_BP], 0, 1);
	idt_set_gate(VEC_OF, trap_stubs[VEC_OF], 0, 1);
	/* Page faults are mm's from the start: the copy helpers' fixups
	 * must work in every process, even one without an mm. */
	trap_handlers[VEC_PF] = mm_fault_trap;
	__asm__ volatile("lidt %0" :: "m"(idtr));
	pic_init();
}

static int is_irq_vector(unsigned vector)
{
	return vector >= IRQ_BASE && vector < IRQ_BASE + NR_IRQS;
}

trap_handler_t trap_set_handler(unsigned vector, trap_handler_t handler)
{
	BUG_ON(vector >= NR_VECTORS || is_irq_vector(vector));
	return __atomic_exchange_n(&trap_handlers[vector], handler, __ATOMIC_SEQ_CST);
}

int irq_register(unsigned irq, irq_handler_t handler)
{
	uint64_t flags;
	int err = 0;

	if (irq >= NR_IRQS || irq == 2 || !handler)
		return -EINVAL;
	flags = irq_save();
	if (irq_handlers[irq]) {
		err = -EBUSY;
	} else {
		irq_handlers[irq] = handler;
		pic_unmask(irq);
	}
	irq_restore(flags);
	return err;
}

void irq_unregister(unsigned irq)
{
	uint64_t flags;

	if (irq >= NR_IRQS)
		return;
	flags = irq_save();
	pic_mask(irq);
	irq_handlers[irq] = NULL;
	irq_restore(flags);
}

/*
 * EOI goes out before the handler so that a handler may switch tasks;
 * interrupts stay off until the iretq, so the line cannot nest.
 */
static void irq_dispatch(struct trap_frame *tf)
{
	unsigned irq = tf->vector - IRQ_BASE;
	irq_handler_t h = irq_handlers[irq];

	if ((irq == 7 || irq == 15) && pic_spurious(irq)) {
		spurious_irqs++;
		return;
	}
	pic_eoi(irq);
	if (h) {
		h(tf);
		return;
	}
	pic_mask(irq);
	pr_warn("trap: IRQ %u has no handler; masked\n", irq);
}

/* A fault on the load in ksafe_read64 resumes at its -EFAULT exit. */
static int trap_fixup(struct trap_frame *tf)
{
	if (tf->rip != (uint64_t)ksafe_read64_insn || trap_from_user(tf))
		return 0;
	if (tf->vector != VEC_PF && tf->vector != VEC_GP && tf->vector != VEC_SS)
		return 0;
	tf->rip = (uint64_t)ksafe_read64_fixup;
	return 1;
}

static void trap_handle(struct trap_frame *tf)
{
	uint64_t v = tf->vector;
	trap_handler_t h;

	if (is_irq_vector(v)) {
		irq_dispatch(tf);
		return;
	}
	if (trap_fixup(tf))
		return;
	h = trap_handlers[v];
	if (h && h(tf) == 0)
		return;
	/* A user program's fault ends the program, not the kernel (NMI,
	 * #DF and #MC are the machine's, whatever mode they hit). */
	if (v < NR_EXCEPTIONS && trap_from_user(tf) &&
	    v != VEC_NMI && v != VEC_DF && v != VEC_MC) {
		proc_user_fault(tf);
		return;
	}
	if (v < NR_EXCEPTIONS)
		trap_die(tf, NULL);
	pr_warn("trap: unexpected interrupt, vector %lu\n", (unsigned long)v);
}

/* Every way back to user mode passes the signal check. */
void trap_dispatch(struct trap_frame *tf)
{
	trap_handle(tf);
	if (trap_from_user(tf))
		signal_return(tf);
}

/* ---- the report ---------------------------------------------------- */

static void trap_print_error(const struct trap_frame *tf)
{
	uint64_t e = tf->error;

	switch (tf->vector) {
	case VEC_PF:
		pr_emerg("error code: %#lx (%s, %s, %s mode%s%s)\n", (unsigned long)e,
			 e & PF_PRESENT ? "protection violation" : "not present",
			 e & PF_FETCH ? "instruction fetch" : e & PF_WRITE ? "write" : "read",
			 e & PF_USER ? "user" : "kernel",
			 e & PF_RESERVED ? ", reserved bit set" : "",
			 e & (1u << 5) ? ", protection key" : "");
		break;
	case VEC_TS: case VEC_NP: case VEC_SS: case VEC_GP:
		/* Zero, or a selector error code: index, table, external. */
		if (e) {
			static const char *const table[] = { "GDT", "IDT", "LDT", "IDT" };

			pr_emerg("error code: %#lx (%s index %lu%s)\n", (unsigned long)e,
				 table[(e >> 1) & 3], (unsigned long)(e >> 3),
				 e & 1 ? ", external event" : "");
			break;
		}
		/* fall through */
	default:
		pr_emerg("error code: %#lx\n", (unsigned long)e);
	}
}

static void trap_print_regs(const struct trap_frame *tf)
{
	uint64_t off = 0;
	const char *sym = ksym_lookup(tf->rip, &off);

	pr_emerg("RIP: %04lx:%016lx %s+0x%lx\n", (unsigned long)tf->cs,
		 (unsigned long)tf->rip, sym ? sym : "?", (unsigned long)off);
	pr_emerg("RSP: %04lx:%016lx RFLAGS: %08lx\n", (unsigned long)tf->ss,
		 (unsigned long)tf->rsp, (unsigned long)tf->rflags);
	pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx\n",
		 (unsigned long)tf->rax, (unsigned long)tf->rbx, (unsigned long)tf->rcx);
	pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx\n",
		 (unsigned long)tf->rdx, (unsigned long)tf->rsi, (unsigned long)tf->rdi);
	pr_emerg("RBP: %016lx R08: %016lx R09: %016lx\n",
		 (unsigned long)tf->rbp, (unsigned long)tf->r8, (unsigned long)tf->r9);
	pr_emerg("R10: %016lx R11: %016lx R12: %016lx\n",
		 (unsigned long)tf->r10, (unsigned long)tf->r11, (unsigned long)tf->r12);
	pr_emerg("R13: %016lx R14: %016lx R15: %016lx\n",
		 (unsigned long)tf->r13, (unsigned long)tf->r14, (unsigned long)tf->r15);
}

/*
 * Everything there is to know about a fatal trap, then panic. CR2 is read
 * first: a fault while printing (caught by ksafe_read64) would change it.
 * A #DF whose stack pointer sits just above unmapped memory is almost
 * certainly a kernel stack overflow, and says so.
 */
void trap_die(struct trap_frame *tf, const char *why)
{
	uint64_t cr2 = read_cr2(), probe, off = 0;
	const char *sym = ksym_lookup(tf->rip, &off);

	irq_disable();
	if (!why && tf->vector == VEC_DF && ksafe_read64(tf->rsp - 8, &probe) < 0)
		why = "kernel stack overflow";
	pr_emerg("\n%s (%s, vector %lu) in %s mode%s%s\n", trap_name(tf->vector),
		 trap_mnemonic(tf->vector), (unsigned long)tf->vector,
		 trap_from_user(tf) ? "user" : "kernel", why ? ": " : "", why ? why : "");
	trap_print_error(tf);
	trap_print_regs(tf);
	pr_emerg("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
		 (unsigned long)read_cr0(), (unsigned long)cr2,
		 (unsigned long)read_cr3(), (unsigned long)read_cr4());
	pr_emerg("Call trace:\n");
	backtrace_print_trap(tf);
	panic("%s (%s) at %s+0x%lx%s%s", trap_name(tf->vector), trap_mnemonic(tf->vector),
	      sym ? sym : "?", (unsigned long)off, why ? ": " : "", why ? why : "");
}

/* ---- self-tests ---------------------------------------------------- */

static volatile uint64_t bp_vector, bp_rip, bp_cs;

static int bp_handler(struct trap_frame *tf)
{
	bp_vector = tf->vector;
	bp_rip = tf->rip;
	bp_cs = tf->cs;
	return 0;
}

/* int3 reaches a temporary handler with the RIP just past the int3. */
SELFTEST(trap_int3_handler)
{
	trap_handler_t old;
	const char *name;
	uint64_t after;

	bp_vector = bp_rip = 0;
	old = trap_set_handler(VEC_BP, bp_handler);
	__asm__ volatile("int3\n1:\tleaq 1b(%%rip), %0" : "=r"(after) :: "memory");
	ST_ASSERT(trap_set_handler(VEC_BP, old) == bp_handler);
	ST_ASSERT(bp_vector == VEC_BP);
	ST_ASSERT(bp_cs == SEL_KCODE);
	ST_ASSERT(bp_rip == after);
	name = ksym_lookup(bp_rip, NULL);
	ST_ASSERT(name && strcmp(name, "selftest_trap_int3_handler") == 0);
	return 0;
}

/* Faults on the guarded load come back as -EFAULT. */
SELFTEST(trap_ksafe_read64)
{
	static uint64_t word = 0x1122334455667788;
	uint64_t v = 0;

	ST_ASSERT(ksafe_read64((uint64_t)&word, &v) == 0 && v == word);
	ST_ASSERT(ksafe_read64(0x8000000000000000UL, &v) == -EFAULT);	/* #GP */
	/* #PF: above the boot identity map, below any user program */
	ST_ASSERT(ksafe_read64(0xdead0000UL, &v) == -EFAULT);
	ST_ASSERT(v == word);
	return 0;
}

static volatile uint64_t soft_vector;

static int soft_handler(struct trap_frame *tf)
{
	soft_vector = tf->vector;
	return 0;
}

/* Vectors above 0x7F reach the handler unmangled (no sign extension). */
SELFTEST(trap_soft_int_vectors)
{
	trap_handler_t old80 = trap_set_handler(0x80, soft_handler);
	trap_handler_t oldff = trap_set_handler(0xFF, soft_handler);

	soft_vector = 0;
	__asm__ volatile("int $0x80" ::: "memory");
	ST_ASSERT(soft_vector == 0x80);
	__asm__ volatile("int $0xFF" ::: "memory");
	ST_ASSERT(soft_vector == 0xFF);
	trap_set_handler(0x80, old80);
	trap_set_handler(0xFF, oldff);
	return 0;
}

static void dummy_irq(struct trap_frame *tf)
{
	(void)tf;
}

SELFTEST(irq_register_checks)
{
	ST_ASSERT(irq_register(NR_IRQS, dummy_irq) == -EINVAL);
	ST_ASSERT(irq_register(2, dummy_irq) == -EINVAL);	/* the cascade */
	ST_ASSERT(irq_register(5, NULL) == -EINVAL);
	ST_ASSERT(irq_register(0, dummy_irq) == -EBUSY);	/* the timer's */
	return 0;
}
