/* POSIX shared memory from a static musl program: shm_open/shm_unlink
 * over the tmpfs at /dev/shm, their name rules and errors, mmap of an
 * object opened read-only, ftruncate growing and shrinking (SIGBUS past
 * the new end), fstat, memory that outlives unlink until the last unmap
 * and close, permissions against a child that dropped to uid 1000, the
 * name in /proc/self/maps, and two processes talking through an object.
 * One "PASS/FAIL guest/<name>" line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guest.h"

#define PG	4096

#define MERR(expr, err)	(errno = 0, (expr) == MAP_FAILED && errno == (err))

/* Wait for pid; its exit status, or -1 if it did not exit normally. */
static int wait_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* MemFree of /proc/meminfo in pages, or -1. */
static long free_pages(void)
{
	char buf[2048];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	char *p;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) / 4 : -1;
}

/* ---- names -------------------------------------------------------------- */

static void test_names(void)
{
	char name[NAME_MAX + 3];
	struct stat st;
	int fd;

	check("shm_dev_shm_sticky_1777",
	      stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777,
	      "/dev/shm is not a mode 1777 directory");
	check("shm_name_inner_slash", ERR(shm_open("/a/b", O_RDWR | O_CREAT, 0600), EINVAL),
	      "a name with a second slash was not EINVAL");
	check("shm_name_empty", ERR(shm_open("/", O_RDWR | O_CREAT, 0600), EINVAL),
	      "an empty name was not EINVAL");
	check("shm_name_dotdot", ERR(shm_open("/..", O_RDWR, 0), EINVAL),
	      "\"/..\" was not EINVAL");
	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX + 1);
	name[NAME_MAX + 2] = 0;
	check("shm_name_too_long", ERR(shm_open(name, O_RDWR | O_CREAT, 0600), ENAMETOOLONG),
	      "a name of NAME_MAX + 1 bytes was not ENAMETOOLONG");
	check("shm_unlink_name_too_long", ERR(shm_unlink(name), ENAMETOOLONG),
	      "shm_unlink of a too long name was not ENAMETOOLONG");
	name[NAME_MAX + 1] = 0;
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	check("shm_name_max_length", fd >= 0 && shm_unlink(name) == 0,
	      "a name of NAME_MAX bytes was refused");
	if (fd >= 0)
		close(fd);
	check("shm_open_missing", ERR(shm_open("/psx-none", O_RDWR, 0), ENOENT),
	      "opening a missing object was not ENOENT");
	check("shm_unlink_missing", ERR(shm_unlink("/psx-none"), ENOENT),
	      "unlinking a missing object was not ENOENT");
	fd = shm_open("/psx-excl", O_RDWR | O_CREAT | O_EXCL, 0600);
	check("shm_create_excl", fd >= 0, "O_CREAT|O_EXCL of a new name failed");
	check("shm_create_excl_exists",
	      ERR(shm_open("/psx-excl", O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST),
	      "O_CREAT|O_EXCL of an existing name was not EEXIST");
	{
		int fd2 = shm_open("/psx-excl", O_RDWR | O_CREAT, 0600);

		check("shm_create_existing_opens", fd2 >= 0, "O_CREAT of an existing name failed");
		if (fd2 >= 0)
			close(fd2);
	}
	check("shm_open_cloexec", fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	      "shm_open's descriptor is not close-on-exec");
	if (fd >= 0)
		close(fd);
	shm_unlink("/psx-excl");
}

/* ---- mapping rules, size, attributes ---------------------------------- */

static sigjmp_buf recover;
static volatile int bus_code;
static void *volatile bus_addr;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_code = si->si_code;
	bus_addr = si->si_addr;
	siglongjmp(recover, 1);
}

/* Read *p; 1 if it raised SIGBUS with BUS_ADRERR at p, 0 if it read
 * (into *out), -1 for anything else. */
static int touch(volatile char *p, char *out)
{
	bus_code = 0;
	bus_addr = 0;
	if (sigsetjmp(recover, 1) == 0) {
		*out = *p;
		return 0;
	}
	return bus_code == BUS_ADRERR && bus_addr == (void *)p ? 1 : -1;
}

static void test_rdonly(void)
{
	int fd = shm_open("/psx-ro", O_RDWR | O_CREAT | O_EXCL, 0600);
	int ro = shm_open("/psx-ro", O_RDONLY, 0);
	void *m;

	if (fd < 0 || ro < 0 || ftruncate(fd, PG) < 0) {
		check("shm_rdonly_setup", 0, "could not create /psx-ro");
		goto out;
	}
	check("shm_rdonly_no_shared_write",
	      MERR(mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES),
	      "an O_RDONLY object mapped shared and writable");
	m = mmap(0, PG, PROT_READ, MAP_SHARED, ro, 0);
	check("shm_rdonly_shared_read", m != MAP_FAILED, "read-only shared mapping refused");
	if (m != MAP_FAILED) {
		check("shm_rdonly_no_mprotect_write", ERR(mprotect(m, PG, PROT_READ | PROT_WRITE), EACCES),
		      "mprotect made an O_RDONLY shared mapping writable");
		munmap(m, PG);
	}
	m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	check("shm_rdonly_private_write", m != MAP_FAILED, "private writable mapping refused");
	if (m != MAP_FAILED)
		munmap(m, PG);
	check("shm_rdonly_ftruncate", ERR(ftruncate(ro, 2 * PG), EINVAL),
	      "ftruncate through an O_RDONLY descriptor was not EINVAL");
out:
	if (fd >= 0)
		close(fd);
	if (ro >= 0)
		close(ro);
	shm_unlink("/psx-ro");
}

static void test_size(void)
{
	int fd = shm_open("/psx-size", O_RDWR | O_CREAT | O_EXCL, 0640);
	struct sigaction sa, old;
	volatile char *m;
	struct stat st;
	char c;

	if (fd < 0) {
		check("shm_size_setup", 0, "could not create /psx-size");
		return;
	}
	check("shm_new_is_empty", fstat(fd, &st) == 0 && st.st_size == 0,
	      "a new object is not empty");
	check("shm_fstat_mode_owner",
	      fstat(fd, &st) == 0 && st.st_mode == (S_IFREG | 0640) &&
	      st.st_uid == geteuid() && st.st_gid == getegid() && st.st_nlink == 1,
	      "fstat's mode, owner or link count is wrong");
	check("shm_ftruncate_grow", ftruncate(fd, 3 * PG) == 0 && fstat(fd, &st) == 0 &&
	      st.st_size == 3 * PG, "ftruncate did not grow the object");
	m = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		check("shm_size_mmap", 0, "mmap failed");
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, &old);
	m[0] = 'a';
	m[2 * PG] = 'c';
	check("shm_grown_pages_usable", touch(m + 2 * PG, &c) == 0 && c == 'c',
	      "the grown pages are not usable");
	check("shm_sigbus_past_end", touch(m + 3 * PG, &c) == 1,
	      "no SIGBUS/BUS_ADRERR past the end of the object");
	check("shm_ftruncate_shrink", ftruncate(fd, PG) == 0 && fstat(fd, &st) == 0 &&
	      st.st_size == PG, "ftruncate did not shrink the object");
	check("shm_sigbus_after_shrink", touch(m + 2 * PG, &c) == 1,
	      "no SIGBUS on a page ftruncate removed");
	check("shm_shrink_keeps_head", touch(m, &c) == 0 && c == 'a',
	      "the page below the new end lost its data");
	check("shm_regrow_reads_zero", ftruncate(fd, 3 * PG) == 0 &&
	      touch(m + 2 * PG, &c) == 0 && c == 0, "a regrown page is not zero");
	sigaction(SIGBUS, &old, NULL);
	munmap((void *)m, 4 * PG);
out:
	close(fd);
	shm_unlink("/psx-size");
}

/* ---- lifetime ------------------------------------------------------------- */

#define LIFE_PAGES	256	/* 1 MiB: well clear of MemFree's noise */

static void test_unlink_mapped(void)
{
	long before = free_pages(), held, after;
	int fd = shm_open("/psx-life", O_RDWR | O_CREAT | O_EXCL, 0600);
	volatile char *m;
	struct stat st;
	int ok = 1;

	if (fd < 0 || ftruncate(fd, LIFE_PAGES * PG) < 0) {
		check("shm_life_setup", 0, "could not create /psx-life");
		return;
	}
	m = mmap(0, LIFE_PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		check("shm_life_mmap", 0, "mmap failed");
		shm_unlink("/psx-life");
		return;
	}
	for (int i = 0; i < LIFE_PAGES; i++)
		m[i * PG] = (char)i;
	check("shm_unlink_while_mapped", shm_unlink("/psx-life") == 0 &&
	      stat("/dev/shm/psx-life", &st) < 0 && errno == ENOENT,
	      "unlink of a mapped object failed");
	for (int i = 0; i < LIFE_PAGES; i++)
		ok &= m[i * PG] == (char)i;
	m[5] = 'z';
	check("shm_unlinked_memory_alive", ok && m[5] == 'z',
	      "the mapping lost data when the name went");
	fd = shm_open("/psx-life", O_RDWR | O_CREAT | O_EXCL, 0600);
	check("shm_name_reusable_after_unlink", fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0,
	      "the name could not be made again as a new, empty object");
	if (fd >= 0) {
		close(fd);
		shm_unlink("/psx-life");
	}
	held = free_pages();
	munmap((void *)m, LIFE_PAGES * PG);
	after = free_pages();
	check("shm_freed_at_last_unmap",
	      before > 0 && held <= before - LIFE_PAGES * 3 / 4 && after >= held + LIFE_PAGES * 3 / 4,
	      "the object's pages were not held until, and freed at, the last unmap");
}

static void test_unlink_open(void)
{
	int fd = shm_open("/psx-open", O_RDWR | O_CREAT | O_EXCL, 0600);
	long held, after;
	char *m, buf[8] = { 0 };

	if (fd < 0 || ftruncate(fd, LIFE_PAGES * PG) < 0) {
		check("shm_open_life_setup", 0, "could not create /psx-open");
		return;
	}
	m = mmap(0, LIFE_PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		check("shm_open_life_mmap", 0, "mmap failed");
		close(fd);
		shm_unlink("/psx-open");
		return;
	}
	memset(m, 'q', LIFE_PAGES * PG);
	shm_unlink("/psx-open");
	munmap(m, LIFE_PAGES * PG);
	check("shm_unlinked_open_keeps_data",
	      pread(fd, buf, 4, (LIFE_PAGES - 1) * PG) == 4 && !memcmp(buf, "qqqq", 4),
	      "data gone after unlink and unmap with the descriptor still open");
	held = free_pages();
	close(fd);
	after = free_pages();
	check("shm_freed_at_last_close", after >= held + LIFE_PAGES * 3 / 4,
	      "the object's pages were not freed by the last close");
}

/* ---- permissions ---------------------------------------------------------- */

static void test_permissions(void)
{
	int fd = shm_open("/psx-root", O_RDWR | O_CREAT | O_EXCL, 0600);
	int pub = shm_open("/psx-pub", O_RDWR | O_CREAT | O_EXCL, 0644);
	pid_t pid;

	if (fd < 0 || pub < 0 || fchmod(fd, 0600) < 0 || fchmod(pub, 0644) < 0) {
		check("shm_perm_setup", 0, "could not create the objects");
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		struct stat st;
		int r = 0, own;

		if (setgid(1000) < 0 || setuid(1000) < 0)
			_exit(100);
		errno = 0;
		if (!ERR(shm_open("/psx-root", O_RDONLY, 0), EACCES))
			r |= 1;
		if (!ERR(shm_open("/psx-root", O_RDWR, 0), EACCES))
			r |= 2;
		if (!ERR(shm_open("/psx-pub", O_RDWR, 0), EACCES))
			r |= 4;
		own = shm_open("/psx-pub", O_RDONLY, 0);
		if (own < 0)
			r |= 8;
		else
			close(own);
		/* /dev/shm is sticky: root's objects are not ours to remove. */
		if (!ERR(shm_unlink("/psx-root"), EPERM))
			r |= 16;
		own = shm_open("/psx-user", O_RDWR | O_CREAT | O_EXCL, 0600);
		if (own < 0 || fstat(own, &st) < 0 || st.st_uid != 1000 || st.st_gid != 1000)
			r |= 32;
		_exit(r);
	}
	{
		int st = wait_status(pid);

		check("shm_perm_other_user_0600", st >= 0 && st < 100 && !(st & 3),
		      "uid 1000 opened root's 0600 object");
		check("shm_perm_other_user_0644", st >= 0 && st < 100 && !(st & 12),
		      "uid 1000 got the wrong access to root's 0644 object");
		check("shm_perm_sticky_unlink", st >= 0 && st < 100 && !(st & 16),
		      "uid 1000 removed root's object in the sticky /dev/shm");
		check("shm_perm_user_creates", st >= 0 && st < 100 && !(st & 32),
		      "uid 1000 could not create its own object, or it is not its owner");
	}
	{
		int u = shm_open("/psx-user", O_RDWR, 0);

		check("shm_perm_root_opens_any", u >= 0, "root could not open uid 1000's 0600 object");
		if (u >= 0)
			close(u);
		shm_unlink("/psx-user");
	}
out:
	if (fd >= 0)
		close(fd);
	if (pub >= 0)
		close(pub);
	shm_unlink("/psx-root");
	shm_unlink("/psx-pub");
}

