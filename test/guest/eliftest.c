/* exec of malformed ELF files made at run time from /bin/hello: bit flips
 * in the ELF and program headers, truncations, extreme e_phnum/e_phoff.
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
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("PASS guest/%s\n", name);
	} else {
		printf("FAIL guest/%s: %s (errno %d)\n", name, why, errno);
		failures++;
	}
	fflush(stdout);
}

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

/*
 * exec path in a child. Acceptable outcomes: exec failed with one of the
 * clean errno values (the child reports it as exit code 100 + errno), the
 * program ran and exited, or it died by a signal. Returns 1 for anything
 * else (a surprise).
 */
static int try_exec(const char *path, const char *what)
{
	char *argv[] = { "mutant", NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);	/* a mutant that runs may print */
		dup2(fd, 2);
		execv(path, argv);
		_exit(100 + errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("exec_malformed: %s: fork/wait failed\n", what);
		return 1;
	}
	if (WIFSIGNALED(status))
		return 0;
	if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);

		if (code < 100)
			return 0;	/* it ran */
		code -= 100;
		if (code == ENOEXEC || code == EINVAL || code == ENOMEM ||
		    code == EFAULT || code == E2BIG || code == EACCES || code == EIO)
			return 0;
		printf("exec_malformed: %s: errno %d\n", what, code);
		return 1;
	}
	printf("exec_malformed: %s: status %#x\n", what, status);
	return 1;
}

static void test_malformed(void)
{
	const char *path = "/tmp/mutant";
	unsigned char *m;
	Elf64_Ehdr *eh;
	size_t phend;
	int files = 0, surprises = 0;
	char line[96];
	static const size_t cuts[] = { 0, 1, 4, 16, 63, 64, 65, 100, 120, 176, 200,
				       232, 300, 512, 1000, 4095, 4096, 4097 };
	static const struct { size_t off; uint64_t val; int size; } pokes[] = {
		{ offsetof(Elf64_Ehdr, e_phnum), 0, 2 },
		{ offsetof(Elf64_Ehdr, e_phnum), 0xFFFF, 2 },
		{ offsetof(Elf64_Ehdr, e_phnum), 100, 2 },
		{ offsetof(Elf64_Ehdr, e_phoff), 0, 8 },
		{ offsetof(Elf64_Ehdr, e_phoff), 0xFFFFFFFFFFFFFFF0ull, 8 },
		{ offsetof(Elf64_Ehdr, e_phoff), 0x7FFFFFFF, 8 },
		{ offsetof(Elf64_Ehdr, e_phentsize), 1, 2 },
		{ offsetof(Elf64_Ehdr, e_phentsize), 0xFFFF, 2 },
		{ offsetof(Elf64_Ehdr, e_entry), 0, 8 },
		{ offsetof(Elf64_Ehdr, e_entry), 0xffff800000000000ull, 8 },
		{ offsetof(Elf64_Ehdr, e_type), ET_REL, 2 },
		{ offsetof(Elf64_Ehdr, e_machine), 3, 2 },
		{ EI_CLASS, ELFCLASS32, 1 },
		{ EI_DATA, ELFDATA2MSB, 1 },
	};

	if (load_hello() || image_len < sizeof(Elf64_Ehdr)) {
		check("exec_malformed", 0, "cannot read /bin/hello");
		return;
	}
	m = malloc(image_len);
	eh = (Elf64_Ehdr *)image;
	phend = eh->e_phoff + (size_t)eh->e_phnum * eh->e_phentsize;
	if (!m || phend > image_len) {
		check("exec_malformed", 0, "unexpected /bin/hello layout");
		return;
	}

	/* Truncations. */
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		if (cuts[i] >= image_len)
			continue;
		snprintf(line, sizeof(line), "truncated at %zu", cuts[i]);
		files++;
		surprises += write_exe(path, image, cuts[i]) || try_exec(path, line);
	}
	/* Field pokes. */
	for (size_t i = 0; i < sizeof(pokes) / sizeof(pokes[0]); i++) {
		memcpy(m, image, image_len);
		memcpy(m + pokes[i].off, &pokes[i].val, pokes[i].size);
		snprintf(line, sizeof(line), "header byte %zu set to %#llx",
			 pokes[i].off, (unsigned long long)pokes[i].val);
		files++;
		surprises += write_exe(path, m, image_len) || try_exec(path, line);
	}
	/* Bit flips spread over the ELF header and the program headers,
	 * from a fixed seed so that a failure repeats. */
	uint32_t seed = 12345;
	for (int i = 0; i < 24; i++) {
		size_t off;

		seed = seed * 1103515245 + 12345;
		off = i < 8 ? (seed >> 8) % sizeof(Elf64_Ehdr) :
		      eh->e_phoff + (seed >> 8) % (phend - eh->e_phoff);
		memcpy(m, image, image_len);
		m[off] ^= 1u << ((seed >> 4) & 7);
		snprintf(line, sizeof(line), "bit %u of byte %zu flipped",
			 (seed >> 4) & 7, off);
		files++;
		surprises += write_exe(path, m, image_len) || try_exec(path, line);
	}
	/* Every program header with absurd sizes and addresses. */
	for (int k = 0; k < 4; k++) {
		memcpy(m, image, image_len);
		for (int i = 0; i < eh->e_phnum; i++) {
			Elf64_Phdr *ph = (Elf64_Phdr *)(m + eh->e_phoff + i * eh->e_phentsize);

			if (k == 0) ph->p_memsz = ~0ull;
			if (k == 1) ph->p_filesz = ph->p_memsz + 1;
			if (k == 2) ph->p_vaddr = 0xffff800000000000ull;
			if (k == 3) ph->p_offset = ~0ull - 10;
		}
		snprintf(line, sizeof(line), "program headers, variant %d", k);
		files++;
		surprises += write_exe(path, m, image_len) || try_exec(path, line);
	}
	unlink(path);
	free(m);
	snprintf(line, sizeof(line), "exec_malformed: %d files, %d surprises", files, surprises);
	check(line, files >= 30 && surprises == 0, "some exec of a malformed file misbehaved");
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
