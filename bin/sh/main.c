/* The shell: variables, running the tree parse.c builds (builtins in the
 * shell itself, everything else in children, one process group per job
 * when interactive), redirections, jobs and the builtins. Reading lines
 * with editing is edit.c's; the language itself is parse.c's. */
#include "edit.h"
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

#define MAX_JOBS	32
#define MAX_PROCS	32

/* ---- state -------------------------------------------------------------- */

struct var {
	char *name, *value;
	int exported;
};

struct job {
	int id;			/* %n; 0: free slot */
	pid_t pgid;
	pid_t pids[MAX_PROCS];
	int npids;
	int done[MAX_PROCS];
	int status;		/* wait status of the last process */
	int stopped;
	char text[128];
};

static struct var *vars;
static int nvars, capvars;
static char *arg0 = "sh";
static char **posargs;
static int nposargs;
static int last_status;
static pid_t last_bg_pid;
static int interactive;		/* reading commands from a terminal */
static int jobctl;		/* job control on: process groups, tcsetpgrp */
static int errexit;		/* set -e */
static pid_t shell_pgid;
static struct termios shell_tmodes;
static struct job jobs[MAX_JOBS];

static void say(int fd, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0 && write(fd, buf, (size_t)n) < 0)
		return;
}

#define err(...) say(2, "sh: " __VA_ARGS__)

/* ---- variables ---------------------------------------------------------- */

static struct var *var_find(const char *name)
{
	for (int i = 0; i < nvars; i++)
		if (!strcmp(vars[i].name, name))
			return &vars[i];
	return NULL;
}

static char *dupstr(const char *s)
{
	char *d = malloc(strlen(s) + 1);

	if (!d) {
		err("out of memory\n");
		exit(2);
	}
	return strcpy(d, s);
}

static const char *var_get(const char *name)
{
	struct var *v = var_find(name);

	return v ? v->value : NULL;
}

/* Set name (export: 1 to export, 0 to leave as it is). */
static void var_set(const char *name, const char *value, int export)
{
	struct var *v = var_find(name);

	if (!v) {
		if (nvars == capvars) {
			capvars = capvars ? capvars * 2 : 32;
			vars = realloc(vars, sizeof(*vars) * (size_t)capvars);
			if (!vars) {
				err("out of memory\n");
				exit(2);
			}
		}
		v = &vars[nvars++];
		v->name = dupstr(name);
		v->value = NULL;
		v->exported = 0;
	}
	if (value) {
		free(v->value);
		v->value = dupstr(value);
	}
	if (export)
		v->exported = 1;
}

static void var_unset(const char *name)
{
	struct var *v = var_find(name);

	if (!v)
		return;
	free(v->name);
	free(v->value);
	*v = vars[--nvars];
}

/* Set "NAME=value". */
static void var_assign(const char *assignment, int export)
{
	const char *eq = strchr(assignment, '=');
	char name[128];
	size_t n = (size_t)(eq - assignment);

	if (n >= sizeof(name))
		return;
	memcpy(name, assignment, n);
	name[n] = 0;
	var_set(name, eq + 1, export);
}

static char **build_envp(void)
{
	char **envp = calloc((size_t)nvars + 1, sizeof(char *));
	int n = 0;

	for (int i = 0; envp && i < nvars; i++) {
		if (!vars[i].exported || !vars[i].value)
			continue;
		envp[n] = malloc(strlen(vars[i].name) + strlen(vars[i].value) + 2);
		if (envp[n])
			sprintf(envp[n++], "%s=%s", vars[i].name, vars[i].value);
	}
	return envp;
}

/* The lookup parse.c's expansion calls. */
static const char *special_get(void *ctx, const char *name)
{
	static char num[32];

	(void)ctx;
	if (!strcmp(name, "?"))
		snprintf(num, sizeof(num), "%d", last_status);
	else if (!strcmp(name, "$"))
		snprintf(num, sizeof(num), "%d", (int)getpid());
	else if (!strcmp(name, "#"))
		snprintf(num, sizeof(num), "%d", nposargs);
	else if (!strcmp(name, "!"))
		snprintf(num, sizeof(num), "%d", (int)last_bg_pid);
	else if (!strcmp(name, "0"))
		return arg0;
	else
		return var_get(name);
	return num;
}

static struct sh_vars expand_vars(void)
{
	struct sh_vars v = { special_get, NULL, nposargs, posargs };

	return v;
}

