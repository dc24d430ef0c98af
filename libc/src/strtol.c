/* The strto* family and ato*. Pure (host-tested): errno is the only
 * global touched. strtod is correct to within an ulp or so, not always
 * correctly rounded. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Parses an optionally signed integer; *neg gets the sign and the
 * magnitude saturates at limit (errno ERANGE). */
static unsigned long long scan_uint(const char *s, char **end, int base,
				    unsigned long long limit, int *neg)
{
	const char *p = s, *start;
	unsigned long long v = 0;
	int overflow = 0, any = 0;

	*neg = 0;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
	    digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	start = p;
	for (;; p++) {
		int d = digit_value((unsigned char)*p);
		if (d >= base)
			break;
		any = 1;
		if (v > (limit - (unsigned)d) / (unsigned)base)
			overflow = 1;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	if (end)
		*end = (char *)(any ? p : (start > s && start[-1] == 'x' ? start - 1 : s));
	if (!any)
		return 0;
	if (overflow) {
		errno = ERANGE;
		return limit;
	}
	return v;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	int neg;
	unsigned long long v = scan_uint(s, end, base, (unsigned long long)LLONG_MAX + 1, &neg);

	if (!neg && v > (unsigned long long)LLONG_MAX) {
		errno = ERANGE;
		return LLONG_MAX;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)strtoll(s, end, base);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	int neg;
	unsigned long long v = scan_uint(s, end, base, ULLONG_MAX, &neg);

	return neg ? 0 - v : v;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)strtoull(s, end, base);
}

intmax_t strtoimax(const char *s, char **end, int base) { return strtoll(s, end, base); }
uintmax_t strtoumax(const char *s, char **end, int base) { return strtoull(s, end, base); }
int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
long long atoll(const char *s) { return strtoll(s, NULL, 10); }

static double pow10_of(int e)
{
	double r = 1, b = 10;
	unsigned n = (unsigned)(e < 0 ? -e : e);

	for (; n; n >>= 1, b *= b)
		if (n & 1)
			r *= b;
	return e < 0 ? 1 / r : r;
}

static int match_word(const char *p, const char *w)
{
	int n = 0;

	for (; w[n]; n++)
		if ((p[n] | 32) != w[n])
			return 0;
	return n;
}

double strtod(const char *restrict s, char **restrict end)
{
	const char *p = s;
	unsigned long long mant = 0;
	int neg = 0, any = 0, exp10 = 0, n;
	double v;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if ((n = match_word(p, "infinity")) || (n = match_word(p, "inf"))) {
		if (end)
			*end = (char *)p + n;
		return neg ? -__builtin_inf() : __builtin_inf();
	}
	if ((n = match_word(p, "nan"))) {
		if (end)
			*end = (char *)p + n;
		return neg ? -__builtin_nan("") : __builtin_nan("");
	}
	if (p[0] == '0' && (p[1] | 32) == 'x') {
		char *e;
		unsigned long long h = strtoull(p + 2, &e, 16);
		if (e == p + 2) {
			if (end)
				*end = (char *)p + 1;
			return neg ? -0.0 : 0.0;
		}
		if (end)
			*end = e;
		return neg ? -(double)h : (double)h;
	}
	for (; isdigit((unsigned char)*p); p++, any = 1) {
		if (mant < 1000000000000000000ull)
			mant = mant * 10 + (unsigned)(*p - '0');
		else
			exp10++;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, any = 1) {
			if (mant < 1000000000000000000ull) {
				mant = mant * 10 + (unsigned)(*p - '0');
				exp10--;
			}
		}
	}
	if (!any) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	if ((*p | 32) == 'e') {
		const char *q = p + 1;
		int eneg = 0, e = 0;
		if (*q == '-' || *q == '+')
			eneg = *q++ == '-';
		if (isdigit((unsigned char)*q)) {
			for (; isdigit((unsigned char)*q); q++)
				if (e < 100000)
					e = e * 10 + (*q - '0');
			exp10 += eneg ? -e : e;
			p = q;
		}
	}
	if (end)
		*end = (char *)p;
	v = (double)mant;
	if (mant && exp10 < -300) {
		v *= pow10_of(-300);
		exp10 += 300;
	}
	v = exp10 ? v * pow10_of(exp10) : v;
	if (mant && (v == 0 || v == __builtin_inf()))
		errno = ERANGE;
	return neg ? -v : v;
}

float strtof(const char *restrict s, char **restrict end) { return (float)strtod(s, end); }
long double strtold(const char *restrict s, char **restrict end) { return strtod(s, end); }
double atof(const char *s) { return strtod(s, NULL); }
