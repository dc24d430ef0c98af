/* System-call entry and dispatch (proc/syscall_entry.asm, proc/syscall.c):
 * the syscall/sysret MSRs, the per-CPU GS area, the dispatch table over
 * the Linux x86-64 numbers (include/uapi/unistd.h) and the way back to
 * user mode. The calls themselves live with their subsystems. */
#ifndef SYSCALL_H
#define SYSCALL_H
#include <stdint.h>
#include <compiler.h>
#include <uapi/unistd.h>

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

/*
 * Each subsystem defines its calls where they belong; the linker gathers
 * them in .syscalls and syscall_init builds the dispatch table:
 *
 *	SYSCALL_DEFINE(getpid) { return current->pid; }
 *
 * The handler sees the six argument registers as a0..a5 (uint64_t) and
 * returns the result or -errno. A number defined twice is a build bug and
 * panics at boot; numbers nobody defines return -ENOSYS.
 */
typedef long (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

struct syscall_def {
	unsigned nr;
	syscall_fn fn;
	const char *name;
};

#define SYSCALL_DEFINE(name)							static long sys_##name(uint64_t, uint64_t, uint64_t, uint64_t,				       uint64_t, uint64_t);				static const struct syscall_def __syscall_##name			__attribute__((section(".syscalls"), used, aligned(8))) =			{ __NR_##name, sys_##name, #name };				static long sys_##name(__unused uint64_t a0, __unused uint64_t a1, 			       __unused uint64_t a2, __unused uint64_t a3, 			       __unused uint64_t a4, __unused uint64_t a5)

/* EFER.SCE, STAR, LSTAR, FMASK, the GS bases, and the dispatch table
 * from .syscalls. After gdt_init. */
void syscall_init(void);

/* Load tf (at the top of current's kernel stack) into the registers and
 * iretq to user mode, swapping GS back to the user's. Interrupts are
 * turned off first; tf must be a user frame. */
__noreturn void user_return(struct trap_frame *tf);

#endif
