/* grep: print the lines that contain a fixed string. -i ignores case,
 * -v selects lines without it, -n numbers lines, -c counts them, -l
 * names matching files, -q prints nothing; -F is accepted (strings are
 * always fixed). Exit status 0 on a match, 1 on none, 2 on trouble. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ignore_case, invert, number, count_only, names_only, quiet;
static const char *pattern;

static void usage(void)
{
	fprintf(stderr, "usage: grep [-cilnqvF] PATTERN [FILE...]\n");
	exit(2);
}

/* Whether pattern occurs in line. */
static int contains(const char *line)
{
	size_t plen = strlen(pattern);

	if (!ignore_case)
		return strstr(line, pattern) != NULL;
	for (; *line; line++) {
		size_t i = 0;

		while (i < plen && line[i] &&
		       tolower((unsigned char)line[i]) == tolower((unsigned char)pattern[i]))
			i++;
		if (i == plen)
			return 1;
	}
	return plen == 0;
}

/* Search one stream; the number of selected lines. */
static long search(FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, selected = 0;

	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = 0;
		if (contains(line) == invert)
			continue;
		selected++;
		if (quiet || names_only || count_only)
			continue;
		if (name)
			printf("%s:", name);
		if (number)
			printf("%ld:", lineno);
		puts(line);
	}
	free(line);
	if (count_only && !quiet) {
		if (name)
			printf("%s:", name);
		printf("%ld\n", selected);
	}
	if (names_only && selected && !quiet)
		puts(name ? name : "(standard input)");
	return selected;
}

int main(int argc, char **argv)
{
	int c, matched = 0, trouble = 0;

	while ((c = getopt(argc, argv, "cilnqvFe:")) != -1) {
		switch (c) {
		case 'c': count_only = 1; break;
		case 'i': ignore_case = 1; break;
		case 'l': names_only = 1; break;
		case 'n': number = 1; break;
		case 'q': quiet = 1; break;
		case 'v': invert = 1; break;
		case 'F': break;
		case 'e': pattern = optarg; break;
		default: usage();
		}
	}
	if (!pattern) {
		if (optind == argc)
			usage();
		pattern = argv[optind++];
	}
	if (optind == argc)
		return search(stdin, NULL) ? 0 : 1;
	for (int i = optind; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;

		if (!f) {
			fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
			trouble = 1;
			continue;
		}
		if (search(f, argc - optind > 1 || names_only ? argv[i] : NULL))
			matched = 1;
		if (f != stdin)
			fclose(f);
		if (matched && quiet)
			break;
	}
	if (trouble && !(matched && quiet))
		return 2;
	return matched ? 0 : 1;
}
