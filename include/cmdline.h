/* The kernel command line (kernel/cmdline.c): words separated by spaces,
 * either "flag" or "key=value"; values may be double-quoted. */
#ifndef CMDLINE_H
#define CMDLINE_H
#include <stddef.h>

/* Pure helpers over a command-line string, host-tested:
 * cmdline_find copies the value of key (empty for a bare flag) into
 * val (at most len bytes with NUL) and returns its length, or -1 when the
 * key is absent. The last occurrence wins, as on Linux. */
int cmdline_find(const char *cmdline, const char *key, char *val, size_t len);

/* The boot command line, saved by cmdline_init. */
void cmdline_init(const char *cmdline);
const char *cmdline_raw(void);
int cmdline_get(const char *key, char *val, size_t len);
int cmdline_has(const char *key);	/* present as flag or key=value */

#endif
