/* The ELF64 file format as the System V gABI and the x86-64 psABI define it:
 * the file and program headers, the constants exec needs, and the auxiliary
 * vector tags (AT_*) the kernel puts on a new process's stack. Layouts and
 * numbers only; validation lives in proc/elf.c (include/elf_check.h). */
#ifndef ELF_H
#define ELF_H
#include <stdint.h>

typedef uint64_t Elf64_Addr;
typedef uint64_t Elf64_Off;
typedef uint16_t Elf64_Half;
typedef uint32_t Elf64_Word;
typedef int32_t  Elf64_Sword;
typedef uint64_t Elf64_Xword;
typedef int64_t  Elf64_Sxword;

/* e_ident[] */
#define EI_MAG0		0
#define EI_MAG1		1
#define EI_MAG2		2
#define EI_MAG3		3
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define EI_OSABI	7
#define EI_ABIVERSION	8
#define EI_PAD		9
#define EI_NIDENT	16

#define ELFMAG0		0x7f
#define ELFMAG1		'E'
#define ELFMAG2		'L'
#define ELFMAG3		'F'
#define ELFMAG		"\177ELF"
#define SELFMAG		4

#define ELFCLASSNONE	0
#define ELFCLASS32	1
#define ELFCLASS64	2

#define ELFDATANONE	0
#define ELFDATA2LSB	1
#define ELFDATA2MSB	2

#define EV_NONE		0
#define EV_CURRENT	1

#define ELFOSABI_SYSV	0
#define ELFOSABI_GNU	3	/* also called ELFOSABI_LINUX */
#define ELFOSABI_LINUX	ELFOSABI_GNU

/* e_type */
#define ET_NONE		0
#define ET_REL		1
#define ET_EXEC		2
#define ET_DYN		3
#define ET_CORE		4

/* e_machine */
#define EM_NONE		0
#define EM_386		3
#define EM_X86_64	62

/* e_phnum value meaning "the real count is in section header 0" */
#define PN_XNUM		0xffff

typedef struct {
	unsigned char	e_ident[EI_NIDENT];
	Elf64_Half	e_type;
	Elf64_Half	e_machine;
	Elf64_Word	e_version;
	Elf64_Addr	e_entry;	/* address of the first instruction */
	Elf64_Off	e_phoff;	/* file offset of the program headers */
	Elf64_Off	e_shoff;	/* file offset of the section headers */
	Elf64_Word	e_flags;
	Elf64_Half	e_ehsize;	/* sizeof(Elf64_Ehdr), 64 */
	Elf64_Half	e_phentsize;	/* sizeof(Elf64_Phdr), 56 */
	Elf64_Half	e_phnum;
	Elf64_Half	e_shentsize;
	Elf64_Half	e_shnum;
	Elf64_Half	e_shstrndx;
} Elf64_Ehdr;

/* p_type */
#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_SHLIB	5
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_EH_FRAME	0x6474e550
#define PT_GNU_STACK	0x6474e551
#define PT_GNU_RELRO	0x6474e552
#define PT_GNU_PROPERTY	0x6474e553

/* p_flags */
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

typedef struct {
	Elf64_Word	p_type;
	Elf64_Word	p_flags;
	Elf64_Off	p_offset;	/* file offset of the first byte */
	Elf64_Addr	p_vaddr;	/* where that byte goes in memory */
	Elf64_Addr	p_paddr;	/* unused for user programs */
	Elf64_Xword	p_filesz;	/* bytes taken from the file */
	Elf64_Xword	p_memsz;	/* in memory; zero past p_filesz */
	Elf64_Xword	p_align;	/* 0 or 1: none; else a power of two */
} Elf64_Phdr;

/* Auxiliary vector entries, after envp on the initial process stack. */
typedef struct {
	uint64_t a_type;
	union {
		uint64_t a_val;
	} a_un;
} Elf64_auxv_t;

#define AT_NULL		0	/* end of the vector */
#define AT_IGNORE	1
#define AT_EXECFD	2
#define AT_PHDR		3	/* address of the program headers in memory */
#define AT_PHENT	4	/* size of one program header */
#define AT_PHNUM	5	/* number of program headers */
#define AT_PAGESZ	6
#define AT_BASE		7	/* interpreter base; 0 without one */
#define AT_FLAGS	8
#define AT_ENTRY	9	/* the program's entry point */
#define AT_NOTELF	10
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15	/* address of a string such as "x86_64" */
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_BASE_PLATFORM 24
#define AT_RANDOM	25	/* address of 16 random bytes */
#define AT_HWCAP2	26
#define AT_EXECFN	31	/* address of the file name given to execve */
#define AT_SYSINFO_EHDR	33	/* vDSO base */
#define AT_MINSIGSTKSZ	51

#endif
