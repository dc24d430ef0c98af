/* ls: list directories and files. -a shows names starting with ".",
 * -l the long format (mode, links, owner, group, size, date, name),
 * -1 one name per line, -d directories themselves. Names are sorted;
 * on a terminal, short listings are laid out in columns. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct entry {
	char *name;		/* as shown */
	char *path;		/* for lstat and readlink */
	struct stat st;
};

static int show_all, long_format, one_per_line, dir_itself;
static int status;

static void usage(void)
{
	fprintf(stderr, "usage: ls [-1adl] [FILE...]\n");
	exit(2);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void mode_string(mode_t m, char *s)
{
	static const char rwx[] = "rwxrwxrwx";

	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' :
	       S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (int i = 0; i < 9; i++)
		s[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
	if (m & S_ISUID)
		s[3] = s[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = s[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = s[9] == 'x' ? 't' : 'T';
	s[10] = 0;
}

/* The group's name from /etc/group, or its number. */
static const char *group_name(gid_t gid, char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/etc/group", "r");

	snprintf(buf, len, "%u", (unsigned)gid);
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (c2 && strtoul(c2 + 1, NULL, 10) == gid && c2[1] != ':') {
			size_t k = c1 - line < (long)len ? (size_t)(c1 - line) : len - 1;

			memcpy(buf, line, k);
			buf[k] = 0;
			break;
		}
	}
	fclose(f);
	return buf;
}

static const char *user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned)uid);
	return buf;
}

/* "Mon dd HH:MM" in UTC (no time zones here), or "Mon dd  yyyy" for a
 * time more than half a year from now, as ls does. */
static void date_string(time_t t, char *s, size_t len)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	long long days = t / 86400, secs = t % 86400;
	long long z, era, doe, yoe, doy, mp, y;
	unsigned d, m;
	time_t now = time(NULL);

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* Civil date from a day count, in 400-year eras from 0000-03-01. */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	y = yoe + era * 400 + (m <= 2);
	if (t > now + 86400 || now - t > 182LL * 86400)
		snprintf(s, len, "%.3s %2u  %lld", months + 3 * (m - 1), d, y);
	else
		snprintf(s, len, "%.3s %2u %02lld:%02lld", months + 3 * (m - 1), d,
			 secs / 3600, secs / 60 % 60);
}

static int digits(unsigned long long v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void print_long(struct entry *e, size_t n)
{
	int wlink = 1, wuser = 1, wgroup = 1, wsize = 1;
	char mode[11], user[64], group[64], date[32];
	for (size_t i = 0; i < n; i++) {
		int l;

		if (digits(e[i].st.st_nlink) > wlink)
			wlink = digits(e[i].st.st_nlink);
		if (digits(e[i].st.st_size) > wsize)
			wsize = digits(e[i].st.st_size);
		if ((l = strlen(user_name(e[i].st.st_uid, user, sizeof(user)))) > wuser)
			wuser = l;
		if ((l = strlen(group_name(e[i].st.st_gid, group, sizeof(group)))) > wgroup)
			wgroup = l;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat *st = &e[i].st;

		mode_string(st->st_mode, mode);
		date_string(st->st_mtime, date, sizeof(date));
		printf("%s %*lu %-*s %-*s %*lld %s %s", mode, wlink, (unsigned long)st->st_nlink,
		       wuser, user_name(st->st_uid, user, sizeof(user)),
		       wgroup, group_name(st->st_gid, group, sizeof(group)),
		       wsize, (long long)st->st_size, date, e[i].name);
		if (S_ISLNK(st->st_mode)) {
			char target[PATH_MAX];
			ssize_t len = readlink(e[i].path, target, sizeof(target) - 1);

			if (len >= 0) {
				target[len] = 0;
				printf(" -> %s", target);
			}
		}
		putchar('\n');
	}
}

/* Names in columns across an 80-column terminal, or one per line. */
static void print_short(struct entry *e, size_t n)
{
	size_t width = 0, cols, rows;

	if (one_per_line || !isatty(STDOUT_FILENO)) {
		for (size_t i = 0; i < n; i++)
			puts(e[i].name);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (strlen(e[i].name) > width)
			width = strlen(e[i].name);
	width += 2;
	cols = 80 / width ? 80 / width : 1;
	rows = (n + cols - 1) / cols;
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < cols; c++) {
			size_t i = c * rows + r;

			if (i >= n)
				break;
			if (c + 1 < cols && i + rows < n)
				printf("%-*s", (int)width, e[i].name);
			else
				printf("%s", e[i].name);
		}
		putchar('\n');
	}
}

