/* The console tty: /dev/console and /dev/tty over one line discipline
 * (fs/ldisc.c). Input comes from the keyboard and COM1 interrupt handlers
 * through tty_receive; output goes through OPOST to every kernel console.
 * Here live the waiting (VMIN/VTIME, O_NONBLOCK, signals), the ioctls and
 * the job-control rules.
 *
 * Controlling terminal, minimally: the tty records the session it belongs
 * to (session, 0 for none) and its foreground group (pgrp); a process's
 * controlling terminal is the console iff its sid is the console's
 * session. The console starts as session 1's (kmain, which becomes init,
 * so init's fds 0/1/2 need nothing more). A session leader opening the
 * console without O_NOCTTY, or asking with TIOCSCTTY, takes it over when
 * the console has no session or its session has no process left. setsid
 * loses it implicitly (a new sid). /dev/tty is the caller's controlling
 * terminal, or ENXIO. There is no hangup on the leader's exit.
 *
 * Locking: one CPU; the line discipline, the ring and session/pgrp are
 * changed with interrupts off, since the input path runs in interrupt
 * context. Console writes also run with interrupts off, so echo from an
 * interrupt never lands in the middle of another write's escape sequence. */
#include <tty.h>
#include <vfs.h>
#include <console.h>
#include <proc.h>
#include <sched.h>
#include <signal.h>
#include <timer.h>
#include <uaccess.h>
#include <printk.h>
#include <selftest.h>
#include <string.h>
#include <io.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/poll.h>

#define RING_SIZE	256	/* bytes between an interrupt and the ldisc */
#define CHUNK		128	/* bytes per bounce buffer */

struct tty {
	struct ldisc ld;		/* [irq] */
	char ring[RING_SIZE];		/* [irq] raw input, [rtail, rhead) */
	unsigned rhead, rtail;		/* [irq] free-running */
	struct waitq readq;		/* readers and pollers: input changed */
	int session;			/* [irq] owning sid, 0: none */
	int pgrp;			/* [irq] foreground process group */
	struct winsize ws;		/* [irq] */
};

static struct tty console_tty;

static void tty_echo(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	console_write(s, n);		/* interrupts are off: see the header */
}

/* ---- signals to a process group ---------------------------------------- */

struct pgrp_signal {
	int pgid, sig;
};

/* pid 1 is spared signals it has no handler for, as kill(2) spares it. */
static int pgrp_signal_one(struct proc *p, void *arg)
{
	const struct pgrp_signal *ps = arg;

	if (p->pid == 0 || p->pgid != ps->pgid || !p->signal ||
	    p->state == PROC_ZOMBIE || p->state == PROC_DEAD)
		return 0;
	if (p->pid == 1 && p->signal->action[ps->sig - 1].sa_handler == SIG_DFL)
		return 0;
	signal_send(p, ps->sig, NULL);
	return 0;
}

/* Send sig to every process in group pgid. Interrupts off or on. */
static void tty_signal_pgrp(int pgid, int sig)
{
	struct pgrp_signal ps = { pgid, sig };
	uint64_t fl;

	if (pgid <= 0)
		return;
	fl = irq_save();
	proc_for_each(pgrp_signal_one, &ps);
	irq_restore(fl);
}

struct pgrp_find {
	int pgid, sid;
	bool any, in_session;
};

static int pgrp_find_one(struct proc *p, void *arg)
{
	struct pgrp_find *q = arg;

	if (p->pid == 0 || p->state == PROC_ZOMBIE || p->state == PROC_DEAD)
		return 0;
	if (q->pgid && p->pgid != q->pgid)
		return 0;
	if (q->pgid)
		q->any = true;
	if (p->sid == q->sid)
		q->in_session = true;
	return 0;
}

/* Whether a live process is in group pgid (0: any group) of session sid;
 * *any (may be NULL) says whether the group exists in any session. */
static bool pgrp_in_session(int pgid, int sid, bool *any)
{
	struct pgrp_find q = { pgid, sid, false, false };
	uint64_t fl = irq_save();

	proc_for_each(pgrp_find_one, &q);
	irq_restore(fl);
	if (any)
		*any = q.any;
	return q.in_session;
}

/* ---- input ------------------------------------------------------------- */

/* Run the ring through the line discipline. Interrupts off. */
static void tty_drain(struct tty *t)
{
	bool any = t->rtail != t->rhead;

	while (t->rtail != t->rhead) {
		unsigned char c = (unsigned char)t->ring[t->rtail++ % RING_SIZE];
		int sig = ldisc_input(&t->ld, c);

		if (sig)
			tty_signal_pgrp(t->pgrp, sig);
	}
	if (any)
		wake_up_all(&t->readq);
}

