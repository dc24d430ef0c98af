/* The shell's language, as pure code: a command line becomes a tree of
 * lists, and-or chains, pipelines and simple commands (sh_parse), and a
 * word becomes fields (sh_expand). Running the tree, variables and jobs
 * belong to main.c; this file only reads text and a caller's variable
 * lookup, so the host tests can drive it. */
#ifndef SH_PARSE_H
#define SH_PARSE_H

#include <stddef.h>

enum sh_redir_kind {
	SH_R_IN,	/* n<file   (n defaults to 0) */
	SH_R_OUT,	/* n>file   (n defaults to 1) */
	SH_R_APPEND,	/* n>>file */
	SH_R_DUP,	/* n>&m or n<&m: fd n becomes a copy of fd m */
};

struct sh_redir {
	enum sh_redir_kind kind;
	int fd;		/* the descriptor redirected */
	int dupfd;	/* SH_R_DUP only: the source descriptor */
	char *word;	/* the file name, raw (still to expand); NULL for DUP */
};

/* A simple command. words[0..nassign) are NAME=value assignments; the
 * rest is the command and its arguments. Words are kept raw: quotes,
 * backslashes and $ are resolved by sh_expand when the command runs. */
struct sh_cmd {
	char **words;
	int nwords;
	int nassign;
	struct sh_redir *redirs;
	int nredirs;
};

struct sh_pipeline {
	struct sh_cmd *cmds;
	int ncmds;
};

enum sh_andor_op { SH_AND, SH_OR };

/* p[0] op[0] p[1] op[1] ... p[n-1]; background when it ended with '&'. */
struct sh_andor {
	struct sh_pipeline *pipes;
	enum sh_andor_op *ops;	/* npipes - 1 of them */
	int npipes;
	int background;
};

struct sh_list {
	struct sh_andor *items;
	int nitems;
};

enum sh_parse_result {
	SH_PARSE_OK = 0,
	SH_PARSE_ERROR = -1,		/* err holds a message */
	SH_PARSE_INCOMPLETE = -2,	/* an open quote, a trailing | && || or \ */
};

/* Parse a command line (or several lines of a script, joined). Returns
 * SH_PARSE_OK with *out set (possibly an empty list: blank or comment),
 * or an error with a message in err[0..errlen) and *out NULL. */
int sh_parse(const char *text, struct sh_list **out, char *err, size_t errlen);
void sh_list_free(struct sh_list *list);

/* What sh_expand asks its caller. get returns a variable's value or NULL
 * when unset; it is also asked for the specials "?", "$", "#", "0", "!".
 * The positional parameters $1.. come from argv[0..argc). */
struct sh_vars {
	const char *(*get)(void *ctx, const char *name);
	void *ctx;
	int argc;
	char *const *argv;
};

/* Fields made by expanding words. */
struct sh_fields {
	char **v;	/* NULL-terminated */
	int n;
	int cap;
};

/* Expand one raw word: remove quotes and backslashes, substitute $NAME,
 * ${NAME}, $?, $$, $#, $0..$9, $@, $*. Unquoted substitutions are split
 * into fields at blanks (spaces, tabs, newlines); "$@" gives one field per
 * parameter. A word that expands to nothing unquoted gives no field.
 * Appends to f; returns 0, or -1 on a malformed ${ (message in err) or
 * when out of memory. */
int sh_expand(const char *raw, const struct sh_vars *vars, struct sh_fields *f,
	      char *err, size_t errlen);
/* The same for a word that must stay one string (redirection targets,
 * assignment values): no field splitting. Returns a malloc'd string or
 * NULL on error. */
char *sh_expand_one(const char *raw, const struct sh_vars *vars, char *err, size_t errlen);
void sh_fields_free(struct sh_fields *f);

/* Is word a NAME=value assignment? (name: letter or _, then alnum or _) */
int sh_is_assignment(const char *word);
/* Is s a valid variable name? */
int sh_is_name(const char *s);

#endif
