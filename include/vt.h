/* The terminal model behind the screen consoles (kernel/vt.c): a grid of
 * cells, a cursor and a parser for the VT100/ANSI subset a Unix shell
 * uses. Pure: no hardware and no globals; the caller supplies the grid's
 * memory, and a back-end learns what changed through struct vt_ops. */
#ifndef VT_H
#define VT_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* Colours are ANSI numbers: 0 black, 1 red, 2 green, 3 yellow, 4 blue,
 * 5 magenta, 6 cyan, 7 white; 8..15 are the bright versions. */
#define VT_DEFAULT_FG 7
#define VT_DEFAULT_BG 0

#define VT_BOLD    0x01	/* back-ends show it as the bright foreground */
#define VT_REVERSE 0x02	/* back-ends swap foreground and background */
#define VT_ATTR_BACKEND 0x80	/* never set by vt: free for back-ends */

#define VT_REPLACEMENT 0xFFFD	/* shown for bad UTF-8 and non-BMP code points */

struct vt_cell {
	uint16_t ch;		/* Unicode code point (BMP); ' ' when blank */
	uint8_t color;		/* foreground in bits 0-3, background in 4-7 */
	uint8_t attr;		/* VT_BOLD | VT_REVERSE */
};

static inline unsigned vt_fg(struct vt_cell c) { return c.color & 15; }
static inline unsigned vt_bg(struct vt_cell c) { return c.color >> 4; }

/*
 * What a back-end is told, in the order things happen. Any member may be
 * NULL. Rows and columns are 0-based; ctx is the back-end's own pointer.
 *  draw:   the cell at (row, col) now holds cell.
 *  scroll: every row moved up by n (1 <= n <= rows); the n rows that
 *          appear at the bottom are then sent with draw().
 *  cursor: the cursor is at (row, col) and shown or hidden; sent once at
 *          the end of vt_write when it changed.
 *  flush:  end of a vt_write: a good moment to put deferred work on glass.
 */
struct vt_ops {
	void (*draw)(void *ctx, int row, int col, struct vt_cell cell);
	void (*scroll)(void *ctx, int n);
	void (*cursor)(void *ctx, int row, int col, bool visible);
	void (*flush)(void *ctx);
};

#define VT_MAX_PARAMS 16

struct vt_pen {
	int row, col;
	uint8_t color, attr;
};

struct vt {
	struct vt_cell *cells;	/* rows * cols, row-major, owned by the caller */
	int rows, cols;
	struct vt_pen cur;	/* cursor position and the attributes to write with */
	struct vt_pen saved;	/* ESC 7 / ESC[s */
	bool wrap_pending;	/* a character was written in the last column */
	bool cursor_visible;
	bool autowrap;		/* DECAWM, ESC[?7h/l */
	bool newline_mode;	/* LNM: LF also returns the carriage; set by
				 * the owner or ESC[20h/l, kept by ESC c */

	/* The parser; it keeps its state across vt_write calls. */
	int state;
	int params[VT_MAX_PARAMS];
	int nparams;
	char prefix;		/* private marker in a CSI ('?', '>', ...), or 0 */
	bool bad;		/* CSI has intermediates or junk: ignore it */
	uint32_t utf8_cp;	/* code point being decoded */
	int utf8_left;		/* continuation bytes still expected */
	uint32_t utf8_min;	/* smallest code point legal for this length */

	int shown_row, shown_col;	/* last cursor state sent to ops->cursor */
	bool shown_visible;

	const struct vt_ops *ops;
	void *ctx;
};

/* Set up a terminal of rows x cols over cells (rows * cols of them), clear
 * it and draw it through ops. Returns 0, or -EINVAL for a zero size. */
int vt_init(struct vt *vt, struct vt_cell *cells, int rows, int cols,
	    const struct vt_ops *ops, void *ctx);

/* Feed n bytes of output (UTF-8 text and control sequences). */
void vt_write(struct vt *vt, const char *s, size_t n);

/* ESC c: default attributes, cleared screen, cursor home and shown. */
void vt_reset(struct vt *vt);

static inline struct vt_cell vt_cell_at(const struct vt *vt, int row, int col)
{
	return vt->cells[row * vt->cols + col];
}

#endif
