/* Validation of ELF64 executables before exec maps them (proc/elf.c).
 * Pure: it reads the bytes the caller passes and says what to map, where,
 * and with which protection; the loader in proc/exec.c does the mapping. */
#ifndef ELF_CHECK_H
#define ELF_CHECK_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <elf.h>

#define ELF_PAGE_SIZE		4096UL
/* User space is [ELF_USER_MIN, ELF_USER_TOP): page 0 stays unmapped, and the
 * last page below 2^47 too, as on Linux, so that no user instruction ends
 * next to the non-canonical hole (sysret would fault in ring 0). */
#define ELF_USER_MIN		0x1000UL
#define ELF_USER_TOP		0x00007ffffffff000UL
#define ELF_MAX_SEGMENTS	16	/* PT_LOADs kept; static ones use 4 */
#define ELF_MAX_PHNUM		256	/* real programs have < 20 */

/* Segment protections, with the values of Linux's PROT_* so that a loader
 * can hand them to the mapping code unchanged. */
#define ELF_PROT_READ		0x1
#define ELF_PROT_WRITE		0x2
#define ELF_PROT_EXEC		0x4

/* Why elf_check() refused a file, for a log line and for the tests. */
enum elf_reason {
	ELF_OK = 0,
	ELF_BAD_SHORT,		/* fewer bytes than an ELF header */
	ELF_BAD_MAGIC,		/* not \177ELF */
	ELF_BAD_CLASS,		/* not ELFCLASS64 */
	ELF_BAD_DATA,		/* not little-endian */
	ELF_BAD_VERSION,	/* e_ident[EI_VERSION] or e_version not 1 */
	ELF_BAD_OSABI,		/* neither System V nor GNU/Linux */
	ELF_BAD_MACHINE,	/* not x86-64 */
	ELF_BAD_TYPE,		/* not ET_EXEC or ET_DYN */
	ELF_BAD_EHSIZE,		/* e_ehsize is not sizeof(Elf64_Ehdr) */
	ELF_BAD_PHENTSIZE,	/* e_phentsize is not sizeof(Elf64_Phdr) */
	ELF_BAD_PHNUM,		/* 0, PN_XNUM, or more than ELF_MAX_PHNUM */
	ELF_BAD_PHDRS_RANGE,	/* program headers not all inside the buffer */
	ELF_BAD_INTERP,		/* PT_INTERP: needs a dynamic linker */
	ELF_BAD_TOO_MANY_LOADS,	/* more than ELF_MAX_SEGMENTS PT_LOADs */
	ELF_BAD_FILESZ,		/* p_filesz > p_memsz */
	ELF_BAD_SEG_FILE,	/* p_offset + p_filesz wraps or passes EOF */
	ELF_BAD_SEG_ALIGN,	/* p_align not a power of two, or p_vaddr and
				 * p_offset differ modulo the page size */
	ELF_BAD_SEG_WRAP,	/* p_vaddr + p_memsz wraps */
	ELF_BAD_SEG_USER,	/* segment reaches ELF_USER_TOP or beyond */
	ELF_BAD_SEG_PAGE0,	/* ET_EXEC segment in the page at 0 */
	ELF_BAD_SEG_ORDER,	/* PT_LOADs not in ascending p_vaddr order */
	ELF_BAD_SEG_OVERLAP,	/* two PT_LOADs share a page */
	ELF_BAD_SPAN,		/* ET_DYN image larger than user space */
	ELF_BAD_NO_LOAD,	/* nothing to map */
	ELF_BAD_ENTRY,		/* entry point in no PT_LOAD */
	ELF_BAD_ENTRY_NX,	/* entry point in a segment without PF_X */
	ELF_BAD_PHDR,		/* PT_PHDR twice, or not at the table */
	ELF_NR_REASONS
};

/* One PT_LOAD. Addresses are p_vaddr as written in the file: absolute for
 * ET_EXEC, relative to the chosen load bias for ET_DYN. */
struct elf_segment {
	uint64_t vaddr;		/* [vaddr, vaddr + memsz) in memory */
	uint64_t memsz;		/* bytes in memory, > 0 */
	uint64_t offset;	/* file offset of the byte at vaddr */
	uint64_t filesz;	/* bytes from the file; then zeros */
	unsigned int prot;	/* ELF_PROT_*; never WRITE and EXEC together */
};

/* What a loader needs, filled by elf_check() when it returns 0. For ET_DYN
 * every address below is relative: add the load bias, which the loader picks
 * so that [start + bias, end + bias) lies in [ELF_USER_MIN, ELF_USER_TOP). */
struct elf_image {
	uint16_t type;		/* ET_EXEC or ET_DYN (static PIE) */
	uint64_t entry;		/* e_entry, inside an executable segment */
	uint64_t phdr_vaddr;	/* program headers in memory (AT_PHDR), or 0
				 * when no segment maps them */
	uint16_t phnum;		/* AT_PHNUM */
	uint16_t phentsize;	/* AT_PHENT */
	bool stack_exec;	/* PT_GNU_STACK asks for PF_X; absent: false */
	uint64_t start;		/* page-aligned span of all segments: */
	uint64_t end;		/* [start, end), lowest to highest */
	unsigned int nseg;	/* entries used in seg[], >= 1 */
	/* ascending, no page shared between two segments */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	enum elf_reason reason;	/* ELF_OK, or why elf_check() failed */
};

/*
 * elf_check - decide whether an ELF64 file can be exec'ed, and how.
 * @buf:	the file's first bytes (at least the header and program headers;
 *		one page is what exec reads)
 * @len:	bytes valid at @buf
 * @file_size:	the file's real size, against which segments are checked
 * @out:	filled on success; out->reason says why on failure
 *
 * Returns 0, or -ENOEXEC for a file that is malformed, needs a dynamic
 * linker, or is not for this machine. Program headers past @len are an
 * error even when the file has them; bytes past @file_size are ignored.
 */
int elf_check(const void *buf, size_t len, uint64_t file_size,
	      struct elf_image *out);

/* Only the ELF header (and that its program headers lie within @len):
 * 0 or -ENOEXEC. Cheap enough to pick a binary format with. */
int elf_check_header(const void *buf, size_t len);

/* A short English phrase for @r, for exec's log line. */
const char *elf_reason_str(enum elf_reason r);

#endif
