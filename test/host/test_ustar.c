/* Tests for the ustar reader (fs/ustar.c). Archives are written here by a
 * small writer, or by the host's tar, and handed to the reader in malloc'd
 * buffers of exactly their length so AddressSanitizer catches any read
 * past the end. Damaged archives must give -EINVAL, never a crash. */
#include "test.h"
#include <ustar.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uapi/errno.h>

/* ---- a minimal writer ---- */

static uint8_t arc[64 * 1024];
static size_t alen;
static size_t hoff[32];		/* offset of each header written */
static int nhdr;

/* n-1 octal digits and a NUL, as tar writes them */
static void put_octal(uint8_t *f, size_t n, uint64_t v)
{
	f[n - 1] = '\0';
	for (size_t i = n - 1; i-- > 0; v >>= 3)
		f[i] = (uint8_t)('0' + (v & 7));
}

/* Unsigned checksum: six digits, NUL, space. */
static void fix_sum(uint8_t *h)
{
	unsigned sum = 0;

	memset(h + 148, ' ', 8);
	for (int i = 0; i < USTAR_BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

static void begin(void)
{
	alen = 0;
	nhdr = 0;
}

/* Append a member; name and link are cut to their 100-byte fields. */
static uint8_t *add(const char *name, char type, unsigned mode,
		    const void *data, size_t size, const char *link)
{
	uint8_t *h = arc + alen;
	size_t nl = strlen(name), ll = link ? strlen(link) : 0;

	memset(h, 0, USTAR_BLOCK);
	memcpy(h, name, nl < 100 ? nl : 100);
	put_octal(h + 100, 8, mode);
	put_octal(h + 108, 8, 1000);
	put_octal(h + 116, 8, 100);
	put_octal(h + 124, 12, size);
	put_octal(h + 136, 12, 1700000000);
	h[156] = (uint8_t)type;
	memcpy(h + 157, link ? link : "", ll < 100 ? ll : 100);
	memcpy(h + 257, "ustar\0" "00", 8);
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	fix_sum(h);
	hoff[nhdr++] = alen;
	alen += USTAR_BLOCK;
	if (size) {
		size_t pad = (USTAR_BLOCK - size % USTAR_BLOCK) % USTAR_BLOCK;

		memcpy(arc + alen, data, size);
		memset(arc + alen + size, 0, pad);
		alen += size + pad;
	}
	return h;
}

static void finish(void)
{
	memset(arc + alen, 0, 2 * USTAR_BLOCK);
	alen += 2 * USTAR_BLOCK;
}

/* ---- reading back ---- */

#define MAX_ENTS 64
static struct ustar_entry ents[MAX_ENTS];
static int nents;

/* Read every member of [buf, buf + len); returns the final result. */
static int read_buf(const uint8_t *buf, size_t len)
{
	struct ustar_iter it;
	int r;

	ustar_iter_init(&it, buf, len);
	nents = 0;
	while ((r = ustar_next(&it, &ents[nents])) == 1)
		if (++nents == MAX_ENTS)
			break;
	return r;
}

/* Read the first len bytes of arc through an exact-size heap copy. */
static int read_arc(size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, arc, len);
	r = read_buf(copy, len);
	free(copy);		/* ents[].data now dangles: only names are used */
	return r;
}

/* One regular file "f" holding "hello", then the trailer. */
static uint8_t *one_file(void)
{
	uint8_t *h;

	begin();
	h = add("f", '0', 0644, "hello", 5, NULL);
	finish();
	return h;
}

/* ---- well-formed archives ---- */

TEST(ustar_basic_members)
{
	struct ustar_iter it;
	struct ustar_entry e;
	uint8_t *copy;

	begin();
	add("./", '5', 0755, NULL, 0, NULL);
	add("./hello", '0', 0644, "hi\n", 3, NULL);
	add("./d/", '5', 01777, NULL, 0, NULL);
	add("./d/s", '2', 0777, NULL, 0, "../hello");
	add("./d/h", '1', 0644, NULL, 0, "./hello");
	add("./big", '\0', 04755, arc, 1000, NULL);
	finish();
	copy = malloc(alen);
	memcpy(copy, arc, alen);
	ustar_iter_init(&it, copy, alen);

	ASSERT_EQ(ustar_next(&it, &e), 1);
	ASSERT_STR(e.name, "");
	ASSERT_EQ(e.type, USTAR_DIR);
	ASSERT_EQ(e.mode, 0755);

	ASSERT_EQ(ustar_next(&it, &e), 1);
	ASSERT_STR(e.name, "hello");
	ASSERT_EQ(e.type, USTAR_REG);
	ASSERT_EQ(e.typeflag, '0');
	ASSERT_EQ(e.mode, 0644);
	ASSERT_EQ(e.uid, 1000);
	ASSERT_EQ(e.gid, 100);
	ASSERT_EQ(e.mtime, 1700000000);
	ASSERT_EQ(e.size, 3);
	ASSERT(e.data == copy + 2 * USTAR_BLOCK);
	ASSERT(!memcmp(e.data, "hi\n", 3));
	ASSERT_STR(e.linkname, "");

	ASSERT_EQ(ustar_next(&it, &e), 1);
	ASSERT_STR(e.name, "d");
	ASSERT_EQ(e.type, USTAR_DIR);
	ASSERT_EQ(e.mode, 01777);

	ASSERT_EQ(ustar_next(&it, &e), 1);
	ASSERT_STR(e.name, "d/s");
	ASSERT_EQ(e.type, USTAR_SYMLINK);
	ASSERT_STR(e.linkname, "../hello");

	ASSERT_EQ(ustar_next(&it, &e), 1);
	ASSERT_STR(e.name, "d/h");
	ASSERT_EQ(e.type, USTAR_HARDLINK);
	ASSERT_STR(e.linkname, "hello");	/* "./" stripped: names a member */

	ASSERT_EQ(ustar_next(&it, &e), 1);
	ASSERT_STR(e.name, "big");
	ASSERT_EQ(e.type, USTAR_REG);
	ASSERT_EQ(e.typeflag, '\0');
	ASSERT_EQ(e.mode, 04755);
	ASSERT_EQ(e.size, 1000);
	ASSERT(!memcmp(e.data, arc, 1000));

	ASSERT_EQ(ustar_next(&it, &e), 0);
	ASSERT_EQ(ustar_next(&it, &e), 0);
	free(copy);
}

TEST(ustar_symlink_text_kept_verbatim)
{
	begin();
	add("l", '2', 0777, NULL, 0, "./x/");
	add("/abs", '2', 0777, NULL, 0, "/etc/passwd");
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 2);
	ASSERT_STR(ents[0].linkname, "./x/");
	ASSERT_STR(ents[1].name, "abs");
	ASSERT_STR(ents[1].linkname, "/etc/passwd");
}

