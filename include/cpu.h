/* CPU identification and control-register set-up (kernel/cpu.c). Nothing
 * optional is used unless CPUID says it is there. */
#ifndef CPU_H
#define CPU_H
#include <stdbool.h>

struct cpu_features {
	char vendor[13];
	char brand[49];
	unsigned family, model, stepping;
	bool nx, pge, pat, gbpages, smep, smap, umip, pcid, rdrand, rdseed;
	bool fxsr, xsave, sse, sse2, apic, x2apic, tsc, invariant_tsc;
	bool hypervisor;
};

extern struct cpu_features cpu_features;

/* Detect features; turn on NX (EFER.NXE), CR0.WP, CR4.PGE, and SMEP,
 * SMAP and UMIP when present. SMAP is safe before user mode exists and
 * requires every later user access to go through the copy helpers. */
void cpu_init(void);

#endif
