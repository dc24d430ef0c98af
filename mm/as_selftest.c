/* Self-tests of user address spaces (test boot entry): demand zero, brk,
 * mmap/munmap and their errors, SIGSEGV for bad accesses, stack growth
 * and its guard gap, COW after mm_fork, the copy helpers' fixups, OOM in
 * a fault, and frames all given back. Ring-3 work is done by the command
 * interpreter in mm/as_selftest.asm, driven by tables here. */
#include <selftest.h>
#include <mm.h>
#include <page.h>
#include <pgtable.h>
#include <proc.h>
#include <sched.h>
#include <timer.h>
#include <kmalloc.h>
#include <uaccess.h>
#include <cpu.h>
#include <io.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <uapi/prctl.h>
#include <uapi/signal.h>
#include <uapi/unistd.h>
#include <uapi/wait.h>

#define AS_CODE		0x400000ull	/* as_selftest.asm */
#define AS_CMDS		0x500000ull
#define AS_SYNC		0x600000ull
#define MS		1000000ull

enum { OP_EXIT, OP_LOAD, OP_STORE, OP_SYSCALL, OP_SYNC, OP_TOUCH, OP_CHECK, OP_CALL };

struct as_cmd {
	uint64_t op, a[9];
};

#define C_EXIT(c)		{ OP_EXIT, { (c) } }
#define C_LOAD(p, v)		{ OP_LOAD, { (p), (v) } }
#define C_STORE(p, v)		{ OP_STORE, { (p), (v) } }
#define C_SYNC(n)		{ OP_SYNC, { (n) } }
#define C_TOUCH(p, n, v)	{ OP_TOUCH, { (p), (n), (v) } }
#define C_CHECK(p, n, v)	{ OP_CHECK, { (p), (n), (v) } }
#define C_CALL(p)		{ OP_CALL, { (p) } }
#define C_SYS(nr, a0, a1, a2, a3, a4, a5, res) \
	{ OP_SYSCALL, { (nr), (a0), (a1), (a2), (a3), (a4), (a5), (uint64_t)(res) } }
#define C_MMAP(p, len, prot, fl, res) \
	C_SYS(__NR_mmap, (p), (len), (prot), (fl), (uint64_t)-1, 0, (res))
#define C_MUNMAP(p, len, res)	C_SYS(__NR_munmap, (p), (len), 0, 0, 0, 0, (res))
#define C_BRK(p, res)		C_SYS(__NR_brk, (p), 0, 0, 0, 0, 0, (res))

#define PRIV_ANON	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)
#define STACK_INIT	(4 * PAGE_SIZE)

extern const char as_blob[], as_blob_end[], as_interp[];

static uint64_t settled_free(void)
{
	kmem_shrink_all();
	return page_free_count();
}

static int map_fixed(struct mm *mm, uint64_t addr, uint64_t len, unsigned long prot)
{
	uint64_t got;
	int err = do_mmap(mm, addr, len, prot, PRIV_ANON | MAP_FIXED, -1, 0, &got);

	return err ? err : (got == addr ? 0 : -EINVAL);
}

/* Write a command list into mm (again, after a fork: it breaks COW). */
static int as_load_cmds(struct mm *mm, const struct as_cmd *cmds, size_t n)
{
	return mm_copy_in(mm, AS_CMDS, cmds, n * sizeof(*cmds));
}

/* A new address space with the interpreter, its commands, the sync page
 * and a STACK_INIT stack below MM_STACK_TOP. */
static int as_space(struct mm **out, const struct as_cmd *cmds, size_t n)
{
	struct mm *mm;
	int err = mm_create(&mm);

	if (err)
		return err;
	if ((err = map_fixed(mm, AS_CODE, PAGE_SIZE, PROT_READ | PROT_EXEC)) ||
	    (err = mm_copy_in(mm, AS_CODE, as_blob, as_blob_end - as_blob)) ||
	    (err = map_fixed(mm, AS_CMDS, ALIGN_UP(n * sizeof(*cmds), PAGE_SIZE), PROT_READ)) ||
	    (err = as_load_cmds(mm, cmds, n)) ||
	    (err = map_fixed(mm, AS_SYNC, PAGE_SIZE, RW)) ||
	    (err = mm_setup_stack(mm, MM_STACK_TOP, STACK_INIT))) {
		mm_destroy(mm);
		return err;
	}
	*out = mm;
	return 0;
}

