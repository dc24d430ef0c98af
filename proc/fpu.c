/* x87/SSE/AVX state for user mode: turning the units on (CR0, CR4, XCR0),
 * the per-process save area and its clean state, and the eager save and
 * restore the scheduler does on every switch. The kernel is built with
 * -mgeneral-regs-only, so these registers only ever hold user state. */
#include <sched.h>
#include <proc.h>
#include <cpu.h>
#include <io.h>
#include <kmalloc.h>
#include <printk.h>
#include <panic.h>
#include <selftest.h>
#include <string.h>
#include <stdint.h>

#define CR0_MP		(1ul << 1)	/* wait/fwait honour TS */
#define CR0_EM		(1ul << 2)	/* x87 emulation: must be off */
#define CR0_TS		(1ul << 3)	/* lazy switching: not used */
#define CR0_NE		(1ul << 5)	/* x87 errors as #MF, not IRQ 13 */
#define CR4_TSD		(1ul << 2)	/* rdtsc privileged: kept off */
#define CR4_OSFXSR	(1ul << 9)
#define CR4_OSXMMEXCPT	(1ul << 10)
#define CR4_OSXSAVE	(1ul << 18)

#define XFEATURE_X87	(1ull << 0)
#define XFEATURE_SSE	(1ull << 1)
#define XFEATURE_AVX	(1ull << 2)

#define FXSAVE_SIZE	512
#define XSAVE_HDR_SIZE	64		/* after the legacy area */
#define FPU_ALIGN	64		/* XSAVE needs it; FXSAVE 16 */

/* Legacy (FXSAVE) area fields the clean state sets. */
#define FX_FCW		0		/* uint16_t */
#define FX_MXCSR	24		/* uint32_t */
#define FCW_DEFAULT	0x037F		/* all exceptions masked, 64-bit, nearest */
#define MXCSR_DEFAULT	0x1F80		/* all exceptions masked, nearest */

static bool use_xsave;
static uint64_t xcr0;		/* features XSAVE saves */
static size_t area_size;	/* bytes of a save area */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" :: "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/*
 * XCR0 gets x87 and SSE, and AVX when both CPUID leaf 1 and the XSAVE
 * leaf list it; the save-area size is what leaf 0xD reports for exactly
 * the features enabled.
 */
static void fpu_init_xsave(void)
{
	uint32_t r[4];
	bool avx;

	cpuid(1, 0, r);
	avx = (r[2] >> 28) & 1;
	cpuid(0xD, 0, r);
	xcr0 = XFEATURE_X87 | XFEATURE_SSE;
	if (avx && (r[0] & XFEATURE_AVX))
		xcr0 |= XFEATURE_AVX;
	write_cr4(read_cr4() | CR4_OSXSAVE);
	xsetbv(0, xcr0);
	cpuid(0xD, 0, r);
	area_size = r[1];
	if (area_size < FXSAVE_SIZE + XSAVE_HDR_SIZE)
		area_size = FXSAVE_SIZE + XSAVE_HDR_SIZE;
}

void fpu_init(void)
{
	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	write_cr4((read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT) & ~CR4_TSD);
	use_xsave = cpu_features.xsave;
	area_size = FXSAVE_SIZE;
	if (use_xsave)
		fpu_init_xsave();
	pr_info("fpu: %s, features %#lx\n", use_xsave ? "xsave" : "fxsave",
		(unsigned long)(use_xsave ? xcr0 : XFEATURE_X87 | XFEATURE_SSE));
}

size_t fpu_area_size(void)
{
	return area_size;
}

/*
 * The state after FNINIT plus the SSE reset: everything zero except the
 * control words. Under XSAVE, a zero header (XSTATE_BV = 0) makes XRSTOR
 * put every component in its initial state; MXCSR is still loaded from
 * the legacy area, so it is set there too.
 */
void fpu_reset(void *area)
{
	uint8_t *a = area;
	uint16_t fcw = FCW_DEFAULT;
	uint32_t mxcsr = MXCSR_DEFAULT;

	memset(a, 0, area_size);
	memcpy(a + FX_FCW, &fcw, sizeof(fcw));
	memcpy(a + FX_MXCSR, &mxcsr, sizeof(mxcsr));
}

/* kmalloc aligns blocks to their size class up to 64 bytes, and every
 * class that fits a save area (512 bytes or more) is at least that. */
void *fpu_alloc(void)
{
	void *a = kmalloc(area_size);

	if (!a)
		return NULL;
	if ((uintptr_t)a % FPU_ALIGN) {
		pr_err("fpu: kmalloc gave a misaligned save area %p\n", a);
		kfree(a);
		return NULL;
	}
	fpu_reset(a);
	return a;
}

void fpu_free(void *area)
{
	kfree(area);
}

void fpu_save(void *area)
{
	if (use_xsave)
		__asm__ volatile("xsave64 %0" : "+m"(*(uint8_t (*)[area_size])area)
				 : "a"(~0u), "d"(~0u));
	else
		__asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t (*)[FXSAVE_SIZE])area));
}

void fpu_restore(const void *area)
{
	if (use_xsave)
		__asm__ volatile("xrstor64 %0" :: "m"(*(const uint8_t (*)[area_size])area),
				 "a"(~0u), "d"(~0u));
	else
		__asm__ volatile("fxrstor64 %0" :: "m"(*(const uint8_t (*)[FXSAVE_SIZE])area));
}

/* ---- self-tests ---------------------------------------------------- */

SELFTEST(fpu_setup)
{
	uint64_t flags;
	uint32_t mxcsr;
	void *a;

	ST_ASSERT(read_cr0() & CR0_MP);
	ST_ASSERT(!(read_cr0() & (CR0_EM | CR0_TS)));
	ST_ASSERT(read_cr4() & CR4_OSFXSR);
	ST_ASSERT(!(read_cr4() & CR4_TSD));
	ST_ASSERT(!use_xsave || (read_cr4() & CR4_OSXSAVE));
	a = fpu_alloc();
	ST_ASSERT(a);
	ST_ASSERT((uintptr_t)a % FPU_ALIGN == 0);

	/* The clean state loads (a bad XSAVE header would #GP) and saves
	 * back with the default MXCSR. current's own registers are kept. */
	flags = irq_save();
	fpu_save(current->fpu);
	fpu_restore(a);
	memset(a, 0xFF, FXSAVE_SIZE);
	memset((uint8_t *)a + FXSAVE_SIZE, 0, area_size - FXSAVE_SIZE);
	fpu_save(a);
	fpu_restore(current->fpu);
	irq_restore(flags);

	memcpy(&mxcsr, (uint8_t *)a + FX_MXCSR, sizeof(mxcsr));
	fpu_free(a);
	ST_ASSERT(mxcsr == MXCSR_DEFAULT);
	return 0;
}
