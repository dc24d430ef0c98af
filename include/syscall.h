/* System-call entry and dispatch (proc/syscall_entry.asm, proc/syscall.c):
 * the syscall/sysret MSRs, the per-CPU GS area, the dispatch table over
 * the Linux x86-64 numbers (include/uapi/unistd.h) and the way back to
 * user mode. The calls themselves live with their subsystems. */
#ifndef SYSCALL_H
#define SYSCALL_H
#include <stdint.h>
#include <compiler.h>

struct trap_frame;

/*
 * A system call leaves the same struct trap_frame (trap.h) at the top of
 * the kernel stack as an interrupt from user mode does, so signals, fork
 * and exec see one layout whichever way the process entered:
 *
 *	ss = SEL_UDATA, rsp = user rsp, rflags = r11 (the user's RFLAGS),
 *	cs = SEL_UCODE, rip = rcx (the return address),
 *	error = the system-call number (Linux's orig_rax: kept for
 *		restarting calls once signals exist),
 *	vector = TRAP_VEC_SYSCALL,
 *	rax .. r15 as the user left them (rax: the number on entry, the
 *	result on the way out; rcx and r11 as the CPU clobbered them).
 *
 * Arguments are rdi, rsi, rdx, r10, r8, r9. The way out is sysretq when
 * that restores the frame exactly (rcx == rip, r11 == rflags, rip below
 * the last user page, user selectors, no TF/RF); otherwise iretq.
 */
#define TRAP_VEC_SYSCALL 0x100

/* EFER.SCE, STAR, LSTAR, FMASK and the GS bases. After gdt_init. */
void syscall_init(void);

/* Load tf (at the top of current's kernel stack) into the registers and
 * iretq to user mode, swapping GS back to the user's. Interrupts are
 * turned off first; tf must be a user frame. */
__noreturn void user_return(struct trap_frame *tf);

#endif
