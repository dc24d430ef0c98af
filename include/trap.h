/* CPU tables and traps (kernel/gdt.c, kernel/trap.c, kernel/trap_entry.asm,
 * kernel/pic.c) and symbolized backtraces (kernel/ksyms.c, the pure table
 * search, and kernel/backtrace.c). */
#ifndef TRAP_H
#define TRAP_H
#include <stdint.h>
#include <compiler.h>

/* Segment selectors, laid out for syscall/sysret later:
 * kernel code, kernel data, user data, user code (STAR ordering). */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA (0x18 | 3)
#define SEL_UCODE (0x20 | 3)
#define SEL_TSS   0x28

/* Interrupt stack table slots in the TSS (1-based, as the IDT encodes
 * them). These vectors always switch to a known-good stack, so a kernel
 * stack overflow still gets reported. */
#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3

/* Exception vectors. */
enum {
	VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4,
	VEC_BR = 5, VEC_UD = 6, VEC_NM = 7, VEC_DF = 8, VEC_TS = 10,
	VEC_NP = 11, VEC_SS = 12, VEC_GP = 13, VEC_PF = 14, VEC_MF = 16,
	VEC_AC = 17, VEC_MC = 18, VEC_XM = 19, VEC_VE = 20, VEC_CP = 21,
	VEC_HV = 28, VEC_VC = 29, VEC_SX = 30,
};
#define NR_EXCEPTIONS 32
#define IRQ_BASE      0x20	/* legacy IRQ 0..15 -> vectors 0x20..0x2F */
#define NR_IRQS       16
#define NR_VECTORS    256

/* #PF error code bits. */
#define PF_PRESENT  (1u << 0)	/* protection violation, not a missing page */
#define PF_WRITE    (1u << 1)
#define PF_USER     (1u << 2)
#define PF_RESERVED (1u << 3)	/* reserved bit set in a paging entry */
#define PF_FETCH    (1u << 4)	/* instruction fetch */

/* Registers saved on every interrupt/exception entry (trap_entry.asm),
 * lowest address first. The CPU pushes ss..rip (and the error code for
 * the vectors that have one); the vector stub pushes a zero error code
 * for the others, then the vector; trap_common pushes rax first and r15
 * last. The handler may change any field: iretq restores them all.
 * 176 bytes, a multiple of 16; trap_entry.asm hard-codes the offsets of
 * vector, rip and cs (checked in trap.c). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

static inline int trap_from_user(const struct trap_frame *tf)
{
	return (tf->cs & 3) != 0;
}

/* GDT and the TSS with IST stacks (#DF, NMI, #MC), segment registers
 * reloaded. Static storage: runs before the frame allocator. */
void gdt_init(void);

/* Move the IST stacks to kstack_alloc'd ones, each above an unmapped
 * guard page (after mm_init; the static ones stay if there is no memory). */
void gdt_guard_ist_stacks(void);

/* Stack the CPU switches to on an interrupt from user mode (TSS.RSP0):
 * the top of the current task's kernel stack, set by the scheduler. */
void tss_set_rsp0(uint64_t rsp0);

/* IDT for all 256 vectors, 8259 PICs remapped to IRQ_BASE with every line
 * masked. Unhandled exceptions report and panic.
 * Entry contract: interrupts are off in every handler (interrupt gates);
 * GS is swapped on entry from user mode and back on the way out. */
void trap_init(void);

/* Hardware interrupt lines 0..15 (legacy IRQ numbers). irq_register routes
 * the line to handler and unmasks it: 0, -EINVAL for a bad line (or 2,
 * the cascade), -EBUSY when taken. The handler runs with interrupts off;
 * end-of-interrupt has already been sent, so a handler may switch tasks,
 * but a level-triggered device must be quietened before it returns.
 * Spurious IRQ 7/15 never reach a handler. */
typedef void (*irq_handler_t)(struct trap_frame *tf);
int irq_register(unsigned irq, irq_handler_t handler);
void irq_unregister(unsigned irq);	/* masks the line again */

/* Exception or software-interrupt hook for later subsystems (page faults
 * by mm): return 0 when handled, nonzero to fall through to the default
 * (for an exception: report and panic). Any vector but the IRQ lines,
 * which belong to irq_register. NULL restores the default. Returns the
 * previous handler, so a temporary one can be put back. */
typedef int (*trap_handler_t)(struct trap_frame *tf);
trap_handler_t trap_set_handler(unsigned vector, trap_handler_t handler);

/* "#PF", "NMI", ... for an exception; "reserved" or "interrupt" else. */
const char *trap_mnemonic(uint64_t vector);

/* Print the full report for tf (name, error code, registers, call trace)
 * and panic. For handlers that decide a fault is fatal after all. */
__noreturn void trap_die(struct trap_frame *tf, const char *why);

/* Read a kernel word that may be unmapped or non-canonical: 0 and *val,
 * or -EFAULT if the read faulted (kernel/trap_entry.asm, fixed up by
 * the trap dispatcher). For debugging code walking possibly bad pointers. */
int ksafe_read64(uint64_t addr, uint64_t *val);

/* Deliberately crash the kernel in the way kind names: "pagefault",
 * "ud", "gp", "divide", "stack" (overflow by recursion, caught through
 * #DF on its IST stack), "canary" (a local buffer overrun onto the stack
 * protector's canary), "panic". Does not return; -EINVAL for an
 * unknown kind. For the test harness (crash= on the command line). */
int trap_crash_test(const char *kind);

/* ---- backtraces ---------------------------------------------------- */

/* Print a backtrace walking frame pointers from rbp: one line per return
 * address, "  [<ffffffff80101234>] func+0x1a"; repeats are folded, and
 * the walk crosses trap frames (marked "  -- #PF (vector 14) --"). */
void backtrace_print(uint64_t rbp);

/* The same for the code tf trapped in, starting with its RIP. */
void backtrace_print_trap(const struct trap_frame *tf);

/* Store up to max return addresses walking from rbp; returns the count. */
int backtrace_save(uint64_t rbp, uint64_t *pcs, int max);

/* Name of the kernel function containing addr, or NULL; *off gets addr's
 * offset from its start (off may be NULL). */
const char *ksym_lookup(uint64_t addr, uint64_t *off);

/* The symbol table test/tools/ksyms.sh generates, sorted by address. */
struct ksym {
	uint64_t addr;
	uint64_t name_off;	/* into the names blob */
};

struct ksym_table {
	const struct ksym *syms;
	uint64_t count;
	const char *names;	/* NUL-terminated names, back to back */
	uint64_t end;		/* end of the last function: [syms[0].addr, end) */
};

/* Pure (kernel/ksyms.c, host-tested): the entry whose function contains
 * addr (the last one starting at or below it), its name, and the offset. */
const char *ksym_search(const struct ksym_table *t, uint64_t addr, uint64_t *off);

/* Pure: whether a frame pointer is worth following, after prev (0 for
 * the first frame or just after crossing to another stack): non-NULL,
 * 8-byte aligned, in the kernel half, above prev (stacks grow down, so
 * callers' frames lie higher), and leaving room for the saved pair. */
int bt_frame_ok(uint64_t fp, uint64_t prev);

#endif
