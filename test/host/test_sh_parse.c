/* Tests for the shell's parser and word expansion (bin/sh/parse.c): the
 * tree built for pipelines, and-or lists, backgrounds and redirections,
 * syntax errors and their messages, and expansion against a fake variable
 * table and fake positional parameters. */
#include "test.h"
#include "../../bin/sh/parse.h"
#include <stdlib.h>
#include <string.h>

static const char *fake_get(void *ctx, const char *name)
{
	static const char *const table[][2] = {
		{ "HOME", "/root" }, { "X", "ex" }, { "SP", "a  b c" },
		{ "EMPTY", "" }, { "?", "3" }, { "$", "42" }, { "#", "2" },
		{ "0", "sh" }, { "_under", "u" },
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i][0], name))
			return table[i][1];
	return NULL;
}

static char *const fake_args[] = { "one", "two words" };
static const struct sh_vars fake = { fake_get, NULL, 2, fake_args };
static const struct sh_vars noargs = { fake_get, NULL, 0, NULL };

/* Expand raw and join the fields with '|' into a static buffer. */
static const char *ex(const char *raw, const struct sh_vars *vars)
{
	static char out[256];
	struct sh_fields f = { 0 };
	char err[64];
	size_t w = 0;

	if (sh_expand(raw, vars, &f, err, sizeof(err)))
		return "ERROR";
	for (int i = 0; i < f.n; i++) {
		size_t len = strlen(f.v[i]);

		if (i)
			out[w++] = '|';
		memcpy(out + w, f.v[i], len);
		w += len;
	}
	out[w] = 0;
	if (!f.n)
		return "<none>";
	sh_fields_free(&f);
	return out;
}

static struct sh_list *parse_ok(const char *text)
{
	struct sh_list *l;
	char err[128];
	int r = sh_parse(text, &l, err, sizeof(err));

	if (r != SH_PARSE_OK)
		printf("  parse of \"%s\": %s\n", text, err);
	return r == SH_PARSE_OK ? l : NULL;
}

TEST(sh_parse_simple_words)
{
	struct sh_list *l = parse_ok("  echo  hello   world  ");

	ASSERT(l);
	ASSERT_EQ(l->nitems, 1);
	ASSERT_EQ(l->items[0].npipes, 1);
	ASSERT_EQ(l->items[0].pipes[0].ncmds, 1);
	struct sh_cmd *c = &l->items[0].pipes[0].cmds[0];
	ASSERT_EQ(c->nwords, 3);
	ASSERT_STR(c->words[0], "echo");
	ASSERT_STR(c->words[2], "world");
	ASSERT(c->words[3] == NULL);
	ASSERT_EQ(c->nassign, 0);
	sh_list_free(l);
}

TEST(sh_parse_keeps_quotes_raw)
{
	struct sh_list *l = parse_ok("echo 'a b' \"c $X\" d\\ e");
	struct sh_cmd *c;

	ASSERT(l);
	c = &l->items[0].pipes[0].cmds[0];
	ASSERT_EQ(c->nwords, 4);
	ASSERT_STR(c->words[1], "'a b'");
	ASSERT_STR(c->words[2], "\"c $X\"");
	ASSERT_STR(c->words[3], "d\\ e");
	sh_list_free(l);
}

TEST(sh_parse_pipeline_of_three)
{
	struct sh_list *l = parse_ok("echo a b c | cat|wc -w");

	ASSERT(l);
	ASSERT_EQ(l->items[0].pipes[0].ncmds, 3);
	ASSERT_STR(l->items[0].pipes[0].cmds[1].words[0], "cat");
	ASSERT_STR(l->items[0].pipes[0].cmds[2].words[1], "-w");
	sh_list_free(l);
}

TEST(sh_parse_andor_semicolon_background)
{
	struct sh_list *l = parse_ok("false && echo no || echo yes; sleep 1 & echo x");

	ASSERT(l);
	ASSERT_EQ(l->nitems, 3);
	ASSERT_EQ(l->items[0].npipes, 3);
	ASSERT_EQ(l->items[0].ops[0], SH_AND);
	ASSERT_EQ(l->items[0].ops[1], SH_OR);
	ASSERT_EQ(l->items[0].background, 0);
	ASSERT_EQ(l->items[1].background, 1);
	ASSERT_EQ(l->items[2].background, 0);
	sh_list_free(l);
}

