/* The terminal model (see vt.h): cells, cursor, and the escape-sequence
 * parser, a small VT100/ECMA-48 state machine with UTF-8 decoding. It
 * knows nothing of pixels or ports: it tells a back-end which cells
 * changed and leaves the drawing to it. Host-tested in test/host/test_vt.c. */
#include <vt.h>
#include <string.h>
#include <uapi/errno.h>

enum vt_state {
	ST_GROUND,	/* text */
	ST_ESC,		/* after ESC */
	ST_ESC_ARG,	/* ESC ( x, ESC # x, ...: one more byte to swallow */
	ST_CSI,		/* ESC [ params... final */
	ST_STRING,	/* OSC, DCS, APC, PM, SOS: swallowed up to BEL or ST */
};

#define PARAM_MAX 9999	/* a parameter this large already means "all" */
#define TAB_WIDTH 8

static struct vt_cell blank_cell(const struct vt *vt)
{
	/* Erased cells take the current background (xterm's "bce"). */
	return (struct vt_cell){ .ch = ' ', .color = vt->cur.color, .attr = 0 };
}

static void draw(struct vt *vt, int row, int col)
{
	if (vt->ops && vt->ops->draw)
		vt->ops->draw(vt->ctx, row, col, vt->cells[row * vt->cols + col]);
}

/* Store c at (row, col), telling the back-end only when it differs. */
static void set_cell(struct vt *vt, int row, int col, struct vt_cell c)
{
	struct vt_cell *p = &vt->cells[row * vt->cols + col];

	if (p->ch == c.ch && p->color == c.color && p->attr == c.attr)
		return;
	*p = c;
	draw(vt, row, col);
}

static void fill(struct vt *vt, int row, int col0, int col1, struct vt_cell c)
{
	for (int col = col0; col < col1; col++)
		set_cell(vt, row, col, c);
}

static void redraw_rows(struct vt *vt, int row0, int row1)
{
	for (int row = row0; row < row1; row++)
		for (int col = 0; col < vt->cols; col++)
			draw(vt, row, col);
}

/* Whole screen up by n lines; blank lines enter at the bottom. */
static void scroll_up(struct vt *vt, int n)
{
	struct vt_cell b = blank_cell(vt);
	int keep = vt->rows - n;

	if (n > vt->rows)
		n = vt->rows, keep = 0;
	memmove(vt->cells, vt->cells + n * vt->cols,
		(size_t)keep * vt->cols * sizeof(*vt->cells));
	for (int i = keep * vt->cols; i < vt->rows * vt->cols; i++)
		vt->cells[i] = b;
	if (vt->ops && vt->ops->scroll)
		vt->ops->scroll(vt->ctx, n);
	redraw_rows(vt, keep, vt->rows);
}

/* Rows [row, rows) move down by n (insert lines, reverse index); the
 * back-end has no operation for this rare case and gets every cell. */
static void shift_down(struct vt *vt, int row, int n)
{
	struct vt_cell b = blank_cell(vt);
	int span = vt->rows - row;

	if (n > span)
		n = span;
	memmove(vt->cells + (row + n) * vt->cols, vt->cells + row * vt->cols,
		(size_t)(span - n) * vt->cols * sizeof(*vt->cells));
	for (int i = row * vt->cols; i < (row + n) * vt->cols; i++)
		vt->cells[i] = b;
	redraw_rows(vt, row, vt->rows);
}

/* Rows [row + n, rows) move up to row (delete lines). */
static void shift_up(struct vt *vt, int row, int n)
{
	struct vt_cell b = blank_cell(vt);
	int span = vt->rows - row;

	if (row == 0) {
		scroll_up(vt, n);
		return;
	}
	if (n > span)
		n = span;
	memmove(vt->cells + row * vt->cols, vt->cells + (row + n) * vt->cols,
		(size_t)(span - n) * vt->cols * sizeof(*vt->cells));
	for (int i = (vt->rows - n) * vt->cols; i < vt->rows * vt->cols; i++)
		vt->cells[i] = b;
	redraw_rows(vt, row, vt->rows);
}

