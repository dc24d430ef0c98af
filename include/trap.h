/* CPU tables and traps (kernel/gdt.c, kernel/trap.c, kernel/trap_entry.asm)
 * and symbolized backtraces (kernel/ksyms.c). */
#ifndef TRAP_H
#define TRAP_H
#include <stdint.h>

/* Segment selectors, laid out for syscall/sysret later:
 * kernel code, kernel data, user data, user code (STAR ordering). */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA (0x18 | 3)
#define SEL_UCODE (0x20 | 3)
#define SEL_TSS   0x28

/* Registers saved on every interrupt/exception entry, in push order
 * reversed (the lowest address first). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

void gdt_init(void);		/* GDT and TSS with IST stacks (#DF, NMI, #MC) */
void trap_init(void);		/* IDT: exceptions report and panic */

/* Hardware interrupt lines 0..15 (legacy IRQ numbers). The handler runs
 * with interrupts off; end-of-interrupt is sent by the caller. */
typedef void (*irq_handler_t)(struct trap_frame *tf);
void irq_register(unsigned irq, irq_handler_t handler);

/* Exception hook for later subsystems (page faults by mm): return 0 when
 * handled, nonzero to fall through to the report-and-panic path. */
typedef int (*trap_handler_t)(struct trap_frame *tf);
void trap_set_handler(unsigned vector, trap_handler_t handler);

/* Print a backtrace walking frame pointers from rbp. */
void backtrace_print(uint64_t rbp);

/* Name of the function containing addr, or NULL; *off gets addr's offset. */
const char *ksym_lookup(uint64_t addr, uint64_t *off);

#endif
