/* Host tests for kernel/multiboot.c (mb2_parse) over information blocks
 * built here, tag by tag, the way GRUB lays them out. Each block is copied
 * into a malloc'ed buffer of exactly its size so ASan catches overreads. */
#include "test.h"
#include <bootinfo.h>
#include <uapi/errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct mbi {
	uint8_t buf[8192];
	uint32_t len;
};

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void mbi_init(struct mbi *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;
}

/* Start a tag at the next 8-byte boundary; returns it for filling in. */
static uint8_t *mbi_tag(struct mbi *m, uint32_t type, uint32_t size)
{
	uint8_t *t;

	m->len = (m->len + 7) & ~7u;
	t = m->buf + m->len;
	put32(t, type);
	put32(t + 4, size);
	m->len += size;
	return t;
}

static void mbi_string(struct mbi *m, uint32_t type, const char *s)
{
	uint8_t *t = mbi_tag(m, type, 8 + strlen(s) + 1);

	memcpy(t + 8, s, strlen(s) + 1);
}

static void mbi_module(struct mbi *m, uint32_t start, uint32_t end, const char *cmd)
{
	uint8_t *t = mbi_tag(m, 3, 16 + strlen(cmd) + 1);

	put32(t + 8, start);
	put32(t + 12, end);
	memcpy(t + 16, cmd, strlen(cmd) + 1);
}

struct mmap_ent {
	uint64_t base, len;
	uint32_t type;
};

static void mbi_mmap(struct mbi *m, uint32_t esize, const struct mmap_ent *e, int n)
{
	uint8_t *t = mbi_tag(m, 6, 16 + esize * n);

	put32(t + 8, esize);
	put32(t + 12, 0);
	for (int i = 0; i < n; i++) {
		uint8_t *p = t + 16 + i * esize;

		put64(p, e[i].base);
		put64(p + 8, e[i].len);
		put32(p + 16, e[i].type);
		memset(p + 20, 0xAA, esize - 20);	/* reserved and padding */
	}
}

/* An RSDP-shaped payload; mb2_parse only records where it is. */
static void mbi_acpi(struct mbi *m, uint32_t type, uint32_t len, uint8_t mark)
{
	uint8_t *t = mbi_tag(m, type, 8 + len);

	memcpy(t + 8, "RSD PTR ", 8);
	t[8 + 15] = mark;		/* the revision byte */
}

/* Append the end tag (unless without_end), set the total size and
 * return an exact-size copy. */
static uint8_t *mbi_finish(struct mbi *m, int without_end)
{
	uint8_t *copy;

	if (!without_end)
		mbi_tag(m, 0, 8);
	put32(m->buf, m->len);
	copy = malloc(m->len);
	memcpy(copy, m->buf, m->len);
	return copy;
}

