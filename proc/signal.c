/* Signals: per-process actions, pending and blocked sets, sending (kill
 * and the kernel's own), user exceptions as signals, job-control stops,
 * delivery on the way back to user mode with a Linux x86-64 rt_sigframe,
 * rt_sigreturn, and the signal system calls. Interval timers are in
 * proc/itimer.c; wait4 reads stop reports through signal_wait_report. */
#include <signal.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <trap.h>
#include <uaccess.h>
#include <kmalloc.h>
#include <printk.h>
#include <string.h>
#include <stddef.h>
#include <uapi/errno.h>
#include <uapi/wait.h>

_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t");
_Static_assert(offsetof(siginfo_t, si_pid) == 16, "si_pid");
_Static_assert(offsetof(siginfo_t, si_status) == 24, "si_status");
_Static_assert(offsetof(siginfo_t, si_utime) == 32, "si_utime");
_Static_assert(offsetof(siginfo_t, si_addr) == 16, "si_addr");
_Static_assert(sizeof(stack_t) == 24, "stack_t");
_Static_assert(sizeof(struct sigaction) == 32, "sigaction");
_Static_assert(sizeof(struct sigcontext) == 256, "sigcontext");
_Static_assert(offsetof(struct sigcontext, fpstate) == 184, "fpstate");
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "fpx_sw_bytes");
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 40, "uc_mcontext");
_Static_assert(offsetof(struct ucontext, uc_sigmask) == 296, "uc_sigmask");
_Static_assert(offsetof(struct rt_sigframe, uc) == 8, "rt_sigframe.uc");
_Static_assert(offsetof(struct rt_sigframe, info) == 312, "rt_sigframe.info");
_Static_assert(KSIGINFO_BYTES <= sizeof(siginfo_t), "ksiginfo");

#define RFLAGS_CF	(1ul << 0)
#define RFLAGS_RESERVED	(1ul << 1)
#define RFLAGS_PF	(1ul << 2)
#define RFLAGS_AF	(1ul << 4)
#define RFLAGS_ZF	(1ul << 6)
#define RFLAGS_SF	(1ul << 7)
#define RFLAGS_TF	(1ul << 8)
#define RFLAGS_IF	(1ul << 9)
#define RFLAGS_DF	(1ul << 10)
#define RFLAGS_OF	(1ul << 11)
#define RFLAGS_RF	(1ul << 16)
#define RFLAGS_AC	(1ul << 18)
/* What a signal frame may change in RFLAGS: IF, IOPL, NT stay ours. */
#define RFLAGS_USER	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | \
			 RFLAGS_TF | RFLAGS_DF | RFLAGS_OF | RFLAGS_RF | RFLAGS_AC)

#define REDZONE		128		/* below rsp, the SysV ABI's leaf scratch */
#define FXSAVE_SIZE	512
#define FX_MXCSR	24
#define FX_MXCSR_MASK	28
#define XSAVE_HDR	512		/* XSTATE_BV, XCOMP_BV, reserved: 64 bytes */

/* Default actions, by set. SIGCONT's "continue" happens when it is sent;
 * delivered, it is ignored like the IGNORE set. */
#define SIG_CORE_SET	(sigmask(SIGQUIT) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
			 sigmask(SIGABRT) | sigmask(SIGBUS) | sigmask(SIGFPE) | \
			 sigmask(SIGSEGV) | sigmask(SIGSYS) | sigmask(SIGXCPU) | \
			 sigmask(SIGXFSZ))
#define SIG_IGNORE_SET	(sigmask(SIGCHLD) | sigmask(SIGURG) | sigmask(SIGWINCH) | \
			 sigmask(SIGCONT))
#define SIG_STOP_SET	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | \
			 sigmask(SIGTTOU))
/* Raised by the instruction that just ran: delivered before the rest,
 * so the frame describes the faulting instruction. */
#define SIG_SYNC_SET	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | \
			 sigmask(SIGTRAP) | sigmask(SIGFPE) | sigmask(SIGSYS))

#define WAIT_CONTINUED	0xffff

static inline bool sig_valid(int sig)
{
	return sig >= 1 && sig < NSIG;
}

static inline bool sig_in(int sig, sigset_t set)
{
	return (set & sigmask(sig)) != 0;
}

static inline struct sigaction *sig_action(struct signal_state *s, int sig)
{
	return &s->action[sig - 1];
}

/* Whether sig, sent now, would do nothing at all (so it is not queued).
 * Blocked signals are kept whatever their action: it may change. */
