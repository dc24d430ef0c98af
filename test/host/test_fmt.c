/* Tests for kernel/fmt.c's vsnprintf against the host C library: every
 * case is formatted by both (the host through vsprintf, which fmt.c does
 * not replace) and must agree in text and in return value. */
#include "test.h"
#include <fmt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

int vsprintf(char *buf, const char *fmt, va_list ap);	/* the host's */

static int mismatches;

/* Format with both; report a difference with the caller's line. */
static __attribute__((format(printf, 2, 3)))
void check(int line, const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, ap2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	int wn = vsprintf(want, fmt, ap);
	int gn = vsnprintf(got, sizeof(got), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (wn != gn || strcmp(want, got) != 0) {
		printf("  line %d: \"%s\": got \"%s\" (%d), host \"%s\" (%d)\n",
		       line, fmt, got, gn, want, wn);
		mismatches++;
	}
}

#define CHECK(...) check(__LINE__, __VA_ARGS__)
/* Flag mixes GCC calls redundant (and warns about) but C defines: the
 * format goes through a variable so only the run-time check sees it. */
#define CHECK_ODD(f, ...)						\
	do {								\
		const char *odd_ = (f);					\
		check(__LINE__, odd_, __VA_ARGS__);			\
	} while (0)
#define BEGIN() (mismatches = 0)
#define END() ASSERT_EQ(mismatches, 0)

TEST(fmt_signed)
{
	BEGIN();
	CHECK("%d %d %d", 0, 42, -42);
	CHECK("%d %d", INT_MAX, INT_MIN);
	CHECK("%i|%5i|%-5i|%05i", 7, 7, -7, -7);
	CHECK_ODD("%+d %+d % d % d %+ d", 5, -5, 5, -5, 5);
	CHECK_ODD("%+05d|%-+6d|% 05d|%-05d", 42, 42, 42, 42);
	CHECK_ODD("%.3d|%.3d|%5.3d|%-8.3d|%08.3d", 7, -7, 7, -7, 7);
	CHECK("[%.0d] [%5.0d] [%+.0d] [%.0d]", 0, 0, 0, 1);
	CHECK("%1d|%2d|%20d", 12345, 12345, 12345);
	END();
}

TEST(fmt_unsigned_bases)
{
	BEGIN();
	CHECK("%u %u %u", 0u, 42u, UINT_MAX);
	CHECK("%x %X %o", 0xbeefu, 0xbeefu, 0755u);
	CHECK("%#x %#X %#o", 0xbeefu, 0xbeefu, 0755u);
	CHECK("[%#x] [%#o] [%#X]", 0u, 0u, 0u);
	CHECK("[%#.3o] [%#.2o] [%#.0o] [%.0o]", 8u, 8u, 0u, 0u);
	CHECK("[%.0x] [%#.0x] [%#5.0x]", 0u, 0u, 0u);
	CHECK("%#10x|%#-10x|%#010x|%010x", 0xabu, 0xabu, 0xabu, 0xabu);
	CHECK("%.6x|%#.6x|%#12.6X", 0xabu, 0xabu, 0xabu);
	CHECK("%08o|%-8o|%#8o", 0755u, 0755u, 0755u);
	END();
}

/* '+' and ' ' belong to signed conversions only. */
TEST(fmt_sign_flags_ignored_for_unsigned)
{
	/* Odd on purpose: a variable keeps -Wformat from objecting. */
	const char *plus = "%+u|%+x|% u|% o|%+5u|% 05X";

	BEGIN();
	check(__LINE__, plus, 5u, 5u, 5u, 5u, 5u, 10u);
	END();
}

TEST(fmt_length_modifiers)
{
	BEGIN();
	CHECK("%hhd %hhd %hhu %hhx %hhi", 200, -200, 300, 0x1ff, 127);
	CHECK("%hd %hd %hu %hx", 40000, -40000, 70000, 0x12345);
	CHECK("%ld %ld %lu %lx", LONG_MAX, LONG_MIN, ULONG_MAX, 0xdeadbeefcafeUL);
	CHECK("%lld %lld %llu %llX %llo", LLONG_MAX, LLONG_MIN, ULLONG_MAX,
	      0x123456789abcULL, 01234567012345670ULL);
	CHECK("%zu %zd %zx %zd", (size_t)-1, (ssize_t)-5, (size_t)0xffff, (ssize_t)SSIZE_MAX);
	CHECK("%td %tu %jd %ju", (ptrdiff_t)-3, (ptrdiff_t)3, (intmax_t)INT64_MIN,
	      (uintmax_t)UINT64_MAX);
	CHECK("%hhd|%hd|%d|%ld", 1, 2, 3, 4L);	/* arguments stay in step */
	END();
}

TEST(fmt_char_string)
{
	BEGIN();
	CHECK("%c%c%c", 'a', 'b', 'c');
	CHECK("[%5c] [%-5c] [%1c]", 'x', 'y', 'z');
	CHECK("[%s] [%10s] [%-10s] [%2s]", "abc", "abc", "abc", "abcdef");
	CHECK("[%.2s] [%10.2s] [%-10.2s] [%.0s] [%.10s]", "abcdef", "abcdef",
	      "abcdef", "abcdef", "abc");
	CHECK("[%s] [%5s]", "", "");
	END();
}

TEST(fmt_star_width_precision)
{
	BEGIN();
	CHECK("[%*d] [%-*d] [%*d]", 6, 42, 6, 42, -6, 42);
	CHECK("[%.*d] [%.*d] [%.*d]", 4, 42, 0, 0, -1, 0);
	CHECK("[%*.*d] [%-*.*x]", 8, 4, -42, 8, 3, 0xau);
	CHECK("[%.*s] [%*s] [%-*s] [%*.*s]", 3, "abcdef", 6, "ab", 6, "ab", 6, 2, "abcd");
	CHECK("[%.*s]", -1, "negative precision means none");
	CHECK("[%*c]", -3, 'q');
	END();
}

TEST(fmt_pointer_and_percent)
{
	int x;
	void *p = &x;

	BEGIN();
	CHECK("%p", p);
	CHECK("[%20p] [%-20p]", p, p);
	CHECK("%p", (void *)0x1000);
	CHECK("100%% %%d %c%%", 'x');
	CHECK("a%sb%dc%xd%%e", "S", 1, 0xfu);
	CHECK("no conversions at all");
	CHECK("%s", "");
	END();
}

TEST(fmt_null_string)
{
	const char *volatile np = NULL;	/* opaque to the compiler's checks */
	char buf[32];

	ASSERT_EQ(snprintf(buf, sizeof(buf), "%s", np), 6);
	ASSERT_STR(buf, "(null)");
	ASSERT_EQ(snprintf(buf, sizeof(buf), "[%8s]", np), 10);
	ASSERT_STR(buf, "[  (null)]");
}

/* Truncation is the point of the next test. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* C99: the return value is the untruncated length; at most size - 1
 * characters are stored, always followed by a NUL when size > 0; no byte
 * past size is touched. */
TEST(fmt_truncation)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	ASSERT_EQ(snprintf(buf, 5, "%d", 123456), 6);
	ASSERT_STR(buf, "1234");
	ASSERT_EQ(buf[5], 'X');

	memset(buf, 'X', sizeof(buf));
	ASSERT_EQ(snprintf(buf, 7, "%d", 123456), 6);	/* exact fit */
	ASSERT_STR(buf, "123456");
	ASSERT_EQ(buf[7], 'X');

	memset(buf, 'X', sizeof(buf));
	ASSERT_EQ(snprintf(buf, 6, "%d", 123456), 6);	/* one short */
	ASSERT_STR(buf, "12345");

	memset(buf, 'X', sizeof(buf));
	ASSERT_EQ(snprintf(buf, 1, "%s", "abc"), 3);
	ASSERT_EQ(buf[0], '\0');
	ASSERT_EQ(buf[1], 'X');

	memset(buf, 'X', sizeof(buf));
	ASSERT_EQ(snprintf(buf, 0, "%s", "abc"), 3);	/* nothing written */
	ASSERT_EQ(buf[0], 'X');
	ASSERT_EQ(snprintf(NULL, 0, "%-20s|%08x", "ab", 5u), 29);

	memset(buf, 'X', sizeof(buf));
	ASSERT_EQ(snprintf(buf, 4, "%10s", "ab"), 10);	/* cut inside padding */
	ASSERT_STR(buf, "   ");
	ASSERT_EQ(snprintf(buf, 3, "%c%c%c", 'a', 'b', 'c'), 3);
	ASSERT_STR(buf, "ab");
}

static int call_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* vsnprintf must not consume the caller's va_list. */
TEST(fmt_vsnprintf_leaves_caller_list)
{
	char buf[32];

	ASSERT_EQ(call_vsnprintf(buf, sizeof(buf), "%d-%s-%lx", -1, "two", 3UL), 8);
	ASSERT_STR(buf, "-1-two-3");
}

TEST(fmt_trailing_percent_and_unknown)
{
	const char *lone = "abc%";
	const char *odd = "%y|%d";
	char buf[32];

	/* Undefined in C; the kernel must still stop cleanly. */
	ASSERT_EQ(snprintf(buf, sizeof(buf), lone, 0), 3);
	ASSERT_STR(buf, "abc");
	snprintf(buf, sizeof(buf), odd, 5);
	ASSERT_STR(buf, "%y|5");
}
