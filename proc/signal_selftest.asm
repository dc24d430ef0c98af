; User-mode programs for the signal self-tests (proc/signal_selftest.c),
; built into the kernel as data: the test copies [stest_blob,
; stest_blob_end) into a read-only executable page at STEST_CODE, maps a
; writable data page at STEST_DATA (results, and a parameter the kernel
; fills in) and an alternate-stack area, and starts one entry point.
; Each program exits 0 when its checks pass, else with the failing step.

bits 64
default rel

STEST_DATA      equ 0x600000    ; signal_selftest.c
STEST_ALT       equ 0x610000    ; two pages
STEST_ALT_SIZE  equ 0x2000

; Data page layout (offsets are signal_selftest.c's D_* too).
D_COUNT         equ STEST_DATA + 0      ; handler calls
D_SIG           equ STEST_DATA + 8      ; rdi on entry
D_SIGNO         equ STEST_DATA + 16     ; siginfo.si_signo
D_CODE          equ STEST_DATA + 24     ; siginfo.si_code
D_PID           equ STEST_DATA + 32     ; siginfo.si_pid
D_ADDR          equ STEST_DATA + 40     ; siginfo.si_addr
D_RSP           equ STEST_DATA + 48     ; rsp on entry
D_MASK          equ STEST_DATA + 56     ; blocked set inside the handler
D_DEPTH         equ STEST_DATA + 64
D_MAXDEPTH      equ STEST_DATA + 72
D_PEND          equ STEST_DATA + 80     ; rt_sigpending inside the handler
D_TRAPNO        equ STEST_DATA + 88     ; uc_mcontext.trapno
D_RESUME        equ STEST_DATA + 96     ; where the fault handler resumes
D_COUNTER       equ STEST_DATA + 104    ; the spinner's
D_SSFLAGS       equ STEST_DATA + 112    ; sigaltstack ss_flags in the handler
D_PARAM         equ STEST_DATA + 120    ; set by the kernel
D_CODE_A        equ STEST_DATA + 128    ; first fault's si_code / si_addr
D_ADDR_A        equ STEST_DATA + 136
D_SCRATCH       equ STEST_DATA + 256    ; 256 bytes for syscall structs

NR_rt_sigaction         equ 13
NR_rt_sigprocmask       equ 14
NR_rt_sigreturn         equ 15
NR_pause                equ 34
NR_nanosleep            equ 35
NR_getitimer            equ 36
NR_alarm                equ 37
NR_setitimer            equ 38
NR_getpid               equ 39
NR_kill                 equ 62
NR_rt_sigpending        equ 127
NR_rt_sigsuspend        equ 130
NR_sigaltstack          equ 131
NR_tgkill               equ 234
NR_exit_group           equ 231

SIGILL          equ 4
SIGFPE          equ 8
SIGUSR1         equ 10
SIGSEGV         equ 11
SIGUSR2         equ 12
SIGALRM         equ 14
SIGKILL         equ 9
SIGTERM         equ 15

SA_SIGINFO      equ 0x4
SA_RESTORER     equ 0x04000000
SA_ONSTACK      equ 0x08000000
SA_NODEFER      equ 0x40000000
SA_RESETHAND    equ 0x80000000

SIG_BLOCK       equ 0
SIG_UNBLOCK     equ 1
SIG_SETMASK     equ 2
SS_ONSTACK      equ 1
SS_DISABLE      equ 2

EINTR           equ 4
ESRCH           equ 3
EPERM           equ 1
EINVAL          equ 22
ENOMEM          equ 12

; ucontext offsets (uapi/signal.h)
UC_FLAGS        equ 0
UC_MCONTEXT     equ 40
UC_RIP          equ UC_MCONTEXT + 16 * 8
UC_TRAPNO       equ UC_MCONTEXT + 18 * 8 + 8 + 8
UC_FPSTATE      equ UC_MCONTEXT + 184
UC_FP_XSTATE    equ 1

global stest_blob, stest_blob_end
global stest_basic, stest_segv, stest_resethand, stest_nodefer, stest_blocked
global stest_raise, stest_badstack, stest_spin, stest_timers, stest_altstack
global stest_perm, stest_fpstate, stest_badrip

; rt_sigaction(sig, {handler, flags | SA_RESTORER, restorer, 0}, NULL, 8)
%macro SIGACTION 3
	push qword 0
	lea rax, [rel restorer]
	push rax
	mov eax, %3 | SA_RESTORER
	push rax
	lea rax, [rel %2]
	push rax
	mov edi, %1
	mov rsi, rsp
	xor edx, edx
	mov r10d, 8
	mov eax, NR_rt_sigaction
	syscall
	add rsp, 32
%endmacro

; The same with SIG_DFL (0) or SIG_IGN (1).
%macro SIGACTION_SPECIAL 2
	push qword 0
	push qword 0
	push qword 0
	push qword %2
	mov edi, %1
	mov rsi, rsp
	xor edx, edx
	mov r10d, 8
	mov eax, NR_rt_sigaction
	syscall
	add rsp, 32
%endmacro

; kill(getpid(), sig): clobbers rax, rdi, rsi, rcx, r11.
%macro RAISE 1
	mov eax, NR_getpid
	syscall
	mov rdi, rax
	mov esi, %1
	mov eax, NR_kill
	syscall
%endmacro

; rt_sigprocmask(how, &set (in D_SCRATCH), NULL, 8)
%macro SIGPROCMASK 2
	mov rax, %2
	mov [abs D_SCRATCH], rax
	mov edi, %1
	mov esi, D_SCRATCH
	xor edx, edx
	mov r10d, 8
	mov eax, NR_rt_sigprocmask
	syscall
%endmacro

; The current blocked set into rax.
%macro GETMASK 0
	xor edi, edi
	xor esi, esi
	mov edx, D_SCRATCH + 8
	mov r10d, 8
	mov eax, NR_rt_sigprocmask
	syscall
	mov rax, [abs D_SCRATCH + 8]
%endmacro

; Fail with step %1 unless the last comparison was equal.
%macro CHECK 1
	mov edi, %1
	jne fail
%endmacro

section .rodata
align 16
stest_blob:

fail:
	mov eax, NR_exit_group
	syscall
	ud2

pass:
	xor edi, edi
	mov eax, NR_exit_group
	syscall
	ud2

restorer:
	mov eax, NR_rt_sigreturn
	syscall
	ud2

; Records what it was given, then clobbers every register it can: the
; interrupted code must get them all back from the frame.
generic_handler:
	inc qword [abs D_COUNT]
	mov [abs D_SIG], rdi
	mov [abs D_RSP], rsp
	mov eax, [rsi]
	mov [abs D_SIGNO], rax
	movsxd rax, dword [rsi + 8]
	mov [abs D_CODE], rax
	mov eax, [rsi + 16]
	mov [abs D_PID], rax
	mov rax, [rsi + 16]
	mov [abs D_ADDR], rax
	mov rax, [rdx + UC_TRAPNO]
	mov [abs D_TRAPNO], rax
	GETMASK
	mov [abs D_MASK], rax
	; sigaltstack(NULL, scratch): ss_flags at +8
	xor edi, edi
	mov esi, D_SCRATCH + 32
	mov eax, NR_sigaltstack
	syscall
	mov eax, [abs D_SCRATCH + 40]
	mov [abs D_SSFLAGS], rax
	mov rbx, -1
	mov rbp, -1
	mov r8, -1
	mov r9, -1
	mov r10, -1
	mov r12, -1
	mov r13, -1
	mov r14, -1
	mov r15, -1
	pcmpeqd xmm0, xmm0
	pcmpeqd xmm5, xmm5
	ret

; ---- a handler, registers and SSE state kept ----------------------------
stest_basic:
	SIGACTION SIGUSR1, generic_handler, SA_SIGINFO
	test rax, rax
	CHECK 1
	mov rbx, 0x1111111111111111
	mov rbp, 0x2222222222222222
	mov r8, 0x3333333333333333
	mov r9, 0x4444444444444444
	mov r10, 0x5555555555555555
	mov r12, 0x6666666666666666
	mov r13, 0x7777777777777777
	mov r14, 0x0123456789abcdef
	mov r15, 0x7edcba9876543210
	movq xmm0, rbx
	movq xmm5, r14
	RAISE SIGUSR1
	test rax, rax
	CHECK 2
	cmp qword [abs D_COUNT], 1
	CHECK 3
	mov rax, 0x1111111111111111
	cmp rbx, rax
	CHECK 4
	mov rax, 0x2222222222222222
	cmp rbp, rax
	CHECK 5
	mov rax, 0x3333333333333333
	cmp r8, rax
	CHECK 6
	mov rax, 0x4444444444444444
	cmp r9, rax
	CHECK 7
	mov rax, 0x5555555555555555
	cmp r10, rax
	CHECK 8
	mov rax, 0x6666666666666666
	cmp r12, rax
	CHECK 9
	mov rax, 0x7777777777777777
	cmp r13, rax
	CHECK 10
	mov rax, 0x0123456789abcdef
	cmp r14, rax
	CHECK 11
	mov rax, 0x7edcba9876543210
	cmp r15, rax
	CHECK 12
	movq rax, xmm0
	cmp rax, rbx
	CHECK 13
	movq rax, xmm5
	cmp rax, r14
	CHECK 14
	GETMASK                         ; the handler's mask is gone again
	test rax, rax
	CHECK 15
	; rt_sigaction with a bad sigsetsize, and on SIGKILL
	mov edi, SIGUSR1
	xor esi, esi
	mov edx, D_SCRATCH
	mov r10d, 4
	mov eax, NR_rt_sigaction
	syscall
	cmp rax, -EINVAL
	CHECK 16
	SIGACTION SIGKILL, generic_handler, 0
	cmp rax, -EINVAL
	CHECK 17
	jmp pass

; ---- faults that a handler recovers from ------------------------------
; The handler resumes at D_RESUME, the way siglongjmp would.
fault_handler:
	inc qword [abs D_COUNT]
	mov [abs D_SIG], rdi
	movsxd rax, dword [rsi + 8]
	mov [abs D_CODE], rax
	mov rax, [rsi + 16]
	mov [abs D_ADDR], rax
	mov rax, [rdx + UC_TRAPNO]
	mov [abs D_TRAPNO], rax
	mov rax, [abs D_RESUME]
	mov [rdx + UC_RIP], rax
	ret

stest_segv:
	SIGACTION SIGSEGV, fault_handler, SA_SIGINFO
	SIGACTION SIGILL, fault_handler, SA_SIGINFO
	SIGACTION SIGFPE, fault_handler, SA_SIGINFO
	lea rax, [rel .r1]
	mov [abs D_RESUME], rax
	mov eax, 0xdead000
	mov rax, [rax]                  ; not mapped: SEGV_MAPERR
	ud2
.r1:
	cmp qword [abs D_COUNT], 1
	CHECK 1
	mov rax, [abs D_CODE]
	mov [abs D_CODE_A], rax
	mov rax, [abs D_ADDR]
	mov [abs D_ADDR_A], rax
	cmp qword [abs D_TRAPNO], 14
	CHECK 2
	lea rax, [rel .r2]
	mov [abs D_RESUME], rax
	lea rax, [rel stest_blob]
	mov qword [rax], 0              ; read-only: SEGV_ACCERR
	ud2
.r2:
	cmp qword [abs D_COUNT], 2
	CHECK 3
	cmp qword [abs D_SIG], SIGSEGV
	CHECK 4
	cmp qword [abs D_CODE], 2       ; SEGV_ACCERR
	CHECK 11
	lea rax, [rel stest_blob]
	cmp [abs D_ADDR], rax
	CHECK 12
	lea rax, [rel .r3]
	mov [abs D_RESUME], rax
.ud:
	ud2                             ; SIGILL, ILL_ILLOPN at .ud
.r3:
	cmp qword [abs D_SIG], SIGILL
	CHECK 5
	cmp qword [abs D_CODE], 2
	CHECK 6
	lea rax, [rel .ud]
	cmp [abs D_ADDR], rax
	CHECK 7
	lea rax, [rel .r4]
	mov [abs D_RESUME], rax
	xor ecx, ecx
	xor edx, edx
	mov eax, 1
	div ecx                         ; SIGFPE, FPE_INTDIV
.r4:
	cmp qword [abs D_SIG], SIGFPE
	CHECK 8
	cmp qword [abs D_CODE], 1
	CHECK 9
	; a SIGSEGV while SIGSEGV is blocked: forced through, the default
	; kills (the kernel checks the status)
	SIGPROCMASK SIG_BLOCK, 1 << (SIGSEGV - 1)
	mov eax, 0xdead000
	mov rax, [rax]
	mov edi, 10
	jmp fail

; ---- SA_RESETHAND ---------------------------------------------------------
stest_resethand:
	SIGACTION SIGUSR2, generic_handler, SA_SIGINFO | SA_RESETHAND
	RAISE SIGUSR2
	cmp qword [abs D_COUNT], 1
	CHECK 1
	mov edi, SIGUSR2                ; the action is SIG_DFL again
	xor esi, esi
	mov edx, D_SCRATCH
	mov r10d, 8
	mov eax, NR_rt_sigaction
	syscall
	test rax, rax
	CHECK 2
	cmp qword [abs D_SCRATCH], 0
	CHECK 3
	RAISE SIGUSR2                   ; default: terminate
	mov edi, 4
	jmp fail

; ---- a signal raised in its own handler ------------------------------
nest_handler:
	inc qword [abs D_DEPTH]
	mov rax, [abs D_DEPTH]
	cmp rax, [abs D_MAXDEPTH]
	jbe .noted
	mov [abs D_MAXDEPTH], rax
.noted:
	inc qword [abs D_COUNT]
	cmp qword [abs D_COUNT], 1
	jne .out
	mov rbx, rdi
	mov eax, NR_getpid
	syscall
	mov rdi, rax
	mov rsi, rbx
	mov eax, NR_kill
	syscall
	mov edi, D_PEND
	mov esi, 8
	mov eax, NR_rt_sigpending
	syscall
.out:
	dec qword [abs D_DEPTH]
	ret

stest_nodefer:
	SIGACTION SIGUSR1, nest_handler, 0
	RAISE SIGUSR1
	cmp qword [abs D_COUNT], 2      ; ran twice ...
	CHECK 1
	cmp qword [abs D_MAXDEPTH], 1   ; ... one after the other
	CHECK 2
	cmp qword [abs D_PEND], 1 << (SIGUSR1 - 1)
	CHECK 3
	mov qword [abs D_COUNT], 0
	mov qword [abs D_MAXDEPTH], 0
	mov qword [abs D_PEND], 0
	SIGACTION SIGUSR2, nest_handler, SA_NODEFER
	RAISE SIGUSR2
	cmp qword [abs D_COUNT], 2
	CHECK 4
	cmp qword [abs D_MAXDEPTH], 2   ; nested
	CHECK 5
	cmp qword [abs D_PEND], 0
	CHECK 6
	jmp pass

; ---- blocked signals stay pending; SIG_IGN ----------------------------
stest_blocked:
	SIGACTION SIGUSR1, generic_handler, SA_SIGINFO
	SIGPROCMASK SIG_BLOCK, 1 << (SIGUSR1 - 1)
	RAISE SIGUSR1
	cmp qword [abs D_COUNT], 0
	CHECK 1
	mov edi, D_PEND
	mov esi, 8
	mov eax, NR_rt_sigpending
	syscall
	cmp qword [abs D_PEND], 1 << (SIGUSR1 - 1)
	CHECK 2
	SIGPROCMASK SIG_UNBLOCK, 1 << (SIGUSR1 - 1)
	cmp qword [abs D_COUNT], 1      ; delivered on the way out of it
	CHECK 3
	SIGACTION_SPECIAL SIGUSR2, 1    ; SIG_IGN
	RAISE SIGUSR2
	test rax, rax
	CHECK 4
	SIGPROCMASK SIG_BLOCK, 1 << (SIGUSR2 - 1)
	RAISE SIGUSR2                   ; blocked: kept even though ignored
	mov edi, D_PEND
	mov esi, 8
	mov eax, NR_rt_sigpending
	syscall
	cmp qword [abs D_PEND], 1 << (SIGUSR2 - 1)
	CHECK 5
	SIGACTION_SPECIAL SIGUSR2, 1    ; setting SIG_IGN again drops it
	mov edi, D_PEND
	mov esi, 8
	mov eax, NR_rt_sigpending
	syscall
	cmp qword [abs D_PEND], 0
	CHECK 6
	; SIGKILL cannot be blocked
	SIGPROCMASK SIG_SETMASK, -1
	GETMASK
	mov rdx, ~((1 << (SIGKILL - 1)) | (1 << 18))
	cmp rax, rdx
	CHECK 7
	jmp pass

; ---- default actions: raise D_PARAM -----------------------------------
stest_raise:
	mov eax, NR_getpid
	syscall
	mov rdi, rax
	mov rsi, [abs D_PARAM]
	mov eax, NR_kill
	syscall
	mov edi, 99
	jmp fail

; A handler but no stack to put its frame on: SIGSEGV with core.
stest_badstack:
	SIGACTION SIGUSR1, generic_handler, SA_SIGINFO
	mov eax, NR_getpid
	syscall
	mov rdi, rax
	mov esi, SIGUSR1
	mov rsp, 0x10000                ; unmapped
	mov eax, NR_kill
	syscall
	mov edi, 99
	jmp fail

; A handler that returns to a non-canonical rip: SIGSEGV at sigreturn.
badrip_handler:
	mov rax, 0x8000000000000000
	mov [rdx + UC_RIP], rax
	ret

stest_badrip:
	SIGACTION SIGUSR1, badrip_handler, SA_SIGINFO
	RAISE SIGUSR1
	mov edi, 99
	jmp fail

; ---- stopped and continued from the kernel side -----------------------
stest_spin:
	inc qword [abs D_COUNTER]
	jmp stest_spin

; ---- timers: itimer, nanosleep -EINTR, alarm, pause, sigsuspend -------
stest_timers:
	SIGACTION SIGALRM, generic_handler, SA_SIGINFO
	; setitimer(ITIMER_REAL, {0, 0, 0, 50000 us}, NULL)
	push qword 50000
	push qword 0
	push qword 0
	push qword 0
	xor edi, edi
	mov rsi, rsp
	xor edx, edx
	mov eax, NR_setitimer
	syscall
	test rax, rax
	CHECK 1
	xor edi, edi                    ; getitimer into the same buffer
	mov rsi, rsp
	mov eax, NR_getitimer
	syscall
	test rax, rax
	CHECK 2
	cmp qword [rsp + 16], 0
	CHECK 3
	cmp qword [rsp + 24], 0
	mov edi, 4
	je fail
	cmp qword [rsp + 24], 50000
	mov edi, 5
	ja fail
	add rsp, 32
	; nanosleep({5, 0}, rem): cut short
	push qword 0
	push qword 5
	mov rdi, rsp
	mov esi, D_SCRATCH + 64
	mov eax, NR_nanosleep
	syscall
	add rsp, 16
	cmp rax, -EINTR
	CHECK 6
	cmp qword [abs D_COUNT], 1
	CHECK 7
	cmp qword [abs D_SIG], SIGALRM
	CHECK 8
	cmp qword [abs D_SCRATCH + 64], 4       ; rem.tv_sec
	mov edi, 9
	jb fail
	; alarm(5) then alarm(0) gives back 5
	mov edi, 5
	mov eax, NR_alarm
	syscall
	test rax, rax
	CHECK 10
	xor edi, edi
	mov eax, NR_alarm
	syscall
	cmp rax, 5
	CHECK 11
	; alarm(1); pause() -> -EINTR after the handler
	mov edi, 1
	mov eax, NR_alarm
	syscall
	mov eax, NR_pause
	syscall
	cmp rax, -EINTR
	CHECK 12
	cmp qword [abs D_COUNT], 2
	CHECK 13
	; periodic: 20 ms interval, three more expiries
	push qword 20000
	push qword 0
	push qword 20000
	push qword 0
	xor edi, edi
	mov rsi, rsp
	xor edx, edx
	mov eax, NR_setitimer
	syscall
	add rsp, 32
.periodic:
	mov eax, NR_pause
	syscall
	cmp qword [abs D_COUNT], 5
	jb .periodic
	; disarm, reading the old value: the interval is still 20 ms
	xor edi, edi
	xor esi, esi
	mov edx, D_SCRATCH + 64
	mov eax, NR_setitimer
	syscall
	test rax, rax
	CHECK 14
	cmp qword [abs D_SCRATCH + 72], 20000
	CHECK 15
	; rt_sigsuspend: SIGALRM blocked outside, let through inside
	SIGPROCMASK SIG_BLOCK, 1 << (SIGALRM - 1)
	push qword 30000
	push qword 0
	push qword 0
	push qword 0
	xor edi, edi
	mov rsi, rsp
	xor edx, edx
	mov eax, NR_setitimer
	syscall
	add rsp, 32
	mov qword [abs D_SCRATCH], 0
	mov edi, D_SCRATCH
	mov esi, 8
	mov eax, NR_rt_sigsuspend
	syscall
	cmp rax, -EINTR
	CHECK 16
	cmp qword [abs D_COUNT], 6
	CHECK 17
	mov rax, [abs D_MASK]           ; the handler ran with it blocked
	cmp rax, 1 << (SIGALRM - 1)
	CHECK 18
	GETMASK                         ; and the old mask is back
	cmp rax, 1 << (SIGALRM - 1)
	CHECK 19
	jmp pass

; ---- the alternate stack ----------------------------------------------
stest_altstack:
	; too small: -ENOMEM
	mov qword [abs D_SCRATCH + 128], STEST_ALT
	mov qword [abs D_SCRATCH + 136], 0
	mov qword [abs D_SCRATCH + 144], 1000
	mov edi, D_SCRATCH + 128
	xor esi, esi
	mov eax, NR_sigaltstack
	syscall
	cmp rax, -ENOMEM
	CHECK 1
	mov qword [abs D_SCRATCH + 144], STEST_ALT_SIZE
	mov edi, D_SCRATCH + 128
	xor esi, esi
	mov eax, NR_sigaltstack
	syscall
	test rax, rax
	CHECK 2
	SIGACTION SIGUSR1, generic_handler, SA_SIGINFO | SA_ONSTACK
	RAISE SIGUSR1
	cmp qword [abs D_COUNT], 1
	CHECK 3
	mov rax, [abs D_RSP]
	cmp rax, STEST_ALT
	mov edi, 4
	jb fail
	cmp rax, STEST_ALT + STEST_ALT_SIZE
	mov edi, 5
	jae fail
	cmp qword [abs D_SSFLAGS], SS_ONSTACK
	CHECK 6
	mov rax, [abs D_RSP]            ; rsp + 8 aligned, as after a call
	and eax, 15
	cmp eax, 8
	CHECK 7
	; disabled: the handler runs on the normal stack
	mov qword [abs D_SCRATCH + 136], SS_DISABLE
	mov edi, D_SCRATCH + 128
	xor esi, esi
	mov eax, NR_sigaltstack
	syscall
	test rax, rax
	CHECK 8
	RAISE SIGUSR1
	mov rax, [abs D_RSP]
	cmp rax, STEST_ALT + STEST_ALT_SIZE
	mov edi, 9
	jb fail
	cmp qword [abs D_SSFLAGS], SS_DISABLE
	CHECK 10
	jmp pass

; ---- permissions and errors (run as uid 1000) --------------------------
stest_perm:
	mov edi, 1                      ; root's pid 1
	mov esi, SIGTERM
	mov eax, NR_kill
	syscall
	cmp rax, -EPERM
	CHECK 1
	mov edi, 30000                  ; nobody
	xor esi, esi
	mov eax, NR_kill
	syscall
	cmp rax, -ESRCH
	CHECK 2
	mov eax, NR_getpid
	syscall
	mov rdi, rax
	xor esi, esi                    ; signal 0: exists, may be signalled
	mov eax, NR_kill
	syscall
	test rax, rax
	CHECK 3
	mov eax, NR_getpid
	syscall
	mov rdi, rax
	mov esi, 65
	mov eax, NR_kill
	syscall
	cmp rax, -EINVAL
	CHECK 4
	mov eax, NR_getpid
	syscall
	mov rdi, rax
	lea rsi, [rax + 1]              ; tgkill with another tid
	xor edx, edx
	mov eax, NR_tgkill
	syscall
	cmp rax, -ESRCH
	CHECK 5
	mov edi, 99                     ; bad how
	mov esi, D_SCRATCH
	xor edx, edx
	mov r10d, 8
	mov eax, NR_rt_sigprocmask
	syscall
	cmp rax, -EINVAL
	CHECK 6
	mov edi, 0xffff8000             ; a kernel pointer: -EFAULT
	shl rdi, 32
	xor esi, esi
	mov eax, NR_sigaltstack
	syscall
	cmp rax, -14
	CHECK 7
	jmp pass

; ---- the FPU image is restored, and sanitised ----------------------------
fp_handler:
	inc qword [abs D_COUNT]
	mov rcx, [rdx + UC_FPSTATE]
	mov dword [rcx + 24], 0xffffffff        ; MXCSR: reserved bits too
	mov rax, 0x0badf00d0badf00d
	mov [rcx + 160 + 16], rax               ; xmm1, low half
	test qword [rdx + UC_FLAGS], UC_FP_XSTATE
	jz .done
	or qword [rcx + 512], 2                 ; XSTATE_BV: SSE present
	mov qword [rcx + 520], -1               ; XCOMP_BV: garbage
	mov qword [rcx + 528], -1               ; reserved: garbage
.done:
	ret

stest_fpstate:
	SIGACTION SIGUSR1, fp_handler, SA_SIGINFO
	pcmpeqd xmm1, xmm1
	RAISE SIGUSR1
	cmp qword [abs D_COUNT], 1
	CHECK 1
	movq rax, xmm1
	mov rdx, 0x0badf00d0badf00d
	cmp rax, rdx
	CHECK 2
	stmxcsr [abs D_SCRATCH]
	mov eax, [abs D_SCRATCH]
	test eax, 0xffff0000                    ; no reserved bit made it
	mov edi, 3
	jnz fail
	mov eax, 0x1f80                         ; back to normal, or SSE faults
	mov [abs D_SCRATCH], eax
	ldmxcsr [abs D_SCRATCH]
	jmp pass

stest_blob_end:
