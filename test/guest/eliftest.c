/* exec of a corpus of over 200 malformed ELF files made at run time from
 * /bin/hello: truncations, every ELF and program header field at 0, 1,
 * its maximum and boundary values, overlapping, huge and misordered
 * segments, PT_INTERP, ET_DYN, moved and oversized tables, bit flips.
 * Each is exec'd in a child; the caller must see a clean errno, or the
 * child run or die by a signal, never a kernel panic. Also a
 * self-checking compatibility run: this program re-execs itself with
 * known argv and envp and checks what it sees against fixed values. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"

static unsigned char *image;
static size_t image_len;

static int load_hello(void)
{
	struct stat st;
	int fd = open("/bin/hello", O_RDONLY);
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st))
		return -1;
	image_len = st.st_size;
	image = malloc(image_len);
	while (image && got < image_len) {
		ssize_t r = read(fd, image + got, image_len - got);

		if (r <= 0)
			break;
		got += r;
	}
	close(fd);
	return image && got == image_len ? 0 : -1;
}

/* Write len bytes of buf as an executable file. */
static int write_exe(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, buf, len) == (ssize_t)len;
	return close(fd) == 0 && ok ? 0 : -1;
}

/* What the corpus saw: every file is one of these, and only the last is
 * a failure. */
struct tally {
	int files, clean_errno, exited, signalled, timed_out, surprises;
};

static struct tally tally;

#define MUTANT_PATH	"/tmp/mutant"
#define MUTANT_SECONDS	5	/* a mutant that runs this long loops */

/*
 * Write buf as an executable and exec it in a child. Acceptable: exec
 * failed with a clean errno (the child reports it as exit code 100 +
 * errno), or the program ran and exited or died by a signal (SIGALRM
 * after MUTANT_SECONDS, kept across exec, ends one that loops). Anything
 * else is a surprise, printed with what made the file.
 */
static void try_mutant(const void *buf, size_t len, const char *what)
{
	char *argv[] = { "mutant", NULL };
	int status;
	pid_t pid;

	tally.files++;
	if (write_exe(MUTANT_PATH, buf, len)) {
		printf("exec_malformed: %s: cannot write the file\n", what);
		tally.surprises++;
		return;
	}
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);	/* a mutant that runs may print */
		dup2(fd, 2);
		alarm(MUTANT_SECONDS);
		execv(MUTANT_PATH, argv);
		_exit(100 + errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("exec_malformed: %s: fork/wait failed\n", what);
		tally.surprises++;
		return;
	}
	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGALRM)
			tally.timed_out++;
		else
			tally.signalled++;
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) < 100) {
		tally.exited++;
		return;
	}
	if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status) - 100;

		if (code == ENOEXEC || code == EINVAL || code == ENOMEM || code == EFAULT ||
		    code == E2BIG || code == EACCES || code == EIO) {
			tally.clean_errno++;
			return;
		}
		printf("exec_malformed: %s: errno %d\n", what, code);
	} else {
		printf("exec_malformed: %s: status %#x\n", what, status);
	}
	tally.surprises++;
}

static unsigned char *mutant;	/* image_len + MUTANT_EXTRA bytes */
#define MUTANT_EXTRA	(64 * sizeof(Elf64_Phdr))

/* A fresh copy of /bin/hello to change. */
static unsigned char *fresh(void)
{
	memcpy(mutant, image, image_len);
	return mutant;
}

/* The image with size bytes at off set to v (little-endian). */
static void try_poke(size_t off, int size, uint64_t v, const char *field)
{
	char what[96];

	memcpy(fresh() + off, &v, size);
	snprintf(what, sizeof(what), "%s = %#llx", field, (unsigned long long)v);
	try_mutant(mutant, image_len, what);
}

#define MAXV(size)	((size) == 8 ? ~0ull : (1ull << (8 * (size))) - 1)