TEST(ustar_root_spellings)
{
	begin();
	add(".", '5', 0755, NULL, 0, NULL);
	add("/", '5', 0755, NULL, 0, NULL);
	add("././a//", '5', 0755, NULL, 0, NULL);
	add("v7dir/", '\0', 0755, NULL, 0, NULL);
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 4);
	ASSERT_STR(ents[0].name, "");
	ASSERT_STR(ents[1].name, "");
	ASSERT_STR(ents[2].name, "a");
	ASSERT_STR(ents[3].name, "v7dir");
	ASSERT_EQ(ents[3].type, USTAR_DIR);
}

TEST(ustar_prefix_joins_name)
{
	uint8_t *h;
	char want[USTAR_NAME_LEN];

	begin();
	h = add("c", '0', 0644, NULL, 0, NULL);
	memcpy(h + 345, "./a/b", 5);
	fix_sum(h);
	/* both fields full, no NUL in either: the longest name there is */
	h = add("", '0', 0644, NULL, 0, NULL);
	memset(h, 'n', 100);
	memset(h + 345, 'p', 155);
	fix_sum(h);
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 2);
	ASSERT_STR(ents[0].name, "a/b/c");
	memset(want, 'p', 155);
	want[155] = '/';
	memset(want + 156, 'n', 100);
	want[256] = '\0';
	ASSERT_STR(ents[1].name, want);
}

TEST(ustar_name_and_link_fill_fields)
{
	uint8_t *h;

	begin();
	h = add("", '1', 0644, NULL, 0, NULL);
	memset(h, 'a', 100);
	memset(h + 157, 'b', 100);
	fix_sum(h);
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 1);
	ASSERT_EQ(strlen(ents[0].name), 100);
	ASSERT_EQ(strlen(ents[0].linkname), 100);
	ASSERT_EQ(ents[0].linkname[99], 'b');
}

