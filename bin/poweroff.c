/* poweroff: power the machine off through reboot(2) (Linux's magic numbers are
 * supplied by <sys/reboot.h>). Only root may; others get EPERM. -f is
 * accepted: there is nothing to shut down gracefully first. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "f")) != -1) {
		if (c != 'f') {
			fprintf(stderr, "usage: poweroff [-f]\n");
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "usage: poweroff [-f]\n");
		return 1;
	}
	sync();
	reboot(RB_POWER_OFF);
	fprintf(stderr, "poweroff: %s\n", strerror(errno));
	return 1;
}