/* Each ELF header field at 0, 1, its maximum and boundary values. */
static void corpus_ehdr(void)
{
	const uint64_t len = image_len, ph = sizeof(Elf64_Phdr);
	const struct {
		const char *name;
		size_t off;
		int size;
		uint64_t v[8];	/* besides 0, 1 and the maximum; 0 ends */
	} f[] = {
		{ "e_ident[EI_MAG0]", EI_MAG0, 1, { 0x7e } },
		{ "e_ident[EI_CLASS]", EI_CLASS, 1, { ELFCLASSNONE, 3 } },
		{ "e_ident[EI_DATA]", EI_DATA, 1, { ELFDATA2MSB, 3 } },
		{ "e_ident[EI_VERSION]", EI_VERSION, 1, { 2 } },
		{ "e_ident[EI_OSABI]", EI_OSABI, 1, { ELFOSABI_LINUX, ELFOSABI_ARM } },
		{ "e_ident[EI_ABIVERSION]", EI_ABIVERSION, 1, { 0 } },
		{ "e_type", offsetof(Elf64_Ehdr, e_type), 2, { ET_REL, ET_DYN, ET_CORE, 0xfe00 } },
		{ "e_machine", offsetof(Elf64_Ehdr, e_machine), 2, { EM_386, EM_X86_64 + 1 } },
		{ "e_version", offsetof(Elf64_Ehdr, e_version), 4, { 2 } },
		{ "e_entry", offsetof(Elf64_Ehdr, e_entry), 8,
		  { 0x400000, 0x401000, 0x402281, 0x7ffffffff000, 0x800000000000,
		    0xffff800000000000 } },
		{ "e_phoff", offsetof(Elf64_Ehdr, e_phoff), 8,
		  { 63, 65, 4096, len - ph, len - 1, len, 0x7fffffff } },
		{ "e_shoff", offsetof(Elf64_Ehdr, e_shoff), 8, { len } },
		{ "e_flags", offsetof(Elf64_Ehdr, e_flags), 4, { 0 } },
		{ "e_ehsize", offsetof(Elf64_Ehdr, e_ehsize), 2, { 63, 65 } },
		{ "e_phentsize", offsetof(Elf64_Ehdr, e_phentsize), 2, { 55, 57, 64 } },
		{ "e_phnum", offsetof(Elf64_Ehdr, e_phnum), 2, { 5, 7, 100, 255, 256, 257 } },
		{ "e_shentsize", offsetof(Elf64_Ehdr, e_shentsize), 2, { 0 } },
		{ "e_shnum", offsetof(Elf64_Ehdr, e_shnum), 2, { 0 } },
		{ "e_shstrndx", offsetof(Elf64_Ehdr, e_shstrndx), 2, { 0 } },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		try_poke(f[i].off, f[i].size, 0, f[i].name);
		try_poke(f[i].off, f[i].size, 1, f[i].name);
		try_poke(f[i].off, f[i].size, MAXV(f[i].size), f[i].name);
		for (int k = 0; k < 8 && f[i].v[k]; k++)
			try_poke(f[i].off, f[i].size, f[i].v[k], f[i].name);
	}
}

/* The same for each field of program header n (a PT_LOAD). */
static void corpus_phdr(const Elf64_Ehdr *eh, int n)
{
	const size_t base = eh->e_phoff + (size_t)n * eh->e_phentsize;
	const uint64_t len = image_len;
	const Elf64_Phdr *orig = (const Elf64_Phdr *)(image + base);
	const struct {
		const char *name;
		size_t off;
		int size;
		uint64_t v[8];
	} f[] = {
		{ "p_type", offsetof(Elf64_Phdr, p_type), 4,
		  { PT_INTERP, PT_PHDR, PT_GNU_STACK, PT_TLS } },
		{ "p_flags", offsetof(Elf64_Phdr, p_flags), 4, { PF_W, PF_R | PF_W | PF_X } },
		{ "p_offset", offsetof(Elf64_Phdr, p_offset), 8,
		  { len, len + 4096, orig->p_offset + 1, orig->p_offset + 4096 } },
		{ "p_vaddr", offsetof(Elf64_Phdr, p_vaddr), 8,
		  { 0x1000, orig->p_vaddr + 1, orig->p_vaddr + 0x800, 0x7ffffffff000,
		    0x800000000000, 0xffff800000000000 } },
		{ "p_paddr", offsetof(Elf64_Phdr, p_paddr), 8, { 0 } },
		{ "p_filesz", offsetof(Elf64_Phdr, p_filesz), 8,
		  { orig->p_memsz + 1, len } },
		{ "p_memsz", offsetof(Elf64_Phdr, p_memsz), 8,
		  { orig->p_filesz - 1, 1ull << 40, 0x7ffffffff000 - orig->p_vaddr,
		    0x800000000000 - orig->p_vaddr } },
		{ "p_align", offsetof(Elf64_Phdr, p_align), 8, { 3, 0x200000, 1ull << 40 } },
	};
	char name[48];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(name, sizeof(name), "phdr %d %s", n, f[i].name);
		try_poke(base + f[i].off, f[i].size, 0, name);
		try_poke(base + f[i].off, f[i].size, 1, name);
		try_poke(base + f[i].off, f[i].size, MAXV(f[i].size), name);
		for (int k = 0; k < 8 && f[i].v[k]; k++)
			try_poke(base + f[i].off, f[i].size, f[i].v[k], name);
	}
}

