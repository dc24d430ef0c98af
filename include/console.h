/* Output consoles (serial, VGA text, framebuffer). printk writes to every
 * registered console; registration happens once at boot, before SMP, so
 * the list needs no lock. */
#ifndef CONSOLE_H
#define CONSOLE_H
#include <stddef.h>

struct boot_info;

struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t n);
	struct console *next;
};

void console_register(struct console *con);
void console_write(const char *s, size_t n);

/* Serial COM1 (kernel/serial.c): first console, up before anything else. */
void serial_init(void);
void serial_write(const char *s, size_t n);

/* Screen consoles (VGA text or framebuffer) from the boot information. */
void screen_console_init(const struct boot_info *bi);
/* Its size in cells: 0, or -ENODEV when there is no screen console. */
int screen_console_size(int *rows, int *cols);

#endif
