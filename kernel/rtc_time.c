/* Decoding a CMOS real-time clock reading into Unix time: BCD or binary
 * fields, 12- or 24-hour format, an optional century register. Pure (no
 * I/O): kernel/rtc.c reads the registers; the host tests call this. */
#include <rtc.h>

static unsigned bcd(uint8_t v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0x0F);
}

/* Howard Hinnant's days-from-civil algorithm, for any year. */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;					/* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;	/* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;		/* [0, 146096] */
	return era * 146097 + doe - 719468;
}

int64_t rtc_raw_to_unix(const struct rtc_raw *r)
{
	bool binary = r->status_b & RTC_B_BINARY;
	unsigned sec = bcd(r->sec, binary), min = bcd(r->min, binary);
	unsigned hour, mday = bcd(r->mday, binary), mon = bcd(r->mon, binary);
	unsigned year = bcd(r->year, binary);
	bool pm = false;

	/* In 12-hour mode the top bit of the hour says PM, whatever the
	 * number format; 12 AM is midnight and 12 PM noon. */
	if (!(r->status_b & RTC_B_24H)) {
		pm = r->hour & 0x80;
		hour = bcd(r->hour & 0x7F, binary);
		if (hour < 1 || hour > 12)
			return -1;
		hour = hour % 12 + (pm ? 12 : 0);
	} else {
		hour = bcd(r->hour, binary);
	}
	if (sec > 59 || min > 59 || hour > 23 || mday < 1 || mday > 31 ||
	    mon < 1 || mon > 12 || year > 99)
		return -1;
	year += r->century ? bcd(r->century, binary) * 100 : 2000;
	return rtc_days_from_civil(year, mon, mday) * 86400 +
	       hour * 3600 + min * 60 + sec;
}
