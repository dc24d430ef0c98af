/* wait4/waitid options and the wait status encoding of the Linux ABI,
 * shared by the kernel and libc. A status is
 *	exited:   (code & 0xff) << 8
 *	killed:   signal | 0x80 if a core was dumped
 *	stopped:  (signal << 8) | 0x7f;  continued: 0xffff */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	WUNTRACED
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000

#define W_EXITCODE(code, sig)	((((code) & 0xff) << 8) | ((sig) & 0x7f))
#define W_STOPCODE(sig)		((((sig) & 0xff) << 8) | 0x7f)
#define W_COREFLAG		0x80

#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WTERMSIG(s)	((s) & 0x7f)
#define WIFEXITED(s)	(WTERMSIG(s) == 0)
#define WIFSIGNALED(s)	(((signed char)(((s) & 0x7f) + 1) >> 1) > 0)

#endif
