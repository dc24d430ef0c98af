/* The line discipline (fs/ldisc.c): editing keys, echo, EOF, signal
 * characters, input and output mapping, the non-canonical read decisions
 * and the buffer limit. Input goes in byte by byte as if typed; echo is
 * collected into a string. */
#include "test.h"
#include <string.h>
#include <tty.h>
#include <uapi/signal.h>

static char echoed[16384];
static size_t nechoed;

static void collect(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (nechoed + n < sizeof(echoed)) {
		memcpy(echoed + nechoed, s, n);
		nechoed += n;
	}
	echoed[nechoed] = 0;
}

static struct ldisc ld;

static void setup(void)
{
	ldisc_init(&ld, collect, NULL);
	nechoed = 0;
	echoed[0] = 0;
}

/* Type s; returns the last nonzero signal reported, or 0. */
static int type(const char *s)
{
	int sig = 0;

	for (; *s; s++) {
		int r = ldisc_input(&ld, (unsigned char)*s);
		if (r)
			sig = r;
	}
	return sig;
}

/* One read of up to n bytes, as a string. */
static const char *rd(size_t n)
{
	static char buf[LDISC_BUF + 1];
	bool eol;
	size_t k = ldisc_read(&ld, buf, n, &eol);

	buf[k] = 0;
	return buf;
}

static void raw_mode(cc_t min, cc_t time)
{
	struct termios t = ld.tio;

	t.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(ICRNL | IXON);
	t.c_cc[VMIN] = min;
	t.c_cc[VTIME] = time;
	ldisc_set_termios(&ld, &t);
}

TEST(ldisc_line_needs_newline)
{
	setup();
	type("abc");
	ASSERT(!ldisc_readable(&ld));
	ASSERT_EQ(ldisc_avail(&ld), 0);
	type("\n");
	ASSERT(ldisc_readable(&ld));
	ASSERT_EQ(ldisc_avail(&ld), 4);
	ASSERT_STR(echoed, "abc\r\n");
	ASSERT_STR(rd(100), "abc\n");
	ASSERT(!ldisc_readable(&ld));
}

TEST(ldisc_one_line_per_read)
{
	setup();
	type("one\ntwo\n");
	ASSERT_STR(rd(100), "one\n");
	ASSERT_STR(rd(2), "tw");
	ASSERT_STR(rd(100), "o\n");
}

TEST(ldisc_erase)
{
	setup();
	type("abx\x7f" "c\n");
	ASSERT_STR(echoed, "abx\b \bc\r\n");
	ASSERT_STR(rd(100), "abc\n");
	/* erase on an empty line does nothing */
	setup();
	type("\x7f\x7f" "a\n");
	ASSERT_STR(echoed, "a\r\n");
	ASSERT_STR(rd(100), "a\n");
}

TEST(ldisc_erase_control_and_utf8)
{
	setup();
	type("a\x01\x7f");		/* ^A shows as two columns */
	ASSERT_STR(echoed, "a^A\b \b\b \b");
	setup();
	type("\xc3\xa9\x7f" "e\n");	/* one UTF-8 character, one erase */
	ASSERT_STR(rd(100), "e\n");
}

TEST(ldisc_erase_without_echoe)
{
	setup();
	ld.tio.c_lflag &= ~ECHOE;
	type("ab\x7f\n");
	ASSERT_STR(echoed, "ab^?\r\n");
	ASSERT_STR(rd(100), "a\n");
}

TEST(ldisc_kill)
{
	setup();
	type("hello\x15" "x\n");	/* ^U */
	ASSERT_STR(rd(100), "x\n");
	ASSERT(strstr(echoed, "\b \b\b \b\b \b\b \b\b \b") != NULL);
	/* without ECHOKE: the kill character and a newline */
	setup();
	ld.tio.c_lflag &= ~ECHOKE;
	type("hi\x15");
	ASSERT_STR(echoed, "hi^U\r\n");
	ASSERT_EQ(ld.len, 0);
}

TEST(ldisc_word_erase)
{
	setup();
	type("ls -l foo  \x17" "bar\n");	/* ^W */
	ASSERT_STR(rd(100), "ls -l bar\n");
	setup();
	type("one two\x17\x17\x17" "z\n");
	ASSERT_STR(rd(100), "z\n");
}