TEST(mb2_full_block)
{
	static const struct mmap_ent map[] = {
		{ 0x0, 0x9FC00, 1 },
		{ 0x9FC00, 0x400, 2 },
		{ 0x100000, 0x1FEE0000, 1 },
		{ 0x1FFE0000, 0x20000, 3 },
		{ 0x20000000, 0x1000, 4 },
		{ 0x20001000, 0x1000, 5 },
		{ 0xFFFC0000, 0x40000, 9 },	/* unknown type: reserved */
		{ 0x30000000, 0, 1 },		/* empty: dropped */
	};
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *fb;

	mbi_init(&m);
	mbi_string(&m, 1, "test loglevel=4");
	mbi_string(&m, 2, "GRUB 2.06");
	mbi_tag(&m, 4, 16);			/* basic meminfo: ignored */
	mbi_mmap(&m, 24, map, 8);
	mbi_module(&m, 0x200000, 0x280000, "initrd");
	mbi_module(&m, 0x280000, 0x281000, "");
	fb = mbi_tag(&m, 8, 38);
	put64(fb + 8, 0xFD000000);
	put32(fb + 16, 4096);
	put32(fb + 20, 1024);
	put32(fb + 24, 768);
	fb[28] = 32;
	fb[29] = FB_RGB;
	fb[32] = 16; fb[33] = 8;		/* red */
	fb[34] = 8;  fb[35] = 8;		/* green */
	fb[36] = 0;  fb[37] = 8;		/* blue */
	mbi_acpi(&m, 14, 20, 0);
	mbi_acpi(&m, 15, 36, 2);
	mbi_tag(&m, 12, 16);			/* EFI 64-bit system table */
	blk = mbi_finish(&m, 0);

	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(bi.mbi_size, m.len);
	ASSERT_STR(bi.cmdline, "test loglevel=4");
	ASSERT_STR(bi.loader, "GRUB 2.06");

	ASSERT_EQ(bi.nmem, 7);
	ASSERT_EQ(bi.mem[0].base, 0);
	ASSERT_EQ(bi.mem[0].len, 0x9FC00);
	ASSERT_EQ(bi.mem[0].type, MEM_USABLE);
	ASSERT_EQ(bi.mem[1].type, MEM_RESERVED);
	ASSERT_EQ(bi.mem[2].base, 0x100000);
	ASSERT_EQ(bi.mem[2].len, 0x1FEE0000);
	ASSERT_EQ(bi.mem[3].type, MEM_ACPI_RECLAIM);
	ASSERT_EQ(bi.mem[4].type, MEM_ACPI_NVS);
	ASSERT_EQ(bi.mem[5].type, MEM_BAD);
	ASSERT_EQ(bi.mem[6].base, 0xFFFC0000);
	ASSERT_EQ(bi.mem[6].type, MEM_RESERVED);

	ASSERT_EQ(bi.nmods, 2);
	ASSERT_EQ(bi.mods[0].start, 0x200000);
	ASSERT_EQ(bi.mods[0].end, 0x280000);
	ASSERT_STR(bi.mods[0].cmdline, "initrd");
	ASSERT_STR(bi.mods[1].cmdline, "");

	ASSERT(bi.has_fb);
	ASSERT_EQ(bi.fb.addr, 0xFD000000);
	ASSERT_EQ(bi.fb.pitch, 4096);
	ASSERT_EQ(bi.fb.width, 1024);
	ASSERT_EQ(bi.fb.height, 768);
	ASSERT_EQ(bi.fb.bpp, 32);
	ASSERT_EQ(bi.fb.type, FB_RGB);

	ASSERT(bi.rsdp != NULL);
	ASSERT_EQ(((const uint8_t *)bi.rsdp)[15], 2);	/* the new one */
	ASSERT_EQ(bi.rsdp_len, 36);
	ASSERT(bi.efi);
	free(blk);
}

/* The colour fields start at offset 32: GRUB's reserved field after the
 * type is 16 bits (the spec's text says 8; GRUB is what boots us). */
TEST(mb2_fb_rgb_field_offsets)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *fb;

	mbi_init(&m);
	fb = mbi_tag(&m, 8, 38);
	put64(fb + 8, 0x80000000);
	put32(fb + 16, 3200);
	put32(fb + 20, 800);
	put32(fb + 24, 600);
	fb[28] = 32;
	fb[29] = FB_RGB;
	put16(fb + 30, 0);
	fb[32] = 16; fb[33] = 8;
	fb[34] = 8;  fb[35] = 8;
	fb[36] = 0;  fb[37] = 8;
	blk = mbi_finish(&m, 0);

	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(bi.has_fb);
	ASSERT_EQ(bi.fb.red_pos, 16);
	ASSERT_EQ(bi.fb.red_size, 8);
	ASSERT_EQ(bi.fb.green_pos, 8);
	ASSERT_EQ(bi.fb.green_size, 8);
	ASSERT_EQ(bi.fb.blue_pos, 0);
	ASSERT_EQ(bi.fb.blue_size, 8);
	free(blk);
}

TEST(mb2_fb_ega_text)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *fb;

	mbi_init(&m);
	fb = mbi_tag(&m, 8, 32);
	put64(fb + 8, 0xB8000);
	put32(fb + 16, 160);
	put32(fb + 20, 80);
	put32(fb + 24, 25);
	fb[28] = 16;
	fb[29] = FB_EGA_TEXT;
	blk = mbi_finish(&m, 0);

	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(bi.has_fb);
	ASSERT_EQ(bi.fb.type, FB_EGA_TEXT);
	ASSERT_EQ(bi.fb.addr, 0xB8000);
	ASSERT_EQ(bi.fb.width, 80);
	ASSERT_EQ(bi.fb.height, 25);
	ASSERT_EQ(bi.fb.pitch, 160);
	free(blk);
}

