/* The periodic tick (PIT channel 0 on IRQ 0 at TIMER_HZ) and the
 * monotonic clock: the TSC, calibrated against PIT channel 2, when the CPU
 * has one; whole ticks otherwise. A LAPIC timer would replace the PIT
 * here; the scheduler's use of the tick is its own business. */
#include <timer.h>
#include <cpu.h>
#include <io.h>
#include <panic.h>
#include <printk.h>
#include <selftest.h>
#include <trap.h>
#include <sched.h>

#define PIT_HZ        1193182UL	/* input clock of every PIT channel */
#define PIT_CH0       0x40
#define PIT_CH2       0x42
#define PIT_CMD       0x43
#define PIT_CH0_RATE  0x34	/* channel 0, lobyte/hibyte, mode 2 (rate generator) */
#define PIT_CH2_ONCE  0xB0	/* channel 2, lobyte/hibyte, mode 0 (one shot) */
#define PORT_B        0x61	/* bit 0: channel 2 gate, 1: speaker, 5: channel 2 out */

#define PIT_DIVISOR   ((PIT_HZ + TIMER_HZ / 2) / TIMER_HZ)	/* 4773: 249.99 Hz */
#define CAL_MS        10	/* one calibration window */
#define CAL_RUNS      3		/* median of these */
#define NSEC_PER_SEC  1000000000UL

static volatile uint64_t ticks;

/* TSC clock: ns = (tsc - tsc_base) * tsc_mult >> 32. Zero mult: no TSC. */
static uint64_t tsc_base, tsc_mult, tsc_hz;
static uint64_t clock_last;		/* largest value handed out */

/* The scheduler's tick may switch tasks (EOI has gone out already). */
static void timer_irq(struct trap_frame *tf)
{
	__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
	sched_tick(tf);
}