/* Expand a command's words after the assignments into argv fields. */
static int expand_words(const struct sh_cmd *c, struct sh_fields *f)
{
	struct sh_vars v = expand_vars();
	char msg[128];

	for (int i = c->nassign; i < c->nwords; i++) {
		msg[0] = 0;
		if (sh_expand(c->words[i], &v, f, msg, sizeof(msg))) {
			err("%s\n", msg);
			sh_fields_free(f);
			return -1;
		}
	}
	return 0;
}

/* Apply the command's NAME=value words (export: for a child's env). */
static int do_assignments(const struct sh_cmd *c, int export)
{
	struct sh_vars v = expand_vars();
	char msg[128];

	for (int i = 0; i < c->nassign; i++) {
		const char *w = c->words[i];
		const char *eq = strchr(w, '=');
		char *val = sh_expand_one(eq + 1, &v, msg, sizeof(msg));
		char name[128];

		if (!val) {
			err("%s\n", msg);
			return -1;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - w), w);
		var_set(name, val, export);
		free(val);
	}
	return 0;
}

/* ---- redirections ------------------------------------------------------- */

struct saved_fd {
	int fd, copy;	/* copy -1: fd was closed before */
};

struct redir_save {
	struct saved_fd v[16];
	int n;
};

static void save_fd(struct redir_save *s, int fd)
{
	if (!s || s->n == 16)
		return;
	for (int i = 0; i < s->n; i++)
		if (s->v[i].fd == fd)
			return;
	s->v[s->n].fd = fd;
	s->v[s->n].copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	s->n++;
}

static void restore_fds(struct redir_save *s)
{
	for (int i = s->n - 1; i >= 0; i--) {
		if (s->v[i].copy >= 0) {
			dup2(s->v[i].copy, s->v[i].fd);
			close(s->v[i].copy);
		} else {
			close(s->v[i].fd);
		}
	}
	s->n = 0;
}

/* Apply c's redirections; the shell's own descriptors are saved in s when
 * it is not NULL. 0, or -1 after a message. */
static int apply_redirs(const struct sh_cmd *c, struct redir_save *s)
{
	struct sh_vars v = expand_vars();

	for (int i = 0; i < c->nredirs; i++) {
		const struct sh_redir *r = &c->redirs[i];
		char msg[128];
		char *path;
		int fd, flags;

		save_fd(s, r->fd);
		if (r->kind == SH_R_DUP) {
			if (dup2(r->dupfd, r->fd) < 0) {
				err("%d: %s\n", r->dupfd, strerror(errno));
				return -1;
			}
			continue;
		}
		path = sh_expand_one(r->word, &v, msg, sizeof(msg));
		if (!path) {
			err("%s\n", msg);
			return -1;
		}
		flags = r->kind == SH_R_IN ? O_RDONLY :
			r->kind == SH_R_OUT ? O_WRONLY | O_CREAT | O_TRUNC :
			O_WRONLY | O_CREAT | O_APPEND;
		fd = open(path, flags, 0666);
		if (fd < 0) {
			err("%s: %s\n", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
		if (fd != r->fd) {
			dup2(fd, r->fd);
			close(fd);
		}
	}
	return 0;
}

/* ---- jobs --------------------------------------------------------------- */

static struct job *job_alloc(void)
{
	int id = 1;

	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].id >= id)
			id = jobs[i].id + 1;
	for (int i = 0; i < MAX_JOBS; i++) {
		if (!jobs[i].id) {
			memset(&jobs[i], 0, sizeof(jobs[i]));
			jobs[i].id = id;
			return &jobs[i];
		}
	}
	return NULL;
}

static int job_finished(const struct job *j)
{
	for (int i = 0; i < j->npids; i++)
		if (!j->done[i])
			return 0;
	return 1;
}

/* Record a wait status for pid in its job; returns the job or NULL. */
static struct job *job_note(pid_t pid, int status)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];

		for (int k = 0; j->id && k < j->npids; k++) {
			if (j->pids[k] != pid)
				continue;
			if (WIFSTOPPED(status)) {
				j->stopped = 1;
			} else {
				j->done[k] = 1;
				if (k == j->npids - 1)
					j->status = status;
			}
			return j;
		}
	}
	return NULL;
}

static int status_of(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	if (WIFSTOPPED(ws))
		return 128 + WSTOPSIG(ws);
	return 1;
}

static const char *signal_text(int sig)
{
	switch (sig) {
	case SIGSEGV: return "Segmentation fault";
	case SIGKILL: return "Killed";
	case SIGTERM: return "Terminated";
	case SIGABRT: return "Aborted";
	case SIGBUS: return "Bus error";
	case SIGFPE: return "Floating point exception";
	case SIGILL: return "Illegal instruction";
	case SIGQUIT: return "Quit";
	case SIGHUP: return "Hangup";
	case SIGPIPE: return "";
	case SIGINT: return "";
	}
	return "Killed by a signal";
}

/* Collect finished background processes; report them when interactive. */
static void jobs_reap(int report)
{
	pid_t pid;
	int ws;

	while ((pid = waitpid(-1, &ws, WNOHANG | (jobctl ? WUNTRACED : 0))) > 0)
		job_note(pid, ws);
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];

		if (!j->id || !job_finished(j))
			continue;
		if (report && interactive)
			say(2, "[%d]+  Done%s%s\t%s\n", j->id,
			    WIFSIGNALED(j->status) ? " " : "",
			    WIFSIGNALED(j->status) ? signal_text(WTERMSIG(j->status)) : "",
			    j->text);
		j->id = 0;
	}
}

/* Wait for a foreground job until it ends or stops; its status. The
 * terminal goes to the job first and comes back to the shell after. */
static int job_wait_fg(struct job *j)
{
	int status;

	if (jobctl)
		tcsetpgrp(0, j->pgid);
	while (!job_finished(j) && !j->stopped) {
		int ws;
		pid_t pid = waitpid(-j->pgid, &ws, jobctl ? WUNTRACED : 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			/* Not a group of ours (no job control): each pid. */
			for (int k = 0; k < j->npids; k++) {
				if (j->done[k])
					continue;
				if (waitpid(j->pids[k], &ws, 0) > 0)
					job_note(j->pids[k], ws);
				else
					j->done[k] = 1;
			}
			continue;
		}
		if (!job_note(pid, ws))
			continue;
	}
	if (jobctl) {
		tcsetpgrp(0, shell_pgid);
		tcsetattr(0, TCSADRAIN, &shell_tmodes);
	}
	if (j->stopped) {
		say(2, "\n[%d]+  Stopped\t%s\n", j->id, j->text);
		return 128 + SIGTSTP;
	}
	status = status_of(j->status);
	if (interactive && WIFSIGNALED(j->status)) {
		const char *t = signal_text(WTERMSIG(j->status));

		say(2, "%s\n", t);
	}
	j->id = 0;
	return status;
}

static struct job *job_by_spec(const char *spec)
{
	struct job *best = NULL;

	if (spec) {
		int n = atoi(spec[0] == '%' ? spec + 1 : spec);

		for (int i = 0; i < MAX_JOBS; i++)
			if (jobs[i].id && (jobs[i].id == n || (spec[0] != '%' && jobs[i].pgid == n)))
				return &jobs[i];
		return NULL;
	}
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].id && (!best || jobs[i].id > best->id))
			best = &jobs[i];
	return best;
}

/* ---- running commands --------------------------------------------------- */

static int run_list(struct sh_list *list);
static int run_text(const char *text, const char *name);
static int run_builtin(int argc, char **argv);
static int find_builtin(const char *name);

/* Fill path with where name is run from; 0, or -ENOENT. */
static int find_program(const char *name, char *path, size_t len)
{
	const char *p = var_get("PATH");
	struct stat st;

	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return 0;
	}
	for (p = p ? p : "/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(path, len, "%.*s%s%s", (int)n, p, n ? "/" : "", name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		p += n + (p[n] == ':');
	}
	return -ENOENT;
}

