/* Calls between the files of fs/ that nothing outside fs/ may use. */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H
#include <vfs.h>

/* fs/vfs.c: the ops registered for a device number, or NULL. */
const struct file_ops *chrdev_lookup(uint32_t rdev);

/* fs/namei.c: an entry's inode in dir (permission to search dir already
 * checked), with a reference; ".." included. vfs_lock held. */
int namei_lookup_one(struct inode *dir, const char *name, size_t len,
		     struct inode **out);

/* fs/file.c: the table of current, made on first use. NULL on ENOMEM. */
struct files *current_files(void);

/* fs/file.c: put f at fd (closing what was there). 0 or -errno. */
int fd_replace(struct files *ft, int fd, struct file *f, bool cloexec);

/* fs/file.c: set/get the close-on-exec bit of an open fd. */
void fd_set_cloexec(struct files *ft, int fd, bool on);
bool fd_get_cloexec(struct files *ft, int fd);

/* fs/pipe.c: how a FIFO inode (mknod S_IFIFO) is opened. */
extern const struct file_ops fifo_fops;

#endif
