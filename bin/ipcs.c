/* ipcs: System V IPC facilities, in util-linux's layouts. Shared memory
 * segments come from /proc/sysvipc/shm (every segment, whoever may read
 * it), the limits from shmctl(IPC_INFO), the totals from SHM_INFO. This
 * kernel has no message queues or semaphore sets: with no option their
 * (empty) tables are shown too, as ipcs shows them. */
#include <errno.h>
#include <pwd.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

/* One line of /proc/sysvipc/shm. */
struct seg {
	int key, id;
	unsigned mode;
	unsigned long size;
	int cpid, lpid;
	unsigned long nattch;
	unsigned uid, gid, cuid, cgid;
	long atime, dtime, ctime;
	unsigned long rss, swap;
};

enum format { F_SEGS, F_PIDS, F_CREATORS, F_LIMITS, F_SUMMARY };

static void usage(void)
{
	fprintf(stderr, "usage: ipcs [-m|-q|-s|-a] [-p|-c|-l|-u]\n");
	exit(1);
}

static const char *user_name(unsigned uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		return pw->pw_name;
	snprintf(buf, len, "%u", uid);
	return buf;
}

static const char *group_name(unsigned gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);

	if (gr)
		return gr->gr_name;
	snprintf(buf, len, "%u", gid);
	return buf;
}

static int parse_seg(const char *line, struct seg *s)
{
	return sscanf(line, "%d %d %o %lu %d %d %lu %u %u %u %u %ld %ld %ld %lu %lu",
		      &s->key, &s->id, &s->mode, &s->size, &s->cpid, &s->lpid, &s->nattch,
		      &s->uid, &s->gid, &s->cuid, &s->cgid, &s->atime, &s->dtime, &s->ctime,
		      &s->rss, &s->swap) == 16;
}

static void seg_line(enum format f, const struct seg *s)
{
	char b1[16], b2[16], b3[16], b4[16];

	switch (f) {
	case F_PIDS:
		printf("%-10d %-10.10s %-10d %-10d\n", s->id, user_name(s->uid, b1, sizeof(b1)),
		       s->cpid, s->lpid);
		break;
	case F_CREATORS:
		printf("%-10d %-10o %-10.10s %-10.10s %-10.10s %-10.10s\n", s->id, s->mode & 0777,
		       user_name(s->cuid, b1, sizeof(b1)), group_name(s->cgid, b2, sizeof(b2)),
		       user_name(s->uid, b3, sizeof(b3)), group_name(s->gid, b4, sizeof(b4)));
		break;
	default:
		printf("0x%08x %-10d %-10.10s %-10o %-10lu %-10lu %-6s %-6s\n", (unsigned)s->key,
		       s->id, user_name(s->uid, b1, sizeof(b1)), s->mode & 0777, s->size,
		       s->nattch, (s->mode & SHM_DEST) ? "dest" : "",
		       (s->mode & SHM_LOCKED) ? "locked" : "");
	}
}

static int show_segments(enum format f)
{
	FILE *p = fopen("/proc/sysvipc/shm", "r");
	char line[512];
	struct seg s;

	if (!p) {
		fprintf(stderr, "ipcs: /proc/sysvipc/shm: %s\n", strerror(errno));
		return 1;
	}
	if (f == F_PIDS) {
		printf("\n------ Shared Memory Creator/Last-op PIDs --------\n");
		printf("%-10s %-10s %-10s %-10s\n", "shmid", "owner", "cpid", "lpid");
	} else if (f == F_CREATORS) {
		printf("\n------ Shared Memory Segment Creators/Owners --------\n");
		printf("%-10s %-10s %-10s %-10s %-10s %-10s\n", "shmid", "perms", "cuid", "cgid",
		       "uid", "gid");
	} else {
		printf("\n------ Shared Memory Segments --------\n");
		printf("%-10s %-10s %-10s %-10s %-10s %-10s %-12s\n", "key", "shmid", "owner",
		       "perms", "bytes", "nattch", "status");
	}
	if (!fgets(line, sizeof(line), p))	/* the header */
		line[0] = 0;
	while (fgets(line, sizeof(line), p))
		if (parse_seg(line, &s))
			seg_line(f, &s);
	fclose(p);
	printf("\n");
	return 0;
}

static int show_limits(void)
{
	struct shminfo info;

	if (shmctl(0, IPC_INFO, (struct shmid_ds *)&info) < 0) {
		fprintf(stderr, "ipcs: shmctl IPC_INFO: %s\n", strerror(errno));
		return 1;
	}
	printf("\n------ Shared Memory Limits --------\n");
	printf("max number of segments = %lu\n", (unsigned long)info.shmmni);
	printf("max seg size (kbytes) = %lu\n", (unsigned long)(info.shmmax >> 10));
	printf("max total shared memory (kbytes) = %llu\n",
	       (unsigned long long)info.shmall * (unsigned long long)(getpagesize() >> 10));
	printf("min seg size (bytes) = %lu\n\n", (unsigned long)info.shmmin);
	return 0;
}

static int show_summary(void)
{
	struct shm_info use;

	if (shmctl(0, SHM_INFO, (struct shmid_ds *)&use) < 0) {
		fprintf(stderr, "ipcs: shmctl SHM_INFO: %s\n", strerror(errno));
		return 1;
	}
	printf("\n------ Shared Memory Status --------\n");
	printf("segments allocated %d\npages allocated %lu\npages resident  %lu\n"
	       "pages swapped   %lu\n", use.used_ids, (unsigned long)use.shm_tot,
	       (unsigned long)use.shm_rss, (unsigned long)use.shm_swp);
	printf("Swap performance: %lu attempts\t %lu successes\n\n",
	       (unsigned long)use.swap_attempts, (unsigned long)use.swap_successes);
	return 0;
}

/* The facilities this kernel does not have yet: nothing to list. */
static void show_empty(int queues)
{
	if (queues) {
		printf("\n------ Message Queues --------\n");
		printf("%-10s %-10s %-10s %-10s %-12s %-12s\n\n", "key", "msqid", "owner",
		       "perms", "used-bytes", "messages");
	} else {
		printf("\n------ Semaphore Arrays --------\n");
		printf("%-10s %-10s %-10s %-10s %-10s\n\n", "key", "semid", "owner", "perms",
		       "nsems");
	}
}

int main(int argc, char **argv)
{
	int c, shm = 0, msg = 0, sem = 0;
	enum format f = F_SEGS;

	while ((c = getopt(argc, argv, "mqsapclu")) != -1) {
		switch (c) {
		case 'm': shm = 1; break;
		case 'q': msg = 1; break;
		case 's': sem = 1; break;
		case 'a': shm = msg = sem = 1; break;
		case 'p': f = F_PIDS; break;
		case 'c': f = F_CREATORS; break;
		case 'l': f = F_LIMITS; break;
		case 'u': f = F_SUMMARY; break;
		default: usage();
		}
	}
	if (optind < argc)
		usage();
	if (!shm && !msg && !sem)
		shm = msg = sem = 1;
	if (msg && f == F_SEGS)
		show_empty(1);
	if (shm) {
		if (f == F_LIMITS)
			return show_limits();
		if (f == F_SUMMARY)
			return show_summary();
		if (show_segments(f))
			return 1;
	}
	if (sem && f == F_SEGS)
		show_empty(0);
	return 0;
}
