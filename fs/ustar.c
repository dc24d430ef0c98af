/* ustar reader (see ustar.h): header validation, field decoding and the
 * walk from member to member. Every offset is checked against the buffer
 * before use, so a hostile archive gets -EINVAL, never an out-of-bounds
 * read. Host-tested, including random damage, in test/host/test_ustar.c. */
#include <ustar.h>
#include <string.h>
#include <uapi/errno.h>

/* Header field offsets and sizes, from POSIX.1 pax "ustar Interchange Format". */
#define H_NAME		0
#define H_NAME_LEN	100
#define H_MODE		100
#define H_UID		108
#define H_GID		116
#define H_SIZE		124
#define H_MTIME		136
#define H_CHKSUM	148
#define H_CHKSUM_LEN	8
#define H_TYPEFLAG	156
#define H_LINKNAME	157
#define H_LINK_LEN	100
#define H_MAGIC		257	/* magic (6) and version (2) together */
#define H_PREFIX	345
#define H_PREFIX_LEN	155

static const char posix_magic[8] = { 'u', 's', 't', 'a', 'r', '\0', '0', '0' };
static const char gnu_magic[8] = { 'u', 's', 't', 'a', 'r', ' ', ' ', '\0' };

void ustar_iter_init(struct ustar_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
	it->state = 0;
}