/* In a child: exec argv, or say why not and exit 126/127. */
static void exec_program(char **argv)
{
	char path[1024];
	char **envp = build_envp();
	int e;

	if (find_program(argv[0], path, sizeof(path))) {
		err("%s: command not found\n", argv[0]);
		_exit(127);
	}
	execve(path, argv, envp);
	e = errno;
	if (e == ENOEXEC) {	/* a script with no #!: run it with this shell */
		int n = 0;
		char **nargv;

		while (argv[n])
			n++;
		nargv = calloc((size_t)n + 2, sizeof(char *));
		if (nargv) {
			nargv[0] = "sh";
			nargv[1] = path;
			for (int i = 1; i <= n; i++)
				nargv[i + 1] = argv[i];
			execve("/bin/sh", nargv, envp);
		}
	}
	err("%s: %s\n", argv[0], strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

/* The start of a child process in a job: its group, its terminal, and
 * the default signal dispositions. */
static void child_setup(pid_t pgid, int foreground, int background)
{
	if (jobctl) {
		pid_t me = getpid();

		setpgid(me, pgid ? pgid : me);
		if (foreground)
			tcsetpgrp(0, pgid ? pgid : me);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	if (background && !jobctl) {
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	}
}

static void job_text(struct job *j, const struct sh_pipeline *p)
{
	size_t w = 0;

	for (int i = 0; i < p->ncmds; i++) {
		for (int k = 0; k < p->cmds[i].nwords; k++) {
			int n = snprintf(j->text + w, sizeof(j->text) - w, "%s%s",
					 w ? " " : "", p->cmds[i].words[k]);

			if (n > 0 && w + (size_t)n < sizeof(j->text))
				w += (size_t)n;
		}
		if (i + 1 < p->ncmds && w + 3 < sizeof(j->text)) {
			memcpy(j->text + w, " |", 3);
			w += 2;
		}
	}
}

/* The body of one command in a child of a pipeline: never returns. */
static void child_command(const struct sh_cmd *c)
{
	struct sh_fields f = { 0 };

	if (apply_redirs(c, NULL))
		_exit(1);
	if (do_assignments(c, 1))
		_exit(1);
	if (expand_words(c, &f))
		_exit(1);
	if (f.n == 0)
		_exit(0);
	if (find_builtin(f.v[0]) >= 0)
		_exit(run_builtin(f.n, f.v));
	exec_program(f.v);
}

/* Run a single command that is a builtin or only assignments, in the
 * shell itself; returns 1 when it was one (status in *status). */
static int run_in_shell(const struct sh_cmd *c, int *status)
{
	struct sh_fields f = { 0 };
	struct redir_save save = { .n = 0 };

	if (c->nwords == c->nassign) {
		if (apply_redirs(c, &save)) {
			restore_fds(&save);
			*status = 1;
			return 1;
		}
		restore_fds(&save);
		*status = do_assignments(c, 0) ? 1 : 0;
		return 1;
	}
	if (expand_words(c, &f)) {
		*status = 1;
		return 1;
	}
	if (f.n == 0 || find_builtin(f.v[0]) < 0) {
		sh_fields_free(&f);
		return 0;
	}
	if (apply_redirs(c, &save))
		*status = 1;
	else
		*status = run_builtin(f.n, f.v);
	restore_fds(&save);
	sh_fields_free(&f);
	return 1;
}

/* Run a pipeline; its status (that of the last command). */
static int run_pipeline(const struct sh_pipeline *p, int background)
{
	struct job *j;
	int status, in = -1;

	if (p->ncmds == 1 && !background && run_in_shell(&p->cmds[0], &status))
		return status;
	j = job_alloc();
	if (!j) {
		err("too many jobs\n");
		return 1;
	}
	job_text(j, p);
	for (int i = 0; i < p->ncmds && i < MAX_PROCS; i++) {
		int fds[2] = { -1, -1 };
		pid_t pid;

		if (i + 1 < p->ncmds && pipe(fds) < 0) {
			err("pipe: %s\n", strerror(errno));
			break;
		}
		pid = fork();
		if (pid < 0) {
			err("fork: %s\n", strerror(errno));
			if (fds[0] >= 0) {
				close(fds[0]);
				close(fds[1]);
			}
			break;
		}
		if (pid == 0) {
			child_setup(j->pgid, !background, background);
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			} else if (background && !jobctl) {
				int null = open("/dev/null", O_RDONLY);

				if (null >= 0 && null != 0) {
					dup2(null, 0);
					close(null);
				}
			}
			if (fds[1] >= 0) {
				dup2(fds[1], 1);
				close(fds[1]);
				close(fds[0]);
			}
			child_command(&p->cmds[i]);
		}
		if (!j->pgid)
			j->pgid = pid;
		if (jobctl)
			setpgid(pid, j->pgid);
		j->pids[j->npids++] = pid;
		if (in >= 0)
			close(in);
		in = fds[0];
		if (fds[1] >= 0)
			close(fds[1]);
	}
	if (in >= 0)
		close(in);
	if (j->npids == 0) {
		j->id = 0;
		return 1;
	}
	if (background) {
		last_bg_pid = j->pids[j->npids - 1];
		if (interactive)
			say(2, "[%d] %d\n", j->id, (int)last_bg_pid);
		return 0;
	}
	return job_wait_fg(j);
}

/* Run an and-or list; in the background it becomes one job: a single
 * pipeline directly, a longer chain in a subshell. */
static int run_andor(const struct sh_andor *a)
{
	int status = 0;

	if (a->background && a->npipes > 1) {
		struct sh_andor fg = *a;
		struct sh_pipeline shown = a->pipes[0];
		struct job *j = job_alloc();
		pid_t pid;

		if (!j)
			return 1;
		job_text(j, &shown);
		pid = fork();
		if (pid == 0) {
			child_setup(0, 0, 1);
			jobctl = 0;
			interactive = 0;
			fg.background = 0;
			_exit(run_andor(&fg));
		}
		if (pid < 0) {
			j->id = 0;
			return 1;
		}
		if (jobctl)
			setpgid(pid, pid);
		j->pgid = pid;
		j->pids[j->npids++] = pid;
		last_bg_pid = pid;
		if (interactive)
			say(2, "[%d] %d\n", j->id, (int)pid);
		return 0;
	}
	for (int i = 0; i < a->npipes; i++) {
		if (i > 0 && (a->ops[i - 1] == SH_AND) != (status == 0))
			continue;
		status = run_pipeline(&a->pipes[i], a->background);
		last_status = status;
		if (errexit && status && i == a->npipes - 1 && !a->background)
			exit(status);
	}
	return status;
}

static int run_list(struct sh_list *list)
{
	for (int i = 0; i < list->nitems; i++)
		last_status = run_andor(&list->items[i]);
	return last_status;
}

/* Parse and run text (a -c string, a script, a line); name for errors.
 * Lines are run as they are parsed, so a script's later lines see what
 * earlier ones did. */
static int run_text(const char *text, const char *name)
{
	const char *p = text;
	size_t cap = 256;
	char *chunk = malloc(cap);
	size_t have = 0;
	int line = 0;

	if (!chunk)
		return 1;
	while (*p) {
		size_t n = strcspn(p, "\n");
		struct sh_list *list;
		char msg[160];
		int r;

		line++;
		if (have + n + 2 > cap) {
			char *nc;

			cap = (have + n + 2) * 2;
			nc = realloc(chunk, cap);
			if (!nc)
				break;
			chunk = nc;
		}
		memcpy(chunk + have, p, n);
		have += n;
		chunk[have++] = '\n';
		chunk[have] = 0;
		p += n + (p[n] == '\n');
		r = sh_parse(chunk, &list, msg, sizeof(msg));
		if (r == SH_PARSE_INCOMPLETE && *p)
			continue;
		have = 0;
		if (r != SH_PARSE_OK) {
			if (name)
				say(2, "sh: %s: line %d: %s\n", name, line, msg);
			else
				err("%s\n", msg);
			last_status = 2;
			if (!interactive) {
				free(chunk);
				return 2;
			}
			continue;
		}
		run_list(list);
		sh_list_free(list);
		jobs_reap(1);
	}
	free(chunk);
	return last_status;
}

/* Read a whole file; NULL with errno set. */
static char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t cap = 4096, len = 0;
	char *buf;
	ssize_t n;

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	close(fd);
	if (buf)
		buf[len] = 0;
	return buf;
}

/* ---- builtins ----------------------------------------------------------- */

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	char cwd[1024];
	int print = 0;

	if (!dir) {
		err("cd: HOME not set\n");
		return 1;
	}
	if (!strcmp(dir, "-")) {
		dir = var_get("OLDPWD");
		if (!dir) {
			err("cd: OLDPWD not set\n");
			return 1;
		}
		print = 1;
	}
	if (chdir(dir) < 0) {
		err("cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (var_get("PWD"))
		var_set("OLDPWD", var_get("PWD"), 1);
	if (getcwd(cwd, sizeof(cwd))) {
		var_set("PWD", cwd, 1);
		if (print)
			say(1, "%s\n", cwd);
	}
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char cwd[1024];

	(void)argc;
	(void)argv;
	if (!getcwd(cwd, sizeof(cwd))) {
		err("pwd: %s\n", strerror(errno));
		return 1;
	}
	say(1, "%s\n", cwd);
	return 0;
}

static int bi_exit(int argc, char **argv)
{
	exit(argc > 1 ? atoi(argv[1]) & 255 : last_status);
}

static int bi_export(int argc, char **argv)
{
	if (argc == 1) {
		for (int i = 0; i < nvars; i++)
			if (vars[i].exported && vars[i].value)
				say(1, "export %s='%s'\n", vars[i].name, vars[i].value);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (sh_is_assignment(argv[i])) {
			var_assign(argv[i], 1);
		} else if (sh_is_name(argv[i])) {
			var_set(argv[i], NULL, 1);
		} else {
			err("export: `%s': not a valid identifier\n", argv[i]);
			return 1;
		}
	}
	return 0;
}

static int bi_unset(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		var_unset(argv[i]);
	return 0;
}

static int bi_echo(int argc, char **argv)
{
	int i = 1, newline = 1;
	size_t cap = 256, len = 0;
	char *buf;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i++;
	}
	for (int k = i; k < argc; k++)
		cap += strlen(argv[k]) + 1;
	buf = malloc(cap);
	if (!buf)
		return 1;
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);

		memcpy(buf + len, argv[i], n);
		len += n;
		if (i + 1 < argc)
			buf[len++] = ' ';
	}
	if (newline)
		buf[len++] = '\n';
	i = write(1, buf, len) == (ssize_t)len ? 0 : 1;
	free(buf);
	return i;
}

