/* sleep: pause for the given number of seconds (a decimal fraction such
 * as 0.5 is allowed; several arguments add up). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(void)
{
	fprintf(stderr, "usage: sleep SECONDS...\n");
	exit(1);
}

/* "12" or "1.25" as nanoseconds; -1 when it is not such a number. */
static long long parse_seconds(const char *s)
{
	long long sec = 0, nsec = 0, scale = 100000000;

	if (!*s || (*s == '.' && !s[1]))
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		sec = sec * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			nsec += (*s - '0') * scale;
	if (*s || sec > 1000000000LL)
		return -1;
	return sec * 1000000000LL + nsec;
}

int main(int argc, char **argv)
{
	long long total = 0;
	struct timespec ts;

	if (argc < 2)
		usage();
	for (int i = 1; i < argc; i++) {
		long long ns = parse_seconds(argv[i]);

		if (ns < 0) {
			fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
			usage();
		}
		total += ns;
	}
	ts.tv_sec = total / 1000000000LL;
	ts.tv_nsec = total % 1000000000LL;
	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sleep: %s\n", strerror(errno));
			return 1;
		}
	}
	return 0;
}
