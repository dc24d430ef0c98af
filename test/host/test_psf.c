/* Tests for the PSF font parser (kernel/psf.c). Fonts are built here byte
 * by byte and copied into buffers of exactly their length, so AddressSanitizer
 * catches any read past the end. */
#include "test.h"
#include <psf.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/errno.h>

static uint8_t font[1 << 18];
static size_t flen;
static uint8_t *copy;		/* exact-size copy handed to the parser */

static void b8(unsigned v) { font[flen++] = v; }
static void b16(unsigned v) { b8(v & 0xFF); b8(v >> 8); }
static void b32(uint32_t v) { b16(v & 0xFFFF); b16(v >> 16); }

/* Glyph i's bytes are all (i & 0xFF), so a bitmap tells its index. */
static void glyphs(unsigned n, unsigned size)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < size; j++)
			b8(i);
}

static void psf1_header(unsigned mode, unsigned height)
{
	flen = 0;
	b8(0x36);
	b8(0x04);
	b8(mode);
	b8(height);
}

static void psf2_header(uint32_t hdr, uint32_t flags, uint32_t n,
			uint32_t size, uint32_t height, uint32_t width)
{
	flen = 0;
	b32(0x864AB572);
	b32(0);
	b32(hdr);
	b32(flags);
	b32(n);
	b32(size);
	b32(height);
	b32(width);
	while (flen < hdr && flen < sizeof(font))
		b8(0xAA);	/* header padding */
}

static int parse_len(size_t len, struct psf_font *f)
{
	free(copy);
	copy = malloc(len ? len : 1);
	memcpy(copy, font, len);
	return psf_parse(copy, len, f);
}

static int parse(struct psf_font *f)
{
	return parse_len(flen, f);
}

/* UTF-8 into the PSF2 table. */
static void utf8(uint32_t cp)
{
	if (cp < 0x80) {
		b8(cp);
	} else if (cp < 0x800) {
		b8(0xC0 | cp >> 6);
		b8(0x80 | (cp & 0x3F));
	} else {
		b8(0xE0 | cp >> 12);
		b8(0x80 | (cp >> 6 & 0x3F));
		b8(0x80 | (cp & 0x3F));
	}
}

TEST(psf1_plain)
{
	struct psf_font f;

	psf1_header(0, 16);
	glyphs(256, 16);
	ASSERT_EQ(parse(&f), 0);
	ASSERT_EQ(f.version, 1);
	ASSERT_EQ(f.nglyphs, 256);
	ASSERT_EQ(f.width, 8);
	ASSERT_EQ(f.height, 16);
	ASSERT_EQ(f.row_bytes, 1);
	ASSERT_EQ(f.glyph_size, 16);
	ASSERT(f.utab == NULL);
	ASSERT(f.glyphs == copy + 4);
	ASSERT_EQ(psf_glyph(&f, 65)[0], 65);
	ASSERT_EQ(psf_glyph(&f, 255)[15], 255);
	ASSERT(psf_glyph(&f, 256) == NULL);
	/* No table: code points are glyph numbers. */
	ASSERT_EQ(psf_lookup(&f, 'A'), 'A');
	ASSERT_EQ(psf_lookup(&f, 255), 255);
	ASSERT_EQ(psf_lookup(&f, 256), -ENOENT);
	ASSERT_EQ(psf_lookup(&f, 0xFFFFFFFF), -ENOENT);
}

TEST(psf1_512_glyphs)
{
	struct psf_font f;

	psf1_header(0x01, 8);
	glyphs(512, 8);
	ASSERT_EQ(parse(&f), 0);
	ASSERT_EQ(f.nglyphs, 512);
	ASSERT_EQ(psf_glyph(&f, 300)[0], 300 & 0xFF);
	ASSERT_EQ(parse_len(flen - 1, &f), -EINVAL);
}

