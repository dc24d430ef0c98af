/* dmesg: print the kernel log, read from /proc/kmsg (a snapshot there,
 * which neither blocks nor consumes). Linux-style "<N>" level prefixes,
 * if present, are dropped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[1024];
	FILE *f;
	int c;

	while ((c = getopt(argc, argv, "")) != -1) {
		fprintf(stderr, "usage: dmesg\n");
		return 1;
	}
	f = fopen("/proc/kmsg", "r");
	if (!f) {
		fprintf(stderr, "dmesg: /proc/kmsg: %s\n", strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;

		if (p[0] == '<' && p[1] >= '0' && p[1] <= '7' && p[2] == '>')
			p += 3;
		fputs(p, stdout);
	}
	fclose(f);
	return 0;
}
