/* PC Screen Font parsing (kernel/psf.c): PSF1 and PSF2 headers, the glyph
 * bitmaps and the optional Unicode table. Pure and bounds-checked, so a
 * damaged font is refused instead of read past its end. */
#ifndef PSF_H
#define PSF_H
#include <stdint.h>
#include <stddef.h>

#define PSF_MAX_WIDTH  32	/* one glyph row fits a uint32_t */
#define PSF_MAX_HEIGHT 64
#define PSF_MAX_GLYPHS 65536

struct psf_font {
	const uint8_t *glyphs;		/* nglyphs bitmaps of glyph_size bytes */
	uint32_t nglyphs;
	uint32_t width, height;		/* pixels */
	uint32_t row_bytes;		/* (width + 7) / 8; MSB is the left pixel */
	uint32_t glyph_size;		/* bytes from one glyph to the next */
	const uint8_t *utab;		/* Unicode table, or NULL */
	size_t utab_len;
	int version;			/* 1 or 2 */
};

/* Check the font in [buf, buf + len) and describe it in *font, which
 * points into buf afterwards. Returns 0, or -EINVAL for a bad magic, a
 * zero or oversized dimension, or glyphs that run past len. */
int psf_parse(const void *buf, size_t len, struct psf_font *font);

/* Bitmap of glyph index, or NULL when out of range. */
const uint8_t *psf_glyph(const struct psf_font *font, uint32_t index);

/* The glyph showing Unicode code point cp: from the table when the font
 * has one, else the identity for cp < nglyphs. Returns the glyph index,
 * or -ENOENT. Walks the table: callers cache what they use often. */
int psf_lookup(const struct psf_font *font, uint32_t cp);

#endif
