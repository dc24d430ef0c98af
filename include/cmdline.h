/* The kernel command line (kernel/cmdline.c): words separated by blanks
 * (spaces, tabs), either "flag" or "key=value"; double quotes may wrap a
 * value or the whole word and keep the blanks inside it. */
#ifndef CMDLINE_H
#define CMDLINE_H
#include <stddef.h>

/* Pure helpers over a command-line string, host-tested:
 * cmdline_find copies the value of key (empty for a bare flag) into
 * val (at most len bytes with NUL) and returns its length, or -1 when the
 * key is absent. The last occurrence wins, as on Linux. The length is
 * the value's full length, as snprintf's: >= len means it was truncated.
 * A NULL cmdline is empty; val may be NULL when len is 0. */
int cmdline_find(const char *cmdline, const char *key, char *val, size_t len);

/* The boot command line, saved by cmdline_init (at most 1023 bytes; a
 * longer line is cut at its last blank before that). */
void cmdline_init(const char *cmdline);
const char *cmdline_raw(void);
int cmdline_get(const char *key, char *val, size_t len);
int cmdline_has(const char *key);	/* present as flag or key=value */

#endif
