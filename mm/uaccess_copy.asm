; The instructions that touch user memory, and their exception table.
; Each routine has exactly one instruction that may fault on a user
; address; the table pairs it with where to resume. mm/fault.c first tries
; to resolve such a fault like a user fault, and only if that fails sends
; the routine to its fixup (uaccess_fixup in mm/uaccess.c looks it up).
; SMAP (stac/clac) and the address checks are the C callers' job.

bits 64
default rel

global uaccess_copy, uaccess_clear, uaccess_strncpy
global uaccess_extable, uaccess_extable_end

section .text

; size_t uaccess_copy(void *dst, const void *src, size_t n)
; Returns the bytes NOT copied: 0, or what was left at the fault.
uaccess_copy:
	mov rcx, rdx
.insn:	rep movsb               ; restartable: rsi/rdi/rcx say where it is
.out:	mov rax, rcx
	ret

; size_t uaccess_clear(void *dst, size_t n): bytes NOT cleared.
uaccess_clear:
	mov rcx, rsi
	xor eax, eax
.insn:	rep stosb
.out:	mov rax, rcx
	ret

; long uaccess_strncpy(char *dst, const char *src, size_t max)
; Copies up to and including a NUL within max bytes. Returns the length
; without the NUL, max when there was none, or -14 (-EFAULT) on a fault.
uaccess_strncpy:
	xor eax, eax
.loop:	cmp rax, rdx
	je .done
.insn:	movzx ecx, byte [rsi + rax]
	mov [rdi + rax], cl
	test ecx, ecx
	jz .done
	inc rax
	jmp .loop
.done:	ret
.fault:	mov rax, -14
	ret

section .rodata
align 8
; { faulting instruction, fixup } pairs
uaccess_extable:
	dq uaccess_copy.insn, uaccess_copy.out
	dq uaccess_clear.insn, uaccess_clear.out
	dq uaccess_strncpy.insn, uaccess_strncpy.fault
uaccess_extable_end:
