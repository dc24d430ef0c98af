; The multiboot2 header GRUB looks for in the first 32 KiB of the image.
; We ask for a linear framebuffer (optional: BIOS boots may keep VGA text)
; and page-aligned modules so the initrd can be handed out by frames.

MB2_MAGIC       equ 0xE85250D6
MB2_ARCH_I386   equ 0

section .multiboot2
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

align 8                         ; framebuffer request, optional
	dw 5, 1
	dd 20
	dd 1024, 768, 32
align 8                         ; module alignment
	dw 6, 0
	dd 8
align 8                         ; end
	dw 0, 0
	dd 8
mb2_header_end:
