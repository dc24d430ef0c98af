/* progtest: runs the programs of /bin with arguments, without a shell,
 * and checks what they print (stdout and stderr, through pipes) and their
 * exit status. One "PASS/FAIL guest/<name>" line per check. Everything it
 * makes lives under /tmp/progtest and is removed at the end. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DIR	"/tmp/progtest"
#define NO_UID	(-1)

static int failures;
static char out[16384], err[4096];
static int status;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("PASS guest/prog_%s\n", name);
	} else {
		printf("FAIL guest/prog_%s: %s (status %d, out \"%.80s\", err \"%.80s\")\n",
		       name, why, status, out, err);
		failures++;
	}
	fflush(stdout);
}

/* Read fd to EOF into buf (NUL-terminated, cut to len - 1). */
static void drain(int fd, char *buf, size_t len)
{
	size_t got = 0;
	char sink[512];
	ssize_t n;

	for (;;) {
		if (got < len - 1)
			n = read(fd, buf + got, len - 1 - got);
		else
			n = read(fd, sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got < len - 1)
			got += n;
	}
	buf[got] = 0;
	close(fd);
}

/* Run /bin/<argv[0]> with argv, input on its stdin, as uid (unless
 * NO_UID); its output in out and err. Returns the exit status, or
 * 128 + the signal that ended it, or -1 if it could not be run. */
static int run_as(int uid, const char *input, const char *const *argv)
{
	int po[2], pe[2], pi[2];
	char path[64];
	pid_t pid;
	int ws;

	out[0] = err[0] = 0;
	if (pipe(po) < 0 || pipe(pe) < 0 || pipe(pi) < 0)
		return status = -1;
	snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	pid = fork();
	if (pid < 0)
		return status = -1;
	if (pid == 0) {
		static char *const envp[] = { "PATH=/bin", "PROGTEST=1", NULL };

		dup2(pi[0], 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]); close(po[1]);
		close(pe[0]); close(pe[1]);
		close(pi[0]); close(pi[1]);
		if (uid != NO_UID && (setgid(uid) < 0 || setuid(uid) < 0))
			_exit(126);
		execve(path, (char *const *)argv, envp);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	close(pi[0]);
	if (input && write(pi[1], input, strlen(input)) < 0)
		perror("progtest: write");
	close(pi[1]);
	drain(po[0], out, sizeof(out));
	drain(pe[0], err, sizeof(err));
	if (waitpid(pid, &ws, 0) < 0)
		return status = -1;
	status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return status;
}

#define RUN(...)	run_as(NO_UID, NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define RUN_IN(in, ...)	run_as(NO_UID, in, (const char *const[]){ __VA_ARGS__, NULL })

static void make_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		printf("progtest: cannot make %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Whether text has a line that is exactly line. */
static int has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[len] == '\n')
			return 1;
	return 0;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* The whole of a file into buf, or "" when it cannot be read. */
static const char *file_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	return buf;
}

static void test_trivial(void)
{
	check("true", RUN("true") == 0, "true did not exit 0");
	check("false", RUN("false") == 1, "false did not exit 1");
	check("echo", RUN("echo", "hello", "world") == 0 && !strcmp(out, "hello world\n"),
	      "wrong output");
	check("echo_n", RUN("echo", "-n", "x") == 0 && !strcmp(out, "x"), "wrong output");
	check("sleep_0", RUN("sleep", "0") == 0, "sleep 0 failed");
	check("sleep_bad", RUN("sleep", "abc") != 0 && strstr(err, "usage"),
	      "no usage line for a bad interval");
	check("pwd", RUN("pwd") == 0 && out[0] == '/' && strchr(out, '\n'), "no path printed");
}

static void test_ls(void)
{
	mkdir(DIR "/ls", 0755);
	make_file(DIR "/ls/b", "12345");
	make_file(DIR "/ls/a", "");
	make_file(DIR "/ls/.hidden", "");
	check("ls", RUN("ls", DIR "/ls") == 0 && !strcmp(out, "a\nb\n"), "wrong listing");
	check("ls_a", RUN("ls", "-a", DIR "/ls") == 0 &&
	      !strcmp(out, ".\n..\n.hidden\na\nb\n"), "wrong listing");
	RUN("ls", "-l", DIR "/ls");
	char mode[16], user[32], group[32], name[32];
	unsigned long links;
	long long size;
	const char *line = strstr(out, "\n-");

	int fields = line ? sscanf(line + 1, "%15s %lu %31s %31s %lld %*s %*s %*s %31s", mode,
				    &links, user, group, &size, name) : 0;
	line = line ? strstr(line + 1, "\n-") : NULL;
	int fields_b = line ? sscanf(line + 1, "%15s %lu %31s %31s %lld %*s %*s %*s %31s", mode,
				      &links, user, group, &size, name) : 0;
	check("ls_l", status == 0 && !strncmp(out, "total ", 6) && fields == 6 && fields_b == 6 &&
	      !strcmp(mode, "-rw-r--r--") && links == 1 && !strcmp(user, "root") &&
	      size == 5 && !strcmp(name, "b"), "wrong long listing");
	check("ls_missing", RUN("ls", "/nope") != 0 &&
	      !strcmp(err, "ls: /nope: No such file or directory\n"), "wrong error");
	check("ls_bad_option", RUN("ls", "-Z") == 2 && strstr(err, "usage: ls"),
	      "no usage line, or status not 2");
	check("ls_bin", RUN("ls", "/bin") == 0 && has_line(out, "ls") && has_line(out, "cat"),
	      "/bin lacks ls or cat");
}

