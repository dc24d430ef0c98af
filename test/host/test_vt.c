/* Tests for the terminal model (kernel/vt.c). A recording back-end keeps
 * its own copy of the screen from nothing but the draw/scroll calls; after
 * every write it must match the model, which proves the ops contract. */
#include "test.h"
#include <vt.h>
#include <string.h>
#include <stdlib.h>
#include <uapi/errno.h>

#define MAX_CELLS (64 * 64)

static struct vt vt;
static struct vt_cell cells[MAX_CELLS];

static struct {
	struct vt_cell grid[MAX_CELLS];	/* rebuilt from ops only */
	int draws, scrolled, cursors, flushes;
	int row, col;
	bool visible;
} rec;

static void rec_draw(void *ctx, int row, int col, struct vt_cell cell)
{
	ASSERT(ctx == &rec);
	ASSERT(row >= 0 && row < vt.rows && col >= 0 && col < vt.cols);
	rec.grid[row * vt.cols + col] = cell;
	rec.draws++;
}

static void rec_scroll(void *ctx, int n)
{
	(void)ctx;
	ASSERT(n >= 1 && n <= vt.rows);
	memmove(rec.grid, rec.grid + n * vt.cols,
		(size_t)(vt.rows - n) * vt.cols * sizeof(rec.grid[0]));
	/* Poison the new rows: vt must send them with draw(). */
	for (int i = (vt.rows - n) * vt.cols; i < vt.rows * vt.cols; i++)
		rec.grid[i] = (struct vt_cell){ .ch = '!', .color = 0x55 };
	rec.scrolled += n;
}

static void rec_cursor(void *ctx, int row, int col, bool visible)
{
	(void)ctx;
	rec.row = row;
	rec.col = col;
	rec.visible = visible;
	rec.cursors++;
}

static void rec_flush(void *ctx)
{
	(void)ctx;
	rec.flushes++;
}

static const struct vt_ops rec_ops = {
	.draw = rec_draw, .scroll = rec_scroll,
	.cursor = rec_cursor, .flush = rec_flush,
};

static void check_mirror(void)
{
	for (int i = 0; i < vt.rows * vt.cols; i++) {
		ASSERT_EQ(rec.grid[i].ch, cells[i].ch);
		ASSERT_EQ(rec.grid[i].color, cells[i].color);
		ASSERT_EQ(rec.grid[i].attr, cells[i].attr);
	}
	ASSERT_EQ(rec.row, vt.cur.row);
	ASSERT_EQ(rec.col, vt.cur.col);
	ASSERT_EQ(rec.visible, vt.cursor_visible);
}

static void setup(int rows, int cols)
{
	memset(&rec, 0, sizeof(rec));
	for (int i = 0; i < MAX_CELLS; i++)
		cells[i] = rec.grid[i] = (struct vt_cell){ .ch = '#', .color = 0x33, .attr = 3 };
	ASSERT_EQ(vt_init(&vt, cells, rows, cols, &rec_ops, &rec), 0);
	check_mirror();
}

static void put(const char *s)
{
	vt_write(&vt, s, strlen(s));
	check_mirror();
}