static void print_entries(struct entry *e, size_t n, int with_total)
{
	qsort(e, n, sizeof(*e), by_name);
	if (long_format) {
		if (with_total) {
			unsigned long long blocks = 0;

			for (size_t i = 0; i < n; i++)
				blocks += e[i].st.st_blocks;
			printf("total %llu\n", blocks / 2);
		}
		print_long(e, n);
	} else {
		print_short(e, n);
	}
}

static void free_entries(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].path);
	}
	free(e);
}

/* List the contents of directory path. */
static void list_dir(const char *path)
{
	struct entry *e = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dir = opendir(path);

	if (!dir) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		status = 2;
		return;
	}
	while ((d = readdir(dir))) {
		size_t len;

		if (d->d_name[0] == '.' && !show_all)
			continue;
		if (n == cap) {
			struct entry *grown = realloc(e, (cap = cap * 2 + 16) * sizeof(*e));

			if (!grown)
				break;
			e = grown;
		}
		len = strlen(path) + strlen(d->d_name) + 2;
		e[n].name = strdup(d->d_name);
		e[n].path = malloc(len);
		if (!e[n].name || !e[n].path) {
			free(e[n].name);
			free(e[n].path);
			break;
		}
		snprintf(e[n].path, len, "%s/%s", path, d->d_name);
		if (long_format && lstat(e[n].path, &e[n].st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", e[n].path, strerror(errno));
			status = 1;
			free(e[n].name);
			free(e[n].path);
			continue;
		}
		n++;
	}
	closedir(dir);
	print_entries(e, n, 1);
	free_entries(e, n);
}

int main(int argc, char **argv)
{
	struct entry *files, *dirs;
	size_t nfiles = 0, ndirs = 0;
	int c;

	while ((c = getopt(argc, argv, "1adl")) != -1) {
		switch (c) {
		case '1': one_per_line = 1; break;
		case 'a': show_all = 1; break;
		case 'd': dir_itself = 1; break;
		case 'l': long_format = 1; break;
		default: usage();
		}
	}
	if (optind == argc)
		argv[--optind] = ".";
	files = calloc(argc - optind, sizeof(*files));
	dirs = calloc(argc - optind, sizeof(*dirs));
	if (!files || !dirs) {
		fprintf(stderr, "ls: %s\n", strerror(ENOMEM));
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		struct stat st, target;

		if (lstat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			status = 2;
			continue;
		}
		/* A link to a directory, named on the command line, is followed. */
		if (S_ISLNK(st.st_mode) && !long_format && stat(argv[i], &target) == 0)
			st = target;
		if (S_ISDIR(st.st_mode) && !dir_itself) {
			dirs[ndirs].name = strdup(argv[i]);
			dirs[ndirs++].st = st;
		} else {
			files[nfiles].name = strdup(argv[i]);
			files[nfiles].path = strdup(argv[i]);
			files[nfiles++].st = st;
		}
	}
	print_entries(files, nfiles, 0);
	qsort(dirs, ndirs, sizeof(*dirs), by_name);
	for (size_t i = 0; i < ndirs; i++) {
		if (nfiles || ndirs > 1)
			printf("%s%s:\n", nfiles || i ? "\n" : "", dirs[i].name);
		list_dir(dirs[i].name);
	}
	free_entries(files, nfiles);
	free_entries(dirs, ndirs);
	return status;
}
