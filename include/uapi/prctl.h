/* prctl(2) options (proc/prctl.c): the two of Linux's implemented here,
 * and the project's own switches for the W^X policy and the audit trail
 * of memory calls. Shared by the kernel and libc's sys/prctl.h; guest
 * tests include it after musl's sys/prctl.h. Any other option: EINVAL. */
#ifndef UAPI_PRCTL_H
#define UAPI_PRCTL_H

#ifndef PR_SET_NAME
#define PR_SET_NAME		15	/* arg2: string; its first 15 bytes
					   become the process name */
#define PR_GET_NAME		16	/* arg2: 16-byte buffer, NUL-terminated */
#endif

/*
 * The project's own options, in a block Linux does not use ("KN" in the
 * high half: Linux's options are small integers plus a few four-letter
 * tags such as 0x59616d61 "Yama"). Unused arguments must be 0 (EINVAL).
 *
 * W^X (mm/wx.c): no mapping may be writable and executable at once;
 * mmap, mprotect, mremap, shmat and exec refuse such a request with
 * EACCES. Making a page writable, then executable, in two calls stays
 * allowed. "wx=off" on the kernel command line turns the policy off.
 *
 *	PR_SET_WX_RELAX	arg2 1: lift W^X for this process; 0: restore it
 *			(W+X mappings made meanwhile stay, but cannot grow
 *			or move). Anyone may call it. Inherited across fork,
 *			reset to 0 by execve.
 *	PR_GET_WX_RELAX	returns this process's setting, 0 or 1.
 *
 * The audit trail (kernel/audit.c, read at /proc/audit by root): memory
 * calls and policy denials, one JSON object per line, in a ring buffer.
 * Off at boot.
 *
 *	PR_SET_AUDIT	arg2 1: start recording; 0: stop (records stay).
 *			EPERM unless the effective uid is 0.
 *	PR_GET_AUDIT	returns 1 when recording, else 0; anyone.
 *	PR_CLEAR_AUDIT	empty the ring and zero its counters; EPERM unless
 *			the effective uid is 0.
 */
#define PR_SET_WX_RELAX		0x4b4e0001
#define PR_GET_WX_RELAX		0x4b4e0002
#define PR_SET_AUDIT		0x4b4e0003
#define PR_GET_AUDIT		0x4b4e0004
#define PR_CLEAR_AUDIT		0x4b4e0005

#endif
