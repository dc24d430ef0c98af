; The screen console's font, embedded at build time: Terminus 8x16
; (Lat15-Terminus16 from Debian's console-setup-linux), gunzipped into
; $(BUILD)/font.psf by the Makefile's font block. kernel/psf.c parses it.

section .rodata
global font_psf
global font_psf_end

align 16
font_psf:
	incbin "font.psf"
font_psf_end:
