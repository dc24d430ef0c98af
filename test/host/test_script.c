/* Host tests for proc/script.c: the "#!" line as Linux splits it, the line
 * length limit, files without a final newline, and the refusals. Inputs
 * are copied to exact-size buffers so that ASan catches overreads. */
#include "test.h"
#include <script.h>
#include <uapi/errno.h>
#include <stdlib.h>
#include <string.h>

/* script_parse() over a private copy of the first len bytes of s. */
static int parse_n(const char *s, size_t len, struct script_interp *out)
{
	char *buf = malloc(len ? len : 1);
	int ret;

	memcpy(buf, s, len);
	ret = script_parse(buf, len, out);
	free(buf);
	return ret;
}

static int parse(const char *s, struct script_interp *out)
{
	return parse_n(s, strlen(s), out);
}

TEST(script_plain)
{
	struct script_interp si;

	ASSERT_EQ(parse("#!/bin/sh\necho hi\n", &si), 0);
	ASSERT_STR(si.interp, "/bin/sh");
	ASSERT_STR(si.arg, "");
	ASSERT_EQ(si.has_arg, false);
}

TEST(script_with_arg)
{
	struct script_interp si;

	ASSERT_EQ(parse("#!/usr/bin/awk -f\nBEGIN{}\n", &si), 0);
	ASSERT_STR(si.interp, "/usr/bin/awk");
	ASSERT_STR(si.arg, "-f");
	ASSERT_EQ(si.has_arg, true);
}

/* everything after the interpreter is one argument, inner blanks kept */
TEST(script_rest_is_one_arg)
{
	struct script_interp si;

	ASSERT_EQ(parse("#!/usr/bin/env python3 -u  -x\n", &si), 0);
	ASSERT_STR(si.interp, "/usr/bin/env");
	ASSERT_STR(si.arg, "python3 -u  -x");
}

TEST(script_blanks_trimmed)
{
	struct script_interp si;

	ASSERT_EQ(parse("#! \t /bin/sh \t -e \t \nx", &si), 0);
	ASSERT_STR(si.interp, "/bin/sh");
	ASSERT_STR(si.arg, "-e");
	ASSERT_EQ(parse("#!/bin/sh   \n", &si), 0);
	ASSERT_STR(si.interp, "/bin/sh");
	ASSERT_EQ(si.has_arg, false);
}

/* as on Linux, '\r' is not a blank: a CRLF script names "/bin/sh\r" */
TEST(script_cr_kept)
{
	struct script_interp si;

	ASSERT_EQ(parse("#!/bin/sh\r\n", &si), 0);
	ASSERT_STR(si.interp, "/bin/sh\r");
}

/* the whole file is the one line */
TEST(script_no_newline_whole_file)
{
	struct script_interp si;

	ASSERT_EQ(parse("#!/bin/sh -x", &si), 0);
	ASSERT_STR(si.interp, "/bin/sh");
	ASSERT_STR(si.arg, "-x");
}

TEST(script_not_a_script)
{
	struct script_interp si;

	ASSERT_EQ(parse("", &si), -ENOEXEC);
	ASSERT_EQ(parse("#", &si), -ENOEXEC);
	ASSERT_EQ(parse("!#/bin/sh\n", &si), -ENOEXEC);
	ASSERT_EQ(parse(" #!/bin/sh\n", &si), -ENOEXEC);
	ASSERT_EQ(parse("\177ELF", &si), -ENOEXEC);
}

TEST(script_empty_interpreter)
{
	struct script_interp si;

	ASSERT_EQ(parse("#!\n/bin/sh\n", &si), -ENOEXEC);
	ASSERT_EQ(parse("#!", &si), -ENOEXEC);
	ASSERT_EQ(parse("#! \t \n", &si), -ENOEXEC);
}

TEST(script_nul_in_line)
{
	struct script_interp si;

	ASSERT_EQ(parse_n("#!/bin/sh\0x\n", 12, &si), -ENOEXEC);
	/* after the line, NULs are the script's business */
	ASSERT_EQ(parse_n("#!/bin/sh\n\0", 11, &si), 0);
}

/*
 * The line limit: SCRIPT_LINE_MAX bytes before the '\n'.
 *	"#!/" + 'a' * k + '\n'
 */
static char *long_line(size_t line_len, bool newline, size_t extra)
{
	char *s = malloc(line_len + 1 + extra + 1);

	memcpy(s, "#!/", 3);
	memset(s + 3, 'a', line_len - 3);
	s[line_len] = newline ? '\n' : 'a';
	memset(s + line_len + 1, 'b', extra);
	s[line_len + 1 + extra] = '\0';
	return s;
}

TEST(script_line_limit)
{
	struct script_interp si;
	char *s;

	s = long_line(SCRIPT_LINE_MAX, true, 100);
	ASSERT_EQ(parse(s, &si), 0);
	ASSERT_EQ(strlen(si.interp), SCRIPT_LINE_MAX - 2);
	free(s);

	s = long_line(SCRIPT_LINE_MAX + 1, true, 100);
	ASSERT_EQ(parse(s, &si), -ENOEXEC);
	free(s);
}

/* without '\n', a buffer of SCRIPT_LINE_MAX bytes can only be the whole
 * file; one byte more and the line is too long whatever follows */
TEST(script_line_limit_no_newline)
{
	struct script_interp si;
	char *s = long_line(SCRIPT_LINE_MAX + 1, true, 0);

	ASSERT_EQ(parse_n(s, SCRIPT_LINE_MAX, &si), 0);
	ASSERT_EQ(strlen(si.interp), SCRIPT_LINE_MAX - 2);
	ASSERT_EQ(parse_n(s, SCRIPT_LINE_MAX + 1, &si), -ENOEXEC);
	free(s);
}

TEST(script_longest_arg)
{
	struct script_interp si;
	char s[SCRIPT_LINE_MAX + 2];

	memcpy(s, "#!/x ", 5);
	memset(s + 5, 'z', SCRIPT_LINE_MAX - 5);
	s[SCRIPT_LINE_MAX] = '\n';
	s[SCRIPT_LINE_MAX + 1] = '\0';
	ASSERT_EQ(parse(s, &si), 0);
	ASSERT_STR(si.interp, "/x");
	ASSERT_EQ(strlen(si.arg), SCRIPT_LINE_MAX - 5);
}

/* every prefix of a script either parses or is refused, never overreads */
TEST(script_every_prefix)
{
	static const char s[] = "#! /usr/bin/env  sh -e \nrest\n";
	struct script_interp si;

	for (size_t n = 0; n <= sizeof(s) - 1; n++) {
		int ret = parse_n(s, n, &si);

		ASSERT(ret == 0 || ret == -ENOEXEC);
		if (n <= 3)
			ASSERT_EQ(ret, -ENOEXEC);
		if (n >= 23) {
			ASSERT_EQ(ret, 0);
			ASSERT_STR(si.interp, "/usr/bin/env");
			ASSERT_STR(si.arg, "sh -e");
		}
	}
}
