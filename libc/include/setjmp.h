/* setjmp.h (C11 7.13, POSIX sigsetjmp). The buffer holds the callee-
 * saved registers, rsp and the return address, then the signal mask. */
#ifndef _SETJMP_H
#define _SETJMP_H
typedef struct __jmp_buf_tag {
	unsigned long __regs[8];	/* rbx rbp r12 r13 r14 r15 rsp rip */
	unsigned long __mask_saved;
	unsigned long __mask;
} jmp_buf[1], sigjmp_buf[1];
int setjmp(jmp_buf env) __attribute__((returns_twice));
int _setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);
_Noreturn void _longjmp(jmp_buf env, int val);
int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
_Noreturn void siglongjmp(sigjmp_buf env, int val);
#endif