void tty_receive(const char *s, size_t n)
{
	struct tty *t = &console_tty;
	uint64_t fl = irq_save();

	for (size_t i = 0; i < n; i++) {
		if (t->rhead - t->rtail == RING_SIZE)
			break;			/* overrun: the rest is lost */
		t->ring[t->rhead++ % RING_SIZE] = s[i];
	}
	tty_drain(t);
	irq_restore(fl);
}

/* ---- job control ------------------------------------------------------- */

static bool is_ctty(const struct tty *t)
{
	return t->session && current->sid == t->session;
}

/*
 * A read from a background group of the terminal's session: SIGTTIN to
 * the group and -EINTR, or -EIO when the reader ignores or blocks
 * SIGTTIN. Orphaned groups are not detected (they get SIGTTIN too).
 */
static int tty_check_read(struct tty *t)
{
	struct proc *p = current;
	struct signal_state *s = p->signal;

	if (!is_ctty(t) || !t->pgrp || p->pgid == t->pgrp || (p->flags & PF_KTHREAD))
		return 0;
	if (!s || s->action[SIGTTIN - 1].sa_handler == SIG_IGN ||
	    (s->blocked & sigmask(SIGTTIN)))
		return -EIO;
	tty_signal_pgrp(p->pgid, SIGTTIN);
	return -EINTR;
}

/* ---- read ------------------------------------------------------------- */

static bool tty_has_input(struct tty *t)
{
	return t->ld.committed > 0;
}

/* Sleep until input is there or deadline (monotonic ns) passes: 0, or
 * -EINTR. */
static int tty_wait_until(struct tty *t, uint64_t deadline)
{
	struct wait_entry w;
	uint64_t fl = irq_save();
	int err = 0;

	while (!tty_has_input(t) && clock_monotonic_ns() < deadline) {
		if (sched_signal_pending()) {
			err = -EINTR;
			break;
		}
		waitq_prepare(&t->readq, &w);
		schedule_deadline(deadline);
		waitq_finish(&w);
	}
	irq_restore(fl);
	return err;
}

/*
 * Canonical: one line (or what fits of it). Non-canonical: what
 * ldisc_raw_next decides from VMIN and VTIME. The bytes go through a
 * bounce buffer, since the ldisc is only touched with interrupts off.
 */
static long tty_do_read(struct tty *t, const struct iobuf *b, bool nonblock)
{
	uint64_t start = clock_monotonic_ns(), last = start;
	size_t copied = 0;
	char tmp[CHUNK];

	for (;;) {
		struct termios tio;
		enum ld_next next = LD_WAIT;
		bool canon, ready, eol = false;
		size_t n = 0, want = b->len - copied;
		uint64_t fl;
		int err;

		fl = irq_save();
		tio = t->ld.tio;
		canon = tio.c_lflag & ICANON;
		ready = tty_has_input(t);
		if (ready)
			n = ldisc_read(&t->ld, tmp, want < CHUNK ? want : CHUNK, &eol);
		irq_restore(fl);
		if (n && iobuf_copy_to(b, copied, tmp, n))
			return copied ? (long)copied : -EFAULT;
		copied += n;
		if (n)
			last = clock_monotonic_ns();
		if (canon && ready) {
			if (eol || copied == b->len)
				return (long)copied;
			continue;		/* the rest of this line */
		}
		if (!canon) {
			uint64_t from = tio.c_cc[VMIN] ? last : start;
			uint64_t deadline = from + tio.c_cc[VTIME] * 100000000ull;

			next = ldisc_raw_next(&tio, copied, b->len,
					      clock_monotonic_ns() >= deadline);
			if (next == LD_RETURN)
				return (long)copied;
			if (n)
				continue;	/* take what else is there first */
			if (nonblock)
				return copied ? (long)copied : -EAGAIN;
			if (next == LD_WAIT_TIMED) {
				err = tty_wait_until(t, deadline);
				if (err)
					return copied ? (long)copied : err;
				continue;
			}
		}
		if (nonblock)
			return copied ? (long)copied : -EAGAIN;
		err = wait_event_interruptible(&t->readq, tty_has_input(t));
		if (err)
			return copied ? (long)copied : err;
	}
}

static long tty_read(struct file *f, const struct iobuf *b, uint64_t *pos)
{
	struct tty *t = f->private;
	int err;

	(void)pos;
	if (!b->len)
		return 0;
	err = tty_check_read(t);
	if (err)
		return err;
	return tty_do_read(t, b, f->flags & O_NONBLOCK);
}