/* Row r as text, trailing blanks dropped; non-ASCII shows as '*'. */
static const char *row(int r)
{
	static char buf[80];
	int n = 0;

	for (int c = 0; c < vt.cols; c++) {
		uint16_t ch = vt_cell_at(&vt, r, c).ch;
		buf[n++] = ch < 0x80 ? ch : '*';
	}
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

static struct vt_cell at(int r, int c)
{
	return vt_cell_at(&vt, r, c);
}

#define ASSERT_CURSOR(r, c)				\
	do {						\
		ASSERT_EQ(vt.cur.row, (r));		\
		ASSERT_EQ(vt.cur.col, (c));		\
	} while (0)

#define DEFAULT_COLOR (VT_DEFAULT_BG << 4 | VT_DEFAULT_FG)

TEST(vt_init_rejects_zero_size)
{
	ASSERT_EQ(vt_init(&vt, cells, 0, 10, NULL, NULL), -EINVAL);
	ASSERT_EQ(vt_init(&vt, cells, 10, 0, NULL, NULL), -EINVAL);
	ASSERT_EQ(vt_init(&vt, cells, -1, 10, NULL, NULL), -EINVAL);
	ASSERT_EQ(vt_init(&vt, NULL, 5, 10, NULL, NULL), -EINVAL);
}

TEST(vt_init_clears_and_draws_everything)
{
	setup(4, 6);
	ASSERT_EQ(rec.draws, 24);
	ASSERT_EQ(rec.cursors, 1);
	ASSERT_EQ(rec.flushes, 1);
	ASSERT(rec.visible);
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 6; c++) {
			ASSERT_EQ(at(r, c).ch, ' ');
			ASSERT_EQ(at(r, c).color, DEFAULT_COLOR);
			ASSERT_EQ(at(r, c).attr, 0);
		}
	ASSERT_CURSOR(0, 0);
}

TEST(vt_works_without_ops)
{
	ASSERT_EQ(vt_init(&vt, cells, 3, 4, NULL, NULL), 0);
	const char *s = "abcdefghijklmnop\n\033[2J\033[H\033[31mx";
	vt_write(&vt, s, strlen(s));
	ASSERT_EQ(at(0, 0).ch, 'x');
}

TEST(vt_text_cr_lf)
{
	setup(5, 10);
	put("ab\r\ncd");
	ASSERT_STR(row(0), "ab");
	ASSERT_STR(row(1), "cd");
	ASSERT_CURSOR(1, 2);
	put("\n");		/* plain LF keeps the column */
	ASSERT_CURSOR(2, 2);
	put("\rx\v\fy");	/* VT and FF are line feeds too */
	ASSERT_STR(row(2), "x");
	ASSERT_STR(row(4), " y");
}

TEST(vt_newline_mode)
{
	setup(4, 10);
	put("\033[20hab\ncd");
	ASSERT_STR(row(1), "cd");
	ASSERT(vt.newline_mode);
	put("\033[20l\nx");
	ASSERT_STR(row(2), "  x");
	vt.newline_mode = true;
	put("\033c");		/* a reset leaves the owner's choice alone */
	ASSERT(vt.newline_mode);
}

TEST(vt_wrap_is_deferred)
{
	setup(3, 5);
	put("abcde");
	ASSERT_STR(row(0), "abcde");
	ASSERT_CURSOR(0, 4);	/* still on the last column */
	ASSERT(vt.wrap_pending);
	put("f");
	ASSERT_STR(row(1), "f");
	ASSERT_CURSOR(1, 1);
	put("ghij\r\n");	/* a CR at the margin adds no blank line */
	ASSERT_STR(row(1), "fghij");
	ASSERT_CURSOR(2, 0);
	ASSERT_STR(row(2), "");
}

TEST(vt_wrap_at_bottom_scrolls)
{
	setup(2, 3);
	put("abcdefg");
	ASSERT_STR(row(0), "def");
	ASSERT_STR(row(1), "g");
	ASSERT_EQ(rec.scrolled, 1);
}

TEST(vt_autowrap_off_overwrites_last_column)
{
	setup(2, 4);
	put("\033[?7labcdef");
	ASSERT_STR(row(0), "abcf");
	ASSERT_STR(row(1), "");
	put("\033[?7h\rabcdef");
	ASSERT_STR(row(1), "ef");
}

TEST(vt_scroll_at_bottom)
{
	setup(3, 4);
	put("1\r\n2\r\n3\r\n4\r\n5");
	ASSERT_STR(row(0), "3");
	ASSERT_STR(row(1), "4");
	ASSERT_STR(row(2), "5");
	ASSERT_EQ(rec.scrolled, 2);
	ASSERT_CURSOR(2, 1);
}

TEST(vt_scroll_fills_with_current_background)
{
	setup(2, 3);
	put("\033[44m\n\n");
	ASSERT_EQ(vt_bg(at(1, 0)), 4);
	ASSERT_EQ(vt_bg(at(0, 0)), VT_DEFAULT_BG);
}

TEST(vt_backspace_tab_bell)
{
	setup(2, 20);
	put("ab\bc");
	ASSERT_STR(row(0), "ac");
	put("\r\b\b");
	ASSERT_CURSOR(0, 0);
	put("\tx\ty");
	ASSERT_EQ(at(0, 8).ch, 'x');
	ASSERT_EQ(at(0, 16).ch, 'y');
	put("\t\t\t");		/* tabs stop at the last column */
	ASSERT_CURSOR(0, 19);
	put("\a\x01\x7f");	/* BEL, other controls and DEL show nothing */
	ASSERT_CURSOR(0, 19);
	ASSERT_EQ(at(0, 19).ch, ' ');
	put("\r\n\t\b");
	ASSERT_CURSOR(1, 7);
}

TEST(vt_backspace_cancels_pending_wrap)
{
	setup(2, 4);
	put("abcd\bX");
	ASSERT_STR(row(0), "abXd");
	ASSERT_STR(row(1), "");
}

TEST(vt_cursor_moves)
{
	setup(10, 20);
	put("\033[5;5H");
	ASSERT_CURSOR(4, 4);
	put("\033[A");
	ASSERT_CURSOR(3, 4);
	put("\033[2B");
	ASSERT_CURSOR(5, 4);
	put("\033[3C");
	ASSERT_CURSOR(5, 7);
	put("\033[0D");		/* 0 means 1 */
	ASSERT_CURSOR(5, 6);
	put("\033[2E");
	ASSERT_CURSOR(7, 0);
	put("\033[3;7H\033[F");
	ASSERT_CURSOR(1, 0);
}

TEST(vt_cursor_clamps_at_edges)
{
	setup(5, 8);
	put("\033[99A");
	ASSERT_CURSOR(0, 0);
	put("\033[99D");
	ASSERT_CURSOR(0, 0);
	put("\033[99B");
	ASSERT_CURSOR(4, 0);
	put("\033[99C");
	ASSERT_CURSOR(4, 7);
	put("\033[99999999999999999999;99999999999H");
	ASSERT_CURSOR(4, 7);
	put("\033[0;0H");
	ASSERT_CURSOR(0, 0);
	put("\033[99G");
	ASSERT_CURSOR(0, 7);
	put("\033[99d");
	ASSERT_CURSOR(4, 7);
	put("\033[1G\033[1d");
	ASSERT_CURSOR(0, 0);
	ASSERT_EQ(rec.scrolled, 0);	/* moving never scrolls */
}

TEST(vt_cup_forms)
{
	setup(10, 20);
	put("\033[3;4H");
	ASSERT_CURSOR(2, 3);
	put("\033[H");
	ASSERT_CURSOR(0, 0);
	put("\033[6;2f");
	ASSERT_CURSOR(5, 1);
	put("\033[;5H");
	ASSERT_CURSOR(0, 4);
	put("\033[7H");
	ASSERT_CURSOR(6, 0);
	put("\033[3G");
	ASSERT_CURSOR(6, 2);
	put("\033[2d");
	ASSERT_CURSOR(1, 2);
	put("\033[5`");
	ASSERT_CURSOR(1, 4);
}

static void fill_screen(void)
{
	put("\033[H");
	for (int r = 0; r < vt.rows; r++) {
		char line[64];
		for (int c = 0; c < vt.cols; c++)
			line[c] = 'a' + r;
		line[vt.cols] = '\0';
		put(line);
	}
}

