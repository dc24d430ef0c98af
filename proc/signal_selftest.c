/* In-kernel self-tests of signals (test boot entry, run by kmain as
 * pid 1): handlers and their frames, sigreturn, faults caught and not,
 * masks, SA_* flags, default actions and their wait statuses, stop and
 * continue, timers, interrupted sleeps, kill permissions and SIGCHLD.
 * The user programs are in proc/signal_selftest.asm. */
#include <selftest.h>
#include <signal.h>
#include <proc.h>
#include <sched.h>
#include <timer.h>
#include <page.h>
#include <pgtable.h>
#include <kmalloc.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/wait.h>

#define MS		1000000ull

/* signal_selftest.asm's addresses and data-page offsets. */
#define STEST_CODE	0x400000ul
#define STEST_DATA	0x600000ul
#define STEST_ALT	0x610000ul
#define STEST_STACK	0x7FFFFFFFD000ul	/* two pages; rsp at their end */
#define STEST_NPAGES	7
#define STEST_CODE_PAGES 2

enum {
	D_COUNT = 0, D_SIG = 8, D_SIGNO = 16, D_CODE = 24, D_PID = 32,
	D_ADDR = 40, D_RSP = 48, D_MASK = 56, D_DEPTH = 64, D_MAXDEPTH = 72,
	D_PEND = 80, D_TRAPNO = 88, D_RESUME = 96, D_COUNTER = 104,
	D_SSFLAGS = 112, D_PARAM = 120, D_CODE_A = 128, D_ADDR_A = 136,
};

extern const char stest_blob[], stest_blob_end[];
extern const char stest_basic[], stest_segv[], stest_resethand[], stest_nodefer[],
	stest_blocked[], stest_raise[], stest_badstack[], stest_spin[], stest_timers[],
	stest_altstack[], stest_perm[], stest_fpstate[], stest_badrip[];

static const struct {
	uint64_t va;
	unsigned prot;
} stest_layout[STEST_NPAGES] = {
	{ STEST_CODE, PT_USER | PT_EXEC },
	{ STEST_DATA, PT_USER | PT_WRITE },
	{ STEST_ALT, PT_USER | PT_WRITE },
	{ STEST_ALT + PAGE_SIZE, PT_USER | PT_WRITE },
	{ STEST_STACK, PT_USER | PT_WRITE },
	{ STEST_STACK + PAGE_SIZE, PT_USER | PT_WRITE },
	{ STEST_CODE + PAGE_SIZE, PT_USER | PT_EXEC },
};

struct stest {
	paddr_t root;
	struct page *pg[STEST_NPAGES];
	int pid;
	struct proc *p;		/* good until reaped */
};

static uint64_t settled_free(void)
{
	kmem_shrink_all();
	return page_free_count();
}

static uint64_t stest_data(struct stest *t, unsigned off)
{
	return *(volatile uint64_t *)((char *)page_address(t->pg[1]) + off);
}

static void stest_free_pages(struct stest *t)
{
	for (int i = 0; i < STEST_NPAGES; i++) {
		if (t->pg[i])
			page_free(t->pg[i], 0);
		t->pg[i] = NULL;
	}
}

/* A fresh space with the programs, data, alternate stack and stack. */
static int stest_space(struct stest *t)
{
	int err;

	memset(t->pg, 0, sizeof(t->pg));
	err = pt_create(&t->root);
	if (err)
		return err;
	for (int i = 0; i < STEST_NPAGES; i++) {
		t->pg[i] = page_alloc(0, GFP_ZERO);
		err = -ENOMEM;
		if (!t->pg[i])
			goto out_free;
		err = pt_map(t->root, stest_layout[i].va, page_to_phys(t->pg[i]),
			     stest_layout[i].prot);
		if (err)
			goto out_free;
	}
	/* The blob spans two code pages, which need not be adjacent. */
	err = -E2BIG;
	if ((size_t)(stest_blob_end - stest_blob) > STEST_CODE_PAGES * PAGE_SIZE)
		goto out_free;
	memcpy(page_address(t->pg[0]), stest_blob, PAGE_SIZE);
	memcpy(page_address(t->pg[STEST_NPAGES - 1]), stest_blob + PAGE_SIZE,
	       stest_blob_end - stest_blob - PAGE_SIZE);
	return 0;

out_free:
	pt_destroy(t->root);
	stest_free_pages(t);
	return err;
}

