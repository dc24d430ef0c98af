/* printf's engine and the string printers (sprintf, snprintf and their
 * v-forms). Pure: host-tested against the host's snprintf.
 *
 * Conversions: d i u o x X c s p n % and the floating e E f F g G,
 * flags - + space # 0, width and precision (numbers or *), lengths
 * hh h l ll j z t L. Floats are printed exactly: the double's value
 * m * 2^e is expanded into all its decimal digits with a small bignum
 * (base 1e9 limbs), then rounded half-to-even, as glibc does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

enum {
	F_MINUS = 1, F_PLUS = 2, F_SPACE = 4, F_HASH = 8, F_ZERO = 16,
};
enum { L_NONE, L_HH, L_H, L_L, L_LL, L_J, L_Z, L_T, L_BIG };

struct spec {
	int flags;
	int width;
	int prec;	/* -1: none given */
	int len;
	char conv;
};

struct out {
	__fmt_out_fn fn;
	void *ctx;
	int count;
};

static void emit(struct out *o, const char *s, size_t n)
{
	if (n) {
		o->fn(o->ctx, s, n);
		o->count += (int)n;
	}
}

static void emit_repeat(struct out *o, char c, int n)
{
	char buf[32];

	memset(buf, c, sizeof(buf));
	for (; n > 0; n -= 32)
		emit(o, buf, n < 32 ? (size_t)n : 32);
}

/* One padded field: [prefix][lz zeros][body][tz zeros], right-aligned in
 * the width with spaces, or with more zeros when zero_pad says so. */
static void emit_field(struct out *o, const struct spec *sp, int zero_pad,
		       const char *prefix, int plen, int lz,
		       const char *body, int blen, int tz)
{
	int total = plen + lz + blen + tz;
	int pad = sp->width > total ? sp->width - total : 0;

	if (sp->flags & F_MINUS) {
		emit(o, prefix, (size_t)plen);
		emit_repeat(o, '0', lz);
		emit(o, body, (size_t)blen);
		emit_repeat(o, '0', tz);
		emit_repeat(o, ' ', pad);
		return;
	}
	if (zero_pad) {
		lz += pad;
		pad = 0;
	}
	emit_repeat(o, ' ', pad);
	emit(o, prefix, (size_t)plen);
	emit_repeat(o, '0', lz);
	emit(o, body, (size_t)blen);
	emit_repeat(o, '0', tz);
}

static void format_int(struct out *o, const struct spec *sp, uintmax_t v, int neg)
{
	char digits[64], prefix[3];
	int n = 0, plen = 0, base = 10;
	const char *set = "0123456789abcdef";

	switch (sp->conv) {
	case 'o': base = 8; break;
	case 'x': base = 16; break;
	case 'X': base = 16; set = "0123456789ABCDEF"; break;
	case 'p': base = 16; break;
	}
	while (v) {
		digits[sizeof(digits) - 1 - n++] = set[v % (unsigned)base];
		v /= (unsigned)base;
	}
	int prec = sp->prec < 0 ? 1 : sp->prec;
	int lz = prec > n ? prec - n : 0;
	if (neg)
		prefix[plen++] = '-';
	else if (sp->conv == 'd' || sp->conv == 'i') {
		if (sp->flags & F_PLUS)
			prefix[plen++] = '+';
		else if (sp->flags & F_SPACE)
			prefix[plen++] = ' ';
	}
	if ((sp->flags & F_HASH || sp->conv == 'p') && n && base == 16) {
		prefix[plen++] = '0';
		prefix[plen++] = sp->conv == 'X' ? 'X' : 'x';
	}
	if (sp->flags & F_HASH && base == 8 && lz == 0 &&
	    (n == 0 || digits[sizeof(digits) - n] != '0'))
		lz = 1;
	emit_field(o, sp, sp->flags & F_ZERO && sp->prec < 0, prefix, plen, lz,
		   digits + sizeof(digits) - n, n, 0);
}

/* ---- exact decimal expansion of doubles ---- */

#define LIMBS 130		/* 1170 decimal digits: enough for 2^1024 and 5^1074 */
#define BASE 1000000000u

struct big {
	uint32_t limb[LIMBS];	/* little-endian, base 1e9 */
	int n;
};

static void big_mul(struct big *b, uint32_t m)
{
	uint64_t carry = 0;

	for (int i = 0; i < b->n; i++) {
		uint64_t t = (uint64_t)b->limb[i] * m + carry;
		b->limb[i] = (uint32_t)(t % BASE);
		carry = t / BASE;
	}
	while (carry) {
		b->limb[b->n++] = (uint32_t)(carry % BASE);
		carry /= BASE;
	}
}

/* All decimal digits of x > 0 (finite) into d, no leading zeros; the
 * decimal point lies after *point digits. Returns the digit count. */
static int float_digits(double x, char *d, int *point)
{
	uint64_t bits;
	struct big b;
	int exp2, k = 0, n = 0;

	memcpy(&bits, &x, sizeof(bits));
	int e = (int)((bits >> 52) & 0x7ff);
	uint64_t mant = bits & ((1ull << 52) - 1);
	if (e) {
		mant |= 1ull << 52;
		exp2 = e - 1075;
	} else {
		exp2 = -1074;
	}
	while (exp2 < 0 && !(mant & 1)) {
		mant >>= 1;
		exp2++;
	}
	b.n = 0;
	while (mant) {
		b.limb[b.n++] = (uint32_t)(mant % BASE);
		mant /= BASE;
	}
	if (exp2 >= 0) {
		for (; exp2 >= 29; exp2 -= 29)
			big_mul(&b, 1u << 29);
		big_mul(&b, 1u << exp2);
	} else {
		k = -exp2;
		int r = k;
		for (; r >= 13; r -= 13)
			big_mul(&b, 1220703125u);	/* 5^13 */
		uint32_t p5 = 1;
		while (r--)
			p5 *= 5;
		big_mul(&b, p5);
	}
	/* limbs to text, most significant first */
	char tmp[16];
	int t = 0;
	for (uint32_t v = b.limb[b.n - 1]; v; v /= 10)
		tmp[t++] = (char)('0' + v % 10);
	while (t)
		d[n++] = tmp[--t];
	for (int i = b.n - 2; i >= 0; i--) {
		uint32_t v = b.limb[i];
		for (int j = 8; j >= 0; j--, v /= 10)
			d[n + j] = (char)('0' + v % 10);
		n += 9;
	}
	*point = n - k;
	return n;
}

/* The first keep digits of d[0..n) (zeros past n), rounded half to even
 * on what follows, into out. Returns the length: keep, or keep + 1 when
 * rounding carried out of the top ("999" -> "1000"). keep >= 0. */
static int round_digits(const char *d, int n, int keep, char *out)
{
	int up = 0;

	for (int i = 0; i < keep; i++)
		out[i] = i < n ? d[i] : '0';
	if (keep < n) {
		char c = d[keep];
		if (c > '5') {
			up = 1;
		} else if (c == '5') {
			int rest = 0;
			for (int i = keep + 1; i < n; i++)
				if (d[i] != '0')
					rest = 1;
			up = rest || (keep > 0 && (out[keep - 1] - '0') & 1);
		}
	}
	if (!up)
		return keep;
	for (int i = keep - 1; i >= 0; i--) {
		if (out[i] != '9') {
			out[i]++;
			return keep;
		}
		out[i] = '0';
	}
	memmove(out + 1, out, (size_t)keep);
	out[0] = '1';
	return keep + 1;
}

#define FMAX_PREC 1100
#define DIGBUF 1200
#define BODYBUF (DIGBUF + FMAX_PREC + 16)

/* %f of |x| with precision p (<= FMAX_PREC) into body; returns length. */
static int body_f(const char *d, int n, int point, int p, int hash, char *body)
{
	char r[DIGBUF + FMAX_PREC + 4];
	int keep = point + p, rl = 0, bl = 0;

	if (keep >= 0)
		rl = round_digits(d, n, keep, r);
	int intlen = rl - p;
	if (intlen <= 0) {
		body[bl++] = '0';
	} else {
		memcpy(body, r, (size_t)intlen);
		bl = intlen;
	}
	if (p || hash)
		body[bl++] = '.';
	if (intlen < 0) {
		memset(body + bl, '0', (size_t)-intlen);
		bl += -intlen;
		memcpy(body + bl, r, (size_t)rl);
		bl += rl;
	} else {
		memcpy(body + bl, r + intlen, (size_t)p);
		bl += p;
	}
	return bl;
}

/* %e of |x| with precision p; *exp10 gets the printed exponent. */
static int body_e(const char *d, int n, int point, int p, int hash, int upper,
		  char *body, int zero)
{
	char r[DIGBUF + FMAX_PREC + 4];
	int rl = round_digits(d, n, p + 1, r), bl = 0;
	int e = zero ? 0 : point - 1;

	if (rl > p + 1)
		e++;
	body[bl++] = r[0];
	if (p || hash)
		body[bl++] = '.';
	memcpy(body + bl, r + 1, (size_t)p);
	bl += p;
	body[bl++] = upper ? 'E' : 'e';
	body[bl++] = e < 0 ? '-' : '+';
	if (e < 0)
		e = -e;
	if (e >= 100)
		body[bl++] = (char)('0' + e / 100);
	body[bl++] = (char)('0' + e / 10 % 10);
	body[bl++] = (char)('0' + e % 10);
	return bl;
}

static void format_float(struct out *o, const struct spec *sp, double x)
{
	char d[DIGBUF], body[BODYBUF], prefix[2];
	int plen = 0, bl, n, point, tz = 0;
	int upper = sp->conv == 'E' || sp->conv == 'F' || sp->conv == 'G';
	uint64_t bits;

	memcpy(&bits, &x, sizeof(bits));
	if (bits >> 63)
		prefix[plen++] = '-';
	else if (sp->flags & F_PLUS)
		prefix[plen++] = '+';
	else if (sp->flags & F_SPACE)
		prefix[plen++] = ' ';
	if (x != x || x - x != 0) {
		const char *s = x != x ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		emit_field(o, sp, 0, prefix, plen, 0, s, 3, 0);
		return;
	}
	if (x < 0)
		x = -x;
	int zero = x == 0;
	if (zero) {
		d[0] = '0';
		n = 1;
		point = 1;
	} else {
		n = float_digits(x, d, &point);
	}
	int p = sp->prec < 0 ? 6 : sp->prec;
	if (p > FMAX_PREC) {
		tz = p - FMAX_PREC;
		p = FMAX_PREC;
	}
	int hash = sp->flags & F_HASH;
	switch (sp->conv) {
	case 'f': case 'F':
		bl = body_f(d, n, point, p, hash || tz, body);
		break;
	case 'e': case 'E':
		bl = body_e(d, n, point, p, hash || tz, upper, body, zero);
		break;
	default: {		/* g, G */
		int P = p == 0 ? 1 : p, X;
		char r[DIGBUF + FMAX_PREC + 4];
		tz = 0;
		if (zero) {
			X = 0;
		} else {
			X = point - 1;
			if (round_digits(d, n, P, r) > P)
				X++;
		}
		if (P > X && X >= -4)
			bl = body_f(d, n, point, P - 1 - X, hash, body);
		else
			bl = body_e(d, n, point, P - 1, hash, upper, body, zero);
		if (!hash) {
			char *e = memchr(body, upper ? 'E' : 'e', (size_t)bl);
			int elen = e ? (int)(body + bl - e) : 0;
			int end = bl - elen;
			if (memchr(body, '.', (size_t)end)) {
				while (body[end - 1] == '0')
					end--;
				if (body[end - 1] == '.')
					end--;
				memmove(body + end, body + bl - elen, (size_t)elen);
				bl = end + elen;
			}
		}
	}
	}
	if (tz && (sp->conv == 'e' || sp->conv == 'E')) {
		/* split the body around the exponent for the trailing zeros */
		char *e = memchr(body, upper ? 'E' : 'e', (size_t)bl);
		int mant = (int)(e - body);
		int total = plen + bl + tz;
		int pad = sp->width > total ? sp->width - total : 0;
		if (!(sp->flags & F_MINUS) && !(sp->flags & F_ZERO))
			emit_repeat(o, ' ', pad);
		emit(o, prefix, (size_t)plen);
		if (!(sp->flags & F_MINUS) && sp->flags & F_ZERO)
			emit_repeat(o, '0', pad);
		emit(o, body, (size_t)mant);
		emit_repeat(o, '0', tz);
		emit(o, e, (size_t)(bl - mant));
		if (sp->flags & F_MINUS)
			emit_repeat(o, ' ', pad);
		return;
	}
	emit_field(o, sp, sp->flags & F_ZERO, prefix, plen, 0, body, bl, tz);
}

static void format_str(struct out *o, const struct spec *sp, const char *s)
{
	if (!s)
		s = "(null)";
	size_t n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	emit_field(o, sp, 0, "", 0, 0, s, (int)n, 0);
}

