/* In-guest test of libc/, built with libc itself (not musl). One
 * "PASS/FAIL guest/libc_<name>" line per check; exit status 0 when all
 * passed. Checks that need /bin/sh or /etc/passwd skip when those are
 * missing (a SKIP line, counted as neither). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("PASS guest/libc_%s\n", name);
	} else {
		printf("FAIL guest/libc_%s: %s (errno %d)\n", name, why, errno);
		failures++;
	}
	fflush(stdout);
}

static void test_printf(void)
{
	char b[128];
	int ok = 1;

	snprintf(b, sizeof(b), "%d|%5s|%-4x|%08.3f|%e|%g", -42, "ab", 255, 3.14159, 12345.678, 0.0001);
	ok &= !strcmp(b, "-42|   ab|ff  |0003.142|1.234568e+04|0.0001");
	snprintf(b, sizeof(b), "%lld %lu %#o %+d %c %%", -9000000000LL, 18446744073709551615UL, 8, 5, 'z');
	ok &= !strcmp(b, "-9000000000 18446744073709551615 010 +5 z %");
	volatile size_t four = 4;
	ok &= snprintf(b, four, "%s", "hello") == 5 && !strcmp(b, "hel");
	snprintf(b, sizeof(b), "%.2f %.0f %.3g %G", 2.675, 2.5, 1234567.0, 1e-10);
	ok &= !strcmp(b, "2.67 2 1.23e+06 1E-10");
	check("printf", ok, b);
}

static void test_malloc(void)
{
	enum { N = 400 };
	static unsigned char *p[N];
	static size_t sz[N];
	int ok = 1;

	srand(7);
	for (int round = 0; round < 6000 && ok; round++) {
		int i = rand() % N;
		if (p[i]) {
			for (size_t k = 0; k < sz[i]; k++)
				if (p[i][k] != (unsigned char)(i + k))
					ok = 0;
			if (rand() % 2) {
				size_t ns = (size_t)(rand() % 3000) + 1;
				unsigned char *q = realloc(p[i], ns);
				if (!q) { ok = 0; break; }
				size_t keep = ns < sz[i] ? ns : sz[i];
				for (size_t k = 0; k < keep; k++)
					if (q[k] != (unsigned char)(i + k))
						ok = 0;
				p[i] = q;
				sz[i] = ns;
				for (size_t k = 0; k < ns; k++)
					q[k] = (unsigned char)(i + k);
				continue;
			}
			free(p[i]);
			p[i] = NULL;
			continue;
		}
		sz[i] = (size_t)(rand() % 5 == 0 ? rand() % 200000 : rand() % 500) + 1;
		p[i] = rand() % 3 ? malloc(sz[i]) : calloc(1, sz[i]);
		if (!p[i]) { ok = 0; break; }
		if (((unsigned long)p[i] & 15) != 0)
			ok = 0;
		for (size_t k = 0; k < sz[i]; k++)
			p[i][k] = (unsigned char)(i + k);
	}
	for (int i = 0; i < N; i++)
		free(p[i]);
	int *z = calloc(1000, sizeof(int));
	for (int i = 0; i < 1000 && z; i++)
		if (z[i])
			ok = 0;
	free(z);
	void *a = malloc(100);
	free(a);
	void *b2 = malloc(100);
	ok &= a == b2;		/* reuse of the same class */
	free(b2);
	void *al = aligned_alloc(4096, 100);
	ok &= al && ((unsigned long)al & 4095) == 0;
	free(al);
	check("malloc", ok, "malloc stress mismatch");
}

static void test_stdio(void)
{
	const char *path = "/tmp/libctest.txt";
	FILE *f = fopen(path, "w+");
	char buf[64], *line = NULL;
	size_t cap = 0;
	int ok = f != NULL;

	if (!f) {
		check("stdio", 0, "fopen");
		return;
	}
	fprintf(f, "line one\nline %d\n", 2);
	fwrite("third\n", 1, 6, f);
	ok &= fseek(f, 0, SEEK_SET) == 0;
	ok &= fgets(buf, sizeof(buf), f) && !strcmp(buf, "line one\n");
	ok &= getline(&line, &cap, f) == 7 && !strcmp(line, "line 2\n");
	ok &= ftell(f) == 16;
	ok &= fgetc(f) == 't' && ungetc('T', f) == 'T' && fgetc(f) == 'T';
	ok &= fread(buf, 1, 10, f) == 5 && !memcmp(buf, "hird\n", 5);
	ok &= fgetc(f) == EOF && feof(f);
	ok &= fclose(f) == 0;
	f = fopen(path, "a");
	ok &= f && fputs("more\n", f) >= 0 && fclose(f) == 0;
	struct stat st;
	ok &= stat(path, &st) == 0 && st.st_size == 27;
	f = fopen("/nonexistent/x", "r");
	ok &= !f && errno == ENOENT;
	free(line);
	unlink(path);
	check("stdio", ok, "file round trip");
}

