/* POSIX ustar archive reader (fs/ustar.c) over an archive held in memory,
 * as the initrd is. It validates and decodes headers and points at the
 * data; creating files from the entries is the initrd unpacker's job.
 * Pure and bounds-checked: a damaged archive is refused with -EINVAL and
 * nothing is ever read outside [buf, buf + len). */
#ifndef USTAR_H
#define USTAR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USTAR_BLOCK	512
#define USTAR_NAME_LEN	257	/* prefix 155 + '/' + name 100 + NUL */
#define USTAR_LINK_LEN	101	/* linkname 100 + NUL */

enum ustar_type {
	USTAR_UNKNOWN,		/* devices, FIFOs, pax and GNU extension
				 * headers...: see typeflag; skip it. The
				 * extensions are not applied (no pax path=,
				 * no GNU long names): write the archive with
				 * tar --format=ustar */
	USTAR_REG,		/* '0', '\0', and '7' (contiguous) */
	USTAR_HARDLINK,		/* '1': linkname is another member's name */
	USTAR_SYMLINK,		/* '2': linkname is the link's contents */
	USTAR_DIR,		/* '5' */
};

/*
 * One archive member. Names are relative to the archive's root: a leading
 * "./" (repeated) or "/" and any trailing "/" are dropped, so the root
 * entry that `tar -C dir .` writes as "./" comes back as "" (a directory;
 * the caller may apply its mode and mtime to "/" or skip it). The same
 * stripping applies to a hard link's linkname, never to a symlink's.
 */
struct ustar_entry {
	char name[USTAR_NAME_LEN];	/* NUL-terminated */
	char linkname[USTAR_LINK_LEN];	/* NUL-terminated, "" if none */
	enum ustar_type type;
	char typeflag;			/* the raw header byte */
	uint32_t mode;			/* permission bits with setuid, setgid
					 * and sticky (07777); any file type
					 * bits in the header are dropped */
	uint32_t uid, gid;
	uint64_t mtime;			/* seconds since the epoch */
	const void *data;		/* the member's bytes, inside the buffer */
	size_t size;			/* their length, from the header */
};

/* Position in an archive; set up by ustar_iter_init, opaque otherwise. */
struct ustar_iter {
	const uint8_t *buf;
	size_t len;
	size_t off;		/* next header, a multiple of USTAR_BLOCK */
	int state;		/* 0 while reading, 1 after the end, -errno */
};

void ustar_iter_init(struct ustar_iter *it, const void *buf, size_t len);

/*
 * Decode the next member into *e. Returns 1 for a member, 0 at the end of
 * the archive (two zero blocks, one zero block that ends the buffer, or
 * the buffer ending exactly between members), or -EINVAL for a malformed
 * archive: a length that is not a whole number of blocks, a bad checksum
 * (the unsigned sum is checked, and the signed sum old tars wrote), a
 * magic other than POSIX "ustar\0" "00" or GNU "ustar  \0", a numeric
 * field that is not octal digits ended by NUL or space (or, for a large
 * value, GNU's base-256), a uid or gid past 32 bits, an empty name (or
 * one that strips to "" on a member that is not a directory), a link with
 * no linkname, data running past the buffer, or a zero block followed by
 * anything but another. The end and errors are
 * sticky: later calls return the same. Every member's data is skipped by
 * its header size, whatever its type.
 */
int ustar_next(struct ustar_iter *it, struct ustar_entry *e);

#endif