/* Every explicit move lands inside the screen and cancels a pending wrap. */
static void move_to(struct vt *vt, int row, int col)
{
	if (row < 0)
		row = 0;
	if (row >= vt->rows)
		row = vt->rows - 1;
	if (col < 0)
		col = 0;
	if (col >= vt->cols)
		col = vt->cols - 1;
	vt->cur.row = row;
	vt->cur.col = col;
	vt->wrap_pending = false;
}

static void line_feed(struct vt *vt)
{
	if (vt->cur.row == vt->rows - 1)
		scroll_up(vt, 1);
	else
		vt->cur.row++;
	vt->wrap_pending = false;
}

static void reverse_index(struct vt *vt)
{
	if (vt->cur.row == 0)
		shift_down(vt, 0, 1);
	else
		vt->cur.row--;
	vt->wrap_pending = false;
}

/* Deferred wrap, as on a VT100: a character in the last column leaves the
 * cursor there, and only the next character moves to a new line. */
static void put_char(struct vt *vt, uint32_t cp)
{
	if (cp > 0xFFFF)
		cp = VT_REPLACEMENT;
	if (vt->wrap_pending) {
		vt->cur.col = 0;
		line_feed(vt);
	}
	set_cell(vt, vt->cur.row, vt->cur.col, (struct vt_cell){
		.ch = cp, .color = vt->cur.color, .attr = vt->cur.attr });
	if (vt->cur.col < vt->cols - 1)
		vt->cur.col++;
	else if (vt->autowrap)
		vt->wrap_pending = true;
}

static void erase_display(struct vt *vt, int mode)
{
	struct vt_cell b = blank_cell(vt);
	int row = vt->cur.row, col = vt->cur.col;

	switch (mode) {
	case 0:		/* cursor to end */
		fill(vt, row, col, vt->cols, b);
		for (int r = row + 1; r < vt->rows; r++)
			fill(vt, r, 0, vt->cols, b);
		break;
	case 1:		/* start to cursor, inclusive */
		for (int r = 0; r < row; r++)
			fill(vt, r, 0, vt->cols, b);
		fill(vt, row, 0, col + 1, b);
		break;
	case 2:
	case 3:		/* 3 also drops scrollback, which we do not keep */
		for (int r = 0; r < vt->rows; r++)
			fill(vt, r, 0, vt->cols, b);
		break;
	}
}

static void erase_line(struct vt *vt, int mode)
{
	struct vt_cell b = blank_cell(vt);
	int row = vt->cur.row, col = vt->cur.col;

	switch (mode) {
	case 0:
		fill(vt, row, col, vt->cols, b);
		break;
	case 1:
		fill(vt, row, 0, col + 1, b);
		break;
	case 2:
		fill(vt, row, 0, vt->cols, b);
		break;
	}
}

/* ESC[n P: the rest of the line moves left over n cells. */
static void delete_chars(struct vt *vt, int n)
{
	int row = vt->cur.row, left = vt->cols - vt->cur.col;

	if (n > left)
		n = left;
	for (int col = vt->cur.col; col < vt->cols - n; col++)
		set_cell(vt, row, col, vt_cell_at(vt, row, col + n));
	fill(vt, row, vt->cols - n, vt->cols, blank_cell(vt));
	vt->wrap_pending = false;
}

/* ESC[n @: n blanks open at the cursor; what passes the margin is lost. */
static void insert_blanks(struct vt *vt, int n)
{
	int row = vt->cur.row, left = vt->cols - vt->cur.col;

	if (n > left)
		n = left;
	for (int col = vt->cols - 1; col >= vt->cur.col + n; col--)
		set_cell(vt, row, col, vt_cell_at(vt, row, col - n));
	fill(vt, row, vt->cur.col, vt->cur.col + n, blank_cell(vt));
	vt->wrap_pending = false;
}

static void set_fg(struct vt *vt, unsigned c)
{
	vt->cur.color = (vt->cur.color & 0xF0) | (c & 15);
}

static void set_bg(struct vt *vt, unsigned c)
{
	vt->cur.color = (vt->cur.color & 0x0F) | (c & 15) << 4;
}

