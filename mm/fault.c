/* User page faults: find the VMA (growing a stack down to the address),
 * check the access against its protection, then fill on demand (the zero
 * page for reads, a zeroed frame for writes, an object's page for file
 * and shared mappings) or break copy-on-write. Also
 * the #PF trap handler, which does the same for the copy helpers' faults
 * in kernel mode before falling back to their -EFAULT fixups. */
#include <mm.h>
#include <memobj.h>
#include <signal.h>
#include <page.h>
#include <pgtable.h>
#include <proc.h>
#include <trap.h>
#include <cpu.h>
#include <io.h>
#include <printk.h>
#include <string.h>
#include <uaccess.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/wait.h>

/*
 * The life of a private anonymous page (one PTE in one mm; a frame's
 * refcount counts the PTEs mapping it, over every mm):
 *
 *               read fault                      write fault
 *   (absent) --------------> ZERO PAGE (r/o) -----------------+
 *      |                       shared, never counted          |
 *      | write fault                                          v
 *      +--------------------------------------------> PRIVATE (rw)
 *                                                    refcount 1
 *                                                       |    ^
 *                                              mm_fork  |    | write fault,
 *                                                       v    | refcount 1:
 *                             write fault,      COW (r/o)    | reuse, make rw
 *        PRIVATE copy (rw) <--------------------  refcount n  ---+
 *        new frame, count 1   refcount > 1:      (n PTEs, n mms)
 *                             copy, put old           |
 *                                                     | the other PTEs go
 *                                                     v (unmap, exit, copy)
 *                                                 COW (r/o), refcount 1
 *
 * So a write to a read-only PTE in a writable VMA is always a COW break:
 * copy when others still map the frame, reuse it when this is the last
 * mapping. Zero-page PTEs fork as they are; any write replaces them.
 */

static struct fault_record last_fault;

void fault_last(struct fault_record *out)
{
	uint64_t flags = irq_save();

	*out = last_fault;
	irq_restore(flags);
}

/* Whether vma allows the access. x86 cannot map write-only or exec-only
 * pages, so any access right makes the page readable, as on Linux. */
static int access_ok(const struct vma *vma, unsigned access)
{
	if (access & FAULT_FORCE)
		return 1;
	if (access & FAULT_WRITE)
		return (vma->flags & VMA_WRITE) != 0;
	if (access & FAULT_EXEC)
		return (vma->flags & VMA_EXEC) != 0;
	return (vma->flags & VMA_PROT_MASK) != 0;
}

/*
 * A fault below a grows-down VMA: extend it down to addr's page if the
 * VMA stays within the stack limit and keeps a guard gap of MM_STACK_GUARD
 * above the next VMA below, and RLIMIT_AS (and RLIMIT_MEMLOCK for a
 * locked stack) allow the new pages. Extending is an insert that merges
 * with vma. 0, -EFAULT (not allowed) or -ENOMEM.
 */
static int stack_expand(struct mm *mm, struct vma *vma, uint64_t addr)
{
	uint64_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	struct vma *below = vma_prev(vma);
	struct vma tmpl = {
		.start = start,
		.end = vma->start,
		.flags = vma->flags,
		.obj = vma->obj,
		.ops = vma->ops,
		.name = vma->name,
	};
	uint64_t pages = (vma->start - start) >> PAGE_SHIFT;
	int err;

	if (start < MM_USER_LOW || vma->end - start > mm->stack_limit)
		return -EFAULT;
	if (below && (below->end > start || start - below->end < MM_STACK_GUARD))
		return -EFAULT;
	/* As Linux's acct_stack_growth: the limits bind growth as mmap. */
	if (mm_may_expand(mm, pages, tmpl.flags))
		return -EFAULT;
	err = vma_insert(&mm->vmas, &tmpl, NULL);
	if (err)
		return err == -ENOMEM ? -ENOMEM : -EFAULT;
	mm->total_vm += pages;
	if (tmpl.flags & VMA_LOCKED)	/* vma itself may be gone: merged */
		mm->locked_vm += pages;
	return 0;
}

/* Demand fill of an absent page: the zero page for a read, a zeroed frame
 * of our own for a write. */
static enum fault_result fault_anon(struct mm *mm, struct vma *vma,
				    uint64_t va, int write)
{
	struct page *pg;

	if (!write) {
		if (pt_map(mm->pml4, va, mm_zero_page(), mm_vma_prot(vma, 0)) < 0)
			return FAULT_OOM;
		return FAULT_OK;
	}
	pg = page_alloc(0, GFP_ZERO);
	if (!pg)
		return FAULT_OOM;
	if (pt_map(mm->pml4, va, page_to_phys(pg), mm_vma_prot(vma, 1)) < 0) {
		page_put(pg);
		return FAULT_OOM;
	}
	pg->mapcount = 1;
	mm_rss_add(mm, MM_RSS_ANON, 1);
	return FAULT_OK;
}

