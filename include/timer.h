/* The tick and the clocks (kernel/timer.c): PIT (or LAPIC timer) interrupt
 * at TIMER_HZ, a monotonic nanosecond clock refined with the TSC when the
 * CPU has a usable one, and sleeping by halting until time has passed. */
#ifndef TIMER_H
#define TIMER_H
#include <stdint.h>

#define TIMER_HZ 250

/* Program the PIT, calibrate the TSC against it (when cpu_features.tsc;
 * cpu_init must have run), take IRQ 0. Interrupts stay as they are. */
void timer_init(void);
uint64_t timer_ticks(void);		/* ticks since timer_init */
uint64_t clock_monotonic_ns(void);	/* since timer_init; 0 before it */
uint64_t tsc_khz(void);			/* calibrated TSC rate, 0 if unused */
void timer_sleep_ms(uint64_t ms);	/* needs interrupts on */

#endif
