/* The line discipline: what typed bytes become under a termios (input
 * mapping, canonical editing, echo, signal characters) and how reads take
 * them back out. Pure: no globals, no sleeping, no hardware; the tty layer
 * (fs/tty.c) does the locking, waiting and signal sending, and
 * test/host/test_ldisc.c tests it. */
#include <tty.h>
#include <string.h>
#include <uapi/signal.h>

#define CTRL(c)	((c) & 0x1f)

void ldisc_default_termios(struct termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	t->c_cc[VINTR] = CTRL('C');
	t->c_cc[VQUIT] = CTRL('\\');
	t->c_cc[VERASE] = 0x7f;
	t->c_cc[VKILL] = CTRL('U');
	t->c_cc[VEOF] = CTRL('D');
	t->c_cc[VTIME] = 0;
	t->c_cc[VMIN] = 1;
	t->c_cc[VSTART] = CTRL('Q');
	t->c_cc[VSTOP] = CTRL('S');
	t->c_cc[VSUSP] = CTRL('Z');
	t->c_cc[VREPRINT] = CTRL('R');
	t->c_cc[VDISCARD] = CTRL('O');
	t->c_cc[VWERASE] = CTRL('W');
	t->c_cc[VLNEXT] = CTRL('V');
}

void ldisc_init(struct ldisc *ld, void (*echo)(void *, const char *, size_t),
		void *ctx)
{
	memset(ld, 0, sizeof(*ld));
	ldisc_default_termios(&ld->tio);
	ld->echo = echo;
	ld->echo_ctx = ctx;
}

void ldisc_set_termios(struct ldisc *ld, const struct termios *t)
{
	ld->tio = *t;
	if (!(t->c_lflag & ICANON)) {
		ld->committed = ld->len;
		ld->lnext = false;
	}
}

void ldisc_flush(struct ldisc *ld)
{
	ld->len = ld->committed = 0;
	ld->lnext = false;
}

size_t ldisc_output(const struct termios *t, const char *in, size_t n,
		    char *out, size_t cap, size_t *used)
{
	size_t i = 0, o = 0;
	bool post = t->c_oflag & OPOST;

	for (; i < n; i++) {
		char c = in[i];

		if (post && c == '\n' && (t->c_oflag & ONLCR)) {
			if (o + 2 > cap)
				break;
			out[o++] = '\r';
		} else if (post && c == '\r' && (t->c_oflag & OCRNL)) {
			c = '\n';
		}
		if (o + 1 > cap)
			break;
		out[o++] = c;
	}
	*used = i;
	return o;
}

/* Echo bytes through output processing. */
static void echo_str(struct ldisc *ld, const char *s, size_t n)
{
	char out[64];
	size_t used;

	if (!ld->echo)
		return;
	while (n) {
		size_t k = ldisc_output(&ld->tio, s, n, out, sizeof(out), &used);

		ld->echo(ld->echo_ctx, out, k);
		s += used;
		n -= used;
	}
}

/* Control characters other than tab and newline show as ^X under ECHOCTL. */
static bool shows_as_caret(const struct ldisc *ld, unsigned char c)
{
	return (ld->tio.c_lflag & ECHOCTL) &&
	       ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f);
}

static void echo_char(struct ldisc *ld, unsigned char c)
{
	char s[2];

	if (shows_as_caret(ld, c)) {
		s[0] = '^';
		s[1] = c ^ 0x40;
		echo_str(ld, s, 2);
	} else {
		s[0] = (char)c;
		echo_str(ld, s, 1);
	}
}

/* The column byte `at` of the edited line is echoed in, counting from the
 * start of the line (the prompt before it is not known here). */
static unsigned line_column(const struct ldisc *ld, size_t at)
{
	unsigned col = 0;

	for (size_t i = ld->committed; i < at; i++) {
		unsigned char c = ld->buf[i];

		if (c == '\t')
			col = (col | 7) + 1;
		else if (shows_as_caret(ld, c))
			col += 2;
		else if ((c & 0xC0) != 0x80 && c >= 0x20)
			col++;
	}
	return col;
}

/* Remove the last character of the edited line (a whole UTF-8 sequence)
 * and rub it out on the screen. false if the line is empty. */