/* 38/48 take sub-arguments (5;n or 2;r;g;b). Only the 16 colours we can
 * show are honoured, but the arguments are always skipped so they are
 * never mistaken for attributes. Returns how many parameters it used. */
static int sgr_extended(struct vt *vt, const int *p, int n, bool fg)
{
	if (n >= 2 && p[0] == 5) {
		if (p[1] < 16 && fg)
			set_fg(vt, p[1]);
		else if (p[1] < 16)
			set_bg(vt, p[1]);
		return 2;
	}
	if (n >= 1 && p[0] == 2)
		return n < 4 ? n : 4;
	return n;	/* malformed: drop the rest of the list */
}

static void sgr(struct vt *vt)
{
	for (int i = 0; i < vt->nparams; i++) {
		int p = vt->params[i];

		if (p == 0) {
			vt->cur.color = VT_DEFAULT_BG << 4 | VT_DEFAULT_FG;
			vt->cur.attr = 0;
		} else if (p == 1) {
			vt->cur.attr |= VT_BOLD;
		} else if (p == 22) {
			vt->cur.attr &= ~VT_BOLD;
		} else if (p == 7) {
			vt->cur.attr |= VT_REVERSE;
		} else if (p == 27) {
			vt->cur.attr &= ~VT_REVERSE;
		} else if (p >= 30 && p <= 37) {
			set_fg(vt, p - 30);
		} else if (p == 39) {
			set_fg(vt, VT_DEFAULT_FG);
		} else if (p >= 40 && p <= 47) {
			set_bg(vt, p - 40);
		} else if (p == 49) {
			set_bg(vt, VT_DEFAULT_BG);
		} else if (p >= 90 && p <= 97) {
			set_fg(vt, p - 90 + 8);
		} else if (p >= 100 && p <= 107) {
			set_bg(vt, p - 100 + 8);
		} else if (p == 38 || p == 48) {
			i += sgr_extended(vt, vt->params + i + 1,
					  vt->nparams - i - 1, p == 38);
		}
	}
}

static void set_private_mode(struct vt *vt, bool on)
{
	for (int i = 0; i < vt->nparams; i++) {
		if (vt->params[i] == 25)
			vt->cursor_visible = on;
		else if (vt->params[i] == 7)
			vt->autowrap = on;
	}
}

static void set_mode(struct vt *vt, bool on)
{
	for (int i = 0; i < vt->nparams; i++)
		if (vt->params[i] == 20)
			vt->newline_mode = on;
}

static void save_cursor(struct vt *vt)
{
	vt->saved = vt->cur;
}

static void restore_cursor(struct vt *vt)
{
	vt->cur = vt->saved;
	move_to(vt, vt->cur.row, vt->cur.col);	/* the size may be smaller */
}

static void csi_dispatch(struct vt *vt, char final)
{
	int p0 = vt->params[0], p1 = vt->nparams > 1 ? vt->params[1] : 0;
	int n = p0 ? p0 : 1;		/* counts: missing or 0 mean 1 */
	int row = vt->cur.row, col = vt->cur.col;

	if (vt->prefix == '?') {
		if (final == 'h' || final == 'l')
			set_private_mode(vt, final == 'h');
		return;
	}
	if (vt->prefix)
		return;
	switch (final) {
	case 'A': move_to(vt, row - n, col); break;
	case 'B': case 'e': move_to(vt, row + n, col); break;
	case 'C': case 'a': move_to(vt, row, col + n); break;
	case 'D': move_to(vt, row, col - n); break;
	case 'E': move_to(vt, row + n, 0); break;
	case 'F': move_to(vt, row - n, 0); break;
	case 'G': case '`': move_to(vt, row, n - 1); break;
	case 'd': move_to(vt, n - 1, col); break;
	case 'H': case 'f': move_to(vt, n - 1, (p1 ? p1 : 1) - 1); break;
	case 'J': erase_display(vt, p0); break;
	case 'K': erase_line(vt, p0); break;
	case 'L': shift_down(vt, row, n); move_to(vt, row, 0); break;
	case 'M': shift_up(vt, row, n); move_to(vt, row, 0); break;
	case 'P': delete_chars(vt, n); break;
	case '@': insert_blanks(vt, n); break;
	case 'X': fill(vt, row, col, col + n < vt->cols ? col + n : vt->cols,
		       blank_cell(vt)); break;
	case 'm': sgr(vt); break;
	case 's': save_cursor(vt); break;
	case 'u': restore_cursor(vt); break;
	case 'h': set_mode(vt, true); break;
	case 'l': set_mode(vt, false); break;
	default: break;		/* unknown: swallowed */
	}
}

