/* init, pid 1: sets the host name from /etc/hostname, greets, starts an interactive login shell on the console in
 * a session of its own, starts it again when it exits, and reaps every
 * child it is left with, orphans included. The console is already on fds
 * 0/1/2 when the kernel starts it. (The test boot runs the kernel's own
 * test runner instead, so nothing here is about tests.) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		return;
}

/* The child: a new session with the console as its terminal, then sh. */
static void start_shell(void)
{
	char *const argv[] = { "-sh", NULL };
	char *const envp[] = { "HOME=/", "PATH=/bin", "TERM=linux", "USER=root", NULL };

	setsid();
#ifdef TIOCSCTTY
	ioctl(0, TIOCSCTTY, 1);
#endif
	tcsetpgrp(0, getpid());
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	execve("/bin/sh", argv, envp);
	say("init: cannot run /bin/sh\n");
	_exit(127);
}

int main(void)
{
	char host[65] = "kernel";
	FILE *f = fopen("/etc/hostname", "r");
	pid_t shell = -1;
	int quick_exits = 0;

	if (f) {
		if (fgets(host, sizeof(host), f)) {
			host[strcspn(host, "\r\n")] = 0;
			if (host[0] && sethostname(host, strlen(host)) < 0)
				say("init: cannot set the host name\n");
		}
		fclose(f);
	}
	if (getpid() == getsid(0) || setsid() >= 0) {
		/* pid 1 leads session 1, which owns the console from boot. */
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	say("\nWelcome to ");
	say(host);
	say(", a small x86-64 Unix-like system. Type 'help' for the shell's builtins.\n\n");
	for (;;) {
		time_t started = time(NULL);
		int status;
		pid_t pid;

		if (shell < 0) {
			shell = fork();
			if (shell == 0)
				start_shell();
			if (shell < 0) {
				say("init: fork failed\n");
				sleep(1);
				continue;
			}
		}
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno != EINTR)
				sleep(1);
			continue;
		}
		if (pid != shell)
			continue;	/* an orphan, reaped */
		shell = -1;
		/* A shell that dies at once, again and again, is not respawned
		 * in a tight loop. */
		quick_exits = time(NULL) - started < 1 ? quick_exits + 1 : 0;
		if (quick_exits > 3)
			sleep(2);
		tcsetpgrp(0, getpgrp());
		(void)started;
	}
}
