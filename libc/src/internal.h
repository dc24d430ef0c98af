/* libc-internal declarations: raw system calls (returning -errno), the
 * errno-setting wrapper, and the hooks between libc's files. Never
 * installed for programs. */
#ifndef LIBC_INTERNAL_H
#define LIBC_INTERNAL_H
#include <stddef.h>
#include <stdarg.h>
#include <sys/types.h>
#include "../../include/uapi/unistd.h"

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define __SC_A(x) ((long)(x))
#define __sc0(n) __syscall6(n, 0, 0, 0, 0, 0, 0)
#define __sc1(n, a) __syscall6(n, __SC_A(a), 0, 0, 0, 0, 0)
#define __sc2(n, a, b) __syscall6(n, __SC_A(a), __SC_A(b), 0, 0, 0, 0)
#define __sc3(n, a, b, c) __syscall6(n, __SC_A(a), __SC_A(b), __SC_A(c), 0, 0, 0)
#define __sc4(n, a, b, c, d) __syscall6(n, __SC_A(a), __SC_A(b), __SC_A(c), __SC_A(d), 0, 0)
#define __sc5(n, a, b, c, d, e) \
	__syscall6(n, __SC_A(a), __SC_A(b), __SC_A(c), __SC_A(d), __SC_A(e), 0)
#define __sc6(n, a, b, c, d, e, f) \
	__syscall6(n, __SC_A(a), __SC_A(b), __SC_A(c), __SC_A(d), __SC_A(e), __SC_A(f))

/* A raw result to the C convention: -1 with errno set, or the value. */
long __syscall_ret(long r);

/* stdio: flush every open stream (exit calls it). */
void __stdio_flush_all(void);

/* printf's engine (vformat.c): calls out(ctx, bytes, n) for each piece,
 * returns the number of bytes produced. */
typedef void (*__fmt_out_fn)(void *ctx, const char *s, size_t n);
int __vformat(__fmt_out_fn out, void *ctx, const char *fmt, va_list ap);

/* scanf's engine (vscan.c) over a character source. */
struct __scan_src {
	int (*get)(void *ctx);		/* next byte or -1 */
	void (*unget)(void *ctx, int c);
	void *ctx;
};
int __vscan(struct __scan_src *src, const char *fmt, va_list ap);

/* passwd/group line parsing (pwent.c); the line is split in place. */
struct passwd;
struct group;
int __pw_parse(char *line, struct passwd *pw);
int __gr_parse(char *line, struct group *gr, char **mem, int nmem);

/* malloc's page provider (malloc.c): [addr, addr + len) of fresh
 * zeroed memory, len a multiple of 4096, or NULL; and its return. */
struct __malloc_pages {
	void *(*get_run)(size_t len);	/* a heap run: never returned */
	void *(*get)(size_t len);	/* a large block: returned by put */
	void (*put)(void *addr, size_t len);
};
extern const struct __malloc_pages *__malloc_provider;
#endif
