/* Host tests for kernel/cmdline.c: word splitting, flags and key=value,
 * prefixes, quotes, empty values, truncation and the saved copy. */
#include "test.h"
#include <cmdline.h>
#include <string.h>

TEST(cmdline_bare_flag)
{
	char v[16] = "junk";

	ASSERT_EQ(cmdline_find("quiet test", "test", v, sizeof(v)), 0);
	ASSERT_STR(v, "");
	ASSERT_EQ(cmdline_find("quiet test", "quiet", v, sizeof(v)), 0);
	ASSERT_EQ(cmdline_find("quiet test", "loud", v, sizeof(v)), -1);
	ASSERT_STR(v, "");
}

TEST(cmdline_key_value)
{
	char v[16];

	ASSERT_EQ(cmdline_find("root=/dev/sda1 init=/bin/sh", "init", v, sizeof(v)), 7);
	ASSERT_STR(v, "/bin/sh");
	ASSERT_EQ(cmdline_find("root=/dev/sda1 init=/bin/sh", "root", v, sizeof(v)), 9);
	ASSERT_STR(v, "/dev/sda1");
	/* Only the first '=' splits; the rest belongs to the value. */
	ASSERT_EQ(cmdline_find("opt=a=b", "opt", v, sizeof(v)), 3);
	ASSERT_STR(v, "a=b");
}

TEST(cmdline_prefix_keys)
{
	char v[16];

	ASSERT_EQ(cmdline_find("testing=1", "test", v, sizeof(v)), -1);
	ASSERT_EQ(cmdline_find("testing", "test", v, sizeof(v)), -1);
	ASSERT_EQ(cmdline_find("test", "testing", v, sizeof(v)), -1);
	ASSERT_EQ(cmdline_find("testing=1 test", "test", v, sizeof(v)), 0);
	ASSERT_EQ(cmdline_find("test testing=1", "testing", v, sizeof(v)), 1);
	ASSERT_STR(v, "1");
	ASSERT_EQ(cmdline_find("xtest", "test", v, sizeof(v)), -1);
}

TEST(cmdline_blanks)
{
	char v[16];

	ASSERT_EQ(cmdline_find("  \ta=1\t\tb=22  ", "b", v, sizeof(v)), 2);
	ASSERT_STR(v, "22");
	ASSERT_EQ(cmdline_find("   ", "a", v, sizeof(v)), -1);
	ASSERT_EQ(cmdline_find("", "a", v, sizeof(v)), -1);
}

TEST(cmdline_last_wins)
{
	char v[16];

	ASSERT_EQ(cmdline_find("a=1 b=2 a=333", "a", v, sizeof(v)), 3);
	ASSERT_STR(v, "333");
	/* A later shorter value must not keep the tail of an earlier one. */
	ASSERT_EQ(cmdline_find("a=long a=x", "a", v, sizeof(v)), 1);
	ASSERT_STR(v, "x");
	ASSERT_EQ(cmdline_find("a=1 a", "a", v, sizeof(v)), 0);
	ASSERT_STR(v, "");
}

TEST(cmdline_quotes)
{
	char v[32];

	ASSERT_EQ(cmdline_find("x=1 msg=\"hello  world\" y=2", "msg", v, sizeof(v)), 12);
	ASSERT_STR(v, "hello  world");
	ASSERT_EQ(cmdline_find("x=1 msg=\"hello  world\" y=2", "y", v, sizeof(v)), 1);
	ASSERT_STR(v, "2");
	/* Quotes around the whole word, as Linux allows. */
	ASSERT_EQ(cmdline_find("\"msg=a b\" c", "msg", v, sizeof(v)), 3);
	ASSERT_STR(v, "a b");
	ASSERT_EQ(cmdline_find("\"msg=a b\" c", "c", v, sizeof(v)), 0);
	/* A quoted flag, and an unterminated quote running to the end. */
	ASSERT_EQ(cmdline_find("\"test\"", "test", v, sizeof(v)), 0);
	ASSERT_EQ(cmdline_find("k=\"a b c", "k", v, sizeof(v)), 5);
	ASSERT_STR(v, "a b c");
	/* The blank inside the quotes does not start a new word. */
	ASSERT_EQ(cmdline_find("k=\"a test\"", "test", v, sizeof(v)), -1);
}