/* ---- write ------------------------------------------------------------ */

static long tty_write(struct file *f, const struct iobuf *b, uint64_t *pos)
{
	struct tty *t = f->private;
	char in[CHUNK], out[2 * CHUNK];
	size_t done = 0;

	(void)pos;
	while (done < b->len) {
		size_t n = b->len - done < CHUNK ? b->len - done : CHUNK, used, k;
		uint64_t fl;

		if (iobuf_copy_from(in, b, done, n))
			return done ? (long)done : -EFAULT;
		fl = irq_save();
		k = ldisc_output(&t->ld.tio, in, n, out, sizeof(out), &used);
		console_write(out, k);
		irq_restore(fl);
		done += used;
	}
	return (long)done;
}

/* ---- attributes and ioctls --------------------------------------------- */

/* TCSETS and friends; flush: TCSETSF. Readers re-check (a mode change
 * can make input readable). */
static void tty_set_termios(struct tty *t, const struct termios *tio, bool flush)
{
	uint64_t fl = irq_save();

	if (flush)
		ldisc_flush(&t->ld);
	ldisc_set_termios(&t->ld, tio);
	irq_restore(fl);
	wake_up_all(&t->readq);
}

static long put_int(uint64_t arg, int v)
{
	return copy_to_user(arg, &v, sizeof(v));
}

static long tty_set_pgrp(struct tty *t, uint64_t arg)
{
	bool exists;
	int pgrp;

	if (!is_ctty(t))
		return -ENOTTY;
	if (copy_from_user(&pgrp, arg, sizeof(pgrp)))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (!pgrp_in_session(pgrp, current->sid, &exists))
		return exists ? -EPERM : -ESRCH;
	t->pgrp = pgrp;
	return 0;
}

/* Make the console current's controlling terminal if current leads its
 * session and the console is free (no session, or a session that has no
 * process left); force (TIOCSCTTY 1 by root) takes it anyway. */
static int tty_acquire(struct tty *t, bool force)
{
	struct proc *p = current;
	uint64_t fl;

	if (is_ctty(t))
		return 0;
	if (p->pid != p->sid)
		return -EPERM;
	if (t->session && !force && pgrp_in_session(0, t->session, NULL))
		return -EPERM;
	fl = irq_save();
	t->session = p->sid;
	t->pgrp = p->pgid;
	irq_restore(fl);
	return 0;
}

static long tty_winsize(struct tty *t, unsigned cmd, uint64_t arg)
{
	struct winsize ws;

	if (cmd == TIOCGWINSZ)
		return copy_to_user(arg, &t->ws, sizeof(ws));
	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	if (memcmp(&ws, &t->ws, sizeof(ws))) {
		t->ws = ws;
		tty_signal_pgrp(t->pgrp, SIGWINCH);
	}
	return 0;
}

static long tty_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct tty *t = f->private;
	struct termios tio;
	uint64_t fl;
	size_t n;

	switch (cmd) {
	case TCGETS:
		fl = irq_save();
		tio = t->ld.tio;
		irq_restore(fl);
		return copy_to_user(arg, &tio, sizeof(tio));
	case TCSETS:
	case TCSETSW:		/* output is written synchronously: nothing to drain */
	case TCSETSF:
		if (copy_from_user(&tio, arg, sizeof(tio)))
			return -EFAULT;
		tty_set_termios(t, &tio, cmd == TCSETSF);
		return 0;
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return tty_winsize(t, cmd, arg);
	case TIOCGPGRP:
		return is_ctty(t) ? put_int(arg, t->pgrp) : -ENOTTY;
	case TIOCSPGRP:
		return tty_set_pgrp(t, arg);
	case TIOCGSID:
		return is_ctty(t) ? put_int(arg, t->session) : -ENOTTY;
	case TIOCSCTTY:
		return tty_acquire(t, arg == 1 && current->cred.euid == 0);
	case TIOCNOTTY:
		if (!is_ctty(t))
			return -ENOTTY;
		if (current->pid == current->sid) {
			fl = irq_save();
			t->session = t->pgrp = 0;
			irq_restore(fl);
		}
		return 0;
	case FIONREAD:
		fl = irq_save();
		n = ldisc_avail(&t->ld);
		irq_restore(fl);
		return put_int(arg, (int)n);
	case TIOCOUTQ:
		return put_int(arg, 0);
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH) {
			fl = irq_save();
			ldisc_flush(&t->ld);
			irq_restore(fl);
		}
		return 0;
	case TCXONC:		/* no output queue to stop; accepted */
		return arg <= TCION ? 0 : -EINVAL;
	case TCSBRK:
		return 0;
	}
	return -ENOTTY;
}

