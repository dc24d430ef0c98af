/* What the guest tests share: check() and its PASS/FAIL line, the failure
 * count, ERR and in_child. Each test is one translation unit, so all static. */
#ifndef GUEST_H
#define GUEST_H

#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

/* One line per check; the harness reads them, so the format is fixed. */
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

/* expr failed with exactly err. */
#define ERR(expr, err)	(errno = 0, (long)(expr) == -1 && errno == (err))

/* fn in a child: its exit code, 128 + the signal that ended it, or -1.
 * Unused in most tests, hence the attribute. */
static __attribute__((unused)) int in_child(int (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#endif
