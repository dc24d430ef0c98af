/* The rest of unistd.h and friends: the exec family with PATH search,
 * getcwd, gethostname, sysconf, realpath, basename/dirname, setlocale,
 * shm_open/shm_unlink over /dev/shm. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "internal.h"

extern unsigned long __auxv_pagesz;

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	char buf[PATH_MAX];
	int saw_eacces = 0;

	if (!*file) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return execve(file, argv, envp);
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	size_t fl = strlen(file);
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		size_t dl = (size_t)(end - p);
		if (dl + fl + 2 <= sizeof(buf)) {
			memcpy(buf, p, dl);
			if (dl == 0)
				buf[dl++] = '.';
			buf[dl] = '/';
			memcpy(buf + dl + 1, file, fl + 1);
			execve(buf, argv, envp);
			if (errno == EACCES)
				saw_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		if (!*end)
			break;
		p = end;
	}
	errno = saw_eacces ? EACCES : ENOENT;
	return -1;
}

int execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

/* Gathers the NULL-terminated list after arg into argv (at most 255),
 * then, for execle, the environment pointer after it. */
#define EXECL_MAX 256
#define COLLECT(arg, argv, ap)						\
	do {								\
		int _n = 0;						\
		argv[_n++] = (char *)arg;				\
		while (_n < EXECL_MAX && (argv[_n] = va_arg(ap, char *)))	\
			_n++;						\
		if (_n == EXECL_MAX) {					\
			va_end(ap);					\
			errno = E2BIG;					\
			return -1;					\
		}							\
	} while (0)

int execl(const char *path, const char *arg, ...)
{
	char *argv[EXECL_MAX];
	va_list ap;

	va_start(ap, arg);
	COLLECT(arg, argv, ap);
	va_end(ap);
	return execve(path, argv, environ);
}

int execlp(const char *file, const char *arg, ...)
{
	char *argv[EXECL_MAX];
	va_list ap;

	va_start(ap, arg);
	COLLECT(arg, argv, ap);
	va_end(ap);
	return execvp(file, argv);
}

int execle(const char *path, const char *arg, ...)
{
	char *argv[EXECL_MAX];
	char **envp;
	va_list ap;

	va_start(ap, arg);
	COLLECT(arg, argv, ap);
	envp = va_arg(ap, char **);
	va_end(ap);
	return execve(path, argv, envp);
}

char *getcwd(char *buf, size_t size)
{
	char tmp[PATH_MAX];

	if (!buf) {
		long r = __sc2(__NR_getcwd, tmp, sizeof(tmp));
		if (r < 0) {
			__syscall_ret(r);
			return NULL;
		}
		buf = strdup(tmp);
		if (!buf)
			errno = ENOMEM;
		return buf;
	}
	if (size == 0) {
		errno = EINVAL;
		return NULL;
	}
	long r = __sc2(__NR_getcwd, buf, size);
	if (r < 0) {
		__syscall_ret(r);
		return NULL;
	}
	return buf;
}

int gethostname(char *name, size_t len)
{
	struct utsname u;

	if (uname(&u) < 0)
		return -1;
	size_t n = strlen(u.nodename);
	if (n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(name, u.nodename, n + 1);
	return 0;
}

int getpagesize(void)
{
	return (int)__auxv_pagesz;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE: return (long)__auxv_pagesz;
	case _SC_CLK_TCK: return 100;
	case _SC_ARG_MAX: return ARG_MAX;
	case _SC_CHILD_MAX: return 1024;
	case _SC_OPEN_MAX: return OPEN_MAX;
	case _SC_NGROUPS_MAX: return 65536;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN: return 1;
	case _SC_HOST_NAME_MAX: return HOST_NAME_MAX;
	case _SC_LINE_MAX: return LINE_MAX;
	case _SC_PHYS_PAGES: return 131072;
	}
	errno = EINVAL;
	return -1;
}

long pathconf(const char *path, int name)
{
	(void)path;
	if (name == _PC_NAME_MAX)
		return NAME_MAX;
	if (name == _PC_PATH_MAX)
		return PATH_MAX;
	errno = EINVAL;
	return -1;
}

char *getlogin(void)
{
	char *u = getenv("LOGNAME");

	return u ? u : getenv("USER");
}

/* Resolves path component by component, following symbolic links (at
 * most 40), into an absolute path without ".", ".." or "//". */
char *realpath(const char *restrict path, char *restrict resolved)
{
	char out[PATH_MAX], rest[PATH_MAX], link[PATH_MAX];
	size_t ol = 0;
	int links = 0;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	if (!*path) {
		errno = ENOENT;
		return NULL;
	}
	if (strlen(path) >= sizeof(rest)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(rest, path);
	if (rest[0] != '/') {
		if (!getcwd(out, sizeof(out)))
			return NULL;
		ol = strlen(out);
		if (ol == 1)
			ol = 0;
	}
	char *p = rest;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end = strchrnul(p, '/');
		size_t cl = (size_t)(end - p);
		if (cl == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			while (ol > 0 && out[--ol] != '/')
				;
			p = end;
			continue;
		}
		if (ol + 1 + cl >= sizeof(out)) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		out[ol] = '/';
		memcpy(out + ol + 1, p, cl);
		out[ol + 1 + cl] = 0;
		struct stat st;
		if (lstat(out, &st) < 0)
			return NULL;
		if (S_ISLNK(st.st_mode)) {
			if (++links > 40) {
				errno = ELOOP;
				return NULL;
			}
			ssize_t n = readlink(out, link, sizeof(link) - 1);
			if (n < 0)
				return NULL;
			link[n] = 0;
			if (strlen(end) + (size_t)n + 2 >= sizeof(rest)) {
				errno = ENAMETOOLONG;
				return NULL;
			}
			char tail[PATH_MAX];
			strcpy(tail, end);
			snprintf(rest, sizeof(rest), "%s%s", link, tail);
			p = rest;
			if (link[0] == '/')
				ol = 0;
			continue;
		}
		if (*end && !S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return NULL;
		}
		ol += 1 + cl;
		p = end;
	}
	if (ol == 0)
		out[ol++] = '/';
	out[ol] = 0;
	if (!resolved)
		return strdup(out);
	strcpy(resolved, out);
	return resolved;
}

char *basename(char *path)
{
	static char dot[] = ".";

	if (!path || !*path)
		return dot;
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = 0;
	char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

char *dirname(char *path)
{
	static char dot[] = ".";

	if (!path || !*path)
		return dot;
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	if (n == 0)
		return dot;
	while (n > 1 && path[n - 1] == '/')
		n--;
	path[n] = 0;
	return path;
}

char *setlocale(int cat, const char *name)
{
	static char c_locale[] = "C";

	(void)cat;
	if (!name || !*name || !strcmp(name, "C") || !strcmp(name, "POSIX"))
		return c_locale;
	return NULL;
}

/* POSIX shared memory: "/name" (one component, no further '/') maps to
 * /dev/shm/name. */
static int shm_path(const char *name, char *buf)
{
	while (*name == '/')
		name++;
	size_t n = strlen(name);
	if (n == 0 || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		errno = EINVAL;
		return -1;
	}
	if (n > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, "/dev/shm/", 9);
	memcpy(buf + 9, name, n + 1);
	return 0;
}

int shm_open(const char *name, int flags, mode_t mode)
{
	char path[16 + NAME_MAX];

	if (shm_path(name, path) < 0)
		return -1;
	return open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode);
}

int shm_unlink(const char *name)
{
	char path[16 + NAME_MAX];

	if (shm_path(name, path) < 0)
		return -1;
	return unlink(path);
}