TEST(vt_erase_display)
{
	setup(3, 4);
	fill_screen();
	put("\033[2;2H\033[J");
	ASSERT_STR(row(0), "aaaa");
	ASSERT_STR(row(1), "b");
	ASSERT_STR(row(2), "");
	fill_screen();
	put("\033[2;2H\033[0J");
	ASSERT_STR(row(1), "b");
	fill_screen();
	put("\033[2;2H\033[1J");
	ASSERT_STR(row(0), "");
	ASSERT_STR(row(1), "  bb");
	ASSERT_STR(row(2), "cccc");
	fill_screen();
	put("\033[2;2H\033[2J");
	for (int r = 0; r < 3; r++)
		ASSERT_STR(row(r), "");
	ASSERT_CURSOR(1, 1);	/* erasing does not move the cursor */
	fill_screen();
	put("\033[3J\033[9J");	/* 3 = 2 here; unknown modes do nothing */
	ASSERT_STR(row(0), "");
}

TEST(vt_erase_line)
{
	setup(3, 5);
	fill_screen();
	put("\033[2;3H\033[K");
	ASSERT_STR(row(1), "bb");
	fill_screen();
	put("\033[2;3H\033[1K");
	ASSERT_STR(row(1), "   bb");
	fill_screen();
	put("\033[2;3H\033[2K");
	ASSERT_STR(row(1), "");
	ASSERT_STR(row(0), "aaaaa");
	ASSERT_STR(row(2), "ccccc");
	ASSERT_CURSOR(1, 2);
}

TEST(vt_erase_uses_current_background)
{
	setup(2, 4);
	put("\033[41m\033[2J");
	ASSERT_EQ(vt_bg(at(1, 3)), 1);
	ASSERT_EQ(at(1, 3).ch, ' ');
}

TEST(vt_sgr)
{
	setup(2, 40);
	put("\033[1ma\033[22mb\033[7mc\033[27md");
	ASSERT_EQ(at(0, 0).attr, VT_BOLD);
	ASSERT_EQ(at(0, 1).attr, 0);
	ASSERT_EQ(at(0, 2).attr, VT_REVERSE);
	ASSERT_EQ(at(0, 3).attr, 0);
	for (int i = 0; i < 8; i++) {
		char s[32];
		snprintf(s, sizeof(s), "\033[%d;%dmx", 30 + i, 40 + (7 - i));
		put(s);
		ASSERT_EQ(vt_fg(at(0, vt.cur.col - 1)), i);
		ASSERT_EQ(vt_bg(at(0, vt.cur.col - 1)), 7 - i);
		snprintf(s, sizeof(s), "\033[%d;%dmx", 90 + i, 100 + i);
		put(s);
		ASSERT_EQ(vt_fg(at(0, vt.cur.col - 1)), 8 + i);
		ASSERT_EQ(vt_bg(at(0, vt.cur.col - 1)), 8 + i);
	}
	put("\033[39mx");
	ASSERT_EQ(vt_fg(at(0, vt.cur.col - 1)), VT_DEFAULT_FG);
	ASSERT_EQ(vt_bg(at(0, vt.cur.col - 1)), 15);
	put("\033[49mx");
	ASSERT_EQ(vt_bg(at(0, vt.cur.col - 1)), VT_DEFAULT_BG);
	put("\033[1;7;31;42mx\033[0mx");
	ASSERT_EQ(at(0, vt.cur.col - 2).attr, VT_BOLD | VT_REVERSE);
	ASSERT_EQ(at(0, vt.cur.col - 2).color, 2 << 4 | 1);
	ASSERT_EQ(at(0, vt.cur.col - 1).attr, 0);
	ASSERT_EQ(at(0, vt.cur.col - 1).color, DEFAULT_COLOR);
	put("\033[1;32mx\033[mx");	/* empty list is 0 */
	ASSERT_EQ(at(0, vt.cur.col - 1).attr, 0);
	ASSERT_EQ(at(0, vt.cur.col - 1).color, DEFAULT_COLOR);
}

