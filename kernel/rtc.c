/* The wall clock: the CMOS real-time clock (ports 0x70/0x71) read once,
 * on first use, then carried forward by the monotonic clock, since the
 * RTC only counts whole seconds. clock_settime moves it. Decoding is
 * rtc_time.c's; the clock system calls are clock.c's. */
#include <rtc.h>
#include <io.h>
#include <timer.h>
#include <printk.h>
#include <string.h>

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_NMI_OFF	0x80	/* keep NMIs masked while an index is set */
#define RTC_STATUS_A	0x0A
#define RTC_A_UIP	0x80	/* update in progress: fields are changing */
#define RTC_STATUS_B	0x0B
#define RTC_CENTURY	0x32	/* the usual spot (ACPI FADT names it) */
#define NSEC_PER_SEC	1000000000LL
#define RTC_TRIES	1000

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	io_wait();
	return inb(CMOS_DATA);
}

static void rtc_read_raw(struct rtc_raw *r)
{
	/* An update takes under 2 ms once a second; UIP is raised 244 us
	 * before it, so a read started while UIP is clear is consistent
	 * unless it straddles one: the caller reads twice and compares. */
	for (int i = 0; i < RTC_TRIES && (cmos_read(RTC_STATUS_A) & RTC_A_UIP); i++)
		;
	r->sec = cmos_read(0x00);
	r->min = cmos_read(0x02);
	r->hour = cmos_read(0x04);
	r->mday = cmos_read(0x07);
	r->mon = cmos_read(0x08);
	r->year = cmos_read(0x09);
	r->century = cmos_read(RTC_CENTURY);
	r->status_b = cmos_read(RTC_STATUS_B);
}

/* A century register that does not hold 19..21 is absent: ignore it. */
static void rtc_sanitize_century(struct rtc_raw *r)
{
	unsigned c = r->status_b & RTC_B_BINARY ? r->century :
		     (r->century >> 4) * 10 + (r->century & 0x0F);

	if (c < 19 || c > 21)
		r->century = 0;
}

static int64_t rtc_read_unix(void)
{
	struct rtc_raw a, b;
	int64_t t;

	rtc_read_raw(&b);
	for (int i = 0; i < 10; i++) {
		a = b;
		rtc_read_raw(&b);
		if (!memcmp(&a, &b, sizeof(a)))
			break;
	}
	rtc_sanitize_century(&b);
	t = rtc_raw_to_unix(&b);
	if (t < 0) {
		pr_info("rtc: unreadable CMOS clock; wall clock starts at 0\n");
		return 0;
	}
	return t;
}

/* Wall-clock ns minus monotonic ns: 0 until the RTC is read. One CPU:
 * interrupts off around the read-modify-write in clock_set_realtime_ns. */
static int64_t realtime_offset;
static bool realtime_known;

static void rtc_init_once(void)
{
	uint64_t flags;
	int64_t off;

	if (__atomic_load_n(&realtime_known, __ATOMIC_ACQUIRE))
		return;
	off = rtc_read_unix() * NSEC_PER_SEC - (int64_t)clock_monotonic_ns();
	flags = irq_save();
	if (!realtime_known) {
		realtime_offset = off;
		__atomic_store_n(&realtime_known, true, __ATOMIC_RELEASE);
	}
	irq_restore(flags);
}

int64_t clock_realtime_ns(void)
{
	rtc_init_once();
	return realtime_offset + (int64_t)clock_monotonic_ns();
}

void clock_set_realtime_ns(int64_t ns)
{
	uint64_t flags;

	rtc_init_once();
	flags = irq_save();
	realtime_offset = ns - (int64_t)clock_monotonic_ns();
	irq_restore(flags);
}