static int bi_true(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int bi_false(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}

static int bi_type(int argc, char **argv)
{
	char path[1024];
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (find_builtin(argv[i]) >= 0) {
			say(1, "%s is a shell builtin\n", argv[i]);
		} else if (!find_program(argv[i], path, sizeof(path)) && access(path, X_OK) == 0) {
			say(1, "%s is %s\n", argv[i], path);
		} else {
			err("type: %s: not found\n", argv[i]);
			status = 1;
		}
	}
	return status;
}

static int bi_jobs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	jobs_reap(1);
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].id)
			say(1, "[%d]  %s\t%s\n", jobs[i].id,
			    jobs[i].stopped ? "Stopped" : "Running", jobs[i].text);
	return 0;
}

static int bi_fg(int argc, char **argv)
{
	struct job *j = job_by_spec(argc > 1 ? argv[1] : NULL);

	if (!j) {
		err("fg: %s: no such job\n", argc > 1 ? argv[1] : "current");
		return 1;
	}
	say(1, "%s\n", j->text);
	j->stopped = 0;
	if (jobctl)
		tcsetpgrp(0, j->pgid);
	kill(-j->pgid, SIGCONT);
	return job_wait_fg(j);
}

static int bi_bg(int argc, char **argv)
{
	struct job *j = job_by_spec(argc > 1 ? argv[1] : NULL);

	if (!j) {
		err("bg: %s: no such job\n", argc > 1 ? argv[1] : "current");
		return 1;
	}
	j->stopped = 0;
	kill(-j->pgid, SIGCONT);
	say(1, "[%d]  %s &\n", j->id, j->text);
	return 0;
}

