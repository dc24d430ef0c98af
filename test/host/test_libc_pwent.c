/* libc's /etc/passwd and /etc/group line parsing (libc/src/pwent.c)
 * compiled natively under hl_* names, against the host's struct passwd
 * and struct group (same field names). strtoul is the host's; ours is
 * checked against it in test_libc_string.c. */
#include "test.h"
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

size_t strcspn(const char *s, const char *reject);	/* not in include/string.h */

#define __pw_parse hl_pw_parse
#define __gr_parse hl_gr_parse
#include "../../libc/src/pwent.c"
#undef __pw_parse
#undef __gr_parse

/* Parses a copy of s (the parser writes into its line). */
static int pw(const char *s, struct passwd *out, char *buf, size_t size)
{
	snprintf(buf, size, "%s", s);
	return hl_pw_parse(buf, out);
}

static int gr(const char *s, struct group *out, char **mem, int nmem, char *buf, size_t size)
{
	snprintf(buf, size, "%s", s);
	return hl_gr_parse(buf, out, mem, nmem);
}

TEST(libc_pwent_good_lines)
{
	struct passwd p;
	char b[256];

	ASSERT_EQ(pw("root:x:0:0:root:/root:/bin/sh\n", &p, b, sizeof(b)), 0);
	ASSERT_STR(p.pw_name, "root");
	ASSERT_STR(p.pw_passwd, "x");
	ASSERT_EQ(p.pw_uid, 0);
	ASSERT_EQ(p.pw_gid, 0);
	ASSERT_STR(p.pw_gecos, "root");
	ASSERT_STR(p.pw_dir, "/root");
	ASSERT_STR(p.pw_shell, "/bin/sh");	/* newline gone */

	/* No newline (a file's last line); empty optional fields. */
	ASSERT_EQ(pw("user::1000:100:::", &p, b, sizeof(b)), 0);
	ASSERT_STR(p.pw_name, "user");
	ASSERT_STR(p.pw_passwd, "");
	ASSERT_EQ(p.pw_uid, 1000);
	ASSERT_EQ(p.pw_gid, 100);
	ASSERT_STR(p.pw_gecos, "");
	ASSERT_STR(p.pw_dir, "");
	ASSERT_STR(p.pw_shell, "");

	/* Spaces and commas are ordinary bytes in gecos. */
	ASSERT_EQ(pw("ann:x:5:6:Ann Lee,Room 1,,:/home/ann:/bin/sh\n", &p, b, sizeof(b)), 0);
	ASSERT_STR(p.pw_gecos, "Ann Lee,Room 1,,");
	ASSERT_EQ(p.pw_uid, 5);
}

TEST(libc_pwent_malformed_lines)
{
	static const char *const bad[] = {
		"",				/* empty */
		"\n",
		"# root:x:0:0:root:/root:/bin/sh",	/* comment */
		"root",
		"root:x:0:0:root:/root",	/* six fields */
		"root:x:0:0:root:/root:/bin/sh:",	/* an extra colon */
		"root:x:0:0:root:/root:/bin/sh:extra\n",
		"root:x:0:0:r:o:o:t:/root:/bin/sh",
		":x:0:0:root:/root:/bin/sh",	/* no name */
		"root:x::0:root:/root:/bin/sh",	/* no uid */
		"root:x:0::root:/root:/bin/sh",	/* no gid */
		"root:x:0a:0:root:/root:/bin/sh",
		"root:x:0:0x1:root:/root:/bin/sh",
		"root:x:1 :0:root:/root:/bin/sh",
		"root:x:-1:0:root:/root:/bin/sh",
	};
	struct passwd p;
	char b[256];

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (pw(bad[i], &p, b, sizeof(b)) != -1) {
			printf("  accepted \"%s\"\n", bad[i]);
			ASSERT(0);
		}
	}
}

