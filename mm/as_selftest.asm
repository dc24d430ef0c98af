; Ring-3 code for the address-space self-tests (mm/as_selftest.c): one
; small interpreter the test copies to AS_CODE and starts at as_interp.
; It runs the command list the test wrote at AS_CMDS (struct as_cmd: op
; and nine arguments, 80 bytes), so each test is a table in C rather than
; a program here. A failed check exits with 100 + the command's index.

bits 64
default rel

AS_CMDS         equ 0x500000    ; as_selftest.c: the command list
AS_SYNC         equ 0x600000    ; +0: phase reached, +8: phase allowed
CMD_SIZE        equ 80

OP_EXIT         equ 0           ; code
OP_LOAD         equ 1           ; addr, expected qword
OP_STORE        equ 2           ; addr, value
OP_SYSCALL      equ 3           ; nr, a0..a5, expected result
OP_SYNC         equ 4           ; phase: publish it, wait to be let on
OP_TOUCH        equ 5           ; addr, pages, value: store at each page
OP_CHECK        equ 6           ; addr, pages, value: load and compare
OP_CALL         equ 7           ; addr: call it (it must return)

NR_sched_yield  equ 24
NR_exit         equ 60

global as_blob, as_blob_end, as_interp

section .rodata
align 16
as_blob:

as_interp:
	mov rbx, AS_CMDS
	xor r12d, r12d
.next:
	mov rax, [rbx]
	cmp rax, OP_EXIT
	je .exit
	cmp rax, OP_LOAD
	je .load
	cmp rax, OP_STORE
	je .store
	cmp rax, OP_SYSCALL
	je .syscall
	cmp rax, OP_SYNC
	je .sync
	cmp rax, OP_TOUCH
	je .touch
	cmp rax, OP_CHECK
	je .check
	cmp rax, OP_CALL
	je .call
	jmp .fail
.advance:
	add rbx, CMD_SIZE
	inc r12
	jmp .next

.exit:
	mov rdi, [rbx + 8]
	mov eax, NR_exit
	syscall
	ud2

.load:
	mov rax, [rbx + 8]
	mov rax, [rax]
	cmp rax, [rbx + 16]
	jne .fail
	jmp .advance

.store:
	mov rax, [rbx + 8]
	mov rdx, [rbx + 16]
	mov [rax], rdx
	jmp .advance

.syscall:
	mov rax, [rbx + 8]
	mov rdi, [rbx + 16]
	mov rsi, [rbx + 24]
	mov rdx, [rbx + 32]
	mov r10, [rbx + 40]
	mov r8, [rbx + 48]
	mov r9, [rbx + 56]
	syscall
	cmp rax, [rbx + 64]
	jne .fail
	jmp .advance

.sync:
	mov rax, [rbx + 8]
	mov rdx, AS_SYNC
	mov [rdx], rax
.wait:
	cmp [rdx + 8], rax
	jae .advance
	push rax
	push rdx
	mov eax, NR_sched_yield
	syscall
	pop rdx
	pop rax
	jmp .wait

.touch:
	mov rax, [rbx + 8]
	mov rcx, [rbx + 16]
	mov rdx, [rbx + 24]
.touch1:
	test rcx, rcx
	jz .advance
	mov [rax], rdx
	add rax, 4096
	dec rcx
	jmp .touch1

.check:
	mov rax, [rbx + 8]
	mov rcx, [rbx + 16]
	mov rdx, [rbx + 24]
.check1:
	test rcx, rcx
	jz .advance
	cmp [rax], rdx
	jne .fail
	add rax, 4096
	dec rcx
	jmp .check1

.call:
	call [rbx + 8]
	jmp .advance

.fail:
	lea rdi, [r12 + 100]
	mov eax, NR_exit
	syscall
	ud2

as_blob_end:
