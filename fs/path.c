/* Lexical path handling (see path.h): whole-path limits, the component
 * iterator, the parent/last split and normalization of absolute paths.
 * Pure and host-tested (test/host/test_path.c); what a name resolves to
 * is left to the VFS walker. */
#include <path.h>
#include <string.h>
#include <uapi/errno.h>

int path_check(const char *path)
{
	size_t len = strnlen(path, PATH_MAX);

	if (len == 0)
		return -ENOENT;
	/* PATH_MAX counts the NUL, so PATH_MAX bytes before it are too many */
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	return (int)len;
}

void path_init_len(struct path_cursor *c, const char *path, size_t len)
{
	const char *end = path + len;
	const char *e = end;

	c->next = path;
	c->end = end;
	c->absolute = len > 0 && path[0] == '/';
	c->last = false;
	while (e > path && e[-1] == '/')
		e--;
	/* slashes after a name; "/" alone has no component to qualify */
	c->trailing_slash = e != end && e != path;
}

int path_init(struct path_cursor *c, const char *path)
{
	int len = path_check(path);

	if (len < 0)
		return len;
	path_init_len(c, path, (size_t)len);
	return 0;
}

int path_next_component(struct path_cursor *c, const char **name, size_t *len)
{
	const char *p = c->next, *s;

	while (p < c->end && *p == '/')
		p++;
	if (p == c->end) {
		c->next = p;
		return 0;
	}
	for (s = p; p < c->end && *p != '/'; p++)
		;
	if ((size_t)(p - s) > NAME_MAX) {
		/* leave the cursor before the bad name, as documented */
		c->next = s;
		return -ENAMETOOLONG;
	}
	*name = s;
	*len = (size_t)(p - s);
	c->next = p;
	/* look past the separator so the walker knows a final name as such */
	while (p < c->end && *p == '/')
		p++;
	c->last = p == c->end;
	return 1;
}

static bool is_dot(const char *s, size_t len)
{
	return len == 1 && s[0] == '.';
}

static bool is_dotdot(const char *s, size_t len)
{
	return len == 2 && s[0] == '.' && s[1] == '.';
}

int path_split_last(const char *path, const char **parent, size_t *parent_len,
		    const char **last, size_t *last_len)
{
	int len = path_check(path);
	const char *end, *e, *s, *pe;

	if (len < 0)
		return len;
	end = path + len;
	for (e = end; e > path && e[-1] == '/'; e--)
		;
	if (e == path) {
		/* only slashes: the root itself, with no name in it */
		*parent = path;
		*parent_len = 1;
		*last = end;
		*last_len = 0;
		return PATH_LAST_ROOT;
	}
	for (s = e; s > path && s[-1] != '/'; s--)
		;
	if ((size_t)(e - s) > NAME_MAX)
		return -ENAMETOOLONG;
	for (pe = s; pe > path && pe[-1] == '/'; pe--)
		;
	*parent = path;
	/* "/a" and "//a": the slashes before the name are the root */
	*parent_len = pe == path && s != path ? 1 : (size_t)(pe - path);
	*last = s;
	*last_len = (size_t)(e - s);
	if (is_dot(s, *last_len))
		return PATH_LAST_DOT;
	if (is_dotdot(s, *last_len))
		return PATH_LAST_DOTDOT;
	return PATH_LAST_NORM;
}

/*
 * Writing never overtakes reading: each name is copied to at most the
 * position of the slash before it in the input, so in == out is safe and
 * memmove covers the overlap.
 */
int path_normalize(const char *in, char *out, size_t outlen)
{
	struct path_cursor c;
	const char *name;
	size_t len, w = 0;
	int err;

	err = path_init(&c, in);
	if (err)
		return err;
	if (!c.absolute)
		return -EINVAL;
	while ((err = path_next_component(&c, &name, &len)) > 0) {
		if (is_dot(name, len))
			continue;
		if (is_dotdot(name, len)) {
			/* back to the slash that began the previous name */
			while (w > 0 && out[w - 1] != '/')
				w--;
			if (w > 0)
				w--;
			continue;
		}
		if (w + 1 + len + 1 > outlen)
			return -ERANGE;
		out[w++] = '/';
		memmove(out + w, name, len);
		w += len;
	}
	if (err < 0)
		return err;
	if (w == 0) {
		if (outlen < 2)
			return -ERANGE;
		out[w++] = '/';
	}
	out[w] = '\0';
	return (int)w;
}
