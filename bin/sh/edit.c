/* The shell's line editor: puts the terminal in raw mode for the length of
 * one line, redraws the line after each key with ANSI sequences, keeps the
 * history, and completes command names and paths with tab. Running what
 * was typed is main.c's business. */
#include "edit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define LINE_MAX_LEN	1024
#define HIST_MAX	100
#define MATCH_MAX	256

const char *const *edit_builtin_names;

static char *history[HIST_MAX];
static int hist_len;

struct line {
	char buf[LINE_MAX_LEN];
	int len, pos;
	const char *prompt;
};

static void out(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void outs(const char *s)
{
	out(s, strlen(s));
}

/* Redraw prompt and line, and put the cursor back at pos. */
static void redraw(struct line *l)
{
	char tail[32];

	outs("\r");
	outs(l->prompt);
	out(l->buf, (size_t)l->len);
	outs("\x1b[K");
	if (l->pos < l->len) {
		snprintf(tail, sizeof(tail), "\x1b[%dD", l->len - l->pos);
		outs(tail);
	}
}

static void insert(struct line *l, const char *s, int n)
{
	if (l->len + n >= LINE_MAX_LEN - 1)
		return;
	memmove(l->buf + l->pos + n, l->buf + l->pos, (size_t)(l->len - l->pos));
	memcpy(l->buf + l->pos, s, (size_t)n);
	l->len += n;
	l->pos += n;
}

/* Delete [from, to) of the line. */
static void erase(struct line *l, int from, int to)
{
	if (from >= to)
		return;
	memmove(l->buf + from, l->buf + to, (size_t)(l->len - to));
	l->len -= to - from;
	if (l->pos > to)
		l->pos -= to - from;
	else if (l->pos > from)
		l->pos = from;
}

static void set_line(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (n >= LINE_MAX_LEN)
		n = LINE_MAX_LEN - 1;
	memcpy(l->buf, s, n);
	l->len = l->pos = (int)n;
}

void edit_history_add(const char *line)
{
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || (hist_len && !strcmp(history[hist_len - 1], line)))
		return;
	if (hist_len == HIST_MAX) {
		free(history[0]);
		memmove(history, history + 1, sizeof(history[0]) * (HIST_MAX - 1));
		hist_len--;
	}
	history[hist_len] = malloc(strlen(line) + 1);
	if (history[hist_len])
		strcpy(history[hist_len++], line);
}

/* ---- completion --------------------------------------------------------- */

struct matches {
	char *v[MATCH_MAX];
	int n;
};

static void match_add(struct matches *m, const char *name, int is_dir)
{
	size_t len = strlen(name);

	if (m->n == MATCH_MAX)
		return;
	for (int i = 0; i < m->n; i++)
		if (!strncmp(m->v[i], name, len) && (m->v[i][len] == 0 || m->v[i][len] == '/'))
			return;
	m->v[m->n] = malloc(len + 2);
	if (!m->v[m->n])
		return;
	memcpy(m->v[m->n], name, len);
	m->v[m->n][len] = is_dir ? '/' : 0;
	m->v[m->n][len + 1] = 0;
	m->n++;
}

/* Entries of dir starting with prefix (dot files only when asked for). */
static void match_dir(struct matches *m, const char *dir, const char *prefix,
		      int dirs_marked)
{
	size_t plen = strlen(prefix);
	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char full[1024];
		struct stat st;
		int is_dir = 0;

		if (strncmp(e->d_name, prefix, plen))
			continue;
		if (e->d_name[0] == '.' && prefix[0] != '.')
			continue;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (dirs_marked) {
			snprintf(full, sizeof(full), "%s%s", *dir ? dir : "./", e->d_name);
			is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
		}
		match_add(m, e->d_name, is_dir);
	}
	closedir(d);
}

/* Is the word starting at start the first of a command? */
static int command_position(const struct line *l, int start)
{
	for (int i = start - 1; i >= 0; i--) {
		char c = l->buf[i];

		if (c == ' ' || c == '\t')
			continue;
		return c == '|' || c == ';' || c == '&';
	}
	return 1;
}

static void complete(struct line *l)
{
	struct matches m = { .n = 0 };
	char word[LINE_MAX_LEN], dir[LINE_MAX_LEN];
	const char *base;
	int start = l->pos, common;

	while (start > 0 && !strchr(" \t|;&<>", l->buf[start - 1]))
		start--;
	memcpy(word, l->buf + start, (size_t)(l->pos - start));
	word[l->pos - start] = 0;
	base = strrchr(word, '/');
	if (!base && command_position(l, start)) {
		const char *path = getenv("PATH");
		char pdir[512];

		for (int i = 0; edit_builtin_names && edit_builtin_names[i]; i++)
			if (!strncmp(edit_builtin_names[i], word, strlen(word)))
				match_add(&m, edit_builtin_names[i], 0);
		for (path = path ? path : "/bin"; *path;) {
			size_t n = strcspn(path, ":");

			snprintf(pdir, sizeof(pdir), "%.*s/", (int)n, path);
			match_dir(&m, pdir, word, 0);
			path += n + (path[n] == ':');
		}
		base = word;
	} else {
		if (base) {
			memcpy(dir, word, (size_t)(base - word + 1));
			dir[base - word + 1] = 0;
			base++;
		} else {
			dir[0] = 0;
			base = word;
		}
		match_dir(&m, dir, base, 1);
	}
	if (m.n == 0) {
		outs("\a");
		return;
	}
	/* The longest prefix common to every match. */
	common = (int)strlen(m.v[0]);
	for (int i = 1; i < m.n; i++) {
		int k = 0;

		while (k < common && m.v[i][k] == m.v[0][k])
			k++;
		common = k;
	}
	if (m.n == 1) {
		size_t n = strlen(m.v[0]);

		insert(l, m.v[0] + strlen(base), (int)(n - strlen(base)));
		if (m.v[0][n - 1] != '/')
			insert(l, " ", 1);
	} else if (common > (int)strlen(base)) {
		insert(l, m.v[0] + strlen(base), common - (int)strlen(base));
	} else {
		outs("\r\n");
		for (int i = 0; i < m.n; i++) {
			outs(m.v[i]);
			outs(i + 1 < m.n ? "  " : "\r\n");
		}
	}
	for (int i = 0; i < m.n; i++)
		free(m.v[i]);
}