static bool is_zero_block(const uint8_t *b)
{
	for (size_t i = 0; i < USTAR_BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * Octal digits, optionally after spaces (old tars right-aligned with
 * them), ended by the field's end or a NUL or space after which only NULs
 * and spaces may follow. At least one digit is required: an empty field
 * is damage, not zero.
 */
static int parse_octal(const uint8_t *f, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0, start;

	while (i < n && f[i] == ' ')
		i++;
	for (start = i; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 61)
			return -EINVAL;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	if (i == start)
		return -EINVAL;
	for (; i < n; i++)
		if (f[i] != '\0' && f[i] != ' ')
			return -EINVAL;
	*out = v;
	return 0;
}

/*
 * A numeric field: octal, or GNU's base-256 when the first byte has its
 * high bit set (a big-endian two's complement number in the remaining
 * bits). Negative values and values past 64 bits are refused.
 */
static int parse_num(const uint8_t *f, size_t n, uint64_t *out)
{
	uint64_t v;

	if (!(f[0] & 0x80))
		return parse_octal(f, n, out);
	if (f[0] & 0x40)
		return -EINVAL;		/* sign bit: negative */
	v = f[0] & 0x3F;
	for (size_t i = 1; i < n; i++) {
		if (v >> 56)
			return -EINVAL;
		v = v << 8 | f[i];
	}
	*out = v;
	return 0;
}

/*
 * The checksum is the sum of the header's bytes with the checksum field
 * read as spaces. POSIX sums them unsigned; some old tars summed signed
 * chars, which differs once a name has bytes >= 0x80. Accept either.
 */
static bool checksum_ok(const uint8_t *h)
{
	uint64_t stored;
	int64_t usum = 0, ssum = 0;

	if (parse_octal(h + H_CHKSUM, H_CHKSUM_LEN, &stored))
		return false;
	for (size_t i = 0; i < USTAR_BLOCK; i++) {
		uint8_t b = i >= H_CHKSUM && i < H_CHKSUM + H_CHKSUM_LEN ?
			    ' ' : h[i];

		usum += b;
		ssum += (int8_t)b;
	}
	return (int64_t)stored == usum || (int64_t)stored == ssum;
}

/* Append up to n bytes of field f (NUL-terminated or filling it). */
static size_t copy_field(char *dst, size_t at, const uint8_t *f, size_t n)
{
	size_t len = strnlen((const char *)f, n);

	memcpy(dst + at, f, len);
	return at + len;
}

/*
 * Make s relative to the archive root in place: drop leading "/" and "./"
 * and trailing "/", and make a lone "." the root "". Returns whether s
 * had a trailing slash.
 */
static bool strip_name(char *s)
{
	size_t i = 0, len;
	bool slash = false;

	for (;;) {
		if (s[i] == '/')
			i++;
		else if (s[i] == '.' && s[i + 1] == '/')
			i += 2;
		else if (s[i] == '.' && s[i + 1] == '\0')
			i++;
		else
			break;
	}
	len = strlen(s + i);
	memmove(s, s + i, len + 1);
	while (len > 0 && s[len - 1] == '/') {
		s[--len] = '\0';
		slash = true;
	}
	return slash;
}

static enum ustar_type decode_type(char flag)
{
	switch (flag) {
	case '0':
	case '\0':
	case '7':	/* contiguous: a regular file to those who don't care */
		return USTAR_REG;
	case '1':
		return USTAR_HARDLINK;
	case '2':
		return USTAR_SYMLINK;
	case '5':
		return USTAR_DIR;
	default:
		return USTAR_UNKNOWN;
	}
}

/* Decode the names of header h into e; the prefix only exists in POSIX's layout. */
static int decode_names(const uint8_t *h, bool posix, struct ustar_entry *e)
{
	size_t n = 0;
	bool slash;

	if (h[H_NAME] == '\0')
		return -EINVAL;
	if (posix && h[H_PREFIX] != '\0') {
		n = copy_field(e->name, n, h + H_PREFIX, H_PREFIX_LEN);
		e->name[n++] = '/';
	}
	n = copy_field(e->name, n, h + H_NAME, H_NAME_LEN);
	e->name[n] = '\0';
	slash = strip_name(e->name);
	/* the V7 way of writing a directory: a plain file with a slash */
	if (e->typeflag == '\0' && slash)
		e->type = USTAR_DIR;
	/* only the root may have an empty name, and it is a directory */
	if (e->name[0] == '\0' && e->type != USTAR_DIR)
		return -EINVAL;

	n = copy_field(e->linkname, 0, h + H_LINKNAME, H_LINK_LEN);
	e->linkname[n] = '\0';
	/* a hard link names a member; a symlink's text is kept verbatim */
	if (e->type == USTAR_HARDLINK)
		strip_name(e->linkname);
	if ((e->type == USTAR_HARDLINK || e->type == USTAR_SYMLINK) &&
	    e->linkname[0] == '\0')
		return -EINVAL;
	return 0;
}

/* Check and decode header h, whose member may use up to room bytes after it. */
static int decode_header(const uint8_t *h, uint64_t room, struct ustar_entry *e)
{
	uint64_t mode, uid, gid, size, mtime;
	bool posix = !memcmp(h + H_MAGIC, posix_magic, sizeof(posix_magic));

	if (!checksum_ok(h))
		return -EINVAL;
	if (!posix && memcmp(h + H_MAGIC, gnu_magic, sizeof(gnu_magic)))
		return -EINVAL;
	if (parse_num(h + H_MODE, 8, &mode) || parse_num(h + H_UID, 8, &uid) ||
	    parse_num(h + H_GID, 8, &gid) || parse_num(h + H_SIZE, 12, &size) ||
	    parse_num(h + H_MTIME, 12, &mtime))
		return -EINVAL;
	if (uid > UINT32_MAX || gid > UINT32_MAX)
		return -EINVAL;
	e->typeflag = (char)h[H_TYPEFLAG];
	e->type = decode_type(e->typeflag);
	e->mode = (uint32_t)(mode & 07777);
	e->uid = (uint32_t)uid;
	e->gid = (uint32_t)gid;
	e->mtime = mtime;
	/* room is whole blocks, so data that fits also fits rounded up */
	if (size > room)
		return -EINVAL;
	e->size = (size_t)size;
	e->data = h + USTAR_BLOCK;
	return decode_names(h, posix, e);
}

static int ustar_step(struct ustar_iter *it, struct ustar_entry *e)
{
	const uint8_t *h;
	size_t room;
	int err;

	if (it->len % USTAR_BLOCK)
		return -EINVAL;
	if (it->off == it->len)
		return 0;
	/* off and len are whole blocks, so a full header is there */
	h = it->buf + it->off;
	if (is_zero_block(h)) {
		if (it->off + USTAR_BLOCK == it->len ||
		    is_zero_block(h + USTAR_BLOCK))
			return 0;
		return -EINVAL;
	}
	room = it->len - it->off - USTAR_BLOCK;
	err = decode_header(h, room, e);
	if (err)
		return err;
	it->off += USTAR_BLOCK + ((e->size + USTAR_BLOCK - 1) &
				  ~(size_t)(USTAR_BLOCK - 1));
	return 1;
}

int ustar_next(struct ustar_iter *it, struct ustar_entry *e)
{
	int r;

	if (it->state)
		return it->state > 0 ? 0 : it->state;
	r = ustar_step(it, e);
	if (r <= 0)
		it->state = r == 0 ? 1 : r;
	return r;
}