static unsigned tty_poll(struct file *f)
{
	struct tty *t = f->private;
	uint64_t fl = irq_save();
	bool readable = ldisc_readable(&t->ld);

	irq_restore(fl);
	return POLLOUT | POLLWRNORM | (readable ? POLLIN | POLLRDNORM : 0);
}

static struct waitq *tty_poll_wait(struct file *f)
{
	struct tty *t = f->private;

	return &t->readq;
}

/* ---- open ------------------------------------------------------------- */

static int console_open(struct inode *inode, struct file *f)
{
	(void)inode;
	f->private = &console_tty;
	if (!(f->flags & O_NOCTTY))
		tty_acquire(&console_tty, false);	/* only if free */
	return 0;
}

/* /dev/tty: the caller's controlling terminal. */
static int devtty_open(struct inode *inode, struct file *f)
{
	(void)inode;
	if (!is_ctty(&console_tty))
		return -ENXIO;
	f->private = &console_tty;
	return 0;
}

#define TTY_FOPS(openfn) {						\
	.open = openfn, .read = tty_read, .write = tty_write,		\
	.llseek = vfs_no_llseek, .ioctl = tty_ioctl, .poll = tty_poll,	\
	.poll_wait = tty_poll_wait,					\
}

static const struct file_ops console_fops = TTY_FOPS(console_open);
static const struct file_ops devtty_fops = TTY_FOPS(devtty_open);

void tty_init(void)
{
	struct tty *t = &console_tty;
	int rows = 24, cols = 80, err;

	ldisc_init(&t->ld, tty_echo, t);
	waitq_init(&t->readq);
	screen_console_size(&rows, &cols);	/* unchanged without a screen */
	t->ws.ws_row = (unsigned short)rows;
	t->ws.ws_col = (unsigned short)cols;
	t->session = t->pgrp = 1;		/* the boot session: kmain/init */
	if (chrdev_register(MKDEV(5, 1), &console_fops) ||
	    chrdev_register(MKDEV(5, 0), &devtty_fops))
		pr_err("tty: cannot register the console\n");
	err = keyboard_init();
	if (err)
		pr_info("tty: no PS/2 keyboard (error %d)\n", err);
	err = serial_input_init();
	if (err)
		pr_info("tty: no COM1 input (error %d)\n", err);
}

/* ---- self-tests: bytes injected as if typed, read through the file ---- */

struct tty_test {
	struct file *f;
	struct termios saved;
};

/* Open the console, quiet (no echo into the test log) and empty. */
static int tty_test_begin(struct tty_test *tt)
{
	struct path root = vfs_root();
	struct termios tio;

	if (vfs_open(&root, "/dev/console", O_RDWR, 0, &tt->f))
		return -1;
	tt->saved = console_tty.ld.tio;
	ldisc_default_termios(&tio);
	tio.c_lflag &= ~ECHO;
	tty_set_termios(&console_tty, &tio, true);
	return 0;
}

static void tty_test_end(struct tty_test *tt)
{
	tty_set_termios(&console_tty, &tt->saved, true);
	file_put(tt->f);
}

static void tty_test_raw(cc_t min, cc_t time)
{
	struct termios tio = console_tty.ld.tio;

	tio.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	tio.c_iflag &= ~(ICRNL | IXON);
	tio.c_cc[VMIN] = min;
	tio.c_cc[VTIME] = time;
	tty_set_termios(&console_tty, &tio, false);
}

static long tty_test_read(struct file *f, char *buf, size_t n)
{
	struct iobuf b = iobuf_kernel(buf, n);
	long r = vfs_read(f, &b);

	if (r >= 0 && (size_t)r < n)
		buf[r] = 0;
	return r;
}

#define TYPE(s) tty_receive(s, sizeof(s) - 1)

SELFTEST(tty_canonical_editing)
{
	struct tty_test tt;
	char buf[64];

	ST_ASSERT(tty_test_begin(&tt) == 0);
	TYPE("abx\x7f" "c\r");
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 4 && !strcmp(buf, "abc\n"));
	TYPE("junk\x15ok\n");
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 3 && !strcmp(buf, "ok\n"));
	TYPE("a bc \x17" "d\n");
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 4 && !strcmp(buf, "a d\n"));
	TYPE("ab\x04");
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 2 && !strcmp(buf, "ab"));
	TYPE("\x04");
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 0);
	/* O_NONBLOCK with only a partial line */
	TYPE("part");
	tt.f->flags |= O_NONBLOCK;
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == -EAGAIN);
	tt.f->flags &= ~O_NONBLOCK;
	tty_test_end(&tt);
	return 0;
}

