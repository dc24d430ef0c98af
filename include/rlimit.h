/* Per-process resource limits (proc/rlimit.c): the defaults pid 1 starts
 * with, and the checks other subsystems make against them. fork copies
 * the limits (proc_new), exec keeps them. */
#ifndef RLIMIT_H
#define RLIMIT_H
#include <stdint.h>
#include <uapi/resource.h>

struct proc;
struct mm;

/* Linux's boot defaults: NOFILE 1024/4096, STACK 8 MiB/unlimited, CORE
 * 0/unlimited, NPROC and SIGPENDING 4096, MEMLOCK 8 MiB, the rest
 * unlimited. */
void rlimit_init_defaults(struct proc *p);

/* fork: -EAGAIN when current's real uid already has RLIMIT_NPROC
 * processes besides the counted (0 or 1) new child already in the
 * process table (zombies count, as on Linux); root is exempt, as Linux
 * exempts CAP_SYS_RESOURCE. Else 0. */
int rlimit_check_nproc(int counted);

/* The stack VMA's growth limit in bytes for p's soft RLIMIT_STACK
 * (capped to the user half when unlimited); exec puts it in the new mm. */
uint64_t rlimit_stack_bytes(const struct proc *p);

#endif