/* Run mm (which the process takes over) at the interpreter: its pid. */
static int as_start(struct mm *mm, const char *name)
{
	struct proc *p;
	int err = proc_spawn_mm(&p, name, mm, AS_CODE + (as_interp - as_blob),
				MM_STACK_TOP);

	if (err) {
		mm_destroy(mm);
		return err;
	}
	return p->pid;
}

static int as_finish(int pid)
{
	int st = -1;

	if (proc_wait(pid, &st) != pid)
		return -1;
	return st;
}

/* The live mm of pid, or NULL once it exited. Interrupts off. */
static struct mm *as_mm(int pid)
{
	struct proc *p = proc_find(pid);

	return p && p->state != PROC_ZOMBIE && p->state != PROC_DEAD ? p->mm : NULL;
}

static volatile uint64_t *sync_words(struct mm *mm)
{
	paddr_t pa;

	if (pt_lookup(mm->pml4, AS_SYNC, &pa, NULL) < 0)
		return NULL;
	return phys_to_virt(pa);
}

/* Wait until pid reached phase (and sits in OP_SYNC, unable to change its
 * space): its mm, or NULL if it died or took more than 5 s. */
static struct mm *as_wait_phase(int pid, uint64_t phase)
{
	uint64_t deadline = clock_monotonic_ns() + 5000 * MS;

	while (clock_monotonic_ns() < deadline) {
		uint64_t flags = irq_save();
		struct mm *mm = as_mm(pid);
		volatile uint64_t *w = mm ? sync_words(mm) : NULL;
		int reached = w && w[0] >= phase;

		irq_restore(flags);
		if (!mm)
			return NULL;
		if (reached)
			return mm;
		sleep_until_ns(clock_monotonic_ns() + MS, SLEEP_UNINTERRUPTIBLE);
	}
	return NULL;
}

static void as_let_go(int pid, uint64_t phase)
{
	uint64_t flags = irq_save();
	struct mm *mm = as_mm(pid);
	volatile uint64_t *w = mm ? sync_words(mm) : NULL;

	if (w)
		w[1] = phase;
	irq_restore(flags);
}

static int lookup(struct mm *mm, uint64_t va, paddr_t *pa, unsigned *prot)
{
	return pt_lookup(mm->pml4, va, pa, prot);
}

/* ---- demand zero ----------------------------------------------------- */

#define DZ_AREA		0x10000000ull
#define DZ_PAGES	16

/* Reads of untouched memory see zeros and map the shared zero page, no
 * frame; the first write to each page allocates one. */
