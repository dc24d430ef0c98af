/* pwd: print the current working directory (as getcwd reports it). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[PATH_MAX];
	int c;

	while ((c = getopt(argc, argv, "LP")) != -1) {
		if (c == '?') {
			fprintf(stderr, "usage: pwd [-L|-P]\n");
			return 2;
		}
	}
	if (!getcwd(buf, sizeof(buf))) {
		fprintf(stderr, "pwd: %s\n", strerror(errno));
		return 1;
	}
	puts(buf);
	return 0;
}
