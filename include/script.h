/* "#!" interpreter lines (proc/script.c): which program runs a script and
 * with what optional argument. Pure parsing; exec builds the new argv
 * (interp, [arg], script path, the original argv[1..]) and restarts. */
#ifndef SCRIPT_H
#define SCRIPT_H
#include <stddef.h>
#include <stdbool.h>

/* The "#!" line, "#!" included and '\n' excluded, is at most this long,
 * so that it and its newline fit the 256 bytes Linux reads for it. */
#define SCRIPT_LINE_MAX	255

struct script_interp {
	char interp[SCRIPT_LINE_MAX + 1];	/* interpreter path */
	char arg[SCRIPT_LINE_MAX + 1];		/* the one argument, or "" */
	bool has_arg;				/* whether arg was given */
};

/*
 * script_parse - read the "#!interp [arg]" line at the start of a file.
 * @buf, @len:	the whole file, or at least its first SCRIPT_LINE_MAX + 1
 *		bytes; a line without '\n' inside @buf then ends the file
 * @out:	filled on success
 *
 * As Linux: spaces and tabs after "#!" are skipped, the interpreter runs to
 * the next space or tab, and the rest of the line, trimmed of spaces and
 * tabs at both ends, is one argument however many words it has. Returns 0,
 * or -ENOEXEC when @buf does not start with "#!", the line is too long or
 * holds a NUL byte, or it names no interpreter.
 */
int script_parse(const char *buf, size_t len, struct script_interp *out);

#endif
