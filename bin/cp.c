/* cp: copy a file to a file, or files into a directory; -r copies
 * directories and what they hold. Modes are kept (less the umask). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive;

static void usage(void)
{
	fprintf(stderr, "usage: cp [-r] SOURCE DEST\n       cp [-r] SOURCE... DIRECTORY\n");
	exit(1);
}

/* dir + "/" + the last component of name, in a new string (or NULL). */
static char *join(const char *dir, const char *name)
{
	const char *base = strrchr(name, '/');
	size_t len;
	char *s;

	base = base && base[1] ? base + 1 : name;
	len = strlen(dir) + strlen(base) + 2;
	s = malloc(len);
	if (s)
		snprintf(s, len, "%s/%s", dir, base);
	return s;
}

/* Copy the bytes of regular file src to dst; 0, or -1 having reported. */
static int copy_file(const char *src, const char *dst, mode_t mode)
{
	static char buf[16384];
	int in, out;
	ssize_t n = 0;

	in = open(src, O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
		return -1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
	if (out < 0) {
		fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out, buf + done, n - done);

			if (w < 0) {
				fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno));
				close(in);
				close(out);
				return -1;
			}
			done += w;
		}
	}
	if (n < 0)
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
	close(in);
	if (close(out) < 0 && n == 0) {
		fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno));
		return -1;
	}
	return n < 0 ? -1 : 0;
}

/* Copy src to dst, recursing into directories under -r. */
static int copy_path(const char *src, const char *dst)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	int err = 0;

	if (stat(src, &st) < 0) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return copy_file(src, dst, st.st_mode);
	if (!recursive) {
		fprintf(stderr, "cp: %s: Is a directory (not copied without -r)\n", src);
		return -1;
	}
	if (mkdir(dst, st.st_mode & 07777) < 0 && errno != EEXIST) {
		fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno));
		return -1;
	}
	dir = opendir(src);
	if (!dir) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
		return -1;
	}
	while ((d = readdir(dir))) {
		char *from, *to;

		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		from = join(src, d->d_name);
		to = join(dst, d->d_name);
		if (!from || !to || copy_path(from, to) < 0)
			err = -1;
		free(from);
		free(to);
	}
	closedir(dir);
	return err;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(int argc, char **argv)
{
	int c, status = 0;
	const char *dest;

	while ((c = getopt(argc, argv, "rR")) != -1) {
		if (c == '?')
			usage();
		recursive = 1;
	}
	if (argc - optind < 2)
		usage();
	dest = argv[argc - 1];
	if (!is_dir(dest)) {
		if (argc - optind > 2) {
			fprintf(stderr, "cp: %s: Not a directory\n", dest);
			return 1;
		}
		return copy_path(argv[optind], dest) < 0;
	}
	for (int i = optind; i < argc - 1; i++) {
		char *to = join(dest, argv[i]);

		if (!to || copy_path(argv[i], to) < 0)
			status = 1;
		free(to);
	}
	return status;
}