TEST(ldisc_eof_at_line_start)
{
	setup();
	type("\x04");
	ASSERT(ldisc_readable(&ld));
	ASSERT_EQ(ldisc_avail(&ld), 0);
	ASSERT_STR(rd(100), "");	/* end of file */
	ASSERT_STR(echoed, "");		/* ^D is not echoed */
	ASSERT(!ldisc_readable(&ld));
}

TEST(ldisc_eof_pushes_partial_line)
{
	setup();
	type("abc\x04" "\x04");
	ASSERT_STR(rd(100), "abc");
	ASSERT(ldisc_readable(&ld));
	ASSERT_STR(rd(100), "");
	/* a read that fills up right before the mark takes it too */
	setup();
	type("ab\x04" "c\n");
	ASSERT_STR(rd(2), "ab");
	ASSERT_STR(rd(100), "c\n");
}

TEST(ldisc_eol_chars)
{
	setup();
	ld.tio.c_cc[VEOL] = ';';
	type("a;b");
	ASSERT_STR(rd(100), "a;");
	ASSERT(!ldisc_readable(&ld));
	/* a NUL byte is not VEOL when VEOL is disabled */
	setup();
	ldisc_input(&ld, 0);
	ASSERT(!ldisc_readable(&ld));
}

TEST(ldisc_lnext)
{
	setup();
	type("\x16\x03\x16\x7f\n");	/* ^V^C ^V DEL */
	ASSERT_STR(rd(100), "\x03\x7f\n");
}

TEST(ldisc_reprint)
{
	setup();
	type("ab\x12");
	ASSERT_STR(echoed, "ab^R\r\nab");
}

TEST(ldisc_signals)
{
	setup();
	ASSERT_EQ(type("partial\x03"), SIGINT);
	ASSERT_STR(echoed + strlen(echoed) - 2, "^C");
	ASSERT_EQ(ld.len, 0);			/* flushed */
	ASSERT_EQ(type("\x1c"), SIGQUIT);
	ASSERT_EQ(type("\x1a"), SIGTSTP);
	/* NOFLSH keeps the input */
	setup();
	ld.tio.c_lflag |= NOFLSH;
	type("ok\n");
	ASSERT_EQ(type("\x03"), SIGINT);
	ASSERT_STR(rd(100), "ok\n");
	/* without ISIG ^C is data */
	setup();
	ld.tio.c_lflag &= ~ISIG;
	ASSERT_EQ(type("\x03\n"), 0);
	ASSERT_STR(rd(100), "\x03\n");
}

TEST(ldisc_input_mapping)
{
	setup();
	type("a\r");			/* ICRNL */
	ASSERT_STR(rd(100), "a\n");
	setup();
	ld.tio.c_iflag = IGNCR;
	type("b\r\n");
	ASSERT_STR(rd(100), "b\n");
	setup();
	ld.tio.c_iflag = INLCR;
	ld.tio.c_cc[VEOL] = '\r';
	type("c\n");
	ASSERT_STR(rd(100), "c\r");
	setup();
	ld.tio.c_iflag = 0;
	type("d\r\n");
	ASSERT_STR(rd(100), "d\r\n");
}

TEST(ldisc_output_processing)
{
	struct termios t;
	char out[16];
	size_t used, n;

	ldisc_default_termios(&t);
	n = ldisc_output(&t, "a\nb", 3, out, sizeof(out), &used);
	ASSERT_EQ(n, 4);
	ASSERT_EQ(used, 3);
	ASSERT(memcmp(out, "a\r\nb", 4) == 0);
	/* no room for the pair: stop before the newline */
	n = ldisc_output(&t, "a\n", 2, out, 2, &used);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(used, 1);
	t.c_oflag = OPOST | OCRNL;
	n = ldisc_output(&t, "\r", 1, out, sizeof(out), &used);
	ASSERT_EQ(out[0], '\n');
	t.c_oflag = ONLCR;		/* no OPOST: nothing changes */
	n = ldisc_output(&t, "\n", 1, out, sizeof(out), &used);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(out[0], '\n');
}

TEST(ldisc_echo_off_and_echonl)
{
	setup();
	ld.tio.c_lflag &= ~ECHO;
	type("secret\n");
	ASSERT_STR(echoed, "");
	ld.tio.c_lflag |= ECHONL;
	type("x\n");
	ASSERT_STR(echoed, "\r\n");
}

