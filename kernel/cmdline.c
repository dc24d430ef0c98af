/* STUB: replaced by the command-line work. */
#include <cmdline.h>
#include <string.h>
static const char *saved = "";
void cmdline_init(const char *c) { if (c) saved = c; }
const char *cmdline_raw(void) { return saved; }
int cmdline_find(const char *c, const char *k, char *v, size_t l) { (void)c; (void)k; (void)v; (void)l; return -1; }
int cmdline_get(const char *k, char *v, size_t l) { return cmdline_find(saved, k, v, l); }
int cmdline_has(const char *k) { (void)k; return saved[0] == 't'; }
