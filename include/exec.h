/* Running programs (proc/exec.c): execve, starting init from kmain, and
 * the test entry's runner for the user-mode test programs in /bin. The
 * initial stack layout is exec_stack.h's, ELF validation elf_check.h's,
 * "#!" parsing script.h's; fork and wait4 are proc/fork.c's and
 * proc/wait.c's. */
#ifndef EXEC_H
#define EXEC_H
#include <stddef.h>

#define EXEC_ARG_MAX	(128 * 1024)	/* argv + envp: strings and pointers */
#define EXEC_MAX_DEPTH	4		/* "#!" rewrites before -ELOOP */

/*
 * Replace current's program with the one at path (resolved from its cwd),
 * with argv and envp from kernel memory (NULL-terminated arrays). Returns
 * only on failure, with current unchanged: -ENOENT, -EACCES, -ENOEXEC,
 * -ELOOP, -E2BIG, -ENOMEM, ... On success it enters user mode.
 */
int kernel_execve(const char *path, const char *const *argv,
		  const char *const *envp);

/*
 * kmain's last step on the normal boot: become init. Opens fds 0, 1 and 2
 * on the console and execs init= from the command line, or /bin/init.
 * Returns only when there is no /bin/init and none was named (the caller
 * halts); a named init that cannot run panics.
 */
void exec_start_init(void);

/*
 * The test entry's user-mode suite: runs every /bin/<name>test program
 * with its output captured, echoes that output, and adds its "PASS " and
 * "FAIL " lines, plus one line for each program's exit status, to the
 * counts. From kmain (pid 1) after the kernel self-tests.
 */
void exec_run_guest_tests(int *passed, int *failed);

#endif
