/* getpw* and getgr*: one static entry each, read line by line from
 * /etc/passwd and /etc/group. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

static FILE *pw_file, *gr_file;
static char pw_line[1024], gr_line[1024];
static struct passwd pw_ent;
static struct group gr_ent;
static char *gr_mem[64];

/* The next line of f into buf, or NULL at the end. A line too long for
 * buf is skipped whole and comes back empty (malformed), never cut into
 * a prefix that could parse (a group whose last member is truncated). */
static char *read_line(char *buf, int size, FILE *f)
{
	int c;

	if (!fgets(buf, size, f))
		return NULL;
	if (strchr(buf, '\n') || (c = getc(f)) == EOF || c == '\n')
		return buf;
	while ((c = getc(f)) != EOF && c != '\n')
		;
	buf[0] = 0;
	return buf;
}

void setpwent(void)
{
	if (pw_file)
		rewind(pw_file);
}

void endpwent(void)
{
	if (pw_file)
		fclose(pw_file);
	pw_file = NULL;
}

struct passwd *getpwent(void)
{
	if (!pw_file && !(pw_file = fopen("/etc/passwd", "re")))
		return NULL;
	while (read_line(pw_line, sizeof(pw_line), pw_file))
		if (__pw_parse(pw_line, &pw_ent) == 0)
			return &pw_ent;
	return NULL;
}

struct passwd *getpwnam(const char *name)
{
	struct passwd *p;

	setpwent();
	while ((p = getpwent()) && strcmp(p->pw_name, name))
		;
	endpwent();
	return p;
}

struct passwd *getpwuid(uid_t uid)
{
	struct passwd *p;

	setpwent();
	while ((p = getpwent()) && p->pw_uid != uid)
		;
	endpwent();
	return p;
}

void setgrent(void)
{
	if (gr_file)
		rewind(gr_file);
}

void endgrent(void)
{
	if (gr_file)
		fclose(gr_file);
	gr_file = NULL;
}

struct group *getgrent(void)
{
	if (!gr_file && !(gr_file = fopen("/etc/group", "re")))
		return NULL;
	while (read_line(gr_line, sizeof(gr_line), gr_file))
		if (__gr_parse(gr_line, &gr_ent, gr_mem, 64) == 0)
			return &gr_ent;
	return NULL;
}

struct group *getgrnam(const char *name)
{
	struct group *g;

	setgrent();
	while ((g = getgrent()) && strcmp(g->gr_name, name))
		;
	endgrent();
	return g;
}

struct group *getgrgid(gid_t gid)
{
	struct group *g;

	setgrent();
	while ((g = getgrent()) && g->gr_gid != gid)
		;
	endgrent();
	return g;
}