/* Wait for one job to finish (not for it to stop). */
static int wait_job(struct job *j)
{
	for (int k = 0; k < j->npids; k++) {
		int ws;

		while (!j->done[k]) {
			pid_t r = waitpid(j->pids[k], &ws, 0);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				j->done[k] = 1;
			else
				job_note(r, ws);
		}
	}
	j->id = 0;
	return status_of(j->status);
}

static int bi_wait(int argc, char **argv)
{
	int status = 0;

	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			struct job *j = job_by_spec(argv[i]);

			if (!j) {
				err("wait: %s: no such job\n", argv[i]);
				status = 127;
				continue;
			}
			status = wait_job(j);
		}
		return status;
	}
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].id)
			wait_job(&jobs[i]);
	return 0;
}

static int bi_source(int argc, char **argv)
{
	char **old_args = posargs;
	int old_n = nposargs, status;
	char *text;

	if (argc < 2) {
		err("%s: filename argument required\n", argv[0]);
		return 2;
	}
	text = read_file(argv[1]);
	if (!text) {
		err("%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (argc > 2) {
		posargs = argv + 2;
		nposargs = argc - 2;
	}
	status = run_text(text, argv[1]);
	posargs = old_args;
	nposargs = old_n;
	free(text);
	return status;
}

static int bi_set(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-e"))
			errexit = 1;
		else if (!strcmp(argv[i], "+e"))
			errexit = 0;
		else {
			err("set: %s: invalid option\n", argv[i]);
			return 2;
		}
	}
	if (argc == 1)
		for (int i = 0; i < nvars; i++)
			if (vars[i].value)
				say(1, "%s='%s'\n", vars[i].name, vars[i].value);
	return 0;
}

/* read NAME: one line of stdin (byte by byte, so nothing past it is
 * consumed) into NAME, without its newline; 1 at end of file. */
static int bi_read(int argc, char **argv)
{
	char line[1024];
	size_t n = 0;
	ssize_t r = 0;
	char c;

	if (argc != 2 || !sh_is_name(argv[1])) {
		err("read: usage: read NAME\n");
		return 2;
	}
	while (n + 1 < sizeof(line) && (r = read(0, &c, 1)) == 1 && c != '\n')
		line[n++] = c;
	line[n] = 0;
	var_set(argv[1], line, 0);
	return r == 1 || n ? 0 : 1;
}

/* test / [: strings (= != -n -z), integers (-eq -ne -lt -le -gt -ge),
 * files (-e -f -d -r -w -x -s), and ! in front. 0 true, 1 false, 2 error. */
