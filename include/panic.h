/* Fatal kernel errors: for broken invariants only, never for user input. */
#ifndef PANIC_H
#define PANIC_H
#include <compiler.h>

__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
