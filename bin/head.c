/* head: the first lines of each file (10, or -n N; "-N" works too),
 * with "==> name <==" headers when there are several files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: head [-n LINES] [FILE...]\n");
	exit(1);
}

static long parse_count(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (!*s || *end || n < 0) {
		fprintf(stderr, "head: invalid number of lines: '%s'\n", s);
		usage();
	}
	return n;
}

/* Copy the first `lines` lines of f to standard output. */
static void head(FILE *f, long lines)
{
	int c;

	while (lines > 0 && (c = getc(f)) != EOF) {
		putchar(c);
		if (c == '\n')
			lines--;
	}
}

int main(int argc, char **argv)
{
	long lines = 10;
	int c, status = 0;

	/* The historical "-N" form, as the first argument. */
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
		head(stdin, lines);
		return 0;
	}
	for (int i = optind; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;

		if (!f) {
			fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (argc - optind > 1)
			printf("%s==> %s <==\n", i > optind ? "\n" : "", argv[i]);
		head(f, lines);
		if (f != stdin)
			fclose(f);
	}
	return status;
}
