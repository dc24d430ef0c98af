/* The audit trail: a bounded ring of records of the memory system calls
 * and of policy denials, formatted when taken and read back whole at
 * /proc/audit (fs/procfs.c). Switched by prctl (proc/prctl.c); what is
 * audited is decided here, the hook sits in the syscall dispatcher.
 *
 * Format: one JSON object per line. The first line of /proc/audit is the
 * status, then the records, oldest first:
 *
 *   {"audit":"on","records":12,"lost":0,"fixed_replaced":1,"wx":"on","ring_bytes":65536}
 *   {"t":81234567,"pid":9,"uid":0,"call":"mmap","args":["0x0","0x1000","0x3","0x22","0xffffffffffffffff","0x0"],"ret":"0x7f3a1c000000"}
 *   {"t":81240001,"pid":9,"uid":0,"call":"mprotect","denied":"wx","prot":"0x6","errno":"EACCES"}
 *   {"t":81240050,"pid":9,"uid":0,"call":"mprotect","args":["0x7f3a1c000000","0x1000","0x6"],"errno":"EACCES"}
 *   {"t":81250000,"pid":9,"uid":0,"call":"openat","args":["0xffffffffffffff9c","0x4005a0","0xa0042","0x180"],"ret":"0x3","path":"/dev/shm/x"}
 *
 * "t" is nanoseconds since boot, "pid" and "uid" (the real uid) are
 * decimal numbers; the arguments, "ret" and "prot" are hexadecimal
 * strings, as many arguments as the call takes; a failure has "errno"
 * (its name) instead of "ret". A denial is its own record, with "denied"
 * naming the policy; the refused call's record follows it when that call
 * is audited (execve is not: its denial carries the program's "path").
 * Opens are recorded only when the file opened lies on the /dev/shm
 * mount (shm_open), with the path as given, cut at 64 bytes. "lost"
 * counts records overwritten because the ring was full, or too long to
 * format; "fixed_replaced" the MAP_FIXED mmaps that replaced existing
 * mappings while recording; "wx" is "off" when the kernel command line
 * turned W^X off; "ring_bytes" is the ring's size. */
#include <audit.h>
#include <mm.h>
#include <proc.h>
#include <sched.h>
#include <trap.h>
#include <timer.h>
#include <uaccess.h>
#include <vfs.h>
#include <io.h>
#include <fmt.h>
#include <string.h>
#include <stdarg.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include <uapi/unistd.h>

#define AUDIT_RING_BYTES	(64 * 1024)
#define AUDIT_REC_MAX		768	/* bytes of one formatted record */
#define AUDIT_PATH_MAX		64	/* bytes of a path kept in a record */

bool audit_enabled;

/*
 * The ring holds whole records (lines): [head, head + len) modulo its
 * size. Appending drops the oldest lines until the new one fits. All of
 * it, and the counters, change only with interrupts off (one CPU: the
 * callers are system calls of different processes, and preemption).
 */
static char ring[AUDIT_RING_BYTES];
static size_t ring_head, ring_len;	/* [irq] */
static uint64_t nrecords, nlost;	/* [irq] records held; dropped */
static uint64_t fixed_replaced;		/* [irq] */

/* st_dev of /dev/shm, found when recording starts (mounts are permanent). */
static bool shm_dev_known;
static uint64_t shm_dev;

/* The audited calls: name, argument count, and for the opens the
 * argument holding the path, plus one (0: not an open). */
static const struct audit_call {
	const char *name;
	uint8_t nargs;
	uint8_t path_arg;
} audit_calls[NR_SYSCALLS] = {
	[__NR_mmap]	  = { "mmap", 6, 0 },
	[__NR_munmap]	  = { "munmap", 2, 0 },
	[__NR_mprotect]	  = { "mprotect", 3, 0 },
	[__NR_msync]	  = { "msync", 3, 0 },
	[__NR_mremap]	  = { "mremap", 5, 0 },
	[__NR_madvise]	  = { "madvise", 3, 0 },
	[__NR_mlock]	  = { "mlock", 2, 0 },
	[__NR_munlock]	  = { "munlock", 2, 0 },
	[__NR_mlockall]	  = { "mlockall", 1, 0 },
	[__NR_munlockall] = { "munlockall", 0, 0 },
	[__NR_mlock2]	  = { "mlock2", 3, 0 },
	[__NR_shmget]	  = { "shmget", 3, 0 },
	[__NR_shmat]	  = { "shmat", 3, 0 },
	[__NR_shmdt]	  = { "shmdt", 1, 0 },
	[__NR_shmctl]	  = { "shmctl", 3, 0 },
	[__NR_open]	  = { "open", 3, 1 },
	[__NR_creat]	  = { "creat", 2, 1 },
	[__NR_openat]	  = { "openat", 4, 2 },
};

static const char *const errno_names[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
	[EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG",
	[ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF", [ECHILD] = "ECHILD",
	[EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
	[EFAULT] = "EFAULT", [ENOTBLK] = "ENOTBLK", [EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST", [EXDEV] = "EXDEV", [ENODEV] = "ENODEV",
	[ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
	[ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
	[ETXTBSY] = "ETXTBSY", [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC",
	[ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK",
	[EPIPE] = "EPIPE", [EDOM] = "EDOM", [ERANGE] = "ERANGE",
	[EDEADLK] = "EDEADLK", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOLCK] = "ENOLCK", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY",
	[ELOOP] = "ELOOP", [ENOMSG] = "ENOMSG", [EIDRM] = "EIDRM",
	[ENOSTR] = "ENOSTR", [ENODATA] = "ENODATA", [ETIME] = "ETIME",
	[EOVERFLOW] = "EOVERFLOW", [EILSEQ] = "EILSEQ", [ENOTSOCK] = "ENOTSOCK",
	[EOPNOTSUPP] = "EOPNOTSUPP", [EADDRINUSE] = "EADDRINUSE",
	[ETIMEDOUT] = "ETIMEDOUT", [ECANCELED] = "ECANCELED",
};

/* ---- the ring -------------------------------------------------------- */

/* Forget the oldest record. Interrupts off; the ring is not empty. */
static void ring_drop_oldest(void)
{
	size_t n = 0;

	while (n < ring_len && ring[(ring_head + n) % AUDIT_RING_BYTES] != '\n')
		n++;
	n = n < ring_len ? n + 1 : ring_len;
	ring_head = (ring_head + n) % AUDIT_RING_BYTES;
	ring_len -= n;
	nrecords--;
	nlost++;
}

/* Store one record (a line of n <= AUDIT_REC_MAX bytes). */
static void ring_append(const char *rec, size_t n)
{
	uint64_t flags = irq_save();
	size_t at, first;

	while (AUDIT_RING_BYTES - ring_len < n)
		ring_drop_oldest();
	at = (ring_head + ring_len) % AUDIT_RING_BYTES;
	first = AUDIT_RING_BYTES - at < n ? AUDIT_RING_BYTES - at : n;
	memcpy(ring + at, rec, first);
	memcpy(ring, rec + first, n - first);
	ring_len += n;
	nrecords++;
	irq_restore(flags);
}

/* ---- formatting -------------------------------------------------------- */

/* A record being formatted; len past AUDIT_REC_MAX means it did not fit. */
struct rec {
	size_t len;
	char buf[AUDIT_REC_MAX];
};

static __printf(2, 3) void rec_printf(struct rec *r, const char *fmt, ...)
{
	size_t at = r->len < sizeof(r->buf) ? r->len : sizeof(r->buf);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->buf + at, sizeof(r->buf) - at, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += n;
}

/* The fields every record starts with. From here to rec_commit the
 * process keeps the CPU, so records are stored in the order of "t". */
static void rec_begin(struct rec *r, const char *call)
{
	preempt_disable();
	r->len = 0;
	rec_printf(r, "{\"t\":%lu,\"pid\":%d,\"uid\":%u,\"call\":\"%s\"",
		   (unsigned long)clock_monotonic_ns(), current->pid,
		   current->cred.uid, call);
}

/* ,"key":"s" with s escaped for JSON, at most AUDIT_PATH_MAX bytes. */
static void rec_string(struct rec *r, const char *key, const char *s)
{
	rec_printf(r, ",\"%s\":\"", key);
	for (size_t i = 0; i < AUDIT_PATH_MAX && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			rec_printf(r, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			rec_printf(r, "\\u%04x", c);
		else
			rec_printf(r, "%c", c);
	}
	rec_printf(r, "\"");
}

static void rec_result(struct rec *r, long ret)
{
	if (ret < 0 && ret >= -4095) {
		if ((size_t)-ret < ARRAY_SIZE(errno_names) && errno_names[-ret])
			rec_printf(r, ",\"errno\":\"%s\"", errno_names[-ret]);
		else
			rec_printf(r, ",\"errno\":\"%ld\"", -ret);
	} else {
		rec_printf(r, ",\"ret\":\"0x%lx\"", (unsigned long)ret);
	}
}

/* Close the record and store it; one that did not fit is only counted. */
static void rec_commit(struct rec *r)
{
	uint64_t flags;

	rec_printf(r, "}\n");
	if (r->len <= sizeof(r->buf) - 1) {
		ring_append(r->buf, r->len);
	} else {
		flags = irq_save();
		nlost++;
		irq_restore(flags);
	}
	preempt_enable();
}

/* ---- what is recorded ------------------------------------------------- */

/* Whether fd of current is open on a file of the /dev/shm mount. */
static bool fd_on_shm(long fd)
{
	struct file *f;
	bool on;

	if (!shm_dev_known || !current->files || fd > INT32_MAX)
		return false;
	f = fd_get(current->files, (int)fd);
	if (!f)
		return false;
	on = f->inode->sb->dev == shm_dev;
	file_put(f);
	return on;
}

void audit_syscall(const struct trap_frame *tf)
{
	const uint64_t args[6] = { tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9 };
	uint64_t nr = tf->error;
	long ret = (long)tf->rax;
	const struct audit_call *c;
	char path[AUDIT_PATH_MAX + 1];
	struct rec rec, *r = &rec;

	if (nr >= NR_SYSCALLS || !audit_calls[nr].name)
		return;
	c = &audit_calls[nr];
	/* An open is a memory call only when it opened a shared-memory
	 * object: failed opens and other files are not recorded. */
	if (c->path_arg && (ret < 0 || !fd_on_shm(ret)))
		return;
	if (c->path_arg) {	/* may fault the page in: before rec_begin */
		long n = strncpy_from_user(path, args[c->path_arg - 1], sizeof(path));

		if (n == -ENAMETOOLONG)
			path[AUDIT_PATH_MAX] = 0;
		else if (n < 0)
			path[0] = 0;
	}
	rec_begin(r, c->name);
	rec_printf(r, ",\"args\":[");
	for (unsigned i = 0; i < c->nargs; i++)
		rec_printf(r, "%s\"0x%lx\"", i ? "," : "", (unsigned long)args[i]);
	rec_printf(r, "]");
	rec_result(r, ret);
	if (c->path_arg)
		rec_string(r, "path", path);
	rec_commit(r);
}

void audit_deny(const char *policy, const char *call, unsigned long prot,
		const char *path)
{
	struct rec rec, *r = &rec;

	if (!audit_enabled)
		return;
	rec_begin(r, call);
	rec_printf(r, ",\"denied\":\"%s\",\"prot\":\"0x%lx\",\"errno\":\"EACCES\"",
		   policy, prot);
	if (path)
		rec_string(r, "path", path);
	rec_commit(r);
}

void audit_note_fixed_replace(void)
{
	uint64_t flags;

	if (!audit_enabled)
		return;
	flags = irq_save();
	fixed_replaced++;
	irq_restore(flags);
}

/* ---- switching and reading --------------------------------------------- */

void audit_set(bool on)
{
	struct stat st;

	if (on && !shm_dev_known &&
	    vfs_stat(NULL, "/dev/shm", LOOKUP_FOLLOW, &st) == 0) {
		shm_dev = st.st_dev;
		shm_dev_known = true;
	}
	audit_enabled = on;
}

void audit_clear(void)
{
	uint64_t flags = irq_save();

	ring_head = ring_len = 0;
	nrecords = nlost = fixed_replaced = 0;
	irq_restore(flags);
}

size_t audit_read(char *buf, size_t cap)
{
	uint64_t flags = irq_save();
	char status[192];
	size_t n, copy, first;

	n = (size_t)snprintf(status, sizeof(status),
			     "{\"audit\":\"%s\",\"records\":%lu,\"lost\":%lu,"
			     "\"fixed_replaced\":%lu,\"wx\":\"%s\",\"ring_bytes\":%d}\n",
			     audit_enabled ? "on" : "off", (unsigned long)nrecords,
			     (unsigned long)nlost, (unsigned long)fixed_replaced,
			     wx_enforced() ? "on" : "off", AUDIT_RING_BYTES);
	copy = n < cap ? n : cap;
	memcpy(buf, status, copy);
	buf += copy;
	cap -= copy;
	copy = ring_len < cap ? ring_len : cap;
	first = AUDIT_RING_BYTES - ring_head < copy ? AUDIT_RING_BYTES - ring_head : copy;
	memcpy(buf, ring + ring_head, first);
	memcpy(buf + first, ring, copy - first);
	n += ring_len;
	irq_restore(flags);
	return n;
}