static bool sig_ignored(struct signal_state *s, int sig)
{
	uint64_t h = sig_action(s, sig)->sa_handler;

	if (sig_in(sig, s->blocked))
		return false;
	return h == SIG_IGN || (h == SIG_DFL && sig_in(sig, SIG_IGNORE_SET));
}

/* ---- lifetime --------------------------------------------------------- */

int signal_init(struct proc *p)
{
	struct signal_state *s = kzalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->owner = p;
	s->altstack.ss_flags = SS_DISABLE;
	waitq_init(&s->pause_wq);
	qlink_init(&s->itimer_link);
	p->signal = s;
	return 0;
}

void signal_free(struct proc *p)
{
	if (!p->signal)
		return;
	itimer_cancel(p);
	kfree(p->signal);
	p->signal = NULL;
}

void signal_fork(struct proc *child, struct proc *parent)
{
	struct signal_state *c = child->signal, *s = parent->signal;

	if (!c || !s)
		return;
	memcpy(c->action, s->action, sizeof(c->action));
	c->blocked = s->blocked;
	c->altstack = s->altstack;
}

void signal_exec(struct proc *p)
{
	struct signal_state *s = p->signal;

	if (!s)
		return;
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction *ka = sig_action(s, sig);

		if (ka->sa_handler != SIG_IGN)
			ka->sa_handler = SIG_DFL;
		ka->sa_flags = 0;
		ka->sa_restorer = 0;
		ka->sa_mask = 0;
	}
	s->altstack = (stack_t){ .ss_flags = SS_DISABLE };
	s->restore_mask = false;
}

/* ---- sending ------------------------------------------------------ */

static void ksiginfo_store(struct ksiginfo *k, int sig, const siginfo_t *info)
{
	siginfo_t def;

	if (!info) {
		memset(&def, 0, sizeof(def));
		def.si_code = SI_KERNEL;
		info = &def;
	}
	memcpy(k->bytes, info, KSIGINFO_BYTES);
	memcpy(k->bytes, &sig, sizeof(int));	/* si_signo comes first */
}

/*
 * Tell p's parent that p stopped, continued or ended: wake its wait4 and
 * send SIGCHLD with code (CLD_*) and status (the si_status: exit code or
 * signal). Stops and continues send nothing with SA_NOCLDSTOP. [irq]
 */
static void signal_notify_parent(struct proc *p, int code, int status)
{
	struct proc *parent = p->parent;
	siginfo_t info;

	if (!parent)
		return;
	wake_up_all(&parent->child_exit);
	if ((code == CLD_STOPPED || code == CLD_CONTINUED) && parent->signal &&
	    (sig_action(parent->signal, SIGCHLD)->sa_flags & SA_NOCLDSTOP))
		return;
	memset(&info, 0, sizeof(info));
	info.si_code = code;
	info.si_pid = p->pid;
	info.si_uid = p->cred.uid;
	info.si_status = status;
	signal_send(parent, SIGCHLD, &info);
}

/* What sending sig does before it is queued: stop and continue cancel
 * each other; SIGCONT and SIGKILL wake a stopped process. [irq] */
static void signal_prepare(struct proc *p, int sig)
{
	struct signal_state *s = p->signal;

	if (sig_in(sig, SIG_STOP_SET)) {
		s->pending &= ~sigmask(SIGCONT);
	} else if (sig == SIGCONT) {
		s->pending &= ~SIG_STOP_SET;
		if (p->state == PROC_STOPPED) {
			s->wait_report = WAIT_CONTINUED;
			sched_continue(p);
			signal_notify_parent(p, CLD_CONTINUED, SIGCONT);
		}
	} else if (sig == SIGKILL && p->state == PROC_STOPPED) {
		sched_continue(p);
	}
}

int signal_send(struct proc *p, int sig, const siginfo_t *info)
{
	struct signal_state *s = p->signal;
	uint64_t flags;

	if (!sig_valid(sig))
		return -EINVAL;
	if (!s)
		return 0;
	flags = irq_save();
	if (p->state == PROC_ZOMBIE || p->state == PROC_DEAD)
		goto out;
	signal_prepare(p, sig);
	if (sig_ignored(s, sig))
		goto out;
	if (!sig_in(sig, s->pending)) {
		s->pending |= sigmask(sig);
		ksiginfo_store(&s->info[sig - 1], sig, info);
	}
	/* A spurious wake-up is harmless to every sleeper (each re-checks
	 * its condition); an interruptible one sees the signal. */
	if (!sig_in(sig, s->blocked) && p->state == PROC_SLEEPING)
		sched_wake(p);
out:
	irq_restore(flags);
	return 0;
}

