/* Power off and reset (kernel/power.c): QEMU's isa-debug-exit under the
 * test harness, ACPI S5 and reset register, keyboard-controller reset,
 * and a clean halt as the last resort. */
#ifndef POWER_H
#define POWER_H
#include <compiler.h>

#define POWER_EXIT_SUCCESS 0	/* QEMU exits with status 1 */
#define POWER_EXIT_FAILURE 1	/* QEMU exits with status 3 */

__noreturn void power_off(void);
__noreturn void power_reboot(void);

/* Under the test harness ("test" on the command line): end the machine
 * with a status the host can read, then power off. Otherwise returns. */
void power_test_exit(int code);

#endif