/* Layouts no single field makes: overlaps, order, counts, tables moved. */
static void corpus_layout(const Elf64_Ehdr *eh)
{
	const size_t ph = sizeof(Elf64_Phdr);
	size_t loads[8];	/* file offsets of the PT_LOAD entries */
	Elf64_Phdr *t;
	Elf64_Ehdr *e;
	int nload = 0;

	for (int i = 0; i < eh->e_phnum && nload < 8; i++) {
		t = (Elf64_Phdr *)(image + eh->e_phoff + i * ph);
		if (t->p_type == PT_LOAD)
			loads[nload++] = eh->e_phoff + i * ph;
	}
#define PH(k)	((Elf64_Phdr *)(mutant + loads[k]))
	if (nload < 2)
		return;
	fresh();
	PH(1)->p_vaddr = PH(0)->p_vaddr;
	PH(1)->p_offset = PH(0)->p_offset;
	try_mutant(mutant, image_len, "two segments at one address");
	fresh();
	PH(1)->p_vaddr = PH(0)->p_vaddr + 0x10;
	PH(1)->p_offset = PH(0)->p_offset + 0x10;
	try_mutant(mutant, image_len, "a segment inside another");
	fresh();
	memcpy(mutant + loads[0], image + loads[1], ph);
	memcpy(mutant + loads[1], image + loads[0], ph);
	try_mutant(mutant, image_len, "segments out of order");
	fresh();
	for (int k = 0; k < nload; k++)
		PH(k)->p_type = PT_NULL;
	try_mutant(mutant, image_len, "no PT_LOAD");
	fresh();
	PH(nload - 1)->p_memsz = 1ull << 46;
	try_mutant(mutant, image_len, "a 64 TiB bss");
	fresh();
	PH(nload - 1)->p_memsz = 256ull << 20;
	try_mutant(mutant, image_len, "a 256 MiB bss");
	fresh();
	for (int k = 0; k < nload; k++)
		PH(k)->p_flags = PF_R | PF_W | PF_X;
	try_mutant(mutant, image_len, "every segment writable and executable");

	/* Type and header changes that keep the rest. */
	fresh();
	((Elf64_Ehdr *)mutant)->e_type = ET_DYN;
	try_mutant(mutant, image_len, "ET_EXEC layout as ET_DYN");
	fresh();
	((Elf64_Ehdr *)mutant)->e_entry = PH(0)->p_vaddr + 0x10;
	try_mutant(mutant, image_len, "entry point in a non-executable segment");
	for (int i = 0; i < eh->e_phnum; i++) {
		fresh();
		t = (Elf64_Phdr *)(mutant + eh->e_phoff + i * ph);
		if (t->p_type == PT_LOAD)
			continue;
		t->p_type = PT_INTERP;
		t->p_offset = 0;
		t->p_filesz = 8;
		try_mutant(mutant, image_len, "a PT_INTERP");
		fresh();
		t = (Elf64_Phdr *)(mutant + eh->e_phoff + i * ph);
		t->p_type = PT_GNU_STACK;
		t->p_flags = PF_R | PF_W | PF_X;
		try_mutant(mutant, image_len, "an executable-stack PT_GNU_STACK");
		break;
	}

	/* The table moved past the image, grown to n entries: the original
	 * ones, then copies of the first PT_LOAD one page apart (too many
	 * loads past ELF_MAX_SEGMENTS), or PT_NULL padding. */
	for (int variant = 0; variant < 4; variant++) {
		static const int counts[] = { 17, 32, 64, 64 };
		int n = counts[variant], kind = variant == 3;
		size_t off = (image_len + 7) & ~7ul;

		fresh();
		memset(mutant + image_len, 0, MUTANT_EXTRA);
		e = (Elf64_Ehdr *)mutant;
		memcpy(mutant + off, image + eh->e_phoff, eh->e_phnum * ph);
		for (int k = eh->e_phnum; k < n; k++) {
			t = (Elf64_Phdr *)(mutant + off + k * ph);
			if (kind == 0) {
				memcpy(t, image + loads[0], ph);
				t->p_vaddr = 0x10000000 + (uint64_t)k * 0x1000;
				t->p_paddr = t->p_vaddr;
			} else {
				t->p_type = PT_NULL;
			}
		}
		e->e_phoff = off;
		e->e_phnum = n;
		try_mutant(mutant, off + n * ph, kind ? "64 program headers, PT_NULL padding" :
			   "many PT_LOADs in a moved table");
	}
#undef PH
}