TEST(ustar_gnu_magic_ignores_prefix)
{
	uint8_t *h;

	begin();
	h = add("g", '0', 0644, "x", 1, NULL);
	memcpy(h + 257, "ustar  \0", 8);
	/* GNU keeps times there, not a prefix */
	memcpy(h + 345, "14000000000", 11);
	fix_sum(h);
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 1);
	ASSERT_STR(ents[0].name, "g");
}

TEST(ustar_signed_checksum)
{
	uint8_t *h;
	int sum = 0;

	begin();
	h = add("caf\xc3\xa9", '0', 0644, NULL, 0, NULL);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < USTAR_BLOCK; i++)
		sum += (int8_t)h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h = add("caf\xc3\xa9", '0', 0644, NULL, 0, NULL);	/* unsigned */
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 2);
	ASSERT_STR(ents[0].name, "caf\xc3\xa9");
}

TEST(ustar_numeric_spellings)
{
	uint8_t *h;

	begin();
	h = add("a", '0', 0, NULL, 0, NULL);
	memcpy(h + 100, "   644 \0", 8);	/* leading spaces, space end */
	memcpy(h + 108, "00000000", 8);		/* full field, no end byte */
	memcpy(h + 116, "7\0\0\0\0\0\0\0", 8);
	memcpy(h + 136, "77777777777 ", 12);
	fix_sum(h);
	h = add("b", '0', 0100644, NULL, 0, NULL);	/* type bits dropped */
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 2);
	ASSERT_EQ(ents[0].mode, 0644);
	ASSERT_EQ(ents[0].uid, 0);
	ASSERT_EQ(ents[0].gid, 7);
	ASSERT_EQ(ents[0].mtime, 077777777777ULL);
	ASSERT_EQ(ents[1].mode, 0644);
}

TEST(ustar_base256_size)
{
	uint8_t *h;

	begin();
	h = add("big", '0', 0644, "abc", 3, NULL);
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[135] = 3;
	fix_sum(h);
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 1);
	ASSERT_EQ(ents[0].size, 3);

	/* 2^64: one bit too many */
	h = one_file();
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[127] = 1;
	fix_sum(h);
	ASSERT_EQ(read_arc(alen), -EINVAL);

	/* negative */
	h = one_file();
	memset(h + 124, 0xFF, 12);
	fix_sum(h);
	ASSERT_EQ(read_arc(alen), -EINVAL);
}

TEST(ustar_unknown_type_skipped_by_size)
{
	begin();
	add("pax", 'x', 0644, "30 path=something-very-long\n", 28, NULL);
	add("dev", '3', 0600, NULL, 0, NULL);
	add("after", '0', 0644, "z", 1, NULL);
	finish();
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 3);
	ASSERT_EQ(ents[0].type, USTAR_UNKNOWN);
	ASSERT_EQ(ents[0].typeflag, 'x');
	ASSERT_EQ(ents[0].size, 28);
	ASSERT_EQ(ents[1].type, USTAR_UNKNOWN);
	ASSERT_EQ(ents[1].typeflag, '3');
	ASSERT_STR(ents[2].name, "after");
}

TEST(ustar_end_markers)
{
	/* empty buffer */
	ASSERT_EQ(read_buf((const uint8_t *)"", 0), 0);
	/* the buffer ends right after a member */
	one_file();
	ASSERT_EQ(read_arc(2 * USTAR_BLOCK), 0);
	ASSERT_EQ(nents, 1);
	/* one zero block that ends the buffer */
	ASSERT_EQ(read_arc(3 * USTAR_BLOCK), 0);
	ASSERT_EQ(nents, 1);
	/* the full trailer */
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 1);
	/* what follows the trailer is never read */
	memset(arc + alen, 0xAA, USTAR_BLOCK);
	ASSERT_EQ(read_arc(alen + USTAR_BLOCK), 0);
	ASSERT_EQ(nents, 1);
}

TEST(ustar_lone_zero_block_then_member)
{
	begin();
	add("a", '0', 0644, NULL, 0, NULL);
	memset(arc + alen, 0, USTAR_BLOCK);
	alen += USTAR_BLOCK;
	add("b", '0', 0644, NULL, 0, NULL);
	finish();
	ASSERT_EQ(read_arc(alen), -EINVAL);
	ASSERT_EQ(nents, 1);
}

/* ---- damaged archives ---- */