uint64_t timer_ticks(void)
{
	return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

/* Exact duration of n ticks, without overflowing for centuries. */
static uint64_t ticks_to_ns(uint64_t n)
{
	const uint64_t ns_per_pit_hz = PIT_DIVISOR * NSEC_PER_SEC;	/* per PIT_HZ ticks */

	return n / PIT_HZ * ns_per_pit_hz + n % PIT_HZ * ns_per_pit_hz / PIT_HZ;
}

/*
 * Raw time since timer_init. The TSC can still disagree with itself:
 * across CPUs later, or under a hypervisor migrating the guest. So the
 * result is never below what any caller already got (atomic maximum).
 */
uint64_t clock_monotonic_ns(void)
{
	uint64_t now, last;

	if (tsc_mult)
		now = (uint64_t)((unsigned __int128)(rdtsc() - tsc_base) * tsc_mult >> 32);
	else
		now = ticks_to_ns(timer_ticks());
	last = __atomic_load_n(&clock_last, __ATOMIC_RELAXED);
	while (now > last) {
		if (__atomic_compare_exchange_n(&clock_last, &last, now, 1,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return now;
	}
	return last;
}

uint64_t tsc_khz(void)
{
	return tsc_hz / 1000;
}

static int irqs_on(void)
{
	uint64_t f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return (f >> 9) & 1;
}

/*
 * Halt until the clock passes the deadline; every tick wakes us to look.
 * With the tick clock "now" may be up to a tick stale, so one more tick
 * keeps the sleep from ending early. With interrupts off nothing would
 * wake a halt: spin on the TSC instead, if there is one.
 */
void timer_sleep_ms(uint64_t ms)
{
	uint64_t end;

	if (ms > UINT64_MAX / 1000000 / 2)
		ms = UINT64_MAX / 1000000 / 2;
	end = clock_monotonic_ns() + ms * 1000000;
	if (!tsc_mult)
		end += ticks_to_ns(1);
	if (!irqs_on()) {
		BUG_ON(!tsc_mult);
		while (clock_monotonic_ns() < end)
			__asm__ volatile("pause");
		return;
	}
	while (clock_monotonic_ns() < end)
		cpu_halt();
}

/*
 * TSC cycles in CAL_MS of PIT channel 2 counting down in one-shot mode,
 * its output read back through port 0x61. 0 if the output never rose
 * (no channel 2 gate on this machine).
 */
static uint64_t tsc_measure_once(void)
{
	const uint16_t count = PIT_HZ * CAL_MS / 1000;
	uint64_t t0, t1;
	unsigned long spins = 0;

	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_CMD, PIT_CH2_ONCE);
	outb(PIT_CH2, count & 0xFF);
	outb(PIT_CH2, count >> 8);	/* counting starts here */
	t0 = rdtsc();
	while (!(inb(PORT_B) & 0x20)) {
		if (++spins > 50000000UL)
			return 0;
	}
	t1 = rdtsc();
	return (t1 - t0) * PIT_HZ / count;
}

static uint64_t tsc_calibrate(void)
{
	uint64_t hz[CAL_RUNS], t;

	for (int i = 0; i < CAL_RUNS; i++) {
		hz[i] = tsc_measure_once();
		for (int j = i; j > 0 && hz[j - 1] > hz[j]; j--) {
			t = hz[j];
			hz[j] = hz[j - 1];
			hz[j - 1] = t;
		}
	}
	return hz[CAL_RUNS / 2];
}

void timer_init(void)
{
	uint64_t flags = irq_save();
	uint64_t hz = 0;

	outb(PIT_CMD, PIT_CH0_RATE);
	outb(PIT_CH0, PIT_DIVISOR & 0xFF);
	outb(PIT_CH0, PIT_DIVISOR >> 8);

	if (cpu_features.tsc)
		hz = tsc_calibrate();
	/* Outside 10 MHz..100 GHz the measurement is broken, not the CPU. */
	if (hz >= 10000000UL && hz <= 100000000000UL) {
		tsc_hz = hz;
		tsc_mult = (NSEC_PER_SEC << 32) / hz;
		tsc_base = rdtsc();
	}
	if (irq_register(0, timer_irq) < 0)
		panic("timer: IRQ 0 is taken");
	irq_restore(flags);

	if (tsc_mult)
		pr_info("timer: PIT at %d Hz, TSC %lu.%03lu MHz%s\n", TIMER_HZ,
			(unsigned long)(tsc_hz / 1000000), (unsigned long)(tsc_hz / 1000 % 1000),
			cpu_features.invariant_tsc ? " (invariant)" : "");
	else
		pr_info("timer: PIT at %d Hz, no usable TSC: clock in whole ticks%s\n",
			TIMER_HZ, cpu_features.tsc ? " (calibration failed)" : "");
}

/* ---- self-tests ---------------------------------------------------- */

SELFTEST(timer_ticks_advance)
{
	uint64_t t0 = timer_ticks();

	timer_sleep_ms(40);	/* 10 ticks */
	ST_ASSERT(timer_ticks() >= t0 + 5);
	return 0;
}

SELFTEST(timer_sleep_50ms)
{
	uint64_t t0 = clock_monotonic_ns(), dt;

	timer_sleep_ms(50);
	dt = clock_monotonic_ns() - t0;
	printk("  slept %lu us for 50 ms\n", (unsigned long)(dt / 1000));
	ST_ASSERT(dt >= 45000000 && dt <= 200000000);
	return 0;
}

SELFTEST(clock_monotonic)
{
	uint64_t prev = clock_monotonic_ns(), now;

	for (int i = 0; i < 100000; i++) {
		now = clock_monotonic_ns();
		ST_ASSERT(now >= prev);
		prev = now;
	}
	return 0;
}

/* With a TSC the clock moves between two ticks, not only at them. */
SELFTEST(clock_sub_tick_resolution)
{
	uint64_t tick, t0, t1;

	if (!tsc_mult)
		return 0;
	for (int tries = 0; tries < 100; tries++) {
		tick = timer_ticks();
		t0 = clock_monotonic_ns();
		for (volatile int i = 0; i < 1000; i++)
			;
		t1 = clock_monotonic_ns();
		if (timer_ticks() == tick) {
			ST_ASSERT(t1 > t0);
			return 0;
		}
	}
	ST_ASSERT(!"a tick came between every pair of reads");
	return 0;
}
