/* whoami: the name of the effective user, from the password file. */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct passwd *pw;

	if (argc > 1) {
		fprintf(stderr, "usage: whoami\n");
		return 1;
	}
	(void)argv;
	pw = getpwuid(geteuid());
	if (!pw) {
		fprintf(stderr, "whoami: cannot find name for user ID %u\n", (unsigned)geteuid());
		return 1;
	}
	puts(pw->pw_name);
	return 0;
}