SELFTEST(tty_raw_and_vmin_vtime)
{
	struct tty_test tt;
	char buf[64];
	uint64_t t0;

	ST_ASSERT(tty_test_begin(&tt) == 0);
	TYPE("hal");
	tty_test_raw(1, 0);		/* the edited line becomes readable */
	TYPE("\x03\x7f");		/* no ISIG, no editing */
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 5 &&
		  !memcmp(buf, "hal\x03\x7f", 5));
	tty_test_raw(0, 0);		/* polling read: nothing there */
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 0);
	TYPE("xy");
	ST_ASSERT(tty_test_read(tt.f, buf, 1) == 1 && buf[0] == 'x');
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 1 && buf[0] == 'y');
	tty_test_raw(0, 1);		/* 0.1 s timeout */
	t0 = clock_monotonic_ns();
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 0);
	ST_ASSERT(clock_monotonic_ns() - t0 >= 90000000ull);
	tty_test_raw(2, 0);		/* O_NONBLOCK with less than VMIN */
	tt.f->flags |= O_NONBLOCK;
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == -EAGAIN);
	TYPE("z");
	ST_ASSERT(tty_test_read(tt.f, buf, sizeof(buf)) == 1);
	tt.f->flags &= ~O_NONBLOCK;
	tty_test_end(&tt);
	return 0;
}

/* The foreground group's reader: blocks in read until ^C interrupts it.
 * Exit code 0: -EINTR with SIGINT pending. */
static int tty_test_reader(void *arg)
{
	char buf[16];
	long r = tty_test_read(arg, buf, sizeof(buf));
	bool sigint = current->signal && (current->signal->pending & sigmask(SIGINT));

	return r == -EINTR && sigint ? 0 : 1;
}

SELFTEST(tty_ctrl_c_signals_foreground_group)
{
	struct tty_test tt;
	struct proc *p;
	int status = -1, pid, old_pgrp = console_tty.pgrp;

	ST_ASSERT(tty_test_begin(&tt) == 0);
	ST_ASSERT(proc_new(&p, "ttyreader", tty_test_reader, tt.f) == 0);
	p->pgid = pid = p->pid;		/* its own group, made foreground */
	console_tty.pgrp = pid;
	sched_start(p);
	for (int i = 0; i < 100 && p->state != PROC_SLEEPING; i++)
		sched_yield();
	TYPE("typed\x03");
	ST_ASSERT(proc_wait(pid, &status) == pid);
	console_tty.pgrp = old_pgrp;
	ST_ASSERT(status == 0);
	ST_ASSERT(console_tty.ld.len == 0);	/* ^C flushed the input */
	tty_test_end(&tt);
	return 0;
}

/* COM1 in loopback mode: a byte written comes back as received data,
 * through IRQ 4 and serial_irq into the tty (QEMU raises the interrupt
 * in loopback; a real 16550 may not, so no byte is not a failure there). */
SELFTEST(tty_serial_irq_input)
{
	enum { COM1 = 0x3F8, MCR = 4, LSR = 5, MCR_LOOP = 0x10 };
	struct tty_test tt;
	char buf[8];
	uint64_t fl, until;
	uint8_t mcr;

	if (inb(COM1 + LSR) == 0xFF)
		return 0;		/* no UART */
	ST_ASSERT(tty_test_begin(&tt) == 0);
	tty_test_raw(1, 0);
	fl = irq_save();
	mcr = inb(COM1 + MCR);
	while (!(inb(COM1 + LSR) & 0x40))
		;			/* transmitter idle: no console bytes looped */
	outb(COM1 + MCR, mcr | MCR_LOOP);
	outb(COM1, 'q');
	irq_restore(fl);
	until = clock_monotonic_ns() + 50000000ull;
	while (!tty_has_input(&console_tty) && clock_monotonic_ns() < until)
		sched_yield();
	outb(COM1 + MCR, mcr);
	tt.f->flags |= O_NONBLOCK;
	long r = tty_test_read(tt.f, buf, sizeof(buf));
	tt.f->flags &= ~O_NONBLOCK;
	tty_test_end(&tt);
	if (r == -EAGAIN) {
		printk("  tty_serial_irq_input: no loopback interrupt (not QEMU?)\n");
		return 0;
	}
	ST_ASSERT(r == 1 && buf[0] == 'q');
	return 0;
}
