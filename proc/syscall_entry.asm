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
extern trap_restore

%include "trap_frame.inc"

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
	SAVE_GPRS                       ; the rest as trap_common saves them
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
	RESTORE_GPRS                    ; r11 == rflags, rcx == rip (checked)
	; Interrupts stay off until sysret: from here on rsp is the user's.
	mov rsp, [rsp + VEC_TO_USER_RSP]
	swapgs
	o64 sysret
.iret:
	add rsp, 16
	jmp trap_restore

; void user_return(struct trap_frame *tf)
user_return:
	cli
	mov rsp, rdi
	jmp trap_restore
