/* The kernel's stack protector (kernel/stackprot.c): GCC's
 * -fstack-protector-strong with -mstack-protector-guard=global puts a copy
 * of __stack_chk_guard below the saved registers of every function with a
 * local array or an address-taken local, and calls __stack_chk_fail when
 * the copy no longer matches on the way out. */
#ifndef STACKPROT_H
#define STACKPROT_H
#include <stdint.h>

/* For the code that runs before the canary is set, or whose frame is live
 * while it changes: such a frame would hold the old value and fail its
 * check on return. */
#define __no_stack_protector __attribute__((no_stack_protector, noinline))

/* The canary. Written once, by stackprot_init; read by every protected
 * function's prologue and epilogue. */
extern uint64_t __stack_chk_guard;

/* Set the canary from RDRAND when CPUID has it, else from the TSC mixed
 * through splitmix64; its low byte is zero, so a string copy running
 * over it stops there. Must be the first thing kmain does, and kmain
 * itself carries no canary. */
void stackprot_init(void);

/* Where the canary came from: "rdrand" or "tsc". */
const char *stackprot_source(void);

#endif
