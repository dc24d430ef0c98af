/* The initial process stack of the SysV x86-64 ABI (proc/exec_stack.c):
 * argc, argv, envp and the auxiliary vector, with the strings and the
 * AT_RANDOM bytes above them. Pure: it lays the stack out in a kernel
 * buffer that stands for the top of the user stack; exec copies it in. */
#ifndef EXEC_STACK_H
#define EXEC_STACK_H
#include <stddef.h>
#include <stdint.h>

#define EXEC_RANDOM_BYTES	16	/* what AT_RANDOM points at */
#define EXEC_CLKTCK		100	/* AT_CLKTCK: times(2) ticks per second */
#define EXEC_AUXV_PAIRS		17	/* entries written, AT_NULL included */

/* Everything the stack says about the new program. Strings and arrays
 * are the caller's and are only read. */
struct exec_stack_args {
	const char *const *argv;	/* argc strings */
	size_t argc;
	const char *const *envp;	/* envc strings */
	size_t envc;
	const char *execfn;		/* AT_EXECFN: the name given to execve */
	const uint8_t *random;		/* EXEC_RANDOM_BYTES bytes */
	uint64_t phdr, phent, phnum;	/* AT_PHDR, AT_PHENT, AT_PHNUM */
	uint64_t entry;			/* AT_ENTRY */
	uint64_t uid, euid, gid, egid;	/* AT_UID .. AT_EGID */
	uint64_t secure;		/* AT_SECURE */
	uint64_t hwcap;			/* AT_HWCAP: CPUID.1 EDX */
};

/*
 * exec_stack_build - lay out the initial stack.
 * @a:		what to put on it
 * @top:	user address just above the stack (16-byte aligned)
 * @buf:	kernel buffer standing for user memory [top - size, top):
 *		buf[i] is the byte at top - size + i
 * @size:	bytes in @buf; nothing is written below top - size
 * @rsp:	out: the user rsp at entry (16-byte aligned, argc at it)
 *
 * From top down: 8 zero bytes, the execfn, envp and argv strings, the
 * AT_RANDOM bytes, padding to 16, then (upwards from rsp) argc, argv[],
 * NULL, envp[], NULL, the auxv pairs ending with AT_NULL. Pointers on
 * the stack are user addresses. Returns 0, -E2BIG when it does not fit
 * in @size, or -EINVAL for a misaligned @top or @size (both multiples of
 * 16; @buf 16-byte aligned) or a missing argument.
 */
int exec_stack_build(const struct exec_stack_args *a, uint64_t top,
		     void *buf, size_t size, uint64_t *rsp);

#endif