TEST(psf1_unicode_table)
{
	struct psf_font f;

	psf1_header(0x02, 16);
	glyphs(256, 16);
	for (unsigned g = 0; g < 256; g++) {
		if (g == 1) {
			b16(0x263A);
		} else if (g == 0x80) {
			b16(0x00C7);
		} else if (g == 'A') {
			b16('A');
			b16(0x0391);		/* Greek capital alpha */
			b16(0xFFFE);		/* sequences: not single characters */
			b16(0x00E9);
			b16(0x0301);
		} else if (g != 0xE9) {
			b16(g);
		}
		b16(0xFFFF);
	}
	ASSERT_EQ(parse(&f), 0);
	ASSERT(f.utab == copy + 4 + 256 * 16);
	ASSERT_EQ(psf_lookup(&f, 'A'), 'A');
	ASSERT_EQ(psf_lookup(&f, 0x0391), 'A');
	ASSERT_EQ(psf_lookup(&f, 0x263A), 1);
	ASSERT_EQ(psf_lookup(&f, 0x00C7), 0x80);
	ASSERT_EQ(psf_lookup(&f, 0x00E9), -ENOENT);	/* only in a sequence */
	ASSERT_EQ(psf_lookup(&f, 0x2603), -ENOENT);
}

TEST(psf1_truncated_table)
{
	struct psf_font f;

	psf1_header(0x02, 4);
	glyphs(256, 4);
	b16(0x41);
	b8(0x42);			/* half an entry */
	ASSERT_EQ(parse(&f), 0);
	ASSERT_EQ(psf_lookup(&f, 0x41), 0);
	ASSERT_EQ(psf_lookup(&f, 0x4242), -ENOENT);
	/* A table flag with no table at all is no table. */
	psf1_header(0x02, 4);
	glyphs(256, 4);
	ASSERT_EQ(parse(&f), 0);
	ASSERT(f.utab == NULL);
}

TEST(psf1_bad)
{
	struct psf_font f;

	psf1_header(0, 16);
	ASSERT_EQ(parse_len(3, &f), -EINVAL);		/* short header */
	ASSERT_EQ(parse_len(0, &f), -EINVAL);
	glyphs(256, 16);
	ASSERT_EQ(parse_len(flen - 1, &f), -EINVAL);	/* glyphs past the end */
	ASSERT_EQ(parse_len(4, &f), -EINVAL);
	psf1_header(0, 0);				/* zero height */
	glyphs(256, 1);
	ASSERT_EQ(parse(&f), -EINVAL);
	psf1_header(0, 200);				/* absurd height */
	glyphs(256, 200);
	ASSERT_EQ(parse(&f), -EINVAL);
	psf1_header(0, 16);
	font[1] = 0x05;					/* bad magic */
	glyphs(256, 16);
	ASSERT_EQ(parse(&f), -EINVAL);
	ASSERT_EQ(psf_parse(NULL, 100, &f), -EINVAL);
}

TEST(psf2_plain_and_wide)
{
	struct psf_font f;

	psf2_header(32, 0, 10, 2 * 12, 12, 10);	/* 10 pixels: 2 bytes a row */
	glyphs(10, 24);
	ASSERT_EQ(parse(&f), 0);
	ASSERT_EQ(f.version, 2);
	ASSERT_EQ(f.nglyphs, 10);
	ASSERT_EQ(f.width, 10);
	ASSERT_EQ(f.height, 12);
	ASSERT_EQ(f.row_bytes, 2);
	ASSERT_EQ(f.glyph_size, 24);
	ASSERT(f.glyphs == copy + 32);
	ASSERT_EQ(psf_glyph(&f, 9)[23], 9);
	ASSERT(psf_glyph(&f, 10) == NULL);
	ASSERT_EQ(psf_lookup(&f, 9), 9);
	ASSERT_EQ(psf_lookup(&f, 10), -ENOENT);
}

TEST(psf2_bigger_header_and_padded_glyphs)
{
	struct psf_font f;

	psf2_header(48, 0, 4, 20, 16, 8);	/* 4 spare bytes a glyph */
	glyphs(4, 20);
	ASSERT_EQ(parse(&f), 0);
	ASSERT(f.glyphs == copy + 48);
	ASSERT(psf_glyph(&f, 3) == copy + 48 + 60);
}

