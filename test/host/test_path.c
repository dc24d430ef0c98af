/* Tests for lexical path handling (fs/path.c): the limits, the component
 * iterator, path_split_last and path_normalize. Long paths live in
 * malloc'd buffers of exactly their size, so AddressSanitizer catches any
 * read past the NUL. */
#include "test.h"
#include <path.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/errno.h>

/* A heap copy of n bytes of c, NUL-terminated, with nothing after it. */
static char *filled(char c, size_t n)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Components of path joined with '|' into out, or "E<errno>" at an error. */
static int walk(const char *path, char *out, size_t outlen,
		struct path_cursor *c)
{
	const char *name;
	size_t len, w = 0;
	int r;

	out[0] = '\0';
	r = path_init(c, path);
	if (r)
		return r;
	while ((r = path_next_component(c, &name, &len)) > 0) {
		if (w && w + 1 < outlen)
			out[w++] = '|';
		if (w + len < outlen) {
			memcpy(out + w, name, len);
			w += len;
		}
		out[w] = '\0';
	}
	return r;
}

TEST(path_check_limits)
{
	char *s;

	ASSERT_EQ(path_check(""), -ENOENT);
	ASSERT_EQ(path_check("/"), 1);
	ASSERT_EQ(path_check("a/b"), 3);
	s = filled('a', PATH_MAX - 1);
	ASSERT_EQ(path_check(s), PATH_MAX - 1);
	free(s);
	s = filled('a', PATH_MAX);
	ASSERT_EQ(path_check(s), -ENAMETOOLONG);
	free(s);
	/* no NUL at all within PATH_MAX bytes: must stop reading there */
	s = malloc(PATH_MAX);
	memset(s, '/', PATH_MAX);
	ASSERT_EQ(path_check(s), -ENAMETOOLONG);
	free(s);
}

TEST(path_iter_root)
{
	struct path_cursor c;
	char out[64];

	ASSERT_EQ(walk("/", out, sizeof(out), &c), 0);
	ASSERT_STR(out, "");
	ASSERT(c.absolute);
	ASSERT(!c.trailing_slash);
	ASSERT_EQ(walk("//", out, sizeof(out), &c), 0);
	ASSERT_STR(out, "");
	ASSERT(c.absolute);
	ASSERT(!c.trailing_slash);
	ASSERT_EQ(walk("", out, sizeof(out), &c), -ENOENT);
}

TEST(path_iter_slashes)
{
	struct path_cursor c;
	char out[64];

	ASSERT_EQ(walk("a//b/", out, sizeof(out), &c), 0);
	ASSERT_STR(out, "a|b");
	ASSERT(!c.absolute);
	ASSERT(c.trailing_slash);
	ASSERT_EQ(walk("///usr///bin", out, sizeof(out), &c), 0);
	ASSERT_STR(out, "usr|bin");
	ASSERT(c.absolute);
	ASSERT(!c.trailing_slash);
	ASSERT_EQ(walk("a///", out, sizeof(out), &c), 0);
	ASSERT_STR(out, "a");
	ASSERT(c.trailing_slash);
}

TEST(path_iter_dots)
{
	struct path_cursor c;
	char out[64];

	ASSERT_EQ(walk(".", out, sizeof(out), &c), 0);
	ASSERT_STR(out, ".");
	ASSERT(!c.absolute);
	ASSERT_EQ(walk("..", out, sizeof(out), &c), 0);
	ASSERT_STR(out, "..");
	ASSERT_EQ(walk("/..", out, sizeof(out), &c), 0);
	ASSERT_STR(out, "..");
	ASSERT(c.absolute);
	ASSERT_EQ(walk("./a/../.../.b", out, sizeof(out), &c), 0);
	ASSERT_STR(out, ".|a|..|...|.b");
}

TEST(path_iter_last_flag)
{
	struct path_cursor c;
	const char *name;
	size_t len;

	ASSERT_EQ(path_init(&c, "/a/bc//"), 0);
	ASSERT_EQ(path_next_component(&c, &name, &len), 1);
	ASSERT_EQ(len, 1);
	ASSERT_EQ(name[0], 'a');
	ASSERT(!c.last);
	ASSERT_EQ(path_next_component(&c, &name, &len), 1);
	ASSERT_EQ(len, 2);
	ASSERT(!strncmp(name, "bc", 2));
	ASSERT(c.last);
	ASSERT_EQ(path_next_component(&c, &name, &len), 0);
	/* the end stays the end */
	ASSERT_EQ(path_next_component(&c, &name, &len), 0);
}

TEST(path_iter_name_max)
{
	struct path_cursor c;
	char *n255 = filled('x', NAME_MAX), *n256 = filled('y', NAME_MAX + 1);
	char path[600], out[600];
	const char *name;
	size_t len;

	ASSERT_EQ(walk(n255, out, sizeof(out), &c), 0);
	ASSERT_EQ(strlen(out), NAME_MAX);
	ASSERT_EQ(walk(n256, out, sizeof(out), &c), -ENAMETOOLONG);

	/* the error comes when the walk reaches the long name, not before */
	snprintf(path, sizeof(path), "/a/%s/b", n256);
	ASSERT_EQ(path_init(&c, path), 0);
	ASSERT_EQ(path_next_component(&c, &name, &len), 1);
	ASSERT_EQ(len, 1);
	ASSERT_EQ(path_next_component(&c, &name, &len), -ENAMETOOLONG);
	ASSERT_EQ(*c.next, 'y');
	free(n255);
	free(n256);
}

/* 4095 bytes of "a/a/.../a" is the longest path accepted; one more byte is refused. */
TEST(path_iter_path_max)
{
	struct path_cursor c;
	char *p = filled('a', PATH_MAX);
	const char *name;
	size_t len;
	int n = 0, r;

	for (size_t i = 1; i < PATH_MAX; i += 2)
		p[i] = '/';
	ASSERT_EQ(path_init(&c, p), -ENAMETOOLONG);
	p[PATH_MAX - 1] = '\0';
	ASSERT_EQ(path_init(&c, p), 0);
	while ((r = path_next_component(&c, &name, &len)) > 0) {
		ASSERT_EQ(len, 1);
		n++;
	}
	ASSERT_EQ(r, 0);
	ASSERT_EQ(n, PATH_MAX / 2);
	ASSERT(c.trailing_slash == false);
	free(p);
}

TEST(path_init_len_prefix)
{
	struct path_cursor c;
	const char *path = "/a/b/c", *name;
	size_t len;

	/* walk only "/a/b" of the buffer */
	path_init_len(&c, path, 4);
	ASSERT(c.absolute);
	ASSERT_EQ(path_next_component(&c, &name, &len), 1);
	ASSERT_EQ(path_next_component(&c, &name, &len), 1);
	ASSERT_EQ(name[0], 'b');
	ASSERT(c.last);
	ASSERT_EQ(path_next_component(&c, &name, &len), 0);

	/* an empty parent: no component, stay where the walk started */
	path_init_len(&c, path, 0);
	ASSERT(!c.absolute);
	ASSERT(!c.trailing_slash);
	ASSERT_EQ(path_next_component(&c, &name, &len), 0);
}

/* Split path; check the kind, parent and last, and the slash after last. */
static void split_case(const char *path, int kind, const char *parent,
		       const char *last, bool slash)
{
	const char *p, *l;
	size_t plen, llen;
	char pbuf[64], lbuf[300];

	ASSERT_EQ(path_split_last(path, &p, &plen, &l, &llen), kind);
	ASSERT(plen < sizeof(pbuf) && llen < sizeof(lbuf));
	memcpy(pbuf, p, plen);
	pbuf[plen] = '\0';
	memcpy(lbuf, l, llen);
	lbuf[llen] = '\0';
	ASSERT_STR(pbuf, parent);
	ASSERT_STR(lbuf, last);
	ASSERT_EQ(l[llen] == '/', slash);
	ASSERT(p == path);
	ASSERT(l >= path && l + llen <= path + strlen(path));
}

TEST(path_split_table)
{
	split_case("a", PATH_LAST_NORM, "", "a", false);
	split_case("a/", PATH_LAST_NORM, "", "a", true);
	split_case("a//", PATH_LAST_NORM, "", "a", true);
	split_case("a//b", PATH_LAST_NORM, "a", "b", false);
	split_case("a/b/c", PATH_LAST_NORM, "a/b", "c", false);
	split_case("/a", PATH_LAST_NORM, "/", "a", false);
	split_case("//a", PATH_LAST_NORM, "/", "a", false);
	split_case("/a/b/", PATH_LAST_NORM, "/a", "b", true);
	split_case("/a//b//", PATH_LAST_NORM, "/a", "b", true);
	split_case("/", PATH_LAST_ROOT, "/", "", false);
	split_case("//", PATH_LAST_ROOT, "/", "", false);
	split_case("///", PATH_LAST_ROOT, "/", "", false);
	split_case(".", PATH_LAST_DOT, "", ".", false);
	split_case("./", PATH_LAST_DOT, "", ".", true);
	split_case("..", PATH_LAST_DOTDOT, "", "..", false);
	split_case("/..", PATH_LAST_DOTDOT, "/", "..", false);
	split_case("a/.", PATH_LAST_DOT, "a", ".", false);
	split_case("a/../", PATH_LAST_DOTDOT, "a", "..", true);
	split_case("...", PATH_LAST_NORM, "", "...", false);
	split_case("/a/.b", PATH_LAST_NORM, "/a", ".b", false);
}

TEST(path_split_errors_and_limits)
{
	char *n255 = filled('x', NAME_MAX), *n256 = filled('y', NAME_MAX + 1);
	char *big = filled('a', PATH_MAX);
	char path[600];
	const char *p, *l;
	size_t plen, llen;

	ASSERT_EQ(path_split_last("", &p, &plen, &l, &llen), -ENOENT);
	ASSERT_EQ(path_split_last(big, &p, &plen, &l, &llen), -ENAMETOOLONG);
	ASSERT_EQ(path_split_last(n256, &p, &plen, &l, &llen), -ENAMETOOLONG);
	snprintf(path, sizeof(path), "/d/%s/", n256);
	ASSERT_EQ(path_split_last(path, &p, &plen, &l, &llen), -ENAMETOOLONG);
	snprintf(path, sizeof(path), "/d/%s/", n255);
	ASSERT_EQ(path_split_last(path, &p, &plen, &l, &llen), PATH_LAST_NORM);
	ASSERT_EQ(llen, NAME_MAX);
	ASSERT_EQ(plen, 2);
	/* a long parent component is the walker's to refuse, not ours */
	snprintf(path, sizeof(path), "%s/x", n256);
	ASSERT_EQ(path_split_last(path, &p, &plen, &l, &llen), PATH_LAST_NORM);
	ASSERT_EQ(plen, NAME_MAX + 1);
	big[PATH_MAX - 1] = '\0';
	big[0] = '/';
	ASSERT_EQ(path_split_last(big, &p, &plen, &l, &llen), -ENAMETOOLONG);
	big[200] = '/';
	ASSERT_EQ(path_split_last(big, &p, &plen, &l, &llen), -ENAMETOOLONG);
	for (size_t i = 200; i < PATH_MAX - 1; i += 200)
		big[i] = '/';
	ASSERT_EQ(path_split_last(big, &p, &plen, &l, &llen), PATH_LAST_NORM);
	ASSERT_EQ(l + llen, big + PATH_MAX - 1);
	free(n255);
	free(n256);
	free(big);
}

static void norm_case(const char *in, const char *want)
{
	char out[128];

	ASSERT_EQ(path_normalize(in, out, sizeof(out)), (int)strlen(want));
	ASSERT_STR(out, want);
}

TEST(path_normalize_table)
{
	norm_case("/", "/");
	norm_case("//", "/");
	norm_case("/.", "/");
	norm_case("/..", "/");
	norm_case("/../..", "/");
	norm_case("/a/../..", "/");
	norm_case("/../a", "/a");
	norm_case("/a/b/", "/a/b");
	norm_case("/a//b///", "/a/b");
	norm_case("/a/./b/../c", "/a/c");
	norm_case("/a/b/c/../../d/.", "/a/d");
	norm_case("/.../..a/.b.", "/.../..a/.b.");
	norm_case("/ab/..", "/");
	norm_case("/ab/../cd", "/cd");
}

