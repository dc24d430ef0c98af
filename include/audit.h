/* The audit trail of memory calls and policy denials (kernel/audit.c):
 * a bounded ring of JSON lines, read at /proc/audit, switched by prctl
 * (include/uapi/prctl.h). The record format is documented in audit.c. */
#ifndef AUDIT_H
#define AUDIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trap_frame;

/* Whether records are being taken. Written only by audit_set; read
 * without a lock by the syscall dispatcher, so that a trail that is off
 * costs one predictable branch per system call. */
extern bool audit_enabled;

/*
 * The dispatcher's hook, called only when audit_enabled, after the call
 * returned: tf holds its number (error), its arguments as they were given
 * and its result (rax). Logs it if it is one of the audited memory calls
 * (or an open whose file lies on the /dev/shm mount). Interrupts on; may
 * sleep (it reads user memory for paths).
 */
void audit_syscall(const struct trap_frame *tf);

/*
 * A policy refused something: log it when the trail is on, with the
 * policy's name ("wx"), the system call, the protection asked for, and a
 * path (NULL: none). The call's own record, if audited, follows as usual.
 */
void audit_deny(const char *policy, const char *call, unsigned long prot,
		const char *path);

/* A MAP_FIXED mmap replaced existing mappings: counted while on. */
void audit_note_fixed_replace(void);

/* Start (1) or stop (0) recording; clear the ring and its counters.
 * The caller checks privilege. */
void audit_set(bool on);
void audit_clear(void);

/*
 * /proc/audit's text: a status line, then the records, oldest first.
 * Copies at most cap bytes to buf (no NUL) and returns the full length,
 * as snprintf does, so the caller can retry with a larger buffer.
 */
size_t audit_read(char *buf, size_t cap);

#endif
