/* Kernel log: printk formats a message, keeps it in a ring buffer (read by
 * dmesg) and writes it to every console whose level allows it. */
#ifndef PRINTK_H
#define PRINTK_H
#include <stddef.h>
#include <compiler.h>

/* Levels as in Linux: 0 emergency .. 7 debug, prefixed to the format. */
#define KERN_EMERG   "\001" "0"
#define KERN_ERR     "\001" "3"
#define KERN_WARNING "\001" "4"
#define KERN_NOTICE  "\001" "5"
#define KERN_INFO    "\001" "6"
#define KERN_DEBUG   "\001" "7"

#define LOGLEVEL_DEFAULT 7	/* consoles show levels below this */

int printk(const char *fmt, ...) __printf(1, 2);

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_err(...)   printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)  printk(KERN_WARNING __VA_ARGS__)
#define pr_info(...)  printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)

void printk_set_loglevel(int level);

/* Copy up to len bytes of the retained log, starting at byte off of what
 * is still held; returns the count copied (0 at the end). */
size_t dmesg_read(char *buf, size_t off, size_t len);

#endif