TEST(psf2_unicode_table)
{
	struct psf_font f;

	psf2_header(32, 1, 4, 16, 16, 8);
	glyphs(4, 16);
	utf8('a'); b8(0xFF);
	utf8(0x00E9); utf8(0x0435); b8(0xFF);
	utf8('b'); b8(0xFE); utf8('c'); utf8(0x0301); b8(0xFF);
	utf8(0x2588); b8(0xFF);
	ASSERT_EQ(parse(&f), 0);
	ASSERT(f.utab != NULL);
	ASSERT_EQ(psf_lookup(&f, 'a'), 0);
	ASSERT_EQ(psf_lookup(&f, 0x00E9), 1);
	ASSERT_EQ(psf_lookup(&f, 0x0435), 1);
	ASSERT_EQ(psf_lookup(&f, 'b'), 2);
	ASSERT_EQ(psf_lookup(&f, 'c'), -ENOENT);	/* sequence only */
	ASSERT_EQ(psf_lookup(&f, 0x2588), 3);
	ASSERT_EQ(psf_lookup(&f, 'z'), -ENOENT);
}

TEST(psf2_malformed_table)
{
	struct psf_font f;

	psf2_header(32, 1, 2, 16, 16, 8);
	glyphs(2, 16);
	b8(0x80); b8('x'); b8(0xFF);		/* stray continuation */
	b8(0xE2); b8(0x82);			/* UTF-8 cut by the end */
	ASSERT_EQ(parse(&f), 0);
	ASSERT_EQ(psf_lookup(&f, 'x'), 0);
	ASSERT_EQ(psf_lookup(&f, 0x20AC), -ENOENT);
	psf2_header(32, 1, 1, 16, 16, 8);
	glyphs(1, 16);
	b8(0xC3); b8('y');			/* cut by the next byte */
	ASSERT_EQ(parse(&f), 0);
	ASSERT_EQ(psf_lookup(&f, 'y'), 0);
}

TEST(psf2_truncated_header)
{
	struct psf_font f;

	psf2_header(32, 0, 1, 16, 16, 8);
	glyphs(1, 16);
	ASSERT_EQ(parse_len(31, &f), -EINVAL);
	ASSERT_EQ(parse_len(4, &f), -EINVAL);
	psf2_header(64, 0, 1, 16, 16, 8);	/* header longer than the file */
	ASSERT_EQ(parse_len(40, &f), -EINVAL);
	psf2_header(16, 0, 1, 16, 16, 8);	/* header shorter than its fields */
	flen = 32;
	glyphs(1, 16);
	ASSERT_EQ(parse(&f), -EINVAL);
}

TEST(psf2_glyphs_past_end)
{
	struct psf_font f;

	psf2_header(32, 0, 3, 16, 16, 8);
	glyphs(2, 16);
	ASSERT_EQ(parse(&f), -EINVAL);
	/* Counts whose product wraps 32 or 64 bits. */
	psf2_header(32, 0, 0xFFFFFFFF, 0xFFFFFFFF, 16, 8);
	glyphs(1, 16);
	ASSERT_EQ(parse(&f), -EINVAL);
	psf2_header(32, 0, 0x10000, 0x10001, 16, 8);
	glyphs(1, 16);
	ASSERT_EQ(parse(&f), -EINVAL);
	psf2_header(0xFFFFFFF0, 0, 1, 16, 16, 8);
	ASSERT_EQ(parse(&f), -EINVAL);
}

TEST(psf2_zero_and_bad_sizes)
{
	struct psf_font f;
	static const uint32_t bad[][4] = {	/* count, size, height, width */
		{ 0, 16, 16, 8 },
		{ 1, 0, 16, 8 },
		{ 1, 16, 0, 8 },
		{ 1, 16, 16, 0 },
		{ 1, 15, 16, 8 },		/* bitmap bigger than a glyph */
		{ 1, 31, 16, 9 },		/* 9 wide needs 2 bytes a row */
		{ 1, 16 * 5, 16, 33 },		/* too wide to draw */
		{ 1, 65 * 1, 65, 8 },		/* too tall */
		{ 65537, 1, 1, 1 },		/* too many */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		psf2_header(32, 0, bad[i][0], bad[i][1], bad[i][2], bad[i][3]);
		for (unsigned j = 0; j < 2 * 65537; j++)
			b8(0);
		ASSERT_EQ(parse(&f), -EINVAL);
	}
	psf2_header(32, 0, 1, 16, 16, 8);
	font[4] = 1;				/* unknown version */
	glyphs(1, 16);
	ASSERT_EQ(parse(&f), -EINVAL);
	psf2_header(32, 0, 1, 1, 1, 1);		/* the smallest font */
	b8(0x80);
	ASSERT_EQ(parse(&f), 0);
}
