/* Host tests for proc/elf.c: valid ET_EXEC and static-PIE images made by a
 * small builder, one malformed variant per check, truncation at each
 * boundary, a mutation fuzz loop, and real binaries from the host and from
 * musl-gcc when it is installed. Images are malloc'ed at their exact size
 * so that ASan catches any read past the end. */
#include "test.h"
#include <elf_check.h>
#include <uapi/errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

#define MAX_PH	260

/* An ELF file described field by field; emit() lays it out in bytes.
 * Segment contents are left zero: elf_check() never looks at them. */
struct builder {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PH];
	unsigned int nph;
	uint64_t file_size;
};

static Elf64_Phdr *add_ph(struct builder *b, uint32_t type, uint32_t flags,
			  uint64_t off, uint64_t vaddr, uint64_t filesz,
			  uint64_t memsz, uint64_t align)
{
	Elf64_Phdr *ph = &b->ph[b->nph++];

	ph->p_type = type;
	ph->p_flags = flags;
	ph->p_offset = off;
	ph->p_vaddr = vaddr;
	ph->p_paddr = vaddr;
	ph->p_filesz = filesz;
	ph->p_memsz = memsz;
	ph->p_align = align;
	b->eh.e_phnum = b->nph;
	return ph;
}

static void init_ehdr(struct builder *b, uint16_t type, uint64_t entry)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->eh.e_ident, ELFMAG, SELFMAG);
	b->eh.e_ident[EI_CLASS] = ELFCLASS64;
	b->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	b->eh.e_ident[EI_VERSION] = EV_CURRENT;
	b->eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
	b->eh.e_type = type;
	b->eh.e_machine = EM_X86_64;
	b->eh.e_version = EV_CURRENT;
	b->eh.e_entry = entry;
	b->eh.e_phoff = sizeof(Elf64_Ehdr);
	b->eh.e_ehsize = sizeof(Elf64_Ehdr);
	b->eh.e_phentsize = sizeof(Elf64_Phdr);
}

/*
 * A static ET_EXEC laid out as GNU ld lays out a musl program:
 *
 *	file 0x0000  ehdr+phdrs   -> 0x400000 R    (ph[1])
 *	file 0x1000  .text        -> 0x401000 R X  (ph[2])
 *	file 0x2000  .rodata      -> 0x402000 R    (ph[3])
 *	file 0x2fd0  .data        -> 0x403fd0 RW, .bss to 0x404278 (ph[4])
 */