static void test_env(void)
{
	int ok = setenv("LIBCTEST_A", "one", 1) == 0 && !strcmp(getenv("LIBCTEST_A"), "one");
	ok &= setenv("LIBCTEST_A", "two", 0) == 0 && !strcmp(getenv("LIBCTEST_A"), "one");
	ok &= setenv("LIBCTEST_A", "three", 1) == 0 && !strcmp(getenv("LIBCTEST_A"), "three");
	ok &= putenv("LIBCTEST_B=bee") == 0 && !strcmp(getenv("LIBCTEST_B"), "bee");
	ok &= unsetenv("LIBCTEST_A") == 0 && getenv("LIBCTEST_A") == NULL;
	ok &= setenv("BAD=NAME", "x", 1) == -1 && errno == EINVAL;
	check("environ", ok, "setenv/getenv/unsetenv");
}

static void test_getopt(void)
{
	char *argv[] = { "prog", "-a", "-bval", "-c", "cval", "-x", "file", NULL };
	int argc = 7, c, a = 0, ok = 1;
	char *bv = NULL, *cv = NULL;

	opterr = 0;
	optind = 1;
	while ((c = getopt(argc, argv, "ab:c:")) != -1) {
		if (c == 'a') a = 1;
		else if (c == 'b') bv = optarg;
		else if (c == 'c') cv = optarg;
		else if (c == '?') ok &= optopt == 'x';
	}
	ok &= a && bv && !strcmp(bv, "val") && cv && !strcmp(cv, "cval");
	ok &= optind == 6 && !strcmp(argv[optind], "file");
	check("getopt", ok, "option parsing");
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void test_qsort(void)
{
	int v[1000], ok = 1;

	for (int i = 0; i < 1000; i++)
		v[i] = (i * 7919) % 1000;
	qsort(v, 1000, sizeof(int), cmp_int);
	for (int i = 0; i < 1000; i++)
		ok &= v[i] == i;
	int key = 637;
	int *found = bsearch(&key, v, 1000, sizeof(int), cmp_int);
	ok &= found && *found == 637;
	key = 5000;
	ok &= bsearch(&key, v, 1000, sizeof(int), cmp_int) == NULL;
	check("qsort", ok, "sorted order");
}

static void test_strtol(void)
{
	char *end;
	int ok = strtol("  -123xyz", &end, 10) == -123 && *end == 'x';
	ok &= strtol("0x1f", NULL, 0) == 31 && strtol("017", NULL, 0) == 15;
	ok &= strtoul("ffff", NULL, 16) == 65535;
	errno = 0;
	ok &= strtol("99999999999999999999", NULL, 10) == LONG_MAX && errno == ERANGE;
	ok &= atoi("42") == 42;
	double d = strtod("3.25e2", &end);
	ok &= d == 325.0 && *end == 0;
	check("strtol", ok, "conversions");
}

static void test_time(void)
{
	time_t t = time(NULL);
	struct timespec a, b, req = { 0, 20 * 1000 * 1000 };
	struct tm tm;
	char buf[64];
	int ok = t > 0;

	ok &= clock_gettime(CLOCK_MONOTONIC, &a) == 0;
	ok &= nanosleep(&req, NULL) == 0;
	ok &= clock_gettime(CLOCK_MONOTONIC, &b) == 0;
	long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
	ok &= ns >= 10 * 1000 * 1000;
	time_t fixed = 951782400 + 3661;	/* 2000-02-29 01:01:01 */
	gmtime_r(&fixed, &tm);
	ok &= tm.tm_year == 100 && tm.tm_mon == 1 && tm.tm_mday == 29 && tm.tm_hour == 1;
	ok &= strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %a", &tm) > 0 &&
	      !strcmp(buf, "2000-02-29 01:01:01 Tue");
	ok &= mktime(&tm) == fixed;
	check("time", ok, buf);
}

static jmp_buf jb;

static volatile int jump_depth;

static void jump_deep(void (*self)(void))
{
	if (jump_depth-- <= 0)
		longjmp(jb, 7);
	((void (*)(void (*)(void)))self)(self);
	jump_depth++;
}

static sigjmp_buf sjb;
/* The pointee is volatile too: the faulting store must stay before
 * "ok = 0", which a plain store could be moved after. */
static volatile int *volatile bad_ptr = (int *)8;
static volatile sig_atomic_t got_sig;

static void on_segv(int sig)
{
	got_sig = sig;
	siglongjmp(sjb, 1);
}

static void on_usr1(int sig)
{
	got_sig = sig;
}

static void test_setjmp(void)
{
	volatile int count = 0;
	int r = setjmp(jb);

	count++;
	if (r == 0)
		jump_depth = 10, jump_deep((void (*)(void))jump_deep);
	check("setjmp", r == 7 && count == 2, "longjmp value");
}

static void test_signals(void)
{
	struct sigaction sa;
	sigset_t set;
	volatile int ok;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigemptyset(&sa.sa_mask);
	ok = sigaction(SIGSEGV, &sa, NULL) == 0;
	if (sigsetjmp(sjb, 1) == 0) {
		*bad_ptr = 1;
		ok = 0;
	}
	ok &= got_sig == SIGSEGV;
	check("siglongjmp_segv_once", ok, "first SIGSEGV");
	/* the mask was restored: SIGSEGV is not left blocked */
	sigprocmask(SIG_BLOCK, NULL, &set);
	check("siglongjmp_mask", !sigismember(&set, SIGSEGV), "SIGSEGV left blocked");
	got_sig = 0;
	if (sigsetjmp(sjb, 1) == 0) {
		*bad_ptr = 1;
		ok = 0;
	}
	ok &= got_sig == SIGSEGV;
	check("siglongjmp_segv", ok, "recover from SIGSEGV twice");

	got_sig = 0;
	ok = signal(SIGUSR1, on_usr1) != SIG_ERR && raise(SIGUSR1) == 0 && got_sig == SIGUSR1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	got_sig = 0;
	ok &= sigprocmask(SIG_BLOCK, &set, NULL) == 0;
	raise(SIGUSR1);
	ok &= got_sig == 0;
	sigset_t pend;
	ok &= sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1);
	ok &= sigprocmask(SIG_UNBLOCK, &set, NULL) == 0 && got_sig == SIGUSR1;
	ok &= kill(getpid(), 0) == 0;
	check("signal_raise", ok, "signal/sigprocmask/raise");
}

