/* A static musl program whose output must be byte-for-byte what it prints
 * on Linux: the build runs it on the host (a Linux machine) to record the
 * expected output, and compattest runs it in the guest and compares. It
 * prints only what both kernels must agree on: arguments, environment,
 * auxiliary vector facts, errno values, file and memory behaviour. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
	struct utsname u;
	int v[] = { 42, -7, 19, 0, 3 };
	char buf[64];

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, i ? argv[i] : "(program)");
	for (char **e = environ; *e; e++)
		printf("env %s\n", *e);

	printf("pagesz=%lu\n", getauxval(AT_PAGESZ));
	printf("uid=%lu euid=%lu secure=%lu\n", getauxval(AT_UID),
	       getauxval(AT_EUID), getauxval(AT_SECURE));
	printf("random-nonnull=%d\n", getauxval(AT_RANDOM) != 0);
	uname(&u);
	printf("machine=%s\n", u.machine);

	printf("printf: [%5d] [%-5d] [%05.1f] [%x] [%o] [%e] [%s]\n",
	       42, -42, 3.14159, 255u, 8u, 12345.678, "str");
	qsort(v, 5, sizeof(v[0]), cmp_int);
	printf("qsort: %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4]);
	printf("strtod: %.3f\n", strtod("2.5e2xyz", NULL));

	int r = open("/nonexistent/x", O_RDONLY);
	printf("open missing: %d %s\n", r, strerror(errno));
	r = close(999);
	printf("close bad fd: %d %s\n", r, strerror(errno));
	r = mkdir("/tmp", 0755);
	printf("mkdir existing: %d %s\n", r, strerror(errno));

	char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap: %s zero=%d\n", p == MAP_FAILED ? "failed" : "ok", p[4096] == 0);
	memset(p, 'x', 1 << 20);
	printf("munmap: %d\n", munmap(p, 1 << 20));
	char *heap = malloc(100000);
	printf("malloc: %s\n", heap ? "ok" : "null");
	free(heap);

	int fd = open("/tmp/compat.tmp", O_CREAT | O_TRUNC | O_RDWR, 0640);
	printf("write: %zd\n", write(fd, "hello, file\n", 12));
	struct stat st;
	fstat(fd, &st);
	printf("stat: size=%lld mode=%o\n", (long long)st.st_size,
	       (unsigned)(st.st_mode & 07777));
	lseek(fd, 7, SEEK_SET);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("read: %zd %s", n, buf);
	close(fd);
	unlink("/tmp/compat.tmp");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	int status;
	waitpid(pid, &status, 0);
	printf("child: exited=%d code=%d\n", WIFEXITED(status), WEXITSTATUS(status));
	return 3;
}