TEST(ustar_bad_checksum)
{
	uint8_t *h = one_file();

	h[0] = 'g';		/* changed after the sum was written */
	ASSERT_EQ(read_arc(alen), -EINVAL);
	ASSERT_EQ(nents, 0);
	h = one_file();
	memcpy(h + 148, "0000x0\0 ", 8);
	ASSERT_EQ(read_arc(alen), -EINVAL);
	h = one_file();
	memset(h + 148, ' ', 8);	/* no digit at all */
	ASSERT_EQ(read_arc(alen), -EINVAL);
}

TEST(ustar_error_is_sticky)
{
	struct ustar_iter it;
	struct ustar_entry e;
	uint8_t *h = one_file();

	h[0] = 'g';
	ustar_iter_init(&it, arc, alen);
	ASSERT_EQ(ustar_next(&it, &e), -EINVAL);
	fix_sum(h);		/* even if the bytes get fixed underneath */
	ASSERT_EQ(ustar_next(&it, &e), -EINVAL);
}

TEST(ustar_truncated)
{
	one_file();
	/* a header cut short, which also leaves a partial block */
	ASSERT_EQ(read_arc(300), -EINVAL);
	ASSERT_EQ(read_arc(USTAR_BLOCK + 3), -EINVAL);
	/* a valid archive with a byte too many is not whole blocks */
	ASSERT_EQ(read_arc(alen - 1), -EINVAL);
	arc[alen] = 0;
	ASSERT_EQ(read_arc(alen + 1), -EINVAL);
	ASSERT_EQ(nents, 0);

	/* header whole, data missing: 1000 bytes promised, 512 there */
	begin();
	add("f", '0', 0644, arc + 4096, 1000, NULL);
	ASSERT_EQ(read_arc(2 * USTAR_BLOCK), -EINVAL);
	/* with both data blocks there, it reads (end of buffer as end) */
	ASSERT_EQ(read_arc(3 * USTAR_BLOCK), 0);
	ASSERT_EQ(nents, 1);
}

TEST(ustar_size_past_buffer)
{
	uint8_t *h = one_file();

	/* the largest octal size: far more than the buffer */
	memcpy(h + 124, "77777777777\0", 12);
	fix_sum(h);
	ASSERT_EQ(read_arc(alen), -EINVAL);
	/* exactly the room that is left fits: trailer included */
	h = one_file();
	put_octal(h + 124, 12, alen - USTAR_BLOCK);
	fix_sum(h);
	ASSERT_EQ(read_arc(alen), 0);
	ASSERT_EQ(nents, 1);
	put_octal(h + 124, 12, alen - USTAR_BLOCK + 1);
	fix_sum(h);
	ASSERT_EQ(read_arc(alen), -EINVAL);
}

/* Replace n bytes of header field at off, fix the sum, expect -EINVAL. */
static void bad_field(size_t off, const char *bytes, size_t n)
{
	uint8_t *h = one_file();

	memcpy(h + off, bytes, n);
	fix_sum(h);
	ASSERT_EQ(read_arc(alen), -EINVAL);
	ASSERT_EQ(nents, 0);
}

TEST(ustar_non_octal_fields)
{
	bad_field(100, "0000648\0", 8);			/* mode */
	bad_field(108, "00 00001", 8);			/* uid: digit after end */
	bad_field(116, "\0\0\0\0\0\0\0\0", 8);		/* gid: empty */
	bad_field(124, "0000000000a\0", 12);		/* size */
	bad_field(124, "-0000000001\0", 12);
	bad_field(136, "0000000000 x", 12);		/* mtime: junk after */
	bad_field(108, "\x80\0\0\x01\0\0\0\0", 8);	/* uid past 32 bits */
}

TEST(ustar_bad_magic)
{
	bad_field(257, "\0\0\0\0\0\0\0\0", 8);		/* V7: no magic */
	bad_field(257, "ustar\0" "01", 8);
	bad_field(257, "ustar  x", 8);
	bad_field(257, "USTAR\0" "00", 8);
}

TEST(ustar_bad_names)
{
	bad_field(0, "\0", 1);				/* empty name */
	bad_field(0, "./\0", 3);			/* root as a file */
	/* links without a target */
	begin();
	add("l", '2', 0777, NULL, 0, NULL);
	finish();
	ASSERT_EQ(read_arc(alen), -EINVAL);
	begin();
	add("h", '1', 0644, NULL, 0, "./");
	finish();
	ASSERT_EQ(read_arc(alen), -EINVAL);
}

