; User-mode programs for the self-tests in proc/proc_selftest.c, built
; into the kernel as data: the test copies [utest_blob, utest_blob_end)
; into a frame mapped user, executable and read-only, fills in the
; parameter block at UTEST_PARAMS, and starts a process at one of the
; entry points. Position independent: all data is reached rip-relative.

bits 64
default rel

UTEST_PARAMS    equ 0x800       ; proc_selftest.c: struct utest_params

NR_nanosleep    equ 35
NR_sched_yield  equ 24
NR_getpid       equ 39
NR_exit         equ 60
NR_getppid      equ 110
NR_exit_group   equ 231
ENOSYS          equ 38
EFAULT          equ 14

global utest_blob, utest_blob_end
global utest_main, utest_segv, utest_wrcode, utest_ud, utest_div

section .rodata
align 16
utest_blob:

; Exits with p_status when every check passes, else with 100 + the step.
utest_main:
	rdtsc                           ; user mode may read the TSC
	mov eax, NR_getpid
	syscall
	cmp rax, [rel p_pid]
	mov edi, 101
	jne .fail
	mov eax, NR_getppid
	syscall
	cmp rax, [rel p_ppid]
	mov edi, 102
	jne .fail
	mov eax, 9999                   ; no such call
	syscall
	cmp rax, -ENOSYS
	mov edi, 103
	jne .fail
	mov rdi, 0xffff800000000000     ; a kernel pointer
	xor esi, esi
	mov eax, NR_nanosleep
	syscall
	cmp rax, -EFAULT
	mov edi, 104
	jne .fail
	mov edi, 0x10000                ; unmapped
	xor esi, esi
	mov eax, NR_nanosleep
	syscall
	cmp rax, -EFAULT
	mov edi, 105
	jne .fail
	push qword 5000000              ; tv_nsec: 5 ms
	push qword 0                    ; tv_sec
	mov rdi, rsp
	xor esi, esi
	mov eax, NR_nanosleep
	syscall
	add rsp, 16
	test rax, rax
	mov edi, 106
	jnz .fail
	call .stack_call
	cmp rax, 7
	mov edi, 107
	jne .fail
	; SSE state must survive yields to a process using xmm0 too, and
	; timer preemption in the spin below.
	mov rax, [rel p_value]
	movq xmm0, rax
	paddq xmm0, xmm0
	mov ebx, 50
.yield:
	mov eax, NR_sched_yield
	syscall
	dec ebx
	jnz .yield
	mov ecx, 5000000
.spin:
	dec ecx
	jnz .spin
	movq rax, xmm0
	mov rdx, [rel p_value]
	add rdx, rdx
	cmp rax, rdx
	mov edi, 108
	jne .fail
	mov edi, [rel p_status]
	mov eax, NR_exit
	syscall
	ud2
.fail:
	mov eax, NR_exit_group
	syscall
	ud2
.stack_call:
	push rbx
	mov rbx, 7
	mov rax, rbx
	pop rbx
	ret

utest_segv:                     ; read an unmapped address
	mov eax, 0xdead000
	mov rax, [rax]
	ud2

utest_wrcode:                   ; write to its own read-only code
	lea rax, [rel utest_blob]
	mov qword [rax], 0
	ud2

utest_ud:
	ud2

utest_div:
	xor ecx, ecx
	xor edx, edx
	mov eax, 1
	div ecx
	ud2

	times UTEST_PARAMS - ($ - utest_blob) db 0xCC
p_pid:          dq 0
p_ppid:         dq 0
p_value:        dq 0
p_status:       dq 0
utest_blob_end:
