/* printf-style formatting (see fmt.h). No hardware, no globals: host-tested
 * in test/host/test_fmt.c. */
#include <fmt.h>
#include <stdint.h>
#include <stdbool.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool left, plus, space, alt, zero;
	int width;
	int prec;		/* -1: none */
};

/* Emit digits of v in base with prefix and sign, honouring the spec.
 * is_signed: a d/i conversion, the only kind '+' and ' ' apply to. */
static void out_number(struct out *o, const struct spec *sp, uint64_t v,
		       bool is_signed, bool neg, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	const char *prefix = "";

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	int prec = sp->prec < 0 ? 1 : sp->prec;
	int zeros = prec > n ? prec - n : 0;

	if (neg)
		prefix = "-";
	else if (sp->plus && is_signed)
		prefix = "+";
	else if (sp->space && is_signed)
		prefix = " ";
	else if (sp->alt && base == 16 && n > 0)
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && zeros == 0 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";

	int plen = 0;
	while (prefix[plen])
		plen++;
	int total = plen + zeros + n;
	int pad = sp->width > total ? sp->width - total : 0;

	if (!sp->left && !(sp->zero && sp->prec < 0))
		out_repeat(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	if (!sp->left && sp->zero && sp->prec < 0)
		out_repeat(o, '0', pad);
	out_repeat(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

static void out_string(struct out *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->prec < 0 || n < sp->prec))
		n++;
	int pad = sp->width > n ? sp->width - n : 0;
	if (!sp->left)
		out_repeat(o, ' ', pad);
	for (int i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static const char *parse_length(const char *f, enum length *len)
{
	*len = LEN_INT;
	switch (*f) {
	case 'h':
		*len = LEN_SHORT;
		if (*++f == 'h') {
			*len = LEN_CHAR;
			f++;
		}
		return f;
	case 'l':
		*len = LEN_LONG;
		if (*++f == 'l') {
			*len = LEN_LLONG;
			f++;
		}
		return f;
	case 'z': case 't': case 'j':
		*len = LEN_SIZE;
		return f + 1;
	}
	return f;
}

static int64_t arg_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:  return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_INT:   return va_arg(*ap, int);
	default:        return va_arg(*ap, long long);
	}
}

static uint64_t arg_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:  return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_INT:   return va_arg(*ap, unsigned);
	default:        return va_arg(*ap, unsigned long long);
	}
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '#') sp->alt = true;
		else if (*f == '0') sp->zero = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
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
	return f;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		struct spec sp;
		enum length len;
		fmt = parse_spec(fmt + 1, &sp, &args);
		fmt = parse_length(fmt, &len);
		char conv = *fmt ? *fmt++ : '\0';
		switch (conv) {
		case 'd': case 'i': {
			int64_t v = arg_signed(&args, len);
			out_number(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v,
				   true, v < 0, 10, false);
			break;
		}
		case 'u': out_number(&o, &sp, arg_unsigned(&args, len), false, false, 10, false); break;
		case 'x': out_number(&o, &sp, arg_unsigned(&args, len), false, false, 16, false); break;
		case 'X': out_number(&o, &sp, arg_unsigned(&args, len), false, false, 16, true); break;
		case 'o': out_number(&o, &sp, arg_unsigned(&args, len), false, false, 8, false); break;
		case 'p':
			sp.alt = true;
			out_number(&o, &sp, (uintptr_t)va_arg(args, void *), false, false, 16, false);
			break;
		case 'c': {
			char c = (char)va_arg(args, int);
			int pad = sp.width > 1 ? sp.width - 1 : 0;
			if (!sp.left)
				out_repeat(&o, ' ', pad);
			out_char(&o, c);
			if (sp.left)
				out_repeat(&o, ' ', pad);
			break;
		}
		case 's': out_string(&o, &sp, va_arg(args, const char *)); break;
		case '%': out_char(&o, '%'); break;
		case '\0': break;
		default:	/* unknown conversion: print it as written */
			out_char(&o, '%');
			out_char(&o, conv);
			break;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
