/* Decoding of the multiboot2 boot information into struct boot_info.
 * Pure: bytes in, struct out; host-tested in test/host/test_multiboot.c.
 * Every tag is bounds-checked against the block's stated size. */
#include <bootinfo.h>
#include <uapi/errno.h>
#include <string.h>

enum {
	TAG_END = 0, TAG_CMDLINE = 1, TAG_LOADER = 2, TAG_MODULE = 3,
	TAG_MMAP = 6, TAG_FRAMEBUFFER = 8, TAG_EFI64 = 12,
	TAG_ACPI_OLD = 14, TAG_ACPI_NEW = 15, TAG_EFI64_IH = 20,
};

struct tag {
	uint32_t type;
	uint32_t size;
};

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* A string tag is valid only if NUL-terminated inside the tag. */
static const char *tag_string(const uint8_t *p, uint32_t size, uint32_t skip)
{
	if (size <= skip || !memchr(p + skip, 0, size - skip))
		return NULL;
	return (const char *)(p + skip);
}

static void parse_mmap(const uint8_t *p, uint32_t size, struct boot_info *bi)
{
	if (size < 16)
		return;
	uint32_t esize = rd32(p + 8);
	if (esize < 24)
		return;
	/* esize <= size - off, not off + esize <= size: that sum can wrap. */
	for (uint32_t off = 16; esize <= size - off && bi->nmem < BOOT_MAX_MEM; off += esize) {
		struct mem_region *r = &bi->mem[bi->nmem];
		r->base = rd64(p + off);
		r->len = rd64(p + off + 8);
		r->type = rd32(p + off + 16);
		if (r->type < MEM_USABLE || r->type > MEM_BAD)
			r->type = MEM_RESERVED;
		if (r->len && r->base + r->len > r->base)
			bi->nmem++;
	}
}

static void parse_fb(const uint8_t *p, uint32_t size, struct boot_info *bi)
{
	if (size < 31)
		return;
	struct boot_fb *fb = &bi->fb;
	fb->addr = rd64(p + 8);
	fb->pitch = rd32(p + 16);
	fb->width = rd32(p + 20);
	fb->height = rd32(p + 24);
	fb->bpp = p[28];
	fb->type = p[29];
	/* The colour fields follow a 16-bit reserved field (GRUB's layout;
	 * the spec's prose says 8 bits), so they start at offset 32. */
	if (fb->type == FB_RGB) {
		if (size < 38)
			return;
		fb->red_pos = p[32];
		fb->red_size = p[33];
		fb->green_pos = p[34];
		fb->green_size = p[35];
		fb->blue_pos = p[36];
		fb->blue_size = p[37];
	}
	bi->has_fb = fb->type <= FB_EGA_TEXT && fb->width && fb->height && fb->pitch;
}

int mb2_parse(const void *mbi, size_t max, struct boot_info *bi)
{
	const uint8_t *base = mbi;

	memset(bi, 0, sizeof(*bi));
	if (max < 8)
		return -EINVAL;
	uint32_t total = rd32(base);
	if (total < 16 || total > max)
		return -EINVAL;
	bi->mbi_size = total;

	for (uint32_t off = 8; off + 8 <= total; off = (off + 7) & ~7u) {
		const uint8_t *p = base + off;
		uint32_t type = rd32(p), size = rd32(p + 4);

		if (size < 8 || size > total - off)
			return -EINVAL;
		switch (type) {
		case TAG_END:
			return 0;
		case TAG_CMDLINE:
			bi->cmdline = tag_string(p, size, 8);
			break;
		case TAG_LOADER:
			bi->loader = tag_string(p, size, 8);
			break;
		case TAG_MODULE:
			if (size >= 16 && bi->nmods < BOOT_MAX_MODS) {
				struct boot_module *m = &bi->mods[bi->nmods];
				m->start = rd32(p + 8);
				m->end = rd32(p + 12);
				m->cmdline = tag_string(p, size, 16);
				if (m->end >= m->start)
					bi->nmods++;
			}
			break;
		case TAG_MMAP:
			parse_mmap(p, size, bi);
			break;
		case TAG_FRAMEBUFFER:
			parse_fb(p, size, bi);
			break;
		case TAG_ACPI_OLD:
		case TAG_ACPI_NEW:
			/* Prefer the ACPI 2.0 RSDP when both are present. */
			if (size > 8 && (type == TAG_ACPI_NEW || !bi->rsdp)) {
				bi->rsdp = p + 8;
				bi->rsdp_len = size - 8;
			}
			break;
		case TAG_EFI64:
		case TAG_EFI64_IH:
			bi->efi = 1;
			break;
		}
		off += size;
	}
	return -EINVAL;		/* no end tag */
}