TEST(path_normalize_errors)
{
	char out[16];
	char *n256 = filled('y', NAME_MAX + 1);
	char path[300];

	ASSERT_EQ(path_normalize("", out, sizeof(out)), -ENOENT);
	ASSERT_EQ(path_normalize("a/b", out, sizeof(out)), -EINVAL);
	ASSERT_EQ(path_normalize(".", out, sizeof(out)), -EINVAL);
	snprintf(path, sizeof(path), "/%s", n256);
	ASSERT_EQ(path_normalize(path, out, sizeof(out)), -ENAMETOOLONG);
	ASSERT_EQ(path_normalize("/", out, 0), -ERANGE);
	ASSERT_EQ(path_normalize("/", out, 1), -ERANGE);
	ASSERT_EQ(path_normalize("/", out, 2), 1);
	ASSERT_EQ(path_normalize("/abc", out, 4), -ERANGE);
	ASSERT_EQ(path_normalize("/abc//", out, 5), 4);
	ASSERT_STR(out, "/abc");
	free(n256);
}

TEST(path_normalize_long)
{
	char *n255 = filled('x', NAME_MAX);
	char *p = filled('a', PATH_MAX - 1), *out = malloc(PATH_MAX);
	char path[300];

	snprintf(path, sizeof(path), "/%s/", n255);
	ASSERT_EQ(path_normalize(path, out, PATH_MAX), NAME_MAX + 1);
	p[0] = '/';
	ASSERT_EQ(path_normalize(p, out, PATH_MAX), -ENAMETOOLONG);
	for (size_t i = 0; i < PATH_MAX - 1; i += 100)
		p[i] = '/';
	ASSERT_EQ(path_normalize(p, out, PATH_MAX), PATH_MAX - 1);
	ASSERT(!memcmp(out, p, PATH_MAX));
	/* exactly the room it needs, then one byte less */
	ASSERT_EQ(path_normalize(p, out, PATH_MAX - 1), -ERANGE);
	free(n255);
	free(p);
	free(out);
}

TEST(path_normalize_in_place)
{
	char buf[] = "//a/./bb//../ccc/";

	ASSERT_EQ(path_normalize(buf, buf, sizeof(buf)), 6);
	ASSERT_STR(buf, "/a/ccc");
}

/*
 * Random paths over the alphabet {'/', 'a', 'b', '.'} against a naive
 * model: split on '/', keep a stack of names. In place and out of place
 * must agree with it.
 */
static void model_normalize(const char *in, char *out)
{
	char names[64][64];
	int n = 0;
	const char *p = in;
	size_t w = 0;

	while (*p) {
		char name[64];
		size_t len = 0;

		while (*p == '/')
			p++;
		while (*p && *p != '/')
			name[len++] = *p++;
		name[len] = '\0';
		if (len == 0 || !strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (n)
				n--;
			continue;
		}
		memcpy(names[n++], name, len + 1);
	}
	for (int i = 0; i < n; i++)
		w += sprintf(out + w, "/%s", names[i]);
	if (n == 0)
		w = sprintf(out, "/");
}

TEST(path_normalize_random_model)
{
	static const char alphabet[] = "/ab..";
	uint32_t seed = 12345;
	char in[48], out[64], want[64], inplace[48];

	for (int iter = 0; iter < 20000; iter++) {
		size_t n;

		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 16) % (sizeof(in) - 2);
		in[0] = '/';
		for (size_t i = 1; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = alphabet[(seed >> 16) % 5];
		}
		in[n] = '\0';
		model_normalize(in, want);
		ASSERT_EQ(path_normalize(in, out, sizeof(out)), (int)strlen(want));
		ASSERT_STR(out, want);
		memcpy(inplace, in, n + 1);
		ASSERT_EQ(path_normalize(inplace, inplace, sizeof(inplace)),
			  (int)strlen(want));
		ASSERT_STR(inplace, want);
	}
}
