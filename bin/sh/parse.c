/* The shell's parser and word expander: pure code over strings, malloc and
 * a caller-supplied variable lookup (see parse.h). Tokens are words (kept
 * raw, quotes and all), operators (| || & && ; newline) and redirections
 * with an optional descriptor number in front (2> 2>&1 >&2 >> <). */
#include "parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable things ---------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

static void sb_putc(struct sbuf *b, char c)
{
	if (b->oom)
		return;
	if (b->len + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->oom = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	b->s[b->len++] = c;
	b->s[b->len] = 0;
}

static void sb_puts(struct sbuf *b, const char *s)
{
	while (*s)
		sb_putc(b, *s++);
}

/* The buffer's string, handed over (an empty one when nothing was put). */
static char *sb_take(struct sbuf *b)
{
	char *s = b->s;

	if (!s && !b->oom)
		s = calloc(1, 1);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/* Grow *v (of *cap elements of size sz) to hold n + 1; 0 or -1. */
static int grow(void **v, int *cap, int n, size_t sz)
{
	void *nv;
	int ncap;

	if (n + 1 <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	nv = realloc(*v, (size_t)ncap * sz);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- lexer -------------------------------------------------------------- */

enum tok_type {
	T_END, T_WORD, T_NEWLINE, T_SEMI, T_AMP, T_AND, T_PIPE, T_OR,
	T_LESS, T_GREAT, T_DGREAT, T_GREATAND, T_LESSAND,
};

struct tok {
	enum tok_type type;
	char *word;	/* T_WORD: the raw text, malloc'd */
	int io;		/* redirections: the descriptor written before, or -1 */
};

struct lexer {
	const char *p;
	char *err;
	size_t errlen;
	int result;	/* SH_PARSE_OK until something goes wrong */
	struct tok tok;	/* the current token */
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int is_op_char(char c)
{
	return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '\n';
}

static const char *tok_name(const struct tok *t)
{
	static const char *const names[] = {
		[T_END] = "end of file", [T_NEWLINE] = "newline", [T_SEMI] = ";",
		[T_AMP] = "&", [T_AND] = "&&", [T_PIPE] = "|", [T_OR] = "||",
		[T_LESS] = "<", [T_GREAT] = ">", [T_DGREAT] = ">>",
		[T_GREATAND] = ">&", [T_LESSAND] = "<&",
	};

	return t->type == T_WORD ? t->word : names[t->type];
}

/* Scan one raw word starting at lx->p; NULL on an unfinished quote (the
 * result is set to INCOMPLETE) or out of memory. */
static char *lex_word(struct lexer *lx)
{
	struct sbuf b = { 0 };
	const char *p = lx->p;

	while (*p && !is_blank(*p) && !is_op_char(*p)) {
		if (*p == '\\') {
			if (!p[1])
				goto incomplete;
			if (p[1] == '\n') {	/* line continuation */
				p += 2;
				continue;
			}
			sb_putc(&b, *p++);
			sb_putc(&b, *p++);
		} else if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');

			if (!q)
				goto incomplete;
			while (p <= q)
				sb_putc(&b, *p++);
		} else if (*p == '"') {
			sb_putc(&b, *p++);
			while (*p != '"') {
				if (!*p)
					goto incomplete;
				if (*p == '\\' && p[1])
					sb_putc(&b, *p++);
				sb_putc(&b, *p++);
			}
			sb_putc(&b, *p++);
		} else {
			sb_putc(&b, *p++);
		}
	}
	lx->p = p;
	if (b.oom) {
		set_err(lx->err, lx->errlen, "out of memory");
		lx->result = SH_PARSE_ERROR;
		return NULL;
	}
	return sb_take(&b);
incomplete:
	free(b.s);
	set_err(lx->err, lx->errlen, "unexpected end of file (unterminated quote or escape)");
	lx->result = SH_PARSE_INCOMPLETE;
	return NULL;
}

/* Read the next token into lx->tok; 0, or -1 with lx->result set. */
static int lex_next(struct lexer *lx)
{
	const char *p = lx->p;
	struct tok *t = &lx->tok;

	t->type = T_END;
	t->word = NULL;
	t->io = -1;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\\' && p[1] == '\n') {
			p += 2;
			continue;
		}
		if (*p == '#')
			while (*p && *p != '\n')
				p++;
		break;
	}
	/* A number right before < or > names the descriptor. */
	if (*p >= '0' && *p <= '9') {
		const char *q = p;
		int n = 0;

		while (*q >= '0' && *q <= '9' && n < 10000)
			n = n * 10 + (*q++ - '0');
		if (*q == '<' || *q == '>') {
			t->io = n;
			p = q;
		}
	}
	switch (*p) {
	case 0:
		lx->p = p;
		return 0;
	case '\n': t->type = T_NEWLINE; p++; break;
	case ';': t->type = T_SEMI; p++; break;
	case '&':
		t->type = p[1] == '&' ? T_AND : T_AMP;
		p += p[1] == '&' ? 2 : 1;
		break;
	case '|':
		t->type = p[1] == '|' ? T_OR : T_PIPE;
		p += p[1] == '|' ? 2 : 1;
		break;
	case '<':
		t->type = p[1] == '&' ? T_LESSAND : T_LESS;
		p += p[1] == '&' ? 2 : 1;
		break;
	case '>':
		if (p[1] == '>') {
			t->type = T_DGREAT;
			p += 2;
		} else if (p[1] == '&') {
			t->type = T_GREATAND;
			p += 2;
		} else {
			t->type = T_GREAT;
			p++;
		}
		break;
	default:
		lx->p = p;
		t->type = T_WORD;
		t->word = lex_word(lx);
		return t->word ? 0 : -1;
	}
	lx->p = p;
	return 0;
}

/* ---- parser ------------------------------------------------------------- */

static int syntax_error(struct lexer *lx)
{
	if (lx->tok.type == T_END) {
		set_err(lx->err, lx->errlen, "syntax error: unexpected end of file");
		lx->result = SH_PARSE_INCOMPLETE;
	} else {
		set_err(lx->err, lx->errlen, "syntax error near unexpected token `%s'",
			tok_name(&lx->tok));
		lx->result = SH_PARSE_ERROR;
	}
	return -1;
}

static int oom(struct lexer *lx)
{
	set_err(lx->err, lx->errlen, "out of memory");
	lx->result = SH_PARSE_ERROR;
	return -1;
}

static int is_redir(enum tok_type t)
{
	return t == T_LESS || t == T_GREAT || t == T_DGREAT ||
	       t == T_GREATAND || t == T_LESSAND;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* The current token is a redirection operator: read its target. */
static int parse_redir(struct lexer *lx, struct sh_cmd *c, int *cap)
{
	struct sh_redir r = { 0 };
	enum tok_type op = lx->tok.type;

	r.fd = lx->tok.io >= 0 ? lx->tok.io : (op == T_LESS || op == T_LESSAND ? 0 : 1);
	if (lex_next(lx))
		return -1;
	if (lx->tok.type != T_WORD)
		return syntax_error(lx);
	switch (op) {
	case T_LESS: r.kind = SH_R_IN; break;
	case T_GREAT: r.kind = SH_R_OUT; break;
	case T_DGREAT: r.kind = SH_R_APPEND; break;
	default:
		if (!all_digits(lx->tok.word)) {
			set_err(lx->err, lx->errlen, "%s: ambiguous redirect", lx->tok.word);
			lx->result = SH_PARSE_ERROR;
			free(lx->tok.word);
			lx->tok.word = NULL;
			return -1;
		}
		r.kind = SH_R_DUP;
		r.dupfd = atoi(lx->tok.word);
		free(lx->tok.word);
		lx->tok.word = NULL;
		break;
	}
	if (r.kind != SH_R_DUP)
		r.word = lx->tok.word;
	lx->tok.word = NULL;
	if (grow((void **)&c->redirs, cap, c->nredirs, sizeof(r))) {
		free(r.word);
		return oom(lx);
	}
	c->redirs[c->nredirs++] = r;
	return lex_next(lx);
}

static void cmd_free(struct sh_cmd *c)
{
	for (int i = 0; i < c->nwords; i++)
		free(c->words[i]);
	free(c->words);
	for (int i = 0; i < c->nredirs; i++)
		free(c->redirs[i].word);
	free(c->redirs);
}

/* cmd := (word | redirection)+ */
static int parse_cmd(struct lexer *lx, struct sh_cmd *c)
{
	int wcap = 0, rcap = 0, args_started = 0;

	memset(c, 0, sizeof(*c));
	for (;;) {
		if (lx->tok.type == T_WORD) {
			if (grow((void **)&c->words, &wcap, c->nwords + 1, sizeof(char *)))
				return oom(lx);
			if (!args_started && sh_is_assignment(lx->tok.word))
				c->nassign++;
			else
				args_started = 1;
			c->words[c->nwords++] = lx->tok.word;
			c->words[c->nwords] = NULL;
			lx->tok.word = NULL;
			if (lex_next(lx))
				return -1;
		} else if (is_redir(lx->tok.type)) {
			if (parse_redir(lx, c, &rcap))
				return -1;
		} else {
			break;
		}
	}
	if (!c->nwords && !c->nredirs)
		return syntax_error(lx);
	return 0;
}

static void pipeline_free(struct sh_pipeline *p)
{
	for (int i = 0; i < p->ncmds; i++)
		cmd_free(&p->cmds[i]);
	free(p->cmds);
}

/* Skip newlines after | && || (the line goes on). */
static int skip_newlines(struct lexer *lx)
{
	while (lx->tok.type == T_NEWLINE)
		if (lex_next(lx))
			return -1;
	return 0;
}

/* pipeline := cmd ('|' cmd)* */
static int parse_pipeline(struct lexer *lx, struct sh_pipeline *p)
{
	int cap = 0;

	memset(p, 0, sizeof(*p));
	for (;;) {
		if (grow((void **)&p->cmds, &cap, p->ncmds, sizeof(struct sh_cmd)))
			return oom(lx);
		if (parse_cmd(lx, &p->cmds[p->ncmds])) {
			cmd_free(&p->cmds[p->ncmds]);
			return -1;
		}
		p->ncmds++;
		if (lx->tok.type != T_PIPE)
			return 0;
		if (lex_next(lx) || skip_newlines(lx))
			return -1;
	}
}

static void andor_free(struct sh_andor *a)
{
	for (int i = 0; i < a->npipes; i++)
		pipeline_free(&a->pipes[i]);
	free(a->pipes);
	free(a->ops);
}

/* andor := pipeline (('&&' | '||') pipeline)* */
static int parse_andor(struct lexer *lx, struct sh_andor *a)
{
	int cap = 0, ocap = 0;

	memset(a, 0, sizeof(*a));
	for (;;) {
		if (grow((void **)&a->pipes, &cap, a->npipes, sizeof(struct sh_pipeline)))
			return oom(lx);
		if (parse_pipeline(lx, &a->pipes[a->npipes])) {
			pipeline_free(&a->pipes[a->npipes]);
			return -1;
		}
		a->npipes++;
		if (lx->tok.type != T_AND && lx->tok.type != T_OR)
			return 0;
		if (grow((void **)&a->ops, &ocap, a->npipes - 1, sizeof(*a->ops)))
			return oom(lx);
		a->ops[a->npipes - 1] = lx->tok.type == T_AND ? SH_AND : SH_OR;
		if (lex_next(lx) || skip_newlines(lx))
			return -1;
	}
}

void sh_list_free(struct sh_list *list)
{
	if (!list)
		return;
	for (int i = 0; i < list->nitems; i++)
		andor_free(&list->items[i]);
	free(list->items);
	free(list);
}

/* list := (andor (';' | '&' | newline))* [andor] */
int sh_parse(const char *text, struct sh_list **out, char *err, size_t errlen)
{
	struct lexer lx = { .p = text, .err = err, .errlen = errlen };
	struct sh_list *list = calloc(1, sizeof(*list));
	int cap = 0;

	*out = NULL;
	if (err && errlen)
		err[0] = 0;
	if (!list) {
		set_err(err, errlen, "out of memory");
		return SH_PARSE_ERROR;
	}
	if (lex_next(&lx))
		goto fail;
	for (;;) {
		while (lx.tok.type == T_NEWLINE)
			if (lex_next(&lx))
				goto fail;
		if (lx.tok.type == T_END)
			break;
		if (grow((void **)&list->items, &cap, list->nitems, sizeof(struct sh_andor))) {
			oom(&lx);
			goto fail;
		}
		if (parse_andor(&lx, &list->items[list->nitems])) {
			andor_free(&list->items[list->nitems]);
			goto fail;
		}
		list->nitems++;
		if (lx.tok.type == T_AMP)
			list->items[list->nitems - 1].background = 1;
		if (lx.tok.type == T_END)
			break;
		if (lx.tok.type != T_SEMI && lx.tok.type != T_AMP && lx.tok.type != T_NEWLINE) {
			syntax_error(&lx);
			goto fail;
		}
		if (lex_next(&lx))
			goto fail;
	}
	*out = list;
	return SH_PARSE_OK;
fail:
	free(lx.tok.word);
	sh_list_free(list);
	return lx.result ? lx.result : SH_PARSE_ERROR;
}

/* ---- names -------------------------------------------------------------- */

static int name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

int sh_is_name(const char *s)
{
	if (!name_start(*s))
		return 0;
	while (*++s)
		if (!name_char(*s))
			return 0;
	return 1;
}

int sh_is_assignment(const char *word)
{
	const char *p = word;

	if (!name_start(*p))
		return 0;
	while (name_char(*p))
		p++;
	return *p == '=';
}

/* ---- expansion ---------------------------------------------------------- */

struct expander {
	const struct sh_vars *vars;
	struct sh_fields *f;	/* NULL: one string, no splitting */
	struct sbuf cur;	/* the field being built */
	int have;		/* cur is a field even if empty ("" or '') */
	char *err;
	size_t errlen;
	int failed;
};

static int fields_add(struct sh_fields *f, char *s)
{
	if (!s || grow((void **)&f->v, &f->cap, f->n + 1, sizeof(char *))) {
		free(s);
		return -1;
	}
	f->v[f->n++] = s;
	f->v[f->n] = NULL;
	return 0;
}

void sh_fields_free(struct sh_fields *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

/* End the current field (if it is one). */
static void ex_break(struct expander *e)
{
	if (!e->f || (!e->have && !e->cur.len))
		return;
	if (e->cur.oom || fields_add(e->f, sb_take(&e->cur)))
		e->failed = 1;
	e->have = 0;
}

/* Add a substituted value: split at blanks unless quoted. */
static void ex_value(struct expander *e, const char *v, int quoted)
{
	if (!v)
		return;
	if (quoted || !e->f) {
		sb_puts(&e->cur, v);
		e->have = 1;
		return;
	}
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\n')
			ex_break(e);
		else
			sb_putc(&e->cur, *v);
	}
}

static const char *ex_lookup(struct expander *e, const char *name)
{
	const struct sh_vars *vs = e->vars;

	if (name[0] >= '1' && name[0] <= '9') {
		int n = atoi(name);

		return n <= vs->argc ? vs->argv[n - 1] : NULL;
	}
	return vs->get ? vs->get(vs->ctx, name) : NULL;
}

/* $@ and $*: every parameter; "$@" as separate fields. */
static void ex_all(struct expander *e, char which, int quoted)
{
	for (int i = 0; i < e->vars->argc; i++) {
		if (i > 0) {
			if (quoted && which == '@' && e->f) {
				e->have = 1;
				ex_break(e);
			} else if (quoted) {
				sb_putc(&e->cur, ' ');
			} else {
				ex_break(e);
			}
		}
		ex_value(e, e->vars->argv[i], quoted);
	}
}

/* p points after a '$'; substitutes and returns where the text goes on. */
static const char *ex_dollar(struct expander *e, const char *p, int quoted)
{
	char name[128];
	size_t n = 0;

	if (*p == '{') {
		const char *q = strchr(p, '}');

		if (!q || q == p + 1 || (size_t)(q - p - 1) >= sizeof(name)) {
			set_err(e->err, e->errlen, "bad substitution");
			e->failed = 1;
			return q ? q + 1 : p + strlen(p);
		}
		memcpy(name, p + 1, q - p - 1);
		name[q - p - 1] = 0;
		if (!sh_is_name(name) && !all_digits(name) &&
		    !(name[1] == 0 && strchr("?$#!@*0", name[0]))) {
			set_err(e->err, e->errlen, "${%s}: bad substitution", name);
			e->failed = 1;
			return q + 1;
		}
		p = q + 1;
	} else if (name_start(*p)) {
		while (name_char(*p) && n < sizeof(name) - 1)
			name[n++] = *p++;
		name[n] = 0;
	} else if (*p && strchr("?$#!@*0123456789", *p)) {
		name[0] = *p++;
		name[1] = 0;
	} else {
		sb_putc(&e->cur, '$');	/* a lone $ is itself */
		return p;
	}
	if ((name[0] == '@' || name[0] == '*') && !name[1])
		ex_all(e, name[0], quoted);
	else
		ex_value(e, ex_lookup(e, name), quoted);
	return p;
}

static void ex_run(struct expander *e, const char *raw)
{
	const char *p = raw;

	if (*p == '~' && (p[1] == '/' || !p[1])) {
		const char *home = e->vars->get ? e->vars->get(e->vars->ctx, "HOME") : NULL;

		sb_puts(&e->cur, home ? home : "~");
		e->have = 1;
		p++;
	}
	while (*p && !e->failed) {
		if (*p == '\\') {
			p++;
			if (*p)
				sb_putc(&e->cur, *p++);
			e->have = 1;
		} else if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				sb_putc(&e->cur, *p);
			if (*p)
				p++;
			e->have = 1;
		} else if (*p == '"') {
			/* "$@" with no parameters is no field at all. */
			int only_at = !strncmp(p, "\"$@\"", 4) && !e->vars->argc;

			if (!only_at)
				e->have = 1;
			for (p++; *p && *p != '"';) {
				if (*p == '\\' && p[1] && strchr("$`\"\\", p[1])) {
					sb_putc(&e->cur, p[1]);
					p += 2;
				} else if (*p == '$') {
					p = ex_dollar(e, p + 1, 1);
				} else {
					sb_putc(&e->cur, *p++);
				}
			}
			if (*p)
				p++;
		} else if (*p == '$') {
			p = ex_dollar(e, p + 1, 0);
		} else {
			sb_putc(&e->cur, *p++);
		}
	}
	if (e->cur.oom)
		e->failed = 1;
}

int sh_expand(const char *raw, const struct sh_vars *vars, struct sh_fields *f,
	      char *err, size_t errlen)
{
	struct expander e = { .vars = vars, .f = f, .err = err, .errlen = errlen };

	ex_run(&e, raw);
	if (!e.failed)
		ex_break(&e);
	free(e.cur.s);
	if (e.failed && err && errlen && !err[0])
		set_err(err, errlen, "out of memory");
	return e.failed ? -1 : 0;
}

char *sh_expand_one(const char *raw, const struct sh_vars *vars, char *err, size_t errlen)
{
	struct expander e = { .vars = vars, .err = err, .errlen = errlen };

	if (err && errlen)
		err[0] = 0;
	ex_run(&e, raw);
	if (e.failed) {
		free(e.cur.s);
		if (err && errlen && !err[0])
			set_err(err, errlen, "out of memory");
		return NULL;
	}
	return sb_take(&e.cur);
}
