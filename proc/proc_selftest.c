/* In-kernel self-tests of processes and the scheduler (test boot entry,
 * run by kmain as pid 1): wait queues, preemption, timed sleep, kernel
 * thread exit and wait, and user mode: system calls, SSE state across
 * switches, faults that kill only the process, and no frames leaked. The
 * user programs are in proc/user_selftest.asm. */
#include <selftest.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <timer.h>
#include <page.h>
#include <pgtable.h>
#include <kmalloc.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/wait.h>

#define MS	1000000ull

static uint64_t settled_free(void)
{
	kmem_shrink_all();
	return page_free_count();
}

/* ---- kernel threads ------------------------------------------------ */

#define PP_ROUNDS 100

static struct waitq pp_wq = WAITQ_INIT(pp_wq);
static volatile int pp_turn;

/* Thread me (0 or 1) may only move on turns of its parity: the two have
 * to hand the turn back and forth through the wait queue. */
static int pp_thread(void *arg)
{
	int me = (int)(uintptr_t)arg;

	for (int i = 0; i < PP_ROUNDS; i++) {
		wait_event(&pp_wq, pp_turn % 2 == me);
		pp_turn++;
		wake_up_all(&pp_wq);
	}
	return 10 + me;
}

SELFTEST(sched_waitq_pingpong)
{
	uint64_t before = settled_free();
	struct proc *a, *b;
	int pa, pb, st = -1;

	pp_turn = 0;
	a = kthread_create("ping", pp_thread, (void *)0);
	ST_ASSERT(a);
	b = kthread_create("pong", pp_thread, (void *)1);
	ST_ASSERT(b);
	pa = a->pid;
	pb = b->pid;
	ST_ASSERT(pa != pb && pa > 1 && pb > 1);
	ST_ASSERT(proc_wait(pa, &st) == pa);
	ST_ASSERT(st == W_EXITCODE(10, 0));
	ST_ASSERT(proc_wait(-1, &st) == pb);
	ST_ASSERT(st == W_EXITCODE(11, 0));
	ST_ASSERT(pp_turn == 2 * PP_ROUNDS);
	ST_ASSERT(proc_wait(-1, NULL) == -ECHILD);
	ST_ASSERT(proc_wait(pa, NULL) == -ECHILD);
	ST_ASSERT(settled_free() == before);
	return 0;
}

static int exit_with_arg(void *arg)
{
	return (int)(uintptr_t)arg;
}

/* Pids go upwards and are not handed out again until they wrap; exit
 * codes are truncated to 8 bits as Linux does. */
SELFTEST(proc_pids_and_exit_codes)
{
	uint64_t before = settled_free();
	int first = 0, pid, st;

	for (int i = 0; i < 5; i++) {
		struct proc *p = kthread_create("exiter", exit_with_arg, (void *)(uintptr_t)(0x100 + i));

		ST_ASSERT(p);
		pid = p->pid;
		ST_ASSERT(proc_find(pid) == p);
		ST_ASSERT(i == 0 || pid == first + i);
		if (i == 0)
			first = pid;
		ST_ASSERT(proc_wait(pid, &st) == pid);
		ST_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == i);
		ST_ASSERT(proc_find(pid) == NULL);
	}
	ST_ASSERT(proc_wait(0, NULL) == -EINVAL);
	ST_ASSERT(proc_find(1) == current);
	ST_ASSERT(settled_free() == before);
	return 0;
}

static volatile bool spin_stop;
static volatile uint64_t spin_count[2];

/* Never yields, never sleeps: only the tick can take the CPU away. */
static int spinner(void *arg)
{
	int i = (int)(uintptr_t)arg;

	while (!spin_stop)
		spin_count[i]++;
	return 0;
}

