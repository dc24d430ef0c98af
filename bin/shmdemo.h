/* The page bin/producer and bin/consumer share, through System V (-s) or
 * POSIX (-p) shared memory: one message slot handed back and forth, each
 * side sleeping on a futex word until the other has moved. */
#ifndef SHMDEMO_H
#define SHMDEMO_H
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../include/uapi/futex.h"

#define DEMO_POSIX_NAME	"/shmdemo"		/* /dev/shm/shmdemo */
#define DEMO_KEY_PATH	"/bin/consumer"		/* ftok(DEMO_KEY_PATH, 'D') */
#define DEMO_SIZE	4096

struct demo_slot {
	uint32_t full;		/* futex word: 1 while a message waits */
	uint32_t done;		/* set with the last full: no more messages */
	uint32_t seq;		/* number of the message in text */
	char text[244];
};

/* Shared futexes (no FUTEX_PRIVATE_FLAG): the two processes map the
 * page at addresses of their own. */
static inline void demo_wait(uint32_t *word, uint32_t while_is)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == while_is)
		syscall(__NR_futex, word, FUTEX_WAIT, while_is, 0, 0, 0);
}

static inline void demo_set(uint32_t *word, uint32_t v)
{
	__atomic_store_n(word, v, __ATOMIC_RELEASE);
	syscall(__NR_futex, word, FUTEX_WAKE, 1, 0, 0, 0);
}

/* The shared page, made if neither side has made it yet (zero-filled,
 * so nothing waits in it): kind 's' or 'p'. NULL after a message. */
static inline struct demo_slot *demo_open(int kind, const char *prog)
{
	void *p;

	if (kind == 's') {
		key_t key = ftok(DEMO_KEY_PATH, 'D');
		int id = key == -1 ? -1 : shmget(key, DEMO_SIZE, IPC_CREAT | 0600);

		p = id < 0 ? (void *)-1 : shmat(id, NULL, 0);
		if (p == (void *)-1) {
			perror(prog);
			return NULL;
		}
	} else {
		int fd = shm_open(DEMO_POSIX_NAME, O_RDWR | O_CREAT, 0600);

		if (fd < 0 || ftruncate(fd, DEMO_SIZE) < 0) {
			perror(prog);
			return NULL;
		}
		p = mmap(NULL, DEMO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (p == MAP_FAILED) {
			perror(prog);
			return NULL;
		}
	}
	return p;
}

/* 's', 'p', or 0 for a bad option. */
static inline int demo_kind(const char *arg)
{
	if (arg && !strcmp(arg, "-s"))
		return 's';
	if (arg && !strcmp(arg, "-p"))
		return 'p';
	return 0;
}

#endif
