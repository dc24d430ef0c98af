/* ELF64 validation for exec: every header field the loader will trust is
 * checked here, against the bytes read and the real file size, and the
 * loadable segments are handed back in a form that can be mapped without
 * further checks. Pure logic; reading the file and mapping belong to exec. */
#include <elf_check.h>
#include <uapi/errno.h>
#include <string.h>

#define PAGE_MASK	(ELF_PAGE_SIZE - 1)

static uint64_t page_down(uint64_t a)
{
	return a & ~PAGE_MASK;
}

/* Only for a <= ELF_USER_TOP, which is page-aligned, so it cannot wrap. */
static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_MASK) & ~PAGE_MASK;
}

static const char *const reason_str[ELF_NR_REASONS] = {
	[ELF_OK]		= "ok",
	[ELF_BAD_SHORT]		= "shorter than an ELF header",
	[ELF_BAD_MAGIC]		= "bad magic",
	[ELF_BAD_CLASS]		= "not ELFCLASS64",
	[ELF_BAD_DATA]		= "not little-endian",
	[ELF_BAD_VERSION]	= "bad ELF version",
	[ELF_BAD_OSABI]		= "unsupported OS ABI",
	[ELF_BAD_MACHINE]	= "not x86-64",
	[ELF_BAD_TYPE]		= "not an executable (ET_EXEC or ET_DYN)",
	[ELF_BAD_EHSIZE]	= "bad e_ehsize",
	[ELF_BAD_PHENTSIZE]	= "bad e_phentsize",
	[ELF_BAD_PHNUM]		= "bad e_phnum",
	[ELF_BAD_PHDRS_RANGE]	= "program headers outside the buffer",
	[ELF_BAD_INTERP]	= "needs an interpreter (PT_INTERP)",
	[ELF_BAD_TOO_MANY_LOADS] = "too many PT_LOAD segments",
	[ELF_BAD_FILESZ]	= "segment p_filesz > p_memsz",
	[ELF_BAD_SEG_FILE]	= "segment data outside the file",
	[ELF_BAD_SEG_ALIGN]	= "misaligned segment",
	[ELF_BAD_SEG_WRAP]	= "segment wraps the address space",
	[ELF_BAD_SEG_USER]	= "segment outside user space",
	[ELF_BAD_SEG_PAGE0]	= "segment in page 0",
	[ELF_BAD_SEG_ORDER]	= "segments not sorted by address",
	[ELF_BAD_SEG_OVERLAP]	= "segments overlap",
	[ELF_BAD_SPAN]		= "image larger than user space",
	[ELF_BAD_NO_LOAD]	= "no PT_LOAD segment",
	[ELF_BAD_ENTRY]		= "entry point outside every segment",
	[ELF_BAD_ENTRY_NX]	= "entry point not executable",
	[ELF_BAD_PHDR]		= "bad PT_PHDR",
};

const char *elf_reason_str(enum elf_reason r)
{
	if ((unsigned int)r >= ELF_NR_REASONS)
		return "unknown";
	return reason_str[r];
}

/* The e_ident bytes: a 64-bit little-endian ELF for System V or Linux. */
static enum elf_reason check_ident(const unsigned char *id)
{
	if (memcmp(id, ELFMAG, SELFMAG) != 0)
		return ELF_BAD_MAGIC;
	if (id[EI_CLASS] != ELFCLASS64)
		return ELF_BAD_CLASS;
	if (id[EI_DATA] != ELFDATA2LSB)
		return ELF_BAD_DATA;
	if (id[EI_VERSION] != EV_CURRENT)
		return ELF_BAD_VERSION;
	if (id[EI_OSABI] != ELFOSABI_SYSV && id[EI_OSABI] != ELFOSABI_GNU)
		return ELF_BAD_OSABI;
	return ELF_OK;
}

/*
 * Reads and checks the ELF header at @buf into @eh: identity, type, machine,
 * header sizes, and a program header table that lies wholly within the @len
 * bytes at @buf. Fixing e_phentsize to sizeof(Elf64_Phdr) lets the rest of
 * the code index the table as an array.
 */
static enum elf_reason check_ehdr(const void *buf, size_t len, Elf64_Ehdr *eh)
{
	enum elf_reason r;
	uint64_t table;

