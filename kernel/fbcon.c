/* Linear-framebuffer back-end of the screen console: glyphs from the
 * embedded PSF font (kernel/font.asm) in 16, 24 or 32 bits per pixel, the
 * cursor as an underline. Write-only: screen.c keeps the copy of what is
 * shown and calls fbcon_put only for cells that changed, because reading
 * video memory back is slow everywhere and very slow under emulation. */
#include "screen.h"
#include <bootinfo.h>
#include <pgtable.h>
#include <psf.h>
#include <selftest.h>
#include <string.h>
#include <uapi/errno.h>

extern const uint8_t font_psf[], font_psf_end[];

#define CURSOR_LINES 2	/* underline height, in pixel rows */
#define GLYPH_CACHE 64	/* recent code points above Latin-1 */

static struct {
	uint8_t *base;		/* mapped framebuffer */
	uint32_t pitch;		/* bytes per pixel row */
	unsigned bytes;		/* per pixel: 2, 3 or 4 */
	uint32_t palette[16];	/* pixel values of the ANSI colours */
	struct psf_font font;
	uint16_t latin1[256];	/* glyph of each code point below 256 */
	struct { uint16_t cp, glyph; } cache[GLYPH_CACHE];
	uint16_t unknown;	/* glyph for what the font cannot show */
} fbc;

/* The classic VGA palette, in ANSI order (0xRRGGBB). */
static const uint32_t ansi_rgb[16] = {
	0x000000, 0xAA0000, 0x00AA00, 0xAA5500,
	0x0000AA, 0xAA00AA, 0x00AAAA, 0xAAAAAA,
	0x555555, 0xFF5555, 0x55FF55, 0xFFFF55,
	0x5555FF, 0xFF55FF, 0x55FFFF, 0xFFFFFF,
};

/* An 8-bit channel scaled to size bits at pos. */
static uint32_t channel(uint32_t v8, unsigned pos, unsigned size)
{
	if (!size || pos >= 32)
		return 0;
	uint32_t v = size <= 8 ? v8 >> (8 - size) : v8 << (size - 8);
	return v << pos;
}

static uint32_t rgb_pixel(const struct boot_fb *fb, uint32_t rgb)
{
	return channel(rgb >> 16 & 0xFF, fb->red_pos, fb->red_size) |
	       channel(rgb >> 8 & 0xFF, fb->green_pos, fb->green_size) |
	       channel(rgb & 0xFF, fb->blue_pos, fb->blue_size);
}

static uint16_t glyph_of(uint16_t cp)
{
	if (cp < 256)
		return fbc.latin1[cp];
	unsigned slot = cp % GLYPH_CACHE;
	if (fbc.cache[slot].cp != cp) {
		int g = psf_lookup(&fbc.font, cp);
		fbc.cache[slot].cp = cp;
		fbc.cache[slot].glyph = g < 0 ? fbc.unknown : g;
	}
	return fbc.cache[slot].glyph;
}

/* One glyph row, left-aligned at bit 31 (PSF rows are big-endian). */
static uint32_t glyph_row(const uint8_t *g, unsigned row_bytes)
{
	uint32_t bits = 0;

	for (unsigned i = 0; i < 4; i++)
		bits = bits << 8 | (i < row_bytes ? g[i] : 0);
	return bits;
}

static void put_pixels(uint8_t *p, uint32_t bits, unsigned w,
		       uint32_t fg, uint32_t bg)
{
	switch (fbc.bytes) {
	case 4:
		for (unsigned x = 0; x < w; x++, bits <<= 1)
			((uint32_t *)p)[x] = (int32_t)bits < 0 ? fg : bg;
		break;
	case 3:
		for (unsigned x = 0; x < w; x++, bits <<= 1, p += 3) {
			uint32_t v = (int32_t)bits < 0 ? fg : bg;
			p[0] = v;
			p[1] = v >> 8;
			p[2] = v >> 16;
		}
		break;
	case 2:
		for (unsigned x = 0; x < w; x++, bits <<= 1)
			((uint16_t *)p)[x] = (int32_t)bits < 0 ? fg : bg;
		break;
	}
}

