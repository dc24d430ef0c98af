/* The thin system-call wrappers: each makes one call and converts a
 * -errno result into -1 with errno set. Anything with logic of its own
 * (exec*, signals, stdio, time) lives in its own file. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/reboot.h>
#include <unistd.h>
#include "internal.h"

int errno;

long __syscall_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

#define RET(x) return __syscall_ret(x)

long syscall(long n, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	RET(__syscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]));
}

ssize_t read(int fd, void *buf, size_t n) { RET(__sc3(__NR_read, fd, buf, n)); }
ssize_t write(int fd, const void *buf, size_t n) { RET(__sc3(__NR_write, fd, buf, n)); }
ssize_t pread(int fd, void *buf, size_t n, off_t off) { RET(__sc4(__NR_pread64, fd, buf, n, off)); }
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) { RET(__sc4(__NR_pwrite64, fd, buf, n, off)); }
ssize_t readv(int fd, const struct iovec *iov, int n) { RET(__sc3(__NR_readv, fd, iov, n)); }
ssize_t writev(int fd, const struct iovec *iov, int n) { RET(__sc3(__NR_writev, fd, iov, n)); }
int close(int fd) { return (int)__syscall_ret(__sc1(__NR_close, fd)); }
off_t lseek(int fd, off_t off, int whence) { RET(__sc3(__NR_lseek, fd, off, whence)); }
int dup(int fd) { RET(__sc1(__NR_dup, fd)); }
int dup2(int fd, int to) { RET(__sc2(__NR_dup2, fd, to)); }
int dup3(int fd, int to, int flags) { RET(__sc3(__NR_dup3, fd, to, flags)); }
int pipe(int fds[2]) { RET(__sc1(__NR_pipe, fds)); }
int pipe2(int fds[2], int flags) { RET(__sc2(__NR_pipe2, fds, flags)); }

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	RET(__sc3(__NR_open, path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	RET(__sc4(__NR_openat, dirfd, path, flags, mode));
}

int creat(const char *path, mode_t mode) { return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode); }

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	RET(__sc3(__NR_fcntl, fd, cmd, arg));
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	long arg;

	va_start(ap, req);
	arg = va_arg(ap, long);
	va_end(ap);
	RET(__sc3(__NR_ioctl, fd, req, arg));
}

int access(const char *path, int mode) { RET(__sc2(__NR_access, path, mode)); }
int faccessat(int d, const char *path, int mode, int flags) { RET(__sc4(__NR_faccessat, d, path, mode, flags)); }
int chdir(const char *path) { RET(__sc1(__NR_chdir, path)); }
int fchdir(int fd) { RET(__sc1(__NR_fchdir, fd)); }
int unlink(const char *path) { RET(__sc1(__NR_unlink, path)); }
int unlinkat(int d, const char *path, int flags) { RET(__sc3(__NR_unlinkat, d, path, flags)); }
int rmdir(const char *path) { RET(__sc1(__NR_rmdir, path)); }
int link(const char *a, const char *b) { RET(__sc2(__NR_link, a, b)); }
int symlink(const char *a, const char *b) { RET(__sc2(__NR_symlink, a, b)); }
int rename(const char *a, const char *b) { RET(__sc2(__NR_rename, a, b)); }
ssize_t readlink(const char *restrict p, char *restrict b, size_t n) { RET(__sc3(__NR_readlink, p, b, n)); }
ssize_t readlinkat(int d, const char *restrict p, char *restrict b, size_t n) { RET(__sc4(__NR_readlinkat, d, p, b, n)); }
int chown(const char *p, uid_t u, gid_t g) { RET(__sc3(__NR_chown, p, u, g)); }
int fchown(int fd, uid_t u, gid_t g) { RET(__sc3(__NR_fchown, fd, u, g)); }
int lchown(const char *p, uid_t u, gid_t g) { RET(__sc3(__NR_lchown, p, u, g)); }
int truncate(const char *p, off_t n) { RET(__sc2(__NR_truncate, p, n)); }
int ftruncate(int fd, off_t n) { RET(__sc2(__NR_ftruncate, fd, n)); }
int fsync(int fd) { RET(__sc1(__NR_fsync, fd)); }
int fdatasync(int fd) { RET(__sc1(__NR_fdatasync, fd)); }
void sync(void) { __sc0(__NR_sync); }
int stat(const char *restrict p, struct stat *restrict st) { RET(__sc2(__NR_stat, p, st)); }
int lstat(const char *restrict p, struct stat *restrict st) { RET(__sc2(__NR_lstat, p, st)); }
int fstat(int fd, struct stat *st) { RET(__sc2(__NR_fstat, fd, st)); }
int fstatat(int d, const char *restrict p, struct stat *restrict st, int fl) { RET(__sc4(__NR_newfstatat, d, p, st, fl)); }
int chmod(const char *p, mode_t m) { RET(__sc2(__NR_chmod, p, m)); }
int fchmod(int fd, mode_t m) { RET(__sc2(__NR_fchmod, fd, m)); }
int mkdir(const char *p, mode_t m) { RET(__sc2(__NR_mkdir, p, m)); }
int mkdirat(int d, const char *p, mode_t m) { RET(__sc3(__NR_mkdirat, d, p, m)); }
int mknod(const char *p, mode_t m, dev_t dev) { RET(__sc3(__NR_mknod, p, m, dev)); }
int mkfifo(const char *p, mode_t m) { return mknod(p, (m & 07777) | S_IFIFO, 0); }
mode_t umask(mode_t m) { return (mode_t)__sc1(__NR_umask, m); }
int utimensat(int d, const char *p, const struct timespec t[2], int fl) { RET(__sc4(__NR_utimensat, d, p, t, fl)); }
int futimens(int fd, const struct timespec t[2]) { return utimensat(fd, 0, t, 0); }
int utimes(const char *p, const struct timeval t[2]) { RET(__sc2(__NR_utimes, p, t)); }

pid_t fork(void) { RET(__sc0(__NR_fork)); }
pid_t vfork(void) { return fork(); }
int execve(const char *p, char *const argv[], char *const envp[]) { RET(__sc3(__NR_execve, p, argv, envp)); }
_Noreturn void _exit(int status)
{
	for (;;) {
		__sc1(__NR_exit_group, status);
		__sc1(__NR_exit, status);
	}
}
_Noreturn void _Exit(int status) { _exit(status); }
pid_t wait4(pid_t pid, int *st, int opt, struct rusage *ru) { RET(__sc4(__NR_wait4, pid, st, opt, ru)); }
pid_t waitpid(pid_t pid, int *st, int opt) { return wait4(pid, st, opt, 0); }
pid_t wait(int *st) { return wait4(-1, st, 0, 0); }
pid_t wait3(int *st, int opt, struct rusage *ru) { return wait4(-1, st, opt, ru); }
pid_t getpid(void) { return (pid_t)__sc0(__NR_getpid); }
pid_t getppid(void) { return (pid_t)__sc0(__NR_getppid); }
pid_t getpgrp(void) { return (pid_t)__sc0(__NR_getpgrp); }
pid_t getpgid(pid_t pid) { RET(__sc1(__NR_getpgid, pid)); }
int setpgid(pid_t pid, pid_t pg) { RET(__sc2(__NR_setpgid, pid, pg)); }
pid_t setsid(void) { RET(__sc0(__NR_setsid)); }
pid_t getsid(pid_t pid) { RET(__sc1(__NR_getsid, pid)); }
uid_t getuid(void) { return (uid_t)__sc0(__NR_getuid); }
uid_t geteuid(void) { return (uid_t)__sc0(__NR_geteuid); }
gid_t getgid(void) { return (gid_t)__sc0(__NR_getgid); }
gid_t getegid(void) { return (gid_t)__sc0(__NR_getegid); }
int setuid(uid_t u) { RET(__sc1(__NR_setuid, u)); }
int setgid(gid_t g) { RET(__sc1(__NR_setgid, g)); }
int seteuid(uid_t u) { RET(__sc3(__NR_setresuid, -1, u, -1)); }
int setegid(gid_t g) { RET(__sc3(__NR_setresgid, -1, g, -1)); }
int getgroups(int n, gid_t list[]) { RET(__sc2(__NR_getgroups, n, list)); }
int setgroups(size_t n, const gid_t *list) { RET(__sc2(__NR_setgroups, n, list)); }
unsigned alarm(unsigned s) { return (unsigned)__sc1(__NR_alarm, s); }
int pause(void) { RET(__sc0(__NR_pause)); }
int kill(pid_t pid, int sig) { RET(__sc2(__NR_kill, pid, sig)); }
int killpg(pid_t pg, int sig) { return kill(-pg, sig); }
int uname(struct utsname *u) { RET(__sc1(__NR_uname, u)); }
int sethostname(const char *n, size_t len) { RET(__sc2(__NR_sethostname, n, len)); }
int reboot(int cmd) { RET(__sc4(__NR_reboot, 0xfee1dead, 672274793, cmd, 0)); }
int poll(struct pollfd *fds, nfds_t n, int t) { RET(__sc3(__NR_poll, fds, n, t)); }
int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv) { RET(__sc5(__NR_select, n, r, w, e, tv)); }
int getrlimit(int r, struct rlimit *l) { RET(__sc2(__NR_getrlimit, r, l)); }
int setrlimit(int r, const struct rlimit *l) { RET(__sc2(__NR_setrlimit, r, l)); }
int prlimit(pid_t pid, int r, const struct rlimit *n, struct rlimit *o) { RET(__sc4(__NR_prlimit64, pid, r, n, o)); }
int getrusage(int who, struct rusage *ru) { RET(__sc2(__NR_getrusage, who, ru)); }
int getpriority(int which, id_t who) { RET(__sc2(__NR_getpriority, which, who)); }
int setpriority(int which, id_t who, int p) { RET(__sc3(__NR_setpriority, which, who, p)); }
int nice(int inc) { (void)inc; return 0; }
clock_t times(struct tms *t) { RET(__sc1(__NR_times, t)); }
int gettimeofday(struct timeval *restrict tv, void *restrict tz) { RET(__sc2(__NR_gettimeofday, tv, tz)); }
int getitimer(int w, struct itimerval *v) { RET(__sc2(__NR_getitimer, w, v)); }
int setitimer(int w, const struct itimerval *restrict v, struct itimerval *restrict o) { RET(__sc3(__NR_setitimer, w, v, o)); }

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = __sc6(__NR_mmap, addr, len, prot, flags, fd, off);

	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = 0;
	long r;

	if (flags & MREMAP_FIXED) {
		va_list ap;
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	r = __sc5(__NR_mremap, old, old_len, new_len, flags, new_addr);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

int munmap(void *a, size_t n) { RET(__sc2(__NR_munmap, a, n)); }
int mprotect(void *a, size_t n, int p) { RET(__sc3(__NR_mprotect, a, n, p)); }
int msync(void *a, size_t n, int f) { RET(__sc3(__NR_msync, a, n, f)); }
int madvise(void *a, size_t n, int adv) { RET(__sc3(__NR_madvise, a, n, adv)); }
int posix_madvise(void *a, size_t n, int adv)
{
	long r;

	if (adv == POSIX_MADV_DONTNEED)
		return 0;	/* advice only: never discard data */
	r = __sc3(__NR_madvise, a, n, adv);
	return r < 0 ? (int)-r : 0;
}
int mincore(void *a, size_t n, unsigned char *v) { RET(__sc3(__NR_mincore, a, n, v)); }
int mlock(const void *a, size_t n) { RET(__sc2(__NR_mlock, a, n)); }
int munlock(const void *a, size_t n) { RET(__sc2(__NR_munlock, a, n)); }
int mlockall(int f) { RET(__sc1(__NR_mlockall, f)); }
int munlockall(void) { RET(__sc0(__NR_munlockall)); }

/* Four arguments always follow the option, as in musl: callers pass 0
 * for those an option does not use (the kernel's own options insist). */
int prctl(int option, ...)
{
	unsigned long a[4];
	va_list ap;

	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	RET(__sc5(__NR_prctl, option, a[0], a[1], a[2], a[3]));
}

int shmget(key_t key, size_t size, int flags) { RET(__sc3(__NR_shmget, key, size, flags)); }
int shmdt(const void *a) { RET(__sc1(__NR_shmdt, a)); }
int shmctl(int id, int cmd, struct shmid_ds *b) { RET(__sc3(__NR_shmctl, id, cmd, b)); }
void *shmat(int id, const void *addr, int flags)
{
	long r = __sc3(__NR_shmat, id, addr, flags);

	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return (void *)-1;
	}
	return (void *)r;
}

/* ftok: the low 16 bits of the inode, 8 of the device, 8 of id. */
key_t ftok(const char *path, int id)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	return (key_t)((st.st_ino & 0xffff) | ((st.st_dev & 0xff) << 16) |
		       ((unsigned)(id & 0xff) << 24));
}