	if (len < sizeof(*eh))
		return ELF_BAD_SHORT;
	memcpy(eh, buf, sizeof(*eh));	/* buf need not be aligned */
	r = check_ident(eh->e_ident);
	if (r)
		return r;
	if (eh->e_version != EV_CURRENT)
		return ELF_BAD_VERSION;
	if (eh->e_machine != EM_X86_64)
		return ELF_BAD_MACHINE;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return ELF_BAD_TYPE;
	if (eh->e_ehsize != sizeof(Elf64_Ehdr))
		return ELF_BAD_EHSIZE;
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return ELF_BAD_PHENTSIZE;
	/* PN_XNUM (count kept in section 0) is beyond the limit too */
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return ELF_BAD_PHNUM;
	table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (eh->e_phoff > len || table > len - eh->e_phoff)
		return ELF_BAD_PHDRS_RANGE;
	return ELF_OK;
}

int elf_check_header(const void *buf, size_t len)
{
	Elf64_Ehdr eh;

	return check_ehdr(buf, len, &eh) ? -ENOEXEC : 0;
}

/*
 * Checks one PT_LOAD on its own and converts it to @seg. Order matters only
 * in that each test may rely on the ones before it: sums are formed after
 * their overflow has been ruled out.
 */
static enum elf_reason check_load(const Elf64_Phdr *ph, uint16_t type,
				  uint64_t file_size, struct elf_segment *seg)
{
	if (ph->p_filesz > ph->p_memsz)
		return ELF_BAD_FILESZ;
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return ELF_BAD_SEG_FILE;
	/* p_align 0 and 1 both mean "no constraint" */
	if (ph->p_align & (ph->p_align - 1))
		return ELF_BAD_SEG_ALIGN;
	/* pages map file pages: the offsets within the page must agree */
	if ((ph->p_vaddr & PAGE_MASK) != (ph->p_offset & PAGE_MASK))
		return ELF_BAD_SEG_ALIGN;
	if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
		return ELF_BAD_SEG_WRAP;
	/* for ET_DYN too, so that vaddr + bias never wraps in the loader */
	if (ph->p_vaddr + ph->p_memsz > ELF_USER_TOP)
		return ELF_BAD_SEG_USER;
	if (type == ET_EXEC && ph->p_vaddr < ELF_USER_MIN)
		return ELF_BAD_SEG_PAGE0;

	seg->vaddr = ph->p_vaddr;
	seg->memsz = ph->p_memsz;
	seg->offset = ph->p_offset;
	seg->filesz = ph->p_filesz;
	seg->prot = 0;
	if (ph->p_flags & PF_R)
		seg->prot |= ELF_PROT_READ;
	if (ph->p_flags & PF_W)
		seg->prot |= ELF_PROT_WRITE;
	if (ph->p_flags & PF_X)
		seg->prot |= ELF_PROT_EXEC;
	return ELF_OK;
}

/*
 * The segments together, in file order: ascending and page-disjoint, since
 * the loader maps whole pages and a shared page would take the protection
 * of whichever segment came last. Sets the span [start, end).
 *
 *	prev:  |--pg--|--pg--|           prev ends inside its second page,
 *	cur:                 |--pg--|    so cur may begin at the next one
 */
static enum elf_reason check_layout(struct elf_image *img)
{
	unsigned int i;

	if (img->nseg == 0)
		return ELF_BAD_NO_LOAD;
	for (i = 1; i < img->nseg; i++) {
		const struct elf_segment *prev = &img->seg[i - 1];
		const struct elf_segment *cur = &img->seg[i];

		if (cur->vaddr < prev->vaddr)
			return ELF_BAD_SEG_ORDER;
		if (page_down(cur->vaddr) < page_up(prev->vaddr + prev->memsz))
			return ELF_BAD_SEG_OVERLAP;
	}
	img->start = page_down(img->seg[0].vaddr);
	img->end = page_up(img->seg[img->nseg - 1].vaddr +
			   img->seg[img->nseg - 1].memsz);
	/* an ET_DYN image must fit between page 0 and the top once moved */
	if (img->end - img->start > ELF_USER_TOP - ELF_USER_MIN)
		return ELF_BAD_SPAN;
	return ELF_OK;
}

/* The entry point must be code: inside a segment, and an executable one. */
static enum elf_reason check_entry(const struct elf_image *img)
{
	unsigned int i;