TEST(libc_pwent_id_range)
{
	struct passwd p;
	struct group g;
	char *mem[4];
	char b[256];

	ASSERT_EQ(pw("a:x:4294967295:4294967294:::", &p, b, sizeof(b)), 0);
	ASSERT_EQ(p.pw_uid, 4294967295u);
	ASSERT_EQ(p.pw_gid, 4294967294u);
	ASSERT_EQ(pw("a:x:4294967296:0:::", &p, b, sizeof(b)), -1);
	ASSERT_EQ(pw("a:x:0:4294967296:::", &p, b, sizeof(b)), -1);
	ASSERT_EQ(pw("a:x:18446744073709551615:0:::", &p, b, sizeof(b)), -1);
	ASSERT_EQ(pw("a:x:99999999999999999999999:0:::", &p, b, sizeof(b)), -1);
	ASSERT_EQ(pw("a:x:007:0:::", &p, b, sizeof(b)), 0);	/* decimal, not octal */
	ASSERT_EQ(p.pw_uid, 7);
	ASSERT_EQ(gr("g:x:4294967295:", &g, mem, 4, b, sizeof(b)), 0);
	ASSERT_EQ(g.gr_gid, 4294967295u);
	ASSERT_EQ(gr("g:x:4294967296:", &g, mem, 4, b, sizeof(b)), -1);
	ASSERT_EQ(gr("g:x:-5:", &g, mem, 4, b, sizeof(b)), -1);
}

/* The parser has no length limit of its own: a line of several KiB
 * parses whole (pwdb.c's reader is what drops lines too long for its
 * buffer). */
TEST(libc_pwent_long_lines)
{
	static char line[8192], gecos[6000], copy[8192];
	struct passwd p;
	struct group g;
	char *mem[1000];

	memset(gecos, 'g', sizeof(gecos) - 1);
	snprintf(line, sizeof(line), "long:x:1:2:%s:/home/long:/bin/sh\n", gecos);
	ASSERT_EQ(pw(line, &p, copy, sizeof(copy)), 0);
	ASSERT_EQ(strlen(p.pw_gecos), sizeof(gecos) - 1);
	ASSERT_STR(p.pw_shell, "/bin/sh");

	/* 900 members. */
	size_t n = (size_t)snprintf(line, sizeof(line), "big:x:9:");
	for (int i = 0; i < 900; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%su%d", i ? "," : "", i);
	ASSERT_EQ(gr(line, &g, mem, 1000, copy, sizeof(copy)), 0);
	ASSERT_STR(g.gr_mem[0], "u0");
	ASSERT_STR(g.gr_mem[899], "u899");
	ASSERT(g.gr_mem[900] == NULL);
}

TEST(libc_grent_lines)
{
	struct group g;
	char *mem[4];
	char b[256];

	ASSERT_EQ(gr("wheel:x:10:root,ann,bob\n", &g, mem, 4, b, sizeof(b)), 0);
	ASSERT_STR(g.gr_name, "wheel");
	ASSERT_STR(g.gr_passwd, "x");
	ASSERT_EQ(g.gr_gid, 10);
	ASSERT(g.gr_mem == mem);
	ASSERT_STR(g.gr_mem[0], "root");
	ASSERT_STR(g.gr_mem[1], "ann");
	ASSERT_STR(g.gr_mem[2], "bob");	/* newline gone */
	ASSERT(g.gr_mem[3] == NULL);

	/* No members; no password. */
	ASSERT_EQ(gr("users::100:", &g, mem, 4, b, sizeof(b)), 0);
	ASSERT_STR(g.gr_passwd, "");
	ASSERT_EQ(g.gr_gid, 100);
	ASSERT(g.gr_mem[0] == NULL);

	/* A trailing comma adds nobody. */
	ASSERT_EQ(gr("g:x:1:a,b,\n", &g, mem, 4, b, sizeof(b)), 0);
	ASSERT_STR(g.gr_mem[1], "b");
	ASSERT(g.gr_mem[2] == NULL);

	/* More members than room: the first nmem - 1, then NULL. */
	ASSERT_EQ(gr("g:x:1:a,b,c,d,e", &g, mem, 4, b, sizeof(b)), 0);
	ASSERT_STR(g.gr_mem[0], "a");
	ASSERT_STR(g.gr_mem[2], "c");
	ASSERT(g.gr_mem[3] == NULL);
	ASSERT_EQ(gr("g:x:1:a,b", &g, mem, 1, b, sizeof(b)), 0);
	ASSERT(g.gr_mem[0] == NULL);

	static const char *const bad[] = {
		"", "\n", "# wheel:x:10:root", "wheel", "wheel:x:10",
		"wheel:x:10:root:extra", "wheel:x:10:root:", ":x:10:root",
		"wheel:x::root", "wheel:x:ten:root", "wheel:x:10 :root",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (gr(bad[i], &g, mem, 4, b, sizeof(b)) != -1) {
			printf("  accepted \"%s\"\n", bad[i]);
			ASSERT(0);
		}
	}
}
