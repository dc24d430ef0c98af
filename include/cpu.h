/* CPU identification and control-register set-up (kernel/cpu.c). Nothing
 * optional is used unless CPUID says it is there. */
#ifndef CPU_H
#define CPU_H
#include <stdbool.h>

struct cpu_features {
	char vendor[13];
	char brand[49];		/* leading blanks cut; the vendor if no brand */
	unsigned family, model, stepping;	/* extended fields folded in */
	unsigned max_basic, max_ext;	/* highest CPUID leaves */
	unsigned phys_bits, virt_bits;	/* address widths (36/48 if unknown) */
	bool nx, pge, pat, gbpages, smep, smap, umip, pcid, rdrand, rdseed;
	bool fxsr, xsave, sse, sse2, apic, x2apic, tsc, invariant_tsc;
	bool hypervisor;
};

extern struct cpu_features cpu_features;

/* Control-register bits cpu_init sets (and the self-tests check). */
#define CR0_WP		(1ul << 16)
#define CR4_PGE		(1ul << 7)
#define CR4_UMIP	(1ul << 11)
#define CR4_SMEP	(1ul << 20)
#define CR4_SMAP	(1ul << 21)
#define MSR_EFER	0xC0000080
#define EFER_NXE	(1ul << 11)

/* Detect features; turn on NX (EFER.NXE), CR0.WP, CR4.PGE, and SMEP,
 * SMAP and UMIP when present. SMAP is safe before user mode exists and
 * requires every later user access to go through the copy helpers. */
void cpu_init(void);

#endif