/*
 * An absent page of a VMA backed by a memory object (a file, shared
 * anonymous memory). Past the object's limit (its end of file) the
 * access is SIGBUS, as on Linux. Otherwise the object's own frame is
 * mapped: writable in a shared VMA that allows writes, so stores land in
 * the file at once; read-only in a private one, so its first write
 * copies (fault_cow). A private write to an absent page copies at once.
 * A full tmpfs (-ENOSPC) is SIGBUS too, as for Linux's shmem.
 */
#define FAULT_AROUND_PAGES	16	/* Linux's fault_around_bytes, 64 KiB */

/*
 * After a read fault on an object's page, map the neighbours the object
 * already holds, in the aligned 64 KiB window around va and inside the
 * VMA, as that fault would have mapped them: a sequential reader then
 * faults once per window, not once per page (Linux's fault-around).
 * Holes stay holes (nothing is allocated); a missing page table just
 * ends it. MADV_RANDOM turns it off, as on Linux.
 */
static void fault_around(struct mm *mm, struct vma *vma, uint64_t va, unsigned prot)
{
	uint64_t win = FAULT_AROUND_PAGES * PAGE_SIZE;
	uint64_t start = ALIGN_DOWN(va, win), end = start + win;
	struct memobj *obj = vma->obj;

	if (vma->flags & VMA_RAND_READ)
		return;
	if (start < vma->start)
		start = vma->start;
	if (end > vma->end)
		end = vma->end;
	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		uint64_t index = vma->pgoff + ((a - vma->start) >> PAGE_SHIFT);
		struct page *pg;

		if (a == va || pt_lookup(mm->pml4, a, NULL, NULL) == 0)
			continue;
		if (index >= obj->limit)
			break;
		if (memobj_get_page(obj, (uint32_t)index, 0, &pg))
			continue;
		if (pt_map(mm->pml4, a, page_to_phys(pg), prot) < 0) {
			page_put(pg);
			break;
		}
		pg->mapcount++;
		mm_rss_add(mm, mm_rss_kind(vma, pg), 1);
	}
}

static enum fault_result fault_file(struct mm *mm, struct vma *vma,
				    uint64_t va, int write)
{
	uint64_t index = vma->pgoff + ((va - vma->start) >> PAGE_SHIFT);
	int shared = (vma->flags & VMA_SHARED) != 0;
	struct memobj *obj = vma->obj;
	struct page *pg, *copy;
	int err;

	if (index >= obj->limit)
		return FAULT_SIGBUS;
	err = memobj_get_page(obj, (uint32_t)index, MEMOBJ_CREATE, &pg);
	if (err == -ENOMEM)
		return FAULT_OOM;
	if (err)
		return FAULT_SIGBUS;
	if (write && !shared) {
		copy = page_alloc(0, 0);
		if (!copy) {
			page_put(pg);
			return FAULT_OOM;
		}
		memcpy(page_address(copy), page_address(pg), PAGE_SIZE);
		page_put(pg);
		pg = copy;
	}
	if (pt_map(mm->pml4, va, page_to_phys(pg), mm_vma_prot(vma, shared || write)) < 0) {
		page_put(pg);
		return FAULT_OOM;
	}
	pg->mapcount++;
	mm_rss_add(mm, mm_rss_kind(vma, pg), 1);
	if (!write)
		fault_around(mm, vma, va, mm_vma_prot(vma, shared));
	return FAULT_OK;
}

/*
 * A write to the read-only PTE va -> pa in a VMA that allows it (or a
 * loader write): see the diagram above. The new frame is filled before
 * the old mapping goes, and the old frame put only after pt_unmap flushed
 * it. If the new mapping cannot be made (no page table), the page is left
 * absent and the fault reports OOM.
 */
static enum fault_result fault_cow(struct mm *mm, struct vma *vma,
				   uint64_t va, paddr_t pa)
{
	struct page *old = pa == mm_zero_page() ? NULL : phys_to_page(pa);
	struct page *new;

	if (old && old->refcount == 1) {
		pt_protect(mm->pml4, va, mm_vma_prot(vma, 1));
		return FAULT_OK;
	}
	new = page_alloc(0, old ? 0 : GFP_ZERO);
	if (!new)
		return FAULT_OOM;
	if (old)
		memcpy(page_address(new), page_address(old), PAGE_SIZE);
	pt_unmap(mm->pml4, va, NULL);
	if (old) {
		mm_rss_add(mm, mm_rss_kind(vma, old), -1);
		old->mapcount--;
		page_put(old);
	}
	if (pt_map(mm->pml4, va, page_to_phys(new), mm_vma_prot(vma, 1)) < 0) {
		page_put(new);
		return FAULT_OOM;
	}
	new->mapcount = 1;
	mm_rss_add(mm, MM_RSS_ANON, 1);
	return FAULT_OK;
}

