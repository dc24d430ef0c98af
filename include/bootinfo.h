/* What the boot loader told us, decoded from the multiboot2 information by
 * kernel/multiboot.c. Filled once in kmain; read-only afterwards. Strings
 * point into the loader's information block, which mm keeps reserved. */
#ifndef BOOTINFO_H
#define BOOTINFO_H
#include <stdint.h>
#include <stddef.h>

enum mem_type {
	MEM_USABLE = 1,
	MEM_RESERVED = 2,
	MEM_ACPI_RECLAIM = 3,
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
};

struct mem_region {
	uint64_t base;		/* physical, [base, base + len) */
	uint64_t len;
	uint32_t type;		/* enum mem_type */
};

struct boot_module {
	uint64_t start;		/* physical, [start, end) */
	uint64_t end;
	const char *cmdline;
};

enum fb_type { FB_INDEXED = 0, FB_RGB = 1, FB_EGA_TEXT = 2 };

struct boot_fb {
	uint64_t addr;		/* physical */
	uint32_t pitch;		/* bytes per line */
	uint32_t width, height;	/* pixels, or characters for EGA text */
	uint8_t bpp;
	uint8_t type;		/* enum fb_type */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

#define BOOT_MAX_MEM  128
#define BOOT_MAX_MODS 8

struct boot_info {
	const char *cmdline;
	const char *loader;
	struct mem_region mem[BOOT_MAX_MEM];
	int nmem;
	struct boot_module mods[BOOT_MAX_MODS];
	int nmods;
	int has_fb;
	struct boot_fb fb;
	const void *rsdp;	/* copy of the ACPI RSDP inside the info block */
	size_t rsdp_len;
	int efi;		/* booted through UEFI (EFI system table tag seen) */
	uint64_t mbi_phys;	/* the information block itself, [phys, phys + size) */
	uint32_t mbi_size;
};

/* Decode a multiboot2 information block of at most max bytes at mbi.
 * Returns 0, or -EINVAL for a malformed block (bad size, tag overrun). */
int mb2_parse(const void *mbi, size_t max, struct boot_info *bi);

extern struct boot_info boot_info;

#endif