	for (i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];

		if (img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
			return (s->prot & ELF_PROT_EXEC) ? ELF_OK
							 : ELF_BAD_ENTRY_NX;
	}
	return ELF_BAD_ENTRY;
}

/*
 * Where the program headers are in memory, for AT_PHDR (static musl and
 * glibc find their PT_TLS through it). A PT_PHDR entry names the address;
 * it is believed only if the file bytes mapped there are the table itself.
 * Without PT_PHDR, the segment whose file range holds the table gives the
 * address; when none does, phdr_vaddr stays 0 and the loader must cope.
 */
static enum elf_reason find_phdrs(struct elf_image *img, const Elf64_Ehdr *eh,
				  const Elf64_Phdr *pt_phdr)
{
	uint64_t size = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	unsigned int i;

	img->phdr_vaddr = 0;
	for (i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];

		if (pt_phdr) {
			uint64_t v = pt_phdr->p_vaddr;

			if (v < s->vaddr || v - s->vaddr > s->filesz ||
			    size > s->filesz - (v - s->vaddr))
				continue;
			if (s->offset + (v - s->vaddr) != eh->e_phoff)
				return ELF_BAD_PHDR;
			img->phdr_vaddr = v;
			return ELF_OK;
		}
		if (eh->e_phoff >= s->offset &&
		    eh->e_phoff - s->offset <= s->filesz &&
		    size <= s->filesz - (eh->e_phoff - s->offset)) {
			img->phdr_vaddr = s->vaddr + (eh->e_phoff - s->offset);
			return ELF_OK;
		}
	}
	return pt_phdr ? ELF_BAD_PHDR : ELF_OK;
}

/*
 * Walks the program headers: PT_LOADs are checked and collected, PT_INTERP
 * ends it, PT_PHDR and PT_GNU_STACK are noted, other types are ignored as
 * Linux ignores them.
 */
static enum elf_reason scan_phdrs(const unsigned char *table,
				  const Elf64_Ehdr *eh, uint64_t file_size,
				  struct elf_image *img, Elf64_Phdr *pt_phdr,
				  bool *have_pt_phdr)
{
	unsigned int i;

	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		enum elf_reason r;

		memcpy(&ph, table + i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_INTERP:
			return ELF_BAD_INTERP;
		case PT_PHDR:
			if (*have_pt_phdr)
				return ELF_BAD_PHDR;
			*pt_phdr = ph;
			*have_pt_phdr = true;
			break;
		case PT_GNU_STACK:
			img->stack_exec = (ph.p_flags & PF_X) != 0;
			break;
		case PT_LOAD:
			if (img->nseg == ELF_MAX_SEGMENTS)
				return ELF_BAD_TOO_MANY_LOADS;
			r = check_load(&ph, eh->e_type, file_size,
				       &img->seg[img->nseg]);
			if (r)
				return r;
			/* an empty segment maps nothing: forget it */
			if (ph.p_memsz)
				img->nseg++;
			break;
		}
	}
	return ELF_OK;
}

static enum elf_reason check_all(const void *buf, size_t len,
				 uint64_t file_size, struct elf_image *img)
{
	Elf64_Ehdr eh;
	Elf64_Phdr pt_phdr;
	bool have_pt_phdr = false;
	enum elf_reason r;

	/* bytes past the end of the file are not the file's */
	if (len > file_size)
		len = file_size;
	r = check_ehdr(buf, len, &eh);
	if (r)
		return r;
	img->type = eh.e_type;
	img->entry = eh.e_entry;
	img->phnum = eh.e_phnum;
	img->phentsize = eh.e_phentsize;

	r = scan_phdrs((const unsigned char *)buf + eh.e_phoff, &eh, file_size,
		       img, &pt_phdr, &have_pt_phdr);
	if (r)
		return r;
	r = check_layout(img);
	if (r)
		return r;
	r = check_entry(img);
	if (r)
		return r;
	return find_phdrs(img, &eh, have_pt_phdr ? &pt_phdr : NULL);
}

int elf_check(const void *buf, size_t len, uint64_t file_size,
	      struct elf_image *out)
{
	memset(out, 0, sizeof(*out));
	out->reason = check_all(buf, len, file_size, out);
	return out->reason == ELF_OK ? 0 : -ENOEXEC;
}