TEST(vt_sgr_ignores_unknown_and_skips_extended_colours)
{
	setup(1, 20);
	put("\033[4;5;9;53mx");		/* underline, blink...: ignored */
	ASSERT_EQ(at(0, 0).attr, 0);
	ASSERT_EQ(at(0, 0).color, DEFAULT_COLOR);
	put("\033[38;5;1mx");		/* 256-colour index < 16: used, no bold */
	ASSERT_EQ(at(0, 1).attr, 0);
	ASSERT_EQ(vt_fg(at(0, 1)), 1);
	put("\033[48;5;200;7mx");	/* index out of range, then reverse */
	ASSERT_EQ(vt_bg(at(0, 2)), VT_DEFAULT_BG);
	ASSERT_EQ(at(0, 2).attr, VT_REVERSE);
	put("\033[0;38;2;1;7;1mx");	/* r;g;b are not attributes */
	ASSERT_EQ(at(0, 3).attr, 0);
	put("\033[38;2;1;2;3;1mx");	/* but what follows them is */
	ASSERT_EQ(at(0, 4).attr, VT_BOLD);
	put("\033[0;38mx\033[0;38;5mx\033[0;48;9;1mx");	/* cut short */
	ASSERT_EQ(at(0, 5).attr, 0);
	ASSERT_EQ(at(0, 6).attr, 0);
	ASSERT_EQ(at(0, 7).attr, 0);
}

TEST(vt_save_restore_cursor)
{
	setup(5, 10);
	put("\033[2;3H\033[31m\033[s\033[5;9H\033[32m\033[ux");
	ASSERT_EQ(at(1, 2).ch, 'x');
	ASSERT_EQ(vt_fg(at(1, 2)), 1);	/* attributes came back too */
	put("\033[3;4H\0337\033[H\033[0m\0338y");
	ASSERT_EQ(at(2, 3).ch, 'y');
	ASSERT_EQ(vt_fg(at(2, 3)), 1);
	put("\033c\0338");		/* after a reset: home */
	ASSERT_CURSOR(0, 0);
}

TEST(vt_restore_cancels_pending_wrap)
{
	setup(3, 4);
	put("\033[2;1H\0337\033[1;1Habcd\0338x");
	ASSERT_STR(row(0), "abcd");
	ASSERT_STR(row(1), "x");
}

TEST(vt_cursor_visibility)
{
	setup(3, 4);
	int before = rec.cursors;
	put("\033[?25l");
	ASSERT(!vt.cursor_visible);
	ASSERT(!rec.visible);
	ASSERT_EQ(rec.cursors, before + 1);
	put("abc");
	put("\033[?25h");
	ASSERT(rec.visible);
	before = rec.cursors;
	put("\033[?25h");		/* no change: no report */
	ASSERT_EQ(rec.cursors, before);
	put("\033[?1;25;1000l");	/* among other modes */
	ASSERT(!rec.visible);
	put("\033c");
	ASSERT(rec.visible);
}

TEST(vt_cursor_reported_once_per_write)
{
	setup(3, 10);
	int before = rec.cursors, flushes = rec.flushes;
	put("abc\033[2;2Hdef");
	ASSERT_EQ(rec.cursors, before + 1);
	ASSERT_EQ(rec.flushes, flushes + 1);
	ASSERT_EQ(rec.row, 1);
	ASSERT_EQ(rec.col, 4);
}

TEST(vt_delete_chars)
{
	setup(2, 8);
	put("abcdefgh\033[1;3H\033[2P");
	ASSERT_STR(row(0), "abefgh");
	put("\033[P");
	ASSERT_STR(row(0), "abfgh");
	put("\033[99P");
	ASSERT_STR(row(0), "ab");
	ASSERT_CURSOR(0, 2);
	put("\033[1;8H\033[PZ");	/* at the last column */
	ASSERT_EQ(at(0, 7).ch, 'Z');
}

