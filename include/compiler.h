/* Small compiler helpers used across the kernel. */
#ifndef COMPILER_H
#define COMPILER_H

#define __noreturn   __attribute__((noreturn))
#define __packed     __attribute__((packed))
#define __unused     __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define likely(x)    __builtin_expect(!!(x), 1)
#define unlikely(x)  __builtin_expect(!!(x), 0)
#define barrier()    __asm__ volatile("" ::: "memory")

#endif
