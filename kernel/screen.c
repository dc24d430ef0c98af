/* The screen console: picks VGA text or the linear framebuffer from the
 * boot information, runs the terminal model (vt.c) over it and registers
 * it with printk, replaying the log so the boot messages before it show.
 * Drawing is deferred to the end of each write and limited to cells that
 * differ from what is on glass, so a burst of scrolling costs one redraw. */
#include "screen.h"
#include <bootinfo.h>
#include <cmdline.h>
#include <console.h>
#include <printk.h>
#include <selftest.h>
#include <string.h>
#include <uapi/errno.h>

static struct screen_backend be;
static struct vt vt;
static struct vt_cell cells[SCREEN_MAX_ROWS * SCREEN_MAX_COLS];	/* the model */
static struct vt_cell shown[SCREEN_MAX_ROWS * SCREEN_MAX_COLS];	/* on glass */
static bool dirty[SCREEN_MAX_ROWS];	/* rows where cells may differ from shown */
static struct {
	int row, col;
	bool visible;
} cursor, hw_cursor;
static bool screen_on;		/* registered as a console */

/* For the tty's default window size (TIOCGWINSZ). */
int screen_console_size(int *rows, int *cols)
{
	if (!screen_on)
		return -ENODEV;
	*rows = be.rows;
	*cols = be.cols;
	return 0;
}

/* vt_ops: note what changed; screen_flush does the work. */
static void screen_draw(void *ctx, int row, int col, struct vt_cell cell)
{
	(void)ctx, (void)col, (void)cell;
	dirty[row] = true;
}

static void screen_scroll(void *ctx, int n)
{
	(void)ctx, (void)n;
	memset(dirty, true, sizeof(dirty));
}

static void screen_cursor(void *ctx, int row, int col, bool visible)
{
	(void)ctx;
	if (be.soft_cursor && cursor.row >= 0)
		dirty[cursor.row] = true;	/* erase it from its old cell */
	cursor.row = row;
	cursor.col = col;
	cursor.visible = visible;
	dirty[row] = true;
}

static void flush_row(int row)
{
	for (int col = 0; col < be.cols; col++) {
		int i = row * be.cols + col;
		struct vt_cell c = cells[i];

		if (be.soft_cursor && cursor.visible &&
		    row == cursor.row && col == cursor.col)
			c.attr |= SCREEN_CURSOR;
		if (c.ch == shown[i].ch && c.color == shown[i].color &&
		    c.attr == shown[i].attr)
			continue;
		be.put(row, col, c);
		shown[i] = c;
	}
	dirty[row] = false;
}

static void screen_flush(void *ctx)
{
	(void)ctx;
	for (int row = 0; row < be.rows; row++)
		if (dirty[row])
			flush_row(row);
	if (be.cursor && (cursor.row != hw_cursor.row || cursor.col != hw_cursor.col ||
			  cursor.visible != hw_cursor.visible)) {
		be.cursor(cursor.row, cursor.col, cursor.visible);
		hw_cursor = cursor;
	}
}

static const struct vt_ops screen_vt_ops = {
	.draw = screen_draw,
	.scroll = screen_scroll,
	.cursor = screen_cursor,
	.flush = screen_flush,
};

static void screen_con_write(struct console *con, const char *s, size_t n)
{
	(void)con;
	vt_write(&vt, s, n);
}

static struct console screen_console = {
	.name = "tty0",
	.write = screen_con_write,
};

/*
 * The log holds "[    1.234567] " before every printk, which consoles
 * never see; the replay drops them so old and new lines look alike. The
 * filter holds back what may still turn out to be a stamp, so a stamp
 * split between two reads of the log is still recognised.
 */
#define STAMP_MAX 32

struct stamp_filter {
	char held[STAMP_MAX];
	int nheld;
	char *out;		/* text that passed, [0, nout) of cap bytes */
	size_t nout, cap;
};

/* 2: s[0, n) is a whole stamp "[ *d+.dddddd] ", 1: a proper prefix of
 * one, 0: neither. */
static int stamp_match(const char *s, int n)
{
	int i = 0, digits = 0;

#define NEXT_IS(cond) do { if (i == n) return 1; if (!(cond)) return 0; i++; } while (0)
	NEXT_IS(s[i] == '[');
	while (i < n && s[i] == ' ')
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	NEXT_IS(digits && s[i] == '.');
	for (int k = 0; k < 6; k++)
		NEXT_IS(s[i] >= '0' && s[i] <= '9');
	NEXT_IS(s[i] == ']');
	NEXT_IS(s[i] == ' ');
#undef NEXT_IS
	return i == n ? 2 : 0;
}

