/* Signals as a static musl program sees them: a SIGSEGV handler that
 * recovers with siglongjmp (mapping and protection faults, with si_addr
 * and si_code), SIGFPE and SIGILL, raise with a handler, blocked signals
 * left pending, SIGALRM from alarm with pause, and the wait statuses of
 * children ended by signals. One "PASS/FAIL guest/<name>" line per check. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("PASS guest/%s\n", name);
	} else {
		printf("FAIL guest/%s: %s (errno %d)\n", name, why, errno);
		failures++;
	}
}

static sigjmp_buf recover;
static volatile sig_atomic_t last_sig, last_code;
static void *volatile last_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_sig = sig;
	last_code = si->si_code;
	last_addr = si->si_addr;
	siglongjmp(recover, 1);
}

static void catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

/* Run fn under the fault handlers; 1 if it faulted and we came back. */
static int faults(void (*fn)(void))
{
	last_sig = 0;
	if (sigsetjmp(recover, 1) == 0) {
		fn();
		return 0;
	}
	return 1;
}

static volatile int *const unmapped = (int *)0x10000000;

static void touch_unmapped(void) { *unmapped = 1; }

static int *readonly;
static void write_readonly(void) { *readonly = 1; }

static volatile int zero;
static void divide(void) { zero = 10 / zero; }

static void undefined(void) { __asm__ volatile("ud2"); }

static void test_segv_recovery(void)
{
	catch(SIGSEGV);
	check("segv_maperr_siglongjmp", faults(touch_unmapped) && last_sig == SIGSEGV &&
	      last_code == SEGV_MAPERR && last_addr == (void *)unmapped,
	      "no SIGSEGV/SEGV_MAPERR with si_addr for an unmapped address");

	readonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("segv_accerr_siglongjmp", readonly != MAP_FAILED && faults(write_readonly) &&
	      last_sig == SIGSEGV && last_code == SEGV_ACCERR && last_addr == readonly,
	      "no SIGSEGV/SEGV_ACCERR for a write to a read-only mapping");
	munmap(readonly, 4096);

	/* The handler ran with SIGSEGV blocked; siglongjmp restored the
	 * mask, so a second fault is caught the same way. */
	check("segv_twice", faults(touch_unmapped) && last_sig == SIGSEGV,
	      "a second fault was not caught");
}

static void test_fpe_ill(void)
{
	catch(SIGFPE);
	catch(SIGILL);
	check("sigfpe_divide", faults(divide) && last_sig == SIGFPE && last_code == FPE_INTDIV,
	      "integer divide by zero did not raise SIGFPE/FPE_INTDIV");
	check("sigill_ud2", faults(undefined) && last_sig == SIGILL && last_code == ILL_ILLOPN,
	      "ud2 did not raise SIGILL/ILL_ILLOPN");
}

static volatile sig_atomic_t usr1_count;
static void on_usr1(int sig) { (void)sig; usr1_count++; }

static void test_raise_and_block(void)
{
	sigset_t set, pending;

	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	check("raise_handler", usr1_count == 1, "handler did not run once for raise");

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	sigpending(&pending);
	check("blocked_stays_pending", usr1_count == 1 && sigismember(&pending, SIGUSR1),
	      "blocked SIGUSR1 ran or was not pending");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check("delivered_on_unblock", usr1_count == 2, "SIGUSR1 not delivered on unblock");

	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	check("sig_ign", usr1_count == 2, "ignored signal ran the handler");
}

static volatile sig_atomic_t alarmed;
static void on_alarm(int sig) { (void)sig; alarmed = 1; }

static void test_alarm_pause(void)
{
	signal(SIGALRM, on_alarm);
	alarm(1);
	errno = 0;
	int r = pause();
	check("alarm_pause", alarmed && r == -1 && errno == EINTR,
	      "pause did not return EINTR after SIGALRM");
}

/* A child ended by sig: its status as the parent's wait sees it. */
static int child_status(int sig)
{
	int status = -1;
	pid_t pid;

	fflush(stdout);		/* or the child would print our buffer again */
	pid = fork();
	if (pid == 0) {
		signal(sig, SIG_DFL);	/* handlers are inherited across fork */
		if (sig == SIGSEGV)
			*unmapped = 1;
		kill(getpid(), sig);
		for (;;)
			pause();
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void test_wait_statuses(void)
{
	int st = child_status(SIGTERM);

	check("wait_sigterm", st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM &&
	      !WCOREDUMP(st), "SIGTERM death not reported");
	st = child_status(SIGSEGV);
	check("wait_sigsegv_core", st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV &&
	      WCOREDUMP(st), "SIGSEGV death not reported with the core flag");
	st = child_status(SIGKILL);
	check("wait_sigkill", st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "SIGKILL death not reported");
}

int main(void)
{
	test_segv_recovery();
	test_fpe_ill();
	test_raise_and_block();
	test_alarm_pause();
	test_wait_statuses();
	return failures ? 1 : 0;
}