/* mm_fault, telling a fault that changed nothing (*spurious) apart. */
static enum fault_result do_fault(struct mm *mm, uint64_t addr, unsigned access,
				  int *si_code, int *spurious)
{
	struct vma *vma = vma_find(&mm->vmas, addr);
	uint64_t va = ALIGN_DOWN(addr, PAGE_SIZE);
	int write = access & (FAULT_WRITE | FAULT_FORCE);
	unsigned prot;
	paddr_t pa;
	int err;

	*spurious = 0;
	if (!vma) {
		vma = vma_find_next(&mm->vmas, addr);
		if (!vma || !(vma->flags & VMA_GROWSDOWN) || addr >= USER_END)
			goto maperr;
		err = stack_expand(mm, vma, addr);
		if (err == -ENOMEM)
			return FAULT_OOM;
		if (err)
			goto maperr;
		vma = vma_find(&mm->vmas, addr);
		if (!vma)
			goto maperr;
	}
	if (!access_ok(vma, access)) {
		if (si_code)
			*si_code = SEGV_ACCERR;
		return FAULT_SIGSEGV;
	}
	if (pt_lookup(mm->pml4, va, &pa, &prot) < 0) {
		if (vma->obj)
			return fault_file(mm, vma, va, write);
		return fault_anon(mm, vma, va, write);
	}
	if (write && !(prot & PT_WRITE)) {
		/* A shared page is never copied: a read-only PTE there is
		 * one made before the VMA became writable. */
		if (vma->flags & VMA_SHARED) {
			pt_protect(mm->pml4, va, mm_vma_prot(vma, 1));
			return FAULT_OK;
		}
		return fault_cow(mm, vma, va, ALIGN_DOWN(pa, PAGE_SIZE));
	}
	*spurious = 1;
	return FAULT_OK;

maperr:
	if (si_code)
		*si_code = SEGV_MAPERR;
	return FAULT_SIGSEGV;
}

enum fault_result mm_fault(struct mm *mm, uint64_t addr, unsigned access,
			   int *si_code)
{
	int spurious;

	return do_fault(mm, addr, access, si_code, &spurious);
}

static unsigned access_of(uint64_t error)
{
	if (error & PF_WRITE)
		return FAULT_WRITE;
	/* The fetch bit is only reported with NX (or SMEP) on. */
	if ((error & PF_FETCH) && cpu_features.nx)
		return FAULT_EXEC;
	return FAULT_READ;
}

/*
 * A user fault the memory layer cannot resolve: keep the record for
 * fault_last, then raise sig through the signal code, which delivers it to
 * a handler or applies the default action on the way out of the trap. Out
 * of memory is not the process's doing and is not catchable: SIGKILL.
 */
static void fault_signal(struct trap_frame *tf, int sig, int code, uint64_t addr)
{
	last_fault = (struct fault_record){
		.pid = current->pid, .signo = sig, .code = code,
		.addr = addr, .ip = tf->rip,
	};
	if (sig == SIGKILL) {
		pr_warn("mm: out of memory: killed pid %d (%s) faulting at %lx\n",
			current->pid, current->name, (unsigned long)addr);
		proc_exit(W_EXITCODE(0, SIGKILL));
	}
	signal_fault(tf, sig, code, addr);
}

int mm_fault_trap(struct trap_frame *tf)
{
	uint64_t addr = read_cr2(), fixup;
	struct mm *mm = current ? current->mm : NULL;
	enum fault_result r;
	int code = 0, spurious;

	if (tf->error & PF_RESERVED)
		return 1;		/* corrupt page tables: report it */
	if (trap_from_user(tf)) {
		if (!mm)
			return 1;	/* a bare page-table process */
		r = do_fault(mm, addr, access_of(tf->error), &code, &spurious);
		switch (r) {
		case FAULT_OK:
			return 0;
		case FAULT_SIGSEGV:
			fault_signal(tf, SIGSEGV, code, addr);
			return 0;
		case FAULT_SIGBUS:
			fault_signal(tf, SIGBUS, BUS_ADRERR, addr);
			return 0;
		case FAULT_OOM:
			/* The largest process goes (or is already going);
			 * the access is retried when it has. Only with no
			 * process to choose does the faulting one die. */
			if (oom_kill() < 0)
				fault_signal(tf, SIGKILL, 0, addr);
			return 0;
		}
		return 1;
	}

	/* Kernel mode: only the copy helpers may touch user memory. A
	 * fault that changed nothing would repeat forever (say, an access
	 * SMAP refused), so it takes the fixup too. */
	fixup = uaccess_fixup(tf->rip);
	if (!fixup || addr >= USER_END)
		return 1;
	if (mm && do_fault(mm, addr, access_of(tf->error), NULL, &spurious) == FAULT_OK &&
	    !spurious)
		return 0;
	tf->rip = fixup;
	return 0;
}