static void build_exec(struct builder *b)
{
	init_ehdr(b, ET_EXEC, 0x401010);
	add_ph(b, PT_PHDR, PF_R, 64, 0x400040, 6 * 56, 6 * 56, 8);
	add_ph(b, PT_LOAD, PF_R, 0, 0x400000, 0x200, 0x200, 0x1000);
	add_ph(b, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x800, 0x800, 0x1000);
	add_ph(b, PT_LOAD, PF_R, 0x2000, 0x402000, 0x100, 0x100, 0x1000);
	add_ph(b, PT_LOAD, PF_R | PF_W, 0x2fd0, 0x403fd0, 0x40, 0x2a8, 0x1000);
	add_ph(b, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
	b->file_size = 0x3010;
}

/* A static PIE (ET_DYN, no PT_INTERP), linked at 0 like musl's rcrt1. */
static void build_dyn(struct builder *b)
{
	init_ehdr(b, ET_DYN, 0x1030);
	add_ph(b, PT_LOAD, PF_R, 0, 0, 0x300, 0x300, 0x1000);
	add_ph(b, PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x900, 0x900, 0x1000);
	add_ph(b, PT_LOAD, PF_R, 0x2000, 0x2000, 0x80, 0x80, 0x1000);
	add_ph(b, PT_LOAD, PF_R | PF_W, 0x2eb0, 0x3eb0, 0x150, 0x160, 0x1000);
	add_ph(b, PT_DYNAMIC, PF_R | PF_W, 0x2eb0, 0x3eb0, 0x100, 0x100, 8);
	add_ph(b, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
	b->file_size = 0x3000;
}

/* The file's bytes, exactly file_size of them; headers that do not fit
 * are cut off where the file ends. */
static uint8_t *emit(const struct builder *b)
{
	size_t n = b->file_size;
	uint8_t *buf = calloc(1, n ? n : 1);
	size_t tab = b->nph * sizeof(Elf64_Phdr);

	memcpy(buf, &b->eh, n < sizeof(b->eh) ? n : sizeof(b->eh));
	if (b->eh.e_phoff < n) {
		size_t room = n - b->eh.e_phoff;

		memcpy(buf + b->eh.e_phoff, b->ph, room < tab ? room : tab);
	}
	return buf;
}

/* A private copy of the first len bytes, so ASan sees the buffer's end. */
static uint8_t *dup_prefix(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	memcpy(p, src, len);
	return p;
}

/* elf_check() over the first len bytes of b's file (all of it when len is
 * larger). Checks that the return value agrees with the reason. */
static enum elf_reason check_prefix(const struct builder *b, size_t len,
				    struct elf_image *img)
{
	uint8_t *file = emit(b);
	uint8_t *buf;
	int ret;

	if (len > b->file_size)
		len = b->file_size;
	buf = dup_prefix(file, len);
	ret = elf_check(buf, len, b->file_size, img);
	free(buf);
	free(file);
	ASSERT_EQ(ret, img->reason == ELF_OK ? 0 : -ENOEXEC);
	return img->reason;
}

static enum elf_reason check(const struct builder *b, struct elf_image *img)
{
	return check_prefix(b, SIZE_MAX, img);
}

#define EXPECT_REASON(b, why)						\
	do {								\
		struct elf_image _img;					\
		ASSERT_STR(elf_reason_str(check(&(b), &_img)),		\
			   elf_reason_str(why));			\
	} while (0)

/* ---- valid images ------------------------------------------------------ */

TEST(elf_exec_valid)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.type, ET_EXEC);
	ASSERT_EQ(img.entry, 0x401010);
	ASSERT_EQ(img.phdr_vaddr, 0x400040);
	ASSERT_EQ(img.phnum, 6);
	ASSERT_EQ(img.phentsize, 56);
	ASSERT_EQ(img.stack_exec, false);
	ASSERT_EQ(img.start, 0x400000);
	ASSERT_EQ(img.end, 0x405000);
	ASSERT_EQ(img.nseg, 4);
	ASSERT_EQ(img.seg[0].vaddr, 0x400000);
	ASSERT_EQ(img.seg[0].prot, ELF_PROT_READ);
	ASSERT_EQ(img.seg[1].offset, 0x1000);
	ASSERT_EQ(img.seg[1].filesz, 0x800);
	ASSERT_EQ(img.seg[1].prot, ELF_PROT_READ | ELF_PROT_EXEC);
	ASSERT_EQ(img.seg[3].vaddr, 0x403fd0);
	ASSERT_EQ(img.seg[3].offset, 0x2fd0);
	ASSERT_EQ(img.seg[3].filesz, 0x40);
	ASSERT_EQ(img.seg[3].memsz, 0x2a8);
	ASSERT_EQ(img.seg[3].prot, ELF_PROT_READ | ELF_PROT_WRITE);
}

TEST(elf_dyn_valid)
{
	struct builder b;
	struct elf_image img;

	build_dyn(&b);
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.type, ET_DYN);
	ASSERT_EQ(img.entry, 0x1030);
	ASSERT_EQ(img.start, 0);
	ASSERT_EQ(img.end, 0x5000);
	ASSERT_EQ(img.nseg, 4);
	/* no PT_PHDR: found through the first PT_LOAD, relative to the base */
	ASSERT_EQ(img.phdr_vaddr, 64);
	ASSERT_EQ(img.phnum, 6);
}

/* exec reads one page; the rest of the file stays on disk */
TEST(elf_first_page_is_enough)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	ASSERT_EQ(check_prefix(&b, 4096, &img), ELF_OK);
	ASSERT_EQ(check_prefix(&b, 64 + 6 * 56, &img), ELF_OK);
}

TEST(elf_check_header_api)
{
	struct builder b;
	uint8_t *file;

	build_exec(&b);
	file = emit(&b);
	ASSERT_EQ(elf_check_header(file, b.file_size), 0);
	ASSERT_EQ(elf_check_header(file, 64 + 6 * 56), 0);
	ASSERT_EQ(elf_check_header(file, 64 + 6 * 56 - 1), -ENOEXEC);
	file[0] = 0;
	ASSERT_EQ(elf_check_header(file, b.file_size), -ENOEXEC);
	free(file);
}

TEST(elf_phdr_via_load_without_pt_phdr)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.ph[0].p_type = PT_NULL;
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.phdr_vaddr, 0x400040);
}

/* the first segment maps only the ELF header: nothing maps the table */
TEST(elf_phdr_unmapped_is_zero)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.ph[0].p_type = PT_NULL;
	b.ph[1].p_filesz = b.ph[1].p_memsz = 64;
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.phdr_vaddr, 0);
}

TEST(elf_stack_exec_flag)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.ph[5].p_flags = PF_R | PF_W | PF_X;
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.stack_exec, true);
	b.ph[5].p_type = PT_NULL;
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.stack_exec, false);
}

TEST(elf_osabi_gnu_accepted)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.eh.e_ident[EI_OSABI] = ELFOSABI_GNU;
	ASSERT_EQ(check(&b, &img), ELF_OK);
}

