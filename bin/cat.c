/* cat: copy each file (or standard input, for "-" or no file) to
 * standard output. -u (unbuffered) is accepted; output is never buffered. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[16384];

/* Copy fd to standard output; 0, or -1 with errno set. */
static int copy_fd(int fd)
{
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(STDOUT_FILENO, buf + done, n - done);

			if (w < 0 && errno != EINTR)
				return -1;
			if (w > 0)
				done += w;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int c, status = 0;

	while ((c = getopt(argc, argv, "u")) != -1) {
		if (c == '?') {
			fprintf(stderr, "usage: cat [-u] [FILE...]\n");
			return 1;
		}
	}
	if (optind == argc && copy_fd(STDIN_FILENO) < 0) {
		fprintf(stderr, "cat: -: %s\n", strerror(errno));
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : STDIN_FILENO;

		if (fd < 0 || copy_fd(fd) < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
		if (fd > STDIN_FILENO)
			close(fd);
	}
	return status;
}