TEST(mb2_fb_unusable)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *fb;

	/* An RGB tag without its colour fields, and a zero-sized mode. */
	mbi_init(&m);
	fb = mbi_tag(&m, 8, 32);
	fb[29] = FB_RGB;
	put32(fb + 16, 4096);
	put32(fb + 20, 1024);
	put32(fb + 24, 768);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(!bi.has_fb);
	free(blk);

	mbi_init(&m);
	fb = mbi_tag(&m, 8, 32);
	fb[29] = FB_EGA_TEXT;
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(!bi.has_fb);
	free(blk);
}

/* Entries may be larger than the 24 bytes we read; the stride is theirs. */
TEST(mb2_mmap_large_entries)
{
	static const struct mmap_ent map[] = {
		{ 0x0, 0x9F000, 1 },
		{ 0x100000, 0x7F00000, 1 },
		{ 0x8000000, 0x100000, 3 },
	};
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk;

	mbi_init(&m);
	mbi_mmap(&m, 40, map, 3);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(bi.nmem, 3);
	ASSERT_EQ(bi.mem[1].base, 0x100000);
	ASSERT_EQ(bi.mem[1].len, 0x7F00000);
	ASSERT_EQ(bi.mem[2].type, MEM_ACPI_RECLAIM);
	free(blk);
}

TEST(mb2_mmap_bad_entries)
{
	struct mmap_ent map[BOOT_MAX_MEM + 10];
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *t;

	/* Entry size below 24: the tag is ignored, the block is still fine. */
	mbi_init(&m);
	t = mbi_tag(&m, 6, 16 + 40);
	put32(t + 8, 20);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(bi.nmem, 0);
	free(blk);

	/* A region that wraps around the address space is dropped. */
	map[0] = (struct mmap_ent){ 0xFFFFFFFFFFFFF000ull, 0x2000, 1 };
	map[1] = (struct mmap_ent){ 0x1000, 0x1000, 1 };
	mbi_init(&m);
	mbi_mmap(&m, 24, map, 2);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(bi.nmem, 1);
	ASSERT_EQ(bi.mem[0].base, 0x1000);
	free(blk);

	/* More entries than boot_info holds: the first BOOT_MAX_MEM. */
	for (int i = 0; i < BOOT_MAX_MEM + 10; i++)
		map[i] = (struct mmap_ent){ (uint64_t)i << 20, 1 << 20, 1 };
	mbi_init(&m);
	mbi_mmap(&m, 24, map, BOOT_MAX_MEM + 10);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(bi.nmem, BOOT_MAX_MEM);
	ASSERT_EQ(bi.mem[BOOT_MAX_MEM - 1].base, (uint64_t)(BOOT_MAX_MEM - 1) << 20);
	free(blk);
}

/* An entry size so large that offset + size wraps in 32 bits must not
 * make the parser read an entry past the end of the tag. */
TEST(mb2_mmap_entry_size_wraps)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *t;

	mbi_init(&m);
	t = mbi_tag(&m, 6, 16);
	put32(t + 8, 0xFFFFFFF0);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(bi.nmem, 0);
	free(blk);
}

TEST(mb2_modules)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *t;

	mbi_init(&m);
	mbi_module(&m, 0x300000, 0x200000, "backwards");	/* dropped */
	t = mbi_tag(&m, 3, 20);					/* no NUL */
	put32(t + 8, 0x400000);
	put32(t + 12, 0x401000);
	memcpy(t + 16, "abcd", 4);
	for (int i = 0; i < BOOT_MAX_MODS + 2; i++)
		mbi_module(&m, 0x500000 + i * 0x1000, 0x501000 + i * 0x1000, "m");
	blk = mbi_finish(&m, 0);

	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(bi.nmods, BOOT_MAX_MODS);
	ASSERT_EQ(bi.mods[0].start, 0x400000);
	ASSERT(bi.mods[0].cmdline == NULL);
	ASSERT_STR(bi.mods[1].cmdline, "m");
	free(blk);
}

