/* consumer -s|-p: print the messages a producer sends through System V
 * (-s) or POSIX (-p) shared memory (bin/shmdemo.h) until it is done, then
 * remove the shared object. Start it first, or in the background. */
#include "shmdemo.h"

int main(int argc, char **argv)
{
	int kind = demo_kind(argv[1]);
	struct demo_slot *s;
	long got = 0;

	if (!kind || argc != 2) {
		fprintf(stderr, "usage: consumer -s|-p\n");
		return 2;
	}
	s = demo_open(kind, "consumer");
	if (!s)
		return 1;
	for (;;) {
		demo_wait(&s->full, 0);
		if (s->done)
			break;
		printf("consumer: %u: %s\n", s->seq, s->text);
		fflush(stdout);
		got++;
		demo_set(&s->full, 0);
	}
	/* Gone at once for the next pair; the memory itself lives until
	 * the producer has let go of it too. */
	if (kind == 's')
		shmctl(shmget(ftok(DEMO_KEY_PATH, 'D'), 0, 0), IPC_RMID, NULL);
	else
		shm_unlink(DEMO_POSIX_NAME);
	printf("consumer: %ld messages\n", got);
	return 0;
}
