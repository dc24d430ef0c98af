/* ps: list every process, from /proc/<pid>/stat, status and cmdline:
 * pid, parent, owner, state, CPU time and command line. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLOCK_TICKS	100	/* /proc/<pid>/stat counts in USER_HZ */

static int by_number(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Read a small /proc file into buf (NUL-terminated); its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t got = 0, n;

	if (fd < 0)
		return -1;
	while (got < (ssize_t)len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return got;
}

static void show(int pid)
{
	char path[64], stat[1024], status[2048], cmd[256], user[32];
	unsigned long utime = 0, stime = 0;
	char *open_paren, *close_paren, *uid_line, state = '?';
	int ppid = 0;
	ssize_t n;
	struct passwd *pw;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, stat, sizeof(stat)) <= 0)
		return;		/* it exited meanwhile */
	open_paren = strchr(stat, '(');
	close_paren = strrchr(stat, ')');
	if (!open_paren || !close_paren)
		return;
	*close_paren = 0;
	/* After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime stime ... */
	char *p = close_paren + 2;

	state = *p ? *p++ : '?';
	ppid = (int)strtol(p, &p, 10);
	for (int field = 5; field <= 13; field++)
		strtol(p, &p, 10);
	utime = strtoul(p, &p, 10);
	stime = strtoul(p, &p, 10);

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = read_file(path, cmd, sizeof(cmd));
	if (n > 0) {
		for (ssize_t i = 0; i < n - 1; i++)
			if (!cmd[i])
				cmd[i] = ' ';
	} else {
		snprintf(cmd, sizeof(cmd), "[%s]", open_paren + 1);
	}

	snprintf(user, sizeof(user), "?");
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, status, sizeof(status)) > 0 &&
	    (uid_line = strstr(status, "\nUid:"))) {
		unsigned uid = (unsigned)strtoul(uid_line + 5, NULL, 10);

		pw = getpwuid(uid);
		if (pw)
			snprintf(user, sizeof(user), "%.31s", pw->pw_name);
		else
			snprintf(user, sizeof(user), "%u", uid);
	}
	unsigned long secs = (utime + stime) / CLOCK_TICKS;

	printf("%5d %5d %-8s %c %2lu:%02lu %s\n", pid, ppid, user, state,
	       secs / 60, secs % 60, cmd);
}

int main(int argc, char **argv)
{
	int *pids = NULL, n = 0, cap = 0;
	struct dirent *d;
	DIR *proc;
	int c;

	while ((c = getopt(argc, argv, "efA")) != -1) {
		if (c == '?') {
			fprintf(stderr, "usage: ps [-e]\n");
			return 1;
		}
	}
	proc = opendir("/proc");
	if (!proc) {
		perror("ps: /proc");
		return 1;
	}
	while ((d = readdir(proc))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		if (n == cap) {
			int *grown = realloc(pids, (cap = cap * 2 + 64) * sizeof(*pids));

			if (!grown)
				break;
			pids = grown;
		}
		pids[n++] = atoi(d->d_name);
	}
	closedir(proc);
	qsort(pids, n, sizeof(*pids), by_number);
	printf("  PID  PPID USER     S   TIME CMD\n");
	for (int i = 0; i < n; i++)
		show(pids[i]);
	free(pids);
	return 0;
}