TEST(sh_parse_redirections)
{
	struct sh_list *l = parse_ok("cmd <in >out 2>err >>app 2>&1 >&2 3< x");
	struct sh_cmd *c;

	ASSERT(l);
	c = &l->items[0].pipes[0].cmds[0];
	ASSERT_EQ(c->nwords, 1);
	ASSERT_EQ(c->nredirs, 7);
	ASSERT_EQ(c->redirs[0].kind, SH_R_IN);
	ASSERT_EQ(c->redirs[0].fd, 0);
	ASSERT_STR(c->redirs[0].word, "in");
	ASSERT_EQ(c->redirs[1].kind, SH_R_OUT);
	ASSERT_EQ(c->redirs[1].fd, 1);
	ASSERT_EQ(c->redirs[2].fd, 2);
	ASSERT_STR(c->redirs[2].word, "err");
	ASSERT_EQ(c->redirs[3].kind, SH_R_APPEND);
	ASSERT_EQ(c->redirs[4].kind, SH_R_DUP);
	ASSERT_EQ(c->redirs[4].fd, 2);
	ASSERT_EQ(c->redirs[4].dupfd, 1);
	ASSERT_EQ(c->redirs[5].fd, 1);
	ASSERT_EQ(c->redirs[5].dupfd, 2);
	ASSERT_EQ(c->redirs[6].fd, 3);
	sh_list_free(l);
}

TEST(sh_parse_number_not_before_redir_is_a_word)
{
	struct sh_list *l = parse_ok("echo 2 3>f");
	struct sh_cmd *c;

	ASSERT(l);
	c = &l->items[0].pipes[0].cmds[0];
	ASSERT_EQ(c->nwords, 2);
	ASSERT_STR(c->words[1], "2");
	ASSERT_EQ(c->redirs[0].fd, 3);
	sh_list_free(l);
}

TEST(sh_parse_comments_and_blank)
{
	struct sh_list *l = parse_ok("# only a comment");

	ASSERT(l);
	ASSERT_EQ(l->nitems, 0);
	sh_list_free(l);
	l = parse_ok("echo a#b # comment | not a pipe");
	ASSERT(l);
	ASSERT_EQ(l->items[0].pipes[0].ncmds, 1);
	ASSERT_EQ(l->items[0].pipes[0].cmds[0].nwords, 2);
	ASSERT_STR(l->items[0].pipes[0].cmds[0].words[1], "a#b");
	sh_list_free(l);
	l = parse_ok("");
	ASSERT(l);
	ASSERT_EQ(l->nitems, 0);
	sh_list_free(l);
}

TEST(sh_parse_assignments)
{
	struct sh_list *l = parse_ok("A=1 B='x y' cmd C=3");
	struct sh_cmd *c;

	ASSERT(l);
	c = &l->items[0].pipes[0].cmds[0];
	ASSERT_EQ(c->nassign, 2);
	ASSERT_EQ(c->nwords, 4);
	ASSERT_STR(c->words[3], "C=3");
	sh_list_free(l);
	ASSERT(sh_is_assignment("_a1=x"));
	ASSERT(!sh_is_assignment("1a=x"));
	ASSERT(!sh_is_assignment("=x"));
	ASSERT(sh_is_name("PATH"));
	ASSERT(!sh_is_name("PA-TH"));
}

TEST(sh_parse_multiline_script)
{
	struct sh_list *l = parse_ok("echo a\n\n# c\necho b |\n cat\nfalse ||\n\ttrue\n");

	ASSERT(l);
	ASSERT_EQ(l->nitems, 3);
	ASSERT_EQ(l->items[1].pipes[0].ncmds, 2);
	ASSERT_EQ(l->items[2].npipes, 2);
	sh_list_free(l);
}

/* Returns the result and copies the message. */
static int parse_err(const char *text, char *err, size_t len)
{
	struct sh_list *l;
	int r = sh_parse(text, &l, err, len);

	ASSERT(l == NULL || r == SH_PARSE_OK);
	sh_list_free(l);
	return r;
}

TEST(sh_parse_syntax_errors)
{
	char err[128];

	ASSERT_EQ(parse_err("| cat", err, sizeof(err)), SH_PARSE_ERROR);
	ASSERT_STR(err, "syntax error near unexpected token `|'");
	ASSERT_EQ(parse_err("echo a ;; b", err, sizeof(err)), SH_PARSE_ERROR);
	ASSERT_STR(err, "syntax error near unexpected token `;'");
	ASSERT_EQ(parse_err("echo >", err, sizeof(err)), SH_PARSE_INCOMPLETE);
	ASSERT_EQ(parse_err("echo > | x", err, sizeof(err)), SH_PARSE_ERROR);
	ASSERT_STR(err, "syntax error near unexpected token `|'");
	ASSERT_EQ(parse_err("a && && b", err, sizeof(err)), SH_PARSE_ERROR);
	ASSERT_EQ(parse_err("& a", err, sizeof(err)), SH_PARSE_ERROR);
	ASSERT_EQ(parse_err("echo 2>&x", err, sizeof(err)), SH_PARSE_ERROR);
	ASSERT_STR(err, "x: ambiguous redirect");
}

