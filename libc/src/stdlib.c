/* The rest of stdlib.h: the environment, system, rand, abs/div. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* environ starts as the kernel's array; the first change copies it to
 * the heap (env_owned), and strings set by setenv are malloc'ed. */
static int env_owned;

static char **env_find(const char *name, size_t len)
{
	if (!environ)
		return NULL;
	for (char **e = environ; *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return e;
	return NULL;
}

char *getenv(const char *name)
{
	size_t len = strlen(name);
	char **e = env_find(name, len);

	return e ? *e + len + 1 : NULL;
}

static int env_count(void)
{
	int n = 0;

	while (environ && environ[n])
		n++;
	return n;
}

/* Adds or replaces the "name=value" entry s (not copied). */
static int env_put(char *s, size_t namelen)
{
	char **e = env_find(s, namelen);

	if (e) {
		*e = s;
		return 0;
	}
	int n = env_count();
	char **ne;
	if (env_owned) {
		ne = realloc(environ, (size_t)(n + 2) * sizeof(char *));
	} else {
		ne = malloc((size_t)(n + 2) * sizeof(char *));
		if (ne && n)
			memcpy(ne, environ, (size_t)n * sizeof(char *));
	}
	if (!ne)
		return -1;
	ne[n] = s;
	ne[n + 1] = NULL;
	environ = ne;
	env_owned = 1;
	return 0;
}

static int bad_name(const char *name)
{
	if (!name || !*name || strchr(name, '=')) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (bad_name(name))
		return -1;
	if (!overwrite && getenv(name))
		return 0;
	size_t nl = strlen(name), vl = strlen(value);
	char *s = malloc(nl + vl + 2);
	if (!s)
		return -1;
	memcpy(s, name, nl);
	s[nl] = '=';
	memcpy(s + nl + 1, value, vl + 1);
	if (env_put(s, nl) < 0) {
		free(s);
		return -1;
	}
	return 0;
}

int putenv(char *string)
{
	char *eq = strchr(string, '=');

	if (!eq)
		return unsetenv(string);
	return env_put(string, (size_t)(eq - string));
}

int unsetenv(const char *name)
{
	if (bad_name(name))
		return -1;
	size_t len = strlen(name);
	char **e;
	while ((e = env_find(name, len))) {
		do
			e[0] = e[1];
		while (*e++);
	}
	return 0;
}

int clearenv(void)
{
	if (env_owned)
		free(environ);
	environ = NULL;
	env_owned = 0;
	return 0;
}

/* system: /bin/sh -c cmd, with SIGINT and SIGQUIT ignored and SIGCHLD
 * blocked in the caller while it waits. */
int system(const char *cmd)
{
	struct sigaction ign, old_int, old_quit;
	sigset_t block = 1ul << (SIGCHLD - 1), old_mask;
	int status = -1;

	if (!cmd)
		return access("/bin/sh", X_OK) == 0;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				status = -1;
				break;
			}
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return status;
}

static unsigned long long rand_state = 1;

int rand(void)
{
	rand_state = rand_state * 6364136223846793005ull + 1442695040888963407ull;
	return (int)(rand_state >> 33);
}

void srand(unsigned seed) { rand_state = seed; }
long random(void) { return rand(); }
void srandom(unsigned seed) { srand(seed); }

int rand_r(unsigned *seed)
{
	unsigned long long s = *seed;

	s = s * 6364136223846793005ull + 1442695040888963407ull;
	*seed = (unsigned)s;
	return (int)((s >> 33) & 0x7fffffff);
}

int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }
div_t div(int a, int b) { return (div_t){ a / b, a % b }; }
ldiv_t ldiv(long a, long b) { return (ldiv_t){ a / b, a % b }; }
lldiv_t lldiv(long long a, long long b) { return (lldiv_t){ a / b, a % b }; }

static int fill_template(char *tmpl)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t n = strlen(tmpl);
	static unsigned counter;

	if (n < 6 || strcmp(tmpl + n - 6, "XXXXXX")) {
		errno = EINVAL;
		return -1;
	}
	unsigned long long v = (unsigned long long)getpid() * 2654435761u + counter++ * 7919u;
	for (int i = 0; i < 6; i++) {
		tmpl[n - 6 + i] = set[v % 62];
		v = v / 62 + (unsigned)rand();
	}
	return 0;
}

int mkstemp(char *tmpl)
{
	for (int tries = 0; tries < 100; tries++) {
		if (fill_template(tmpl) < 0)
			return -1;
		int fd = open(tmpl, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
		memcpy(tmpl + strlen(tmpl) - 6, "XXXXXX", 6);
	}
	return -1;
}

char *mkdtemp(char *tmpl)
{
	for (int tries = 0; tries < 100; tries++) {
		if (fill_template(tmpl) < 0)
			return NULL;
		if (mkdir(tmpl, 0700) == 0)
			return tmpl;
		if (errno != EEXIST)
			return NULL;
		memcpy(tmpl + strlen(tmpl) - 6, "XXXXXX", 6);
	}
	return NULL;
}