static bool erase_one(struct ldisc *ld)
{
	tcflag_t lf = ld->tio.c_lflag;
	size_t start;
	unsigned char c;
	unsigned width;

	if (ld->len == ld->committed)
		return false;
	start = ld->len - 1;
	while (start > ld->committed && (ld->buf[start] & 0xC0) == 0x80)
		start--;
	c = ld->buf[start];
	if (c == '\t')
		width = 8 - line_column(ld, start) % 8;
	else if (shows_as_caret(ld, c))
		width = 2;
	else
		width = c >= 0x20 ? 1 : 0;
	ld->len = start;
	if (!(lf & ECHO))
		return true;
	if (!(lf & ECHOE)) {
		echo_char(ld, ld->tio.c_cc[VERASE]);
		return true;
	}
	for (unsigned i = 0; i < width; i++)
		echo_str(ld, c == '\t' ? "\b" : "\b \b", c == '\t' ? 1 : 3);
	return true;
}

static void kill_line(struct ldisc *ld)
{
	tcflag_t lf = ld->tio.c_lflag;
	const tcflag_t visual = ECHO | ECHOE | ECHOK | ECHOKE;

	if ((lf & visual) == visual) {
		while (erase_one(ld))
			;
		return;
	}
	ld->len = ld->committed;
	if (lf & ECHO) {
		echo_char(ld, ld->tio.c_cc[VKILL]);
		if (lf & ECHOK)
			echo_str(ld, "\n", 1);
	}
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Erase the blanks before the cursor, then the word before them. */
static void erase_word(struct ldisc *ld)
{
	while (ld->len > ld->committed && is_space(ld->buf[ld->len - 1]))
		erase_one(ld);
	while (ld->len > ld->committed && !is_space(ld->buf[ld->len - 1]))
		erase_one(ld);
}

static void reprint(struct ldisc *ld, unsigned char c)
{
	if (!(ld->tio.c_lflag & ECHO))
		return;
	echo_char(ld, c);
	echo_str(ld, "\n", 1);
	for (size_t i = ld->committed; i < ld->len; i++)
		echo_char(ld, ld->buf[i]);
}

/* Store one byte: 0, or -1 when there is no room (the byte is dropped).
 * Canonical mode keeps the last slot for a delimiter, so a line of
 * LDISC_LINE_MAX characters can still be ended. */
static int put(struct ldisc *ld, unsigned char c, uint8_t mark)
{
	bool canon = ld->tio.c_lflag & ICANON;
	size_t limit = canon && !(mark & LD_DELIM) ? LDISC_BUF - 1 : LDISC_BUF;

	if (ld->len >= limit)
		return -1;
	ld->buf[ld->len] = c;
	ld->mark[ld->len] = mark;
	ld->len++;
	if (!canon || (mark & LD_DELIM))
		ld->committed = ld->len;
	return 0;
}

static bool is_cc(const struct ldisc *ld, unsigned char c, int idx)
{
	cc_t v = ld->tio.c_cc[idx];

	return v != _POSIX_VDISABLE && c == v;
}

/* Store and echo an ordinary character. */
static void put_echo(struct ldisc *ld, unsigned char c)
{
	if (put(ld, c, 0) == 0 && (ld->tio.c_lflag & ECHO))
		echo_char(ld, c);
}

/* The canonical-mode editing characters: true when c was one. */
static bool canon_special(struct ldisc *ld, unsigned char c)
{
	tcflag_t lf = ld->tio.c_lflag;

	if (is_cc(ld, c, VERASE)) {
		erase_one(ld);
	} else if (is_cc(ld, c, VKILL)) {
		kill_line(ld);
	} else if ((lf & IEXTEN) && is_cc(ld, c, VWERASE)) {
		erase_word(ld);
	} else if ((lf & IEXTEN) && is_cc(ld, c, VREPRINT)) {
		reprint(ld, c);
	} else if ((lf & IEXTEN) && is_cc(ld, c, VLNEXT)) {
		ld->lnext = true;
		if ((lf & ECHO) && (lf & ECHOCTL))
			echo_str(ld, "^\b", 2);
	} else if (is_cc(ld, c, VEOF)) {
		put(ld, c, LD_DELIM | LD_EOF);
	} else if (c == '\n') {
		if (put(ld, c, LD_DELIM) == 0 && (lf & (ECHO | ECHONL)))
			echo_str(ld, "\n", 1);
	} else if (is_cc(ld, c, VEOL) || is_cc(ld, c, VEOL2)) {
		if (put(ld, c, LD_DELIM) == 0 && (lf & ECHO))
			echo_char(ld, c);
	} else {
		return false;
	}
	return true;
}

int ldisc_input(struct ldisc *ld, unsigned char c)
{
	tcflag_t lf = ld->tio.c_lflag, inf = ld->tio.c_iflag;
	int sig = 0;

	if (inf & ISTRIP)
		c &= 0x7f;
	if (ld->lnext) {
		ld->lnext = false;
		if ((lf & ECHO) && (lf & ECHOCTL))
			echo_str(ld, "\b", 1);	/* over the "^" shown for VLNEXT */
		put_echo(ld, c);
		return 0;
	}
	if (c == '\r') {
		if (inf & IGNCR)
			return 0;
		if (inf & ICRNL)
			c = '\n';
	} else if (c == '\n' && (inf & INLCR)) {
		c = '\r';
	}
	if (lf & ISIG) {
		if (is_cc(ld, c, VINTR))
			sig = SIGINT;
		else if (is_cc(ld, c, VQUIT))
			sig = SIGQUIT;
		else if (is_cc(ld, c, VSUSP))
			sig = SIGTSTP;
		if (sig) {
			if (!(lf & NOFLSH))
				ldisc_flush(ld);
			if (lf & ECHO)
				echo_char(ld, c);
			return sig;
		}
	}
	if ((lf & ICANON) && canon_special(ld, c))
		return 0;
	put_echo(ld, c);
	return 0;
}

size_t ldisc_read(struct ldisc *ld, char *dst, size_t n, bool *eol)
{
	bool canon = ld->tio.c_lflag & ICANON;
	size_t in = 0, out = 0;

	*eol = false;
	while (in < ld->committed && out < n) {
		uint8_t m = ld->mark[in];

		if (canon && (m & LD_EOF)) {
			in++;
			*eol = true;
			break;
		}
		dst[out++] = (char)ld->buf[in++];
		if (canon && (m & LD_DELIM)) {
			*eol = true;
			break;
		}
	}
	/* A full buffer just before an EOF mark: take the mark now, or the
	 * next read would see a spurious end of file. */
	if (canon && !*eol && in < ld->committed && (ld->mark[in] & LD_EOF)) {
		in++;
		*eol = true;
	}
	if (canon && in == ld->committed)
		*eol = true;
	memmove(ld->buf, ld->buf + in, ld->len - in);
	memmove(ld->mark, ld->mark + in, ld->len - in);
	ld->len -= in;
	ld->committed -= in;
	return out;
}

bool ldisc_readable(const struct ldisc *ld)
{
	const struct termios *t = &ld->tio;
	size_t need;

	if (t->c_lflag & ICANON)
		return ld->committed > 0;
	need = !t->c_cc[VTIME] && t->c_cc[VMIN] ? t->c_cc[VMIN] : 1;
	return ld->committed >= need;
}

size_t ldisc_avail(const struct ldisc *ld)
{
	size_t n = ld->committed;

	if (ld->tio.c_lflag & ICANON)
		for (size_t i = 0; i < ld->committed; i++)
			if (ld->mark[i] & LD_EOF)
				n--;
	return n;
}

enum ld_next ldisc_raw_next(const struct termios *t, size_t copied, size_t want,
			    bool expired)
{
	cc_t min = t->c_cc[VMIN], time = t->c_cc[VTIME];

	if (copied >= want)
		return LD_RETURN;
	if (min == 0) {
		/* Pure timeout: any data, or the timer from the read's start. */
		if (copied > 0 || time == 0 || expired)
			return LD_RETURN;
		return LD_WAIT_TIMED;
	}
	if (copied >= min)
		return LD_RETURN;
	/* Inter-byte timer: runs only once the first byte came. */
	if (time && copied > 0)
		return expired ? LD_RETURN : LD_WAIT_TIMED;
	return LD_WAIT;
}
