/* Linux x86-64 signal numbers, sets, rt_sigaction's struct, siginfo,
 * sigaltstack, the signal frame (ucontext, sigcontext, FPU image) and
 * interval timers, shared by the kernel and libc. The machinery is
 * proc/signal.c's. */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGIOT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPOLL		SIGIO
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32
#define SIGRTMAX	64
#define NSIG		65	/* one past the highest signal number */

/*
 * Everything below is the Linux x86-64 ABI as the kernel sees it (libc
 * may wrap it in its own, larger types). Sizes and offsets are checked
 * by _Static_assert in proc/signal.c.
 */
#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>
#include <uapi/time.h>

/* The kernel's signal set: bit (sig - 1) for signals 1..64. */
typedef uint64_t sigset_t;

#define sigmask(sig)	(1ull << ((sig) - 1))

/* Special handlers. */
#define SIG_DFL		((uint64_t)0)
#define SIG_IGN		((uint64_t)1)
#define SIG_ERR		((uint64_t)-1)

/* sa_flags */
#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000u

/* rt_sigprocmask how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* rt_sigaction's struct: the kernel's layout, 32 bytes (not libc's). */
struct sigaction {
	uint64_t sa_handler;	/* SIG_DFL, SIG_IGN or a user address */
	uint64_t sa_flags;
	uint64_t sa_restorer;	/* user code that calls rt_sigreturn */
	sigset_t sa_mask;	/* blocked while the handler runs */
};

/* sigaltstack */
typedef struct {
	uint64_t ss_sp;		/* lowest address of the stack */
	int32_t ss_flags;
	int32_t __pad;
	uint64_t ss_size;
} stack_t;

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1u << 31)
#define MINSIGSTKSZ	2048
#define SIGSTKSZ	8192

/* 128 bytes: three ints, then a union aligned to 8 (at offset 16). */
union sigval {
	int32_t sival_int;
	uint64_t sival_ptr;
};

typedef struct {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t __pad0;
	union {
		struct {		/* kill, tkill, sigqueue */
			int32_t pid;
			uint32_t uid;
			union sigval value;
		} kill;
		struct {		/* POSIX timers */
			int32_t tid;
			int32_t overrun;
			union sigval value;
		} timer;
		struct {		/* SIGCHLD */
			int32_t pid;
			uint32_t uid;
			int32_t status;
			int32_t __pad1;
			int64_t utime, stime;
		} chld;
		struct {		/* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
			uint64_t addr;
			int16_t addr_lsb;
		} fault;
		uint8_t __pad[128 - 16];
	} _u;
} siginfo_t;

#define si_pid		_u.kill.pid
#define si_uid		_u.kill.uid
#define si_value	_u.kill.value
#define si_status	_u.chld.status
#define si_utime	_u.chld.utime
#define si_stime	_u.chld.stime
#define si_addr		_u.fault.addr
#define si_timerid	_u.timer.tid
#define si_overrun	_u.timer.overrun

/* si_code: where a signal came from ... */
#define SI_USER		0	/* kill */
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)
#define SI_TIMER	(-2)
#define SI_TKILL	(-6)
/* ... and, for the synchronous ones, why. */
#define ILL_ILLOPC	1
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define FPE_INTOVF	2
#define FPE_FLTDIV	3
#define FPE_FLTOVF	4
#define FPE_FLTUND	5
#define FPE_FLTRES	6
#define FPE_FLTINV	7
#define FPE_FLTSUB	8
#define FPE_FLTUNK	14
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define TRAP_BRKPT	1
#define TRAP_TRACE	2
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/* The saved registers of a signal frame (Linux's struct sigcontext),
 * 256 bytes. fpstate points at an FXSAVE image (or an XSAVE one, when
 * uc_flags has UC_FP_XSTATE), 64-byte aligned; 0 means a clean FPU. */
struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t __reserved1[8];
};

/* The FXSAVE legacy area's last 48 bytes are software's: the kernel
 * describes an extended (XSAVE) image there, and puts FP_XSTATE_MAGIC2
 * just past the image's end. */
struct fpx_sw_bytes {
	uint32_t magic1;	/* FP_XSTATE_MAGIC1 */
	uint32_t extended_size;	/* image + the trailing magic2 */
	uint64_t xfeatures;
	uint32_t xstate_size;	/* image without magic2 */
	uint32_t __pad[7];
};
#define FP_XSTATE_MAGIC1	0x46505853u
#define FP_XSTATE_MAGIC2	0x46505845u
#define FPX_SW_BYTES_OFFSET	464

#define UC_FP_XSTATE		0x1
#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

/* 304 bytes; uc_sigmask at 296, as musl's ucontext_t has it. */
struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	sigset_t uc_sigmask;
};

/*
 * What a handler finds on its stack (rsp points at pretcode, so
 * rsp + 8 is 16-byte aligned, as after a call): its return address,
 * which is sa_restorer, then the ucontext and the siginfo. The FPU image
 * lies above, 64-byte aligned.
 */
struct rt_sigframe {
	uint64_t pretcode;
	struct ucontext uc;
	siginfo_t info;
};

/* Interval timers (setitimer/getitimer/alarm). */
#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

struct itimerval {
	struct timeval it_interval;	/* reload; 0: one shot */
	struct timeval it_value;	/* left; 0: disarmed */
};

#endif /* __ASSEMBLER__ */

#endif
