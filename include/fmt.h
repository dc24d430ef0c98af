/* printf-style formatting into a buffer: pure, shared by printk and the
 * host tests. Supports flags (-+ #0), width, precision (incl. *), length
 * modifiers hh h l ll z t j, and conversions d i u x X o c s p %. */
#ifndef FMT_H
#define FMT_H
#include <stdarg.h>
#include <stddef.h>

/* Returns the length the full result would have (like C99 vsnprintf);
 * writes at most size-1 characters plus a NUL when size > 0. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
