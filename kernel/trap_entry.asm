; Interrupt and exception entry: one small stub per vector (all 256), a
; common path that saves a struct trap_frame (include/trap.h) and calls
; trap_dispatch, and ksafe_read64, whose faults the dispatcher fixes up.
; Also trap_call_on_stack, which kmain uses to leave the boot stack and
; the "stack" crash test to overflow a stack of its own.

bits 64
default rel

; Offsets into struct trap_frame (checked by _Static_assert in trap.c).
TF_VECTOR       equ 15 * 8
TF_RIP          equ 17 * 8
TF_CS           equ 18 * 8

EFAULT          equ 14

global trap_stubs
global trap_common_ret
global trap_restore
global ksafe_read64
global ksafe_read64_insn
global ksafe_read64_fixup
global trap_call_on_stack

%include "trap_frame.inc"
extern trap_dispatch

section .text

; Vectors for which the CPU pushes an error code: #DF, #TS, #NP, #SS,
; #GP, #PF, #AC, #CP, #VC, #SX. The others get a zero in its place so
; every frame has the same layout.
%macro TRAP_STUB 1
align 16
trap_stub_%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
	push qword 0
%endif
	push qword %1
	jmp trap_common
%endmacro

%assign vec 0
%rep 256
	TRAP_STUB vec
%assign vec vec + 1
%endrep

; Entered with the vector and error code on the stack, above them the
; CPU's frame. The CPU aligned the stack to 16 bytes before pushing, and
; 22 quadwords follow, so the call below sees the ABI's alignment.
trap_common:
	SAVE_GPRS
	cld
	test byte [rsp + TF_CS], 3
	jz .from_kernel
	swapgs
	; From user mode: a zero frame ends kernel backtraces here.
	push qword 0
	push qword 0
	jmp .call
.from_kernel:
	; A frame record linking to the interrupted code, so a backtrace
	; taken inside a handler continues into it. The return address slot
	; holds the exact RIP; backtrace.c recognises trap_common_ret.
	push qword [rsp + TF_RIP]
	push rbp
.call:
	mov rbp, rsp
	lea rdi, [rsp + 16]
	call trap_dispatch
trap_common_ret:
	add rsp, 16
; Also the way back for syscalls that cannot use sysret and for
; user_return (syscall_entry.asm): rsp at a struct trap_frame.
trap_restore:
	test byte [rsp + TF_CS], 3
	jz .restore
	swapgs
.restore:
	RESTORE_GPRS
	add rsp, 16             ; vector and error code
	iretq

; int ksafe_read64(uint64_t addr, uint64_t *val)
; A fault on the load at ksafe_read64_insn (#PF, #GP or #SS) makes the
; dispatcher resume at ksafe_read64_fixup, which returns -EFAULT.
ksafe_read64:
	xor eax, eax
ksafe_read64_insn:
	mov rdx, [rdi]
	mov [rsi], rdx
	ret
ksafe_read64_fixup:
	mov eax, -EFAULT
	ret

; void trap_call_on_stack(void (*fn)(void), uint64_t stack_top)
; Run fn on another stack. The frame record made here keeps the frame
; pointer chain from fn back into the caller intact.
trap_call_on_stack:
	push rbp
	mov rbp, rsp
	mov rsp, rsi
	call rdi
	mov rsp, rbp
	pop rbp
	ret

section .rodata
align 8
; Entry point of each vector's stub, for the IDT.
trap_stubs:
%assign vec 0
%rep 256
	dq trap_stub_%+vec
%assign vec vec + 1
%endrep
