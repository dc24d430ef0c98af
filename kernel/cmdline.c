/* The kernel command line: a pure word scanner (cmdline_find, host-tested
 * in test/host/test_cmdline.c) and the saved copy of the boot command line
 * that the rest of the kernel queries. The copy is taken at boot because
 * the loader's information block is not ours to keep forever. */
#include <cmdline.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define CMDLINE_MAX 1024	/* saved bytes, NUL included */

static char saved[CMDLINE_MAX];

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Scan one word starting at p (not blank) and end at the first blank
 * outside double quotes. Quotes are dropped wherever they appear, so
 * key="a b" and "key=a b" both give key with value a b. When the word's
 * key equals key, its value goes to val (truncated to len with NUL) and
 * *found gets the value's full length. Returns the end of the word.
 */
static const char *scan_word(const char *p, const char *key, size_t klen,
			     char *val, size_t len, long *found)
{
	bool quoted = false, in_value = false, match = true;
	size_t ki = 0, vi = 0;

	for (; *p && (quoted || !is_blank(*p)); p++) {
		char c = *p;

		if (c == '"') {
			quoted = !quoted;
		} else if (in_value) {
			if (match && vi + 1 < len)
				val[vi] = c;
			vi++;
		} else if (c == '=') {
			in_value = true;
			match = match && ki == klen;
		} else if (ki < klen && key[ki] == c) {
			ki++;
		} else {
			match = false;
		}
	}
	if (!in_value)
		match = match && ki == klen;
	if (match) {
		if (len)
			val[vi < len ? vi : len - 1] = 0;
		*found = vi;
	}
	return p;
}

int cmdline_find(const char *cmdline, const char *key, char *val, size_t len)
{
	size_t klen;
	long found = -1;

	if (!val)
		len = 0;
	if (len)
		val[0] = 0;
	if (!cmdline || !key || !(klen = strlen(key)) || strchr(key, '='))
		return -1;

	while (*cmdline) {
		if (is_blank(*cmdline))
			cmdline++;
		else
			cmdline = scan_word(cmdline, key, klen, val, len, &found);
	}
	return found > INT32_MAX ? INT32_MAX : (int)found;
}

/* Keep at most CMDLINE_MAX - 1 bytes; a word cut in two would be a wrong
 * value ("init=/bin/s"), so a truncated line ends at its last blank. */
void cmdline_init(const char *cmdline)
{
	size_t n;

	saved[0] = 0;
	if (!cmdline)
		return;
	n = strnlen(cmdline, CMDLINE_MAX);
	if (n < CMDLINE_MAX) {
		memcpy(saved, cmdline, n + 1);
		return;
	}
	n = CMDLINE_MAX - 1;
	while (n > 0 && !is_blank(cmdline[n]))
		n--;
	memcpy(saved, cmdline, n);
	saved[n] = 0;
}

const char *cmdline_raw(void)
{
	return saved;
}

int cmdline_get(const char *key, char *val, size_t len)
{
	return cmdline_find(saved, key, val, len);
}

int cmdline_has(const char *key)
{
	return cmdline_find(saved, key, NULL, 0) >= 0;
}