static void control(struct vt *vt, uint8_t b)
{
	switch (b) {
	case '\r':
		move_to(vt, vt->cur.row, 0);
		break;
	case '\n': case '\v': case '\f':
		line_feed(vt);
		if (vt->newline_mode)
			vt->cur.col = 0;
		break;
	case '\b':
		move_to(vt, vt->cur.row, vt->cur.col - 1);
		break;
	case '\t': {
		int col = (vt->cur.col / TAB_WIDTH + 1) * TAB_WIDTH;
		move_to(vt, vt->cur.row, col);
		break;
	}
	default:	/* BEL, NUL and the rest do nothing on a screen */
		break;
	}
}

static void esc_dispatch(struct vt *vt, uint8_t b)
{
	vt->state = ST_GROUND;
	switch (b) {
	case '[':
		vt->state = ST_CSI;
		vt->nparams = 1;
		vt->params[0] = 0;
		vt->prefix = 0;
		vt->bad = false;
		break;
	case ']': case 'P': case 'X': case '^': case '_':
		vt->state = ST_STRING;
		break;
	case '(': case ')': case '*': case '+': case '-': case '.': case '/':
	case '#': case '%': case ' ':
		vt->state = ST_ESC_ARG;
		break;
	case '7': save_cursor(vt); break;
	case '8': restore_cursor(vt); break;
	case 'c': vt_reset(vt); break;
	case 'D': line_feed(vt); break;
	case 'E': vt->cur.col = 0; line_feed(vt); break;
	case 'M': reverse_index(vt); break;
	default: break;		/* keypad modes, ST, unknown: nothing to do */
	}
}

static void csi_byte(struct vt *vt, uint8_t b)
{
	if (b >= '0' && b <= '9') {
		int *p = &vt->params[vt->nparams - 1];
		if (*p <= PARAM_MAX)	/* larger ones are clamped at the end */
			*p = *p * 10 + (b - '0');
	} else if (b == ';' || b == ':') {
		if (vt->nparams < VT_MAX_PARAMS)
			vt->params[vt->nparams++] = 0;
		else
			vt->bad = true;		/* too many to act on safely */
	} else if (b >= '<' && b <= '?') {
		/* A private marker is only valid as the first byte. */
		if (vt->prefix || vt->nparams > 1 || vt->params[0])
			vt->bad = true;
		vt->prefix = b;
	} else if (b >= 0x20 && b <= 0x2F) {
		vt->bad = true;			/* intermediates: none we know */
	} else if (b >= 0x40 && b <= 0x7E) {
		vt->state = ST_GROUND;
		for (int i = 0; i < vt->nparams; i++)
			if (vt->params[i] > PARAM_MAX)
				vt->params[i] = PARAM_MAX;
		if (!vt->bad)
			csi_dispatch(vt, b);
	} else {
		vt->state = ST_GROUND;		/* 8-bit junk: abandon it */
	}
}

/* UTF-8, strictly: overlong forms, surrogates and stray bytes become
 * U+FFFD rather than garbage or swallowed text. */