/* p_align 0 and 1 mean "no alignment", as the gABI says */
TEST(elf_align_zero_and_one_accepted)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.ph[2].p_align = 0;
	b.ph[3].p_align = 1;
	ASSERT_EQ(check(&b, &img), ELF_OK);
}

TEST(elf_empty_load_ignored)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	add_ph(&b, PT_LOAD, PF_R, 0x3000, 0x500000, 0, 0, 0x1000);
	b.ph[0].p_filesz = b.ph[0].p_memsz = b.nph * 56;
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.nseg, 4);
	ASSERT_EQ(img.end, 0x405000);
}

/*
 *	text  |-- 0x401000 .. 0x401800 --|
 *	data                              0x402000 (next page): fine
 */
TEST(elf_adjacent_pages_accepted)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.ph[2].p_filesz = b.ph[2].p_memsz = 0x1000;	/* ends at 0x402000 */
	ASSERT_EQ(check(&b, &img), ELF_OK);
}

/* the last user page is [TOP - 4K, TOP); a segment may end at TOP */
TEST(elf_segment_up_to_user_top)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.ph[4].p_vaddr = ELF_USER_TOP - 0x1000 + 0xfd0;
	b.ph[4].p_memsz = 0x30;
	b.ph[4].p_filesz = 0x30;
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.end, ELF_USER_TOP);
}

TEST(elf_phnum_max_accepted)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.ph[0].p_type = PT_NULL;
	while (b.nph < ELF_MAX_PHNUM)
		add_ph(&b, PT_NULL, 0, 0, 0, 0, 0, 0);
	b.file_size = 0x4000;		/* room for a 14 KiB table */
	ASSERT_EQ(check(&b, &img), ELF_OK);
	ASSERT_EQ(img.phnum, ELF_MAX_PHNUM);
	ASSERT_EQ(img.phdr_vaddr, 0);	/* 14 KiB table, not in ph[1] */
}

/* ---- the ELF header ---------------------------------------------------- */

TEST(elf_bad_magic)
{
	struct builder b;

	for (int i = 0; i < SELFMAG; i++) {
		build_exec(&b);
		b.eh.e_ident[i] ^= 0x20;
		EXPECT_REASON(b, ELF_BAD_MAGIC);
	}
}

TEST(elf_bad_class)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_REASON(b, ELF_BAD_CLASS);
	b.eh.e_ident[EI_CLASS] = ELFCLASSNONE;
	EXPECT_REASON(b, ELF_BAD_CLASS);
}

TEST(elf_bad_data_big_endian)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	EXPECT_REASON(b, ELF_BAD_DATA);
}

TEST(elf_bad_ident_version)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_ident[EI_VERSION] = 2;
	EXPECT_REASON(b, ELF_BAD_VERSION);
}

TEST(elf_bad_e_version)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_version = 0;
	EXPECT_REASON(b, ELF_BAD_VERSION);
}

TEST(elf_bad_osabi)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_ident[EI_OSABI] = 9;	/* FreeBSD */
	EXPECT_REASON(b, ELF_BAD_OSABI);
}

TEST(elf_bad_machine)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_machine = EM_386;
	EXPECT_REASON(b, ELF_BAD_MACHINE);
	b.eh.e_machine = 183;		/* AArch64 */
	EXPECT_REASON(b, ELF_BAD_MACHINE);
}

TEST(elf_bad_type)
{
	static const uint16_t types[] = { ET_NONE, ET_REL, ET_CORE, 0xfe00 };
	struct builder b;

	for (unsigned int i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		build_exec(&b);
		b.eh.e_type = types[i];
		EXPECT_REASON(b, ELF_BAD_TYPE);
	}
}

TEST(elf_bad_ehsize)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_ehsize = 52;		/* an ELF32 header's size */
	EXPECT_REASON(b, ELF_BAD_EHSIZE);
}

TEST(elf_bad_phentsize)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_phentsize = 32;		/* Elf32_Phdr */
	EXPECT_REASON(b, ELF_BAD_PHENTSIZE);
	b.eh.e_phentsize = 64;
	EXPECT_REASON(b, ELF_BAD_PHENTSIZE);
	b.eh.e_phentsize = 0;
	EXPECT_REASON(b, ELF_BAD_PHENTSIZE);
}

TEST(elf_phnum_zero)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_phnum = 0;
	EXPECT_REASON(b, ELF_BAD_PHNUM);
}

TEST(elf_phnum_xnum)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_phnum = PN_XNUM;
	EXPECT_REASON(b, ELF_BAD_PHNUM);
}

TEST(elf_phnum_too_many)
{
	struct builder b;

	build_exec(&b);
	while (b.nph < ELF_MAX_PHNUM + 1)
		add_ph(&b, PT_NULL, 0, 0, 0, 0, 0, 0);
	EXPECT_REASON(b, ELF_BAD_PHNUM);
}