SELFTEST(as_demand_zero)
{
	static const struct as_cmd cmds[] = {
		C_MMAP(DZ_AREA, DZ_PAGES * PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED, DZ_AREA),
		C_CHECK(DZ_AREA, DZ_PAGES, 0),
		C_LOAD(DZ_AREA + PAGE_SIZE - 8, 0),
		C_SYNC(1),
		C_TOUCH(DZ_AREA, DZ_PAGES, 0x5555),
		C_SYNC(2),
		C_CHECK(DZ_AREA, DZ_PAGES, 0x5555),
		C_EXIT(0),
	};
	uint64_t before = settled_free(), res0, flags;
	struct mm *mm;
	int pid, st, ok = 1;

	ST_ASSERT(as_space(&mm, cmds, ARRAY_SIZE(cmds)) == 0);
	pid = as_start(mm, "as-dz");
	ST_ASSERT(pid > 0);
	mm = as_wait_phase(pid, 1);
	if (mm) {
		flags = irq_save();
		res0 = mm->resident;
		for (int i = 0; i < DZ_PAGES; i++) {
			paddr_t pa;
			unsigned prot;

			ok &= lookup(mm, DZ_AREA + i * PAGE_SIZE, &pa, &prot) == 0 &&
			      pa == mm_zero_page() && !(prot & PT_WRITE);
		}
		irq_restore(flags);
		as_let_go(pid, 1);
		mm = as_wait_phase(pid, 2);
	}
	if (mm) {
		flags = irq_save();
		ok &= mm->resident == res0 + DZ_PAGES;
		for (int i = 0; i < DZ_PAGES; i++) {
			paddr_t pa;
			unsigned prot;

			ok &= lookup(mm, DZ_AREA + i * PAGE_SIZE, &pa, &prot) == 0 &&
			      pa != mm_zero_page() && (prot & PT_WRITE);
		}
		irq_restore(flags);
		as_let_go(pid, 2);
	}
	st = as_finish(pid);
	ST_ASSERT(mm);
	ST_ASSERT(ok);
	ST_ASSERT(st == W_EXITCODE(0, 0));
	/* the zero page itself was never written */
	ST_ASSERT(*(volatile uint64_t *)phys_to_virt(mm_zero_page()) == 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* ---- brk ----------------------------------------------------------- */

#define HEAP	0x800000ull
#define BLOCK	0x900000ull	/* a mapping the heap cannot grow into */

SELFTEST(as_brk)
{
	static const struct as_cmd cmds[] = {
		C_BRK(0, HEAP),
		C_BRK(HEAP + 0x3005, HEAP + 0x3005),		/* grows */
		C_STORE(HEAP, 1),
		C_STORE(HEAP + 0x3000, 2),			/* last partial page */
		C_BRK(0, HEAP + 0x3005),
		C_BRK(HEAP + 0x1000, HEAP + 0x1000),		/* shrinks */
		C_LOAD(HEAP, 1),
		C_BRK(HEAP - 0x1000, HEAP + 0x1000),		/* below start: unchanged */
		C_BRK(HEAP + 0x3000, HEAP + 0x3000),		/* grows back, zeroed */
		C_LOAD(HEAP + 0x2000, 0),
		C_LOAD(HEAP + 0x1000, 0),
		C_MMAP(BLOCK, PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED, BLOCK),
		C_BRK(BLOCK + 0x10, HEAP + 0x3000),		/* would overlap */
		C_BRK(BLOCK - 0x1000, BLOCK - 0x1000),		/* up to one page below */
		C_STORE(BLOCK - 0x1008, 3),
		C_BRK(HEAP, HEAP),				/* empty heap */
		C_EXIT(0),
	};
	static const struct as_cmd after_shrink[] = {
		C_BRK(HEAP + 0x2000, HEAP + 0x2000),
		C_STORE(HEAP + 0x1000, 1),
		C_BRK(HEAP + 0x1000, HEAP + 0x1000),
		C_LOAD(HEAP + 0x1000, 0),			/* gone: SIGSEGV */
		C_EXIT(0),
	};
	uint64_t before = settled_free();
	struct fault_record fr;
	struct mm *mm;
	int pid;

	ST_ASSERT(as_space(&mm, cmds, ARRAY_SIZE(cmds)) == 0);
	mm_set_brk(mm, HEAP);
	pid = as_start(mm, "as-brk");
	ST_ASSERT(pid > 0);
	ST_ASSERT(as_finish(pid) == W_EXITCODE(0, 0));

	ST_ASSERT(as_space(&mm, after_shrink, ARRAY_SIZE(after_shrink)) == 0);
	mm_set_brk(mm, HEAP);
	pid = as_start(mm, "as-brk2");
	ST_ASSERT(pid > 0);
	ST_ASSERT(as_finish(pid) == (W_EXITCODE(0, SIGSEGV) | W_COREFLAG));
	fault_last(&fr);
	ST_ASSERT(fr.pid == pid && fr.code == SEGV_MAPERR && fr.addr == HEAP + 0x1000);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* ---- mmap and munmap ----------------------------------------------- */

#define MA	0x20000000ull
#define PC	0x30000000ull	/* one page per PROT_* combination */
#define POP	0x40000000ull
#define GD	0x50000000ull

SELFTEST(as_mmap_munmap)
{
	static const struct as_cmd cmds[] = {
		/* errors */
		C_MMAP(0, 0, RW, PRIV_ANON, -EINVAL),
		C_MMAP(MA + 1, PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED, -EINVAL),
		C_MMAP(MA + 1, PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED_NOREPLACE, -EINVAL),
		C_MMAP(0, PAGE_SIZE, RW, MAP_ANONYMOUS, -EINVAL),
		C_SYS(__NR_mmap, 0, PAGE_SIZE, RW, PRIV_ANON, -1, 1, -EINVAL),
		C_MMAP(0, PAGE_SIZE, RW, PRIV_ANON | MAP_HUGETLB, -EINVAL),
		C_MMAP(0, PAGE_SIZE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_SYNC,
		       -EOPNOTSUPP),
		C_SYS(__NR_mmap, 0, PAGE_SIZE, RW, MAP_PRIVATE, 3, 0, -EBADF),
		C_MMAP(0, 1ull << 47, RW, PRIV_ANON, -ENOMEM),
		C_MMAP(0, -4096ull, RW, PRIV_ANON, -ENOMEM),
		/* fixed, no-replace, hint, top-down */
		C_MMAP(MA, 4 * PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED, MA),
		C_MMAP(MA + PAGE_SIZE, PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED_NOREPLACE, -EEXIST),
		C_MMAP(MA + 4 * PAGE_SIZE, PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED_NOREPLACE,
		       MA + 4 * PAGE_SIZE),
		C_MMAP(MA + 8 * PAGE_SIZE + 5, PAGE_SIZE, RW, PRIV_ANON, MA + 9 * PAGE_SIZE),
		C_MMAP(MA, PAGE_SIZE, RW, PRIV_ANON, MM_MMAP_BASE - PAGE_SIZE),	/* taken */
		C_MMAP(0, 2 * PAGE_SIZE, RW, PRIV_ANON | MAP_NORESERVE | MAP_STACK,
		       MM_MMAP_BASE - 3 * PAGE_SIZE),
		C_TOUCH(MA, 5, 7),
		C_STORE(MM_MMAP_BASE - 8, 9),
		/* MAP_FIXED over existing memory replaces it with zeros */
		C_MMAP(MA + 3 * PAGE_SIZE, PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED, MA + 3 * PAGE_SIZE),
		C_LOAD(MA + 3 * PAGE_SIZE, 0),
		C_LOAD(MA + 2 * PAGE_SIZE, 7),
		/* munmap: a hole in the middle, errors, unmapped ranges */
		C_MUNMAP(MA + PAGE_SIZE, PAGE_SIZE, 0),
		C_LOAD(MA, 7),
		C_LOAD(MA + 2 * PAGE_SIZE, 7),
		C_MUNMAP(MA + 1, PAGE_SIZE, -EINVAL),
		C_MUNMAP(MA, 0, -EINVAL),
		C_MUNMAP(0x7fffffff0000ull, 0x100000, -EINVAL),
		C_MUNMAP(0x60000000, 16 * PAGE_SIZE, 0),		/* nothing there */
		C_MUNMAP(MA, 5 * PAGE_SIZE - 100, 0),		/* across VMAs */
		C_MMAP(MA, 5 * PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED_NOREPLACE, MA),
		C_CHECK(MA, 5, 0),
		C_MUNMAP(MA + 2 * PAGE_SIZE, 3 * PAGE_SIZE, 0),	/* tail */
		C_MUNMAP(MA, PAGE_SIZE, 0),			/* head */
		C_LOAD(MA + PAGE_SIZE, 0),
		/* every PROT_* combination maps */
		C_MMAP(PC + 0 * PAGE_SIZE, PAGE_SIZE, PROT_NONE, PRIV_ANON | MAP_FIXED, PC),
		C_MMAP(PC + 1 * PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV_ANON | MAP_FIXED, PC + 0x1000),
		C_MMAP(PC + 2 * PAGE_SIZE, PAGE_SIZE, PROT_WRITE, PRIV_ANON | MAP_FIXED, PC + 0x2000),
		C_MMAP(PC + 3 * PAGE_SIZE, PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED, PC + 0x3000),
		C_MMAP(PC + 4 * PAGE_SIZE, PAGE_SIZE, PROT_EXEC, PRIV_ANON | MAP_FIXED, PC + 0x4000),
		C_MMAP(PC + 5 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_EXEC, PRIV_ANON | MAP_FIXED,
		       PC + 0x5000),
		/* write and exec together: W^X (mm/wx.c, tested by wxtest)
		 * refuses them unless the process lifts it, as this one does
		 * to run what it stores */
		C_SYS(__NR_prctl, PR_SET_WX_RELAX, 1, 0, 0, 0, 0, 0),
		C_MMAP(PC + 6 * PAGE_SIZE, PAGE_SIZE, PROT_WRITE | PROT_EXEC, PRIV_ANON | MAP_FIXED,
		       PC + 0x6000),
		C_MMAP(PC + 7 * PAGE_SIZE, PAGE_SIZE, RW | PROT_EXEC, PRIV_ANON | MAP_FIXED,
		       PC + 0x7000),
		C_LOAD(PC + 1 * PAGE_SIZE, 0),
		C_STORE(PC + 2 * PAGE_SIZE, 1),
		C_LOAD(PC + 2 * PAGE_SIZE, 1),		/* write implies read on x86 */
		C_STORE(PC + 3 * PAGE_SIZE, 1),
		C_LOAD(PC + 5 * PAGE_SIZE, 0),
		C_STORE(PC + 6 * PAGE_SIZE, 0xC3),	/* ret */
		C_CALL(PC + 6 * PAGE_SIZE),
		C_STORE(PC + 7 * PAGE_SIZE, 0xC3),
		C_CALL(PC + 7 * PAGE_SIZE),
		/* populate; grows-down mappings */
		C_MMAP(POP, 4 * PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED | MAP_POPULATE, POP),
		C_MMAP(GD, PAGE_SIZE, RW, PRIV_ANON | MAP_FIXED | MAP_GROWSDOWN, GD),
		C_SYNC(1),
		C_STORE(GD - 8, 5),
		C_LOAD(GD - 8, 5),
		C_EXIT(0),
	};
	uint64_t before = settled_free();
	struct vma *v;
	struct mm *mm;
	int pid, ok = 1, st;

	ST_ASSERT(as_space(&mm, cmds, ARRAY_SIZE(cmds)) == 0);
	pid = as_start(mm, "as-mmap");
	ST_ASSERT(pid > 0);
	mm = as_wait_phase(pid, 1);
	if (mm) {
		uint64_t flags = irq_save();

		for (int i = 0; i < 4; i++) {
			paddr_t pa;
			unsigned prot;

			ok &= lookup(mm, POP + i * PAGE_SIZE, &pa, &prot) == 0 &&
			      pa != mm_zero_page() && (prot & PT_WRITE);
		}
		v = vma_find(&mm->vmas, MA + PAGE_SIZE);
		ok &= v && v->start == MA + PAGE_SIZE && v->end == MA + 2 * PAGE_SIZE;
		ok &= !vma_find(&mm->vmas, MA) && !vma_find(&mm->vmas, MA + 2 * PAGE_SIZE);
		ok &= vma_tree_check(&mm->vmas) == 0;
		irq_restore(flags);
		as_let_go(pid, 1);
	}
	st = as_finish(pid);
	printk("  mmap program status %#x\n", st);
	ST_ASSERT(mm && ok);
	ST_ASSERT(st == W_EXITCODE(0, 0));
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* ---- bad accesses end the process, not the kernel --------------------- */

#define RO	0x20000000ull
#define NONE	0x20002000ull
#define DATA	0x20004000ull
#define LOWER	(MM_STACK_TOP - STACK_INIT - 3 * PAGE_SIZE)	/* in the guard gap */

SELFTEST(as_segv)
{
	static const struct {
		const char *name;
		struct as_cmd cmd;
		int code;
		uint64_t addr;
	} cases[] = {
		{ "unmapped", C_LOAD(0x70000000, 0), SEGV_MAPERR, 0x70000000 },
		{ "null", C_LOAD(8, 0), SEGV_MAPERR, 8 },
		{ "kernel", C_LOAD(0xffff800000000000ull, 0), SEGV_MAPERR, 0 },
		{ "write-ro", C_STORE(RO + 16, 1), SEGV_ACCERR, RO + 16 },
		{ "read-none", C_LOAD(NONE, 0), SEGV_ACCERR, NONE },
		{ "guard-gap", C_STORE(MM_STACK_TOP - STACK_INIT - 8, 1), SEGV_MAPERR,
		  MM_STACK_TOP - STACK_INIT - 8 },
		{ "stack-limit", C_STORE(MM_STACK_TOP - MM_STACK_LIMIT - 8, 1), SEGV_MAPERR,
		  MM_STACK_TOP - MM_STACK_LIMIT - 8 },
		{ "exec-data", C_CALL(DATA), SEGV_ACCERR, DATA },
	};
	uint64_t before = settled_free();

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct as_cmd cmds[] = { cases[i].cmd, C_EXIT(0) };
		struct fault_record fr;
		struct mm *mm;
		int pid, st;

		if (cases[i].cmd.op == OP_CALL && !cpu_features.nx)
			continue;	/* no NX: data is executable */
		ST_ASSERT(as_space(&mm, cmds, ARRAY_SIZE(cmds)) == 0);
		ST_ASSERT(map_fixed(mm, RO, PAGE_SIZE, PROT_READ) == 0);
		ST_ASSERT(map_fixed(mm, NONE, PAGE_SIZE, PROT_NONE) == 0);
		ST_ASSERT(map_fixed(mm, DATA, PAGE_SIZE, RW) == 0);
		if (strcmp(cases[i].name, "guard-gap") == 0)
			ST_ASSERT(map_fixed(mm, LOWER, PAGE_SIZE, RW) == 0);
		pid = as_start(mm, cases[i].name);
		ST_ASSERT(pid > 0);
		st = as_finish(pid);
		fault_last(&fr);
		if (st != (W_EXITCODE(0, SIGSEGV) | W_COREFLAG) || fr.pid != pid || fr.code != cases[i].code ||
		    (cases[i].addr && fr.addr != cases[i].addr)) {
			printk("  %s: status %#x, code %d, addr %lx\n", cases[i].name, st,
			       fr.code, (unsigned long)fr.addr);
			ST_ASSERT(!"SIGSEGV with the right code and address");
		}
	}
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* ---- the stack grows down on touch ------------------------------------ */

SELFTEST(as_stack_growth)
{
	static const struct as_cmd cmds[] = {
		C_STORE(MM_STACK_TOP - 64 * 1024, 1),
		C_STORE(MM_STACK_TOP - MM_STACK_LIMIT, 2),	/* the very limit */
		C_LOAD(MM_STACK_TOP - 64 * 1024, 1),
		C_LOAD(MM_STACK_TOP - MM_STACK_LIMIT, 2),
		C_LOAD(MM_STACK_TOP - 1024 * 1024, 0),
		C_SYNC(1),
		C_EXIT(0),
	};
	uint64_t before = settled_free();
	struct mm *mm;
	struct vma *v = NULL;
	int pid, st;

	ST_ASSERT(as_space(&mm, cmds, ARRAY_SIZE(cmds)) == 0);
	pid = as_start(mm, "as-stack");
	ST_ASSERT(pid > 0);
	mm = as_wait_phase(pid, 1);
	if (mm) {
		uint64_t flags = irq_save();

		v = vma_find(&mm->vmas, MM_STACK_TOP - 1);
		if (v && (v->start != MM_STACK_TOP - MM_STACK_LIMIT || v->end != MM_STACK_TOP ||
			  !(v->flags & VMA_GROWSDOWN) || mm->total_vm < MM_STACK_LIMIT / PAGE_SIZE))
			v = NULL;
		irq_restore(flags);
		as_let_go(pid, 1);
	}
	st = as_finish(pid);
	ST_ASSERT(v);
	ST_ASSERT(st == W_EXITCODE(0, 0));
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* ---- copy-on-write after mm_fork -------------------------------------- */

#define CW	0x20000000ull
#define CW_PAGES 4

static const struct as_cmd cow_a[] = {
	C_CHECK(CW, CW_PAGES, 0x1234), C_LOAD(CW + CW_PAGES * PAGE_SIZE, 0),
	C_TOUCH(CW, CW_PAGES, 0xAAAA), C_SYNC(1),
	C_CHECK(CW, CW_PAGES, 0xAAAA), C_EXIT(0),
};
static const struct as_cmd cow_b[] = {
	C_CHECK(CW, CW_PAGES, 0x1234), C_LOAD(CW + CW_PAGES * PAGE_SIZE, 0),
	C_TOUCH(CW, CW_PAGES, 0xBBBB), C_SYNC(1),
	C_CHECK(CW, CW_PAGES, 0xBBBB), C_EXIT(0),
};

/* Two spaces share frames after mm_fork; each process's writes stay its
 * own. Whichever writes last finds the count back at 1 and keeps the
 * original frame instead of copying it. */
SELFTEST(as_cow_fork)
{
	uint64_t before = settled_free(), val = 0x1234, used;
	paddr_t orig[CW_PAGES], pa, pb;
	struct mm *a, *b;
	unsigned prot;
	int pida, pidb, sa, sb, ok = 1;

	ST_ASSERT(as_space(&a, cow_a, ARRAY_SIZE(cow_a)) == 0);
	ST_ASSERT(map_fixed(a, CW, (CW_PAGES + 1) * PAGE_SIZE, RW) == 0);
	for (int i = 0; i < CW_PAGES; i++) {
		ST_ASSERT(mm_copy_in(a, CW + i * PAGE_SIZE, &val, sizeof(val)) == 0);
		ST_ASSERT(lookup(a, CW + i * PAGE_SIZE, &orig[i], NULL) == 0);
	}
	ST_ASSERT(mm_fault(a, CW + CW_PAGES * PAGE_SIZE, FAULT_READ, NULL) == FAULT_OK);
	ST_ASSERT(mm_fork(a, &b) == 0);
	for (int i = 0; i < CW_PAGES; i++) {
		ST_ASSERT(lookup(a, CW + i * PAGE_SIZE, &pa, &prot) == 0 && !(prot & PT_WRITE));
		ST_ASSERT(lookup(b, CW + i * PAGE_SIZE, &pb, &prot) == 0 && !(prot & PT_WRITE));
		ST_ASSERT(pa == orig[i] && pb == orig[i] && phys_to_page(pa)->refcount == 2);
	}
	ST_ASSERT(lookup(b, CW + CW_PAGES * PAGE_SIZE, &pb, NULL) == 0 && pb == mm_zero_page());
	ST_ASSERT(b->total_vm == a->total_vm && b->resident == a->resident);
	ST_ASSERT(as_load_cmds(b, cow_b, ARRAY_SIZE(cow_b)) == 0);

	used = settled_free();
	pida = as_start(a, "as-cow-a");
	ST_ASSERT(pida > 0);
	pidb = as_start(b, "as-cow-b");
	if (pidb < 0) {
		as_let_go(pida, 1);
		as_finish(pida);
		ST_ASSERT(!"second process");
	}
	a = as_wait_phase(pida, 1);
	b = as_wait_phase(pidb, 1);
	if (a && b) {
		uint64_t flags = irq_save();

		for (int i = 0; i < CW_PAGES; i++) {
			ok &= lookup(a, CW + i * PAGE_SIZE, &pa, NULL) == 0;
			ok &= lookup(b, CW + i * PAGE_SIZE, &pb, NULL) == 0;
			/* one copy, one reuse of the original frame */
			ok &= pa != pb && (pa == orig[i] || pb == orig[i]);
			ok &= phys_to_page(orig[i])->refcount == 1;
		}
		irq_restore(flags);
		/* only CW_PAGES new frames (plus page tables for the copies) */
		ok &= used - settled_free() >= CW_PAGES;
	}
	as_let_go(pida, 1);
	as_let_go(pidb, 1);
	sa = as_finish(pida);
	sb = as_finish(pidb);
	ST_ASSERT(a && b && ok);
	ST_ASSERT(sa == W_EXITCODE(0, 0) && sb == W_EXITCODE(0, 0));
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* mm_fork under failing allocations unwinds completely at every step. */
SELFTEST(as_fork_oom_unwinds)
{
	uint64_t before = settled_free(), val = 1;
	struct mm *a, *b;
	int err = -ENOMEM;

	ST_ASSERT(mm_create(&a) == 0);
	ST_ASSERT(map_fixed(a, CW, 8 * PAGE_SIZE, RW) == 0);
	ST_ASSERT(map_fixed(a, CW + 0x40000000, PAGE_SIZE, RW) == 0);
	for (int i = 0; i < 8; i++)
		ST_ASSERT(mm_copy_in(a, CW + i * PAGE_SIZE, &val, sizeof(val)) == 0);
	ST_ASSERT(mm_copy_in(a, CW + 0x40000000, &val, sizeof(val)) == 0);
	for (long n = 0; err == -ENOMEM && n < 64; n++) {
		page_alloc_fail_after(n);
		err = mm_fork(a, &b);
		page_alloc_fail_after(-1);
		if (err == 0)
			mm_destroy(b);
	}
	ST_ASSERT(err == 0);
	mm_destroy(a);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* A fault that cannot get a frame ends the process with SIGKILL's status
 * (the OOM killer's choice: the only process with memory); the kernel
 * carries on. */
SELFTEST(as_fault_oom_kills)
{
	static const struct as_cmd cmds[] = {
		C_SYNC(1),
		C_STORE(0x20000000, 1),
		C_EXIT(0),
	};
	uint64_t before = settled_free();
	struct mm *mm;
	int pid, st;

	ST_ASSERT(as_space(&mm, cmds, ARRAY_SIZE(cmds)) == 0);
	ST_ASSERT(map_fixed(mm, 0x20000000, PAGE_SIZE, RW) == 0);
	pid = as_start(mm, "as-oom");
	ST_ASSERT(pid > 0);
	mm = as_wait_phase(pid, 1);
	page_alloc_fail_after(0);
	as_let_go(pid, 1);
	st = as_finish(pid);
	page_alloc_fail_after(-1);
	ST_ASSERT(mm);
	ST_ASSERT(st == W_EXITCODE(0, SIGKILL));
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* ---- copy helpers ----------------------------------------------------- */

#define UA	0x20000000ull	/* 2 pages read-write, untouched */
#define UR	0x20002000ull	/* read-only */
#define UGAP	0x20003000ull	/* nothing */

static struct mm *ua_mm;
static int ua_line;

#define UA_CHECK(c) do { if (!(c)) { ua_line = __LINE__; goto out; } } while (0)

/* Runs as a kernel thread borrowing ua_mm as its address space. */
static int ua_thread(void *arg)
{
	struct mm *mm = ua_mm;
	char buf[64], s[8] = "abc";
	uint64_t flags, kaddr = 0xffff800000000000ull;
	paddr_t pa;

	(void)arg;
	ua_line = 0;
	flags = irq_save();
	current->mm = mm;
	current->pml4 = mm->pml4;
	mm_activate(mm);
	irq_restore(flags);

	/* kernel addresses and ranges running into them */
	UA_CHECK(copy_from_user(buf, kaddr, 8) == -EFAULT);
	UA_CHECK(copy_to_user(kaddr, buf, 8) == -EFAULT);
	UA_CHECK(clear_user(kaddr, 8) == -EFAULT);
	UA_CHECK(strncpy_from_user(buf, kaddr, 8) == -EFAULT);
	UA_CHECK(copy_from_user(buf, USER_END - 4, 8) == -EFAULT);
	UA_CHECK(copy_to_user((uint64_t)buf, buf, 8) == -EFAULT);
	/* unmapped */
	UA_CHECK(copy_from_user(buf, UGAP, 8) == -EFAULT);
	UA_CHECK(copy_to_user(UGAP, buf, 8) == -EFAULT);
	UA_CHECK(clear_user(UGAP, 8) == -EFAULT);
	UA_CHECK(strncpy_from_user(buf, UGAP, 8) == -EFAULT);
	/* read-only: readable (zeros), not writable */
	memset(buf, 0x77, sizeof(buf));
	UA_CHECK(copy_from_user(buf, UR, 16) == 0 && buf[0] == 0 && buf[15] == 0);
	UA_CHECK(copy_to_user(UR, buf, 8) == -EFAULT);
	UA_CHECK(clear_user(UR, 8) == -EFAULT);
	/* untouched memory: demand zero for reads, a frame for writes */
	memset(buf, 0x77, sizeof(buf));
	UA_CHECK(copy_from_user(buf, UA, sizeof(buf)) == 0 && buf[0] == 0 && buf[63] == 0);
	UA_CHECK(pt_lookup(mm->pml4, UA, &pa, NULL) == 0 && pa == mm_zero_page());
	UA_CHECK(copy_to_user(UR - 2, s, 4) == -EFAULT);	/* runs into read-only */
	UA_CHECK(copy_to_user(UA + 100, s, 4) == 0);
	UA_CHECK(pt_lookup(mm->pml4, UA, &pa, NULL) == 0 && pa != mm_zero_page());
	UA_CHECK(strncpy_from_user(buf, UA + 100, sizeof(buf)) == 3 && strcmp(buf, "abc") == 0);
	UA_CHECK(strncpy_from_user(buf, UA + 100, 3) == -ENAMETOOLONG);
	UA_CHECK(clear_user(UA + 100, 4) == 0);
	UA_CHECK(copy_from_user(buf, UA + 100, 4) == 0 && buf[0] == 0);
	/* ranges running off the end of a mapping */
	UA_CHECK(copy_to_user(UR - 2, "xy", 2) == 0);
	UA_CHECK(strncpy_from_user(buf, UR - 2, 64) == 2 && strcmp(buf, "xy") == 0);
	UA_CHECK(copy_from_user(buf, UR - 8, 16) == 0);
	UA_CHECK(copy_from_user(buf, UR + PAGE_SIZE - 8, 16) == -EFAULT);
	/* the stack grows under a copy as under a user access */
	UA_CHECK(copy_to_user(MM_STACK_TOP - 64 * 1024, s, 4) == 0);
	UA_CHECK(vma_find(&mm->vmas, MM_STACK_TOP - 64 * 1024) != NULL);
out:
	flags = irq_save();
	current->mm = NULL;
	current->pml4 = kernel_pml4_phys();
	mm_activate(NULL);
	irq_restore(flags);
	return ua_line;
}

SELFTEST(as_uaccess_fixups)
{
	uint64_t before = settled_free();
	struct proc *p;
	int pid, st = -1;

	ST_ASSERT(mm_create(&ua_mm) == 0);
	ST_ASSERT(map_fixed(ua_mm, UA, 2 * PAGE_SIZE, RW) == 0);
	ST_ASSERT(map_fixed(ua_mm, UR, PAGE_SIZE, PROT_READ) == 0);
	ST_ASSERT(mm_setup_stack(ua_mm, MM_STACK_TOP, STACK_INIT) == 0);
	p = kthread_create("as-uaccess", ua_thread, NULL);
	ST_ASSERT(p);
	pid = p->pid;
	ST_ASSERT(proc_wait(pid, &st) == pid);
	mm_destroy(ua_mm);
	if (st)
		printk("  failed at as_selftest.c:%d\n", ua_line);
	ST_ASSERT(st == 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}
