/* libc's strto* (strtol.c), string functions (string.c), qsort and
 * bsearch (qsort.c) and getopt (getopt.c), compiled under hl_* names. */
#include "test.h"
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <inttypes.h>
#include <unistd.h>

#define strtol hl_strtol
#define strtoul hl_strtoul
#define strtoll hl_strtoll
#define strtoull hl_strtoull
#define strtoimax hl_strtoimax
#define strtoumax hl_strtoumax
#define strtod hl_strtod
#define strtof hl_strtof
#define strtold hl_strtold
#define atoi hl_atoi
#define atol hl_atol
#define atoll hl_atoll
#define atof hl_atof
#include "../../libc/src/strtol.c"

#define memcpy hl_memcpy
#define memmove hl_memmove
#define memset hl_memset
#define memcmp hl_memcmp
#define memchr hl_memchr
#define memrchr hl_memrchr
#define mempcpy hl_mempcpy
#define memmem hl_memmem
#define strlen hl_strlen
#define strnlen hl_strnlen
#define strcpy hl_strcpy
#define stpcpy hl_stpcpy
#define strncpy hl_strncpy
#define stpncpy hl_stpncpy
#define strlcpy hl_strlcpy
#define strlcat hl_strlcat
#define strcat hl_strcat
#define strncat hl_strncat
#define strcmp hl_strcmp
#define strncmp hl_strncmp
#define strcoll hl_strcoll
#define strxfrm hl_strxfrm
#define strcasecmp hl_strcasecmp
#define strncasecmp hl_strncasecmp
#define strchr hl_strchr
#define strchrnul hl_strchrnul
#define strrchr hl_strrchr
#define strstr hl_strstr
#define strcasestr hl_strcasestr
#define strspn hl_strspn
#define strcspn hl_strcspn
#define strpbrk hl_strpbrk
#define strtok_r hl_strtok_r
#define strtok hl_strtok
#define strsep hl_strsep
#define strdup hl_strdup
#define strndup hl_strndup
#define ffs hl_ffs
#define bzero hl_bzero
size_t hl_strlcpy(char *d, const char *s, size_t n);
size_t hl_strlcat(char *d, const char *s, size_t n);
void *hl_memrchr(const void *s, int c, size_t n);
#include "../../libc/src/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strcpy
#undef strncpy
#undef strcat
#undef strncat
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr
#undef strspn
#undef strcspn
#undef strpbrk
#undef strtok_r
#undef strtok
#undef strdup
#undef strndup
#undef strnlen

#define qsort hl_qsort
#define bsearch hl_bsearch
#include "../../libc/src/qsort.c"
#undef qsort
#undef bsearch

#define getopt hl_getopt
#define optarg hl_optarg
#define optind hl_optind
#define opterr hl_opterr
#define optopt hl_optopt
#include "../../libc/src/getopt.c"

TEST(libc_strtol)
{
	char *e1, *e2;
	static const char *const in[] = {
		"0", "-0", "123", "  -456abc", "+77", "0x1A", "0X", "017", "09",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "99999999999999999999999", "", "   ", "-", "z",
	};
	static const int bases[] = { 0, 10, 16, 8, 2, 36 };

	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (unsigned j = 0; j < sizeof(bases) / sizeof(bases[0]); j++) {
			errno = 0;
			long a = hl_strtol(in[i], &e1, bases[j]);
			int ea = errno;
			errno = 0;
			long b = strtol(in[i], &e2, bases[j]);
			int eb = errno;
			if (a != b || e1 - in[i] != e2 - in[i] || ea != eb)
				printf("  strtol(\"%s\", %d): %ld/%ld end %td/%td errno %d/%d\n", in[i],
				       bases[j], a, b, e1 - in[i], e2 - in[i], ea, eb);
			ASSERT_EQ(a, b);
			ASSERT_EQ(e1 - in[i], e2 - in[i]);
			ASSERT_EQ(ea, eb);
			errno = 0;
			unsigned long ua = hl_strtoul(in[i], &e1, bases[j]);
			ea = errno;
			errno = 0;
			unsigned long ub = strtoul(in[i], &e2, bases[j]);
			eb = errno;
			ASSERT(ua == ub);
			ASSERT_EQ(e1 - in[i], e2 - in[i]);
			ASSERT_EQ(ea, eb);
		}
	ASSERT_EQ(hl_atoi("  42x"), 42);
}

