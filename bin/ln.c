/* ln: make a hard link, or with -s a symbolic link; -f replaces an
 * existing destination. A directory as destination gets the link inside. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int symbolic, force;

static int make_link(const char *target, const char *name)
{
	if (force)
		unlink(name);
	if ((symbolic ? symlink(target, name) : link(target, name)) < 0) {
		fprintf(stderr, "ln: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	const char *dest;
	int c, status = 0;

	while ((c = getopt(argc, argv, "sf")) != -1) {
		if (c == 's')
			symbolic = 1;
		else if (c == 'f')
			force = 1;
		else
			goto usage;
	}
	if (argc - optind < 1)
		goto usage;
	if (argc - optind == 1) {
		dest = ".";
	} else {
		dest = argv[--argc];
		if (stat(dest, &st) < 0 || !S_ISDIR(st.st_mode)) {
			if (argc - optind > 1) {
				fprintf(stderr, "ln: %s: Not a directory\n", dest);
				return 1;
			}
			return make_link(argv[optind], dest) < 0;
		}
	}
	for (int i = optind; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		size_t len;
		char *name;

		base = base && base[1] ? base + 1 : argv[i];
		len = strlen(dest) + strlen(base) + 2;
		name = malloc(len);
		if (!name)
			return 1;
		snprintf(name, len, "%s/%s", dest, base);
		if (make_link(argv[i], name) < 0)
			status = 1;
		free(name);
	}
	return status;
usage:
	fprintf(stderr, "usage: ln [-sf] TARGET [LINK_NAME]\n       ln [-sf] TARGET... DIRECTORY\n");
	return 1;
}
