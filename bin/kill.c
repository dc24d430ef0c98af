/* kill: send a signal (TERM unless -SIGNAL, -s NAME or -n NUMBER) to
 * processes; a negative pid names a process group. -l lists the names,
 * or gives the name of a number. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int number;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "SYS", SIGSYS },
};
#define NR_NAMES	(sizeof(signals) / sizeof(signals[0]))

static void usage(void)
{
	fprintf(stderr, "usage: kill [-s SIGNAL | -SIGNAL] PID...\n       kill -l [NUMBER]\n");
	exit(2);
}

/* Whether a and b are equal, ignoring ASCII case (over n bytes at most). */
static int same_name(const char *a, const char *b, size_t n)
{
	for (; n && (*a || *b); a++, b++, n--) {
		char x = *a >= 'a' && *a <= 'z' ? *a - 32 : *a;
		char y = *b >= 'a' && *b <= 'z' ? *b - 32 : *b;

		if (x != y)
			return 0;
	}
	return 1;
}

/* A signal number from "9", "KILL" or "SIGKILL"; -1 if none. */
static int signal_number(const char *s)
{
	char *end;
	long n;

	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		return *end || n < 0 || n > 64 ? -1 : (int)n;
	}
	if (same_name(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < NR_NAMES; i++)
		if (same_name(s, signals[i].name, (size_t)-1))
			return signals[i].number;
	return -1;
}

static int list(const char *arg)
{
	if (arg) {
		int n = atoi(arg);

		if (n > 128)
			n -= 128;	/* an exit status of a killed process */
		for (size_t i = 0; i < NR_NAMES; i++) {
			if (signals[i].number == n) {
				puts(signals[i].name);
				return 0;
			}
		}
		fprintf(stderr, "kill: %s: invalid signal number\n", arg);
		return 1;
	}
	for (size_t i = 0; i < NR_NAMES; i++) {
		if (i % 4 == 3 || i + 1 == NR_NAMES)
			printf("%2d) SIG%s\n", signals[i].number, signals[i].name);
		else
			printf("%2d) SIG%-7s ", signals[i].number, signals[i].name);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "-l") || !strcmp(argv[1], "-L"))
		return list(argc > 2 ? argv[2] : NULL);
	if (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-n")) {
		if (argc < 3)
			usage();
		sig = signal_number(argv[2]);
		i = 3;
	} else if (!strcmp(argv[1], "--")) {
		i = 2;
	} else if (argv[1][0] == '-') {
		sig = signal_number(argv[1] + 1);
		i = 2;
	}
	if (sig < 0) {
		fprintf(stderr, "kill: %s: invalid signal specification\n", argv[i - 1]);
		usage();
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i == argc)
		usage();
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (!*argv[i] || *end) {
			fprintf(stderr, "kill: %s: arguments must be process or job IDs\n", argv[i]);
			status = 1;
			continue;
		}
		if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