TEST(elf_phoff_past_eof)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_phoff = b.file_size;
	EXPECT_REASON(b, ELF_BAD_PHDRS_RANGE);
	b.eh.e_phoff = b.file_size - 56;	/* table starts in, runs out */
	EXPECT_REASON(b, ELF_BAD_PHDRS_RANGE);
}

TEST(elf_phoff_overflow)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_phoff = UINT64_MAX - 8;
	EXPECT_REASON(b, ELF_BAD_PHDRS_RANGE);
}

/* the file has its program headers, but not within the bytes exec read */
TEST(elf_phdrs_beyond_buffer)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	ASSERT_EQ(check_prefix(&b, 64 + 6 * 56 - 1, &img), ELF_BAD_PHDRS_RANGE);
	b.eh.e_phoff = 0x1000;		/* legal offset, past one page */
	b.file_size = 0x3010;
	ASSERT_EQ(check_prefix(&b, 0x1000, &img), ELF_BAD_PHDRS_RANGE);
}

/* ---- truncation -------------------------------------------------------- */

/* The file cut short at each boundary: inside the ELF header, inside the
 * program header table, inside each segment's data. */
TEST(elf_truncated)
{
	static const struct {
		size_t at;
		enum elf_reason why;
	} cuts[] = {
		{ 0, ELF_BAD_SHORT },
		{ 1, ELF_BAD_SHORT },
		{ 4, ELF_BAD_SHORT },
		{ 16, ELF_BAD_SHORT },
		{ 63, ELF_BAD_SHORT },
		{ 64, ELF_BAD_PHDRS_RANGE },
		{ 64 + 55, ELF_BAD_PHDRS_RANGE },
		{ 64 + 56, ELF_BAD_PHDRS_RANGE },
		{ 64 + 6 * 56 - 1, ELF_BAD_PHDRS_RANGE },
		{ 64 + 6 * 56, ELF_BAD_SEG_FILE },	/* ph[1] needs 0x200 */
		{ 0x1ff, ELF_BAD_SEG_FILE },
		{ 0x1000, ELF_BAD_SEG_FILE },		/* text missing */
		{ 0x17ff, ELF_BAD_SEG_FILE },
		{ 0x20ff, ELF_BAD_SEG_FILE },		/* rodata short */
		{ 0x2fd0, ELF_BAD_SEG_FILE },		/* data missing */
		{ 0x300f, ELF_BAD_SEG_FILE },		/* one byte short */
		{ 0x3010, ELF_OK },
	};
	struct builder b;
	struct elf_image img;

	for (unsigned int i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		build_exec(&b);
		b.file_size = cuts[i].at;
		if (check(&b, &img) != cuts[i].why) {
			printf("  cut at %#zx: %s\n", cuts[i].at,
			       elf_reason_str(img.reason));
			ASSERT(0);
		}
	}
}

/* a buffer longer than the file: the bytes past EOF do not count */
TEST(elf_len_beyond_file_size)
{
	struct builder b;
	struct elf_image img;
	uint8_t *file;

	build_exec(&b);
	file = emit(&b);
	ASSERT_EQ(elf_check(file, b.file_size, 0x2000, &img), -ENOEXEC);
	ASSERT_EQ(img.reason, ELF_BAD_SEG_FILE);
	ASSERT_EQ(elf_check(file, b.file_size, 63, &img), -ENOEXEC);
	ASSERT_EQ(img.reason, ELF_BAD_SHORT);
	free(file);
}

/* ---- program headers --------------------------------------------------- */

TEST(elf_interp_rejected)
{
	struct builder b;

	build_exec(&b);
	b.ph[5].p_type = PT_INTERP;
	b.ph[5].p_offset = 0x190;
	b.ph[5].p_filesz = b.ph[5].p_memsz = 0x1c;
	EXPECT_REASON(b, ELF_BAD_INTERP);
	build_dyn(&b);
	b.ph[4].p_type = PT_INTERP;
	EXPECT_REASON(b, ELF_BAD_INTERP);
}

TEST(elf_no_load)
{
	struct builder b;

	build_exec(&b);
	for (int i = 1; i <= 4; i++)
		b.ph[i].p_type = PT_NULL;
	EXPECT_REASON(b, ELF_BAD_NO_LOAD);
	build_exec(&b);
	for (int i = 1; i <= 4; i++)
		b.ph[i].p_memsz = b.ph[i].p_filesz = 0;
	EXPECT_REASON(b, ELF_BAD_NO_LOAD);
}

TEST(elf_too_many_loads)
{
	struct builder b;
	struct elf_image img;

	build_exec(&b);
	b.ph[0].p_type = PT_NULL;
	/* data pages from 0x410000 up, all mapping the same file page */
	for (int i = 4; i < ELF_MAX_SEGMENTS; i++)
		add_ph(&b, PT_LOAD, PF_R, 0x2000,
		       0x410000 + (b.nph << 12), 0x10, 0x10, 0x1000);
	ASSERT_EQ(check(&b, &img), ELF_OK);		/* exactly 16 */
	ASSERT_EQ(img.nseg, ELF_MAX_SEGMENTS);
	add_ph(&b, PT_LOAD, PF_R, 0x2000, 0x410000 + (b.nph << 12),
	       0x10, 0x10, 0x1000);
	EXPECT_REASON(b, ELF_BAD_TOO_MANY_LOADS);
}

TEST(elf_filesz_above_memsz)
{
	struct builder b;

	build_exec(&b);
	b.ph[4].p_filesz = 0x2a9;
	b.file_size = 0x2fd0 + 0x2a9;
	EXPECT_REASON(b, ELF_BAD_FILESZ);
}

TEST(elf_segment_past_eof)
{
	struct builder b;

	build_exec(&b);
	b.ph[3].p_filesz = b.ph[3].p_memsz = 0x1011;
	b.ph[4].p_vaddr += 0x1000;		/* keep the pages disjoint */
	EXPECT_REASON(b, ELF_BAD_SEG_FILE);
	build_exec(&b);
	b.ph[3].p_offset = 0x5000;		/* starts past EOF */
	b.ph[3].p_vaddr = 0x405000 - 0x3000;
	EXPECT_REASON(b, ELF_BAD_SEG_FILE);
}

TEST(elf_offset_plus_filesz_overflow)
{
	struct builder b;

	build_exec(&b);
	b.ph[3].p_offset = 0xfffffffffffff000;	/* still page-congruent */
	b.ph[3].p_filesz = 0x2000;
	b.ph[3].p_memsz = 0x2000;
	EXPECT_REASON(b, ELF_BAD_SEG_FILE);
}

TEST(elf_huge_sizes)
{
	struct builder b;

	build_exec(&b);
	b.ph[4].p_memsz = 1ULL << 63;
	EXPECT_REASON(b, ELF_BAD_SEG_USER);
	b.ph[4].p_memsz = UINT64_MAX;
	EXPECT_REASON(b, ELF_BAD_SEG_WRAP);
	build_exec(&b);
	b.ph[4].p_filesz = b.ph[4].p_memsz = UINT64_MAX;
	EXPECT_REASON(b, ELF_BAD_SEG_FILE);
}

TEST(elf_vaddr_plus_memsz_overflow)
{
	struct builder b;

	build_exec(&b);
	b.ph[4].p_vaddr = 0xfffffffffffffe00 + 0x1d0;	/* offset 0x2fd0 */
	b.ph[4].p_memsz = 0x1000;
	EXPECT_REASON(b, ELF_BAD_SEG_WRAP);
}

TEST(elf_kernel_address_segment)
{
	struct builder b;

	build_exec(&b);
	b.ph[4].p_vaddr = 0xffffffff80000000 + 0xfd0;
	EXPECT_REASON(b, ELF_BAD_SEG_USER);
	b.ph[4].p_vaddr = 0xffff800000000000 + 0xfd0;
	EXPECT_REASON(b, ELF_BAD_SEG_USER);
	b.ph[4].p_vaddr = 0x0000800000000000 + 0xfd0;	/* non-canonical */
	EXPECT_REASON(b, ELF_BAD_SEG_USER);
	b.ph[4].p_vaddr = ELF_USER_TOP + 0xfd0;		/* the guard page */
	EXPECT_REASON(b, ELF_BAD_SEG_USER);
}

/*
 *	          ELF_USER_TOP
 *	|--seg--------|----->		straddles the top
 */
TEST(elf_segment_straddles_user_top)
{
	struct builder b;

	build_exec(&b);
	b.ph[4].p_vaddr = ELF_USER_TOP - 0x1000 + 0xfd0;
	EXPECT_REASON(b, ELF_BAD_SEG_USER);
	build_dyn(&b);
	b.ph[3].p_vaddr = ELF_USER_TOP - 0x1000 + 0xeb0;
	EXPECT_REASON(b, ELF_BAD_SEG_USER);
}

TEST(elf_segment_in_page0)
{
	struct builder b;

	build_exec(&b);
	b.ph[1].p_vaddr = 0;
	EXPECT_REASON(b, ELF_BAD_SEG_PAGE0);
	b.ph[1].p_vaddr = 0x1000 - 0x200;	/* wrong page congruence */
	EXPECT_REASON(b, ELF_BAD_SEG_ALIGN);
	build_exec(&b);
	b.ph[1].p_offset = 0xe00;		/* 0xe00 .. 0x1000 in page 0 */
	b.ph[1].p_vaddr = 0xe00;
	EXPECT_REASON(b, ELF_BAD_SEG_PAGE0);
}

