/* signal.h: sigaction converts libc's struct to the kernel's 32-byte one
 * and installs __restore_rt (setjmp.S) as the restorer; the set
 * operations; sigsetjmp's mask half and siglongjmp. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

struct k_sigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	unsigned long mask;
};

void __restore_rt(void);

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old)
{
	struct k_sigaction ka, ko;

	if (act) {
		ka.handler = (unsigned long)act->sa_handler;
		ka.flags = (unsigned)act->sa_flags | SA_RESTORER;
		ka.restorer = (unsigned long)__restore_rt;
		ka.mask = act->sa_mask;
	}
	long r = __sc4(__NR_rt_sigaction, sig, act ? &ka : NULL, old ? &ko : NULL, 8);
	if (r < 0)
		return (int)__syscall_ret(r);
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = (sighandler_t)ko.handler;
		old->sa_flags = (int)ko.flags;
		old->sa_restorer = (void (*)(void))ko.restorer;
		old->sa_mask = ko.mask;
	}
	return 0;
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	return (int)__syscall_ret(__sc4(__NR_rt_sigprocmask, how, set, old, 8));
}

int sigpending(sigset_t *set) { return (int)__syscall_ret(__sc2(__NR_rt_sigpending, set, 8)); }
int sigsuspend(const sigset_t *mask) { return (int)__syscall_ret(__sc2(__NR_rt_sigsuspend, mask, 8)); }

int sigaltstack(const stack_t *restrict ss, stack_t *restrict old)
{
	return (int)__syscall_ret(__sc2(__NR_sigaltstack, ss, old));
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

static int bad_sig(int sig)
{
	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = ~0ul; return 0; }

int sigaddset(sigset_t *set, int sig)
{
	if (bad_sig(sig))
		return -1;
	*set |= 1ul << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_sig(sig))
		return -1;
	*set &= ~(1ul << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_sig(sig))
		return -1;
	return (int)((*set >> (sig - 1)) & 1);
}

int siginterrupt(int sig, int flag)
{
	struct sigaction sa;

	if (sigaction(sig, NULL, &sa) < 0)
		return -1;
	if (flag)
		sa.sa_flags &= ~SA_RESTART;
	else
		sa.sa_flags |= SA_RESTART;
	return sigaction(sig, &sa, NULL);
}

/* Tail-called by sigsetjmp (setjmp.S) after it saved the registers. */
int __sigsetjmp_mask(sigjmp_buf env)
{
	__sc4(__NR_rt_sigprocmask, SIG_BLOCK, NULL, &env->__mask, 8);
	return 0;
}

_Noreturn void siglongjmp(sigjmp_buf env, int val)
{
	if (env->__mask_saved)
		__sc4(__NR_rt_sigprocmask, SIG_SETMASK, &env->__mask, NULL, 8);
	longjmp(env, val);
}

const char *const sys_siglist[NSIG] = {
	[SIGHUP] = "Hangup", [SIGINT] = "Interrupt", [SIGQUIT] = "Quit",
	[SIGILL] = "Illegal instruction", [SIGTRAP] = "Trace/breakpoint trap",
	[SIGABRT] = "Aborted", [SIGBUS] = "Bus error",
	[SIGFPE] = "Floating point exception", [SIGKILL] = "Killed",
	[SIGUSR1] = "User defined signal 1", [SIGSEGV] = "Segmentation fault",
	[SIGUSR2] = "User defined signal 2", [SIGPIPE] = "Broken pipe",
	[SIGALRM] = "Alarm clock", [SIGTERM] = "Terminated",
	[SIGSTKFLT] = "Stack fault", [SIGCHLD] = "Child exited",
	[SIGCONT] = "Continued", [SIGSTOP] = "Stopped (signal)",
	[SIGTSTP] = "Stopped", [SIGTTIN] = "Stopped (tty input)",
	[SIGTTOU] = "Stopped (tty output)", [SIGURG] = "Urgent I/O condition",
	[SIGXCPU] = "CPU time limit exceeded", [SIGXFSZ] = "File size limit exceeded",
	[SIGVTALRM] = "Virtual timer expired", [SIGPROF] = "Profiling timer expired",
	[SIGWINCH] = "Window changed", [SIGIO] = "I/O possible",
	[SIGPWR] = "Power failure", [SIGSYS] = "Bad system call",
};

char *strsignal(int sig)
{
	static char buf[32];

	if (sig > 0 && sig < NSIG && sys_siglist[sig])
		return (char *)sys_siglist[sig];
	snprintf(buf, sizeof(buf), "Unknown signal %d", sig);
	return buf;
}

void psignal(int sig, const char *s)
{
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, strsignal(sig));
	else
		fprintf(stderr, "%s\n", strsignal(sig));
}
