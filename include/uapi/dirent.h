/* Directory entries as getdents64 returns them (Linux's struct
 * linux_dirent64) and the d_type values, shared by the kernel and libc. */
#ifndef UAPI_DIRENT_H
#define UAPI_DIRENT_H
#include <stdint.h>

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;		/* cookie of the next entry */
	uint16_t d_reclen;	/* whole record, padded to 8 bytes */
	uint8_t d_type;		/* DT_* */
	char d_name[];		/* NUL-terminated */
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#endif
