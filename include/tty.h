/* The console terminal. Two layers:
 *  - the line discipline (fs/ldisc.c): pure editing logic over one input
 *    buffer and a termios, host-tested; it reports echo through a hook
 *    and signals as return values, and never sleeps or touches hardware;
 *  - the tty device (fs/tty.c): /dev/console and /dev/tty file ops,
 *    ioctls, job control, and the input path the keyboard (IRQ 1) and
 *    COM1 (IRQ 4) drivers feed from interrupt context. */
#ifndef TTY_H
#define TTY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/termios.h>

/* ---- line discipline (pure) ------------------------------------------ */

#define LDISC_BUF	4096	/* bytes of input held, edited line included */
#define LDISC_LINE_MAX	(LDISC_BUF - 1)	/* ordinary characters per line */

/* Per-byte marks in struct ldisc.mark. */
#define LD_DELIM	0x1	/* ends a line (newline, EOL, EOL2, EOF) */
#define LD_EOF		0x2	/* the EOF character: ends a line, never read */

/*
 * Input state. [0, committed) is readable: whole lines in canonical mode,
 * everything in non-canonical mode; [committed, len) is the line being
 * edited (canonical only). The tty layer guards it with interrupts off.
 */
struct ldisc {
	struct termios tio;
	unsigned char buf[LDISC_BUF];
	uint8_t mark[LDISC_BUF];	/* LD_* per byte of buf */
	size_t len, committed;
	bool lnext;			/* the last byte was VLNEXT: take the next literally */
	/* Where echo goes, after output processing; may be NULL. */
	void (*echo)(void *ctx, const char *s, size_t n);
	void *echo_ctx;
};

/* Linux's default termios: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL,
 * ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN, ^C ^\ DEL ^U ^D
 * and friends, VMIN 1, VTIME 0. */
void ldisc_default_termios(struct termios *t);

/* Empty state with the default termios and the given echo hook. */
void ldisc_init(struct ldisc *ld, void (*echo)(void *, const char *, size_t),
		void *ctx);

/* New attributes; leaving canonical mode makes the edited line readable. */
void ldisc_set_termios(struct ldisc *ld, const struct termios *t);

/* One received byte: edit, echo, store. Returns 0, or the signal (SIGINT,
 * SIGQUIT, SIGTSTP) the byte stands for under ISIG; the input was then
 * flushed unless NOFLSH. The caller sends it to the foreground group. */
int ldisc_input(struct ldisc *ld, unsigned char c);

/* Take up to n readable bytes into dst; canonical mode stops after a line
 * delimiter (an EOF mark is consumed but not copied). *eol says a line
 * ended (or, canonical, the readable data ran out). Returns the count. */
size_t ldisc_read(struct ldisc *ld, char *dst, size_t n, bool *eol);

/* Whether a read would not block: a whole line (canonical), or at least
 * max(VMIN, 1) bytes (non-canonical). */
bool ldisc_readable(const struct ldisc *ld);

/* Bytes a read could take now (FIONREAD). */
size_t ldisc_avail(const struct ldisc *ld);

/* Drop all input (TCIFLUSH, TCSETSF, a signal character). */
void ldisc_flush(struct ldisc *ld);

/* Output processing: OPOST with ONLCR (\n -> \r\n) and OCRNL (\r -> \n).
 * Writes at most cap bytes of output for in[0, n) into out; returns the
 * output length and stores how many input bytes were used in *used. */
size_t ldisc_output(const struct termios *t, const char *in, size_t n,
		    char *out, size_t cap, size_t *used);

/* What a non-canonical read does next, having copied `copied` of `want`
 * bytes; expired says the VTIME timer (started at the read for VMIN 0,
 * at the last byte for VMIN > 0) has run out. */
enum ld_next {
	LD_RETURN,		/* return copied */
	LD_WAIT,		/* block for more input, no time limit */
	LD_WAIT_TIMED,		/* block, at most until the VTIME timer ends */
};
enum ld_next ldisc_raw_next(const struct termios *t, size_t copied, size_t want,
			    bool expired);

/* ---- the console tty (fs/tty.c) -------------------------------------- */

/* Register the console/tty file ops and start keyboard and COM1 input.
 * From devfs_init, after the default devices are registered. */
void tty_init(void);

/* Received bytes, from interrupt context (interrupts off): queued in a
 * ring, then run through the line discipline. Any context. */
void tty_receive(const char *s, size_t n);

/* Input drivers (kernel/keyboard.c, kernel/serial.c): take IRQ 1 / IRQ 4
 * and feed tty_receive. 0 or -errno (no controller, line taken). */
int keyboard_init(void);
int serial_input_init(void);

/* Pure (kernel/keyboard.c): one set-1 scancode byte (after the 8042's
 * translation) into the bytes the key sends, into out (at least 8). */
struct kbd_state {
	bool shift_l, shift_r, ctrl_l, ctrl_r, alt_l, alt_r, caps, num;
	bool e0;			/* the last byte was the 0xE0 prefix */
	int skip;			/* bytes of a Pause sequence still to drop */
};
size_t kbd_scancode(struct kbd_state *st, uint8_t code, char *out);

#endif
