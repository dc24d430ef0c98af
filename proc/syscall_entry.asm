; The syscall instruction's entry point and the two ways back to user
; mode: sysretq when the frame allows it, iretq otherwise (and for
; user_return, which starts a process). Frame layout: include/syscall.h.

bits 64
default rel

SEL_UDATA               equ 0x1B        ; include/trap.h
SEL_UCODE               equ 0x23
TRAP_VEC_SYSCALL        equ 0x100       ; include/syscall.h
PERCPU_KSTACK_TOP       equ 0           ; include/sched.h, struct percpu
PERCPU_USER_RSP         equ 8
VEC_TO_USER_RSP         equ 5 * 8       ; vector, error, rip, cs, rflags, rsp

global syscall_entry
global user_return
extern syscall_dispatch

section .text

; From user mode: rcx = return rip, r11 = rflags, rax = number, arguments
; in rdi rsi rdx r10 r8 r9. FMASK has cleared IF, TF, DF and AC; rsp is
; still the user's, so nothing may touch the stack before it is switched.
syscall_entry:
	swapgs
	mov [gs:PERCPU_USER_RSP], rsp
	mov rsp, [gs:PERCPU_KSTACK_TOP]
	push qword SEL_UDATA            ; ss
	push qword [gs:PERCPU_USER_RSP] ; rsp
	push r11                        ; rflags
	push qword SEL_UCODE            ; cs
	push rcx                        ; rip
	push rax                        ; error: the number (orig_rax)
	push qword TRAP_VEC_SYSCALL     ; vector
	push rax                        ; the rest as trap_common saves them
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	; A zero frame record: kernel backtraces end here.
	push qword 0
	push qword 0
	mov rbp, rsp
	lea rdi, [rsp + 16]
	sti
	call syscall_dispatch           ; returns with interrupts off
	test eax, eax
	jz .iret
	add rsp, 16
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11                         ; == rflags (checked)
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx                         ; == rip (checked)
	pop rbx
	pop rax
	; Interrupts stay off until sysret: from here on rsp is the user's.
	mov rsp, [rsp + VEC_TO_USER_RSP]
	swapgs
	o64 sysret
.iret:
	add rsp, 16
	jmp iret_to_user

; void user_return(struct trap_frame *tf)
user_return:
	cli
	mov rsp, rdi
iret_to_user:
	swapgs
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16                     ; vector and error
	iretq
