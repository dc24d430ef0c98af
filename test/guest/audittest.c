/* The audit trail of memory calls, as a static musl program sees it: off
 * at boot, switched by root only (prctl), /proc/audit readable by root
 * only; while on, each memory call leaves one JSON line with the right
 * pid, uid, arguments and result, a W^X refusal a "denied" line, a
 * MAP_FIXED mmap over existing mappings a count, an open on /dev/shm a
 * line with its path; a full ring drops its oldest lines and counts
 * them; clear empties it. Leaves the trail off and empty. One
 * "PASS/FAIL guest/<name>" line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../include/uapi/prctl.h"
#include "guest.h"

#define PG	4096UL
#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS)
#define SHM	"/audittest"

static char trail[256 * 1024];	/* /proc/audit, NUL-terminated */
static char want[512];

/* Read /proc/audit into trail: its length, or -1 with errno. */
static ssize_t read_trail(void)
{
	int fd = open("/proc/audit", O_RDONLY);
	ssize_t len = 0, r;

	trail[0] = 0;
	if (fd < 0)
		return -1;
	while ((r = read(fd, trail + len, sizeof(trail) - 1 - len)) > 0)
		len += r;
	close(fd);
	trail[len] = 0;
	return r < 0 ? -1 : len;
}

/* The number after "key": in the status line (first line), or -1. */
static long status_field(const char *key)
{
	char k[64];
	char *nl = strchr(trail, '\n'), *at;

	snprintf(k, sizeof(k), "\"%s\":", key);
	at = strstr(trail, k);
	if (!at || !nl || at > nl)
		return -1;
	return strtol(at + strlen(k), NULL, 10);
}

static int has(const char *s)
{
	return strstr(trail, s) != NULL;
}

/* want = the start of one of our records: pid, uid 0, call name. */
static const char *ours(const char *call)
{
	snprintf(want, sizeof(want), "\"pid\":%d,\"uid\":0,\"call\":\"%s\"", (int)getpid(), call);
	return want;
}

static int set_audit(int on)
{
	return prctl(PR_SET_AUDIT, on, 0, 0, 0);
}

/* Every record line is one {...} object, and "t" never goes back. */
static int lines_well_formed(void)
{
	unsigned long last = 0;
	char *line = strchr(trail, '\n');

	for (line = line ? line + 1 : NULL; line && *line;) {
		char *end = strchr(line, '\n');

		if (!end || strncmp(line, "{\"t\":", 5) || end[-1] != '}')
			return 0;
		if (strtoul(line + 5, NULL, 10) < last)
			return 0;
		last = strtoul(line + 5, NULL, 10);
		line = end + 1;
	}
	return 1;
}

static void test_off(void)
{
	long before;
	void *p;

	check("audit_off_at_boot", prctl(PR_GET_AUDIT, 0, 0, 0, 0) == 0 && read_trail() > 0 &&
	      has("\"audit\":\"off\""), "the trail is on");
	before = status_field("records");
	p = mmap(NULL, PG, PROT_READ, ANON, -1, 0);
	munmap(p, PG);
	check("audit_off_no_records", read_trail() > 0 && status_field("records") == before,
	      "records taken while off");
}

/* The memory calls, each checked for its exact record. */
static void test_calls(void)
{
	unsigned char *p, *q, *f, *w;
	int fd, id;

	check("audit_on", prctl(PR_CLEAR_AUDIT, 0, 0, 0, 0) == 0 && set_audit(1) == 0 &&
	      prctl(PR_GET_AUDIT, 0, 0, 0, 0) == 1, "could not switch it on");
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, ANON, -1, 0);
	mprotect(p, PG, PROT_READ);
	msync(p, 2 * PG, MS_SYNC);
	madvise(p, 2 * PG, MADV_DONTNEED);
	mlock(p, PG);
	munlock(p, PG);
	mprotect(p, PG, PROT_READ | PROT_WRITE);	/* one VMA again, for mremap */
	q = mremap(p, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
	munmap(q + 1, PG);				/* EINVAL */
	w = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC, ANON, -1, 0);	/* W^X */
	if (w != MAP_FAILED)
		munmap(w, PG);
	/* a fixed mapping over the first page of q: replaced, counted;
	 * MAP_FIXED_NOREPLACE over the second: EEXIST, not counted */
	f = mmap(q, PG, PROT_READ, ANON | MAP_FIXED, -1, 0);
	mmap(q + PG, PG, PROT_READ, ANON | MAP_FIXED_NOREPLACE, -1, 0);
	munmap(q, 4 * PG);
	fd = shm_open(SHM, O_RDWR | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
	shm_unlink(SHM);
	fd = open("/tmp/audittest.f", O_RDWR | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
	unlink("/tmp/audittest.f");
	id = shmget(IPC_PRIVATE, PG, 0600);
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);

	check("audit_read", read_trail() > 0 && has("\"audit\":\"on\""), "cannot read it");
	check("audit_format", lines_well_formed(), "a line is not one JSON object");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x0\",\"0x2000\",\"0x3\",\"0x22\","
		 "\"0xffffffffffffffff\",\"0x0\"],\"ret\":\"0x%lx\"}", ours("mmap"), (unsigned long)p);
	check("audit_mmap", has(want), "no mmap record");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x%lx\",\"0x1000\",\"0x1\"],\"ret\":\"0x0\"}",
		 ours("mprotect"), (unsigned long)p);
	check("audit_mprotect", has(want), "no mprotect record");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x%lx\",\"0x2000\",\"0x4\"],\"ret\":\"0x0\"}",
		 ours("msync"), (unsigned long)p);
	check("audit_msync", has(want), "no msync record");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x%lx\",\"0x2000\",\"0x4\"],\"ret\":\"0x0\"}",
		 ours("madvise"), (unsigned long)p);
	check("audit_madvise", has(want), "no madvise record");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x%lx\",\"0x1000\"],\"ret\":\"0x0\"}",
		 ours("mlock"), (unsigned long)p);
	check("audit_mlock", has(want), "no mlock record");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x%lx\",\"0x1000\"],\"ret\":\"0x0\"}",
		 ours("munlock"), (unsigned long)p);
	check("audit_munlock", has(want), "no munlock record");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x%lx\",\"0x2000\",\"0x4000\",\"0x1\",\"0x0\"],"
		 "\"ret\":\"0x%lx\"}", ours("mremap"), (unsigned long)p, (unsigned long)q);
	check("audit_mremap", q != MAP_FAILED && has(want), "no mremap record");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x%lx\",\"0x1000\"],\"errno\":\"EINVAL\"}",
		 ours("munmap"), (unsigned long)(q + 1));
	check("audit_munmap_einval", has(want), "no record of a failed munmap");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x%lx\",\"0x4000\"],\"ret\":\"0x0\"}",
		 ours("munmap"), (unsigned long)q);
	check("audit_munmap", has(want), "no munmap record");
	if (has("\"wx\":\"on\"")) {		/* no denial under wx=off */
		snprintf(want, sizeof(want), "%s,\"denied\":\"wx\",\"prot\":\"0x7\","
			 "\"errno\":\"EACCES\"}", ours("mmap"));
		check("audit_denied_wx", has(want), "no denial record");
		snprintf(want, sizeof(want), "%s,\"args\":[\"0x0\",\"0x1000\",\"0x7\",\"0x22\","
			 "\"0xffffffffffffffff\",\"0x0\"],\"errno\":\"EACCES\"}", ours("mmap"));
		check("audit_denied_call", has(want), "no record of the refused call");
	}
	check("audit_fixed_replaced", f == q && status_field("fixed_replaced") == 1,
	      "the MAP_FIXED replacement was not counted once");
	check("audit_shm_open", has("\"path\":\"/dev/shm" SHM "\"}"), "no record of shm_open");
	check("audit_other_open", !has("/tmp/audittest.f"), "an open of /tmp was recorded");
	snprintf(want, sizeof(want), "%s,\"args\":[\"0x0\",\"0x1000\",\"0x180\"],", ours("shmget"));
	check("audit_shmget", has(want), "no shmget record");
	check("audit_counts", status_field("records") > 10 && status_field("lost") == 0,
	      "wrong counts in the status line");
}

