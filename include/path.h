/* Lexical path handling (fs/path.c): the whole-path checks, the component
 * iterator the VFS path walker drives, the parent/last split used by
 * create, unlink and rename, and lexical normalization of absolute paths.
 * Pure string work: it never looks at inodes, so symlinks, permissions and
 * whether a name exists are the walker's business. */
#ifndef PATH_H
#define PATH_H
#include <stdbool.h>
#include <stddef.h>
#include <uapi/limits.h>

/*
 * Iteration state over [next, end). All pointers point into the caller's
 * path, which must outlive the cursor.
 */
struct path_cursor {
	const char *next;	/* first byte not yet consumed */
	const char *end;	/* one past the last byte of the path */
	bool absolute;		/* the path starts with '/' */
	bool trailing_slash;	/* a '/' follows the final component: POSIX
				 * says it must then resolve to a directory */
	bool last;		/* the component just returned is the final one */
};

/*
 * Check a user path before walking it. Returns its length (at least 1),
 * -ENOENT for "" (as Linux does without AT_EMPTY_PATH), or -ENAMETOOLONG
 * when it has PATH_MAX bytes or more before its NUL. Reads at most
 * PATH_MAX bytes of path.
 */
int path_check(const char *path);

/*
 * Start iterating over the NUL-terminated path. Runs path_check first and
 * returns its error, 0 otherwise. Sets absolute and trailing_slash.
 */
int path_init(struct path_cursor *c, const char *path);

/*
 * Start iterating over len bytes of path, without the whole-path checks.
 * For walking the parent part that path_split_last returns, which may be
 * empty (no component: stay in the starting directory).
 */
void path_init_len(struct path_cursor *c, const char *path, size_t len);

/*
 * Step to the next component, skipping any run of slashes. On 1, *name and
 * *len describe it (not NUL-terminated: it points into the path) and
 * c->last says whether it is the final one. "." and ".." come back as
 * ordinary components; the walker gives them their meaning. Returns 0
 * when no component is left, or -ENAMETOOLONG for a component longer
 * than NAME_MAX (the cursor then stays before it).
 */
int path_next_component(struct path_cursor *c, const char **name, size_t *len);

/*
 * What the final component of a path is, for the calls that act on a
 * name inside a directory rather than on what the name resolves to.
 */
enum path_last {
	PATH_LAST_NORM,		/* an ordinary name */
	PATH_LAST_ROOT,		/* the path is only slashes: there is no name */
	PATH_LAST_DOT,		/* "." */
	PATH_LAST_DOTDOT,	/* ".." */
};

/*
 * Split path into the directory to walk (parent) and the final name
 * (last), both pointing into path and not NUL-terminated:
 *
 *	path		parent		last	returns
 *	"a"		""		"a"	NORM	"" = the starting dir
 *	"a/"		""		"a"	NORM	last[last_len] == '/'
 *	"a//b"		"a"		"b"	NORM
 *	"/a"		"/"		"a"	NORM
 *	"/a/b/"		"/a"		"b"	NORM	last[last_len] == '/'
 *	"/" or "//"	"/"		""	ROOT
 *	"."		""		"."	DOT
 *	"/.."		"/"		".."	DOTDOT
 *
 * A trailing slash is reported the way Linux's namei does it: the byte
 * after last is '/' rather than NUL. The callers then match Linux:
 *	mkdir("a/")	creates a (the slash only demands a directory);
 *	rmdir("a/")	removes a; rename("a/", "b") needs a to be a directory
 *			(-ENOTDIR otherwise, and likewise for "b/");
 *	unlink("a/")	-ENOENT if a is missing, -EISDIR if it is a directory,
 *			-ENOTDIR otherwise;
 *	mknod, symlink, link to "a/"	-EEXIST if a exists, else -ENOENT;
 *	open("a/", O_CREAT)		-EISDIR.
 * And for a last that is not NORM: mkdir and the other creates give
 * -EEXIST, unlink -EISDIR, rename -EBUSY, rmdir -EBUSY for ROOT, -EINVAL
 * for DOT and -ENOTEMPTY for DOTDOT.
 *
 * Returns an enum path_last, or path_check's errors, or -ENAMETOOLONG
 * when last is longer than NAME_MAX (the parent's components are checked
 * when the walker steps through them).
 */
int path_split_last(const char *path, const char **parent, size_t *parent_len,
		    const char **last, size_t *last_len);

/*
 * Lexically normalize the absolute path in into out (outlen bytes): drop
 * "." and empty components, let ".." remove the previous component (at
 * the root it stays at the root), and drop trailing slashes, so the result
 * is "/" or "/a/b". No symlink is consulted, so this is only right for
 * paths whose components are known to be real directories, as in keeping
 * a process's cwd string. in and out may be the same buffer.
 * Returns the result's length, or path_check's errors, -EINVAL for a
 * relative path, -ENAMETOOLONG for a component longer than NAME_MAX, or
 * -ERANGE when out is too small (strlen(in) + 1 bytes always suffice; a
 * smaller out may be refused for a name that a later ".." removes). On an
 * error, out holds no meaningful string.
 */
int path_normalize(const char *in, char *out, size_t outlen);

#endif
