/* Small process-wide calls with nowhere better to live: times, sysinfo,
 * the CPU-affinity pair and getcpu (one CPU), getrandom (devfs's
 * generator, random.h) and reboot (power.h), each with Linux's numbers
 * and errno values. */
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>
#include <timer.h>
#include <page.h>
#include <power.h>
#include <random.h>
#include <vfs.h>
#include <io.h>
#include <string.h>
#include <uapi/errno.h>

#define USER_HZ		100	/* clock_t units of times(2), as on Linux */

struct tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

static long ticks_to_clock_t(uint64_t ticks)
{
	return (long)(ticks * USER_HZ / TIMER_HZ);
}

/* times(buf): the CPU time of the caller and of its reaped children, and
 * the clock ticks since boot as the result (buf may be NULL). */
SYSCALL_DEFINE(times)
{
	struct proc *p = current;
	uint64_t flags = irq_save();
	struct tms t = {
		ticks_to_clock_t(p->utime), ticks_to_clock_t(p->stime),
		ticks_to_clock_t(p->cutime), ticks_to_clock_t(p->cstime),
	};

	irq_restore(flags);
	if (a0 && copy_to_user(a0, &t, sizeof(t)))
		return -EFAULT;
	return ticks_to_clock_t(timer_ticks());
}

/* struct sysinfo of x86-64: 112 bytes. */
struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char reserved[4];
};
_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo");

static int count_proc(struct proc *p, void *arg)
{
	(void)p;
	(*(unsigned *)arg)++;
	return 0;
}

/* No load average is kept: loads are 0. Memory in pages, mem_unit 4096. */
SYSCALL_DEFINE(sysinfo)
{
	struct sysinfo si;
	unsigned procs = 0;

	memset(&si, 0, sizeof(si));
	proc_for_each(count_proc, &procs);
	si.uptime = (long)(clock_monotonic_ns() / 1000000000ull);
	si.totalram = page_total_count();
	si.freeram = page_free_count();
	si.procs = procs > 0xFFFF ? 0xFFFF : procs;
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(a0, &si, sizeof(si));
}

/* ---- one CPU ------------------------------------------------------------ */

/* The target of an affinity call: pid 0 or an existing process. */
static int affinity_target(int pid)
{
	uint64_t flags;
	bool found;

	if (pid == 0)
		return 0;
	if (pid < 0)
		return -ESRCH;
	flags = irq_save();
	found = proc_find(pid) != NULL;
	irq_restore(flags);
	return found ? 0 : -ESRCH;
}

/* sched_getaffinity(pid, len, mask): the mask with CPU 0 only. Like
 * Linux, len must hold a whole number of longs covering every CPU; the
 * result is the bytes written (musl zeroes the rest). */
SYSCALL_DEFINE(sched_getaffinity)
{
	uint64_t mask = 1;
	size_t len = a1;
	int err;

	if (len < sizeof(mask) || (len & (sizeof(long) - 1)))
		return -EINVAL;
	err = affinity_target((int)a0);
	if (err)
		return err;
	if (copy_to_user(a2, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/* sched_setaffinity: accepted when the mask includes CPU 0, the only one
 * there is; -EINVAL otherwise. */
SYSCALL_DEFINE(sched_setaffinity)
{
	uint8_t first = 0;
	int err;

	if (a1 && copy_from_user(&first, a2, 1))
		return -EFAULT;
	err = affinity_target((int)a0);
	if (err)
		return err;
	return (first & 1) ? 0 : -EINVAL;
}

SYSCALL_DEFINE(getcpu)
{
	unsigned zero = 0;

	if (a0 && copy_to_user(a0, &zero, sizeof(zero)))
		return -EFAULT;
	if (a1 && copy_to_user(a1, &zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}

/* ---- getrandom ------------------------------------------------------------ */

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004
#define GETRANDOM_MAX	0x1FFFFFF	/* Linux's per-call cap (32 MiB - 1) */

/* The generator is seeded before user mode starts, so nothing blocks
 * and the flags only need validating. */
SYSCALL_DEFINE(getrandom)
{
	unsigned flags = (unsigned)a2;
	size_t len = a1 > GETRANDOM_MAX ? GETRANDOM_MAX : a1;
	struct iobuf b = iobuf_user(a0, len);

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (!len)
		return 0;
	return random_fill(&b);
}

/* ---- reboot --------------------------------------------------------------- */

#define REBOOT_MAGIC1		0xfee1dead
#define REBOOT_MAGIC2		672274793
#define REBOOT_MAGIC2A		85072278
#define REBOOT_MAGIC2B		369367448
#define REBOOT_MAGIC2C		537993216
#define REBOOT_CMD_RESTART	0x01234567
#define REBOOT_CMD_HALT		0xCDEF0123
#define REBOOT_CMD_CAD_ON	0x89ABCDEF
#define REBOOT_CMD_CAD_OFF	0x00000000
#define REBOOT_CMD_POWER_OFF	0x4321FEDC
#define REBOOT_CMD_RESTART2	0xA1B2C3D4

/* Whether Ctrl-Alt-Del reboots at once (on) or signals init (off); kept
 * for the keyboard driver to consult. */
static bool reboot_cad_on = true;

/* reboot(magic1, magic2, cmd, arg): root only (checked first, as Linux
 * does), then the magic numbers. HALT powers off: a halted machine that
 * still draws power helps nobody here. */
SYSCALL_DEFINE(reboot)
{
	uint32_t m1 = (uint32_t)a0, m2 = (uint32_t)a1, cmd = (uint32_t)a2;

	if (current->cred.euid != 0)
		return -EPERM;
	if (m1 != REBOOT_MAGIC1 || (m2 != REBOOT_MAGIC2 && m2 != REBOOT_MAGIC2A &&
	    m2 != REBOOT_MAGIC2B && m2 != REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case REBOOT_CMD_RESTART:
	case REBOOT_CMD_RESTART2:
		power_reboot();
	case REBOOT_CMD_HALT:
	case REBOOT_CMD_POWER_OFF:
		power_off();
	case REBOOT_CMD_CAD_ON:
		reboot_cad_on = true;
		return 0;
	case REBOOT_CMD_CAD_OFF:
		reboot_cad_on = false;
		return 0;
	default:
		return -EINVAL;
	}
}