SELFTEST(sched_preemption)
{
	uint64_t before = settled_free();
	uint64_t t0, dt, c0, c1;
	struct proc *a, *b;
	int pa, pb;

	spin_stop = false;
	spin_count[0] = spin_count[1] = 0;
	a = kthread_create("spin0", spinner, (void *)0);
	ST_ASSERT(a);
	pa = a->pid;
	b = kthread_create("spin1", spinner, (void *)1);
	if (!b)
		spin_stop = true;
	ST_ASSERT(b);
	pb = b->pid;
	/* kmain itself only gets back if the spinners are preempted. */
	t0 = clock_monotonic_ns();
	sleep_until_ns(t0 + 200 * MS, SLEEP_UNINTERRUPTIBLE);
	dt = clock_monotonic_ns() - t0;
	c0 = spin_count[0];
	c1 = spin_count[1];
	spin_stop = true;
	ST_ASSERT(proc_wait(pa, NULL) == pa);
	ST_ASSERT(proc_wait(pb, NULL) == pb);
	printk("  spinners counted %lu and %lu in %lu ms\n", (unsigned long)c0,
	       (unsigned long)c1, (unsigned long)(dt / MS));
	ST_ASSERT(c0 > 0 && c1 > 0);
	ST_ASSERT(dt >= 200 * MS);	/* how late is the host's business */
	ST_ASSERT(settled_free() == before);
	return 0;
}

static volatile uint64_t sleeper_woke_at;

static int sleeper(void *arg)
{
	sleep_until_ns((uint64_t)(uintptr_t)arg, SLEEP_UNINTERRUPTIBLE);
	sleeper_woke_at = clock_monotonic_ns();
	return 0;
}

/* Never early, and in deadline order. No upper bounds: the clock is
 * real, and an emulated machine on a loaded host may be held up for any
 * time (the printed figures show how late). */
SELFTEST(sched_sleep_accuracy)
{
	static const uint64_t ms[] = { 10, 50, 100 };
	uint64_t before = settled_free();
	uint64_t t0, dt, deadline, main_woke;
	struct proc *p;
	int pid;

	for (unsigned i = 0; i < ARRAY_SIZE(ms); i++) {
		t0 = clock_monotonic_ns();
		ST_ASSERT(sleep_until_ns(t0 + ms[i] * MS, SLEEP_INTERRUPTIBLE) == 0);
		dt = clock_monotonic_ns() - t0;
		printk("  slept %lu us for %lu ms\n", (unsigned long)(dt / 1000),
		       (unsigned long)ms[i]);
		ST_ASSERT(dt >= ms[i] * MS);
	}
	/* Two sleepers: the earlier deadline wakes first, whatever the
	 * order they went to sleep in. */
	sleeper_woke_at = 0;
	t0 = clock_monotonic_ns();
	deadline = t0 + 30 * MS;
	p = kthread_create("sleeper", sleeper, (void *)(uintptr_t)deadline);
	ST_ASSERT(p);
	pid = p->pid;
	sleep_until_ns(t0 + 60 * MS, SLEEP_UNINTERRUPTIBLE);
	main_woke = clock_monotonic_ns();
	/* Reaped before any check, so a failure leaves no process behind.
	 * Should both deadlines pass in one late tick, the sleeper is still
	 * woken, and so runs, first. */
	ST_ASSERT(proc_wait(pid, NULL) == pid);
	ST_ASSERT(sleeper_woke_at >= deadline && sleeper_woke_at <= main_woke);
	/* A deadline in the past returns at once. */
	ST_ASSERT(sleep_until_ns(t0, SLEEP_UNINTERRUPTIBLE) == 0);
	ST_ASSERT(settled_free() == before);
	return 0;
}

/* ---- user mode ----------------------------------------------------- */

extern const char utest_blob[], utest_blob_end[];
extern const char utest_main[], utest_segv[], utest_wrcode[], utest_ud[], utest_div[];

#define UTEST_PARAMS	0x800		/* user_selftest.asm */
#define UTEST_CODE_VA	0x400000ul
#define UTEST_STACK_VA	0x7FFFFFFFE000ul	/* one page; rsp at its end */

struct utest_params {
	uint64_t pid, ppid, value, status;
};

struct utest {
	paddr_t root;
	struct page *code, *stack;
	int pid;
};