TEST(sh_parse_incomplete_input)
{
	char err[128];

	ASSERT_EQ(parse_err("echo 'abc", err, sizeof(err)), SH_PARSE_INCOMPLETE);
	ASSERT_EQ(parse_err("echo \"abc", err, sizeof(err)), SH_PARSE_INCOMPLETE);
	ASSERT_EQ(parse_err("echo abc\\", err, sizeof(err)), SH_PARSE_INCOMPLETE);
	ASSERT_EQ(parse_err("echo a |", err, sizeof(err)), SH_PARSE_INCOMPLETE);
	ASSERT_EQ(parse_err("echo a &&", err, sizeof(err)), SH_PARSE_INCOMPLETE);
	ASSERT_EQ(parse_err("echo 'a\nb'", err, sizeof(err)), SH_PARSE_OK);
}

TEST(sh_expand_quotes_and_escapes)
{
	ASSERT_STR(ex("plain", &fake), "plain");
	ASSERT_STR(ex("'a b'", &fake), "a b");
	ASSERT_STR(ex("'$X'", &fake), "$X");
	ASSERT_STR(ex("\"$X y\"", &fake), "ex y");
	ASSERT_STR(ex("a\\ b", &fake), "a b");
	ASSERT_STR(ex("\\$X", &fake), "$X");
	ASSERT_STR(ex("\"a\\\"b\\$c\\n\"", &fake), "a\"b$c\\n");
	ASSERT_STR(ex("''", &fake), "");
	ASSERT_STR(ex("\"\"", &fake), "");
	ASSERT_STR(ex("x'y'\"z\"", &fake), "xyz");
	ASSERT_STR(ex("$", &fake), "$");
	ASSERT_STR(ex("a$-b", &fake), "a$-b");
}

TEST(sh_expand_variables)
{
	ASSERT_STR(ex("$X", &fake), "ex");
	ASSERT_STR(ex("${X}y", &fake), "exy");
	ASSERT_STR(ex("$Xy", &fake), "<none>");
	ASSERT_STR(ex("$_under.", &fake), "u.");
	ASSERT_STR(ex("$NOPE", &fake), "<none>");
	ASSERT_STR(ex("\"$NOPE\"", &fake), "");
	ASSERT_STR(ex("$EMPTY", &fake), "<none>");
	ASSERT_STR(ex("$?:$$:$#:$0", &fake), "3:42:2:sh");
	ASSERT_STR(ex("$1", &fake), "one");
	ASSERT_STR(ex("$2", &fake), "two|words");
	ASSERT_STR(ex("\"$2\"", &fake), "two words");
	ASSERT_STR(ex("$3", &fake), "<none>");
	ASSERT_STR(ex("~/x", &fake), "/root/x");
	ASSERT_STR(ex("a~", &fake), "a~");
	ASSERT_STR(ex("${NOPE", &fake), "ERROR");
	ASSERT_STR(ex("${a-b}", &fake), "ERROR");
}

TEST(sh_expand_field_splitting)
{
	ASSERT_STR(ex("$SP", &fake), "a|b|c");
	ASSERT_STR(ex("\"$SP\"", &fake), "a  b c");
	ASSERT_STR(ex("x$SP", &fake), "xa|b|c");
	ASSERT_STR(ex("\"$@\"", &fake), "one|two words");
	ASSERT_STR(ex("$@", &fake), "one|two|words");
	ASSERT_STR(ex("\"$*\"", &fake), "one two words");
	ASSERT_STR(ex("\"<$@>\"", &fake), "<one|two words>");
	ASSERT_STR(ex("\"$@\"", &noargs), "<none>");
	ASSERT_STR(ex("\"$*\"", &noargs), "");
}

TEST(sh_expand_one_no_splitting)
{
	char err[64];
	char *s = sh_expand_one("$SP/\"$X\"", &fake, err, sizeof(err));

	ASSERT(s);
	ASSERT_STR(s, "a  b c/ex");
	free(s);
	ASSERT(sh_expand_one("${", &fake, err, sizeof(err)) == NULL);
	ASSERT_STR(err, "bad substitution");
}