TEST(ldisc_raw_mode)
{
	setup();
	raw_mode(1, 0);
	type("a\x7f\x03\r");
	ASSERT_STR(echoed, "");
	ASSERT_EQ(ldisc_avail(&ld), 4);
	ASSERT_STR(rd(2), "a\x7f");
	ASSERT_STR(rd(100), "\x03\r");
}

TEST(ldisc_cbreak_keeps_signals_and_echo)
{
	setup();
	ld.tio.c_lflag &= ~ICANON;
	ldisc_set_termios(&ld, &ld.tio);
	ASSERT_EQ(type("x"), 0);
	ASSERT(ldisc_readable(&ld));
	ASSERT_STR(echoed, "x");
	ASSERT_EQ(type("\x03"), SIGINT);
}

TEST(ldisc_leaving_canon_releases_line)
{
	setup();
	type("half");
	raw_mode(1, 0);
	ASSERT_STR(rd(100), "half");
}

TEST(ldisc_vmin_readable)
{
	setup();
	raw_mode(3, 0);
	type("ab");
	ASSERT(!ldisc_readable(&ld));
	type("c");
	ASSERT(ldisc_readable(&ld));
	raw_mode(3, 5);			/* with VTIME, one byte wakes a poller */
	ASSERT(ldisc_readable(&ld));
}

TEST(ldisc_vmin_vtime_decisions)
{
	struct termios t;

	ldisc_default_termios(&t);
	/* VMIN 0, VTIME 0: return whatever is there, even nothing */
	t.c_cc[VMIN] = 0; t.c_cc[VTIME] = 0;
	ASSERT_EQ(ldisc_raw_next(&t, 0, 10, false), LD_RETURN);
	/* VMIN 0, VTIME 5: wait up to the timer for the first byte */
	t.c_cc[VTIME] = 5;
	ASSERT_EQ(ldisc_raw_next(&t, 0, 10, false), LD_WAIT_TIMED);
	ASSERT_EQ(ldisc_raw_next(&t, 0, 10, true), LD_RETURN);
	ASSERT_EQ(ldisc_raw_next(&t, 1, 10, false), LD_RETURN);
	/* VMIN 3, VTIME 0: block for three */
	t.c_cc[VMIN] = 3; t.c_cc[VTIME] = 0;
	ASSERT_EQ(ldisc_raw_next(&t, 0, 10, false), LD_WAIT);
	ASSERT_EQ(ldisc_raw_next(&t, 2, 10, false), LD_WAIT);
	ASSERT_EQ(ldisc_raw_next(&t, 3, 10, false), LD_RETURN);
	ASSERT_EQ(ldisc_raw_next(&t, 2, 2, false), LD_RETURN);	/* asked for less */
	/* VMIN 3, VTIME 5: no timer before the first byte, then inter-byte */
	t.c_cc[VTIME] = 5;
	ASSERT_EQ(ldisc_raw_next(&t, 0, 10, true), LD_WAIT);
	ASSERT_EQ(ldisc_raw_next(&t, 1, 10, false), LD_WAIT_TIMED);
	ASSERT_EQ(ldisc_raw_next(&t, 1, 10, true), LD_RETURN);
	ASSERT_EQ(ldisc_raw_next(&t, 0, 0, false), LD_RETURN);
}

TEST(ldisc_line_limit)
{
	setup();
	for (int i = 0; i < LDISC_BUF + 100; i++)
		ldisc_input(&ld, 'x');
	ASSERT_EQ(ld.len, LDISC_LINE_MAX);
	ASSERT(!ldisc_readable(&ld));
	ldisc_input(&ld, '\n');		/* the delimiter still fits */
	ASSERT(ldisc_readable(&ld));
	ASSERT_EQ(strlen(rd(LDISC_BUF)), LDISC_BUF);
	ASSERT_EQ(ld.len, 0);
	/* raw mode holds a full buffer, then drops */
	raw_mode(1, 0);
	for (int i = 0; i < LDISC_BUF + 10; i++)
		ldisc_input(&ld, 'y');
	ASSERT_EQ(ldisc_avail(&ld), LDISC_BUF);
}

TEST(ldisc_flush)
{
	setup();
	type("a\nb");
	ldisc_flush(&ld);
	ASSERT(!ldisc_readable(&ld));
	ASSERT_EQ(ld.len, 0);
}
