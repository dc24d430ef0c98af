/* rm: remove files; -r removes directories and what they hold, -f
 * ignores missing files and never fails for them. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

static void complain(const char *path)
{
	fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
}

/* Remove path (and, with -r, a directory's contents first). 0 or -1,
 * having reported the failure. */
static int remove_path(const char *path)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	int err = 0;

	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		complain(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0) {
			complain(path);
			return -1;
		}
		return 0;
	}
	if (!recursive) {
		fprintf(stderr, "rm: %s: Is a directory\n", path);
		return -1;
	}
	dir = opendir(path);
	if (!dir) {
		complain(path);
		return -1;
	}
	/* Names first, removals after: a directory changing under an open
	 * stream may skip or repeat entries. */
	char **names = NULL;
	size_t n = 0, cap = 0;

	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		size_t len = strlen(path) + strlen(d->d_name) + 2;
		char **grown = n < cap ? names : realloc(names, (cap = cap * 2 + 8) * sizeof(*names));
		char *child = malloc(len);

		if (!grown || !child) {
			free(child);
			if (grown)
				names = grown;
			errno = ENOMEM;
			complain(path);
			err = -1;
			break;
		}
		names = grown;
		snprintf(child, len, "%s/%s", path, d->d_name);
		names[n++] = child;
	}
	closedir(dir);
	for (size_t i = 0; i < n; i++) {
		if (remove_path(names[i]) < 0)
			err = -1;
		free(names[i]);
	}
	free(names);
	if (err)
		return -1;
	if (rmdir(path) < 0) {
		complain(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int c, status = 0;

	while ((c = getopt(argc, argv, "rRf")) != -1) {
		if (c == 'f') {
			force = 1;
		} else if (c == 'r' || c == 'R') {
			recursive = 1;
		} else {
			fprintf(stderr, "usage: rm [-rf] FILE...\n");
			return 1;
		}
	}
	if (optind == argc && !force) {
		fprintf(stderr, "usage: rm [-rf] FILE...\n");
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (remove_path(argv[i]) < 0)
			status = 1;
	return status;
}