static void test_files(void)
{
	char buf[256];

	make_file(DIR "/f1", "one\ntwo\nthree\n");
	make_file(DIR "/f2", "four\n");
	check("cat", RUN("cat", DIR "/f1", DIR "/f2") == 0 && !strcmp(out, "one\ntwo\nthree\nfour\n"),
	      "wrong output");
	check("cat_stdin", RUN_IN("piped\n", "cat") == 0 && !strcmp(out, "piped\n"), "wrong output");
	check("cat_missing", RUN("cat", DIR "/none") == 1 && strstr(err, "No such file"),
	      "wrong status or error");

	check("mkdir_p", RUN("mkdir", "-p", DIR "/d/e/f") == 0 && exists(DIR "/d/e/f"),
	      "no directory made");
	check("mkdir_p_exists", RUN("mkdir", "-p", DIR "/d/e") == 0, "-p on an existing dir failed");
	check("mkdir_exists", RUN("mkdir", DIR "/d") == 1 && strstr(err, "File exists"),
	      "no error for an existing dir");
	check("rmdir", RUN("rmdir", DIR "/d/e/f") == 0 && !exists(DIR "/d/e/f"), "not removed");
	check("rmdir_nonempty", RUN("rmdir", DIR "/d") == 1 && exists(DIR "/d"),
	      "a non-empty dir was removed");
	make_file(DIR "/d/e/g", "x");
	check("rm_dir_without_r", RUN("rm", DIR "/d") == 1 && exists(DIR "/d"),
	      "rm removed a directory without -r");
	check("rm_r", RUN("rm", "-r", DIR "/d") == 0 && !exists(DIR "/d"), "tree not removed");
	check("rm_missing", RUN("rm", DIR "/none") == 1 && strstr(err, "No such file"),
	      "no error for a missing file");
	check("rm_f_missing", RUN("rm", "-f", DIR "/none") == 0 && !err[0],
	      "-f complained about a missing file");

	check("cp", RUN("cp", DIR "/f1", DIR "/f3") == 0 &&
	      !strcmp(file_text(DIR "/f3", buf, sizeof(buf)), "one\ntwo\nthree\n"), "copy differs");
	mkdir(DIR "/cd", 0755);
	check("cp_into_dir", RUN("cp", DIR "/f1", DIR "/f2", DIR "/cd") == 0 &&
	      !strcmp(file_text(DIR "/cd/f2", buf, sizeof(buf)), "four\n"), "copy differs");
	check("mv", RUN("mv", DIR "/f3", DIR "/f4") == 0 && !exists(DIR "/f3") &&
	      !strcmp(file_text(DIR "/f4", buf, sizeof(buf)), "one\ntwo\nthree\n"), "not moved");
	check("mv_across", RUN("mv", DIR "/f4", "/progtest.moved") == 0 && !exists(DIR "/f4") &&
	      !strcmp(file_text("/progtest.moved", buf, sizeof(buf)), "one\ntwo\nthree\n"),
	      "not moved to another file system");
	unlink("/progtest.moved");
	check("ln_s", RUN("ln", "-s", "f1", DIR "/sl") == 0 &&
	      readlink(DIR "/sl", buf, sizeof(buf)) == 2 && !strncmp(buf, "f1", 2) &&
	      !strcmp(file_text(DIR "/sl", buf, sizeof(buf)), "one\ntwo\nthree\n"),
	      "no working symbolic link");
	RUN("ls", "-l", DIR "/sl");
	check("ls_l_symlink", status == 0 && out[0] == 'l' && strstr(out, "sl -> f1\n"),
	      "no arrow to the target");
	check("ln_hard", RUN("ln", DIR "/f2", DIR "/hl") == 0 &&
	      !strcmp(file_text(DIR "/hl", buf, sizeof(buf)), "four\n"), "no hard link");
	check("touch_creates", RUN("touch", DIR "/new") == 0 && exists(DIR "/new"),
	      "file not created");
	check("touch_existing", RUN("touch", DIR "/f1") == 0 &&
	      !strcmp(file_text(DIR "/f1", buf, sizeof(buf)), "one\ntwo\nthree\n"),
	      "existing file changed or error");
	check("touch_bad_option", RUN("touch", "-Z", "x") == 1 && strstr(err, "usage: touch"),
	      "no usage line");
}

