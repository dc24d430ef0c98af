/* Futexes (proc/futex.c): futex(2), sleeping on a 32-bit user word until
 * someone wakes that word, and the wait table behind it. The ABI values
 * are uapi/futex.h's; which memory object backs a shared word is mm's
 * (mm_shared_backing). */
#ifndef FUTEX_H
#define FUTEX_H
#include <stdint.h>
#include <uapi/futex.h>

/*
 * Wake up to nr waiters (at least one, as Linux does for nr <= 0) on the
 * word at uaddr of current's address space, keyed as the futex ops key
 * it: flags is FUTEX_PRIVATE_FLAG or 0. For in-kernel wakers such as a
 * thread's clear_child_tid at exit. Returns how many it woke, or -EINVAL
 * (misaligned) or -EFAULT (not a mapped user address, shared keys only).
 * Needs a process context; never sleeps.
 */
int futex_wake(uint64_t uaddr, unsigned flags, int nr);

#endif