/* Start entry as a child of current, with D_PARAM = param and, when uid
 * is nonzero, every uid set to it before it first runs. */
static int stest_start(struct stest *t, const char *entry, uint64_t param, uint32_t uid)
{
	int err = stest_space(t);

	if (err)
		return err;
	*(uint64_t *)((char *)page_address(t->pg[1]) + D_PARAM) = param;
	preempt_disable();
	err = proc_spawn_user(&t->p, "stest", t->root, STEST_CODE + (entry - stest_blob),
			      STEST_STACK + 2 * PAGE_SIZE);
	if (err) {
		preempt_enable();
		pt_destroy(t->root);
		stest_free_pages(t);
		return err;
	}
	t->pid = t->p->pid;
	if (uid) {
		t->p->cred.uid = t->p->cred.euid = t->p->cred.suid = uid;
		t->p->cred.gid = t->p->cred.egid = t->p->cred.sgid = uid;
	}
	preempt_enable();
	return 0;
}

/* Reap t's process (its exit freed the page tables): the wait status. */
static int stest_wait(struct stest *t)
{
	int st = -1;

	if (proc_wait(t->pid, &st) != t->pid)
		st = -1;
	return st;
}

/* Run entry to its end: the wait status; the data page stays readable
 * until stest_free_pages. */
static int stest_run(struct stest *t, const char *entry, uint64_t param, uint32_t uid)
{
	int st;

	if (stest_start(t, entry, param, uid))
		return -1;
	st = stest_wait(t);
	if (st != 0)
		printk("  wait status %#x\n", st);
	return st;
}

