/* uname: system name (-s, the default), host name (-n), release (-r),
 * version (-v), machine (-m), or all of them (-a), from uname(2). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

enum { SYSNAME = 1, NODENAME = 2, RELEASE = 4, VERSION = 8, MACHINE = 16, ALL = 31 };

int main(int argc, char **argv)
{
	struct utsname u;
	const char *sep = "";
	int c, which = 0;

	while ((c = getopt(argc, argv, "asnrvmpio")) != -1) {
		switch (c) {
		case 'a': which |= ALL; break;
		case 's': which |= SYSNAME; break;
		case 'n': which |= NODENAME; break;
		case 'r': which |= RELEASE; break;
		case 'v': which |= VERSION; break;
		case 'm': case 'p': case 'i': which |= MACHINE; break;
		case 'o': which |= SYSNAME; break;
		default:
			fprintf(stderr, "usage: uname [-asnrvm]\n");
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "usage: uname [-asnrvm]\n");
		return 1;
	}
	if (uname(&u) < 0) {
		fprintf(stderr, "uname: %s\n", strerror(errno));
		return 1;
	}
	if (!which)
		which = SYSNAME;
	const char *fields[] = { u.sysname, u.nodename, u.release, u.version, u.machine };

	for (int i = 0; i < 5; i++) {
		if (which & (1 << i)) {
			printf("%s%s", sep, fields[i]);
			sep = " ";
		}
	}
	putchar('\n');
	return 0;
}
