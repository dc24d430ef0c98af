/* Private to the screen console: what kernel/screen.c needs from its
 * back-ends (kernel/vga.c, kernel/fbcon.c). screen.c owns the terminal
 * model and a copy of what is on glass; a back-end only puts cells there. */
#ifndef KERNEL_SCREEN_H
#define KERNEL_SCREEN_H
#include <vt.h>
#include <stdbool.h>

struct boot_fb;

/* The largest grid kept; a bigger screen uses its top-left part. */
#define SCREEN_MAX_COLS 256
#define SCREEN_MAX_ROWS 100

/* Cell flag set by screen.c on the cursor's cell when the back-end draws
 * the cursor itself (soft_cursor). */
#define SCREEN_CURSOR VT_ATTR_BACKEND

struct screen_backend {
	int rows, cols;
	bool soft_cursor;	/* no hardware cursor: put() draws it */
	/* Show cell at (row, col). Called only for cells that changed. */
	void (*put)(int row, int col, struct vt_cell cell);
	/* Move the hardware cursor, or NULL. */
	void (*cursor)(int row, int col, bool visible);
};

/* Each returns 0 with *be filled, or -errno when the hardware or the
 * boot information does not suit it. fb may be NULL for vgacon_init
 * (a BIOS boot without a framebuffer tag: the standard 80x25 mode). */
int vgacon_init(const struct boot_fb *fb, struct screen_backend *be);
int fbcon_init(const struct boot_fb *fb, struct screen_backend *be);

/* The colours a cell is shown in, with bold (bright) and reverse applied. */
static inline void screen_cell_colors(struct vt_cell c, unsigned *fg, unsigned *bg)
{
	unsigned f = vt_fg(c), b = vt_bg(c);

	if ((c.attr & VT_BOLD) && f < 8)
		f += 8;
	if (c.attr & VT_REVERSE) {
		unsigned t = f;
		f = b;
		b = t;
	}
	*fg = f;
	*bg = b;
}

#endif
