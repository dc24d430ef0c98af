/* POSIX getopt. Pure apart from the diagnostic on stderr. Setting
 * optind back to 1 (or 0) restarts the scan. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;
static int optpos;		/* index into argv[optind] of the next option */
static int last_optind = -1;	/* optind as we left it */

int getopt(int argc, char *const argv[], const char *opts)
{
	if (optind == 0 || optind != last_optind) {
		if (optind == 0)
			optind = 1;
		optpos = 0;
	}
	optarg = NULL;
	if (optpos == 0) {
		if (optind >= argc || !argv[optind] || argv[optind][0] != '-' ||
		    argv[optind][1] == 0) {
			last_optind = optind;
			return -1;
		}
		if (strcmp(argv[optind], "--") == 0) {
			last_optind = ++optind;
			return -1;
		}
		optpos = 1;
	}
	const char *arg = argv[optind];
	int c = (unsigned char)arg[optpos++];
	int quiet = opts[0] == ':';
	const char *spec = c != ':' ? strchr(opts + quiet, c) : NULL;
	if (!arg[optpos]) {
		optind++;
		optpos = 0;
	}
	if (!spec) {
		optopt = c;
		if (opterr && !quiet)
			fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
		last_optind = optind;
		return '?';
	}
	if (spec[1] == ':') {
		if (optpos) {		/* rest of this word */
			optarg = (char *)arg + optpos;
			optind++;
			optpos = 0;
		} else if (optind < argc) {
			optarg = argv[optind++];
		} else {
			optopt = c;
			last_optind = optind;
			if (quiet)
				return ':';
			if (opterr)
				fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
			return '?';
		}
	}
	last_optind = optind;
	return c;
}