SELFTEST(signal_handler_frame_and_sigreturn)
{
	uint64_t before = settled_free();
	struct stest t;
	int st = stest_run(&t, stest_basic, 0, 0);
	uint64_t sig = stest_data(&t, D_SIG), signo = stest_data(&t, D_SIGNO);
	uint64_t code = stest_data(&t, D_CODE), pid = stest_data(&t, D_PID);
	uint64_t rsp = stest_data(&t, D_RSP), mask = stest_data(&t, D_MASK);

	stest_free_pages(&t);
	ST_ASSERT(st == 0);
	ST_ASSERT(sig == SIGUSR1 && signo == SIGUSR1);
	ST_ASSERT(code == SI_USER && pid == (uint64_t)t.pid);
	ST_ASSERT(rsp % 16 == 8);
	ST_ASSERT(rsp < STEST_STACK + 2 * PAGE_SIZE - 128);
	ST_ASSERT(mask == sigmask(SIGUSR1));
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* Caught SIGSEGV (MAPERR, ACCERR), SIGILL, SIGFPE with the right
 * si_code/si_addr, recovered by editing the saved rip; then a SIGSEGV
 * while SIGSEGV is blocked kills with a core status. */
SELFTEST(signal_fault_handlers_recover)
{
	uint64_t before = settled_free();
	struct stest t;
	int st = stest_run(&t, stest_segv, 0, 0);
	uint64_t code = stest_data(&t, D_CODE_A), addr = stest_data(&t, D_ADDR_A);
	uint64_t count = stest_data(&t, D_COUNT);

	stest_free_pages(&t);
	ST_ASSERT(st == (SIGSEGV | W_COREFLAG));
	ST_ASSERT(code == SEGV_MAPERR && addr == 0xdead000);
	ST_ASSERT(count == 4);
	ST_ASSERT(settled_free() == before);
	return 0;
}

SELFTEST(signal_sa_resethand)
{
	uint64_t before = settled_free();
	struct stest t;
	int st = stest_run(&t, stest_resethand, 0, 0);
	uint64_t count = stest_data(&t, D_COUNT);

	stest_free_pages(&t);
	ST_ASSERT(st == SIGUSR2);
	ST_ASSERT(count == 1);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* The programs check themselves: exit 0 means every step held. */
SELFTEST(signal_masks_nodefer_ignore_altstack_fpu)
{
	static const char *const progs[] = {
		stest_nodefer, stest_blocked, stest_altstack, stest_fpstate,
	};
	uint64_t before = settled_free();

	for (unsigned i = 0; i < ARRAY_SIZE(progs); i++) {
		struct stest t;
		int st = stest_run(&t, progs[i], 0, 0);

		stest_free_pages(&t);
		if (st != 0)
			printk("  program %u failed\n", i);
		ST_ASSERT(st == 0);
	}
	ST_ASSERT(settled_free() == before);
	return 0;
}

SELFTEST(signal_default_actions)
{
	static const struct {
		const char *entry;
		int sig, status;
	} cases[] = {
		{ stest_raise, SIGTERM, SIGTERM },
		{ stest_raise, SIGUSR1, SIGUSR1 },
		{ stest_raise, SIGKILL, SIGKILL },
		{ stest_raise, SIGALRM, SIGALRM },
		{ stest_raise, SIGQUIT, SIGQUIT | W_COREFLAG },
		{ stest_raise, SIGABRT, SIGABRT | W_COREFLAG },
		{ stest_raise, SIGSEGV, SIGSEGV | W_COREFLAG },
		{ stest_raise, SIGCHLD, W_EXITCODE(99, 0) },	/* ignored */
		{ stest_raise, SIGCONT, W_EXITCODE(99, 0) },	/* not stopped */
		{ stest_raise, SIGURG, W_EXITCODE(99, 0) },
		{ stest_badstack, 0, SIGSEGV | W_COREFLAG },	/* no room for a frame */
		{ stest_badrip, 0, SIGSEGV | W_COREFLAG },	/* bad sigreturn */
	};
	uint64_t before = settled_free();

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct stest t;
		int st;

		ST_ASSERT(stest_start(&t, cases[i].entry, cases[i].sig, 0) == 0);
		st = stest_wait(&t);
		stest_free_pages(&t);
		if (st != cases[i].status)
			printk("  case %u: status %#x, expected %#x\n", i, st, cases[i].status);
		ST_ASSERT(st == cases[i].status);
		ST_ASSERT(WIFSIGNALED(st) == (cases[i].status != W_EXITCODE(99, 0)));
	}
	ST_ASSERT(settled_free() == before);
	return 0;
}

static enum proc_state state_of(struct proc *p)
{
	return *(volatile enum proc_state *)&p->state;
}

/* Poll until p is (or, with want false, is no longer) STOPPED: 0 or -1. */
static int wait_stopped(struct proc *p, bool want)
{
	for (int i = 0; i < 200; i++) {
		if ((state_of(p) == PROC_STOPPED) == want)
			return 0;
		sleep_until_ns(clock_monotonic_ns() + 5 * MS, SLEEP_UNINTERRUPTIBLE);
	}
	return -1;
}

static void pause_ms(uint64_t ms)
{
	sleep_until_ns(clock_monotonic_ns() + ms * MS, SLEEP_UNINTERRUPTIBLE);
}

static int stop_continue_steps(struct stest *t)
{
	uint64_t c0;
	int st = 0;

	while (stest_data(t, D_COUNTER) == 0)
		pause_ms(5);
	ST_ASSERT(signal_kill(t->pid, SIGSTOP) == 0);
	ST_ASSERT(wait_stopped(t->p, true) == 0);
	uint64_t flags = irq_save();
	int got = signal_wait_report(t->p, WUNTRACED, &st);
	int again = signal_wait_report(t->p, WUNTRACED, &st);
	irq_restore(flags);
	ST_ASSERT(got == 1 && st == W_STOPCODE(SIGSTOP) && again == 0);
	c0 = stest_data(t, D_COUNTER);
	pause_ms(30);
	ST_ASSERT(stest_data(t, D_COUNTER) == c0);

	ST_ASSERT(signal_kill(t->pid, SIGCONT) == 0);
	ST_ASSERT(wait_stopped(t->p, false) == 0);
	flags = irq_save();
	got = signal_wait_report(t->p, WCONTINUED, &st);
	irq_restore(flags);
	ST_ASSERT(got == 1 && st == 0xffff);
	pause_ms(30);
	ST_ASSERT(stest_data(t, D_COUNTER) != c0);

	/* SIGTSTP stops too; SIGKILL ends a stopped process. */
	ST_ASSERT(signal_kill(t->pid, SIGTSTP) == 0);
	ST_ASSERT(wait_stopped(t->p, true) == 0);
	ST_ASSERT(signal_kill(t->pid, SIGKILL) == 0);
	return 0;
}

SELFTEST(signal_stop_continue_kill)
{
	uint64_t before = settled_free();
	struct stest t;
	int failed, st;

	ST_ASSERT(stest_start(&t, stest_spin, 0, 0) == 0);
	failed = stop_continue_steps(&t);
	if (failed)
		signal_kill(t.pid, SIGKILL);
	st = stest_wait(&t);
	stest_free_pages(&t);
	ST_ASSERT(!failed);
	ST_ASSERT(st == SIGKILL);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* setitimer/getitimer, nanosleep cut short (-EINTR, rem), alarm, pause,
 * a periodic timer and rt_sigsuspend: checked by the program. */
SELFTEST(signal_timers_and_interrupted_sleeps)
{
	uint64_t before = settled_free();
	struct stest t;
	int st = stest_run(&t, stest_timers, 0, 0);

	stest_free_pages(&t);
	ST_ASSERT(st == 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}

static int interruptible_sleeper(void *arg)
{
	uint64_t t0 = clock_monotonic_ns();
	int err = sleep_until_ns(t0 + 5000 * MS, SLEEP_INTERRUPTIBLE);

	(void)arg;
	if (err != -EINTR)
		return 1;
	return clock_monotonic_ns() - t0 < 2000 * MS ? 0 : 2;
}

/* A kernel-side interruptible sleep ends with -EINTR on a signal. */
SELFTEST(signal_interrupts_sleep)
{
	uint64_t before = settled_free();
	struct proc *p = kthread_create("sleeper", interruptible_sleeper, NULL);
	int pid, st = -1;

	ST_ASSERT(p);
	pid = p->pid;
	pause_ms(20);
	ST_ASSERT(signal_send(p, SIGUSR1, NULL) == 0);
	ST_ASSERT(proc_wait(pid, &st) == pid);
	ST_ASSERT(st == W_EXITCODE(0, 0));
	ST_ASSERT(settled_free() == before);
	return 0;
}

SELFTEST(signal_kill_permissions)
{
	uint64_t before = settled_free();
	struct stest t;
	int st = stest_run(&t, stest_perm, 0, 1000);

	stest_free_pages(&t);
	ST_ASSERT(st == 0);
	ST_ASSERT(signal_kill(PID_MAX + 5, 0) == -ESRCH);
	ST_ASSERT(signal_kill(-31000, SIGTERM) == -ESRCH);	/* no such group */
	ST_ASSERT(signal_kill(1, NSIG) == -EINVAL);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* A parent that blocks SIGCHLD finds it pending after its child exits,
 * with the child's pid and exit code. Runs as a kernel thread, so that
 * the child's parent has state of its own to look at. */
static int sigchld_parent(void *arg)
{
	struct signal_state *s = current->signal;
	struct stest *t = arg;
	siginfo_t info;
	int st;

	s->blocked |= sigmask(SIGCHLD);
	if (stest_start(t, stest_raise, SIGCHLD, 0))
		return 1;
	st = stest_wait(t);
	if (st != W_EXITCODE(99, 0))
		return 2;
	if (!(s->pending & sigmask(SIGCHLD)))
		return 3;
	memset(&info, 0, sizeof(info));
	memcpy(&info, s->info[SIGCHLD - 1].bytes, KSIGINFO_BYTES);
	if (info.si_signo != SIGCHLD || info.si_code != CLD_EXITED)
		return 4;
	if (info.si_pid != t->pid || info.si_status != 99)
		return 5;
	return 0;
}

SELFTEST(signal_sigchld_to_parent)
{
	uint64_t before = settled_free();
	struct stest t;
	struct proc *p;
	int pid, st = -1;

	memset(&t, 0, sizeof(t));
	p = kthread_create("sigchld", sigchld_parent, &t);
	ST_ASSERT(p);
	pid = p->pid;
	ST_ASSERT(proc_wait(pid, &st) == pid);
	stest_free_pages(&t);
	if (st)
		printk("  status %#x\n", st);
	ST_ASSERT(st == W_EXITCODE(0, 0));
	ST_ASSERT(settled_free() == before);
	return 0;
}