/* ET_DYN addresses are relative: 0 is the base, not page 0 */
TEST(elf_dyn_at_zero_accepted)
{
	struct builder b;
	struct elf_image img;

	build_dyn(&b);
	ASSERT_EQ(b.ph[0].p_vaddr, 0);
	ASSERT_EQ(check(&b, &img), ELF_OK);
}

TEST(elf_dyn_span_too_large)
{
	struct builder b;

	build_dyn(&b);
	b.ph[3].p_vaddr = ELF_USER_TOP - 0x1000 + 0xeb0;
	b.ph[3].p_memsz = b.ph[3].p_filesz = 0x150;
	b.ph[4].p_type = PT_NULL;
	EXPECT_REASON(b, ELF_BAD_SPAN);
}

/*
 *	text    |-- 0x401000 .. 0x401800 --|
 *	rodata        |-- 0x401400 ..
 */
TEST(elf_overlapping_segments)
{
	struct builder b;

	build_exec(&b);
	b.ph[3].p_vaddr = 0x401000;		/* same page as text */
	b.ph[3].p_offset = 0x1000;
	EXPECT_REASON(b, ELF_BAD_SEG_OVERLAP);
}

/*
 *	text    |-- 0x401000 .. 0x401800 --|
 *	rodata                               |-0x401900..-|
 *	        |<----------- one page ----------------->|
 */
TEST(elf_segments_share_a_page)
{
	struct builder b;

	build_exec(&b);
	b.ph[3].p_vaddr = 0x401900;
	b.ph[3].p_offset = 0x1900;
	EXPECT_REASON(b, ELF_BAD_SEG_OVERLAP);
}

TEST(elf_segments_unsorted)
{
	struct builder b;
	Elf64_Phdr t;

	build_exec(&b);
	t = b.ph[2];
	b.ph[2] = b.ph[3];
	b.ph[3] = t;
	EXPECT_REASON(b, ELF_BAD_SEG_ORDER);
}

TEST(elf_misaligned_segment)
{
	struct builder b;

	build_exec(&b);
	b.ph[2].p_vaddr = 0x401010;		/* offset 0x1000 */
	EXPECT_REASON(b, ELF_BAD_SEG_ALIGN);
	build_exec(&b);
	b.ph[2].p_align = 0x3000;		/* not a power of two */
	EXPECT_REASON(b, ELF_BAD_SEG_ALIGN);
	b.ph[2].p_align = 3;
	EXPECT_REASON(b, ELF_BAD_SEG_ALIGN);
}

/* A writable and executable segment is well formed: the checker passes
 * it on with both permissions, and refusing it is W^X's business (exec,
 * mm/wx.c; wxtest in the guest). */
TEST(elf_wx_segment)
{
	struct elf_image img;
	struct builder b;

	build_exec(&b);
	b.ph[4].p_flags = PF_R | PF_W | PF_X;
	ASSERT_EQ(check_prefix(&b, b.file_size, &img), ELF_OK);
	ASSERT_EQ(img.seg[3].prot, ELF_PROT_READ | ELF_PROT_WRITE | ELF_PROT_EXEC);
}

TEST(elf_entry_outside_segments)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_entry = 0x500000;
	EXPECT_REASON(b, ELF_BAD_ENTRY);
	b.eh.e_entry = 0;
	EXPECT_REASON(b, ELF_BAD_ENTRY);
	b.eh.e_entry = 0x401800;		/* one past the end of text */
	EXPECT_REASON(b, ELF_BAD_ENTRY);
	b.eh.e_entry = 0x4017ff;		/* its last byte: fine */
	EXPECT_REASON(b, ELF_OK);
	build_dyn(&b);
	b.eh.e_entry = 0x401030;		/* absolute, but ET_DYN */
	EXPECT_REASON(b, ELF_BAD_ENTRY);
}

TEST(elf_entry_not_executable)
{
	struct builder b;

	build_exec(&b);
	b.eh.e_entry = 0x402010;		/* rodata */
	EXPECT_REASON(b, ELF_BAD_ENTRY_NX);
	b.eh.e_entry = 0x404200;		/* bss */
	EXPECT_REASON(b, ELF_BAD_ENTRY_NX);
	b.eh.e_entry = 0x400000;		/* the ELF header */
	EXPECT_REASON(b, ELF_BAD_ENTRY_NX);
}

TEST(elf_pt_phdr_mismatch)
{
	struct builder b;

	build_exec(&b);
	b.ph[0].p_vaddr = 0x400080;		/* not where the table is */
	EXPECT_REASON(b, ELF_BAD_PHDR);
	b.ph[0].p_vaddr = 0x600000;		/* in no segment */
	EXPECT_REASON(b, ELF_BAD_PHDR);
	b.ph[0].p_vaddr = 0x404100;		/* in bss, not file-backed */
	EXPECT_REASON(b, ELF_BAD_PHDR);
	build_exec(&b);
	b.ph[5] = b.ph[0];			/* two PT_PHDRs */
	EXPECT_REASON(b, ELF_BAD_PHDR);
}

