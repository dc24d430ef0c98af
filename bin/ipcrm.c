/* ipcrm: remove System V shared memory segments by id (-m id) or key
 * (-M key, decimal or 0x hex), or every one the caller may remove (-a),
 * with util-linux's messages. Removal is IPC_RMID: an attached segment
 * goes at its last detach. Exit status 1 if anything failed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: ipcrm [-m id] [-M key] [-a] ...\n");
	exit(1);
}

/* A whole number in arg (base 0: decimal, 0x hex, 0 octal) into *out. */
static int parse_num(const char *arg, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 0);
	return errno || end == arg || *end ? -1 : 0;
}

/* util-linux's wording for what went wrong with a removal. */
static int report(const char *what, const char *arg)
{
	const char *why;

	switch (errno) {
	case EACCES:
	case EPERM:
		why = "permission denied for";
		break;
	case EINVAL:
		why = "invalid";
		break;
	case EIDRM:
		why = "already removed";
		break;
	default:
		fprintf(stderr, "ipcrm: %s %s: %s\n", what, arg, strerror(errno));
		return 1;
	}
	fprintf(stderr, "ipcrm: %s %s (%s)\n", why, what, arg);
	return 1;
}

static int remove_id(const char *arg)
{
	long id;

	if (parse_num(arg, &id) || id < 0 || id > 0x7fffffff) {
		fprintf(stderr, "ipcrm: invalid id (%s)\n", arg);
		return 1;
	}
	if (shmctl((int)id, IPC_RMID, NULL) < 0)
		return report("id", arg);
	return 0;
}

static int remove_key(const char *arg)
{
	long key;
	int id;

	if (parse_num(arg, &key) || key == IPC_PRIVATE || key < -0x80000000L ||
	    key > 0xffffffffL) {
		fprintf(stderr, "ipcrm: illegal key (%s)\n", arg);
		return 1;
	}
	id = shmget((key_t)key, 0, 0);
	if (id < 0) {
		if (errno == ENOENT)
			errno = EINVAL;
		return report("key", arg);
	}
	if (shmctl(id, IPC_RMID, NULL) < 0)
		return report("key", arg);
	return 0;
}

/* Every segment SHM_STAT shows us, by index. */
static int remove_all(void)
{
	struct shm_info use;
	struct shmid_ds ds;
	int max = shmctl(0, SHM_INFO, (struct shmid_ds *)&use), bad = 0;

	if (max < 0) {
		fprintf(stderr, "ipcrm: shmctl SHM_INFO: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i <= max; i++) {
		int id = shmctl(i, SHM_STAT, &ds);
		char arg[16];

		if (id < 0)
			continue;
		snprintf(arg, sizeof(arg), "%d", id);
		if (shmctl(id, IPC_RMID, NULL) < 0)
			bad |= report("id", arg);
	}
	return bad;
}

int main(int argc, char **argv)
{
	int c, bad = 0, any = 0;

	while ((c = getopt(argc, argv, "m:M:a")) != -1) {
		any = 1;
		switch (c) {
		case 'm': bad |= remove_id(optarg); break;
		case 'M': bad |= remove_key(optarg); break;
		case 'a': bad |= remove_all(); break;
		default: usage();
		}
	}
	if (!any || optind < argc)
		usage();
	return bad;
}