static void filter_emit(struct stamp_filter *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (f->nout == f->cap) {
			vt_write(&vt, f->out, f->nout);
			f->nout = 0;
		}
		f->out[f->nout++] = s[i];
	}
}

static void filter_char(struct stamp_filter *f, char c)
{
	f->held[f->nheld++] = c;
	int m = f->nheld < STAMP_MAX ? stamp_match(f->held, f->nheld) : 0;
	if (m == 2) {
		f->nheld = 0;
	} else if (m == 0) {
		/* Only held[0] can start a stamp, but c may start the next. */
		filter_emit(f, f->held, f->nheld - 1);
		f->nheld = 0;
		if (c == '[')
			f->held[f->nheld++] = c;
		else
			filter_emit(f, &c, 1);
	}
}

static void filter_end(struct stamp_filter *f)
{
	filter_emit(f, f->held, f->nheld);
	f->nheld = 0;
}

static void replay_log(void)
{
	static char in[1024], out[4096];
	struct stamp_filter f = { .out = out, .cap = sizeof(out) };
	size_t off = 0, n;

	while ((n = dmesg_read(in, off, sizeof(in))) > 0) {
		for (size_t i = 0; i < n; i++)
			filter_char(&f, in[i]);
		off += n;
	}
	filter_end(&f);
	if (f.nout)
		vt_write(&vt, out, f.nout);
}

/* "console=serial" (or ttyS0) keeps the screen out of printk's way,
 * which makes benchmarks independent of the drawing cost. */
static bool screen_disabled(void)
{
	char val[16];

	if (cmdline_get("console", val, sizeof(val)) < 0)
		return false;
	return !strcmp(val, "serial") || !strcmp(val, "ttyS0");
}

static int screen_probe(const struct boot_info *bi)
{
	if (!bi->has_fb)
		return bi->efi ? -ENODEV : vgacon_init(NULL, &be);
	if (bi->fb.type == FB_RGB)
		return fbcon_init(&bi->fb, &be);
	if (bi->fb.type == FB_EGA_TEXT)
		return vgacon_init(&bi->fb, &be);
	return -ENODEV;		/* indexed colour: not supported */
}

void screen_console_init(const struct boot_info *bi)
{
	int err;

	if (screen_disabled()) {
		pr_info("screen: off (console=serial)\n");
		return;
	}
	err = screen_probe(bi);
	if (err) {
		pr_warn("screen: no screen console (error %d)\n", err);
		return;
	}
	cursor.row = hw_cursor.row = -1;
	err = vt_init(&vt, cells, be.rows, be.cols, &screen_vt_ops, NULL);
	if (err) {
		pr_warn("screen: cannot set up the terminal (error %d)\n", err);
		return;
	}
	/* printk ends lines with a bare "\n": let LF return the carriage too.
	 * Harmless for a tty that sends "\r\n". */
	vt.newline_mode = true;
	replay_log();
	console_register(&screen_console);
	screen_on = true;

	if (bi->has_fb && bi->fb.type == FB_RGB)
		pr_info("screen: framebuffer %ux%ux%u, %dx%d cells\n",
			bi->fb.width, bi->fb.height, bi->fb.bpp, be.cols, be.rows);
	else
		pr_info("screen: VGA text %dx%d\n", be.cols, be.rows);
}

/* The replay filter, on stamps whole, split, fake and cut short. */
SELFTEST(screen_stamp_filter)
{
	static const char *const cases[][2] = {
		{ "[    0.000000] a\n[   12.345678] b", "a\nb" },
		{ "x[    1.000000] y", "xy" },
		{ "[1.5] [ 1.000000]x [[    0.000001] z", "[1.5] [ 1.000000]x [z" },
		{ "[    0.0000", "[    0.0000" },
		{ "[123456789012345678901234567890123.000000] q",
		  "[123456789012345678901234567890123.000000] q" },
	};
	char out[64];

	for (size_t t = 0; t < sizeof(cases) / sizeof(cases[0]); t++) {
		struct stamp_filter f = { .out = out, .cap = sizeof(out) };
		for (const char *s = cases[t][0]; *s; s++)
			filter_char(&f, *s);
		filter_end(&f);
		ST_ASSERT(f.nout == strlen(cases[t][1]));
		ST_ASSERT(memcmp(out, cases[t][1], f.nout) == 0);
	}
	ST_ASSERT(stamp_match("[", 1) == 1);
	ST_ASSERT(stamp_match("[    3.141592] ", 15) == 2);
	ST_ASSERT(stamp_match("[ x", 3) == 0);
	return 0;
}
