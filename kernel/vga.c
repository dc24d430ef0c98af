/* VGA text back-end of the screen console: cells at physical 0xB8000 (or
 * where the EGA-text framebuffer tag says), CP437 glyphs, 16 colours, and
 * the hardware cursor through the CRTC. Write-only: screen.c keeps the
 * copy of what is shown, so this never reads the slow video memory. */
#include "screen.h"
#include <bootinfo.h>
#include <io.h>
#include <layout.h>
#include <uapi/errno.h>

#define VGA_TEXT_PHYS 0xB8000
#define VGA_COLS 80
#define VGA_ROWS 25

#define CRTC_INDEX 0x3D4	/* colour adapter; mono ones use 0x3B4 */
#define CRTC_DATA  0x3D5
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_END   0x0B
#define CRTC_CURSOR_HIGH  0x0E
#define CRTC_CURSOR_LOW   0x0F
#define CURSOR_DISABLE    0x20

#define INPUT_STATUS_1 0x3DA	/* reading it resets the attribute flip-flop */
#define ATTR_INDEX 0x3C0
#define ATTR_READ  0x3C1
#define ATTR_PAS   0x20		/* keep the palette enabled while indexing */
#define ATTR_MODE  0x10
#define ATTR_MODE_BLINK 0x08

static volatile uint16_t *vga_mem;
static int vga_pitch;		/* cells from one row to the next */

/* ANSI colour numbers to the VGA palette's order. */
static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

/* Unicode for CP437 0x80..0xFF, the glyphs in the VGA's ROM font. */
static const uint16_t cp437_high[128] = {
	0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
	0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
	0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
	0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
	0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
	0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
	0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
	0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
	0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
	0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
	0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
	0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
	0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
	0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
	0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

static uint8_t to_cp437(uint16_t ch)
{
	if (ch >= 0x20 && ch < 0x7F)
		return ch;
	for (int i = 0; i < 128; i++)
		if (cp437_high[i] == ch)
			return 0x80 + i;
	return '?';
}

static uint8_t vga_color(unsigned c)
{
	return ansi_to_vga[c & 7] | (c & 8);
}

static void vga_put(int row, int col, struct vt_cell cell)
{
	unsigned fg, bg;

	screen_cell_colors(cell, &fg, &bg);
	vga_mem[row * vga_pitch + col] = to_cp437(cell.ch) |
		(vga_color(fg) | vga_color(bg) << 4) << 8;
}

static void crtc_write(uint8_t reg, uint8_t v)
{
	outb(CRTC_INDEX, reg);
	outb(CRTC_DATA, v);
}

static void vga_cursor(int row, int col, bool visible)
{
	unsigned pos = row * vga_pitch + col;

	crtc_write(CRTC_CURSOR_HIGH, pos >> 8);
	crtc_write(CRTC_CURSOR_LOW, pos & 0xFF);
	/* An underline on the last two scan lines of a 16-line cell. */
	crtc_write(CRTC_CURSOR_START, 14 | (visible ? 0 : CURSOR_DISABLE));
	crtc_write(CRTC_CURSOR_END, 15);
}

/* Attribute bit 7 means "blink" by default; turning blinking off makes it
 * the bright-background bit, so all 16 background colours work. */
static void vga_disable_blink(void)
{
	inb(INPUT_STATUS_1);
	outb(ATTR_INDEX, ATTR_MODE | ATTR_PAS);
	uint8_t mode = inb(ATTR_READ);
	outb(ATTR_INDEX, mode & ~ATTR_MODE_BLINK);
}

int vgacon_init(const struct boot_fb *fb, struct screen_backend *be)
{
	paddr_t addr = VGA_TEXT_PHYS;
	int cols = VGA_COLS, rows = VGA_ROWS, pitch = VGA_COLS;

	if (fb) {
		if (fb->type != FB_EGA_TEXT || fb->pitch < 2 * fb->width)
			return -EINVAL;
		addr = fb->addr;
		cols = fb->width;
		rows = fb->height;
		pitch = fb->pitch / 2;
	}
	if (cols <= 0 || rows <= 0)
		return -EINVAL;
	/* The boot direct map covers the legacy video window (below 1 MiB). */
	vga_mem = phys_to_virt(addr);
	vga_pitch = pitch;
	vga_disable_blink();
	be->cols = cols < SCREEN_MAX_COLS ? cols : SCREEN_MAX_COLS;
	be->rows = rows < SCREEN_MAX_ROWS ? rows : SCREEN_MAX_ROWS;
	be->soft_cursor = false;
	be->put = vga_put;
	be->cursor = vga_cursor;
	return 0;
}