bool signal_pending(struct proc *p)
{
	struct signal_state *s = p->signal;

	return s && (s->pending & ~s->blocked);
}

/* ---- kill ----------------------------------------------------------- */

/* The sender may signal p: root, or its real or effective uid is p's
 * real or saved one; SIGCONT also within the session. */
static bool kill_permitted(struct proc *p, int sig)
{
	const struct cred *c = &current->cred, *t = &p->cred;

	if (c->euid == 0)
		return true;
	if (c->euid == t->uid || c->euid == t->suid ||
	    c->uid == t->uid || c->uid == t->suid)
		return true;
	return sig == SIGCONT && p->sid == current->sid;
}

/* One target of kill: 0, or -EPERM. Kernel threads ignore user signals,
 * and pid 1 everything it has no handler for, as Linux's init does. */
static int kill_one(struct proc *p, int sig, const siginfo_t *info)
{
	if (!kill_permitted(p, sig))
		return -EPERM;
	if (sig == 0 || (p->flags & PF_KTHREAD) || !p->signal)
		return 0;
	if (p->pid == 1 && sig_action(p->signal, sig)->sa_handler == SIG_DFL)
		return 0;
	return signal_send(p, sig, info);
}

struct kill_walk {
	int pid, sig;
	const siginfo_t *info;
	int found, sent, err;
};

/* For proc_for_each, interrupts off: pid 0 (the sender's group), -1
 * (everyone but pid 1 and the sender) or -pgid. */
static int kill_visit(struct proc *p, void *arg)
{
	struct kill_walk *w = arg;
	int err;

	if (p->pid == 0 || (p->flags & PF_KTHREAD) || p->state == PROC_ZOMBIE ||
	    p->state == PROC_DEAD)
		return 0;
	if (w->pid == 0 && p->pgid != current->pgid)
		return 0;
	if (w->pid == -1 && (p->pid == 1 || p == current))
		return 0;
	if (w->pid < -1 && p->pgid != -w->pid)
		return 0;
	w->found++;
	err = kill_one(p, w->sig, w->info);
	if (err)
		w->err = err;
	else
		w->sent++;
	return 0;
}

static int do_kill(int pid, int sig, int code)
{
	struct kill_walk w = { .pid = pid, .sig = sig };
	siginfo_t info;
	uint64_t flags;
	int err;

	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_pid = current->pid;
	info.si_uid = current->cred.uid;
	w.info = &info;
	if (pid > 0) {
		struct proc *p;

		flags = irq_save();
		p = proc_find(pid);
		err = p ? kill_one(p, sig, &info) : -ESRCH;
		irq_restore(flags);
		return err;
	}
	if (pid == INT32_MIN)
		return -ESRCH;
	proc_for_each(kill_visit, &w);
	if (!w.found)
		return -ESRCH;
	return w.sent ? 0 : w.err;
}

int signal_kill(int pid, int sig)
{
	return do_kill(pid, sig, SI_USER);
}

/* ---- user exceptions --------------------------------------------- */

/* si_code for an x87 (#MF) or SIMD (#XM) exception from the unmasked
 * flags (IE, DE, ZE, OE, UE, PE in bits 0..5 of both). */
static int fpe_code(uint64_t vector)
{
	unsigned err;

	if (vector == VEC_XM) {
		uint32_t mxcsr;

		__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
		err = mxcsr & ~(mxcsr >> 7);
	} else {
		uint16_t sw, cw;

		__asm__ volatile("fnstsw %0; fnstcw %1" : "=m"(sw), "=m"(cw));
		err = sw & ~cw;
	}
	if (err & 0x01)
		return FPE_FLTINV;
	if (err & 0x04)
		return FPE_FLTDIV;
	if (err & 0x08)
		return FPE_FLTOVF;
	if (err & 0x12)
		return FPE_FLTUND;
	if (err & 0x20)
		return FPE_FLTRES;
	return FPE_FLTUNK;
}

void signal_fault(struct trap_frame *tf, int sig, int code, uint64_t addr)
{
	struct signal_state *s = current->signal;
	struct sigaction *ka;
	siginfo_t info;
	uint64_t flags;

	/* The kernel log only hears about faults nobody catches. */
	if (!s || sig_action(s, sig)->sa_handler <= SIG_IGN || sig_in(sig, s->blocked))
		pr_info("pid %d (%s): %s at %lx ip %lx error %lx, signal %d\n",
			current->pid, current->name, trap_mnemonic(tf->vector),
			(unsigned long)addr, (unsigned long)tf->rip,
			(unsigned long)tf->error, sig);
	if (!s)
		proc_exit(W_EXITCODE(0, sig) | W_COREFLAG);
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = addr;
	flags = irq_save();
	s->fault_trapno = tf->vector;
	s->fault_err = tf->error;
	s->fault_cr2 = tf->vector == VEC_PF ? addr : 0;
	ka = sig_action(s, sig);
	if (ka->sa_handler == SIG_IGN || sig_in(sig, s->blocked)) {
		ka->sa_handler = SIG_DFL;
		s->blocked &= ~sigmask(sig);
	}
	signal_send(current, sig, &info);
	irq_restore(flags);
}

