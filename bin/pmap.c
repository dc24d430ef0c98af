/* pmap: the memory map of processes, from /proc/<pid>/maps: start
 * address, size, permissions and what is mapped, then the total. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int show(const char *pid)
{
	char path[64], line[512], cmd[256];
	unsigned long long total = 0;
	ssize_t n;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "pmap: %s: %s\n", pid, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, cmd, sizeof(cmd) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	cmd[n] = 0;
	for (ssize_t i = 0; i + 1 < n; i++)
		if (!cmd[i])
			cmd[i] = ' ';
	printf("%s:   %s\n", pid, cmd);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		char *p = line, *perms;

		line[strcspn(line, "\n")] = 0;
		/* start-end perms offset dev inode [name] */
		start = strtoull(p, &p, 16);
		if (*p != '-')
			continue;
		end = strtoull(p + 1, &p, 16);
		while (*p == ' ')
			p++;
		perms = p;
		for (int field = 0; field < 4 && *p; field++) {
			p += strcspn(p, " ");
			if (field == 0 && *p)
				*p++ = 0;
			while (*p == ' ')
				p++;
		}
		printf("%016llx %6lluK %-5.4s %s\n", start, (end - start) >> 10, perms,
		       *p ? p : "[ anon ]");
		total += end - start;
	}
	fclose(f);
	printf(" total %16lluK\n", total >> 10);
	return 0;
}

int main(int argc, char **argv)
{
	int c, status = 0;

	while ((c = getopt(argc, argv, "")) != -1) {
		fprintf(stderr, "usage: pmap PID...\n");
		return 1;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: pmap PID...\n");
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		char *end;

		strtol(argv[i], &end, 10);
		if (strcmp(argv[i], "self") && (!*argv[i] || *end)) {
			fprintf(stderr, "pmap: %s: not a process id\n", argv[i]);
			status = 1;
			continue;
		}
		if (show(argv[i]) < 0)
			status = 1;
	}
	return status;
}
