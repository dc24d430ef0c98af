/* The interactive line editor of the shell (edit.c): raw-mode editing,
 * history and tab completion on a terminal. */
#ifndef SH_EDIT_H
#define SH_EDIT_H

/* Names offered when completing the first word of a command, besides the
 * programs found in $PATH; NULL-terminated. Set by main.c. */
extern const char *const *edit_builtin_names;

/* Show prompt and read one line from the terminal on fd 0 with editing.
 * Returns a malloc'd line without its newline, "" after ^C, or NULL at
 * ^D on an empty line (or a read error). The terminal's mode is restored
 * before returning. */
char *edit_read_line(const char *prompt);

/* Remember a line for up/down (blank lines and repeats are skipped). */
void edit_history_add(const char *line);

#endif
