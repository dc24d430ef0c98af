; The context switch: save the callee-saved registers and rsp of one
; kernel thread, load another's. Everything else a switch involves (CR3,
; TSS.RSP0, FPU) is done in C first by proc/sched.c. Also the trampoline
; a new process's first switch returns into (stack built by proc/proc.c).

bits 64
default rel

global switch_context
global proc_trampoline
extern kthread_entry

section .text

; void switch_context(uint64_t *save_ksp, uint64_t next_ksp)
; Interrupts off. Caller-saved registers are the C caller's business;
; the return address on the old stack is where the old thread resumes.
switch_context:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; First "return" of a new process: r12 = fn, r13 = arg (proc_init_stack
; put them there), rbp = 0 so backtraces end here, rsp 16-byte aligned.
proc_trampoline:
	mov rdi, r12
	mov rsi, r13
	call kthread_entry
	ud2                     ; kthread_entry does not return
