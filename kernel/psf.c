/* PC Screen Font parser (see psf.h). Trusts nothing in the file: every
 * size is checked against the buffer before use, in 64-bit arithmetic so
 * a huge glyph count cannot wrap. Host-tested in test/host/test_psf.c. */
#include <psf.h>
#include <uapi/errno.h>

#define PSF1_MAGIC0 0x36
#define PSF1_MAGIC1 0x04
#define PSF1_MODE512    0x01
#define PSF1_MODEHASTAB 0x02
#define PSF1_MODESEQ    0x04
#define PSF1_HDR 4
#define PSF1_SEP   0xFFFF	/* ends a glyph's entry in the table */
#define PSF1_START 0xFFFE	/* starts the sequences part of an entry */

#define PSF2_MAGIC 0x864AB572
#define PSF2_HAS_UNICODE_TABLE 0x01
#define PSF2_HDR 32
#define PSF2_SEP   0xFF
#define PSF2_START 0xFE

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Shared by both versions once the header is decoded. */
static int psf_check(const uint8_t *base, size_t len, size_t hdr,
		     int has_table, struct psf_font *f)
{
	if (!f->width || f->width > PSF_MAX_WIDTH ||
	    !f->height || f->height > PSF_MAX_HEIGHT ||
	    !f->nglyphs || f->nglyphs > PSF_MAX_GLYPHS)
		return -EINVAL;
	f->row_bytes = (f->width + 7) / 8;
	if (f->glyph_size < (uint64_t)f->row_bytes * f->height)
		return -EINVAL;
	uint64_t end = hdr + (uint64_t)f->nglyphs * f->glyph_size;
	if (hdr > len || end > len)
		return -EINVAL;
	f->glyphs = base + hdr;
	f->utab = NULL;
	f->utab_len = 0;
	if (has_table && end < len) {
		f->utab = base + end;
		f->utab_len = len - end;
	}
	return 0;
}

int psf_parse(const void *buf, size_t len, struct psf_font *font)
{
	const uint8_t *p = buf;
	struct psf_font f = { 0 };
	int err;

	if (!p)
		return -EINVAL;
	if (len >= PSF1_HDR && p[0] == PSF1_MAGIC0 && p[1] == PSF1_MAGIC1) {
		f.version = 1;
		f.nglyphs = p[2] & PSF1_MODE512 ? 512 : 256;
		f.width = 8;
		f.height = p[3];
		f.glyph_size = p[3];
		err = psf_check(p, len, PSF1_HDR,
				p[2] & (PSF1_MODEHASTAB | PSF1_MODESEQ), &f);
	} else if (len >= PSF2_HDR && rd32(p) == PSF2_MAGIC) {
		uint32_t hdr = rd32(p + 8);

		if (rd32(p + 4) != 0 || hdr < PSF2_HDR)
			return -EINVAL;
		f.version = 2;
		f.nglyphs = rd32(p + 16);
		f.glyph_size = rd32(p + 20);
		f.height = rd32(p + 24);
		f.width = rd32(p + 28);
		err = psf_check(p, len, hdr,
				rd32(p + 12) & PSF2_HAS_UNICODE_TABLE, &f);
	} else {
		return -EINVAL;
	}
	if (err)
		return err;
	*font = f;
	return 0;
}

const uint8_t *psf_glyph(const struct psf_font *font, uint32_t index)
{
	if (index >= font->nglyphs)
		return NULL;
	return font->glyphs + (size_t)index * font->glyph_size;
}

/* PSF1 table: per glyph, UCS-2 (little-endian) values, then optional
 * sequences after PSF1_START, ended by PSF1_SEP. */
static int lookup_psf1(const struct psf_font *f, uint32_t cp)
{
	uint32_t glyph = 0;
	int in_seq = 0;

	for (size_t i = 0; i + 2 <= f->utab_len && glyph < f->nglyphs; i += 2) {
		uint32_t v = f->utab[i] | f->utab[i + 1] << 8;

		if (v == PSF1_SEP) {
			glyph++;
			in_seq = 0;
		} else if (v == PSF1_START) {
			in_seq = 1;
		} else if (!in_seq && v == cp) {
			return glyph;
		}
	}
	return -ENOENT;
}

/* Decode one UTF-8 character at [*i, len); returns it, or ~0 for a bad
 * or truncated one. Advances *i past what it consumed (at least a byte). */
static uint32_t utf8_next(const uint8_t *s, size_t len, size_t *i)
{
	uint8_t b = s[(*i)++];
	int more = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
	uint32_t cp = more ? b & (0x3F >> more) : b;

	if (b >= 0x80 && !more)
		return ~0u;
	while (more--) {
		if (*i >= len || (s[*i] & 0xC0) != 0x80)
			return ~0u;
		cp = cp << 6 | (s[(*i)++] & 0x3F);
	}
	return cp;
}

/* PSF2 table: per glyph, UTF-8 characters, then sequences after
 * PSF2_START, ended by PSF2_SEP. Those two bytes never occur in UTF-8. */
static int lookup_psf2(const struct psf_font *f, uint32_t cp)
{
	uint32_t glyph = 0;
	int in_seq = 0;
	size_t i = 0;

	while (i < f->utab_len && glyph < f->nglyphs) {
		uint8_t b = f->utab[i];

		if (b == PSF2_SEP) {
			glyph++;
			in_seq = 0;
			i++;
		} else if (b == PSF2_START) {
			in_seq = 1;
			i++;
		} else if (utf8_next(f->utab, f->utab_len, &i) == cp && !in_seq) {
			return glyph;
		}
	}
	return -ENOENT;
}

int psf_lookup(const struct psf_font *font, uint32_t cp)
{
	if (cp > 0x10FFFF)
		return -ENOENT;
	if (!font->utab)
		return cp < font->nglyphs ? (int)cp : -ENOENT;
	return font->version == 1 ? lookup_psf1(font, cp) : lookup_psf2(font, cp);
}
