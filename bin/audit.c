/* audit: the kernel's audit trail of memory calls and policy denials.
 * "on" and "off" start and stop recording, "clear" empties the trail
 * (all three by prctl, root only), "show" prints /proc/audit: a status
 * line, then one JSON record per line, oldest first (format:
 * kernel/audit.c). Exit status 1 when the kernel refuses, 2 on bad usage. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: audit on|off|show|clear\n");
	return 2;
}

/* Copy /proc/audit to stdout. */
static int show(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open("/proc/audit", O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "audit: /proc/audit: %s\n", strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	}
	if (n < 0)
		fprintf(stderr, "audit: /proc/audit: %s\n", strerror(errno));
	close(fd);
	return n < 0 || fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc == 2 ? argv[1] : "";
	int r;

	if (!strcmp(cmd, "show"))
		return show();
	if (!strcmp(cmd, "on") || !strcmp(cmd, "off"))
		r = prctl(PR_SET_AUDIT, !strcmp(cmd, "on"), 0, 0, 0);
	else if (!strcmp(cmd, "clear"))
		r = prctl(PR_CLEAR_AUDIT, 0, 0, 0, 0);
	else
		return usage();
	if (r < 0) {
		fprintf(stderr, "audit: %s: %s\n", cmd, strerror(errno));
		return 1;
	}
	return 0;
}
