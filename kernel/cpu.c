/* CPU identification from CPUID and the control-register set-up that
 * depends on it: NX, write protection in ring 0, global pages, SMEP, SMAP
 * and UMIP. Every leaf is read only after the highest leaf says it exists.
 * FPU/SSE state for user mode is left to the code that switches tasks. */
#include <cpu.h>
#include <fmt.h>
#include <io.h>
#include <printk.h>
#include <selftest.h>
#include <stdint.h>
#include <string.h>

struct cpu_features cpu_features;

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

#define BIT(r, n) (((r) >> (n)) & 1)

static void cpu_detect_basic(struct cpu_features *f)
{
	struct cpuid_regs r = cpuid(0, 0);
	unsigned base_family;

	f->max_basic = r.eax;
	memcpy(f->vendor, &r.ebx, 4);
	memcpy(f->vendor + 4, &r.edx, 4);
	memcpy(f->vendor + 8, &r.ecx, 4);
	f->vendor[12] = 0;
	if (f->max_basic < 1)
		return;

	r = cpuid(1, 0);
	/* Extended family counts only for family 15, extended model for
	 * families 6 and 15 (Intel SDM and AMD APM agree on this). */
	base_family = (r.eax >> 8) & 0xF;
	f->family = base_family;
	f->model = (r.eax >> 4) & 0xF;
	f->stepping = r.eax & 0xF;
	if (base_family == 0xF)
		f->family += (r.eax >> 20) & 0xFF;
	if (base_family == 0x6 || base_family == 0xF)
		f->model |= ((r.eax >> 16) & 0xF) << 4;

	f->tsc = BIT(r.edx, 4);
	f->apic = BIT(r.edx, 9);
	f->pge = BIT(r.edx, 13);
	f->pat = BIT(r.edx, 16);
	f->fxsr = BIT(r.edx, 24);
	f->sse = BIT(r.edx, 25);
	f->sse2 = BIT(r.edx, 26);
	f->pcid = BIT(r.ecx, 17);
	f->x2apic = BIT(r.ecx, 21);
	f->xsave = BIT(r.ecx, 26);
	f->rdrand = BIT(r.ecx, 30);
	f->hypervisor = BIT(r.ecx, 31);

	if (f->max_basic < 7)
		return;
	r = cpuid(7, 0);
	f->smep = BIT(r.ebx, 7);
	f->rdseed = BIT(r.ebx, 18);
	f->smap = BIT(r.ebx, 20);
	f->umip = BIT(r.ecx, 2);
}

static void cpu_detect_ext(struct cpu_features *f)
{
	struct cpuid_regs r = cpuid(0x80000000, 0);

	f->phys_bits = 36;
	f->virt_bits = 48;
	/* CPUs without extended leaves echo some basic leaf back. */
	if ((r.eax & 0xFFFF0000) != 0x80000000)
		return;
	f->max_ext = r.eax;

	if (f->max_ext >= 0x80000001) {
		r = cpuid(0x80000001, 0);
		f->nx = BIT(r.edx, 20);
		f->gbpages = BIT(r.edx, 26);
	}
	if (f->max_ext >= 0x80000004) {
		for (uint32_t i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			memcpy(f->brand + 16 * i, &r, 16);
		}
		f->brand[48] = 0;
	}
	if (f->max_ext >= 0x80000007)
		f->invariant_tsc = BIT(cpuid(0x80000007, 0).edx, 8);
	if (f->max_ext >= 0x80000008) {
		r = cpuid(0x80000008, 0);
		f->phys_bits = r.eax & 0xFF;
		f->virt_bits = (r.eax >> 8) & 0xFF;
	}
}

/* Intel pads the brand string with leading blanks; some CPUs have none. */
static void cpu_tidy_brand(struct cpu_features *f)
{
	size_t start = 0, n;

	while (f->brand[start] == ' ')
		start++;
	n = strlen(f->brand + start);
	memmove(f->brand, f->brand + start, n + 1);
	while (n > 0 && f->brand[n - 1] == ' ')
		f->brand[--n] = 0;
	if (n == 0)
		memcpy(f->brand, f->vendor, sizeof(f->vendor));
}

static void cpu_enable(const struct cpu_features *f)
{
	uint64_t cr4 = read_cr4();

	/* The boot code sets NXE when it can; doing it again is harmless. */
	if (f->nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	/* Ring 0 obeys read-only pages too: copy-on-write depends on it. */
	write_cr0(read_cr0() | CR0_WP);

	if (f->pge)
		cr4 |= CR4_PGE;
	if (f->smep)
		cr4 |= CR4_SMEP;
	if (f->smap)
		cr4 |= CR4_SMAP;
	if (f->umip)
		cr4 |= CR4_UMIP;
	write_cr4(cr4);
}

static void cpu_print(const struct cpu_features *f)
{
	const struct { bool on; const char *name; } names[] = {
		{ f->nx, "nx" }, { f->pge, "pge" }, { f->pat, "pat" },
		{ f->gbpages, "1g" }, { f->smep, "smep" }, { f->smap, "smap" },
		{ f->umip, "umip" }, { f->pcid, "pcid" }, { f->rdrand, "rdrand" },
		{ f->rdseed, "rdseed" }, { f->sse2, "sse2" }, { f->xsave, "xsave" },
		{ f->x2apic, "x2apic" }, { f->invariant_tsc, "invtsc" },
		{ f->hypervisor, "hv" },
	};
	char list[128];
	size_t len = 0;

	list[0] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(names) && len < sizeof(list); i++)
		if (names[i].on)
			len += snprintf(list + len, sizeof(list) - len, "%s%s",
					len ? " " : "", names[i].name);
	pr_info("cpu: %s (%s %u/%u/%u) [%s]\n", f->brand, f->vendor,
		f->family, f->model, f->stepping, list);
}

void cpu_init(void)
{
	struct cpu_features *f = &cpu_features;

	memset(f, 0, sizeof(*f));
	cpu_detect_basic(f);
	cpu_detect_ext(f);
	cpu_tidy_brand(f);
	cpu_enable(f);
	cpu_print(f);
}

SELFTEST(cpu_cr0_wp)
{
	ST_ASSERT(read_cr0() & CR0_WP);
	return 0;
}

/* Each optional protection is on exactly when CPUID reports it. */
SELFTEST(cpu_cr4_matches_cpuid)
{
	uint64_t cr4 = read_cr4();

	ST_ASSERT(!!(cr4 & CR4_SMEP) == cpu_features.smep);
	ST_ASSERT(!!(cr4 & CR4_SMAP) == cpu_features.smap);
	ST_ASSERT(!!(cr4 & CR4_UMIP) == cpu_features.umip);
	ST_ASSERT(!!(cr4 & CR4_PGE) == cpu_features.pge);
	ST_ASSERT(!!(rdmsr(MSR_EFER) & EFER_NXE) == cpu_features.nx);
	ST_ASSERT(cpu_features.vendor[0] != 0 && cpu_features.brand[0] != 0);
	return 0;
}
