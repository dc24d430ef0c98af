/* time.h: the clocks (system calls) and the calendar, in UTC only. The
 * calendar arithmetic (days from civil dates and back) is pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

char *tzname[2] = { "UTC", "UTC" };
long timezone;
int daylight;

void tzset(void) {}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return (int)__syscall_ret(__sc2(__NR_clock_gettime, clk, ts));
}

int clock_getres(clockid_t clk, struct timespec *ts)
{
	return (int)__syscall_ret(__sc2(__NR_clock_getres, clk, ts));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)__syscall_ret(__sc2(__NR_nanosleep, req, rem));
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
	long r = __sc4(__NR_clock_nanosleep, clk, flags, req, rem);

	return r < 0 ? (int)-r : 0;
}

time_t time(time_t *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

clock_t clock(void)
{
	struct tms t;

	if (times(&t) == (clock_t)-1)
		return -1;
	return (t.tms_utime + t.tms_stime) * (CLOCKS_PER_SEC / 100);
}

double difftime(time_t a, time_t b) { return (double)(a - b); }

unsigned sleep(unsigned seconds)
{
	struct timespec req = { (long)seconds, 0 }, rem;

	if (nanosleep(&req, &rem) < 0)
		return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec req = { (long)(usec / 1000000), (long)(usec % 1000000) * 1000 };

	return nanosleep(&req, NULL);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12). */
static long days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct tm *gmtime_r(const time_t *restrict t, struct tm *restrict tm)
{
	long s = *t, days = s / 86400, rem = s % 86400;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tm->tm_hour = (int)(rem / 3600);
	tm->tm_min = (int)(rem / 60 % 60);
	tm->tm_sec = (int)(rem % 60);
	tm->tm_wday = (int)((days % 7 + 11) % 7);	/* 1970-01-01 was a Thursday */
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y += m <= 2;
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
	tm->tm_isdst = 0;
	tm->tm_gmtoff = 0;
	tm->tm_zone = "UTC";
	return tm;
}

struct tm *gmtime(const time_t *t)
{
	static struct tm tm;

	return gmtime_r(t, &tm);
}

struct tm *localtime_r(const time_t *restrict t, struct tm *restrict tm) { return gmtime_r(t, tm); }
struct tm *localtime(const time_t *t) { return gmtime(t); }

/* Normalizes the fields (months and seconds may be out of range). */
time_t timegm(struct tm *tm)
{
	long y = tm->tm_year + 1900L, m = tm->tm_mon;

	y += m / 12;
	m %= 12;
	if (m < 0) {
		m += 12;
		y--;
	}
	time_t t = (time_t)(days_from_civil(y, (int)m + 1, 1) + tm->tm_mday - 1) * 86400 +
		   tm->tm_hour * 3600L + tm->tm_min * 60L + tm->tm_sec;
	gmtime_r(&t, tm);
	return t;
}

time_t mktime(struct tm *tm) { return timegm(tm); }

