/* rmdir: remove empty directories; with -p, also each parent named in
 * the path, from the deepest up. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int c, parents = 0, status = 0;

	while ((c = getopt(argc, argv, "p")) != -1) {
		if (c != 'p') {
			fprintf(stderr, "usage: rmdir [-p] DIRECTORY...\n");
			return 1;
		}
		parents = 1;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: rmdir [-p] DIRECTORY...\n");
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		char *path = argv[i], *slash;

		for (;;) {
			if (rmdir(path) < 0) {
				fprintf(stderr, "rmdir: %s: %s\n", path, strerror(errno));
				status = 1;
				break;
			}
			if (!parents || !(slash = strrchr(path, '/')))
				break;
			while (slash > path && slash[-1] == '/')
				slash--;
			if (slash == path)
				break;
			*slash = 0;
		}
	}
	return status;
}
