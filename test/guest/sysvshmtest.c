/* System V shared memory from a static musl program: shmget, shmat,
 * shmdt and shmctl with their errors, the limits (IPC_INFO, SHM_INFO and
 * /proc/sys/kernel/shm*), IPC_RMID's lifecycle, attach counts through
 * fork, munmap, exec and exit, permissions against a uid-1000 child,
 * SHM_LOCK, /proc/sysvipc/shm and /proc/self/maps, ipcs and ipcrm, two
 * processes talking through a segment and four adding to a counter under
 * a spin lock. Every segment made is removed; the last check is that
 * /proc/sysvipc/shm lists none. One "PASS/FAIL guest/<name>" per check. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"

#define PG		4096
#define USER		1000
#define KEY(n)		((key_t)(0x5e5e0000 + (n)))
#define FAILED		((void *)-1)
#define HEADER		"       key      shmid perms                  size  cpid  lpid nattch" \
			"   uid   gid  cuid  cgid      atime      dtime      ctime" \
			"                   rss                  swap\n"

static int made[256], nmade;
static char text[16384];

#define AERR(expr, err)	(errno = 0, (expr) == FAILED && errno == (err))

/* shmget, remembering the id so the end can remove whatever a failed
 * check left behind. */
static int mkseg(key_t key, size_t size, int flag)
{
	int id = shmget(key, size, flag);

	if (id >= 0 && nmade < (int)(sizeof(made) / sizeof(made[0])))
		made[nmade++] = id;
	return id;
}

static int rmseg(int id)
{
	return shmctl(id, IPC_RMID, NULL);
}

static struct shmid_ds stat_of(int id)
{
	struct shmid_ds ds;

	memset(&ds, 0xff, sizeof(ds));
	if (shmctl(id, IPC_STAT, &ds) < 0)
		memset(&ds, 0xff, sizeof(ds));
	return ds;
}

static long nattch(int id)
{
	return (long)stat_of(id).shm_nattch;
}