TEST(elf_reason_strings)
{
	for (int i = 0; i < ELF_NR_REASONS; i++) {
		ASSERT(elf_reason_str(i) != NULL);
		for (int j = 0; j < i; j++)
			ASSERT(strcmp(elf_reason_str(i), elf_reason_str(j)));
	}
	ASSERT_STR(elf_reason_str(ELF_NR_REASONS), "unknown");
	ASSERT_STR(elf_reason_str(-1), "unknown");
}

/* ---- mutation fuzzing -------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64: fixed seed, so failures repeat */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* What a loader relies on when elf_check() says yes. */
static void assert_invariants(const struct elf_image *img, uint64_t file_size)
{
	bool entry_ok = false;

	ASSERT(img->type == ET_EXEC || img->type == ET_DYN);
	ASSERT(img->nseg >= 1 && img->nseg <= ELF_MAX_SEGMENTS);
	ASSERT(img->phentsize == sizeof(Elf64_Phdr));
	ASSERT(img->phnum >= 1 && img->phnum <= ELF_MAX_PHNUM);
	ASSERT(img->start % ELF_PAGE_SIZE == 0);
	ASSERT(img->end % ELF_PAGE_SIZE == 0);
	ASSERT(img->start < img->end && img->end <= ELF_USER_TOP);
	ASSERT(img->end - img->start <= ELF_USER_TOP - ELF_USER_MIN);
	if (img->type == ET_EXEC)
		ASSERT(img->start >= ELF_USER_MIN);
	for (unsigned int i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];

		ASSERT(s->memsz > 0 && s->filesz <= s->memsz);
		ASSERT(s->offset <= file_size);
		ASSERT(s->filesz <= file_size - s->offset);
		ASSERT(s->vaddr % ELF_PAGE_SIZE == s->offset % ELF_PAGE_SIZE);
		ASSERT(s->vaddr >= img->start);
		ASSERT(s->vaddr + s->memsz <= img->end);
		ASSERT((s->prot & (ELF_PROT_WRITE | ELF_PROT_EXEC)) !=
		       (ELF_PROT_WRITE | ELF_PROT_EXEC));
		if (i > 0) {
			const struct elf_segment *p = &img->seg[i - 1];
			uint64_t pend = p->vaddr + p->memsz;

			ASSERT((pend + ELF_PAGE_SIZE - 1) / ELF_PAGE_SIZE <=
			       s->vaddr / ELF_PAGE_SIZE);
		}
		if (img->entry >= s->vaddr && img->entry < s->vaddr + s->memsz)
			entry_ok = (s->prot & ELF_PROT_EXEC) != 0;
	}
	ASSERT(entry_ok);
}

/* One random edit, aimed mostly at the headers where the checks are. */
static void mutate(uint8_t *buf, size_t len, size_t hdr_len)
{
	static const uint64_t values[] = {
		0, 1, 0xfff, 0x1000, 0x400000, 0x7ffffffff000, 0x800000000000,
		0xffffffff80000000, UINT64_MAX, UINT64_MAX - 0xfff, 1ULL << 63,
	};
	size_t span = (rng() % 8) ? hdr_len : len;
	size_t at = rng() % span;
	uint64_t v;

	switch (rng() % 4) {
	case 0:
	case 1:
		buf[at] ^= 1u << (rng() % 8);
		break;
	case 2:
		buf[at] = (uint8_t)rng();
		break;
	case 3:
		at &= ~(size_t)7;
		if (at + 8 > len)
			break;
		v = values[rng() % (sizeof(values) / sizeof(values[0]))];
		memcpy(buf + at, &v, 8);
		break;
	}
}

TEST(elf_fuzz_mutations)
{
	struct builder b;
	unsigned int accepted = 0, rejected = 0;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int iter = 0; iter < 4000; iter++) {
		struct elf_image img;
		uint8_t *file, *buf;
		size_t len, hdr_len;
		int edits = 1 + rng() % 4, ret;

		if (iter & 1)
			build_dyn(&b);
		else
			build_exec(&b);
		file = emit(&b);
		len = b.file_size;
		hdr_len = 64 + b.nph * sizeof(Elf64_Phdr);
		while (edits--)
			mutate(file, len, hdr_len);
		if (rng() % 5 == 0)
			len = rng() % (len + 1);
		buf = dup_prefix(file, len);
		free(file);
		ret = elf_check(buf, len, len, &img);
		if (ret == 0) {
			assert_invariants(&img, len);
			accepted++;
		} else {
			ASSERT_EQ(ret, -ENOEXEC);
			ASSERT(img.reason != ELF_OK);
			rejected++;
		}
		free(buf);
	}
	/* the loop must have exercised both outcomes */
	ASSERT(accepted > 100);
	ASSERT(rejected > 1000);
}

