/* Kernel-wide random bytes (fs/devfs.c's generator, which also backs
 * /dev/random and /dev/urandom): xoshiro256** seeded from RDRAND when
 * present, else TSC jitter. Not cryptographic. */
#ifndef RANDOM_H
#define RANDOM_H

struct iobuf;

/* Fill all of b: its length, or -EFAULT when nothing could be copied
 * (a count short of the length when a later part faulted). */
long random_fill(const struct iobuf *b);

#endif
