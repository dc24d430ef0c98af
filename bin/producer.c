/* producer -s|-p [count]: send count (default 3) messages to a consumer
 * through System V (-s) or POSIX (-p) shared memory (bin/shmdemo.h),
 * each one waiting until the consumer has taken the last. */
#include <stdlib.h>
#include "shmdemo.h"

int main(int argc, char **argv)
{
	int kind = demo_kind(argv[1]);
	long count = argc > 2 ? strtol(argv[2], NULL, 10) : 3;
	struct demo_slot *s;

	if (!kind || argc > 3 || count < 0) {
		fprintf(stderr, "usage: producer -s|-p [count]\n");
		return 2;
	}
	s = demo_open(kind, "producer");
	if (!s)
		return 1;
	for (long i = 1; i <= count + 1; i++) {
		demo_wait(&s->full, 1);
		if (i > count) {
			s->done = 1;
		} else {
			s->seq = (uint32_t)i;
			snprintf(s->text, sizeof(s->text), "message %ld of %ld from pid %d",
				 i, count, (int)getpid());
		}
		demo_set(&s->full, 1);
	}
	printf("producer: sent %ld messages through %s shared memory\n", count,
	       kind == 's' ? "System V" : "POSIX");
	return 0;
}