TEST(libc_strtod)
{
	static const char *const in[] = {
		"0", "1", "-2.5", "3.14159", "1e10", "1.5e-7", "123456.789e3", ".5",
		"5.", "inf", "-Infinity", "1e308", "2.2250738585072014e-308", "0x10",
	};
	char *e1, *e2;

	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		double a = hl_strtod(in[i], &e1), b = strtod(in[i], &e2);
		ASSERT_EQ(e1 - in[i], e2 - in[i]);
		ASSERT(a == b || (a - b) / b < 1e-15 || (b - a) / b < 1e-15);
	}
	ASSERT(hl_strtod("nan", NULL) != hl_strtod("nan", NULL));
}

TEST(libc_string_funcs)
{
	char buf[64], *save, *p;

	ASSERT_EQ(hl_strlen("hello"), 5);
	ASSERT(hl_strcmp("abc", "abd") < 0 && hl_strcmp("b", "a") > 0 && !hl_strcmp("x", "x"));
	ASSERT(hl_strcmp("\xff", "a") > 0);
	ASSERT(hl_strncmp("abcdef", "abcxyz", 3) == 0);
	ASSERT(hl_strcasecmp("HeLLo", "hello") == 0);
	ASSERT_STR(hl_strchr("hello", 'l'), "llo");
	ASSERT_STR(hl_strrchr("hello", 'l'), "lo");
	ASSERT(hl_strchr("hello", 0) == NULL || *hl_strchr("hello", 0) == 0);
	ASSERT_STR(hl_strstr("find the needle", "needle"), "needle");
	ASSERT(hl_strstr("abc", "abd") == NULL);
	ASSERT_EQ(hl_strspn("aabbc", "ab"), 4);
	ASSERT_EQ(hl_strcspn("hello world", " "), 5);
	hl_strcpy(buf, "a,b,,c");
	p = hl_strtok_r(buf, ",", &save);
	ASSERT_STR(p, "a");
	ASSERT_STR(hl_strtok_r(NULL, ",", &save), "b");
	ASSERT_STR(hl_strtok_r(NULL, ",", &save), "c");
	ASSERT(hl_strtok_r(NULL, ",", &save) == NULL);
	ASSERT_EQ(hl_strlcpy(buf, "truncate me", 5), 11);
	ASSERT_STR(buf, "trun");
	char ov[16] = "0123456789";
	hl_memmove(ov + 2, ov, 8);
	ASSERT(!memcmp(ov, "0101234567", 10));
	hl_memmove(ov, ov + 2, 8);
	ASSERT(!memcmp(ov, "0123456767", 10));
	unsigned char big[100];
	hl_memset(big, 0xab, sizeof(big));
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(big[i], 0xab);
	char *d = hl_strdup("dup");
	ASSERT_STR(d, "dup");
	free(d);
	d = hl_strndup("duplicate", 3);
	ASSERT_STR(d, "dup");
	free(d);
	ASSERT(hl_memcmp("ab", "ac", 2) < 0);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

TEST(libc_qsort_bsearch)
{
	static int v[5000];
	unsigned s = 1;

	for (int round = 0; round < 4; round++) {
		int n = round == 0 ? 5000 : 1 + (int)(s % 300);
		for (int i = 0; i < n; i++) {
			s = s * 1103515245 + 12345;
			v[i] = round == 1 ? 7 : round == 2 ? n - i : (int)(s >> 8) % 1000;
		}
		hl_qsort(v, (size_t)n, sizeof(int), cmp_int);
		for (int i = 1; i < n; i++)
			ASSERT(v[i - 1] <= v[i]);
		for (int i = 0; i < n; i += 7)
			ASSERT(*(int *)hl_bsearch(&v[i], v, (size_t)n, sizeof(int), cmp_int) == v[i]);
	}
	int k = -1;
	ASSERT(hl_bsearch(&k, v, 10, sizeof(int), cmp_int) == NULL);
}

TEST(libc_getopt)
{
	char *argv[] = { "p", "-ab", "-c", "x", "-dy", "--", "-e", NULL };
	int c, seen = 0;

	hl_opterr = 0;
	hl_optind = 1;
	while ((c = hl_getopt(7, argv, "abc:d:")) != -1) {
		if (c == 'a' || c == 'b')
			seen |= c == 'a' ? 1 : 2;
		else if (c == 'c') {
			ASSERT_STR(hl_optarg, "x");
			seen |= 4;
		} else if (c == 'd') {
			ASSERT_STR(hl_optarg, "y");
			seen |= 8;
		}
	}
	ASSERT_EQ(seen, 15);
	ASSERT_EQ(hl_optind, 6);
	char *argv2[] = { "p", "-z", "-c", NULL };
	hl_optind = 1;
	ASSERT_EQ(hl_getopt(3, argv2, ":c:"), '?');
	ASSERT_EQ(hl_optopt, 'z');
	ASSERT_EQ(hl_getopt(3, argv2, ":c:"), ':');
	ASSERT_EQ(hl_optopt, 'c');
}
