/* Helper for fdtest (not run on its own): prints "fd:offset" for each
 * descriptor 0..20 that is open, then "end", and writes "probe" to the
 * descriptor named by argv[1] so the parent can see a shared offset. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;

	for (int fd = 0; fd <= 20; fd++)
		if (fstat(fd, &st) == 0)
			printf("%d:%ld ", fd, (long)lseek(fd, 0, SEEK_CUR));
	printf("end\n");
	fflush(stdout);
	if (argc > 1 && write(atoi(argv[1]), "probe", 5) != 5)
		return 2;
	return 0;
}