static const char *const wday_name[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const wday_full[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
					 "Thursday", "Friday", "Saturday" };
static const char *const mon_name[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const mon_full[] = { "January", "February", "March", "April", "May",
					"June", "July", "August", "September", "October",
					"November", "December" };

static const char *name_at(const char *const *t, int i, int n)
{
	return i >= 0 && i < n ? t[i] : "?";
}

size_t strftime(char *restrict s, size_t max, const char *restrict fmt, const struct tm *restrict tm)
{
	size_t n = 0;
	char tmp[64];

	for (; *fmt; fmt++) {
		const char *piece = tmp;
		tmp[0] = 0;
		if (*fmt != '%') {
			tmp[0] = *fmt;
			tmp[1] = 0;
		} else {
			fmt++;
			if (*fmt == 'E' || *fmt == 'O')
				fmt++;
			switch (*fmt) {
			case 'a': piece = name_at(wday_name, tm->tm_wday, 7); break;
			case 'A': piece = name_at(wday_full, tm->tm_wday, 7); break;
			case 'b': case 'h': piece = name_at(mon_name, tm->tm_mon, 12); break;
			case 'B': piece = name_at(mon_full, tm->tm_mon, 12); break;
			case 'c':
				snprintf(tmp, sizeof(tmp), "%s %s %2d %02d:%02d:%02d %d",
					 name_at(wday_name, tm->tm_wday, 7), name_at(mon_name, tm->tm_mon, 12),
					 tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_year + 1900);
				break;
			case 'C': snprintf(tmp, sizeof(tmp), "%02d", (tm->tm_year + 1900) / 100); break;
			case 'd': snprintf(tmp, sizeof(tmp), "%02d", tm->tm_mday); break;
			case 'D':
				snprintf(tmp, sizeof(tmp), "%02d/%02d/%02d", tm->tm_mon + 1, tm->tm_mday,
					 (tm->tm_year + 1900) % 100);
				break;
			case 'e': snprintf(tmp, sizeof(tmp), "%2d", tm->tm_mday); break;
			case 'F':
				snprintf(tmp, sizeof(tmp), "%d-%02d-%02d", tm->tm_year + 1900,
					 tm->tm_mon + 1, tm->tm_mday);
				break;
			case 'H': snprintf(tmp, sizeof(tmp), "%02d", tm->tm_hour); break;
			case 'I': snprintf(tmp, sizeof(tmp), "%02d", (tm->tm_hour + 11) % 12 + 1); break;
			case 'j': snprintf(tmp, sizeof(tmp), "%03d", tm->tm_yday + 1); break;
			case 'm': snprintf(tmp, sizeof(tmp), "%02d", tm->tm_mon + 1); break;
			case 'M': snprintf(tmp, sizeof(tmp), "%02d", tm->tm_min); break;
			case 'n': piece = "\n"; break;
			case 't': piece = "\t"; break;
			case 'p': piece = tm->tm_hour < 12 ? "AM" : "PM"; break;
			case 'r':
				snprintf(tmp, sizeof(tmp), "%02d:%02d:%02d %s", (tm->tm_hour + 11) % 12 + 1,
					 tm->tm_min, tm->tm_sec, tm->tm_hour < 12 ? "AM" : "PM");
				break;
			case 'R': snprintf(tmp, sizeof(tmp), "%02d:%02d", tm->tm_hour, tm->tm_min); break;
			case 's': {
				struct tm c = *tm;
				snprintf(tmp, sizeof(tmp), "%ld", (long)timegm(&c));
				break;
			}
			case 'S': snprintf(tmp, sizeof(tmp), "%02d", tm->tm_sec); break;
			case 'T':
				snprintf(tmp, sizeof(tmp), "%02d:%02d:%02d", tm->tm_hour, tm->tm_min, tm->tm_sec);
				break;
			case 'u': snprintf(tmp, sizeof(tmp), "%d", tm->tm_wday ? tm->tm_wday : 7); break;
			case 'w': snprintf(tmp, sizeof(tmp), "%d", tm->tm_wday); break;
			case 'x':
				snprintf(tmp, sizeof(tmp), "%02d/%02d/%02d", tm->tm_mon + 1, tm->tm_mday,
					 (tm->tm_year + 1900) % 100);
				break;
			case 'X':
				snprintf(tmp, sizeof(tmp), "%02d:%02d:%02d", tm->tm_hour, tm->tm_min, tm->tm_sec);
				break;
			case 'y': snprintf(tmp, sizeof(tmp), "%02d", (tm->tm_year + 1900) % 100); break;
			case 'Y': snprintf(tmp, sizeof(tmp), "%d", tm->tm_year + 1900); break;
			case 'z': piece = "+0000"; break;
			case 'Z': piece = "UTC"; break;
			case '%': piece = "%"; break;
			case 0: fmt--; break;
			default: snprintf(tmp, sizeof(tmp), "%%%c", *fmt); break;
			}
		}
		size_t len = strlen(piece);
		if (n + len >= max)
			return 0;
		memcpy(s + n, piece, len);
		n += len;
	}
	if (n >= max)
		return 0;
	s[n] = 0;
	return n;
}

char *asctime_r(const struct tm *restrict tm, char *restrict buf)
{
	snprintf(buf, 26, "%s %s %2d %02d:%02d:%02d %d\n",
		 name_at(wday_name, tm->tm_wday, 7), name_at(mon_name, tm->tm_mon, 12),
		 tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_year + 1900);
	return buf;
}

char *asctime(const struct tm *tm)
{
	static char buf[32];

	return asctime_r(tm, buf);
}

char *ctime_r(const time_t *t, char *buf)
{
	struct tm tm;

	return asctime_r(gmtime_r(t, &tm), buf);
}

char *ctime(const time_t *t) { return asctime(gmtime(t)); }