TEST(cmdline_empty_values)
{
	char v[16] = "junk";

	ASSERT_EQ(cmdline_find("k= j=1", "k", v, sizeof(v)), 0);
	ASSERT_STR(v, "");
	ASSERT_EQ(cmdline_find("k=\"\"", "k", v, sizeof(v)), 0);
	ASSERT_STR(v, "");
	/* "=v" has an empty key, which nobody can ask for. */
	ASSERT_EQ(cmdline_find("=v", "", v, sizeof(v)), -1);
}

TEST(cmdline_truncation)
{
	char v[8];

	memset(v, 'Z', sizeof(v));
	/* The full length comes back; the copy stops at 7 bytes plus NUL. */
	ASSERT_EQ(cmdline_find("k=0123456789 z", "k", v, 5), 10);
	ASSERT_STR(v, "0123");
	ASSERT_EQ(v[5], 'Z');
	ASSERT_EQ(cmdline_find("k=0123456", "k", v, sizeof(v)), 7);
	ASSERT_STR(v, "0123456");
	ASSERT_EQ(cmdline_find("k=01234567", "k", v, sizeof(v)), 8);
	ASSERT_STR(v, "0123456");
	ASSERT_EQ(cmdline_find("k=abc", "k", v, 1), 3);
	ASSERT_STR(v, "");
	/* No buffer at all: only presence and length. */
	ASSERT_EQ(cmdline_find("k=abc", "k", NULL, 0), 3);
	ASSERT_EQ(cmdline_find("k=abc", "k", NULL, 99), 3);
}

TEST(cmdline_null_and_bad_keys)
{
	char v[8] = "junk";

	ASSERT_EQ(cmdline_find(NULL, "k", v, sizeof(v)), -1);
	ASSERT_STR(v, "");
	ASSERT_EQ(cmdline_find("k=1", NULL, v, sizeof(v)), -1);
	ASSERT_EQ(cmdline_find("k=1", "", v, sizeof(v)), -1);
	ASSERT_EQ(cmdline_find("k=1", "k=1", v, sizeof(v)), -1);
}

TEST(cmdline_saved_copy)
{
	char v[16], line[1500];

	cmdline_init(NULL);
	ASSERT_STR(cmdline_raw(), "");
	ASSERT(!cmdline_has("test"));

	memcpy(line, "test loglevel=4", 16);
	cmdline_init(line);
	line[0] = 'X';		/* the saved copy is independent */
	ASSERT(cmdline_has("test"));
	ASSERT(cmdline_has("loglevel"));
	ASSERT(!cmdline_has("log"));
	ASSERT_EQ(cmdline_get("loglevel", v, sizeof(v)), 1);
	ASSERT_STR(v, "4");
	ASSERT_STR(cmdline_raw(), "test loglevel=4");
	cmdline_init(NULL);
}

/* A line longer than the saved buffer is cut at a blank, never mid-word. */
TEST(cmdline_saved_truncated_at_word)
{
	char line[1500];

	memset(line, 'a', sizeof(line));
	line[0] = 'x';
	line[1] = ' ';
	line[1000] = ' ';
	memcpy(line + 1001, "init=/bin/sh", 12);
	line[sizeof(line) - 1] = 0;
	cmdline_init(line);
	ASSERT_EQ(strlen(cmdline_raw()), 1000);
	ASSERT(!cmdline_has("init"));
	ASSERT(cmdline_has("x"));

	/* Exactly 1023 bytes fit whole. */
	memset(line, 'b', 1023);
	line[0] = 'k';
	line[1] = '=';
	line[1023] = 0;
	cmdline_init(line);
	ASSERT_EQ(strlen(cmdline_raw()), 1023);
	ASSERT_EQ(cmdline_get("k", NULL, 0), 1021);
	cmdline_init(NULL);
}