static void fbcon_put(int row, int col, struct vt_cell cell)
{
	const struct psf_font *f = &fbc.font;
	const uint8_t *g = psf_glyph(f, glyph_of(cell.ch));
	unsigned fg, bg;

	if (!g)
		return;
	screen_cell_colors(cell, &fg, &bg);
	uint8_t *p = fbc.base + (size_t)row * f->height * fbc.pitch +
		     (size_t)col * f->width * fbc.bytes;
	for (unsigned y = 0; y < f->height; y++, p += fbc.pitch, g += f->row_bytes) {
		uint32_t bits = glyph_row(g, f->row_bytes);
		if ((cell.attr & SCREEN_CURSOR) && y >= f->height - CURSOR_LINES)
			bits = ~0u;
		put_pixels(p, bits, f->width, fbc.palette[fg], fbc.palette[bg]);
	}
}

static int fbcon_load_font(void)
{
	int err = psf_parse(font_psf, font_psf_end - font_psf, &fbc.font);
	if (err)
		return err;
	int q = psf_lookup(&fbc.font, '?');
	fbc.unknown = q < 0 ? 0 : q;
	for (unsigned cp = 0; cp < 256; cp++) {
		int g = psf_lookup(&fbc.font, cp);
		fbc.latin1[cp] = g < 0 ? fbc.unknown : g;
	}
	for (unsigned i = 0; i < GLYPH_CACHE; i++)
		fbc.cache[i].cp = i;	/* below 256: never looked up here */
	return 0;
}

int fbcon_init(const struct boot_fb *fb, struct screen_backend *be)
{
	int err;

	if (fb->type != FB_RGB)
		return -EINVAL;
	if (fb->bpp != 15 && fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
		return -EINVAL;
	fbc.bytes = (fb->bpp + 7) / 8;
	if (fb->pitch < (uint64_t)fb->width * fbc.bytes)
		return -EINVAL;
	err = fbcon_load_font();
	if (err)
		return err;
	int cols = fb->width / fbc.font.width, rows = fb->height / fbc.font.height;
	if (cols <= 0 || rows <= 0)
		return -EINVAL;

	size_t size = (size_t)fb->pitch * fb->height;
	fbc.base = ioremap(fb->addr, size, CACHE_WC);
	if (!fbc.base)
		return -ENOMEM;
	fbc.pitch = fb->pitch;
	for (int i = 0; i < 16; i++)
		fbc.palette[i] = rgb_pixel(fb, ansi_rgb[i]);
	/* Black is pixel value 0 in every RGB layout: clear the margins too. */
	memset(fbc.base, 0, size);

	be->cols = cols < SCREEN_MAX_COLS ? cols : SCREEN_MAX_COLS;
	be->rows = rows < SCREEN_MAX_ROWS ? rows : SCREEN_MAX_ROWS;
	be->soft_cursor = true;
	be->put = fbcon_put;
	be->cursor = NULL;
	return 0;
}

/* The font the build embedded parses, and covers ASCII and Latin-1. Runs
 * on VGA boots too, so a broken font block is caught before a UEFI boot. */
SELFTEST(fbcon_embedded_font)
{
	struct psf_font f;

	ST_ASSERT(psf_parse(font_psf, font_psf_end - font_psf, &f) == 0);
	ST_ASSERT(f.width == 8 && f.height == 16);
	ST_ASSERT(f.utab != NULL);
	for (unsigned cp = 0x20; cp < 0x7F; cp++)
		ST_ASSERT(psf_lookup(&f, cp) >= 0);
	for (unsigned cp = 0xA0; cp < 0x100; cp++)
		ST_ASSERT(psf_lookup(&f, cp) >= 0);
	ST_ASSERT(psf_lookup(&f, 0x2500) >= 0);		/* box drawing */
	return 0;
}