static void test_text(void)
{
	unsigned long l, w, c;

	make_file(DIR "/t", "alpha beta\ngamma\nAlphabet soup\ndelta\nepsilon\n");
	check("wc", RUN("wc", DIR "/t") == 0 &&
	      sscanf(out, "%lu %lu %lu", &l, &w, &c) == 3 && l == 5 && w == 7 && c == 45,
	      "wrong counts");
	check("wc_l_stdin", RUN_IN("a\nb\n", "wc", "-l") == 0 && sscanf(out, "%lu", &l) == 1 &&
	      l == 2, "wrong count");
	check("head_n", RUN("head", "-n", "2", DIR "/t") == 0 && !strcmp(out, "alpha beta\ngamma\n"),
	      "wrong lines");
	check("head_default", RUN_IN("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "head") == 0 &&
	      !strcmp(out, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"), "not the first 10 lines");
	check("tail_n", RUN("tail", "-n", "2", DIR "/t") == 0 && !strcmp(out, "delta\nepsilon\n"),
	      "wrong lines");
	check("tail_stdin", RUN_IN("a\nb\nc", "tail", "-n", "1") == 0 && !strcmp(out, "c"),
	      "wrong last line");
	check("grep", RUN("grep", "alpha", DIR "/t") == 0 && !strcmp(out, "alpha beta\n"),
	      "wrong match");
	check("grep_i_n", RUN("grep", "-in", "ALPHA", DIR "/t") == 0 &&
	      !strcmp(out, "1:alpha beta\n3:Alphabet soup\n"), "wrong matches");
	check("grep_v_c", RUN("grep", "-vc", "a", DIR "/t") == 0 && !strcmp(out, "1\n"),
	      "wrong count");
	check("grep_no_match", RUN("grep", "zzz", DIR "/t") == 1 && !out[0], "status not 1");
	check("grep_missing", RUN("grep", "x", DIR "/none") == 2 && strstr(err, "No such file"),
	      "status not 2");
	check("grep_bad_option", RUN("grep", "-Z", "x") == 2 && strstr(err, "usage: grep"),
	      "no usage line");
	make_file(DIR "/bytes", "AB\001\n");
	check("hexdump_C", RUN("hexdump", "-C", DIR "/bytes") == 0 &&
	      !strcmp(out, "00000000  41 42 01 0a                                       |AB..|\n"
			   "00000004\n"), "wrong dump");
	check("hexdump", RUN("hexdump", DIR "/bytes") == 0 &&
	      !strcmp(out, "0000000 4241 0a01\n0000004\n"), "wrong dump");
}

static void test_system(void)
{
	char arg[32];

	check("env", RUN("env") == 0 && strstr(out, "PROGTEST=1\n") && strstr(out, "PATH=/bin\n"),
	      "environment not printed");
	check("env_run", RUN("env", "-i", "A=b", "env") == 0 && !strcmp(out, "A=b\n"),
	      "command not run in the new environment");
	check("uname_m", RUN("uname", "-m") == 0 && !strcmp(out, "x86_64\n"), "not x86_64");
	check("uname_a", RUN("uname", "-a") == 0 && strstr(out, "x86_64"), "no machine in -a");
	check("uname_bad_option", RUN("uname", "-Z") != 0 && strstr(err, "usage: uname"),
	      "no usage line");
	check("ps", RUN("ps") == 0 && strstr(out, "PID") && strstr(out, "\n    1 "),
	      "no pid 1 line");
	check("free", RUN("free") == 0 && strstr(out, "\nMem:"), "no Mem: line");
	snprintf(arg, sizeof(arg), "%d", (int)getpid());
	check("pmap", RUN("pmap", arg) == 0 && strstr(out, "[stack]") && strstr(out, " total "),
	      "no [stack] line");
	check("dmesg", RUN("dmesg") == 0 && strlen(out) > 10, "empty kernel log");
	check("kill_0", RUN("kill", "-0", arg) == 0, "kill -0 of self failed");
	check("kill_l", RUN("kill", "-l", "9") == 0 && !strcmp(out, "KILL\n"), "wrong name");
	check("kill_bad_signal", RUN("kill", "-NOPE", arg) != 0 && strstr(err, "usage"),
	      "no usage line");
	check("id", RUN("id") == 0 && !strncmp(out, "uid=0(root) gid=0(root)", 23), "wrong ids");
	check("whoami", RUN("whoami") == 0 && !strcmp(out, "root\n"), "not root");
	check("whoami_user", run_as(1000, NULL, (const char *const[]){ "whoami", NULL }) == 0 &&
	      !strcmp(out, "user\n"), "uid 1000 is not user");
	check("poweroff_eperm", run_as(1000, NULL, (const char *const[]){ "poweroff", NULL }) == 1 &&
	      strstr(err, "Operation not permitted"), "no EPERM as uid 1000");
	check("reboot_eperm", run_as(1000, NULL, (const char *const[]){ "reboot", NULL }) == 1 &&
	      strstr(err, "Operation not permitted"), "no EPERM as uid 1000");
	check("reboot_bad_option", RUN("reboot", "-Z") == 1 && strstr(err, "usage: reboot"),
	      "no usage line");
	check("clear", RUN("clear") == 0 && out[0] == '\033', "no escape sequence");
}

/* ipcs lists a segment, ipcrm removes it (the rest: sysvshmtest). */
static void test_ipc(void)
{
	int id = shmget(IPC_PRIVATE, 4096, 0600);
	char arg[16], row[32];

	snprintf(arg, sizeof(arg), "%d", id);
	snprintf(row, sizeof(row), "\n0x00000000 %-10d root ", id);
	check("ipcs", id >= 0 && RUN("ipcs", "-m") == 0 &&
	      strstr(out, "------ Shared Memory Segments --------\n") && strstr(out, row),
	      "segment not listed");
	check("ipcrm", RUN("ipcrm", "-m", arg) == 0 && RUN("ipcs", "-m") == 0 && !strstr(out, row),
	      "segment not removed");
	check("ipcrm_invalid", RUN("ipcrm", "-m", arg) == 1 && strstr(err, "invalid id"),
	      "no error for a removed id");
	shmctl(id, IPC_RMID, NULL);
}

/* The producer/consumer pair talks through each kind of shared memory,
 * and the consumer removes the object at the end. */
static void test_shmdemo(void)
{
	static const char *const kinds[] = { "-s", "-p" };

	for (int i = 0; i < 2; i++) {
		char script[96];
		int ok;

		snprintf(script, sizeof(script), "consumer %s & producer %s 3; wait",
			 kinds[i], kinds[i]);
		ok = RUN("sh", "-c", script) == 0 &&
		     strstr(out, "consumer: 1: message 1 of 3 from pid ") &&
		     strstr(out, "consumer: 3: message 3 of 3 from pid ") &&
		     strstr(out, "consumer: 3 messages\n") && strstr(out, "producer: sent 3 messages");
		check(i ? "shmdemo_posix" : "shmdemo_sysv", ok, "messages lost");
	}
	check("shmdemo_removed", !exists("/dev/shm/shmdemo") && RUN("ipcs", "-m") == 0 &&
	      !strstr(out, " 4096 "), "an object was left behind");
	check("shmdemo_usage", RUN("producer") == 2 && RUN("consumer", "-x") == 2,
	      "no usage error");
}

/* audit switches the trail and shows it (the records: audittest). It is
 * off again, and empty, at the end. */
static void test_audit(void)
{
	char own[32];
	void *p;

	check("audit_usage", RUN("audit") == 2 && strstr(err, "usage: audit"), "no usage");
	check("audit_bad", RUN("audit", "maybe") == 2 && strstr(err, "usage: audit"),
	      "no usage");
	check("audit_user_on", run_as(1000, NULL, (const char *const[]){ "audit", "on", NULL }) == 1 &&
	      strstr(err, "Operation not permitted"), "a user switched it");
	check("audit_user_show",
	      run_as(1000, NULL, (const char *const[]){ "audit", "show", NULL }) == 1 &&
	      strstr(err, "Permission denied"), "a user read it");
	check("audit_on", RUN("audit", "clear") == 0 && RUN("audit", "on") == 0, "not switched on");
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	snprintf(own, sizeof(own), "\"pid\":%d,", (int)getpid());
	check("audit_show", RUN("audit", "show") == 0 && strstr(out, "\"audit\":\"on\"") &&
	      strstr(out, "\"call\":\"munmap\"") && strstr(out, own), "no record of our munmap");
	check("audit_off", RUN("audit", "off") == 0 && RUN("audit", "clear") == 0 &&
	      RUN("audit", "show") == 0 && strstr(out, "\"audit\":\"off\",\"records\":0,"),
	      "not off and empty");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (mkdir(DIR, 0755) < 0 && errno != EEXIST) {
		printf("FAIL guest/prog_setup: mkdir %s: %s\n", DIR, strerror(errno));
		return 1;
	}
	test_trivial();
	test_ls();
	test_files();
	test_text();
	test_system();
	test_ipc();
	test_shmdemo();
	test_audit();
	check("rm_rf_cleanup", RUN("rm", "-rf", DIR) == 0 && !exists(DIR), "test tree left");
	return failures ? 1 : 0;
}