/* ---- real binaries ----------------------------------------------------- */

/* elf_check() as exec calls it: the first page, and the file's size. */
static int check_file(const char *path, struct elf_image *img)
{
	uint8_t page[4096], *buf;
	struct stat st;
	ssize_t n = -1;
	int fd = open(path, O_RDONLY), ret;

	if (fd < 0)
		return 1;
	if (fstat(fd, &st) == 0)
		n = read(fd, page, sizeof(page));
	close(fd);
	if (n < 0)
		return 1;
	buf = dup_prefix(page, n);
	ret = elf_check(buf, n, st.st_size, img);
	free(buf);
	return ret;
}

/* The host's /bin/true is dynamically linked: refused for PT_INTERP. */
TEST(elf_host_bin_true)
{
	struct elf_image img;
	int ret = check_file("/bin/true", &img);

	if (ret == 1) {
		printf("  skipped: no /bin/true\n");
		return;
	}
	ASSERT_EQ(ret, -ENOEXEC);
	ASSERT_STR(elf_reason_str(img.reason), elf_reason_str(ELF_BAD_INTERP));
}

static const char *const musl_dirs[] = {
	"/usr/lib/x86_64-linux-musl",
	"/usr/lib/musl/lib",
	"/usr/local/musl/lib",
};

static const char *musl_lib_dir(void)
{
	char path[256];

	for (size_t i = 0; i < sizeof(musl_dirs) / sizeof(*musl_dirs); i++) {
		snprintf(path, sizeof(path), "%s/rcrt1.o", musl_dirs[i]);
		if (access(path, R_OK) == 0)
			return musl_dirs[i];
	}
	return NULL;
}

static void remove_dir(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("  could not remove %s\n", dir);
}

/*
 * Static musl programs, built now: a plain static ET_EXEC, and a static PIE
 * (rcrt1.o relocates itself; musl-gcc has no -static-pie spec of its own,
 * hence the spelled-out link). Both must be accepted from their first page.
 */
TEST(elf_musl_static_binaries)
{
	char dir[] = "/tmp/elftest.XXXXXX";
	char cmd[1024], path[300];
	const char *lib;
	struct elf_image img;
	FILE *f;
	int ret;

	if (system("command -v musl-gcc >/dev/null 2>&1") != 0) {
		printf("  skipped: no musl-gcc\n");
		return;
	}
	ASSERT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/t.c", dir);
	f = fopen(path, "w");
	ASSERT(f != NULL);
	fputs("#include <stdio.h>\n"
	      "static _Thread_local int tls = 7;\n"
	      "int main(void) { printf(\"%d\\n\", tls); return 0; }\n", f);
	fclose(f);

	snprintf(cmd, sizeof(cmd),
		 "musl-gcc -static -O1 -o %s/static %s/t.c 2>/dev/null",
		 dir, dir);
	if (system(cmd) != 0) {
		remove_dir(dir);
		printf("  skipped: musl-gcc -static failed\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/static", dir);
	ret = check_file(path, &img);
	if (ret) {
		remove_dir(dir);
		printf("  static: %s\n", elf_reason_str(img.reason));
		ASSERT_EQ(ret, 0);
	}
	ASSERT_EQ(img.type, ET_EXEC);
	ASSERT(img.phdr_vaddr != 0);
	ASSERT(img.nseg >= 2);
	assert_invariants(&img, SIZE_MAX);

	lib = musl_lib_dir();
	if (lib) {
		snprintf(cmd, sizeof(cmd),
			 "musl-gcc -fPIE -static-pie -nostartfiles -O1 "
			 "-Wl,-pie -Wl,--no-dynamic-linker -Wl,-z,text "
			 "%s/rcrt1.o %s/crti.o %s/t.c %s/crtn.o -Wl,-static "
			 "-o %s/pie 2>/dev/null", lib, lib, dir, lib, dir);
		if (system(cmd) == 0) {
			snprintf(path, sizeof(path), "%s/pie", dir);
			ret = check_file(path, &img);
			if (ret) {
				remove_dir(dir);
				printf("  static-pie: %s\n",
				       elf_reason_str(img.reason));
				ASSERT_EQ(ret, 0);
			}
			ASSERT_EQ(img.type, ET_DYN);
			ASSERT_EQ(img.start, 0);
			assert_invariants(&img, SIZE_MAX);
		} else {
			printf("  static-pie link failed: not checked\n");
		}
	}
	remove_dir(dir);
}