static intmax_t arg_signed(int len, va_list *ap)
{
	switch (len) {
	case L_HH: return (signed char)va_arg(*ap, int);
	case L_H: return (short)va_arg(*ap, int);
	case L_L: return va_arg(*ap, long);
	case L_LL: return va_arg(*ap, long long);
	case L_J: return va_arg(*ap, intmax_t);
	case L_Z: return va_arg(*ap, long);
	case L_T: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t arg_unsigned(int len, va_list *ap)
{
	switch (len) {
	case L_HH: return (unsigned char)va_arg(*ap, unsigned);
	case L_H: return (unsigned short)va_arg(*ap, unsigned);
	case L_L: return va_arg(*ap, unsigned long);
	case L_LL: return va_arg(*ap, unsigned long long);
	case L_J: return va_arg(*ap, uintmax_t);
	case L_Z: return va_arg(*ap, size_t);
	case L_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned);
	}
}

static void store_count(int len, va_list *ap, int count)
{
	switch (len) {
	case L_HH: *va_arg(*ap, signed char *) = (signed char)count; break;
	case L_H: *va_arg(*ap, short *) = (short)count; break;
	case L_L: case L_Z: case L_T: case L_J: *va_arg(*ap, long *) = count; break;
	case L_LL: *va_arg(*ap, long long *) = count; break;
	default: *va_arg(*ap, int *) = count;
	}
}

/* Reads flags, width, precision and length at *fmt into sp. */
static void parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	const char *f = *fmt;

	sp->flags = 0;
	for (;; f++) {
		if (*f == '-') sp->flags |= F_MINUS;
		else if (*f == '+') sp->flags |= F_PLUS;
		else if (*f == ' ') sp->flags |= F_SPACE;
		else if (*f == '#') sp->flags |= F_HASH;
		else if (*f == '0') sp->flags |= F_ZERO;
		else break;
	}
	sp->width = 0;
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_MINUS;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	sp->prec = -1;
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
		}
	}
	sp->len = L_NONE;
	switch (*f) {
	case 'h': f++; sp->len = L_H; if (*f == 'h') { f++; sp->len = L_HH; } break;
	case 'l': f++; sp->len = L_L; if (*f == 'l') { f++; sp->len = L_LL; } break;
	case 'q': f++; sp->len = L_LL; break;
	case 'j': f++; sp->len = L_J; break;
	case 'z': f++; sp->len = L_Z; break;
	case 't': f++; sp->len = L_T; break;
	case 'L': f++; sp->len = L_BIG; break;
	}
	sp->conv = *f;
	*fmt = f;
}

int __vformat(__fmt_out_fn fn, void *ctx, const char *fmt, va_list ap0)
{
	struct out o = { fn, ctx, 0 };
	struct spec sp;
	va_list ap;

	va_copy(ap, ap0);
	while (*fmt) {
		const char *pct = strchr(fmt, '%');
		if (!pct) {
			emit(&o, fmt, strlen(fmt));
			break;
		}
		emit(&o, fmt, (size_t)(pct - fmt));
		fmt = pct + 1;
		parse_spec(&fmt, &sp, &ap);
		switch (sp.conv) {
		case 'd': case 'i': {
			intmax_t v = arg_signed(sp.len, &ap);
			format_int(&o, &sp, v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v, v < 0);
			break;
		}
		case 'u': case 'o': case 'x': case 'X':
			format_int(&o, &sp, arg_unsigned(sp.len, &ap), 0);
			break;
		case 'p': {
			void *p = va_arg(ap, void *);
			if (!p) {
				struct spec s2 = sp;
				s2.prec = -1;
				format_str(&o, &s2, "(nil)");
			} else {
				sp.flags &= ~F_HASH;
				format_int(&o, &sp, (uintptr_t)p, 0);
			}
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			emit_field(&o, &sp, 0, "", 0, 0, &c, 1, 0);
			break;
		}
		case 's':
			format_str(&o, &sp, va_arg(ap, const char *));
			break;
		case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
		case 'a': case 'A': {
			double x = sp.len == L_BIG ? (double)va_arg(ap, long double)
						   : va_arg(ap, double);
			if (sp.conv == 'a' || sp.conv == 'A')
				sp.conv = sp.conv == 'a' ? 'e' : 'E';
			format_float(&o, &sp, x);
			break;
		}
		case 'n':
			store_count(sp.len, &ap, o.count);
			break;
		case '%':
			emit(&o, "%", 1);
			break;
		case 0:
			goto out;
		default:	/* unknown: print it as written */
			emit(&o, pct, (size_t)(fmt + 1 - pct));
			break;
		}
		fmt++;
	}
out:
	va_end(ap);
	return o.count;
}

/* ---- the string printers ---- */

struct strbuf {
	char *buf;
	size_t cap;	/* bytes we may write, including the NUL */
	size_t len;	/* bytes produced so far */
};

static void strbuf_out(void *ctx, const char *s, size_t n)
{
	struct strbuf *b = ctx;

	if (b->len + 1 < b->cap) {
		size_t room = b->cap - 1 - b->len;
		memcpy(b->buf + b->len, s, n < room ? n : room);
	}
	b->len += n;
}

int vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap)
{
	struct strbuf b = { s, n, 0 };
	int r = __vformat(strbuf_out, &b, fmt, ap);

	if (n)
		s[b.len < n ? b.len : n - 1] = 0;
	return r;
}

int snprintf(char *restrict s, size_t n, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return r;
}

int vsprintf(char *restrict s, const char *restrict fmt, va_list ap)
{
	return vsnprintf(s, SIZE_MAX / 2, fmt, ap);
}

int sprintf(char *restrict s, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsprintf(s, fmt, ap);
	va_end(ap);
	return r;
}