void signal_user_trap(struct trap_frame *tf)
{
	int sig = proc_fault_signal(tf->vector), code = SI_KERNEL;
	uint64_t addr = 0;

	switch (tf->vector) {
	case VEC_PF:
		addr = read_cr2();
		code = tf->error & PF_PRESENT ? SEGV_ACCERR : SEGV_MAPERR;
		break;
	case VEC_UD:
		code = ILL_ILLOPN;
		addr = tf->rip;
		break;
	case VEC_DE:
		code = FPE_INTDIV;
		addr = tf->rip;
		break;
	case VEC_MF: case VEC_XM:
		code = fpe_code(tf->vector);
		addr = tf->rip;
		break;
	case VEC_DB:
		code = TRAP_TRACE;
		break;
	case VEC_AC:
		code = BUS_ADRALN;
		break;
	}
	signal_fault(tf, sig, code, addr);
}

/* ---- the FPU image in a frame --------------------------------------- */

static bool fpu_is_xsave(void)
{
	return fpu_area_size() > FXSAVE_SIZE;
}

static uint64_t xcr0_read(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* The MXCSR bits this CPU accepts (FXSAVE's MXCSR_MASK; 0 there means
 * the architectural default). Loading any other bit would #GP. */
static uint32_t mxcsr_mask(void)
{
	static uint32_t mask;
	static uint8_t buf[FXSAVE_SIZE] __attribute__((aligned(16)));

	if (!mask) {
		uint64_t flags = irq_save();

		__asm__ volatile("fxsave64 %0" : "=m"(buf));
		irq_restore(flags);
		memcpy(&mask, buf + FX_MXCSR_MASK, sizeof(mask));
		if (!mask)
			mask = 0xFFBF;
	}
	return mask;
}

/*
 * Save the live user FPU state at fp (64-byte aligned, room for the
 * area plus, under XSAVE, FP_XSTATE_MAGIC2). Under XSAVE the software
 * bytes of the legacy area describe the image, as Linux's do. 0 or
 * -EFAULT.
 */
static int fpu_save_to_user(uint64_t fp)
{
	size_t size = fpu_area_size();
	uint8_t *area = current->fpu;
	uint32_t magic2 = FP_XSTATE_MAGIC2;
	uint64_t flags = irq_save();

	/* If a switch happens before the copy, it saves the same state. */
	fpu_save(area);
	irq_restore(flags);
	if (fpu_is_xsave()) {
		struct fpx_sw_bytes sw = {
			.magic1 = FP_XSTATE_MAGIC1,
			.extended_size = size + sizeof(magic2),
			.xfeatures = xcr0_read(),
			.xstate_size = size,
		};

		/* Bytes 464..511 are never read or written by the CPU. */
		memcpy(area + FPX_SW_BYTES_OFFSET, &sw, sizeof(sw));
		if (copy_to_user(fp + size, &magic2, sizeof(magic2)))
			return -EFAULT;
	}
	return copy_to_user(fp, area, size);
}

/* Load the live FPU registers from area, the current process's own. */
static void fpu_load_current(const void *area)
{
	uint64_t flags = irq_save();

	memcpy(current->fpu, area, fpu_area_size());
	fpu_restore(current->fpu);
	irq_restore(flags);
}

/* A clean FPU for a handler, or for a frame without an image. */
static void fpu_clean_current(void)
{
	uint64_t flags = irq_save();

	fpu_reset(current->fpu);
	fpu_restore(current->fpu);
	irq_restore(flags);
}

/*
 * Load the FPU state from the user image at fp, made safe first: only
 * MXCSR bits the CPU has, and an XSAVE header in standard form naming
 * only enabled features (anything else would fault in the kernel). An
 * image without UC_FP_XSTATE is a legacy FXSAVE one. 0 or -errno.
 */
static int fpu_restore_from_user(uint64_t fp, uint64_t uc_flags)
{
	size_t size = fpu_area_size(), n = size;
	uint8_t *buf = fpu_alloc();
	uint32_t mxcsr;
	int err = -ENOMEM;

	if (!buf)
		return err;
	if (fpu_is_xsave() && !(uc_flags & UC_FP_XSTATE))
		n = FXSAVE_SIZE;
	err = copy_from_user(buf, fp, n);
	if (err)
		goto out_free;
	memcpy(&mxcsr, buf + FX_MXCSR, sizeof(mxcsr));
	mxcsr &= mxcsr_mask();
	memcpy(buf + FX_MXCSR, &mxcsr, sizeof(mxcsr));
	if (fpu_is_xsave()) {
		uint64_t bv;

		memcpy(&bv, buf + XSAVE_HDR, sizeof(bv));
		if (n == FXSAVE_SIZE)
			bv = 0x3;		/* x87 and SSE from the legacy area */
		bv &= xcr0_read();
		memset(buf + XSAVE_HDR, 0, 64);
		memcpy(buf + XSAVE_HDR, &bv, sizeof(bv));
	}
	fpu_load_current(buf);
out_free:
	fpu_free(buf);
	return err;
}

/* ---- frames ---------------------------------------------------------- */

static bool on_altstack(struct signal_state *s, uint64_t sp)
{
	const stack_t *a = &s->altstack;

	if (a->ss_flags & SS_DISABLE)
		return false;
	return sp > a->ss_sp && sp - a->ss_sp <= a->ss_size;
}

/* The altstack as sigaltstack and uc_stack report it for user sp. */
static stack_t altstack_report(struct signal_state *s, uint64_t sp)
{
	stack_t st = s->altstack;

	if (on_altstack(s, sp))
		st.ss_flags = SS_ONSTACK | (st.ss_flags & SS_AUTODISARM);
	st.__pad = 0;
	return st;
}

static void sigcontext_fill(struct sigcontext *sc, const struct trap_frame *tf,
			    struct signal_state *s, sigset_t oldmask, uint64_t fp)
{
	sc->r8 = tf->r8;
	sc->r9 = tf->r9;
	sc->r10 = tf->r10;
	sc->r11 = tf->r11;
	sc->r12 = tf->r12;
	sc->r13 = tf->r13;
	sc->r14 = tf->r14;
	sc->r15 = tf->r15;
	sc->rdi = tf->rdi;
	sc->rsi = tf->rsi;
	sc->rbp = tf->rbp;
	sc->rbx = tf->rbx;
	sc->rdx = tf->rdx;
	sc->rax = tf->rax;
	sc->rcx = tf->rcx;
	sc->rsp = tf->rsp;
	sc->rip = tf->rip;
	sc->eflags = tf->rflags;
	sc->cs = SEL_UCODE;
	sc->ss = SEL_UDATA;
	sc->err = s->fault_err;
	sc->trapno = s->fault_trapno;
	sc->oldmask = oldmask;
	sc->cr2 = s->fault_cr2;
	sc->fpstate = fp;
}

/*
 * Build the frame for a handler of sig and point tf at the handler:
 *
 *	old rsp - 128 (red zone), or the top of the alternate stack
 *	  FPU image (+ magic2), 64-byte aligned
 *	  struct rt_sigframe: pretcode (= sa_restorer), ucontext, siginfo
 *	rsp -> pretcode, with rsp + 8 16-byte aligned as after a call
 *
 * rdi = sig, rsi = &info, rdx = &uc, rax = 0, a clean FPU. 0 or -EFAULT
 * (no restorer, or the stack cannot be written).
 */
static int signal_setup_frame(struct trap_frame *tf, int sig, const siginfo_t *info,
			      struct sigaction *ka)
{
	struct signal_state *s = current->signal;
	size_t fpsize = fpu_area_size() + (fpu_is_xsave() ? sizeof(uint32_t) : 0);
	uint64_t sp = tf->rsp, fp, frame;
	struct rt_sigframe f;
	bool to_altstack;

	if (!(ka->sa_flags & SA_RESTORER))
		return -EFAULT;
	to_altstack = (ka->sa_flags & SA_ONSTACK) && !(s->altstack.ss_flags & SS_DISABLE) &&
		      !on_altstack(s, sp);
	if (to_altstack)
		sp = s->altstack.ss_sp + s->altstack.ss_size;
	else
		sp -= REDZONE;
	fp = (sp - fpsize) & ~63ull;
	frame = ((fp - sizeof(f)) & ~15ull) - 8;
	if (sp >= USER_END || frame >= sp)
		return -EFAULT;

	memset(&f, 0, sizeof(f));
	f.pretcode = ka->sa_restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS |
			(fpu_is_xsave() ? UC_FP_XSTATE : 0);
	f.uc.uc_stack = altstack_report(s, tf->rsp);
	f.uc.uc_sigmask = s->restore_mask ? s->saved_mask : s->blocked;
	sigcontext_fill(&f.uc.uc_mcontext, tf, s, f.uc.uc_sigmask, fp);
	f.info = *info;
	if (fpu_save_to_user(fp) || copy_to_user(frame, &f, sizeof(f)))
		return -EFAULT;

	if (to_altstack && (s->altstack.ss_flags & SS_AUTODISARM))
		s->altstack = (stack_t){ .ss_flags = SS_DISABLE };
	tf->rdi = sig;
	tf->rsi = frame + offsetof(struct rt_sigframe, info);
	tf->rdx = frame + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rsp = frame;
	tf->rip = ka->sa_handler;
	tf->cs = SEL_UCODE;
	tf->ss = SEL_UDATA;
	tf->rflags &= ~(RFLAGS_TF | RFLAGS_DF | RFLAGS_RF);
	tf->error = (uint64_t)-1;	/* no longer inside a system call */
	fpu_clean_current();
	return 0;
}

/* After a frame for sig: block sa_mask and sig (unless SA_NODEFER), put
 * back any rt_sigsuspend mask (it is in the frame), and SA_RESETHAND. */
static void signal_delivered(int sig, struct sigaction *ka)
{
	struct signal_state *s = current->signal;
	sigset_t add = ka->sa_mask | (ka->sa_flags & SA_NODEFER ? 0 : sigmask(sig));
	uint64_t flags = irq_save();

	if (s->restore_mask)
		s->blocked = s->saved_mask;
	s->restore_mask = false;
	s->blocked |= add & ~SIG_UNBLOCKABLE;
	if (ka->sa_flags & SA_RESETHAND)
		ka->sa_handler = SIG_DFL;
	irq_restore(flags);
}

/* Stop current for sig until SIGCONT or SIGKILL; the parent hears of it. */
static void signal_stop(int sig)
{
	struct signal_state *s = current->signal;
	uint64_t flags = irq_save();

	if (!(s->pending & (sigmask(SIGKILL) | sigmask(SIGCONT)))) {
		s->wait_report = W_STOPCODE(sig);
		signal_notify_parent(current, CLD_STOPPED, sig);
		sched_stop_current();
	}
	irq_restore(flags);
}

/* Do what sig's action says, for current, interrupts on. Does not
 * return when it kills. */
static void signal_act(struct trap_frame *tf, int sig, const siginfo_t *info)
{
	struct sigaction *ka = sig_action(current->signal, sig);

	if (ka->sa_handler == SIG_IGN)
		return;
	if (ka->sa_handler == SIG_DFL) {
		if (sig_in(sig, SIG_IGNORE_SET))
			return;
		if (sig_in(sig, SIG_STOP_SET)) {
			signal_stop(sig);
			return;
		}
		proc_exit(W_EXITCODE(0, sig) | (sig_in(sig, SIG_CORE_SET) ? W_COREFLAG : 0));
	}
	if (signal_setup_frame(tf, sig, info, ka) < 0) {
		pr_info("pid %d (%s): cannot build a frame for signal %d at sp %lx\n",
			current->pid, current->name, sig, (unsigned long)tf->rsp);
		proc_exit(W_EXITCODE(0, SIGSEGV) | W_COREFLAG);
	}
	signal_delivered(sig, ka);
}

/* The lowest deliverable signal, synchronous ones first; 0 if none. */
static int signal_next(struct signal_state *s)
{
	sigset_t m = s->pending & ~s->blocked;

	if (!m)
		return 0;
	if (m & SIG_SYNC_SET)
		m &= SIG_SYNC_SET;
	return __builtin_ctzll(m) + 1;
}

/* Take sig off the pending set, its siginfo into *info. [irq] */
static void signal_dequeue(struct signal_state *s, int sig, siginfo_t *info)
{
	memset(info, 0, sizeof(*info));
	memcpy(info, s->info[sig - 1].bytes, KSIGINFO_BYTES);
	s->pending &= ~sigmask(sig);
}

void signal_return(struct trap_frame *tf)
{
	struct signal_state *s = current->signal;
	siginfo_t info;
	int sig;

	for (;;) {
		while (sched_need_resched())
			schedule();
		if (!s)
			return;
		sig = signal_next(s);
		if (!sig) {
			/* rt_sigsuspend without a handler run: its mask goes,
			 * which may make something deliverable. */
			if (!s->restore_mask)
				return;
			s->restore_mask = false;
			s->blocked = s->saved_mask;
			continue;
		}
		signal_dequeue(s, sig, &info);
		irq_enable();
		signal_act(tf, sig, &info);
		irq_disable();
	}
}

int signal_wait_report(struct proc *child, int options, int *status)
{
	struct signal_state *s = child->signal;
	int r = s ? s->wait_report : 0;

	if (!r || child->state == PROC_ZOMBIE || child->state == PROC_DEAD)
		return 0;
	if (r == WAIT_CONTINUED ? !(options & WCONTINUED) : !(options & WUNTRACED))
		return 0;
	*status = r;
	if (!(options & WNOWAIT))
		s->wait_report = 0;
	return 1;
}

void signal_exit(struct proc *p, int status)
{
	int code, st;

	itimer_cancel(p);
	if (p->signal)
		p->signal->wait_report = 0;
	if (WIFEXITED(status)) {
		code = CLD_EXITED;
		st = WEXITSTATUS(status);
	} else {
		code = status & W_COREFLAG ? CLD_DUMPED : CLD_KILLED;
		st = WTERMSIG(status);
	}
	signal_notify_parent(p, code, st);
}

/* ---- rt_sigreturn ------------------------------------------------- */

/* sigaltstack's checks and update, for current at user sp: 0 or -errno. */
static int altstack_set(struct signal_state *s, const stack_t *ss, uint64_t sp)
{
	int mode = ss->ss_flags & ~SS_AUTODISARM;

	if (on_altstack(s, sp))
		return -EPERM;
	if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		s->altstack = (stack_t){ .ss_flags = SS_DISABLE };
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	if (ss->ss_sp >= USER_END || ss->ss_size > USER_END - ss->ss_sp)
		return -EINVAL;
	s->altstack.ss_sp = ss->ss_sp;
	s->altstack.ss_size = ss->ss_size;
	s->altstack.ss_flags = ss->ss_flags & SS_AUTODISARM;
	return 0;
}

/* Registers, flags, mask, altstack and FPU from uc into tf: 0 or
 * -EFAULT (a rip or rsp outside user space, an unreadable FPU image). */
static int signal_restore(struct trap_frame *tf, const struct ucontext *uc)
{
	const struct sigcontext *sc = &uc->uc_mcontext;
	struct signal_state *s = current->signal;
	uint64_t flags;

	if (sc->rip >= USER_END || sc->rsp >= USER_END)
		return -EFAULT;
	tf->r8 = sc->r8;
	tf->r9 = sc->r9;
	tf->r10 = sc->r10;
	tf->r11 = sc->r11;
	tf->r12 = sc->r12;
	tf->r13 = sc->r13;
	tf->r14 = sc->r14;
	tf->r15 = sc->r15;
	tf->rdi = sc->rdi;
	tf->rsi = sc->rsi;
	tf->rbp = sc->rbp;
	tf->rbx = sc->rbx;
	tf->rdx = sc->rdx;
	tf->rax = sc->rax;
	tf->rcx = sc->rcx;
	tf->rsp = sc->rsp;
	tf->rip = sc->rip;
	tf->rflags = (tf->rflags & ~RFLAGS_USER) | (sc->eflags & RFLAGS_USER) |
		     RFLAGS_IF | RFLAGS_RESERVED;
	tf->cs = SEL_UCODE;
	tf->ss = SEL_UDATA;
	tf->error = (uint64_t)-1;

	flags = irq_save();
	s->blocked = uc->uc_sigmask & ~SIG_UNBLOCKABLE;
	s->restore_mask = false;
	irq_restore(flags);
	/* As Linux does, a bad altstack in the frame is not an error. */
	(void)altstack_set(s, &uc->uc_stack, tf->rsp);
	if (!sc->fpstate) {
		fpu_clean_current();
		return 0;
	}
	return fpu_restore_from_user(sc->fpstate, uc->uc_flags) ? -EFAULT : 0;
}

/* The handler returned into sa_restorer, which popped pretcode: the
 * frame starts 8 below rsp. The result is the restored rax, which the
 * dispatcher stores back; the way out is iretq unless sysret happens to
 * restore this frame exactly. */
SYSCALL_DEFINE(rt_sigreturn)
{
	struct trap_frame *tf = proc_frame(current);
	uint64_t frame = tf->rsp - 8;
	struct ucontext uc;

	if (copy_from_user(&uc, frame + offsetof(struct rt_sigframe, uc), sizeof(uc)) ||
	    signal_restore(tf, &uc)) {
		pr_info("pid %d (%s): bad rt_sigreturn frame at %lx\n",
			current->pid, current->name, (unsigned long)frame);
		proc_exit(W_EXITCODE(0, SIGSEGV) | W_COREFLAG);
	}
	return tf->rax;
}

/* ---- system calls ----------------------------------------------------- */

/* rt_sigaction(sig, act, oact, sigsetsize). Making a signal ignored
 * drops it if pending, blocked or not. */
SYSCALL_DEFINE(rt_sigaction)
{
	struct signal_state *s = current->signal;
	int sig = (int)a0;
	struct sigaction new, old;
	uint64_t flags;

	if (a3 != sizeof(sigset_t) || !sig_valid(sig) || !s)
		return -EINVAL;
	if (a1 && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a1 && copy_from_user(&new, a1, sizeof(new)))
		return -EFAULT;
	old = *sig_action(s, sig);
	if (a1) {
		new.sa_mask &= ~SIG_UNBLOCKABLE;
		flags = irq_save();
		*sig_action(s, sig) = new;
		if (new.sa_handler == SIG_IGN ||
		    (new.sa_handler == SIG_DFL && sig_in(sig, SIG_IGNORE_SET)))
			s->pending &= ~sigmask(sig);
		irq_restore(flags);
	}
	if (a2 && copy_to_user(a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize) */
SYSCALL_DEFINE(rt_sigprocmask)
{
	struct signal_state *s = current->signal;
	sigset_t set, old;
	uint64_t flags;

	if (a3 != sizeof(sigset_t) || !s)
		return -EINVAL;
	if (a1 && copy_from_user(&set, a1, sizeof(set)))
		return -EFAULT;
	flags = irq_save();
	old = s->blocked;
	if (a1) {
		switch (a0) {
		case SIG_BLOCK:
			set |= old;
			break;
		case SIG_UNBLOCK:
			set = old & ~set;
			break;
		case SIG_SETMASK:
			break;
		default:
			irq_restore(flags);
			return -EINVAL;
		}
		s->blocked = set & ~SIG_UNBLOCKABLE;
	}
	irq_restore(flags);
	if (a2 && copy_to_user(a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* rt_sigpending(set, sigsetsize): pending and blocked. */
SYSCALL_DEFINE(rt_sigpending)
{
	struct signal_state *s = current->signal;
	sigset_t set;

	if (a1 > sizeof(sigset_t) || !s)
		return -EINVAL;
	set = s->pending & s->blocked;
	return copy_to_user(a0, &set, a1) ? -EFAULT : 0;
}

/* rt_sigsuspend(mask, sigsetsize): sleep with mask until a signal;
 * always -EINTR. The old mask is what the handler's frame saves, and is
 * back in force once the handler returns. */
SYSCALL_DEFINE(rt_sigsuspend)
{
	struct signal_state *s = current->signal;
	sigset_t mask;
	uint64_t flags;

	if (a1 != sizeof(sigset_t) || !s)
		return -EINVAL;
	if (copy_from_user(&mask, a0, sizeof(mask)))
		return -EFAULT;
	flags = irq_save();
	s->saved_mask = s->blocked;
	s->restore_mask = true;
	s->blocked = mask & ~SIG_UNBLOCKABLE;
	irq_restore(flags);
	return wait_event_interruptible(&s->pause_wq, false);
}

SYSCALL_DEFINE(pause)
{
	struct signal_state *s = current->signal;

	if (!s)
		return -EINVAL;
	return wait_event_interruptible(&s->pause_wq, false);
}

/* sigaltstack(ss, old_ss) */
SYSCALL_DEFINE(sigaltstack)
{
	struct signal_state *s = current->signal;
	uint64_t sp = proc_frame(current)->rsp;
	stack_t ss, old;
	int err;

	if (!s)
		return -EINVAL;
	old = altstack_report(s, sp);
	if (a0) {
		if (copy_from_user(&ss, a0, sizeof(ss)))
			return -EFAULT;
		err = altstack_set(s, &ss, sp);
		if (err)
			return err;
	}
	if (a1 && copy_to_user(a1, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(kill)
{
	return do_kill((int)a0, (int)a1, SI_USER);
}

/* One thread per process: a tid is a pid, and the thread group of a
 * thread is itself. */
SYSCALL_DEFINE(tkill)
{
	if ((int)a0 <= 0)
		return -EINVAL;
	return do_kill((int)a0, (int)a1, SI_TKILL);
}

SYSCALL_DEFINE(tgkill)
{
	if ((int)a0 <= 0 || (int)a1 <= 0)
		return -EINVAL;
	if (a0 != a1) {
		if ((int)a2 < 0 || (int)a2 >= NSIG)
			return -EINVAL;
		return -ESRCH;
	}
	return do_kill((int)a1, (int)a2, SI_TKILL);
}
