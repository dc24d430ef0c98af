/* Host tests for kernel/rtc_time.c: CMOS readings in BCD and binary, 12-
 * and 24-hour formats, with and without a century register, and the
 * out-of-range fields that must be refused. */
#include "test.h"
#include <rtc.h>

TEST(rtc_days_from_civil)
{
	ASSERT(rtc_days_from_civil(1970, 1, 1) == 0);
	ASSERT(rtc_days_from_civil(2000, 3, 1) == 11017);
	ASSERT(rtc_days_from_civil(1969, 12, 31) == -1);
	ASSERT(rtc_days_from_civil(2024, 2, 29) + 1 == rtc_days_from_civil(2024, 3, 1));
}

/* 2024-02-29 13:45:30 UTC is 1709214330. */
TEST(rtc_bcd_24h)
{
	struct rtc_raw r = { 0x30, 0x45, 0x13, 0x29, 0x02, 0x24, 0x20, RTC_B_24H };

	ASSERT(rtc_raw_to_unix(&r) == 1709214330);
	r.century = 0;		/* no century register: 20xx */
	ASSERT(rtc_raw_to_unix(&r) == 1709214330);
}

TEST(rtc_binary_12h)
{
	struct rtc_raw r = { 30, 45, 0x80 | 1, 29, 2, 24, 20, RTC_B_BINARY };

	ASSERT(rtc_raw_to_unix(&r) == 1709214330);	/* 1 PM */
	r.hour = 12;					/* 12 AM: midnight */
	ASSERT(rtc_raw_to_unix(&r) == 1709214330 - 13 * 3600);
	r.hour = 0x80 | 12;				/* 12 PM: noon */
	ASSERT(rtc_raw_to_unix(&r) == 1709214330 - 3600);
}

TEST(rtc_bcd_12h_pm)
{
	struct rtc_raw r = { 0x30, 0x45, 0x80 | 0x01, 0x29, 0x02, 0x24, 0, 0 };

	ASSERT(rtc_raw_to_unix(&r) == 1709214330);
}

TEST(rtc_rejects_garbage)
{
	struct rtc_raw r = { 0x30, 0x45, 0x13, 0x29, 0x02, 0x24, 0x20, RTC_B_24H };

	r.mon = 0x13;
	ASSERT(rtc_raw_to_unix(&r) == -1);
	r.mon = 0x02;
	r.sec = 0x60;
	ASSERT(rtc_raw_to_unix(&r) == -1);
	r.sec = 0;
	r.status_b = 0;		/* 12-hour mode, hour 13: impossible */
	ASSERT(rtc_raw_to_unix(&r) == -1);
}