/* ---- the editor --------------------------------------------------------- */

static int read_key(void)
{
	unsigned char c;

	return read(0, &c, 1) == 1 ? c : -1;
}

/* After ESC: the rest of an escape sequence, as one of these keys. */
enum { K_NONE, K_UP, K_DOWN, K_RIGHT, K_LEFT, K_HOME, K_END, K_DEL };

static int read_escape(void)
{
	int c = read_key(), d;

	if (c != '[' && c != 'O')
		return K_NONE;
	d = read_key();
	switch (d) {
	case 'A': return K_UP;
	case 'B': return K_DOWN;
	case 'C': return K_RIGHT;
	case 'D': return K_LEFT;
	case 'H': return K_HOME;
	case 'F': return K_END;
	}
	if (d >= '0' && d <= '9') {
		int e = read_key();

		while (e >= '0' && e <= '9')
			e = read_key();
		if (e != '~')
			return K_NONE;
		switch (d) {
		case '1': case '7': return K_HOME;
		case '4': case '8': return K_END;
		case '3': return K_DEL;
		}
	}
	return K_NONE;
}

static int word_start(const struct line *l)
{
	int i = l->pos;

	while (i > 0 && l->buf[i - 1] == ' ')
		i--;
	while (i > 0 && l->buf[i - 1] != ' ')
		i--;
	return i;
}

static void history_move(struct line *l, int *hi, int delta, char **saved)
{
	int to = *hi + delta;

	if (to < 0 || to > hist_len)
		return;
	if (*hi == hist_len) {
		free(*saved);
		*saved = malloc((size_t)l->len + 1);
		if (*saved) {
			memcpy(*saved, l->buf, (size_t)l->len);
			(*saved)[l->len] = 0;
		}
	}
	*hi = to;
	set_line(l, to == hist_len ? (*saved ? *saved : "") : history[to]);
}

/* Edit until enter (1), ^C (0) or ^D on an empty line / error (-1). */
static int edit_loop(struct line *l)
{
	char *saved = NULL;
	int hi = hist_len, r = -2;

	redraw(l);
	while (r == -2) {
		int c = read_key();

		switch (c) {
		case -1: r = -1; break;
		case '\r': case '\n': r = 1; break;
		case 3: outs("^C"); r = 0; break;				/* ^C */
		case 4:								/* ^D */
			if (l->len == 0)
				r = -1;
			else
				erase(l, l->pos, l->pos + 1 > l->len ? l->len : l->pos + 1);
			break;
		case 1: l->pos = 0; break;					/* ^A */
		case 5: l->pos = l->len; break;					/* ^E */
		case 2: if (l->pos > 0) l->pos--; break;			/* ^B */
		case 6: if (l->pos < l->len) l->pos++; break;			/* ^F */
		case 8: case 127: if (l->pos > 0) erase(l, l->pos - 1, l->pos); break;
		case 11: erase(l, l->pos, l->len); break;			/* ^K */
		case 21: erase(l, 0, l->pos); break;				/* ^U */
		case 23: erase(l, word_start(l), l->pos); break;		/* ^W */
		case 12: outs("\x1b[H\x1b[2J"); break;				/* ^L */
		case 16: history_move(l, &hi, -1, &saved); break;		/* ^P */
		case 14: history_move(l, &hi, 1, &saved); break;		/* ^N */
		case '\t': complete(l); break;
		case 27:
			switch (read_escape()) {
			case K_UP: history_move(l, &hi, -1, &saved); break;
			case K_DOWN: history_move(l, &hi, 1, &saved); break;
			case K_LEFT: if (l->pos > 0) l->pos--; break;
			case K_RIGHT: if (l->pos < l->len) l->pos++; break;
			case K_HOME: l->pos = 0; break;
			case K_END: l->pos = l->len; break;
			case K_DEL: if (l->pos < l->len) erase(l, l->pos, l->pos + 1); break;
			}
			break;
		default:
			if (c >= 32 && c != 127) {
				char ch = (char)c;

				insert(l, &ch, 1);
			}
		}
		if (r == -2)
			redraw(l);
	}
	free(saved);
	if (r == 1) {
		l->pos = l->len;
		redraw(l);
	}
	outs("\r\n");
	return r;
}

char *edit_read_line(const char *prompt)
{
	static struct line l;
	struct termios orig, raw;
	char *s;
	int r;

	l.len = l.pos = 0;
	l.prompt = prompt;
	if (tcgetattr(0, &orig) < 0)
		return NULL;
	raw = orig;
	raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(ICRNL | INLCR | IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSADRAIN, &raw);
	r = edit_loop(&l);
	tcsetattr(0, TCSADRAIN, &orig);
	if (r < 0)
		return NULL;
	if (r == 0)
		l.len = 0;
	s = malloc((size_t)l.len + 1);
	if (s) {
		memcpy(s, l.buf, (size_t)l.len);
		s[l.len] = 0;
	}
	return s;
}
