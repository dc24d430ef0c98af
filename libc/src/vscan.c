/* scanf's engine and sscanf/vsscanf. Pure (host-tested): reads through
 * a character source, so fscanf (stdio.c) shares it. Conversions: d i u
 * o x X c s [ n p % and e f g (via strtod), with widths, '*', and the
 * lengths hh h l ll j z t L. Returns the count of assignments, or EOF
 * when input ended before the first conversion. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

enum { S_NONE, S_HH, S_H, S_L, S_LL, S_BIG };

struct scan {
	struct __scan_src *src;
	int count;	/* bytes consumed, for %n */
};

static int next(struct scan *s)
{
	int c = s->src->get(s->src->ctx);

	if (c >= 0)
		s->count++;
	return c;
}

static void back(struct scan *s, int c)
{
	if (c >= 0) {
		s->src->unget(s->src->ctx, c);
		s->count--;
	}
}

static void skip_space(struct scan *s)
{
	int c;

	while ((c = next(s)) >= 0 && isspace(c))
		;
	back(s, c);
}

static void store_int(void *p, int len, uintmax_t v)
{
	switch (len) {
	case S_HH: *(char *)p = (char)v; break;
	case S_H: *(short *)p = (short)v; break;
	case S_L: *(long *)p = (long)v; break;
	case S_LL: *(long long *)p = (long long)v; break;
	default: *(int *)p = (int)v;
	}
}

/* Collects up to width chars that can continue a number into buf. */
static int collect_number(struct scan *s, char *buf, int width, int is_float, int base)
{
	int n = 0, c;

	while (n < width && n < 126 && (c = next(s)) >= 0) {
		int ok = isdigit(c) ||
			 (n == 0 && (c == '-' || c == '+')) ||
			 (base != 10 && isxdigit(c)) ||
			 ((c == 'x' || c == 'X') && n > 0 && buf[n - 1] == '0' && base != 10 && base != 8);
		if (is_float)
			ok = ok || c == '.' || c == 'e' || c == 'E' || c == 'x' || c == 'X' ||
			     isxdigit(c) || c == 'n' || c == 'a' || c == 'i' || c == 'f' ||
			     ((c == '-' || c == '+') && n > 0 && (buf[n - 1] | 32) == 'e');
		if (!ok) {
			back(s, c);
			break;
		}
		buf[n++] = (char)c;
	}
	buf[n] = 0;
	return n;
}

