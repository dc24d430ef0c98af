/* mv: rename a file, or move files into a directory. Across file
 * systems (rename fails with EXDEV) a regular file or symbolic link is
 * copied, then the original removed. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: mv SOURCE DEST\n       mv SOURCE... DIRECTORY\n");
	exit(1);
}

/* Copy then unlink, for a move between file systems; 0 or -1 (errno). */
static int move_across(const char *src, const char *dst, const struct stat *st)
{
	static char buf[16384];
	char target[PATH_MAX];
	ssize_t n;
	int in, out;

	if (S_ISLNK(st->st_mode)) {
		n = readlink(src, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = 0;
		if (symlink(target, dst) < 0)
			return -1;
		return unlink(src);
	}
	if (!S_ISREG(st->st_mode)) {
		errno = EXDEV;
		return -1;
	}
	in = open(src, O_RDONLY);
	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 07777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	close(in);
	if (close(out) < 0 || n < 0) {
		int e = errno;

		unlink(dst);
		errno = e;
		return -1;
	}
	return unlink(src);
}

static int move(const char *src, const char *dst)
{
	struct stat st;

	if (lstat(src, &st) < 0 ||
	    (rename(src, dst) < 0 && (errno != EXDEV || move_across(src, dst, &st) < 0))) {
		fprintf(stderr, "mv: %s: %s\n", src, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	const char *dest;
	int c, status = 0;

	while ((c = getopt(argc, argv, "f")) != -1)
		if (c == '?')
			usage();
	if (argc - optind < 2)
		usage();
	dest = argv[argc - 1];
	if (stat(dest, &st) < 0 || !S_ISDIR(st.st_mode)) {
		if (argc - optind > 2) {
			fprintf(stderr, "mv: %s: Not a directory\n", dest);
			return 1;
		}
		return move(argv[optind], dest) < 0;
	}
	for (int i = optind; i < argc - 1; i++) {
		const char *base = strrchr(argv[i], '/');
		size_t len;
		char *to;

		base = base && base[1] ? base + 1 : argv[i];
		len = strlen(dest) + strlen(base) + 2;
		to = malloc(len);
		if (!to) {
			fprintf(stderr, "mv: %s\n", strerror(ENOMEM));
			return 1;
		}
		snprintf(to, len, "%s/%s", dest, base);
		if (move(argv[i], to) < 0)
			status = 1;
		free(to);
	}
	return status;
}
