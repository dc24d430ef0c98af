/* tail: the last lines of each file (10, or -n N; "-N" works too).
 * The input is read whole into memory, then its end is written. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: tail [-n LINES] [FILE...]\n");
	exit(1);
}

static long parse_count(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (!*s || *end || n < 0) {
		fprintf(stderr, "tail: invalid number of lines: '%s'\n", s);
		usage();
	}
	return n;
}

/* Write the last `lines` lines of fd; 0, or -1 with errno set. */
static int tail(int fd, long lines)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, start;
	ssize_t n;

	for (;;) {
		if (len == cap) {
			char *grown = realloc(buf, cap = cap * 2 + 65536);

			if (!grown) {
				free(buf);
				errno = ENOMEM;
				return -1;
			}
			buf = grown;
		}
		n = read(fd, buf + len, cap - len);
		if (n <= 0)
			break;
		len += n;
	}
	if (n < 0) {
		free(buf);
		return -1;
	}
	/* Walk back over `lines` newlines, not counting a final one. */
	start = len;
	if (start > 0 && buf[start - 1] == '\n')
		start--;
	for (long seen = 0; start > 0; start--) {
		if (buf[start - 1] == '\n' && ++seen == lines)
			break;
	}
	if (lines == 0)
		start = len;
	fwrite(buf + start, 1, len - start, stdout);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	long lines = 10;
	int c, status = 0;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		lines = parse_count(argv[1] + 1);
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((c = getopt(argc, argv, "n:")) != -1) {
		if (c != 'n')
			usage();
		lines = parse_count(optarg);
	}
	if (optind == argc) {
		if (tail(STDIN_FILENO, lines) < 0) {
			fprintf(stderr, "tail: -: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	for (int i = optind; i < argc; i++) {
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : STDIN_FILENO;

		if (argc - optind > 1 && fd >= 0) {
			printf("%s==> %s <==\n", i > optind ? "\n" : "", argv[i]);
			fflush(stdout);
		}
		if (fd < 0 || tail(fd, lines) < 0) {
			fprintf(stderr, "tail: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
		fflush(stdout);
		if (fd > STDIN_FILENO)
			close(fd);
	}
	return status;
}
