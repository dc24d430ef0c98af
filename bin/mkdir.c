/* mkdir: make directories; with -p, make missing parents too and accept
 * directories that already exist. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Make path and each missing parent; 0, or -1 with errno set. */
static int make_parents(char *path, mode_t mode)
{
	struct stat st;
	char *p = path;

	for (;;) {
		while (*p == '/')
			p++;
		p = strchr(p, '/');
		if (p)
			*p = 0;
		if (mkdir(path, mode) < 0 && errno != EEXIST)
			return -1;
		if (stat(path, &st) < 0)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		if (!p)
			return 0;
		*p++ = '/';
	}
}

int main(int argc, char **argv)
{
	int c, parents = 0, status = 0;

	while ((c = getopt(argc, argv, "p")) != -1) {
		if (c != 'p')
			goto usage;
		parents = 1;
	}
	if (optind == argc)
		goto usage;
	for (int i = optind; i < argc; i++) {
		int r = parents ? make_parents(argv[i], 0777) : mkdir(argv[i], 0777);

		if (r < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
usage:
	fprintf(stderr, "usage: mkdir [-p] DIRECTORY...\n");
	return 1;
}
