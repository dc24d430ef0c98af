/* COM1 at 115200 8N1, polled output. The first console, so it must work
 * before memory, traps or anything else is set up. Input is interrupt
 * driven (IRQ 4) once the tty layer asks for it, and goes to the console
 * tty. */
#include <console.h>
#include <io.h>
#include <trap.h>
#include <tty.h>
#include <uapi/errno.h>

#define COM1 0x3F8

enum {
	UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3,
	UART_MCR = 4, UART_LSR = 5,
};
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define IER_RX_AVAIL  0x01

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

/* Receive interrupt: drain the FIFO (reading it is what quietens the
 * line) and hand the bytes to the tty. */
static void serial_irq(struct trap_frame *tf)
{
	char buf[16];
	size_t n = 0;

	(void)tf;
	for (int i = 0; i < 256 && (inb(COM1 + UART_LSR) & LSR_DATA_READY); i++) {
		buf[n++] = (char)inb(COM1 + UART_DATA);
		if (n == sizeof(buf)) {
			tty_receive(buf, n);
			n = 0;
		}
	}
	if (n)
		tty_receive(buf, n);
}

/* Called by tty_init once the tty can take input. MCR already has OUT2
 * set, which gates the UART's interrupt onto the bus. */
int serial_input_init(void)
{
	int err;

	if (!serial_present)
		return -ENODEV;
	err = irq_register(4, serial_irq);
	if (err)
		return err;
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
		inb(COM1 + UART_DATA);		/* stale bytes from before boot */
	outb(COM1 + UART_IER, IER_RX_AVAIL);
	return 0;
}