/* The whole of a file into text (NUL-terminated), or "" on error. */
static const char *read_text(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	ssize_t n;

	text[0] = 0;
	if (fd < 0)
		return text;
	while (got < sizeof(text) - 1 && (n = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
		got += n;
	text[got] = 0;
	close(fd);
	return text;
}

/* Write s to path: 0 or -errno. */
static int write_text(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

static unsigned long get_limit(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	return strtoul(read_text(path), NULL, 10);
}

static int set_limit(const char *name, unsigned long v)
{
	char path[64], buf[32];

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	snprintf(buf, sizeof(buf), "%lu\n", v);
	return write_text(path, buf);
}

/* The line of /proc/self/maps for the mapping that starts at p, copied
 * into line, or NULL. */
static char *maps_line(const void *p, char *line, size_t len)
{
	char start[32];
	const char *at;

	snprintf(start, sizeof(start), "%08lx-", (unsigned long)p);
	read_text("/proc/self/maps");
	for (at = text; at && *at; at = strchr(at, '\n'), at = at ? at + 1 : NULL) {
		if (!strncmp(at, start, strlen(start))) {
			size_t n = strcspn(at, "\n");

			if (n >= len)
				n = len - 1;
			memcpy(line, at, n);
			line[n] = 0;
			return line;
		}
	}
	return NULL;
}

/* Run fn(arg) in a child with uid and gid USER and no other groups; its
 * exit status (fn's result), or -1 if it did not exit. */
static int as_user(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(USER) < 0 || setuid(USER) < 0)
			_exit(99);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Run a program with its stdout and stderr into out; its exit status or
 * -1. */
static int run(char *out, size_t len, const char *path, char *const argv[])
{
	int fds[2], st;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	out[0] = 0;
	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execv(path, argv);
		_exit(127);
	}
	close(fds[1]);
	while (got < len - 1 && (n = read(fds[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int wait_exit(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long mem_free_kb(void)
{
	const char *p = strstr(read_text("/proc/meminfo"), "MemFree:");

	return p ? strtol(p + 8, NULL, 10) : -1;
}

/* ---- shmget -------------------------------------------------------------- */

static void test_shmget(void)
{
	int id, a, b, c;

	check("shmget_size_zero_einval", ERR(shmget(IPC_PRIVATE, 0, 0600), EINVAL),
	      "size 0 not EINVAL");
	check("shmget_above_shmmax_einval",
	      ERR(shmget(IPC_PRIVATE, get_limit("shmmax") + 1, 0600), EINVAL),
	      "size past SHMMAX not EINVAL");
	check("shmget_hugetlb_enomem", ERR(shmget(IPC_PRIVATE, 2 << 20, SHM_HUGETLB | 0600), ENOMEM),
	      "no ENOMEM without huge pages");
	check("shmget_unknown_key_enoent", ERR(shmget(KEY(1), PG, 0600), ENOENT),
	      "no ENOENT without IPC_CREAT");
	id = mkseg(KEY(1), 2 * PG, IPC_CREAT | 0600);
	check("shmget_create_key", id >= 0, "IPC_CREAT failed");
	check("shmget_excl_eexist",
	      ERR(shmget(KEY(1), PG, IPC_CREAT | IPC_EXCL | 0600), EEXIST), "no EEXIST");
	check("shmget_existing_key", shmget(KEY(1), PG, 0600) == id &&
	      shmget(KEY(1), 0, 0) == id && shmget(KEY(1), 2 * PG, IPC_CREAT | 0600) == id,
	      "existing key gave another id");
	check("shmget_larger_than_existing_einval", ERR(shmget(KEY(1), 2 * PG + 1, 0600), EINVAL),
	      "no EINVAL for a size past the segment's");
	a = mkseg(IPC_PRIVATE, PG, 0600);
	b = mkseg(IPC_PRIVATE, PG, IPC_CREAT | IPC_EXCL | 0600);
	check("shmget_private_always_new", a >= 0 && b >= 0 && a != b && a != id,
	      "IPC_PRIVATE reused an id");
	check("shmget_ids_linux_like", (a % 32768) < 4096 && (b % 32768) < 4096,
	      "index part out of range");
	rmseg(a);
	rmseg(b);
	rmseg(id);
	check("shmget_removed_id_einval", ERR(shmctl(a, IPC_STAT, &(struct shmid_ds){ 0 }), EINVAL),
	      "removed id still answers");
	c = mkseg(IPC_PRIVATE, PG, 0600);
	check("shmget_reused_slot_new_id", c >= 0 && c != a && c != b && c != id,
	      "a removed id came back");
	rmseg(c);
}

static void test_ftok(void)
{
	key_t k1 = ftok("/bin", 'S'), k2 = ftok("/bin", 'T'), k3 = ftok("/bin", 'S');
	int id;

	check("ftok", k1 != -1 && k1 == k3 && k1 != k2 && ERR(ftok("/nonexistent", 1), ENOENT),
	      "ftok keys wrong");
	id = mkseg(k1, PG, IPC_CREAT | IPC_EXCL | 0600);
	check("ftok_key_finds_segment", id >= 0 && shmget(ftok("/bin", 'S'), 0, 0) == id,
	      "the key did not find the segment");
	rmseg(id);
}

/* ---- limits -------------------------------------------------------------- */

static void test_limits(void)
{
	unsigned long max = get_limit("shmmax"), all = get_limit("shmall"), mni = get_limit("shmmni");
	struct shminfo info;
	struct shm_info use, use2;
	int r, a, b, c, ok;
	char *p;

	memset(&info, 0, sizeof(info));
	r = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
	check("shmctl_ipc_info", r >= 0 && info.shmmax == max && info.shmall == all &&
	      info.shmmni == mni && info.shmmin == 1 && info.shmseg == mni,
	      "IPC_INFO disagrees with /proc/sys/kernel");
	check("proc_sys_kernel_defaults", max == 256ul << 20 && all == 262144 && mni == 4096,
	      "not the documented defaults");

	shmctl(0, SHM_INFO, (struct shmid_ds *)&use);
	a = mkseg(IPC_PRIVATE, 3 * PG + 1, 0600);
	p = shmat(a, NULL, 0);
	if (p != FAILED) {
		p[0] = 1;
		p[2 * PG] = 1;
	}
	r = shmctl(0, SHM_INFO, (struct shmid_ds *)&use2);
	check("shmctl_shm_info", p != FAILED && r >= a % 32768 &&
	      use2.__used_ids == use.__used_ids + 1 && use2.shm_tot == use.shm_tot + 4 &&
	      use2.shm_rss == use.shm_rss + 2 && use2.shm_swp == 0,
	      "wrong counts");
	shmdt(p);
	rmseg(a);

	ok = set_limit("shmmax", 2 * PG) == 0;
	ok = ok && ERR(shmget(IPC_PRIVATE, 2 * PG + 1, 0600), EINVAL);
	a = mkseg(IPC_PRIVATE, 2 * PG, 0600);
	ok = ok && a >= 0;
	set_limit("shmmax", max);
	check("shmmax_limit", ok && get_limit("shmmax") == max, "SHMMAX not applied");
	rmseg(a);

	shmctl(0, SHM_INFO, (struct shmid_ds *)&use);
	ok = set_limit("shmall", use.shm_tot + 3) == 0;
	a = mkseg(IPC_PRIVATE, 2 * PG, 0600);
	ok = ok && a >= 0 && ERR(shmget(IPC_PRIVATE, 2 * PG, 0600), ENOSPC);
	b = mkseg(IPC_PRIVATE, PG, 0600);
	ok = ok && b >= 0 && ERR(shmget(IPC_PRIVATE, 1, 0600), ENOSPC);
	set_limit("shmall", all);
	check("shmall_limit_enospc", ok && get_limit("shmall") == all, "SHMALL not applied");
	rmseg(a);
	rmseg(b);

	shmctl(0, SHM_INFO, (struct shmid_ds *)&use);
	ok = set_limit("shmmni", use.__used_ids + 2) == 0;
	a = mkseg(IPC_PRIVATE, PG, 0600);
	b = mkseg(IPC_PRIVATE, PG, 0600);
	ok = ok && a >= 0 && b >= 0 && ERR(shmget(IPC_PRIVATE, PG, 0600), ENOSPC);
	set_limit("shmmni", mni);
	c = mkseg(IPC_PRIVATE, PG, 0600);
	check("shmmni_limit_enospc", ok && c >= 0, "SHMMNI not applied");
	rmseg(a);
	rmseg(b);
	rmseg(c);

	check("sysctl_bad_values_einval", set_limit("shmmni", 5000) == -EINVAL &&
	      write_text("/proc/sys/kernel/shmmax", "12abc\n") == -EINVAL &&
	      write_text("/proc/sys/kernel/shmall", "-1\n") == -EINVAL &&
	      get_limit("shmmni") == mni && get_limit("shmmax") == max,
	      "a bad value was taken");
}

static int user_writes_sysctl(void *arg)
{
	(void)arg;
	return write_text("/proc/sys/kernel/shmmax", "4096\n") == -EACCES ? 0 : 1;
}

static void test_limits_user(void)
{
	check("sysctl_user_eacces", as_user(user_writes_sysctl, NULL) == 0 &&
	      get_limit("shmmax") == 256ul << 20, "uid 1000 could change shmmax");
}

/* ---- attaching ------------------------------------------------------------ */

static void test_attach(void)
{
	time_t t0 = time(NULL);
	struct shmid_ds ds;
	char line[256], want[96], name[32];
	int id = mkseg(KEY(2), 3 * PG, IPC_CREAT | 0640), zero = 1;
	char *p, *q;

	ds = stat_of(id);
	check("shmctl_ipc_stat_new", id >= 0 && ds.shm_segsz == 3 * PG &&
	      ds.shm_cpid == getpid() && ds.shm_lpid == 0 && ds.shm_nattch == 0 &&
	      ds.shm_atime == 0 && ds.shm_dtime == 0 && ds.shm_ctime >= t0 - 1 &&
	      ds.shm_perm.__key == KEY(2) && ds.shm_perm.uid == 0 && ds.shm_perm.cuid == 0 &&
	      ds.shm_perm.gid == 0 && ds.shm_perm.cgid == 0 && ds.shm_perm.mode == 0640,
	      "wrong shmid_ds for a new segment");
	p = shmat(id, NULL, 0);
	check("shmat_kernel_chosen", p != FAILED && ((uintptr_t)p & (PG - 1)) == 0,
	      "shmat failed");
	if (p == FAILED)
		goto out;
	for (int i = 0; i < 3 * PG; i++)
		zero &= p[i] == 0;
	memset(p, 0x5a, 3 * PG);
	check("shmat_zero_filled", zero && p[3 * PG - 1] == 0x5a, "not zero-filled");
	ds = stat_of(id);
	check("shmat_updates_stat", ds.shm_nattch == 1 && ds.shm_atime >= t0 - 1 &&
	      ds.shm_lpid == getpid() && ds.shm_dtime == 0, "nattch/atime/lpid not kept");

	snprintf(want, sizeof(want), "%08lx-%08lx rw-s 00000000 00:01 %d ", (unsigned long)p,
		 (unsigned long)(p + 3 * PG), id);
	snprintf(name, sizeof(name), " /SYSV%08x (deleted)", (unsigned)KEY(2));
	check("maps_sysv_name", maps_line(p, line, sizeof(line)) && !strncmp(line, want, strlen(want)) &&
	      strlen(line) > strlen(name) && !strcmp(line + strlen(line) - strlen(name), name),
	      "wrong /proc/self/maps line");

	q = shmat(id, NULL, 0);
	check("shmat_twice_same_pages", q != FAILED && q != p && q[PG] == 0x5a && nattch(id) == 2,
	      "second attach");
	if (q != FAILED) {
		q[0] = 7;
		check("shmat_shared_between_attaches", p[0] == 7, "writes not shared");
		check("shmdt", shmdt(q) == 0 && nattch(id) == 1 && stat_of(id).shm_dtime >= t0 - 1,
		      "shmdt did not detach");
	}
	shmdt(p);
out:
	rmseg(id);
}

static void test_attach_addresses(void)
{
	int id = mkseg(IPC_PRIVATE, 2 * PG, 0600);
	char *area = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p, *p2, *anon, *p3;

	munmap(area, 8 * PG);
	p = shmat(id, area, 0);
	check("shmat_given_address", p == area, "not attached where asked");
	if (p != FAILED)
		p[0] = 'S';
	check("shmat_misaligned_einval", AERR(shmat(id, area + 4 * PG + 1, 0), EINVAL),
	      "misaligned address taken");
	p2 = shmat(id, area + 4 * PG + 123, SHM_RND);
	check("shmat_rnd", p2 == area + 4 * PG, "SHM_RND did not round down");
	check("shmat_overlap_einval", AERR(shmat(id, area + PG, 0), EINVAL),
	      "attached over a mapping without SHM_REMAP");
	check("shmat_remap_null_einval", AERR(shmat(id, NULL, SHM_REMAP), EINVAL),
	      "SHM_REMAP without an address");
	anon = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	anon[0] = 'x';
	p3 = shmat(id, anon, SHM_REMAP);
	check("shmat_remap", p3 == anon && anon[0] == 'S' && nattch(id) == 3,
	      "SHM_REMAP did not replace the mapping");
	check("shmat_past_user_space", AERR(shmat(id, (void *)0x7ffffffff000ul, 0), ENOMEM),
	      "no ENOMEM at the top of user space");
	shmdt(p);
	shmdt(p2);
	shmdt(p3);
	check("shmdt_all", nattch(id) == 0, "attachments left");
	rmseg(id);
	check("shmat_bad_id_einval", AERR(shmat(-1, NULL, 0), EINVAL) &&
	      AERR(shmat(id, NULL, 0), EINVAL) && AERR(shmat(0x7ffffff0, NULL, 0), EINVAL),
	      "bad or removed id attached");
}

static void test_attach_modes(void)
{
	int id = mkseg(IPC_PRIVATE, PG, 0600);
	char *w = shmat(id, NULL, 0), *r = shmat(id, NULL, SHM_RDONLY), *x;
	char line[256];
	pid_t pid;

	if (w == FAILED || r == FAILED) {
		check("shmat_rdonly", 0, "attach failed");
		rmseg(id);
		return;
	}
	w[0] = 'A';
	check("shmat_rdonly_reads", r[0] == 'A' && (w[1] = 'B', r[1] == 'B'), "not the same pages");
	check("shmat_rdonly_maps", maps_line(r, line, sizeof(line)) && strstr(line, " r--s "),
	      "not r--s in maps");
	check("shmat_rdonly_mprotect_eacces", ERR(mprotect(r, PG, PROT_READ | PROT_WRITE), EACCES),
	      "mprotect made it writable");
	pid = fork();
	if (pid == 0) {
		*(volatile char *)r = 'Z';
		_exit(0);
	}
	check("shmat_rdonly_write_segv", wait_exit(pid) == 128 + SIGSEGV && w[0] == 'A',
	      "a write through SHM_RDONLY did not fault");
	/* read and exec: W^X, if the kernel enforces it, allows this one */
	x = shmat(id, NULL, SHM_RDONLY | SHM_EXEC);
	check("shmat_exec", x != FAILED && maps_line(x, line, sizeof(line)) &&
	      strstr(line, " r-xs "), "not r-xs in maps");
	shmdt(x);
	/* writable and executable: what W^X refuses, when the kernel has it */
	x = shmat(id, NULL, SHM_EXEC);
	check("shmat_exec_writable", x == FAILED ? errno == EACCES :
	      maps_line(x, line, sizeof(line)) && strstr(line, " rwxs ") != NULL,
	      "neither rwxs nor refused with EACCES");
	if (x != FAILED)
		shmdt(x);
	shmdt(w);
	shmdt(r);
	rmseg(id);
}

/* ---- detaching ------------------------------------------------------------ */

static void test_detach(void)
{
	int id = mkseg(IPC_PRIVATE, 3 * PG, 0600);
	char *p = shmat(id, NULL, 0), line[256];
	char *anon = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == FAILED) {
		check("shmdt_errors", 0, "attach failed");
		rmseg(id);
		return;
	}
	check("shmdt_errors_einval", ERR(shmdt(p + 1), EINVAL) && ERR(shmdt(p + PG), EINVAL) &&
	      ERR(shmdt(anon), EINVAL) && nattch(id) == 1, "no EINVAL");
	munmap(p + PG, PG);
	check("nattch_counts_pieces_munmap", nattch(id) == 2, "a split attachment is two");
	mprotect(p + 2 * PG, PG, PROT_READ);
	check("nattch_after_mprotect", nattch(id) == 2, "mprotect of a whole piece changed it");
	check("shmdt_pieces", shmdt(p) == 0 && nattch(id) == 0 &&
	      !maps_line(p + 2 * PG, line, sizeof(line)), "a piece was left");
	check("shmdt_twice_einval", ERR(shmdt(p), EINVAL), "second shmdt");

	p = shmat(id, NULL, 0);
	mprotect(p + PG, PG, PROT_READ);
	check("nattch_counts_pieces_mprotect", nattch(id) == 3, "mprotect split not counted");
	check("shmdt_after_mprotect", shmdt(p) == 0 && nattch(id) == 0, "pieces left");
	munmap(anon, PG);
	rmseg(id);
}

/* ---- shmctl ------------------------------------------------------------------ */

static void test_shmctl(void)
{
	int id = mkseg(IPC_PRIVATE, PG, 0600), idx, r;
	struct shmid_ds ds = stat_of(id), got;
	time_t t0 = ds.shm_ctime;

	ds.shm_perm.uid = USER;
	ds.shm_perm.gid = USER + 1;
	ds.shm_perm.mode = 0644 | SHM_DEST | SHM_LOCKED;
	r = shmctl(id, IPC_SET, &ds);
	got = stat_of(id);
	check("shmctl_ipc_set", r == 0 && got.shm_perm.uid == USER && got.shm_perm.gid == USER + 1 &&
	      got.shm_perm.cuid == 0 && got.shm_perm.cgid == 0 && got.shm_perm.mode == 0644 &&
	      got.shm_ctime >= t0, "IPC_SET not applied as Linux does");
	ds.shm_perm.uid = (uid_t)-1;
	check("shmctl_ipc_set_bad_uid_einval", ERR(shmctl(id, IPC_SET, &ds), EINVAL),
	      "uid -1 taken");
	check("shmctl_efault", ERR(shmctl(id, IPC_STAT, (struct shmid_ds *)8), EFAULT) &&
	      ERR(shmctl(id, IPC_SET, (struct shmid_ds *)8), EFAULT), "no EFAULT");
	check("shmctl_bad_cmd_einval", ERR(shmctl(id, 99, &ds), EINVAL) &&
	      ERR(syscall(SYS_shmctl, id, IPC_STAT | 0x100, &ds), EINVAL) &&
	      ERR(shmctl(-1, IPC_STAT, &ds), EINVAL) && ERR(shmctl(id, -1, &ds), EINVAL),
	      "no EINVAL");
	idx = id % 32768;
	check("shmctl_shm_stat", shmctl(idx, SHM_STAT, &got) == id && got.shm_segsz == PG &&
	      shmctl(idx, SHM_STAT_ANY, &got) == id, "SHM_STAT did not give the id");

	check("shm_lock_root", shmctl(id, SHM_LOCK, NULL) == 0 &&
	      (stat_of(id).shm_perm.mode & SHM_LOCKED) && shmctl(id, SHM_LOCK, NULL) == 0 &&
	      shmctl(id, SHM_UNLOCK, NULL) == 0 && !(stat_of(id).shm_perm.mode & SHM_LOCKED),
	      "SHM_LOCK/SHM_UNLOCK");
	rmseg(id);
	check("shmctl_removed_einval", ERR(shmctl(id, IPC_STAT, &got), EINVAL) &&
	      ERR(rmseg(id), EINVAL) && ERR(shmctl(idx, SHM_STAT, &got), EINVAL),
	      "removed segment still answers");
}

/* IPC_RMID of an attached segment: the key is free at once, the id and
 * the pages live until the last detach (which may come from exit). */
static void test_rmid(void)
{
	int id = mkseg(KEY(3), 2 * PG, IPC_CREAT | 0600), id2;
	char *p = shmat(id, NULL, 0), *q, line[256], name[32];
	struct shmid_ds ds;
	pid_t pid;

	if (p == FAILED) {
		check("shmctl_rmid", 0, "attach failed");
		rmseg(id);
		return;
	}
	p[0] = 'L';
	ds = stat_of(id);
	check("shmctl_rmid", rmseg(id) == 0, "IPC_RMID failed");
	ds = stat_of(id);
	check("shmctl_rmid_marks_dest", ds.shm_perm.__key == IPC_PRIVATE &&
	      (ds.shm_perm.mode & SHM_DEST) && ds.shm_nattch == 1, "not SHM_DEST with key 0");
	check("shmctl_rmid_frees_key", ERR(shmget(KEY(3), PG, 0600), ENOENT), "key still found");
	id2 = mkseg(KEY(3), PG, IPC_CREAT | IPC_EXCL | 0600);
	check("shmctl_rmid_key_reusable", id2 >= 0 && id2 != id, "key not reusable");
	q = shmat(id, NULL, 0);
	check("shmat_after_rmid_as_linux", q != FAILED && q[0] == 'L' && nattch(id) == 2,
	      "Linux lets the id be attached until it goes");
	snprintf(name, sizeof(name), "/SYSV%08x (deleted)", (unsigned)KEY(3));
	check("maps_name_after_rmid", maps_line(p, line, sizeof(line)) && strstr(line, name),
	      "maps lost the name");
	pid = fork();
	if (pid == 0)
		_exit(nattch(id) == 4 ? 0 : 1);
	check("fork_inherits_removed", wait_exit(pid) == 0 && nattch(id) == 2,
	      "child's attachments not counted, or not dropped at exit");
	shmdt(q);
	check("rmid_lives_while_attached", nattch(id) == 1, "gone too early");
	shmdt(p);
	check("rmid_destroyed_at_last_detach", ERR(shmctl(id, IPC_STAT, &ds), EINVAL) &&
	      AERR(shmat(id, NULL, 0), EINVAL), "id still valid");
	rmseg(id2);
}

/* The frames of a removed segment are freed at its last detach. */
static void test_frames(void)
{
	long before = mem_free_kb(), touched, removed, after;
	int id = mkseg(IPC_PRIVATE, 256 * PG, 0600);
	char *p = shmat(id, NULL, 0);

	if (p == FAILED) {
		check("shm_frames_freed", 0, "attach failed");
		rmseg(id);
		return;
	}
	memset(p, 1, 256 * PG);
	touched = mem_free_kb();
	rmseg(id);
	removed = mem_free_kb();
	shmdt(p);
	after = mem_free_kb();
	check("shm_frames_kept_while_attached", before - touched >= 1000 && removed <= touched + 64,
	      "frames not taken, or freed while attached");
	check("shm_frames_freed_at_last_detach", after >= before - 100 && after - removed >= 1000,
	      "frames not given back");
}

/* ---- lifecycle across processes -------------------------------------------- */

static void test_fork_exec_exit(void)
{
	int id = mkseg(IPC_PRIVATE, PG, 0600), fds[2], st, seen = 0;
	volatile char *p = shmat(id, NULL, 0);
	pid_t pid;

	if (p == FAILED) {
		check("fork_inherits_attachment", 0, "attach failed");
		rmseg(id);
		return;
	}
	pid = fork();
	if (pid == 0) {
		p[1] = (char)nattch(id);
		p[0] = 'C';
		_exit(0);
	}
	st = wait_exit(pid);
	check("fork_inherits_attachment", st == 0 && p[0] == 'C' && p[1] == 2,
	      "child did not share the segment, or nattch was not 2");
	check("exit_detaches", nattch(id) == 1, "exit left an attachment");

	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/cat", "cat", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	for (int i = 0; i < 2000 && !seen; i++) {
		if (nattch(id) == 1 && waitpid(pid, &st, WNOHANG) == 0)
			seen = 1;
		else
			usleep(1000);
	}
	close(fds[1]);
	wait_exit(pid);
	check("exec_detaches", seen, "the exec'd child kept the attachment");
	shmdt((void *)p);
	rmseg(id);
}

struct msg {
	int turn;		/* 0: parent's, 1: child's */
	int value;
	char text[64];
};

static int wait_turn(struct msg *m, int turn)
{
	time_t end = time(NULL) + 10;

	while (__atomic_load_n(&m->turn, __ATOMIC_ACQUIRE) != turn) {
		if (time(NULL) > end)
			return -1;
		sched_yield();
	}
	return 0;
}

/* The child finds the segment by key and attaches it itself. */
static void test_two_processes(void)
{
	int id = mkseg(KEY(4), PG, IPC_CREAT | IPC_EXCL | 0600), ok = 1;
	struct msg *m = shmat(id, NULL, 0);
	pid_t pid;

	if (m == FAILED) {
		check("two_processes_communicate", 0, "attach failed");
		rmseg(id);
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct msg *c;

		shmdt(m);
		c = shmat(shmget(KEY(4), 0, 0), NULL, 0);
		if (c == FAILED)
			_exit(1);
		for (int i = 0; i < 100; i++) {
			if (wait_turn(c, 1))
				_exit(2);
			c->value *= 2;
			__atomic_store_n(&c->turn, 0, __ATOMIC_RELEASE);
		}
		strcpy(c->text, "hello from the child");
		_exit(shmdt(c) == 0 ? 0 : 3);
	}
	for (int i = 0; i < 100 && ok; i++) {
		m->value = i + 1;
		__atomic_store_n(&m->turn, 1, __ATOMIC_RELEASE);
		ok = wait_turn(m, 0) == 0 && m->value == 2 * (i + 1);
	}
	check("two_processes_communicate", ok && wait_exit(pid) == 0 &&
	      !strcmp(m->text, "hello from the child"), "messages lost");
	shmdt(m);
	rmseg(id);
}

struct counter {
	int lock;
	int pad[15];
	volatile long count;
};

static void spin_lock(int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void spin_unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static void test_counter(void)
{
	int id = mkseg(IPC_PRIVATE, PG, 0600), ok = 1;
	struct counter *c = shmat(id, NULL, 0);
	struct timespec t0, t1;
	pid_t pids[4];

	if (c == FAILED) {
		check("spinlock_counter_40000", 0, "attach failed");
		rmseg(id);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			for (int n = 0; n < 10000; n++) {
				spin_lock(&c->lock);
				c->count = c->count + 1;
				spin_unlock(&c->lock);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < 4; i++)
		ok &= pids[i] > 0 && wait_exit(pids[i]) == 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("  4 x 10000 locked increments took %ld ms\n",
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	check("spinlock_counter_40000", ok && c->count == 40000 && nattch(id) == 1,
	      "the counter is not 40000");
	shmdt(c);
	rmseg(id);
}

/* ---- permissions ------------------------------------------------------------ */

/* As uid/gid 1000 against root's 0600 segment *arg: each failed
 * expectation sets a bit. */
static int user_vs_root(void *arg)
{
	int id = *(int *)arg, bad = 0;
	struct shmid_ds ds;

	memset(&ds, 0, sizeof(ds));
	if (!AERR(shmat(id, NULL, 0), EACCES))
		bad |= 1;
	if (!AERR(shmat(id, NULL, SHM_RDONLY), EACCES))
		bad |= 2;
	if (!ERR(shmget(KEY(5), PG, 0600), EACCES) || shmget(KEY(5), 0, 0) != id)
		bad |= 4;
	if (!ERR(shmctl(id, IPC_STAT, &ds), EACCES) || !ERR(shmctl(id % 32768, SHM_STAT, &ds), EACCES))
		bad |= 8;
	if (!ERR(shmctl(id, IPC_SET, &ds), EPERM) || !ERR(shmctl(id, IPC_RMID, NULL), EPERM))
		bad |= 16;
	if (!ERR(shmctl(id, SHM_LOCK, NULL), EPERM) || !ERR(shmctl(id, SHM_UNLOCK, NULL), EPERM))
		bad |= 32;
	return bad;
}

/* As uid 1000 in the segment's group (mode 0640): read-only only. */
static int user_in_group(void *arg)
{
	int id = *(int *)arg, bad = 0;
	void *p;

	if (!AERR(shmat(id, NULL, 0), EACCES))
		bad |= 1;
	p = shmat(id, NULL, SHM_RDONLY);
	if (p == FAILED || shmdt(p) < 0)
		bad |= 2;
	if (!AERR(shmat(id, NULL, SHM_RDONLY | SHM_EXEC), EACCES))
		bad |= 4;
	return bad;
}

/* As uid 1000, the owner after root's IPC_SET: may change and remove it. */
static int user_owner(void *arg)
{
	int id = *(int *)arg;
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) < 0)
		return 1;
	ds.shm_perm.mode = 0666;
	if (shmctl(id, IPC_SET, &ds) < 0)
		return 2;
	return shmctl(id, IPC_RMID, NULL) < 0 ? 3 : 0;
}

/* As uid 1000: SHM_LOCK within RLIMIT_MEMLOCK, on its own segments. */
static int user_lock(void *arg)
{
	int a = shmget(IPC_PRIVATE, 2 * PG, 0600), b = shmget(IPC_PRIVATE, PG, 0600),
	    c = shmget(IPC_PRIVATE, PG, 0600), bad = 0;
	struct rlimit rl = { 0, PG };

	(void)arg;
	if (a < 0 || b < 0 || c < 0)
		bad |= 1;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0 || !ERR(shmctl(b, SHM_LOCK, NULL), EPERM))
		bad |= 2;
	rl.rlim_cur = PG;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0 || !ERR(shmctl(a, SHM_LOCK, NULL), ENOMEM))
		bad |= 4;
	if (shmctl(b, SHM_LOCK, NULL) < 0 || !ERR(shmctl(c, SHM_LOCK, NULL), ENOMEM))
		bad |= 8;
	if (shmctl(b, SHM_UNLOCK, NULL) < 0 || shmctl(c, SHM_LOCK, NULL) < 0)
		bad |= 16;
	rmseg(a);
	rmseg(b);
	rmseg(c);
	return bad;
}

static void test_permissions(void)
{
	int id = mkseg(KEY(5), PG, IPC_CREAT | 0600), r;
	struct shm_info before, after;
	struct shmid_ds ds;
	char why[64];

	r = as_user(user_vs_root, &id);
	snprintf(why, sizeof(why), "failed expectations %#x", r);
	check("user_cannot_use_root_0600", r == 0, why);
	check("user_cannot_remove_root_segment", nattch(id) == 0 && stat_of(id).shm_perm.mode == 0600,
	      "segment changed");

	ds = stat_of(id);
	ds.shm_perm.gid = USER;
	ds.shm_perm.mode = 0640;
	shmctl(id, IPC_SET, &ds);
	r = as_user(user_in_group, &id);
	snprintf(why, sizeof(why), "failed expectations %#x", r);
	check("user_group_bits", r == 0, why);

	ds.shm_perm.uid = USER;
	shmctl(id, IPC_SET, &ds);
	r = as_user(user_owner, &id);
	check("user_owner_set_and_rmid", r == 0 && ERR(shmctl(id, IPC_STAT, &ds), EINVAL),
	      "the owner could not change or remove it");
	rmseg(id);

	shmctl(0, SHM_INFO, (struct shmid_ds *)&before);
	r = as_user(user_lock, NULL);
	shmctl(0, SHM_INFO, (struct shmid_ds *)&after);
	snprintf(why, sizeof(why), "failed expectations %#x", r);
	check("user_shm_lock_rlimit", r == 0 && after.__used_ids == before.__used_ids, why);
}

/* ---- procfs and the tools ---------------------------------------------------- */

static void test_procfs(void)
{
	int id = mkseg(KEY(6), 5000, IPC_CREAT | 0640), key, sid, cpid, lpid;
	char *p = shmat(id, NULL, 0), prefix[80];
	unsigned mode, uid, gid, cuid, cgid;
	unsigned long size, na, rss, swp;
	long at, dt, ct;
	const char *t, *line;

	if (p != FAILED)
		p[0] = 1;
	t = read_text("/proc/sysvipc/shm");
	check("proc_sysvipc_header", !strncmp(t, HEADER, strlen(HEADER)), "wrong header line");
	snprintf(prefix, sizeof(prefix), "%10d %10d  %4o %21lu ", KEY(6), id, 0640, 5000ul);
	line = strstr(t, prefix);
	check("proc_sysvipc_columns", line && (line == t || line[-1] == '\n') &&
	      sscanf(line, "%d %d %o %lu %d %d %lu %u %u %u %u %ld %ld %ld %lu %lu", &key, &sid,
		     &mode, &size, &cpid, &lpid, &na, &uid, &gid, &cuid, &cgid, &at, &dt, &ct,
		     &rss, &swp) == 16 &&
	      cpid == getpid() && lpid == getpid() && na == 1 && uid == 0 && cgid == 0 &&
	      at >= ct && dt == 0 && rss == PG && swp == 0, "wrong line for the segment");
	shmdt(p);
	rmseg(id);
}

/* A line of ipcs -m for a segment, as util-linux prints it. */
static void ipcs_row(char *buf, size_t len, key_t key, int id, unsigned mode, unsigned long size,
		     unsigned long nattch, const char *dest)
{
	snprintf(buf, len, "\n0x%08x %-10d %-10s %-10o %-10lu %-10lu %-6s %-6s\n", (unsigned)key,
		 id, "root", mode, size, nattch, dest, "");
}

/* The names in directory path, each followed by a space, into buf. */
static const char *list_dir(const char *path, char *buf, size_t len)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t at = 0;

	buf[0] = 0;
	if (!d)
		return buf;
	while ((e = readdir(d)) && at < len)
		at += snprintf(buf + at, len - at, "%s ", e->d_name);
	closedir(d);
	return buf;
}

static void test_procfs_dirs(void)
{
	char buf[1024];
	struct stat a, b;

	check("proc_sys_kernel_listing",
	      !strcmp(list_dir("/proc/sys/kernel", buf, sizeof(buf)), ". .. shmall shmmax shmmni "),
	      "wrong /proc/sys/kernel listing");
	check("proc_sysvipc_listing", !strcmp(list_dir("/proc/sysvipc", buf, sizeof(buf)), ". .. shm "),
	      "wrong /proc/sysvipc listing");
	list_dir("/proc", buf, sizeof(buf));
	check("proc_root_lists_sys", strstr(buf, " sys ") && strstr(buf, " sysvipc ") &&
	      strstr(buf, " self "), "/proc lacks sys or sysvipc");
	check("proc_sys_dotdot", stat("/proc/sys/kernel/..", &a) == 0 && stat("/proc/sys", &b) == 0 &&
	      a.st_ino == b.st_ino && S_ISDIR(a.st_mode) &&
	      stat("/proc/sys/kernel/shmmax", &a) == 0 && (a.st_mode & 07777) == 0644 &&
	      stat("/proc/sysvipc/shm", &b) == 0 && (b.st_mode & 07777) == 0444,
	      "wrong parent or modes");
	check("proc_sys_missing_enoent", stat("/proc/sys/nope", &a) < 0 && errno == ENOENT &&
	      stat("/proc/sysvipc/msg", &a) < 0 && errno == ENOENT, "no ENOENT");
}

static void test_tools(void)
{
	static const char head[] = "\n------ Shared Memory Segments --------\n"
		"key        shmid      owner      perms      bytes      nattch     status      \n";
	int id = mkseg(KEY(7), 5000, IPC_CREAT | 0640), id2 = mkseg(KEY(8), PG, IPC_CREAT | 0600);
	char *p = shmat(id, NULL, 0), row[128], arg[32];
	static char out[8192];
	struct shmid_ds ds;

	ipcs_row(row, sizeof(row), KEY(7), id, 0640, 5000, 1, "");
	check("ipcs_m", run(out, sizeof(out), "/bin/ipcs", (char *[]){ "ipcs", "-m", NULL }) == 0 &&
	      !strncmp(out, head, strlen(head)) && strstr(out, row), "wrong ipcs -m output");
	snprintf(arg, sizeof(arg), "%d", id);
	check("ipcrm_m_id", run(out, sizeof(out), "/bin/ipcrm",
				(char *[]){ "ipcrm", "-m", arg, NULL }) == 0 &&
	      (stat_of(id).shm_perm.mode & SHM_DEST), "ipcrm -m did not remove it");
	ipcs_row(row, sizeof(row), IPC_PRIVATE, id, 0640, 5000, 1, "dest");
	check("ipcs_m_dest", run(out, sizeof(out), "/bin/ipcs", (char *[]){ "ipcs", "-m", NULL }) == 0 &&
	      strstr(out, row), "no dest status");
	shmdt(p);
	snprintf(arg, sizeof(arg), "%#x", (unsigned)KEY(8));
	check("ipcrm_M_key", run(out, sizeof(out), "/bin/ipcrm",
				 (char *[]){ "ipcrm", "-M", arg, NULL }) == 0 &&
	      ERR(shmctl(id2, IPC_STAT, &ds), EINVAL), "ipcrm -M did not remove it");
	check("ipcrm_errors", run(out, sizeof(out), "/bin/ipcrm",
				  (char *[]){ "ipcrm", "-m", "999999", NULL }) == 1 &&
	      strstr(out, "ipcrm: invalid id (999999)") &&
	      run(out, sizeof(out), "/bin/ipcrm", (char *[]){ "ipcrm", "-M", arg, NULL }) == 1 &&
	      strstr(out, "ipcrm: invalid key (") &&
	      run(out, sizeof(out), "/bin/ipcrm", (char *[]){ "ipcrm", NULL }) == 1 &&
	      strstr(out, "usage"), "wrong errors");
	check("ipcs_l", run(out, sizeof(out), "/bin/ipcs", (char *[]){ "ipcs", "-m", "-l", NULL }) == 0 &&
	      strstr(out, "max number of segments = 4096\n") &&
	      strstr(out, "max seg size (kbytes) = 262144\n") &&
	      strstr(out, "max total shared memory (kbytes) = 1048576\n"), "wrong limits");

	id = mkseg(IPC_PRIVATE, 3 * PG, 0600);
	p = shmat(id, NULL, 0);
	if (p != FAILED)
		p[0] = 1;
	/* detached here, or the forked ipcs's exec would be the last detach */
	shmdt(p);
	snprintf(row, sizeof(row), "\n%-10d %-10s %-10d %-10d\n", id, "root", getpid(), getpid());
	check("ipcs_p", run(out, sizeof(out), "/bin/ipcs", (char *[]){ "ipcs", "-m", "-p", NULL }) == 0 &&
	      strstr(out, "------ Shared Memory Creator/Last-op PIDs --------\n") && strstr(out, row),
	      "wrong pids");
	check("ipcs_u", run(out, sizeof(out), "/bin/ipcs", (char *[]){ "ipcs", "-u", NULL }) == 0 &&
	      strstr(out, "segments allocated 1\npages allocated 3\npages resident  1\n"),
	      "wrong summary");
	check("ipcs_all_sections", run(out, sizeof(out), "/bin/ipcs", (char *[]){ "ipcs", NULL }) == 0 &&
	      strstr(out, "------ Message Queues --------") && strstr(out, "------ Semaphore Arrays --------") &&
	      strstr(out, "------ Shared Memory Segments --------"), "a section is missing");
	mkseg(IPC_PRIVATE, PG, 0600);
	check("ipcrm_a", run(out, sizeof(out), "/bin/ipcrm", (char *[]){ "ipcrm", "-a", NULL }) == 0 &&
	      !strcmp(read_text("/proc/sysvipc/shm"), HEADER), "segments left");
}

/* ---- the end ------------------------------------------------------------------ */

static void cleanup_and_check_empty(void)
{
	for (int i = 0; i < nmade; i++)
		rmseg(made[i]);
	check("no_segments_left", !strcmp(read_text("/proc/sysvipc/shm"), HEADER),
	      "/proc/sysvipc/shm lists segments");
}

int main(void)
{
	struct timespec t0, t1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_shmget();
	test_ftok();
	test_limits();
	test_limits_user();
	test_attach();
	test_attach_addresses();
	test_attach_modes();
	test_detach();
	test_shmctl();
	test_rmid();
	test_frames();
	test_fork_exec_exit();
	test_two_processes();
	test_counter();
	test_permissions();
	test_procfs();
	test_procfs_dirs();
	test_tools();
	cleanup_and_check_empty();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("  sysvshmtest took %ld ms\n", (long)((t1.tv_sec - t0.tv_sec) * 1000 +
						  (t1.tv_nsec - t0.tv_nsec) / 1000000));
	return failures ? 1 : 0;
}