TEST(mb2_acpi_new_preferred)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk;

	/* New before old: the old one must not replace it. */
	mbi_init(&m);
	mbi_acpi(&m, 15, 36, 2);
	mbi_acpi(&m, 14, 20, 0);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(((const uint8_t *)bi.rsdp)[15], 2);
	ASSERT_EQ(bi.rsdp_len, 36);
	free(blk);

	/* Only the old one. */
	mbi_init(&m);
	mbi_acpi(&m, 14, 20, 0);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(bi.rsdp != NULL);
	ASSERT_EQ(((const uint8_t *)bi.rsdp)[15], 0);
	ASSERT_EQ(bi.rsdp_len, 20);
	ASSERT(!bi.efi);
	free(blk);

	/* An empty ACPI tag carries no RSDP. */
	mbi_init(&m);
	mbi_tag(&m, 14, 8);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(bi.rsdp == NULL);
	free(blk);
}

TEST(mb2_efi_tags)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk;

	mbi_init(&m);
	mbi_tag(&m, 20, 16);			/* EFI 64-bit image handle */
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(bi.efi);
	free(blk);

	mbi_init(&m);
	mbi_tag(&m, 21, 12);			/* load base address: ignored */
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(!bi.efi);
	ASSERT(bi.cmdline == NULL && bi.loader == NULL && !bi.has_fb);
	free(blk);
}

TEST(mb2_string_without_nul)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *t;

	mbi_init(&m);
	t = mbi_tag(&m, 1, 8 + 4);
	memcpy(t + 8, "test", 4);
	t = mbi_tag(&m, 2, 8);			/* empty: no room for a NUL */
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT(bi.cmdline == NULL);
	ASSERT(bi.loader == NULL);
	free(blk);
}

TEST(mb2_minimal_block)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk;

	mbi_init(&m);
	blk = mbi_finish(&m, 0);
	ASSERT_EQ(m.len, 16);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), 0);
	ASSERT_EQ(bi.nmem, 0);
	ASSERT_EQ(bi.nmods, 0);
	free(blk);
}

TEST(mb2_total_size_bad)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk;

	mbi_init(&m);
	mbi_string(&m, 1, "x");
	blk = mbi_finish(&m, 0);
	/* Larger than the buffer we may read. */
	ASSERT_EQ(mb2_parse(blk, m.len - 1, &bi), -EINVAL);
	/* Too small to hold an end tag, or no room for the size itself. */
	put32(blk, 8);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), -EINVAL);
	ASSERT_EQ(mb2_parse(blk, 4, &bi), -EINVAL);
	free(blk);
}

TEST(mb2_tag_overruns)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk, *t;

	/* A tag whose size runs past the block's total size. */
	mbi_init(&m);
	t = mbi_tag(&m, 1, 16);
	memcpy(t + 8, "abcdefg", 8);
	blk = mbi_finish(&m, 0);
	put32(blk + 12, 4000);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), -EINVAL);
	put32(blk + 12, 0xFFFFFFFF);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), -EINVAL);
	free(blk);

	/* A tag size below the 8-byte tag header (0 would loop forever). */
	mbi_init(&m);
	t = mbi_tag(&m, 1, 16);
	blk = mbi_finish(&m, 0);
	put32(blk + 12, 4);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), -EINVAL);
	put32(blk + 12, 0);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), -EINVAL);
	free(blk);
}

TEST(mb2_no_end_tag)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *blk;

	mbi_init(&m);
	mbi_string(&m, 1, "test");
	mbi_string(&m, 2, "GRUB");
	blk = mbi_finish(&m, 1);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), -EINVAL);
	free(blk);

	/* A trailing fragment shorter than a tag header is not an end tag. */
	mbi_init(&m);
	mbi_string(&m, 1, "test");
	m.len = (m.len + 7) & ~7u;
	m.len += 4;
	blk = mbi_finish(&m, 1);
	ASSERT_EQ(mb2_parse(blk, m.len, &bi), -EINVAL);
	free(blk);
}
