/* id: the real user and group ids with their names; -u the user id
 * only, -g the group id only, -n names instead of numbers. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The name of group gid from /etc/group into buf; 0, or -1 if none. */
static int group_name(gid_t gid, char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/etc/group", "r");
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (c2 && c2[1] != ':' && strtoul(c2 + 1, NULL, 10) == gid) {
			size_t k = (size_t)(c1 - line) < len ? (size_t)(c1 - line) : len - 1;

			memcpy(buf, line, k);
			buf[k] = 0;
			found = 0;
		}
	}
	fclose(f);
	return found;
}

int main(int argc, char **argv)
{
	int c, only_user = 0, only_group = 0, names = 0;
	uid_t uid = getuid();
	gid_t gid = getgid();
	struct passwd *pw;
	char group[64];

	while ((c = getopt(argc, argv, "ugnr")) != -1) {
		switch (c) {
		case 'u': only_user = 1; break;
		case 'g': only_group = 1; break;
		case 'n': names = 1; break;
		case 'r': break;
		default: goto usage;
		}
	}
	if (optind < argc || (only_user && only_group) || (names && !only_user && !only_group))
		goto usage;
	pw = getpwuid(uid);
	if (only_user) {
		if (names && pw)
			puts(pw->pw_name);
		else
			printf("%u\n", (unsigned)uid);
		return names && !pw;
	}
	if (only_group) {
		if (names && group_name(gid, group, sizeof(group)) == 0)
			puts(group);
		else
			printf("%u\n", (unsigned)gid);
		return 0;
	}
	printf("uid=%u", (unsigned)uid);
	if (pw)
		printf("(%s)", pw->pw_name);
	printf(" gid=%u", (unsigned)gid);
	if (group_name(gid, group, sizeof(group)) == 0)
		printf("(%s)", group);
	putchar('\n');
	return 0;
usage:
	fprintf(stderr, "usage: id [-u|-g [-n]]\n");
	return 1;
}