TEST(vt_insert_blanks)
{
	setup(2, 8);
	put("abcdefgh\033[1;3H\033[2@");
	ASSERT_STR(row(0), "ab  cdef");
	put("\033[@");
	ASSERT_STR(row(0), "ab   cde");
	put("\033[99@");
	ASSERT_STR(row(0), "ab");
	ASSERT_CURSOR(0, 2);
	put("\033[1;8H\033[@");
	ASSERT_STR(row(0), "ab");
	ASSERT_STR(row(1), "");
}

TEST(vt_erase_chars)
{
	setup(1, 8);
	put("abcdefgh\033[1;3H\033[2X");
	ASSERT_STR(row(0), "ab  efgh");
	put("\033[99X");
	ASSERT_STR(row(0), "ab");
}

TEST(vt_insert_delete_lines)
{
	setup(4, 3);
	fill_screen();
	put("\033[2;2H\033[L");
	ASSERT_STR(row(0), "aaa");
	ASSERT_STR(row(1), "");
	ASSERT_STR(row(2), "bbb");
	ASSERT_STR(row(3), "ccc");
	ASSERT_CURSOR(1, 0);
	put("\033[2M");
	ASSERT_STR(row(1), "ccc");
	ASSERT_STR(row(2), "");
	ASSERT_STR(row(3), "");
	fill_screen();
	put("\033[H\033[M");		/* at the top: an ordinary scroll */
	ASSERT_STR(row(0), "bbb");
	ASSERT_STR(row(3), "");
	put("\033[99L\033[99M");
	for (int r = 0; r < 4; r++)
		ASSERT_STR(row(r), "");
}

TEST(vt_index_and_reverse_index)
{
	setup(3, 3);
	fill_screen();
	put("\033[H\033M");		/* reverse index at the top scrolls down */
	ASSERT_STR(row(0), "");
	ASSERT_STR(row(1), "aaa");
	ASSERT_STR(row(2), "bbb");
	put("\033[2;2H\033Mx");
	ASSERT_CURSOR(0, 2);
	put("\033[3;2H\033Dy");		/* index at the bottom scrolls up */
	ASSERT_STR(row(1), "bbb");
	ASSERT_STR(row(2), " y");
	put("\033Ez");
	ASSERT_STR(row(2), "z");
}

TEST(vt_reset)
{
	setup(3, 5);
	put("\033[1;31;44mhello\033[?25l\033[?7l\033c");
	for (int r = 0; r < 3; r++)
		ASSERT_STR(row(r), "");
	ASSERT_CURSOR(0, 0);
	ASSERT(rec.visible);
	ASSERT(vt.autowrap);
	put("x");
	ASSERT_EQ(at(0, 0).color, DEFAULT_COLOR);
	ASSERT_EQ(at(0, 0).attr, 0);
}

TEST(vt_unknown_sequences_are_swallowed)
{
	setup(3, 40);
	put("\033[5n\033[6n\033[>c\033[?1049h\033[?2004l\033[1 q\033[4l\033[2;20r"
	    "\033(B\033)0\033#8\033%G\033=\033>\033Z"
	    "\033]0;title\a\033]2;other title\033\\\033P1$r\033\\\033_apc\033\\");
	ASSERT_STR(row(0), "");
	ASSERT_STR(row(1), "");
	put("ok");
	ASSERT_STR(row(0), "ok");
}

TEST(vt_sequence_split_across_writes)
{
	setup(5, 10);
	put("\033");
	put("[");
	put("3");
	put(";");
	put("4");
	put("H");
	ASSERT_CURSOR(2, 3);
	put("\033]0;ti");
	put("tle\a");
	put("a");
	ASSERT_STR(row(2), "   a");
}

