/* hexdump: show bytes in hexadecimal. By default as 16-bit words (the
 * classic format); -C in the canonical form: offset, 16 bytes in hex in
 * two groups of 8, and the printable characters between bars. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int canonical;
static unsigned long long offset;
static unsigned char line[16];
static size_t have;
static unsigned char prev[16];
static int prev_valid, starred;

static void print_line(size_t n)
{
	/* A line repeating the one before is shown once, as "*". */
	if (n == 16 && prev_valid && !memcmp(prev, line, 16)) {
		if (!starred)
			puts("*");
		starred = 1;
		offset += n;
		return;
	}
	starred = 0;
	memcpy(prev, line, 16);
	prev_valid = n == 16;
	if (canonical) {
		printf("%08llx ", offset);
		for (size_t i = 0; i < 16; i++) {
			if (i == 8)
				putchar(' ');
			if (i < n)
				printf(" %02x", line[i]);
			else
				printf("   ");
		}
		printf("  |");
		for (size_t i = 0; i < n; i++)
			putchar(line[i] >= 0x20 && line[i] < 0x7f ? line[i] : '.');
		puts("|");
	} else {
		printf("%07llx", offset);
		for (size_t i = 0; i < n; i += 2)
			printf(" %02x%02x", i + 1 < n ? line[i + 1] : 0, line[i]);
		putchar('\n');
	}
	offset += n;
}

static int dump_fd(int fd)
{
	unsigned char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			line[have++] = buf[i];
			if (have == 16) {
				print_line(16);
				have = 0;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int c, status = 0;

	while ((c = getopt(argc, argv, "C")) != -1) {
		if (c != 'C') {
			fprintf(stderr, "usage: hexdump [-C] [FILE...]\n");
			return 1;
		}
		canonical = 1;
	}
	if (optind == argc && dump_fd(STDIN_FILENO) < 0) {
		fprintf(stderr, "hexdump: -: %s\n", strerror(errno));
		status = 1;
	}
	for (int i = optind; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0 || dump_fd(fd) < 0) {
			fprintf(stderr, "hexdump: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	if (have)
		print_line(have);
	if (offset || canonical)
		printf(canonical ? "%08llx\n" : "%07llx\n", offset);
	return status;
}
