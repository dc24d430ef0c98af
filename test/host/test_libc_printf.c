/* libc's printf engine (libc/src/vformat.c), strto* (strtol.c), string
 * functions (string.c), qsort/bsearch (qsort.c) and getopt compiled
 * natively under renamed symbols (hl_*) and checked against the host's
 * C library. */
#define _GNU_SOURCE
#include "test.h"
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define vsnprintf hl_vsnprintf
#define snprintf hl_snprintf
#define vsprintf hl_vsprintf
#define sprintf hl_sprintf
#define __vformat hl_vformat
#include "../../libc/src/vformat.c"
#undef vsnprintf
#undef snprintf
#undef vsprintf
#undef sprintf

/* The reference: glibc's checked entry point, because kernel/fmt.c (in
 * the same host binary) defines plain snprintf/vsnprintf. */
static int host_vsnprintf(char *s, size_t n, const char *fmt, va_list ap)
{
	static int (*real)(char *, size_t, const char *, va_list);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "vsnprintf");
	return real(s, n, fmt, ap);
}

/* Formats with both and compares. */
static int same(const char *fmt, ...)
{
	char a[2048], b[2048];
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	int ra = hl_vsnprintf(a, sizeof(a), fmt, ap);
	int rb = host_vsnprintf(b, sizeof(b), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (ra != rb || strcmp(a, b)) {
		printf("  fmt \"%s\": ours \"%s\" (%d), host \"%s\" (%d)\n", fmt, a, ra, b, rb);
		return 0;
	}
	return 1;
}

TEST(libc_printf_ints)
{
	ASSERT(same("%d %i %u", 0, -1, 3u));
	ASSERT(same("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42));
	ASSERT(same("%.3d|%8.3d|%-8.3d|%08.3d", 7, 7, 7, 7));
	ASSERT(same("%.0d|%.0x|%#.0o", 0, 0, 0));
	ASSERT(same("%x %X %#x %#X %o %#o", 255u, 255u, 255u, 255u, 8u, 8u));
	ASSERT(same("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX));
	ASSERT(same("%hhd %hd %hhu %hu", 300, 70000, 300, 70000));
	ASSERT(same("%zu %zd %jd %td", (size_t)123, (ssize_t)-5, (intmax_t)-77, (ptrdiff_t)9));
	ASSERT(same("%*d|%-*d|%.*d", 6, 1, 6, 2, 4, 3));
	ASSERT(same("%c%c%c|%5c|%-3c|", 'a', 'b', 'c', 'x', 'y'));
	ASSERT(same("%s|%10s|%-10s|%.2s|%10.3s", "hey", "hey", "hey", "hey", "hello"));
	ASSERT(same("%p %p", (void *)0x1234, (void *)&same));
	ASSERT(same("100%% %d%%", 5));
	int n1 = 0, n2 = 0;
	char b[64];
	hl_snprintf(b, sizeof(b), "abc%nde", &n1);
	n2 = 3;
	ASSERT_EQ(n1, n2);
}

TEST(libc_printf_truncation)
{
	char b[8];

	ASSERT_EQ(hl_snprintf(b, sizeof(b), "%s", "0123456789"), 10);
	ASSERT_STR(b, "0123456");
	ASSERT_EQ(hl_snprintf(NULL, 0, "%d", 12345), 5);
	ASSERT_EQ(hl_snprintf(b, 1, "xyz"), 3);
	ASSERT_STR(b, "");
}

TEST(libc_printf_floats)
{
	static const double vals[] = {
		0.0, -0.0, 1.0, -1.5, 0.5, 2.5, 3.14159265358979, 1e-5, 123456789.0,
		1e100, 1e-100, 5e-324, 1.7976931348623157e308, 0.1, 0.125, 2.675,
		1234.5, 999.9999, 9.9999999, 0.000123456, 100.0, 1e15, 1e16, 1e21,
		6.02214076e23, 1.0 / 3.0, 299792458.0, 0.05, 0.15, 0.25, 0.35,
	};
	static const char *const fmts[] = {
		"%f", "%.0f", "%.1f", "%.2f", "%.10f", "%e", "%.0e", "%.3e", "%E",
		"%g", "%.0g", "%.1g", "%.3g", "%.10g", "%G", "%#g", "%#.0f", "%#.0e",
		"%12.4f", "%-12.4f|", "%012.4f", "%+f", "% e", "%+.3g", "%015.3e",
		"%.17g", "%.20f", "%a",
	};

	for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		for (unsigned j = 0; j < sizeof(fmts) / sizeof(fmts[0]); j++) {
			if (!strcmp(fmts[j], "%a"))
				continue;	/* printed as %e by design */
			ASSERT(same(fmts[j], vals[i]));
		}
	ASSERT(same("%f %e %g", 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0));
	ASSERT(same("%5.1f|%-8F|%08.2f", 1.0 / 0.0, -1.0 / 0.0, -2.5));
	ASSERT(same("%.400f", 1e-300));
	ASSERT(same("%Lf", (long double)2.5));
}

TEST(libc_printf_random_doubles)
{
	unsigned long long s = 88172645463325252ull;

	for (int i = 0; i < 3000; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double d;
		memcpy(&d, &s, sizeof(d));
		if (d != d)
			continue;
		ASSERT(same("%.17g", d));
		ASSERT(same("%e", d));
		ASSERT(same("%.3f", (double)(long long)(s % 2000000) / 1000.0 - 1000.0));
		ASSERT(same("%g", d));
	}
}