/* ---- an archive from the host's tar ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ASSERT(f);
	fputs(text, f);
	fclose(f);
}

static const struct ustar_entry *find(const char *name)
{
	for (int i = 0; i < nents; i++)
		if (!strcmp(ents[i].name, name))
			return &ents[i];
	return NULL;
}

/* Load a file into an exact-size heap buffer. */
static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

TEST(ustar_host_tar_archive)
{
	char dir[] = "/tmp/ustar-test.XXXXXX", path[512], cmd[1024];
	char ldir[80], lname[60], longpath[200];
	const struct ustar_entry *e, *f, *h;
	uint8_t *buf;
	size_t len;
	int r;

	if (system("command -v tar >/dev/null 2>&1") != 0) {
		printf("  skipped: no tar on this host\n");
		return;
	}
	ASSERT(mkdtemp(dir));
	write_file(dir, "f", "hello\n");
	write_file(dir, "empty", "");
	snprintf(path, sizeof(path), "%s/d1", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/d1/d2", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	ASSERT_EQ(chmod(path, 01750), 0);
	write_file(dir, "d1/d2/g", "nested\n");
	snprintf(path, sizeof(path), "%s/d1/link", dir);
	ASSERT_EQ(symlink("../f", path), 0);
	snprintf(path, sizeof(path), "%s/f", dir);
	snprintf(cmd, sizeof(cmd), "%s/d1/hard", dir);
	ASSERT_EQ(link(path, cmd), 0);
	/* 3 + 70 + 1 + 60 bytes: too long for the name field alone */
	memset(ldir, 'L', 70);
	ldir[70] = '\0';
	memset(lname, 'N', 59);
	lname[59] = '\0';
	snprintf(path, sizeof(path), "%s/d1/%s", dir, ldir);
	ASSERT_EQ(mkdir(path, 0700), 0);
	snprintf(longpath, sizeof(longpath), "d1/%s/%s", ldir, lname);
	write_file(dir, longpath, "long\n");
	ASSERT(strlen(longpath) > 100);

	snprintf(cmd, sizeof(cmd),
		 "tar --format=ustar --owner=0 --group=0 -cf %s.tar -C %s .",
		 dir, dir);
	r = system(cmd);
	snprintf(path, sizeof(path), "%s.tar", dir);
	buf = r == 0 ? load(path, &len) : NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.tar", dir, dir);
	if (system(cmd) != 0)
		printf("  could not remove %s\n", dir);
	ASSERT(buf);

	ASSERT_EQ(len % USTAR_BLOCK, 0);
	ASSERT_EQ(read_buf(buf, len), 0);
	ASSERT_EQ(nents, 10);

	ASSERT((e = find("")));
	ASSERT_EQ(e->type, USTAR_DIR);
	ASSERT((e = find("d1")));
	ASSERT_EQ(e->type, USTAR_DIR);
	ASSERT_EQ(e->mode, 0755);
	ASSERT_EQ(e->uid, 0);
	ASSERT_EQ(e->gid, 0);
	ASSERT((e = find("d1/d2")));
	ASSERT_EQ(e->type, USTAR_DIR);
	ASSERT_EQ(e->mode, 01750);
	ASSERT((e = find("d1/d2/g")));
	ASSERT_EQ(e->type, USTAR_REG);
	ASSERT_EQ(e->size, 7);
	ASSERT(!memcmp(e->data, "nested\n", 7));
	ASSERT((e = find("empty")));
	ASSERT_EQ(e->type, USTAR_REG);
	ASSERT_EQ(e->size, 0);
	ASSERT((e = find("d1/link")));
	ASSERT_EQ(e->type, USTAR_SYMLINK);
	ASSERT_STR(e->linkname, "../f");
	ASSERT(e->mtime > 0);
	snprintf(path, sizeof(path), "d1/%s", ldir);
	ASSERT((e = find(path)));
	ASSERT_EQ(e->type, USTAR_DIR);
	ASSERT_EQ(e->mode, 0700);
	ASSERT((e = find(longpath)));
	ASSERT_EQ(e->type, USTAR_REG);
	ASSERT(!memcmp(e->data, "long\n", 5));

	/* tar stores the first name it meets; the other links to it */
	ASSERT((f = find("f")));
	ASSERT((h = find("d1/hard")));
	if (f->type == USTAR_HARDLINK) {
		const struct ustar_entry *t = f;

		f = h;
		h = t;
	}
	ASSERT_EQ(f->type, USTAR_REG);
	ASSERT_EQ(f->size, 6);
	ASSERT(!memcmp(f->data, "hello\n", 6));
	ASSERT_EQ(h->type, USTAR_HARDLINK);
	ASSERT_STR(h->linkname, f->name);
	free(buf);
}

/* ---- random damage ---- */

static uint32_t rng;

static uint32_t next_rand(void)
{
	/* xorshift32: fixed seed, same run every time */
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Bytes a numeric field might plausibly be damaged into. */
static const uint8_t field_bytes[] = "0123456789 \0\x80\xff-a";

/* Every member reported must lie inside the buffer; touch all its bytes. */
static void check_walk(const uint8_t *buf, size_t len)
{
	struct ustar_iter it;
	struct ustar_entry e;
	unsigned sum = 0;
	size_t n = 0;
	int r;

	ustar_iter_init(&it, buf, len);
	while ((r = ustar_next(&it, &e)) == 1) {
		const uint8_t *d = e.data;

		ASSERT(d >= buf + USTAR_BLOCK && d <= buf + len);
		ASSERT(e.size <= (size_t)(buf + len - d));
		for (size_t i = 0; i < e.size; i++)
			sum += d[i];
		ASSERT(strnlen(e.name, USTAR_NAME_LEN) < USTAR_NAME_LEN);
		ASSERT(strnlen(e.linkname, USTAR_LINK_LEN) < USTAR_LINK_LEN);
		ASSERT(e.mode <= 07777);
		ASSERT(e.type <= USTAR_DIR);
		ASSERT(++n <= len / USTAR_BLOCK);
	}
	ASSERT(r == 0 || r == -EINVAL);
	ASSERT_EQ(ustar_next(&it, &e), r);
	(void)sum;
}

TEST(ustar_random_damage)
{
	uint8_t *h;
	size_t good_len;
	uint8_t good[sizeof(arc) / 8];

	begin();
	add("./", '5', 0755, NULL, 0, NULL);
	add("./file", '0', 0644, arc + 100, 700, NULL);
	add("./dir/", '5', 0755, NULL, 0, NULL);
	add("./dir/sym", '2', 0777, NULL, 0, "../file");
	add("./dir/hard", '1', 0644, NULL, 0, "./file");
	h = add("tail", '0', 0644, "12345", 5, NULL);
	memcpy(h + 345, "dir/deeper", 10);
	fix_sum(h);
	add("./empty", '0', 0644, NULL, 0, NULL);
	finish();
	ASSERT(alen <= sizeof(good));
	memcpy(good, arc, alen);
	good_len = alen;

	rng = 0x2545F491;
	for (int iter = 0; iter < 5000; iter++) {
		size_t len = good_len;
		uint8_t *buf;
		int nmut = 1 + next_rand() % 4;

		memcpy(arc, good, good_len);
		for (int m = 0; m < nmut; m++) {
			size_t hdr = hoff[next_rand() % nhdr];

			switch (next_rand() % 5) {
			case 0:		/* a bit anywhere */
				arc[next_rand() % good_len] ^= 1u << (next_rand() % 8);
				break;
			case 1:		/* a bit in a header, sum made right */
				arc[hdr + next_rand() % USTAR_BLOCK] ^=
					1u << (next_rand() % 8);
				fix_sum(arc + hdr);
				break;
			case 2:		/* a numeric field byte, sum made right */
				arc[hdr + 100 + next_rand() % 48] =
					field_bytes[next_rand() % (sizeof(field_bytes) - 1)];
				fix_sum(arc + hdr);
				break;
			case 3:		/* cut anywhere */
				len = next_rand() % (len + 1);
				break;
			default:	/* cut at a block boundary */
				len = (next_rand() % (len / USTAR_BLOCK + 1)) *
				      USTAR_BLOCK;
				break;
			}
		}
		buf = malloc(len ? len : 1);
		memcpy(buf, arc, len);
		check_walk(buf, len);
		free(buf);
	}
	/* and the undamaged archive still reads whole */
	ASSERT_EQ(read_buf(good, good_len), 0);
	ASSERT_EQ(nents, 7);
	ASSERT_STR(ents[5].name, "dir/deeper/tail");
}
