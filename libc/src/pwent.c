/* Line parsing for /etc/passwd and /etc/group. Pure (host-tested):
 * the line is split in place, the structs point into it. */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Splits s at ':' into at most n fields; returns how many there were. */
static int split_fields(char *s, char **f, int n)
{
	int i = 0;

	s[strcspn(s, "\n")] = 0;
	while (i < n) {
		f[i++] = s;
		s = strchr(s, ':');
		if (!s)
			break;
		*s++ = 0;
	}
	return s ? -1 : i;
}

static int parse_id(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!*s)
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > 0xffffffffu)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* name:passwd:uid:gid:gecos:dir:shell. Returns 0, or -1 for a malformed
 * line (comments and blank lines are malformed too). */
int __pw_parse(char *line, struct passwd *pw)
{
	char *f[7];

	if (line[0] == '#' || split_fields(line, f, 7) != 7 || !*f[0])
		return -1;
	if (parse_id(f[2], &pw->pw_uid) || parse_id(f[3], &pw->pw_gid))
		return -1;
	pw->pw_name = f[0];
	pw->pw_passwd = f[1];
	pw->pw_gecos = f[4];
	pw->pw_dir = f[5];
	pw->pw_shell = f[6];
	return 0;
}

/* name:passwd:gid:member,member. mem gets up to nmem - 1 members and a
 * NULL. */
int __gr_parse(char *line, struct group *gr, char **mem, int nmem)
{
	char *f[4];
	int n = 0;

	if (line[0] == '#' || split_fields(line, f, 4) != 4 || !*f[0])
		return -1;
	if (parse_id(f[2], &gr->gr_gid))
		return -1;
	for (char *s = f[3]; *s && n < nmem - 1;) {
		mem[n++] = s;
		s = strchr(s, ',');
		if (!s)
			break;
		*s++ = 0;
	}
	mem[n] = NULL;
	gr->gr_name = f[0];
	gr->gr_passwd = f[1];
	gr->gr_mem = mem;
	return 0;
}
