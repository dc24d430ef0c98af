/* System calls: the syscall/sysret MSRs and GS bases, the dispatch table
 * over the Linux x86-64 numbers, the choice between sysret and iret on
 * the way out, and the calls that need neither files nor VMAs: ids,
 * credentials, sched_yield, exit, nanosleep. Entry: syscall_entry.asm. */
#include <syscall.h>
#include <audit.h>
#include <proc.h>
#include <uaccess.h>
#include <panic.h>
#include <sched.h>
#include <trap.h>
#include <cpu.h>
#include <io.h>
#include <timer.h>
#include <pgtable.h>
#include <signal.h>
#include <string.h>
#include <stddef.h>
#include <uapi/errno.h>
#include <uapi/time.h>
#include <uapi/unistd.h>
#include <uapi/wait.h>

#define MSR_STAR		0xC0000081
#define MSR_LSTAR		0xC0000082
#define MSR_FMASK		0xC0000084
#define MSR_GS_BASE		0xC0000101
#define MSR_KERNEL_GS_BASE	0xC0000102
#define EFER_SCE		(1ul << 0)

#define RFLAGS_TF	(1ul << 8)
#define RFLAGS_IF	(1ul << 9)
#define RFLAGS_DF	(1ul << 10)
#define RFLAGS_IOPL	(3ul << 12)
#define RFLAGS_NT	(1ul << 14)
#define RFLAGS_RF	(1ul << 16)
#define RFLAGS_AC	(1ul << 18)

/* sysret only below the last user page: a sysret to a non-canonical
 * rip faults in ring 0 on Intel, and Linux keeps the last page out too. */
#define SYSRET_RIP_END	(USER_END - PAGE_SIZE)
#define NSEC_PER_SEC	1000000000L

/* sysret loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8, both | 3;
 * syscall loads CS = STAR[47:32] and SS = that + 8. */
#define STAR_SYSRET_BASE 0x10
_Static_assert((STAR_SYSRET_BASE + 16) == (SEL_UCODE & ~3), "sysret CS");
_Static_assert((STAR_SYSRET_BASE + 8) == (SEL_UDATA & ~3), "sysret SS");
_Static_assert(SEL_KCODE + 8 == SEL_KDATA, "syscall SS");
_Static_assert(offsetof(struct percpu, kstack_top) == PERCPU_KSTACK_TOP, "asm");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "asm");
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "asm");
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "asm");

void syscall_entry(void);			/* syscall_entry.asm */
static void syscall_table_init(void);
int syscall_dispatch(struct trap_frame *tf);

void syscall_init(void)
{
	syscall_table_init();
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)STAR_SYSRET_BASE << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC |
			 RFLAGS_NT | RFLAGS_IOPL);
	/* Kernel mode runs with GS at the per-CPU area; user mode's GS base
	 * starts at zero, parked in KERNEL_GS_BASE until the first swapgs. */
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

/* ---- the calls ------------------------------------------------------ */

SYSCALL_DEFINE(getpid)  { return current->pid; }
SYSCALL_DEFINE(gettid)  { return current->pid; }	/* one thread per process */
SYSCALL_DEFINE(getuid)  { return current->cred.uid; }
SYSCALL_DEFINE(geteuid) { return current->cred.euid; }
SYSCALL_DEFINE(getgid)  { return current->cred.gid; }
SYSCALL_DEFINE(getegid) { return current->cred.egid; }

SYSCALL_DEFINE(getppid)
{
	uint64_t flags = irq_save();
	int ppid = current->parent ? current->parent->pid : 0;

	irq_restore(flags);
	return ppid;
}

SYSCALL_DEFINE(sched_yield)
{
	sched_yield();
	return 0;
}

/* exit ends the thread and exit_group the process: the same while each
 * process has one thread. */
SYSCALL_DEFINE(exit)
{
	proc_exit(W_EXITCODE((int)a0, 0));
}

SYSCALL_DEFINE(exit_group)
{
	proc_exit(W_EXITCODE((int)a0, 0));
}

/* nanosleep(req, rem): CLOCK_MONOTONIC, like Linux. rem is written only
 * when a signal cuts the sleep short. */
SYSCALL_DEFINE(nanosleep)
{
	struct timespec ts;
	uint64_t ns, deadline, now;
	int err = copy_from_user(&ts, a0, sizeof(ts));

	if (err)
		return err;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	now = clock_monotonic_ns();
	/* Centuries are as good as forever: clamp instead of overflowing. */
	if ((uint64_t)ts.tv_sec > (UINT64_MAX / 2 - now) / NSEC_PER_SEC - 1)
		ns = UINT64_MAX / 2 - now;
	else
		ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	deadline = now + ns;
	err = sleep_until_ns(deadline, SLEEP_INTERRUPTIBLE);
	if (err == -EINTR && a1) {
		now = clock_monotonic_ns();
		ns = deadline > now ? deadline - now : 0;
		ts.tv_sec = ns / NSEC_PER_SEC;
		ts.tv_nsec = ns % NSEC_PER_SEC;
		if (copy_to_user(a1, &ts, sizeof(ts)) < 0)
			return -EFAULT;
	}
	return err;
}

/* Filled by syscall_init from the .syscalls section. */
static syscall_fn syscall_table[NR_SYSCALLS];
extern const struct syscall_def __syscalls_start[], __syscalls_end[];

static void syscall_table_init(void)
{
	for (const struct syscall_def *d = __syscalls_start; d < __syscalls_end; d++) {
		if (d->nr >= NR_SYSCALLS || syscall_table[d->nr])
			panic("syscall %s (%u) out of range or defined twice", d->name, d->nr);
		syscall_table[d->nr] = d->fn;
	}
}

/* ---- dispatch ------------------------------------------------------- */

/* Whether sysretq would restore tf exactly (see syscall.h). */
static int sysret_ok(const struct trap_frame *tf)
{
	return tf->rcx == tf->rip && tf->r11 == tf->rflags &&
	       tf->rip < SYSRET_RIP_END &&
	       tf->cs == SEL_UCODE && tf->ss == SEL_UDATA &&
	       !(tf->rflags & (RFLAGS_TF | RFLAGS_RF));
}

/*
 * From syscall_entry with interrupts on and tf at the top of current's
 * kernel stack (tf->error holds the number). Runs the call, stores its
 * result in tf->rax, takes any reschedule that is due, and returns with
 * interrupts off: 1 to leave by sysretq, 0 by iretq.
 */
int syscall_dispatch(struct trap_frame *tf)
{
	uint64_t nr = tf->error;
	long ret = -ENOSYS;

	if (nr < NR_SYSCALLS && syscall_table[nr])
		ret = syscall_table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	tf->rax = ret;
	/* The audit trail's one hook: a compare and a branch when it is
	 * off (tf alone is passed, so nothing else stays live across). */
	if (unlikely(audit_enabled))
		audit_syscall(tf);
	irq_disable();
	while (sched_need_resched())
		schedule();
	signal_return(tf);
	return sysret_ok(tf);
}