static void utf8_byte(struct vt *vt, uint8_t b)
{
	if (vt->utf8_left) {		/* b is a continuation (checked by caller) */
		vt->utf8_cp = vt->utf8_cp << 6 | (b & 0x3F);
		if (--vt->utf8_left)
			return;
		uint32_t cp = vt->utf8_cp;
		bool bad = cp < vt->utf8_min || (cp >= 0xD800 && cp <= 0xDFFF) ||
			   cp > 0x10FFFF;
		put_char(vt, bad ? VT_REPLACEMENT : cp);
		return;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		vt->utf8_left = 1, vt->utf8_cp = b & 0x1F, vt->utf8_min = 0x80;
	} else if (b >= 0xE0 && b <= 0xEF) {
		vt->utf8_left = 2, vt->utf8_cp = b & 0x0F, vt->utf8_min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		vt->utf8_left = 3, vt->utf8_cp = b & 0x07, vt->utf8_min = 0x10000;
	} else {
		put_char(vt, VT_REPLACEMENT);
	}
}

static void vt_byte(struct vt *vt, uint8_t b)
{
	/* A sequence cut short by anything but a continuation byte. */
	if (vt->utf8_left && (b & 0xC0) != 0x80) {
		vt->utf8_left = 0;
		put_char(vt, VT_REPLACEMENT);
	}
	if (vt->state == ST_STRING) {
		if (b == 0x07 || b == 0x18 || b == 0x1A)
			vt->state = ST_GROUND;
		else if (b == 0x1B)
			vt->state = ST_ESC;	/* ESC \ ends it; any ESC aborts it */
		return;
	}
	if (b == 0x1B) {
		vt->state = ST_ESC;		/* also abandons a sequence */
		return;
	}
	if (b == 0x18 || b == 0x1A) {
		vt->state = ST_GROUND;		/* CAN, SUB: cancel */
		return;
	}
	if (b < 0x20) {
		control(vt, b);			/* acts even inside a sequence */
		return;
	}
	if (b == 0x7F)
		return;
	switch (vt->state) {
	case ST_GROUND:
		if (b < 0x80)
			put_char(vt, b);
		else
			utf8_byte(vt, b);
		break;
	case ST_ESC:
		esc_dispatch(vt, b);
		break;
	case ST_ESC_ARG:
		vt->state = ST_GROUND;
		break;
	case ST_CSI:
		csi_byte(vt, b);
		break;
	}
}

static void report_cursor(struct vt *vt)
{
	if (vt->cur.row == vt->shown_row && vt->cur.col == vt->shown_col &&
	    vt->cursor_visible == vt->shown_visible)
		return;
	vt->shown_row = vt->cur.row;
	vt->shown_col = vt->cur.col;
	vt->shown_visible = vt->cursor_visible;
	if (vt->ops && vt->ops->cursor)
		vt->ops->cursor(vt->ctx, vt->cur.row, vt->cur.col, vt->cursor_visible);
}

static void finish(struct vt *vt)
{
	report_cursor(vt);
	if (vt->ops && vt->ops->flush)
		vt->ops->flush(vt->ctx);
}

void vt_write(struct vt *vt, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vt_byte(vt, (uint8_t)s[i]);
	finish(vt);
}

/* Back to the power-on state, except newline_mode, which is the owner's
 * choice. Draws every cell, even unchanged ones, so a back-end starting
 * from garbage ends up in step. */
void vt_reset(struct vt *vt)
{
	vt->cur = (struct vt_pen){ .color = VT_DEFAULT_BG << 4 | VT_DEFAULT_FG };
	vt->saved = vt->cur;
	vt->wrap_pending = false;
	vt->cursor_visible = true;
	vt->autowrap = true;
	vt->state = ST_GROUND;
	vt->utf8_left = 0;
	for (int i = 0; i < vt->rows * vt->cols; i++)
		vt->cells[i] = blank_cell(vt);
	redraw_rows(vt, 0, vt->rows);
}

int vt_init(struct vt *vt, struct vt_cell *cells, int rows, int cols,
	    const struct vt_ops *ops, void *ctx)
{
	if (rows <= 0 || cols <= 0 || !cells)
		return -EINVAL;
	memset(vt, 0, sizeof(*vt));
	vt->cells = cells;
	vt->rows = rows;
	vt->cols = cols;
	vt->ops = ops;
	vt->ctx = ctx;
	vt->shown_row = -1;		/* forces the first cursor report */
	vt_reset(vt);
	finish(vt);
	return 0;
}
