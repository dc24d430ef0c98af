/* Runs /bin/compat with fixed arguments and environment, captures its
 * output through a pipe and compares it with /etc/compat.expected, which
 * the build recorded by running the same binary on Linux. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char got[8192], want[8192];

static size_t slurp(int fd, char *buf, size_t max)
{
	size_t n = 0;
	ssize_t r;

	while (n < max - 1 && (r = read(fd, buf + n, max - 1 - n)) > 0)
		n += r;
	buf[n] = 0;
	return n;
}

int main(void)
{
	char *argv[] = { "compat", "one", "two words", NULL };
	char *envp[] = { "COMPAT_VAR=hello", NULL };
	int p[2], status = -1, fd;
	size_t ngot, nwant;

	fd = open("/etc/compat.expected", O_RDONLY);
	if (fd < 0 || pipe(p) < 0) {
		printf("FAIL guest/compat_output_matches_linux: no expected output or pipe\n");
		return 1;
	}
	nwant = slurp(fd, want, sizeof(want));
	close(fd);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve("/bin/compat", argv, envp);
		_exit(127);
	}
	close(p[1]);
	ngot = slurp(p[0], got, sizeof(got));
	close(p[0]);
	waitpid(pid, &status, 0);

	if (ngot == nwant && memcmp(got, want, ngot) == 0 &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 3) {
		printf("PASS guest/compat_output_matches_linux (%zu bytes)\n", ngot);
		return 0;
	}
	printf("FAIL guest/compat_output_matches_linux: status %#x\n--- linux\n%s--- here\n%s---\n",
	       status, want, got);
	return 1;
}