/* An address space with the test programs at UTEST_CODE_VA (user,
 * executable, read-only) and a stack page (user, writable, no exec). */
static int utest_space(struct utest *u)
{
	int err = pt_create(&u->root);

	if (err)
		return err;
	err = -ENOMEM;
	u->code = page_alloc(0, GFP_ZERO);
	if (!u->code)
		goto out_destroy;
	u->stack = page_alloc(0, GFP_ZERO);
	if (!u->stack)
		goto out_free_code;
	memcpy(page_address(u->code), utest_blob, utest_blob_end - utest_blob);
	err = pt_map(u->root, UTEST_CODE_VA, page_to_phys(u->code), PT_USER | PT_EXEC);
	if (err)
		goto out_free_stack;
	err = pt_map(u->root, UTEST_STACK_VA, page_to_phys(u->stack), PT_USER | PT_WRITE);
	if (err)
		goto out_unmap_code;
	return 0;

out_unmap_code:
	pt_unmap(u->root, UTEST_CODE_VA, NULL);
out_free_stack:
	page_free(u->stack, 0);
out_free_code:
	page_free(u->code, 0);
out_destroy:
	pt_destroy(u->root);
	return err;
}

/*
 * Start entry in a fresh space. The parameters are written after the
 * spawn (the pid is not known before) with preemption held, so the
 * process cannot run before they are in place.
 */
static int utest_start(struct utest *u, const char *name, const char *entry,
		       uint64_t value, uint64_t status)
{
	struct utest_params *prm;
	struct proc *p;
	int err = utest_space(u);

	if (err)
		return err;
	prm = (struct utest_params *)((char *)page_address(u->code) + UTEST_PARAMS);
	preempt_disable();
	err = proc_spawn_user(&p, name, u->root,
			      UTEST_CODE_VA + (entry - utest_blob),
			      UTEST_STACK_VA + PAGE_SIZE);
	if (err) {
		preempt_enable();
		pt_destroy(u->root);
		page_free(u->code, 0);
		page_free(u->stack, 0);
		return err;
	}
	u->pid = prm->pid = p->pid;
	prm->ppid = current->pid;
	prm->value = value;
	prm->status = status;
	preempt_enable();
	return 0;
}

/* Reap u's process (its exit freed the page tables) and free its frames. */
static int utest_finish(struct utest *u)
{
	int st = -1;

	if (proc_wait(u->pid, &st) != u->pid)
		st = -1;
	page_free(u->code, 0);
	page_free(u->stack, 0);
	return st;
}

SELFTEST(user_syscalls_and_sse)
{
	uint64_t before = settled_free();
	struct utest a, b;
	int sa, sb;

	ST_ASSERT(utest_start(&a, "utest-a", utest_main, 0x1111222233334444ull, 42) == 0);
	if (utest_start(&b, "utest-b", utest_main, 0x0505060607070808ull, 43) != 0) {
		utest_finish(&a);
		ST_ASSERT(!"second process");
	}
	sa = utest_finish(&a);
	sb = utest_finish(&b);
	printk("  exit statuses %#x and %#x\n", sa, sb);
	ST_ASSERT(sa == W_EXITCODE(42, 0));
	ST_ASSERT(sb == W_EXITCODE(43, 0));
	ST_ASSERT(settled_free() == before);
	return 0;
}

SELFTEST(user_faults_kill_only_the_process)
{
	static const struct {
		const char *name;
		const char *entry;
		int sig;
	} cases[] = {
		{ "utest-segv", utest_segv, SIGSEGV },
		{ "utest-wrcode", utest_wrcode, SIGSEGV },
		{ "utest-ud", utest_ud, SIGILL },
		{ "utest-div", utest_div, SIGFPE },
	};
	uint64_t before = settled_free();

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct utest u;
		int st;

		ST_ASSERT(utest_start(&u, cases[i].name, cases[i].entry, 0, 0) == 0);
		st = utest_finish(&u);
		ST_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == cases[i].sig);
	}
	ST_ASSERT(settled_free() == before);
	return 0;
}