/* ---- /proc/self/maps ------------------------------------------------------ */

static void test_maps(void)
{
	int fd = shm_open("/psx-maps", O_RDWR | O_CREAT | O_EXCL, 0600);
	static char buf[16384];
	char want[64];
	void *m = MAP_FAILED;
	long n = -1;
	int mfd;

	if (fd >= 0 && ftruncate(fd, PG) == 0)
		m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		check("shm_maps_setup", 0, "could not map /psx-maps");
		goto out;
	}
	mfd = open("/proc/self/maps", O_RDONLY);
	if (mfd >= 0) {
		n = read(mfd, buf, sizeof(buf) - 1);
		close(mfd);
	}
	if (n > 0)
		buf[n] = 0;
	snprintf(want, sizeof(want), "%lx-%lx rw-s 00000000 ", (unsigned long)m,
		 (unsigned long)m + PG);
	check("shm_maps_line", n > 0 && strstr(buf, want), "no rw-s line for the mapping");
	check("shm_maps_name", n > 0 && strstr(buf, "/dev/shm/psx-maps\n"),
	      "maps does not name /dev/shm/psx-maps");
	munmap(m, PG);
out:
	if (fd >= 0)
		close(fd);
	shm_unlink("/psx-maps");
}

/* ---- two processes -------------------------------------------------------- */

struct mailbox {
	volatile int turn;	/* 0: parent writes, 1: child writes, 2: done */
	volatile int round;
	char text[64];
};

#define ROUNDS	50

/* Parent and child, each with its own open and mapping of one object,
 * pass a message back and forth ROUNDS times, each changing it. */
static void test_two_processes(void)
{
	int fd = shm_open("/psx-mail", O_RDWR | O_CREAT | O_EXCL, 0600);
	struct mailbox *mb = MAP_FAILED;
	int ok = 1, spins;
	pid_t pid;

	if (fd >= 0 && ftruncate(fd, sizeof(*mb)) == 0)
		mb = mmap(0, sizeof(*mb), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd >= 0)
		close(fd);
	if (mb == MAP_FAILED) {
		check("shm_mail_setup", 0, "could not map /psx-mail");
		shm_unlink("/psx-mail");
		return;
	}
	pid = fork();
	if (pid == 0) {
		int cfd = shm_open("/psx-mail", O_RDWR, 0);
		struct mailbox *c = cfd < 0 ? MAP_FAILED :
			mmap(0, sizeof(*c), PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);

		alarm(20);
		munmap(mb, sizeof(*mb));
		if (c == MAP_FAILED)
			_exit(2);
		close(cfd);
		for (int r = 0; r < ROUNDS; r++) {
			char want[64];

			while (c->turn != 1)
				sched_yield();
			snprintf(want, sizeof(want), "ping %d", r);
			if (strcmp(c->text, want))
				_exit(3);
			snprintf(c->text, sizeof(c->text), "pong %d", r);
			c->turn = 0;
		}
		_exit(0);
	}
	for (int r = 0; r < ROUNDS && ok; r++) {
		char want[64];

		snprintf(mb->text, sizeof(mb->text), "ping %d", r);
		mb->turn = 1;
		for (spins = 0; mb->turn != 0 && spins < 1000000; spins++)
			sched_yield();
		snprintf(want, sizeof(want), "pong %d", r);
		ok = mb->turn == 0 && !strcmp(mb->text, want);
	}
	check("shm_two_processes_messages", wait_status(pid) == 0 && ok,
	      "messages were lost or garbled between the two processes");
	munmap(mb, sizeof(*mb));
	shm_unlink("/psx-mail");
}

int main(void)
{
	umask(022);
	test_names();
	test_rdonly();
	test_size();
	test_unlink_mapped();
	test_unlink_open();
	test_permissions();
	test_maps();
	test_two_processes();
	return failures ? 1 : 0;
}
