/* touch: create each file that does not exist (unless -c) and set the
 * times of each to now. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int c, no_create = 0, status = 0;

	while ((c = getopt(argc, argv, "c")) != -1) {
		if (c != 'c')
			goto usage;
		no_create = 1;
	}
	if (optind == argc)
		goto usage;
	for (int i = optind; i < argc; i++) {
		int fd;

		if (utimensat(AT_FDCWD, argv[i], NULL, 0) == 0)
			continue;
		/* A kernel without utimensat: a file that exists is left as is. */
		if (errno == ENOSYS && access(argv[i], F_OK) == 0)
			continue;
		if (errno != ENOENT && errno != ENOSYS)
			goto fail;
		if (no_create)
			continue;
		fd = open(argv[i], O_WRONLY | O_CREAT, 0666);
		if (fd >= 0) {
			close(fd);
			continue;
		}
fail:
		fprintf(stderr, "touch: %s: %s\n", argv[i], strerror(errno));
		status = 1;
	}
	return status;
usage:
	fprintf(stderr, "usage: touch [-c] FILE...\n");
	return 1;
}
