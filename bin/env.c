/* env: print the environment, or run a command in a changed one:
 * env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG...]]. The command is
 * looked up in PATH (of the new environment, else /bin). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static char **env;
static size_t nenv;

static void usage(void)
{
	fprintf(stderr, "usage: env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG...]]\n");
	exit(125);
}

/* Index of NAME in env (matching up to '=' or the end), or nenv. */
static size_t find(const char *name)
{
	size_t len = strcspn(name, "=");

	for (size_t i = 0; i < nenv; i++)
		if (!strncmp(env[i], name, len) && (env[i][len] == '=' || !env[i][len]))
			return i;
	return nenv;
}

static void unset(const char *name)
{
	size_t i = find(name);

	if (i < nenv)
		env[i] = env[--nenv];
}

/* Run file with PATH search as execvp would; returns only on failure. */
static void run(char **argv)
{
	size_t i = find("PATH");
	const char *path = i < nenv ? env[i] + 5 : "/bin:/usr/bin";
	char buf[4096];
	int err = ENOENT;

	env[nenv] = NULL;
	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, env);
		return;
	}
	for (;;) {
		size_t len = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)len, path, len ? "/" : "", argv[0]);
		execve(buf, argv, env);
		if (errno != ENOENT)
			err = errno;
		if (!path[len])
			break;
		path += len + 1;
	}
	errno = err;
}

int main(int argc, char **argv)
{
	int c, i;
	size_t n = 0;

	while (environ[n])
		n++;
	env = malloc((n + argc + 1) * sizeof(*env));
	if (!env)
		return 125;
	memcpy(env, environ, n * sizeof(*env));
	nenv = n;
	while ((c = getopt(argc, argv, "iu:")) != -1) {
		if (c == 'i')
			nenv = 0;
		else if (c == 'u')
			unset(optarg);
		else
			usage();
	}
	i = optind;
	if (i < argc && !strcmp(argv[i], "-")) {
		nenv = 0;
		i++;
	}
	for (; i < argc && strchr(argv[i], '='); i++) {
		unset(argv[i]);
		env[nenv++] = argv[i];
	}
	if (i == argc) {
		for (size_t k = 0; k < nenv; k++)
			puts(env[k]);
		return 0;
	}
	run(argv + i);
	fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