static void test_system(void)
{
	if (access("/bin/sh", X_OK) != 0) {
		printf("SKIP guest/libc_system: no /bin/sh\n");
		return;
	}
	int st = system("exit 3");
	check("system", WIFEXITED(st) && WEXITSTATUS(st) == 3, "system exit status");
}

static void test_fork_exec(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		char *argv[] = { "libctest", "--child", NULL };
		execv("/bin/libctest", argv);
		_exit(99);
	}
	check("fork_exec_wait", pid > 0 && waitpid(pid, &st, 0) == pid &&
	      WIFEXITED(st) && WEXITSTATUS(st) == 5, "child status");
}

static void test_dirent(void)
{
	DIR *d = opendir("/bin");
	struct dirent *e;
	int found = 0, n = 0;

	if (d) {
		while ((e = readdir(d))) {
			n++;
			if (!strcmp(e->d_name, "libctest"))
				found = 1;
		}
		closedir(d);
	}
	check("dirent", d && found && n > 1, "libctest in /bin");
}

static void test_passwd(void)
{
	if (access("/etc/passwd", R_OK) != 0) {
		printf("SKIP guest/libc_getpwnam: no /etc/passwd\n");
		return;
	}
	struct passwd *pw = getpwnam("root");
	check("getpwnam", pw && pw->pw_uid == 0 && !strcmp(pw->pw_name, "root"), "root entry");
}

static void test_errno(void)
{
	int ok = open("/no/such/file", O_RDONLY) == -1 && errno == ENOENT;

	ok &= !strcmp(strerror(ENOENT), "No such file or directory");
	ok &= !strcmp(strerror(EINVAL), "Invalid argument");
	ok &= close(-1) == -1 && errno == EBADF;
	check("errno", ok, "errno/strerror");
}

static void test_shm_names(void)
{
	char name[258];
	int ok = shm_open("/a/b", O_RDWR | O_CREAT, 0600) == -1 && errno == EINVAL;

	name[0] = '/';
	memset(name + 1, 'n', 256);
	name[257] = 0;
	ok &= shm_open(name, O_RDWR | O_CREAT, 0600) == -1 && errno == ENAMETOOLONG;
	ok &= shm_unlink("/a/b") == -1 && errno == EINVAL;
	check("shm_open_names", ok, "name checks");
}

/* atexit order: registered a, b, c, run c, b, a; the child prints
 * "cba" to a pipe. */
static int atexit_fd;
static void ax_a(void) { write(atexit_fd, "a", 1); }
static void ax_b(void) { write(atexit_fd, "b", 1); }
static void ax_c(void) { write(atexit_fd, "c", 1); }

static void test_atexit(void)
{
	int fds[2], st;
	char buf[8] = { 0 };

	if (pipe(fds) < 0) {
		check("atexit", 0, "pipe");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		atexit_fd = fds[1];
		atexit(ax_a);
		atexit(ax_b);
		atexit(ax_c);
		exit(0);
	}
	close(fds[1]);
	ssize_t n = 0, r;
	while ((r = read(fds[0], buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fds[0]);
	waitpid(pid, &st, 0);
	check("atexit", !strcmp(buf, "cba"), buf);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--child"))
		return 5;
	test_printf();
	test_malloc();
	test_stdio();
	test_env();
	test_getopt();
	test_qsort();
	test_strtol();
	test_time();
	test_setjmp();
	test_signals();
	test_system();
	test_fork_exec();
	test_dirent();
	test_passwd();
	test_errno();
	test_shm_names();
	test_atexit();
	return failures ? 1 : 0;
}