static int test_eval(int argc, char **argv)
{
	struct stat st;

	if (argc > 0 && !strcmp(argv[0], "!") )
		return test_eval(argc - 1, argv + 1) == 0;
	if (argc == 0)
		return 1;
	if (argc == 1)
		return argv[0][0] ? 0 : 1;
	if (argc == 2) {
		const char *op = argv[0], *a = argv[1];

		if (!strcmp(op, "-n")) return !a[0];
		if (!strcmp(op, "-z")) return a[0] != 0;
		if (strlen(op) == 2 && op[0] == '-' && strchr("efdrwxs", op[1])) {
			if (stat(a, &st) < 0)
				return 1;
			switch (op[1]) {
			case 'f': return !S_ISREG(st.st_mode);
			case 'd': return !S_ISDIR(st.st_mode);
			case 'r': return access(a, R_OK) != 0;
			case 'w': return access(a, W_OK) != 0;
			case 'x': return access(a, X_OK) != 0;
			case 's': return st.st_size == 0;
			}
			return 0;
		}
	} else if (argc == 3) {
		const char *a = argv[0], *op = argv[1], *b = argv[2];
		long x = strtol(a, NULL, 10), y = strtol(b, NULL, 10);

		if (!strcmp(op, "=") || !strcmp(op, "==")) return strcmp(a, b) != 0;
		if (!strcmp(op, "!=")) return strcmp(a, b) == 0;
		if (!strcmp(op, "-eq")) return !(x == y);
		if (!strcmp(op, "-ne")) return !(x != y);
		if (!strcmp(op, "-lt")) return !(x < y);
		if (!strcmp(op, "-le")) return !(x <= y);
		if (!strcmp(op, "-gt")) return !(x > y);
		if (!strcmp(op, "-ge")) return !(x >= y);
	}
	err("test: unknown condition\n");
	return 2;
}

static int bi_test(int argc, char **argv)
{
	if (!strcmp(argv[0], "[")) {
		if (strcmp(argv[argc - 1], "]")) {
			err("[: missing `]'\n");
			return 2;
		}
		argc--;
	}
	return test_eval(argc - 1, argv + 1);
}

static int bi_help(int argc, char **argv);

static const struct builtin {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} builtins[] = {
	{ "cd", bi_cd, "cd [dir | -]" },
	{ "pwd", bi_pwd, "pwd" },
	{ "exit", bi_exit, "exit [n]" },
	{ "export", bi_export, "export [NAME[=value]...]" },
	{ "unset", bi_unset, "unset NAME..." },
	{ "echo", bi_echo, "echo [-n] [arg...]" },
	{ "type", bi_type, "type name..." },
	{ "help", bi_help, "help" },
	{ "jobs", bi_jobs, "jobs" },
	{ "fg", bi_fg, "fg [%n]" },
	{ "bg", bi_bg, "bg [%n]" },
	{ "wait", bi_wait, "wait [%n | pid...]" },
	{ "source", bi_source, "source file [args]" },
	{ ".", bi_source, ". file [args]" },
	{ "set", bi_set, "set [-e | +e]" },
	{ "read", bi_read, "read NAME" },
	{ "test", bi_test, "test expr" },
	{ "[", bi_test, "[ expr ]" },
	{ "true", bi_true, "true" },
	{ "false", bi_false, "false" },
	{ ":", bi_true, ": [args]" },
};

#define NBUILTINS ((int)(sizeof(builtins) / sizeof(builtins[0])))

static const char *builtin_names[NBUILTINS + 1];

static int bi_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	say(1, "Shell builtins:\n");
	for (int i = 0; i < NBUILTINS; i++)
		say(1, "  %s\n", builtins[i].usage);
	say(1, "Also: pipelines (|), redirections (< > >> 2> 2>&1), ; && ||, &,\n"
	       "quotes, $VAR ${VAR} $? $$ $# $1.., NAME=value. Programs are in /bin.\n");
	return 0;
}

static int find_builtin(const char *name)
{
	for (int i = 0; i < NBUILTINS; i++)
		if (!strcmp(builtins[i].name, name))
			return i;
	return -1;
}

static int run_builtin(int argc, char **argv)
{
	return builtins[find_builtin(argv[0])].fn(argc, argv);
}

/* ---- start-up and the interactive loop --------------------------------- */

