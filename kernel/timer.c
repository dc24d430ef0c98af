/* STUB: replaced by the timer work. */
#include <timer.h>
void timer_init(void) {}
uint64_t timer_ticks(void) { return 0; }
uint64_t clock_monotonic_ns(void) { return 0; }
void timer_sleep_ms(uint64_t ms) { (void)ms; }
