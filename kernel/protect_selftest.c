/* Self-tests that the CPU's memory protections are not just switched on
 * but enforced: a kernel store to .rodata (CR0.WP), a kernel call into
 * .data (NX), a kernel call into a user page (SMEP) and a kernel load from
 * one outside stac/clac (SMAP) each fault exactly when the CPU has the
 * feature. kernel/cpu.c's own tests check the control-register bits. */
#include <selftest.h>
#include <cpu.h>
#include <io.h>
#include <trap.h>
#include <mm.h>
#include <page.h>
#include <pgtable.h>
#include <proc.h>
#include <sched.h>
#include <kmalloc.h>
#include <uaccess.h>
#include <uapi/mman.h>

/*
 * Leaf routines with one access each that may fault. They have no frame,
 * so at the fault rsp points at their return address and the handler can
 * return from them for them; probe_call's target faults on its first
 * fetch, with rsp at the return into probe_call.
 */
uint64_t probe_load(uint64_t addr);
void probe_store(uint64_t addr, uint64_t byte);
void probe_call(uint64_t addr);
extern const char probe_code_start[], probe_code_end[];

__asm__(".pushsection .text\n"
	"probe_code_start:\n"
	"probe_load:\n\tmovq (%rdi), %rax\n\tret\n"
	"probe_store:\n\tmovb %sil, (%rdi)\n\tret\n"
	"probe_call:\n\tcall *%rdi\n\tret\n"
	"probe_code_end:\n"
	".popsection\n");

/* What the last probe did; written by the handler, interrupts off. */
static volatile int probe_faults;
static volatile uint64_t probe_error, probe_target;
static trap_handler_t probe_prev;

/* #PF while a probe runs: faults of the probes (or of the call target)
 * return from the probe; anything else goes to mm as usual. */
static int probe_fault(struct trap_frame *tf)
{
	uint64_t rip = tf->rip;

	if (trap_from_user(tf) ||
	    !((rip >= (uint64_t)probe_code_start && rip < (uint64_t)probe_code_end) ||
	      rip == probe_target))
		return probe_prev ? probe_prev(tf) : 1;
	probe_faults++;
	probe_error = tf->error;
	tf->rip = *(uint64_t *)tf->rsp;
	tf->rsp += 8;
	return 0;
}

enum probe_kind { PROBE_LOAD, PROBE_STORE, PROBE_CALL };

/* Run one probe at addr with the handler in place: the #PF error code it
 * raised, or -1 when it did not fault. */
static int64_t probe(enum probe_kind kind, uint64_t addr, int user_access)
{
	uint64_t flags = irq_save();
	int64_t r = -1;

	probe_faults = 0;
	probe_target = kind == PROBE_CALL ? addr : 0;
	probe_prev = trap_set_handler(VEC_PF, probe_fault);
	if (user_access && cpu_features.smap)
		__asm__ volatile("stac" ::: "memory");
	if (kind == PROBE_LOAD)
		(void)probe_load(addr);
	else if (kind == PROBE_STORE)
		probe_store(addr, *(volatile uint8_t *)addr);
	else
		probe_call(addr);
	if (user_access && cpu_features.smap)
		__asm__ volatile("clac" ::: "memory");
	trap_set_handler(VEC_PF, probe_prev);
	if (probe_faults)
		r = (int64_t)probe_error;
	probe_target = 0;
	irq_restore(flags);
	return r;
}

/* Expected result of a probe: the fault's error code when the feature is
 * on, no fault when it is off. */
static int64_t expect(bool on, uint64_t error)
{
	return on ? (int64_t)error : -1;
}

/* Not volatile: GCC puts const volatile objects in .data. */
static const uint8_t wp_target = 0x5a;				/* .rodata */
static volatile uint8_t nx_target[16] = { 0xc3 };	/* .data: "ret" */

SELFTEST(cpu_wp_nx_enforced)
{
	/* The store writes back the byte already there, so a missing WP
	 * would leave .rodata as it was. */
	uint64_t ro = (uint64_t)&wp_target;

	__asm__("" : "+r"(ro));		/* GCC must not assume it is 0x5a */
	ST_ASSERT(probe(PROBE_STORE, ro, 0) == PF_PRESENT + PF_WRITE);
	ST_ASSERT(*(volatile const uint8_t *)ro == 0x5a);
	ST_ASSERT(probe(PROBE_CALL, (uint64_t)nx_target, 0) ==
		  expect(cpu_features.nx, PF_PRESENT + PF_FETCH));
	return 0;
}

#define UPAGE	0x41000000ull	/* user page: "ret", then data */

static struct mm *probe_mm;

/* A kernel thread with probe_mm as its address space: the user page is
 * reachable only through it. Returns the number of the failed check. */
static int smep_smap_thread(void *arg)
{
	uint64_t flags, v = 0;
	int failed = 0;

	(void)arg;
	flags = irq_save();
	current->mm = probe_mm;
	current->pml4 = probe_mm->pml4;
	mm_activate(probe_mm);
	irq_restore(flags);

	if (probe(PROBE_CALL, UPAGE, 0) != expect(cpu_features.smep, PF_PRESENT + PF_FETCH))
		failed = 1;
	else if (probe(PROBE_LOAD, UPAGE, 0) != expect(cpu_features.smap, PF_PRESENT))
		failed = 2;
	else if (probe(PROBE_LOAD, UPAGE, 1) != -1)
		failed = 3;	/* inside stac/clac: allowed */
	else if (copy_from_user(&v, UPAGE, sizeof(v)) || (v & 0xff) != 0xc3)
		failed = 4;

	flags = irq_save();
	current->mm = NULL;
	current->pml4 = kernel_pml4_phys();
	mm_activate(NULL);
	irq_restore(flags);
	return failed;
}

SELFTEST(cpu_smep_smap_enforced)
{
	static const uint8_t ret = 0xc3;
	uint64_t got;
	struct proc *p;
	int pid, st = -1;

	ST_ASSERT(mm_create(&probe_mm) == 0);
	ST_ASSERT(do_mmap(probe_mm, UPAGE, PAGE_SIZE, PROT_READ | PROT_EXEC,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, &got) == 0 &&
		  got == UPAGE);
	/* Present before the probes, so only SMEP/SMAP can make them fault. */
	ST_ASSERT(mm_copy_in(probe_mm, UPAGE, &ret, 1) == 0);
	p = kthread_create("smep-smap", smep_smap_thread, NULL);
	if (p) {
		pid = p->pid;
		if (proc_wait(pid, &st) != pid)
			st = -1;
	}
	mm_destroy(probe_mm);
	if (st)
		printk("  check %d failed (smep %d, smap %d)\n", st >> 8,
		       cpu_features.smep, cpu_features.smap);
	ST_ASSERT(st == 0);
	return 0;
}