TEST(vt_malformed_sequences)
{
	setup(4, 20);
	put("\033[12zbc");		/* 'z' is a final byte: "bc" is text */
	ASSERT_STR(row(0), "bc");
	put("\r\033[2\033[3;1Hx");	/* ESC restarts a sequence */
	ASSERT_EQ(at(2, 0).ch, 'x');
	put("\r\033[5\x18y");		/* CAN cancels */
	ASSERT_STR(row(2), "y");
	put("\r\033[5\x1az");		/* so does SUB */
	ASSERT_STR(row(2), "z");
	put("\033[1;1H\033[2\rC");	/* C0 acts inside a sequence */
	ASSERT_CURSOR(0, 2);
	put("\033[1;2?H");		/* private marker after a digit */
	ASSERT_CURSOR(0, 2);
	put("\033[3;3\xc3H");		/* 8-bit junk abandons the sequence */
	ASSERT_CURSOR(0, 3);
	ASSERT_EQ(at(0, 2).ch, 'H');
	put("\033[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20H");
	ASSERT_CURSOR(0, 3);		/* too many parameters: ignored */
	put("\033[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1m");	/* 16 is fine */
	ASSERT_EQ(vt.cur.attr, VT_BOLD);
	put("\033\xe9\033(\xe9q");
	ASSERT_EQ(at(0, 3).ch, 'q');
	put("\033]unterminated string");
	ASSERT_EQ(at(0, 4).ch, ' ');
	put("\033\\w");			/* ...until ST */
	ASSERT_EQ(at(0, 4).ch, 'w');
	put("\033]osc\033[2;1Hv");	/* an ESC inside a string aborts it */
	ASSERT_EQ(at(1, 0).ch, 'v');
}

TEST(vt_utf8)
{
	setup(2, 20);
	put("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80!");
	ASSERT_EQ(at(0, 0).ch, 0xE9);
	ASSERT_EQ(at(0, 1).ch, 0x20AC);
	ASSERT_EQ(at(0, 2).ch, VT_REPLACEMENT);	/* outside the BMP */
	ASSERT_EQ(at(0, 3).ch, '!');
	put("\r\n\xe2\x82");
	put("\xac");				/* split across writes */
	ASSERT_EQ(at(1, 0).ch, 0x20AC);
}

TEST(vt_utf8_malformed)
{
	setup(1, 20);
	put("\x80\xc0\x80\xe0\x80\x80\xed\xa0\x80\xc3(\xf8\xff\xf4\x90\x80\x80");
	const uint16_t want[] = {
		0xFFFD,			/* stray continuation */
		0xFFFD, 0xFFFD,		/* C0 is never a lead byte */
		0xFFFD,			/* overlong E0 80 80 */
		0xFFFD,			/* surrogate D800 */
		0xFFFD, '(',		/* truncated, then ASCII survives */
		0xFFFD, 0xFFFD,		/* F8, FF */
		0xFFFD,			/* above U+10FFFF */
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ASSERT_EQ(at(0, i).ch, want[i]);
	ASSERT_CURSOR(0, 10);
	put("\xe2\x82\033[1;1H");		/* cut by ESC: FFFD, then the move */
	ASSERT_EQ(at(0, 10).ch, 0xFFFD);
	ASSERT_CURSOR(0, 0);
}

TEST(vt_one_by_one)
{
	setup(1, 1);
	put("abc\n\033[5;5Hd\033[2J\033[P\033[@e");
	ASSERT_EQ(at(0, 0).ch, 'e');
	ASSERT_CURSOR(0, 0);
}

/* Random bytes, biased toward the parser's special ones: nothing may
 * crash or go out of bounds, and the mirror must stay in step. */
TEST(vt_random_input)
{
	static const char alphabet[] = "\033\033\033[[[;;?0123456789HJKmPd@ABCDsu78c\r\n\b\t\x18"
				       "]\a\\abcXYZ\xc3\xa9\xe2\x82\xac\x80\xff";
	unsigned seed = 12345;

	setup(7, 13);
	for (int iter = 0; iter < 3000; iter++) {
		char buf[64];
		int n = 1 + iter % 63;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		vt_write(&vt, buf, n);
		check_mirror();
		ASSERT(vt.cur.row >= 0 && vt.cur.row < vt.rows);
		ASSERT(vt.cur.col >= 0 && vt.cur.col < vt.cols);
	}
}
