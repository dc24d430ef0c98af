/* Process start-up and shutdown: __libc_start_main (called by crt0 with
 * the initial stack pointer), the constructors, atexit handlers, exit and
 * abort. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

char **environ;
char *program_invocation_name = "";
char *program_invocation_short_name = "";
unsigned long __auxv_pagesz = 4096;

extern void (*__preinit_array_start[])(int, char **, char **) __attribute__((weak));
extern void (*__preinit_array_end[])(int, char **, char **) __attribute__((weak));
extern void (*__init_array_start[])(int, char **, char **) __attribute__((weak));
extern void (*__init_array_end[])(int, char **, char **) __attribute__((weak));
extern void (*__fini_array_start[])(void) __attribute__((weak));
extern void (*__fini_array_end[])(void) __attribute__((weak));

int main(int argc, char **argv, char **envp);

#define ATEXIT_MAX 64
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

_Noreturn void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	for (long i = __fini_array_end - __fini_array_start; i > 0; i--)
		__fini_array_start[i - 1]();
	__stdio_flush_all();
	_exit(status);
}

/* sp: argc, then argv[argc] and NULL, envp and NULL, auxv pairs. */
_Noreturn void __libc_start_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	unsigned long *aux;

	environ = envp;
	for (aux = (unsigned long *)envp; *aux; aux++)
		;
	for (aux++; aux[0]; aux += 2)
		if (aux[0] == 6)	/* AT_PAGESZ */
			__auxv_pagesz = aux[1];
	if (argc > 0 && argv[0]) {
		char *slash = strrchr(argv[0], '/');
		program_invocation_name = argv[0];
		program_invocation_short_name = slash ? slash + 1 : argv[0];
	}
	for (long i = 0; i < __preinit_array_end - __preinit_array_start; i++)
		__preinit_array_start[i](argc, argv, envp);
	for (long i = 0; i < __init_array_end - __init_array_start; i++)
		__init_array_start[i](argc, argv, envp);
	exit(main(argc, argv, envp));
}

_Noreturn void abort(void)
{
	raise(SIGABRT);
	/* caught and returned, or ignored: die by the default action */
	signal(SIGABRT, SIG_DFL);
	sigset_t unblock = 1ul << (SIGABRT - 1);
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
	raise(SIGABRT);
	_exit(127);
}

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	extern int dprintf(int, const char *, ...);

	__stdio_flush_all();
	dprintf(2, "%s: %s:%d: %s: Assertion `%s' failed.\n",
		program_invocation_short_name, file, line, func, expr);
	abort();
}
