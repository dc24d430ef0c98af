/* wc: count lines, words and bytes of each file (or standard input),
 * with a total line for several files. -l, -w, -c pick counts. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int show_lines, show_words, show_bytes;

struct counts {
	unsigned long long lines, words, bytes;
};

static int count_fd(int fd, struct counts *c)
{
	static unsigned char buf[16384];
	int in_word = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		c->bytes += n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n')
				c->lines++;
			if (isspace(buf[i])) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;
				c->words++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

static void report(const struct counts *c, const char *name)
{
	const char *sep = "";

	if (show_lines) {
		printf("%7llu", c->lines);
		sep = " ";
	}
	if (show_words) {
		printf("%s%7llu", sep, c->words);
		sep = " ";
	}
	if (show_bytes)
		printf("%s%7llu", sep, c->bytes);
	if (name)
		printf(" %s", name);
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct counts total = { 0, 0, 0 };
	int c, status = 0;

	while ((c = getopt(argc, argv, "lwc")) != -1) {
		switch (c) {
		case 'l': show_lines = 1; break;
		case 'w': show_words = 1; break;
		case 'c': show_bytes = 1; break;
		default:
			fprintf(stderr, "usage: wc [-lwc] [FILE...]\n");
			return 1;
		}
	}
	if (!show_lines && !show_words && !show_bytes)
		show_lines = show_words = show_bytes = 1;
	if (optind == argc) {
		struct counts one = { 0, 0, 0 };

		if (count_fd(STDIN_FILENO, &one) < 0) {
			fprintf(stderr, "wc: -: %s\n", strerror(errno));
			return 1;
		}
		report(&one, NULL);
		return 0;
	}
	for (int i = optind; i < argc; i++) {
		struct counts one = { 0, 0, 0 };
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : STDIN_FILENO;

		if (fd < 0 || count_fd(fd, &one) < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		} else {
			report(&one, argv[i]);
			total.lines += one.lines;
			total.words += one.words;
			total.bytes += one.bytes;
		}
		if (fd > STDIN_FILENO)
			close(fd);
	}
	if (argc - optind > 1)
		report(&total, "total");
	return status;
}
