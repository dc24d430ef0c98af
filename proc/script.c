/* Parsing of the "#!" line that makes a file a script. Only the first line
 * is read; finding the interpreter and building its argv is exec's work.
 * Pure logic, tested on the host. */
#include <script.h>
#include <uapi/errno.h>
#include <string.h>

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies [from, to) into a NUL-ended string; the caller checked the size. */
static void copy_str(char *dst, const char *from, const char *to)
{
	size_t n = to - from;

	memcpy(dst, from, n);
	dst[n] = '\0';
}

/*
 * Finds the end of the first line: the '\n' within the first
 * SCRIPT_LINE_MAX + 1 bytes, or the end of a buffer short enough to be the
 * whole file. NULL when the line is too long for the limit.
 */
static const char *line_end(const char *buf, size_t len)
{
	size_t n = len < SCRIPT_LINE_MAX + 1 ? len : SCRIPT_LINE_MAX + 1;
	const char *nl = memchr(buf, '\n', n);

	if (nl)
		return nl;
	return len <= SCRIPT_LINE_MAX ? buf + len : NULL;
}

int script_parse(const char *buf, size_t len, struct script_interp *out)
{
	const char *p, *end, *name;

	memset(out, 0, sizeof(*out));
	if (len < 2 || buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	end = line_end(buf, len);
	if (!end)
		return -ENOEXEC;
	/* a NUL would cut the strings exec passes on: refuse, not truncate */
	if (memchr(buf, '\0', end - buf))
		return -ENOEXEC;

	while (end > buf + 2 && spacetab(end[-1]))
		end--;
	p = buf + 2;
	while (p < end && spacetab(*p))
		p++;
	if (p == end)
		return -ENOEXEC;
	name = p;
	while (p < end && !spacetab(*p))
		p++;
	copy_str(out->interp, name, p);

	while (p < end && spacetab(*p))
		p++;
	if (p < end) {
		copy_str(out->arg, p, end);
		out->has_arg = true;
	}
	return 0;
}
