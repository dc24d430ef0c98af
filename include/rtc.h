/* The wall clock (kernel/rtc.c, kernel/rtc_time.c): the CMOS real-time
 * clock read once, on first use, and carried forward by the monotonic
 * clock; root may set it. The BCD/12-hour decoding is pure, host-tested. */
#ifndef RTC_H
#define RTC_H
#include <stdbool.h>
#include <stdint.h>

/* The CMOS registers as read, before decoding. */
struct rtc_raw {
	uint8_t sec, min, hour, mday, mon, year, century;	/* century 0: none */
	uint8_t status_b;	/* bit 1: 24-hour; bit 2: binary, not BCD */
};

#define RTC_B_24H	0x02
#define RTC_B_BINARY	0x04

/* Seconds since 1970-01-01 00:00 UTC for a raw reading (the CMOS clock
 * is taken to run in UTC, as Linux assumes on a PC by default), or -1
 * when a field is out of range. Years without a century byte are
 * 2000..2099. */
int64_t rtc_raw_to_unix(const struct rtc_raw *r);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; m 1..12). */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Wall-clock time in ns since the epoch: the RTC at first use plus the
 * monotonic time since, plus whatever clock_settime added. */
int64_t clock_realtime_ns(void);

/* Make the wall clock read ns now (clock_settime, settimeofday). */
void clock_set_realtime_ns(int64_t ns);

#endif
