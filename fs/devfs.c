/* devfs: a tmpfs mounted at /dev holding the device nodes, and the simple
 * character devices behind them: null, zero, full, random/urandom and the
 * console (tty is the console for now). The console's ops are registered
 * like any device's, so the tty layer can replace them. */
#include <vfs.h>
#include <random.h>
#include <console.h>
#include <tty.h>
#include <cpu.h>
#include <io.h>
#include <kmalloc.h>
#include <printk.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

#define DEVFS_MAX_BYTES	(1024 * 1024)	/* device nodes and a few files */
#define CHUNK		256		/* bounce buffer on the stack */

static long null_read(struct file *f, const struct iobuf *b, uint64_t *pos)
{
	(void)f; (void)b; (void)pos;
	return 0;
}

static long null_write(struct file *f, const struct iobuf *b, uint64_t *pos)
{
	(void)f; (void)pos;
	return (long)b->len;
}

/* Seeking on the memory-like devices succeeds and means nothing. */
static long zero_llseek(struct file *f, int64_t off, int whence)
{
	(void)off; (void)whence;
	f->pos = 0;
	return 0;
}

static long zero_read(struct file *f, const struct iobuf *b, uint64_t *pos)
{
	(void)f; (void)pos;
	return iobuf_clear(b, 0, b->len) ? -EFAULT : (long)b->len;
}

static long full_write(struct file *f, const struct iobuf *b, uint64_t *pos)
{
	(void)f; (void)b; (void)pos;
	return -ENOSPC;
}

/*
 * random/urandom: xoshiro256** seeded from RDRAND when the CPU has it,
 * else from TSC jitter, with the TSC stirred in on every read. This is
 * NOT a cryptographic generator: good enough for ASLR-free test programs
 * and mktemp names, not for keys.
 */
static uint64_t rng_s[4];

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(void)
{
	uint64_t r = rotl(rng_s[1] * 5, 7) * 9, t = rng_s[1] << 17;

	rng_s[2] ^= rng_s[0];
	rng_s[3] ^= rng_s[1];
	rng_s[1] ^= rng_s[2];
	rng_s[0] ^= rng_s[3];
	rng_s[2] ^= t;
	rng_s[3] = rotl(rng_s[3], 45);
	return r;
}

static uint64_t rdtsc_now(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t seed_word(void)
{
	uint64_t v = 0;

	if (cpu_features.rdrand) {
		for (int tries = 0; tries < 10; tries++) {
			uint8_t ok;

			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
			if (ok)
				return v;
		}
	}
	/* TSC jitter: the low bits of back-to-back reads around a little work. */
	for (int i = 0; i < 64; i++) {
		uint64_t a = rdtsc_now();
		for (volatile int j = 0; j < 50; j++)
			;
		v = rotl(v, 5) ^ (rdtsc_now() - a);
	}
	return v;
}

static void rng_seed(void)
{
	for (int i = 0; i < 4; i++)
		rng_s[i] = seed_word() ^ (0x9E3779B97F4A7C15ull * (i + 1));
}

static long random_read(struct file *f, const struct iobuf *b, uint64_t *pos)
{
	uint64_t tmp[CHUNK / 8];
	size_t done = 0;

	(void)f; (void)pos;
	uint64_t fl = irq_save();
	rng_s[0] ^= rdtsc_now();
	irq_restore(fl);
	while (done < b->len) {
		size_t n = b->len - done < CHUNK ? b->len - done : CHUNK;

		fl = irq_save();
		for (size_t i = 0; i < (n + 7) / 8; i++)
			tmp[i] = rng_next();
		irq_restore(fl);
		if (iobuf_copy_to(b, done, tmp, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

/* getrandom(2) draws from the same generator (random.h). */
long random_fill(const struct iobuf *b)
{
	return random_read(NULL, b, NULL);
}

/* The console: writes go to every kernel console; reads see end of file
 * until the tty layer (line discipline, keyboard, COM1 input) replaces
 * these ops. */
static long console_dev_write(struct file *f, const struct iobuf *b, uint64_t *pos)
{
	char tmp[CHUNK];
	size_t done = 0;

	(void)f; (void)pos;
	while (done < b->len) {
		size_t n = b->len - done < CHUNK ? b->len - done : CHUNK;

		if (iobuf_copy_from(tmp, b, done, n))
			return done ? (long)done : -EFAULT;
		console_write(tmp, n);
		done += n;
	}
	return (long)done;
}

static const struct file_ops null_fops = {
	.read = null_read, .write = null_write, .llseek = zero_llseek,
};
static const struct file_ops zero_fops = {
	.read = zero_read, .write = null_write, .llseek = zero_llseek,
};
static const struct file_ops full_fops = {
	.read = zero_read, .write = full_write, .llseek = zero_llseek,
};
static const struct file_ops random_fops = {
	.read = random_read, .write = null_write, .llseek = zero_llseek,
};
static const struct file_ops console_fops = {
	.read = null_read, .write = console_dev_write, .llseek = vfs_no_llseek,
};

static const struct {
	const char *name;
	uint32_t major, minor;
	uint32_t mode;
	const struct file_ops *ops;
} devices[] = {
	{ "null",    1, 3, 0666, &null_fops },
	{ "zero",    1, 5, 0666, &zero_fops },
	{ "full",    1, 7, 0666, &full_fops },
	{ "random",  1, 8, 0666, &random_fops },
	{ "urandom", 1, 9, 0666, &random_fops },
	{ "tty",     5, 0, 0666, &console_fops },
	{ "console", 5, 1, 0600, &console_fops },
};

void devfs_init(void)
{
	rng_seed();
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (chrdev_register(MKDEV(devices[i].major, devices[i].minor), devices[i].ops))
			pr_err("devfs: no room to register %s\n", devices[i].name);
	tty_init();	/* takes console and tty over, starts keyboard/COM1 input */
}

/* The nodes are made straight through the root's ops: the superblock is
 * not mounted yet, so there is no path to walk. */
int devfs_create(struct super_block **out)
{
	struct super_block *sb;
	struct inode *root, *node;
	int err;

	err = tmpfs_create(DEVFS_MAX_BYTES, 0755, &sb);
	if (err)
		return err;
	root = sb->root;
	vfs_lock();
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		err = root->ops->create(root, devices[i].name, strlen(devices[i].name),
					S_IFCHR | devices[i].mode,
					MKDEV(devices[i].major, devices[i].minor), &node);
		if (err)
			break;
		node->uid = node->gid = 0;
		inode_put_locked(node);
	}
	if (!err) {
		err = root->ops->mkdir(root, "shm", 3, 01777, &node);
		if (!err) {
			node->uid = node->gid = 0;
			inode_put_locked(node);
		}
	}
	vfs_unlock();
	if (err)
		return err;	/* a half-made devfs stays unmounted and leaks */
	*out = sb;
	return 0;
}
