/* printk and the log ring buffer. Single CPU: interrupts are masked while
 * a message is formatted and stored, so handlers can print too. */
#include <printk.h>
#include <console.h>
#include <fmt.h>
#include <io.h>
#include <stdarg.h>
#include <string.h>
#include <timer.h>

#define LOG_SIZE (64 * 1024)

static char log_buf[LOG_SIZE];
static size_t log_head;		/* total bytes ever written */
static int console_loglevel = LOGLEVEL_DEFAULT;

void printk_set_loglevel(int level)
{
	if (level >= 0 && level <= 8)
		console_loglevel = level;
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_SIZE] = s[i];
	log_head += n;
}

size_t dmesg_read(char *buf, size_t off, size_t len)
{
	uint64_t flags = irq_save();
	size_t held = log_head < LOG_SIZE ? log_head : LOG_SIZE;
	size_t first = log_head - held;
	size_t n = 0;

	for (; off + n < held && n < len; n++)
		buf[n] = log_buf[(first + off + n) % LOG_SIZE];
	irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	char msg[512];
	char stamp[32];
	int level = 6;
	va_list ap;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		n = sizeof(msg) - 1;

	uint64_t ns = clock_monotonic_ns();
	int sn = snprintf(stamp, sizeof(stamp), "[%5lu.%06lu] ",
			  (unsigned long)(ns / 1000000000),
			  (unsigned long)(ns / 1000 % 1000000));

	uint64_t flags = irq_save();
	log_store(stamp, sn);
	log_store(msg, n);
	if (level < console_loglevel)
		console_write(msg, n);
	irq_restore(flags);
	return n;
}