/* A user process: recorded under its uid, and can neither switch, clear
 * nor read the trail. */
static void test_user(void)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		void *p;
		int bad = 0;

		if (setuid(1000) < 0)
			_exit(10);
		p = mmap(NULL, PG, PROT_READ, ANON, -1, 0);
		munmap(p, PG);
		errno = 0;
		bad |= !(set_audit(0) < 0 && errno == EPERM);
		errno = 0;
		bad |= !(prctl(PR_CLEAR_AUDIT, 0, 0, 0, 0) < 0 && errno == EPERM) << 1;
		errno = 0;
		bad |= !(open("/proc/audit", O_RDONLY) < 0 && errno == EACCES) << 2;
		bad |= !(prctl(PR_GET_AUDIT, 0, 0, 0, 0) == 1) << 3;
		_exit(bad);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	check("audit_user_refused", WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a user could switch, clear or read it (bits in the exit code)");
	snprintf(want, sizeof(want), "\"pid\":%d,\"uid\":1000,\"call\":\"munmap\"", (int)pid);
	check("audit_user_recorded", read_trail() > 0 && has(want) &&
	      prctl(PR_GET_AUDIT, 0, 0, 0, 0) == 1, "the user's call was not recorded");
}

/* Fill the ring past its size: the oldest lines go, counted as lost,
 * and what stays is whole lines. */
static void test_full(void)
{
	long ring = -1;

	if (read_trail() > 0)
		ring = status_field("ring_bytes");
	for (long i = 0; ring > 0 && i < 2 * ring / 64; i++)
		munmap((void *)0x1001, PG);		/* EINVAL, about 80 bytes */
	check("audit_full_lost", ring > 0 && read_trail() > 0 && status_field("lost") > 0 &&
	      (long)strlen(strchr(trail, '\n') + 1) <= ring, "nothing lost, or too much kept");
	check("audit_full_whole_lines", lines_well_formed(), "a broken line after wrapping");
}

static void test_clear_off(void)
{
	void *p;

	errno = 0;
	check("audit_bad_arg", set_audit(2) < 0 && errno == EINVAL, "PR_SET_AUDIT 2 taken");
	check("audit_clear", prctl(PR_CLEAR_AUDIT, 0, 0, 0, 0) == 0 && read_trail() > 0 &&
	      status_field("records") == 0 && status_field("lost") == 0 &&
	      status_field("fixed_replaced") == 0 && strlen(trail) == (size_t)(strchr(trail, '\n') - trail + 1),
	      "records left after clear");
	set_audit(0);
	p = mmap(NULL, PG, PROT_READ, ANON, -1, 0);
	munmap(p, PG);
	check("audit_off_again", prctl(PR_GET_AUDIT, 0, 0, 0, 0) == 0 && read_trail() > 0 &&
	      has("\"audit\":\"off\"") && status_field("records") == 0,
	      "records taken after switching off");
	prctl(PR_CLEAR_AUDIT, 0, 0, 0, 0);
}

int main(void)
{
	test_off();
	test_calls();
	test_user();
	test_full();
	test_clear_off();
	/* whatever failed, leave the trail as it was at boot */
	set_audit(0);
	prctl(PR_CLEAR_AUDIT, 0, 0, 0, 0);
	return failures ? 1 : 0;
}