int __vscan(struct __scan_src *src, const char *fmt, va_list ap0)
{
	struct scan s = { src, 0 };
	int assigned = 0, any_input = 0;
	va_list ap;

	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		if (isspace((unsigned char)*fmt)) {
			skip_space(&s);
			continue;
		}
		if (*fmt != '%' || fmt[1] == '%') {
			if (*fmt == '%') {
				fmt++;
				skip_space(&s);
			}
			int c = next(&s);
			if (c < 0)
				goto input_end;
			if (c != (unsigned char)*fmt) {
				back(&s, c);
				goto out;
			}
			continue;
		}
		fmt++;
		int suppress = 0, width = 0, len = S_NONE;
		if (*fmt == '*') {
			suppress = 1;
			fmt++;
		}
		while (isdigit((unsigned char)*fmt))
			width = width * 10 + (*fmt++ - '0');
		switch (*fmt) {
		case 'h': fmt++; len = S_H; if (*fmt == 'h') { fmt++; len = S_HH; } break;
		case 'l': fmt++; len = S_L; if (*fmt == 'l') { fmt++; len = S_LL; } break;
		case 'L': case 'q': fmt++; len = S_LL; break;
		case 'j': case 'z': case 't': fmt++; len = S_L; break;
		}
		char conv = *fmt;
		if (!conv)
			break;
		if (conv == 'n') {
			if (!suppress)
				store_int(va_arg(ap, void *), len, (uintmax_t)s.count);
			continue;
		}
		if (conv != 'c' && conv != '[')
			skip_space(&s);
		if (conv == 'c' || conv == 's' || conv == '[') {
			char *dst = suppress ? NULL : va_arg(ap, char *);
			int n = 0, c;
			char set[256];
			int negate = 0;
			if (conv == 'c' && !width)
				width = 1;
			if (!width)
				width = INT32_MAX;
			if (conv == '[') {
				memset(set, 0, sizeof(set));
				fmt++;
				if (*fmt == '^') {
					negate = 1;
					fmt++;
				}
				if (*fmt == ']')
					set[(unsigned char)*fmt++] = 1;
				for (; *fmt && *fmt != ']'; fmt++) {
					if (fmt[1] == '-' && fmt[2] && fmt[2] != ']') {
						for (int ch = (unsigned char)fmt[0]; ch <= (unsigned char)fmt[2]; ch++)
							set[ch] = 1;
						fmt += 2;
					} else {
						set[(unsigned char)*fmt] = 1;
					}
				}
				if (!*fmt)
					goto out;
			}
			while (n < width && (c = next(&s)) >= 0) {
				if ((conv == 's' && isspace(c)) ||
				    (conv == '[' && (set[c] == 0) != negate)) {
					back(&s, c);
					break;
				}
				if (dst)
					dst[n] = (char)c;
				n++;
			}
			if (n == 0)
				goto input_end_or_fail;
			any_input = 1;
			if (dst) {
				if (conv != 'c')
					dst[n] = 0;
				assigned++;
			}
			continue;
		}
		char buf[128], *end;
		int base = 10, is_float = 0, is_signed = 1;
		switch (conv) {
		case 'd': break;
		case 'i': base = 0; break;
		case 'u': is_signed = 0; break;
		case 'o': base = 8; is_signed = 0; break;
		case 'x': case 'X': case 'p': base = 16; is_signed = 0; break;
		case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a':
			is_float = 1;
			break;
		default:
			goto out;
		}
		int n = collect_number(&s, buf, width ? width : 126, is_float, base);
		if (n == 0)
			goto input_end_or_fail;
		any_input = 1;
		if (is_float) {
			double v = strtod(buf, &end);
			if (end == buf)
				goto out;
			if (!suppress) {
				if (len == S_L)
					*va_arg(ap, double *) = v;
				else if (len == S_LL)
					*va_arg(ap, long double *) = v;
				else
					*va_arg(ap, float *) = (float)v;
				assigned++;
			}
			continue;
		}
		uintmax_t v = is_signed ? (uintmax_t)strtoll(buf, &end, base)
					: (uintmax_t)strtoull(buf, &end, base);
		if (end == buf)
			goto out;
		if (!suppress) {
			if (conv == 'p')
				*va_arg(ap, void **) = (void *)(uintptr_t)v;
			else
				store_int(va_arg(ap, void *), len, v);
			assigned++;
		}
		continue;
input_end_or_fail:
		{
			int c = next(&s);
			if (c < 0)
				goto input_end;
			back(&s, c);
			goto out;
		}
	}
	goto out;
input_end:
	if (!assigned && !any_input) {
		va_end(ap);
		return EOF;
	}
out:
	va_end(ap);
	return assigned;
}

struct str_src {
	const char *s;
};

static int str_get(void *ctx)
{
	struct str_src *p = ctx;

	return *p->s ? (unsigned char)*p->s++ : -1;
}

static void str_unget(void *ctx, int c)
{
	struct str_src *p = ctx;

	(void)c;
	p->s--;
}

int vsscanf(const char *restrict str, const char *restrict fmt, va_list ap)
{
	struct str_src p = { str };
	struct __scan_src src = { str_get, str_unget, &p };

	return __vscan(&src, fmt, ap);
}

int sscanf(const char *restrict str, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsscanf(str, fmt, ap);
	va_end(ap);
	return r;
}