static void make_prompt(char *buf, size_t len)
{
	const char *ps1 = var_get("PS1");
	char cwd[512];
	size_t w = 0;
	const char *mark = geteuid() == 0 ? "#" : "$";

	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "?");
	if (!ps1) {
		snprintf(buf, len, "%s %s ", cwd, mark);
		return;
	}
	for (const char *p = ps1; *p && w + 1 < len; p++) {
		const char *add = NULL;
		char one[2] = { *p, 0 };

		if (*p == '\\' && p[1] == 'w')
			add = cwd;
		else if (*p == '\\' && p[1] == '$')
			add = mark;
		else
			add = one;
		if (add != one)
			p++;
		w += (size_t)snprintf(buf + w, len - w, "%s", add);
		if (w >= len)
			w = len - 1;
	}
	buf[w] = 0;
}

/* Take the terminal: our own group, in the foreground, job signals off. */
static void init_job_control(void)
{
	pid_t pgrp;

	while ((pgrp = tcgetpgrp(0)) >= 0 && pgrp != getpgrp())
		kill(-getpgrp(), SIGTTIN);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	shell_pgid = getpid();
	if (getpgrp() != shell_pgid && setpgid(0, 0) < 0)
		shell_pgid = getpgrp();
	tcsetpgrp(0, shell_pgid);
	tcgetattr(0, &shell_tmodes);
	jobctl = 1;
}

static void interactive_loop(void)
{
	char prompt[600];

	for (;;) {
		char *line;

		jobs_reap(1);
		make_prompt(prompt, sizeof(prompt));
		line = edit_read_line(prompt);
		if (!line) {
			say(1, "exit\n");
			return;
		}
		/* An unfinished line goes on with "> ". */
		for (;;) {
			struct sh_list *l;
			char msg[8];
			char *more, *joined;

			if (sh_parse(line, &l, msg, sizeof(msg)) != SH_PARSE_INCOMPLETE) {
				sh_list_free(l);
				break;
			}
			more = edit_read_line("> ");
			if (!more)
				break;
			joined = malloc(strlen(line) + strlen(more) + 2);
			if (!joined)
				break;
			sprintf(joined, "%s\n%s", line, more);
			free(line);
			free(more);
			line = joined;
		}
		edit_history_add(line);
		run_text(line, NULL);
		free(line);
	}
}

/* Lines from a non-terminal stdin, one byte at a time so that a command
 * reading the same stdin gets what follows its line. */
static void stdin_loop(void)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	char c;

	for (;;) {
		ssize_t n = read(0, &c, 1);

		if (len + 2 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 256);

			if (!nb)
				break;
			buf = nb;
		}
		if (n == 1)
			buf[len++] = c;
		if (n <= 0 || c == '\n') {
			struct sh_list *l;
			char msg[8];

			buf[len] = 0;
			if (n > 0 && sh_parse(buf, &l, msg, sizeof(msg)) == SH_PARSE_INCOMPLETE)
				continue;
			if (n > 0)
				sh_list_free(l);
			if (len)
				run_text(buf, NULL);
			len = 0;
			if (n <= 0)
				break;
		}
	}
	free(buf);
}

static void usage(void)
{
	say(2, "usage: sh [-e] [-c command [name [args...]] | file [args...]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int login = argv[0] && argv[0][0] == '-';
	const char *command = NULL;
	int i = 1;

	for (char **e = environ; e && *e; e++)
		if (strchr(*e, '='))
			var_assign(*e, 1);
	if (!var_get("PATH"))
		var_set("PATH", "/bin", 1);
	for (int k = 0; k < NBUILTINS; k++)
		builtin_names[k] = builtins[k].name;
	edit_builtin_names = builtin_names;
	if (argv[0])
		arg0 = argv[0];

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "-c")) {
			if (++i >= argc)
				usage();
			command = argv[i];
		} else if (!strcmp(argv[i], "-e")) {
			errexit = 1;
		} else if (!strcmp(argv[i], "-l")) {
			login = 1;
		} else if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "-s")) {
			continue;
		} else {
			err("%s: invalid option\n", argv[i]);
			usage();
		}
	}
	if (command) {
		if (i < argc)
			arg0 = argv[i++];
		posargs = argv + i;
		nposargs = argc - i;
		return run_text(command, NULL);
	}
	if (i < argc) {
		char *text = read_file(argv[i]);

		if (!text) {
			err("%s: %s\n", argv[i], strerror(errno));
			return errno == ENOENT ? 127 : 126;
		}
		arg0 = argv[i++];
		posargs = argv + i;
		nposargs = argc - i;
		return run_text(text, arg0);
	}
	interactive = isatty(0) && isatty(1);
	if (interactive) {
		init_job_control();
		if (login && access("/etc/profile", R_OK) == 0) {
			char *prof[] = { ".", "/etc/profile", NULL };

			bi_source(2, prof);
		}
		interactive_loop();
	} else {
		stdin_loop();
	}
	return last_status;
}
