; 32-bit entry from GRUB (multiboot2): check the magic and the CPU, build
; early page tables, enter long mode and jump to kmain in the higher half.
; The early tables map the first 1 GiB twice (identity, for this code, and
; at KERNEL_VMA) and the first 4 GiB at DIRECT_MAP; mm/ replaces them.

KERNEL_VMA      equ 0xFFFFFFFF80000000
MB2_BOOT_MAGIC  equ 0x36D76289

PTE_P           equ 1 << 0
PTE_W           equ 1 << 1
PTE_PS          equ 1 << 7

EFER_MSR        equ 0xC0000080
EFER_LME        equ 1 << 8
EFER_NXE        equ 1 << 11

CPUID_EXT_NX    equ 1 << 20
CPUID_EXT_LM    equ 1 << 29

COM1            equ 0x3F8

global _start32
global boot_pml4
global boot_stack_top
extern kmain

section .boot.text
bits 32
_start32:
	cli
	cld
	mov esp, boot32_stack_top
	mov edi, eax            ; multiboot2 magic
	mov esi, ebx            ; physical address of the boot information

	cmp edi, MB2_BOOT_MAGIC
	jne .no_multiboot

	; CPUID exists if EFLAGS.ID can be toggled.
	pushfd
	pop eax
	mov ecx, eax
	xor eax, 1 << 21
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	xor eax, ecx
	jz .no_long_mode

	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, CPUID_EXT_LM
	jz .no_long_mode
	and edx, CPUID_EXT_NX
	mov [boot_has_nx], edx

	call build_page_tables

	mov eax, cr4
	or eax, 1 << 5          ; PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax

	mov ecx, EFER_MSR
	rdmsr
	or eax, EFER_LME
	cmp dword [boot_has_nx], 0
	je .no_nx
	or eax, EFER_NXE
.no_nx:
	wrmsr

	mov eax, cr0
	or eax, (1 << 31) | (1 << 16) | 1   ; PG, WP, PE
	mov cr0, eax

	lgdt [gdt64_ptr]
	jmp 0x08:start64

.no_multiboot:
	mov esi, msg_no_mb2
	jmp boot_fail
.no_long_mode:
	mov esi, msg_no_lm
	jmp boot_fail

; Fill the early tables (all zero in .boot.bss).
build_page_tables:
	mov eax, boot_pdpt_low
	or eax, PTE_P | PTE_W
	mov [boot_pml4], eax
	mov eax, boot_pdpt_direct
	or eax, PTE_P | PTE_W
	mov [boot_pml4 + 256 * 8], eax
	mov eax, boot_pdpt_kernel
	or eax, PTE_P | PTE_W
	mov [boot_pml4 + 511 * 8], eax

	mov eax, boot_pd
	or eax, PTE_P | PTE_W
	mov [boot_pdpt_low], eax
	mov [boot_pdpt_kernel + 510 * 8], eax

	; Direct map: four page directories, one per GiB.
	xor ecx, ecx
.pdpt_loop:
	mov eax, ecx
	shl eax, 12
	add eax, boot_pd
	or eax, PTE_P | PTE_W
	mov [boot_pdpt_direct + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .pdpt_loop

	; 2048 PDEs of 2 MiB: physical 0 .. 4 GiB.
	xor ecx, ecx
.pd_loop:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_P | PTE_W | PTE_PS
	mov [boot_pd + ecx * 8], eax
	mov eax, ecx
	shr eax, 11
	mov [boot_pd + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jb .pd_loop
	ret

; Print the string at esi to COM1 and the VGA text screen, then stop.
boot_fail:
	mov edi, 0xB8000
.next:
	lodsb
	test al, al
	jz .halt
	mov ah, 0x4F
	mov [edi], ax
	add edi, 2
	mov edx, COM1 + 5
	mov bl, al
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov al, bl
	mov edx, COM1
	out dx, al
	jmp .next
.halt:
	cli
	hlt
	jmp .halt

bits 64
start64:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rax, .high
	jmp rax
.high:
	mov rsp, boot_stack_top
	xor ebp, ebp
	; edi = magic, esi = boot information (physical), from above
	mov rax, kmain
	call rax
.hang:
	cli
	hlt
	jmp .hang

section .boot.data
align 16
gdt64:
	dq 0
	dq 0x00AF9A000000FFFF   ; 0x08: 64-bit code
	dq 0x00CF92000000FFFF   ; 0x10: data
gdt64_ptr:
	dw gdt64_ptr - gdt64 - 1
	dd gdt64
boot_has_nx:
	dd 0
msg_no_mb2:
	db "boot: not started by a multiboot2 loader", 0
msg_no_lm:
	db "boot: this CPU has no 64-bit long mode", 0

section .boot.bss nobits alloc write
align 4096
boot_pml4:        resb 4096
boot_pdpt_low:    resb 4096
boot_pdpt_direct: resb 4096
boot_pdpt_kernel: resb 4096
boot_pd:          resb 4096 * 4
boot32_stack:     resb 1024
boot32_stack_top:

section .bss
align 16
boot_stack:       resb 16384
boot_stack_top:
