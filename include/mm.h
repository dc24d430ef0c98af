/* User address spaces: struct mm (mm/mm.c), its mappings (mm/mmap.c:
 * brk, mmap, munmap), page faults (mm/fault.c) and copy-on-write fork
 * (mm/fork.c). The interval logic is vma.h's, the PTE format pgtable.h's,
 * frames page.h's; processes own one struct mm each (proc.h), kernel
 * threads none. Mappings backed by memory objects (files, shared
 * anonymous memory) are set up in mm/filemap.c. */
#ifndef MM_H
#define MM_H
#include <stdint.h>
#include <stddef.h>
#include <layout.h>
#include <vma.h>

struct trap_frame;

/*
 * Layout of a new address space, in this one place until ASLR (see
 * DESIGN.md, "Address space"). Nothing is ever mapped below MM_USER_LOW
 * (Linux's default mmap_min_addr), so NULL and small offsets from it
 * always fault. The VMA tree spans [MM_USER_LOW, MM_USER_TOP); the stack
 * ends at MM_STACK_TOP and the top-down mmap area starts MM_MMAP_GAP
 * below it, leaving room for the stack to grow to its limit.
 */
#define MM_USER_LOW		0x10000ull
#define MM_USER_TOP		0x00007FFFFFFFF000ull
#define MM_STACK_TOP		MM_USER_TOP
#define MM_STACK_LIMIT		(8ull << 20)	/* RLIMIT_STACK default */
#define MM_STACK_GUARD		(256 * PAGE_SIZE)	/* Linux's stack_guard_gap */
#define MM_MMAP_GAP		(128ull << 20)
#define MM_MMAP_BASE		(MM_STACK_TOP - MM_MMAP_GAP)
#define MM_EXE_NAME		128	/* bytes kept of the program's path */

/*
 * ASLR (proc/exec.c, unless "norandmaps" is on the command line): Linux's
 * x86-64 entropy, in pages. The stack top moves down by up to
 * MM_STACK_RND_BITS of pages (16 GiB); the mmap base sits a gap (the
 * stack limit plus guard, at least MM_MMAP_GAP, at most MM_MMAP_GAP_MAX)
 * below that top and a further MM_MMAP_RND_BITS of pages (1 TiB) down;
 * the heap starts up to MM_BRK_RND above the image; a static PIE loads at
 * MM_PIE_BASE plus up to MM_PIE_RND_BITS of pages, which stays below the
 * lowest possible mmap base.
 */
#define MM_STACK_RND_BITS	22
#define MM_MMAP_RND_BITS	28
#define MM_MMAP_GAP_MAX		(MM_USER_TOP / 6)
#define MM_BRK_RND		(32ull << 20)
#define MM_PIE_BASE		0x555555554000ull	/* Linux's ELF_ET_DYN_BASE */
#define MM_PIE_RND_BITS		28

/* si_code values of SIGSEGV (Linux's), in case uapi/signal.h lacks them. */
#include <uapi/signal.h>
#ifndef SEGV_MAPERR
#define SEGV_MAPERR	1	/* no mapping at the address */
#define SEGV_ACCERR	2	/* mapping forbids the access */
#endif

/*
 * One address space. Locking: one CPU and one thread per address space,
 * so the owning process is the only one that changes it (from system
 * calls and from its own faults, which run with interrupts off); kernel
 * code may build or inspect an mm no process runs in (exec, fork, tests).
 * Counters are in pages.
 */
struct mm {
	paddr_t pml4;		/* root of the page tables; fixed for life */
	struct vma_tree vmas;	/* every mapping, inside [MM_USER_LOW, MM_USER_TOP) */
	uint64_t start_brk;	/* heap VMA starts here (page-aligned) */
	uint64_t brk;		/* the break as the program set it; the heap
				   VMA is [start_brk, page-rounded brk) */
	uint64_t mmap_base;	/* top of the top-down mmap area */
	uint64_t stack_top;	/* end of the stack VMA ([stack]) */
	uint64_t stack_limit;	/* RLIMIT_STACK, bytes */
	uint64_t total_vm;	/* pages covered by VMAs */
	uint64_t resident;	/* frames mapped (zero page not counted):
				   rss[MM_RSS_*] summed, VmRSS */
	uint64_t rss[3];	/* by kind: MM_RSS_ANON, _FILE, _SHMEM */
	uint64_t locked_vm;	/* pages in VMA_LOCKED VMAs */
	uint32_t def_flags;	/* VMA_LOCKED... for new mappings (MCL_FUTURE) */
	struct vma_hooks hooks;	/* the tree's, with ctx = this mm, so a
				   VMA's open hook knows its address space */

	/* What exec says about the program, for /proc/<pid>/cmdline and
	 * maps (fs/procfs.c), copied by fork: argv's strings on the stack
	 * are [arg_start, arg_end); the ELF image is [start_code, start_brk)
	 * and came from the file exe_name (absolute, cut to fit; "" if
	 * none). */
	uint64_t arg_start, arg_end;
	uint64_t start_code;
	char exe_name[MM_EXE_NAME];
};

/* Resident-set kinds (RssAnon, RssFile, RssShmem of /proc/<pid>/status):
 * a frame of its own (anonymous memory, a private copy) is anon; a memory
 * object's frame is shmem for shared anonymous memory and /dev/shm files,
 * file otherwise. */
enum { MM_RSS_ANON, MM_RSS_FILE, MM_RSS_SHMEM };
struct page;
int mm_rss_kind(const struct vma *vma, const struct page *pg);
static inline void mm_rss_add(struct mm *mm, int kind, int64_t pages)
{
	mm->rss[kind] += (uint64_t)pages;
	mm->resident += (uint64_t)pages;
}

/* ---- lifetime (mm/mm.c, mm/fork.c) -------------------------------------- */

/* An empty address space: page tables with only the kernel half, no VMAs,
 * the default layout above, no heap until mm_set_brk. 0 and *out, or
 * -ENOMEM. */
int mm_create(struct mm **out);

/* Unmap every VMA (frames lose a reference each, and are freed with the
 * last), free the page tables and mm. mm must not be loaded in CR3. */
void mm_destroy(struct mm *mm);

/* Copy-on-write copy of parent for fork: the same VMAs and page-table
 * entries, no page contents. Private writable pages become read-only in
 * both, with the frame's reference count raised. parent must not be
 * changing meanwhile (it is current, in fork). 0 and *out, or -ENOMEM
 * with parent as it was (apart from pages made read-only, which the next
 * write fault makes writable again). */
int mm_fork(struct mm *parent, struct mm **out);

/* Load mm's page tables (the kernel's for NULL). Interrupts off or on. */
void mm_activate(struct mm *mm);

/* ---- layout set-up, for exec and tests (mm/mmap.c) ---------------------- */

/* Where the heap begins: brk(2) grows up from addr (rounded up to a page).
 * Before any brk call. */
void mm_set_brk(struct mm *mm, uint64_t addr);

/* The main stack: a read-write, grows-down VMA [top - size, top), named
 * [stack], growing on faults up to stack_limit. 0, -EINVAL, -EEXIST or
 * -ENOMEM. */
int mm_setup_stack(struct mm *mm, uint64_t top, uint64_t size);

/* Write n bytes at user address va of mm (current or not), as a loader
 * does: pages are faulted in as for a write, but VMA write protection is
 * not enforced (text is written before it runs). Every page must lie in a
 * VMA. 0, -EFAULT (no VMA) or -ENOMEM. */
int mm_copy_in(struct mm *mm, uint64_t va, const void *src, size_t n);

/* ---- the mmap family (mm/mmap.c) ---------------------------------------- */

/* mmap(2) in mm: anonymous memory, private or shared, and mappings of
 * regular files (mm/filemap.c); Linux flags and errno values. 0 and the
 * address in *out, or -errno. */
int do_mmap(struct mm *mm, uint64_t addr, uint64_t len, unsigned long prot,
	    unsigned long flags, int fd, uint64_t off, uint64_t *out);

/*
 * W^X (mm/wx.c): no user mapping writable and executable at once. The
 * do_* functions are mechanism and map whatever they are given; the
 * system calls ask here first. mm_wx_check: 0, or -EACCES when prot
 * (PROT_*) has both PROT_WRITE and PROT_EXEC and the policy applies to
 * current (it does unless "wx=off" is on the command line or current
 * relaxed it with PR_SET_WX_RELAX); a refusal is logged as a denial of
 * call (a system call's name) in the audit trail. Callers: mmap,
 * mprotect, mremap, shmat (SHM_EXEC on a writable attach). Any context
 * a system call runs in.
 */
int mm_wx_check(unsigned long prot, const char *call);
/* The same for a program image exec is building: the relax never
 * carries over an exec, so only "wx=off" lifts it. */
int mm_wx_check_image(unsigned long prot, const char *path);
/* Whether the policy is on system-wide (no "wx=off"). */
bool wx_enforced(void);

/*
 * Mappings backed by a memory object (mm/filemap.c): a file's pages, or a
 * new object for MAP_SHARED|MAP_ANONYMOUS. Checks fd and flags as
 * mmap(2) does and fills tmpl's flags' sharing bits, obj, pgoff, ops and
 * name, holding one reference on obj and the name that the caller gives
 * back with mm_mapping_put once the VMA is in (its open hook takes its
 * own) or on failure. 0 or -EBADF, -EACCES, -ENODEV, -EINVAL, -ENOMEM.
 */
int mm_mapping_prepare(struct vma *tmpl, uint64_t len, unsigned long prot,
		       unsigned long flags, int fd, uint64_t off);

/*
 * Map an object the caller already holds (System V shm, ipc/shm.c): tmpl
 * carries flags, obj, pgoff, ops and name (the VMA's open hook takes its
 * own references; the caller keeps its). len bytes at addr, replacing
 * what lies there, when fixed; else where mmap's search finds room.
 * mmap's limits and MCL_FUTURE apply. 0 and *out, or -EINVAL, -ENOMEM,
 * -EAGAIN; nothing changed on error.
 */
int mm_map_object(struct mm *mm, struct vma *tmpl, uint64_t addr, uint64_t len,
		  int fixed, uint64_t *out);

/* msync(2) over [addr, addr + len) of mm: 0, -EINVAL, -ENOMEM (part of
 * the range unmapped) or -EBUSY (MS_INVALIDATE on locked memory). */
int do_msync(struct mm *mm, uint64_t addr, uint64_t len, unsigned long flags);
void mm_mapping_put(struct vma *tmpl);

/*
 * What backs user address addr of mm, for names of memory that must be
 * the same in every address space mapping it (shared futex keys): in a
 * shared mapping of an object (VMA_MAYSHARE: a file, POSIX or System V
 * shm, MAP_SHARED|MAP_ANONYMOUS), 0 with *obj referenced (memobj_put it)
 * and the object's page *index; in private memory (anonymous, or a
 * MAP_PRIVATE file), 0 with *obj NULL. -EFAULT when no VMA holds addr or
 * its VMA is PROT_NONE. Nothing is faulted in. Interrupts on or off.
 */
struct memobj;
int mm_shared_backing(struct mm *mm, uint64_t addr, struct memobj **obj,
		      uint64_t *index);

/* Per-VMA operations (vma->ops): told when a VMA struct enters and
 * leaves a tree, after mm/mm.c took or before it drops its reference
 * on vma->obj. Neither may fail. */
struct vma_ops {
	void (*open)(struct vma *vma);
	void (*close)(struct vma *vma);
};

/* munmap(2): 0, -EINVAL (unaligned, empty, outside user space) or
 * -ENOMEM (a VMA could not be split; nothing changed). */
int do_munmap(struct mm *mm, uint64_t addr, uint64_t len);

/* brk(2): the new break, or the unchanged one when addr is below the heap
 * start or the area cannot grow. */
uint64_t do_brk(struct mm *mm, uint64_t addr);

/* ---- protection, advice, locking, remapping, limits --------------------- */

/* mm/mprotect.c, mm/madvise.c, mm/mlock.c, mm/mremap.c: the system calls'
 * work on mm, with Linux's flags and errno values. */
int do_mprotect(struct mm *mm, uint64_t start, uint64_t len, unsigned long prot);
int do_madvise(struct mm *mm, uint64_t start, uint64_t len, int advice);
int do_mincore(struct mm *mm, uint64_t start, uint64_t len, uint64_t uvec);
int do_mlock(struct mm *mm, uint64_t addr, uint64_t len, uint32_t value);
int do_munlock(struct mm *mm, uint64_t addr, uint64_t len);
int do_mlockall(struct mm *mm, int flags);
int do_munlockall(struct mm *mm);
int do_mremap(struct mm *mm, uint64_t addr, uint64_t old_len, uint64_t new_len,
	      unsigned long flags, uint64_t new_addr, uint64_t *out);

/* mm/limits.c. Whether mm, current's, may grow by pages of a mapping with
 * vmflags: 0, -ENOMEM (RLIMIT_AS, or RLIMIT_DATA for private writable
 * memory) or -EAGAIN (VMA_LOCKED beyond RLIMIT_MEMLOCK). Root is bound by
 * the first two only. */
int mm_may_expand(struct mm *mm, uint64_t pages, uint32_t vmflags);

/* Whether pages more may be locked (RLIMIT_MEMLOCK; root always). */
int mm_may_lock(struct mm *mm, uint64_t pages);

/* Fault in [start, end) as MAP_POPULATE does: 0 or -ENOMEM. */
int mm_populate(struct mm *mm, uint64_t start, uint64_t end);

/* ---- faults (mm/fault.c) ------------------------------------------------ */

enum fault_result {
	FAULT_OK,		/* mapped; retry the access */
	FAULT_SIGSEGV,		/* *si_code says MAPERR or ACCERR */
	FAULT_SIGBUS,		/* object has no page there (file mappings) */
	FAULT_OOM,		/* no frame or page table to be had */
};

/* Access kinds for mm_fault. */
#define FAULT_READ	0x0
#define FAULT_WRITE	0x1
#define FAULT_EXEC	0x2
#define FAULT_FORCE	0x4	/* loader write: ignore VMA protection */

/* Resolve a fault at addr for the access: find the VMA (growing a stack
 * down to it), check the protection, then fill on demand or break COW.
 * Interrupts off. *si_code (may be NULL) gets SEGV_MAPERR/ACCERR. */
enum fault_result mm_fault(struct mm *mm, uint64_t addr, unsigned access,
			   int *si_code);

/* The #PF handler (trap_set_handler(VEC_PF)): user faults in a process
 * with an mm are resolved or end it; kernel faults at a uaccess
 * instruction on a user address are resolved or fixed up to -EFAULT.
 * Returns nonzero for everything else (the default report and panic, or
 * for user faults without an mm, proc_user_fault). */
int mm_fault_trap(struct trap_frame *tf);

/*
 * Until signals exist, a fault that would raise SIGSEGV/SIGBUS ends the
 * process with that signal's status, and one that finds no memory ends
 * it with SIGKILL's (the OOM killer choosing a victim is to come). What
 * a siginfo would carry is kept here, for the last such fault, so the
 * signal code (force_sig_fault) and tests can see it.
 */
struct fault_record {
	int pid;
	int signo;		/* SIGSEGV, SIGBUS or SIGKILL (out of memory) */
	int code;		/* si_code: SEGV_MAPERR, SEGV_ACCERR, or 0 */
	uint64_t addr;		/* si_addr: the faulting address */
	uint64_t ip;
};

void fault_last(struct fault_record *out);

/* ---- internal to mm/ (mm.c, fault.c, mmap.c, fork.c, uaccess.c) --------- */

/* The shared zero page: backs every untouched read of private anonymous
 * memory, never written, never counted. */
paddr_t mm_zero_page(void);

/* PT_* bits for a page of vma (writable only when write is set and the
 * VMA allows it: COW and zero pages map read-only). */
unsigned mm_vma_prot(const struct vma *vma, int write);

/* Drop the page mappings of [start, end) (inside one VMA), with one TLB
 * flush, then their frame references; page tables left empty are freed.
 * The cost follows the page tables under the range, not its length. */
void mm_zap_range(struct mm *mm, uint64_t start, uint64_t end);

/* The fixup address of a uaccess instruction at ip, or 0 (mm/uaccess.c). */
uint64_t uaccess_fixup(uint64_t ip);

#endif
