/* COM1 at 115200 8N1, polled output. The first console, so it must work
 * before memory, traps or anything else is set up. */
#include <console.h>
#include <io.h>

#define COM1 0x3F8

enum {
	UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3,
	UART_MCR = 4, UART_LSR = 5,
};
#define LSR_THR_EMPTY 0x20

static int serial_present;

static void serial_putc(char c)
{
	for (int spin = 0; spin < 100000; spin++)
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + UART_DATA, c);
}

void serial_write(const char *s, size_t n)
{
	if (!serial_present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static void serial_con_write(struct console *con, const char *s, size_t n)
{
	(void)con;
	serial_write(s, n);
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_con_write,
};

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);	/* divisor latch */
	outb(COM1 + UART_DATA, 0x01);	/* 115200 baud */
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x03);	/* 8N1 */
	outb(COM1 + UART_FCR, 0xC7);	/* FIFO on, cleared */
	outb(COM1 + UART_MCR, 0x0B);
	/* A missing UART reads back 0xFF: don't spin on it. */
	serial_present = inb(COM1 + UART_LSR) != 0xFF;
	console_register(&serial_console);
}
