/* Process entry. The kernel starts us with rsp at argc (argv, envp and
 * auxv above it); hand that pointer to __libc_start_main with the stack
 * 16-byte aligned, as the SysV ABI wants at a call. */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call __libc_start_main
	hlt
	.size _start, . - _start
	.section .note.GNU-stack, "", @progbits