static void test_malformed(void)
{
	const Elf64_Ehdr *eh;
	size_t phend;
	char line[192];
	struct timespec t0, t1;
	static const size_t cuts[] = {
		0, 1, 2, 3, 4, 5, 8, 15, 16, 17, 18, 19, 20, 24, 32, 40, 48, 56, 58, 60,
		62, 63, 64, 65, 71, 72, 100, 119, 120, 121, 127, 176, 200, 232, 288, 300,
		344, 400, 512, 1000, 4095, 4096, 4097, 4200, 4400, 8000, 12287, 12288,
		12289, 16320, 16384,
	};

	if (load_hello() || image_len < sizeof(Elf64_Ehdr)) {
		check("exec_malformed", 0, "cannot read /bin/hello");
		return;
	}
	eh = (const Elf64_Ehdr *)image;
	phend = eh->e_phoff + (size_t)eh->e_phnum * eh->e_phentsize;
	mutant = malloc(image_len + MUTANT_EXTRA);
	if (!mutant || phend > image_len || eh->e_phentsize != sizeof(Elf64_Phdr)) {
		check("exec_malformed", 0, "unexpected /bin/hello layout");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* Truncations, in the headers and at page edges. */
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]) && cuts[i] < image_len; i++) {
		snprintf(line, sizeof(line), "truncated at %zu", cuts[i]);
		try_mutant(image, cuts[i], line);
	}
	try_mutant(image, image_len / 2, "truncated at half");
	try_mutant(image, image_len - 1, "truncated by one byte");

	corpus_ehdr();
	for (int i = 0, n = 0; i < eh->e_phnum && n < 2; i++) {
		const Elf64_Phdr *p = (const Elf64_Phdr *)(image + eh->e_phoff + i * sizeof(*p));

		/* the executable PT_LOAD and the writable one */
		if (p->p_type == PT_LOAD && (p->p_flags & (PF_X | PF_W))) {
			corpus_phdr(eh, i);
			n++;
		}
	}
	corpus_layout(eh);

	/* Bit flips spread over the ELF header and the program headers,
	 * from a fixed seed so that a failure repeats. */
	uint32_t seed = 12345;
	for (int i = 0; i < 48; i++) {
		size_t off;

		seed = seed * 1103515245 + 12345;
		off = i < 16 ? (seed >> 8) % sizeof(Elf64_Ehdr) :
		      eh->e_phoff + (seed >> 8) % (phend - eh->e_phoff);
		fresh()[off] ^= 1u << ((seed >> 4) & 7);
		snprintf(line, sizeof(line), "bit %u of byte %zu flipped", (seed >> 4) & 7, off);
		try_mutant(mutant, image_len, line);
	}

	clock_gettime(CLOCK_MONOTONIC, &t1);
	unlink(MUTANT_PATH);
	free(mutant);
	snprintf(line, sizeof(line), "exec_malformed: %d files, %d surprises (clean errno %d, "
		 "ran and exited %d, killed by a signal %d, looped %d; %ld ms)",
		 tally.files, tally.surprises, tally.clean_errno, tally.exited, tally.signalled,
		 tally.timed_out, (long)((t1.tv_sec - t0.tv_sec) * 1000 +
					 (t1.tv_nsec - t0.tv_nsec) / 1000000));
	check(line, tally.files >= 200 && tally.surprises == 0,
	      "some exec of a malformed file misbehaved");
}

/* ---- compatibility ---------------------------------------------------- */

/* The re-exec'd side: every value is known in advance. Exit 0 when all
 * match, else the number of the first mismatch. */
static int compat_child(int argc, char **argv)
{
	struct utsname u;
	char buf[128];
	double x = 0;

	if (argc != 4 || strcmp(argv[1], "compat") || strcmp(argv[2], "two words") ||
	    strcmp(argv[3], ""))
		return 1;
	if (!getenv("COMPAT_A") || strcmp(getenv("COMPAT_A"), "1") ||
	    strcmp(getenv("COMPAT_B") ? getenv("COMPAT_B") : "", "x=y") || getenv("HOME"))
		return 2;
	if (uname(&u) || strcmp(u.machine, "x86_64"))
		return 3;
	if (getpid() <= 0 || getppid() <= 0)
		return 4;
	for (int i = 1; i <= 10; i++)
		x += 1.0 / i;
	snprintf(buf, sizeof(buf), "%.6f %e %g %5.2f|%-4d|%x|%lld", x, 1234.5, 0.0001,
		 -3.14159, 7, 255u, -9000000000LL);
	if (strcmp(buf, "2.928968 1.234500e+03 0.0001 -3.14|7   |ff|-9000000000"))
		return 5;
	if (strtod("6.02e23", NULL) != 6.02e23 || atoi("-42") != -42)
		return 6;
	return 0;
}

static void test_compat(char *self)
{
	char *argv[] = { self, "compat", "two words", "", NULL };
	char *envp[] = { "COMPAT_A=1", "COMPAT_B=x=y", NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve("/bin/eliftest", argv, envp);
		_exit(127);
	}
	check("compat_self_exec", pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the re-exec'd program saw unexpected argv, environment or values");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "compat"))
		return compat_child(argc, argv);
	test_malformed();
	test_compat(argv[0]);
	return failures ? 1 : 0;
}
