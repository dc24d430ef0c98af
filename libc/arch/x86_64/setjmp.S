/* setjmp/longjmp/sigsetjmp and the signal restorer. A jmp_buf holds
 * rbx rbp r12 r13 r14 r15, the caller's rsp and the return address
 * (offsets 0..56), then the mask-saved flag (64) and mask (72). */
	.text
	.globl setjmp, _setjmp, sigsetjmp, longjmp, _longjmp, __restore_rt

	.type setjmp, @function
setjmp:
_setjmp:
	movq $0, 64(%rdi)
save_regs:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	lea 8(%rsp), %rdx
	mov %rdx, 48(%rdi)
	mov (%rsp), %rdx
	mov %rdx, 56(%rdi)
	xor %eax, %eax
	ret
	.size setjmp, . - setjmp

/* sigsetjmp(env, savemask): registers first, then, when asked, a tail
 * call to __sigsetjmp_mask(env), which stores the mask and returns 0
 * straight to our caller. */
	.type sigsetjmp, @function
sigsetjmp:
	movslq %esi, %rsi
	mov %rsi, 64(%rdi)
	test %rsi, %rsi
	jz save_regs
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	lea 8(%rsp), %rdx
	mov %rdx, 48(%rdi)
	mov (%rsp), %rdx
	mov %rdx, 56(%rdi)
	jmp __sigsetjmp_mask
	.size sigsetjmp, . - sigsetjmp

/* longjmp(env, val): val 0 becomes 1. */
	.type longjmp, @function
longjmp:
_longjmp:
	mov %esi, %eax
	test %eax, %eax
	jnz 1f
	inc %eax
1:	mov 0(%rdi), %rbx
	mov 8(%rdi), %rbp
	mov 16(%rdi), %r12
	mov 24(%rdi), %r13
	mov 32(%rdi), %r14
	mov 40(%rdi), %r15
	mov 48(%rdi), %rsp
	jmp *56(%rdi)
	.size longjmp, . - longjmp

/* Where a signal handler returns to (sa_restorer). */
	.type __restore_rt, @function
__restore_rt:
	mov $15, %eax
	syscall
	hlt
	.size __restore_rt, . - __restore_rt
	.section .note.GNU-stack, "", @progbits
