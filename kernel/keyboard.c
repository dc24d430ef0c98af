/* The PS/2 keyboard on IRQ 1: scancode set 1 (as the 8042 translates it)
 * into the bytes a US-layout terminal sends, fed to the console tty.
 * Key releases matter only for the modifiers; the cursor and editing
 * keys send the VT100/xterm escape sequences shells expect. */
#include <tty.h>
#include <io.h>
#include <trap.h>
#include <printk.h>
#include <selftest.h>
#include <string.h>
#include <uapi/errno.h>

#define KBD_DATA	0x60
#define KBD_STATUS	0x64	/* read: status; write: command */
#define ST_OUT_FULL	0x01
#define ST_IN_FULL	0x02
#define CMD_READ_CONFIG	0x20
#define CMD_WRITE_CONFIG 0x60
#define CFG_IRQ1	0x01
#define CFG_TRANSLATE	0x40

/* Unshifted and shifted characters for codes 0x00..0x39 (0: none). */
static const char plain[0x3A] = {
	0, 0x1b, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0x7f, '\t',
	'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r', 0, 'a', 's',
	'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
	'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
static const char shifted[0x3A] = {
	0, 0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0x7f, '\t',
	'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0, 'A', 'S',
	'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
	'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

/* Keypad 0x47..0x53 with Num Lock on, and the key it is with it off
 * (as the extended code of the matching navigation key, or 0). */
static const char keypad_num[13] = "789-456+1230.";
static const uint8_t keypad_nav[13] = {
	0x47, 0x48, 0x49, 0, 0x4B, 0, 0x4D, 0, 0x4F, 0x50, 0x51, 0x52, 0x53,
};

/* Escape sequences (after ESC) of the extended navigation keys. */
static const char *nav_seq(uint8_t code)
{
	switch (code) {
	case 0x48: return "[A";		/* up */
	case 0x50: return "[B";		/* down */
	case 0x4D: return "[C";		/* right */
	case 0x4B: return "[D";		/* left */
	case 0x47: return "[H";		/* home */
	case 0x4F: return "[F";		/* end */
	case 0x52: return "[2~";	/* insert */
	case 0x53: return "[3~";	/* delete */
	case 0x49: return "[5~";	/* page up */
	case 0x51: return "[6~";	/* page down */
	}
	return NULL;
}

/* F1..F10 are 0x3B..0x44, F11 0x57, F12 0x58 (xterm's sequences). */
static const char *fkey_seq(uint8_t code)
{
	static const char *const f[] = {
		"OP", "OQ", "OR", "OS", "[15~", "[17~", "[18~", "[19~", "[20~", "[21~",
	};

	if (code >= 0x3B && code <= 0x44)
		return f[code - 0x3B];
	if (code == 0x57)
		return "[23~";
	if (code == 0x58)
		return "[24~";
	return NULL;
}

static size_t put_seq(char *out, bool alt, const char *seq)
{
	size_t n = 0;

	if (alt)
		out[n++] = 0x1b;
	out[n++] = 0x1b;
	for (; *seq; seq++)
		out[n++] = *seq;
	return n;
}

/* Modifier make/break codes: true when code was one. */
static bool modifier(struct kbd_state *st, uint8_t key, bool ext, bool up)
{
	bool down = !up;

	switch (key) {
	case 0x2A: if (!ext) st->shift_l = down; return true;	/* E0 2A: fake shift */
	case 0x36: if (!ext) st->shift_r = down; return true;
	case 0x1D: if (ext) st->ctrl_r = down; else st->ctrl_l = down; return true;
	case 0x38: if (ext) st->alt_r = down; else st->alt_l = down; return true;
	case 0x3A: if (down) st->caps = !st->caps; return true;
	case 0x45: if (down && !ext) st->num = !st->num; return true;
	case 0x46: return true;					/* scroll lock */
	}
	return false;
}

size_t kbd_scancode(struct kbd_state *st, uint8_t code, char *out)
{
	bool ext = st->e0, up = code & 0x80;
	bool shift = st->shift_l || st->shift_r, ctrl = st->ctrl_l || st->ctrl_r;
	bool alt = st->alt_l || st->alt_r;
	uint8_t key = code & 0x7f;
	const char *seq;
	char c;

	if (st->skip) {			/* Pause: E1 1D 45 E1 9D C5 */
		st->skip--;
		return 0;
	}
	if (code == 0xE0) {
		st->e0 = true;
		return 0;
	}
	if (code == 0xE1) {
		st->skip = 5;
		return 0;
	}
	st->e0 = false;
	if (modifier(st, key, ext, up) || up)
		return 0;
	if (!ext && key >= 0x47 && key <= 0x53) {
		/* digits with Num Lock; - and + always */
		if ((st->num && !shift) || !keypad_nav[key - 0x47]) {
			c = keypad_num[key - 0x47];
			goto character;
		}
		key = keypad_nav[key - 0x47];
		ext = true;
	}
	if (ext) {
		if (key == 0x1C) {		/* keypad enter */
			c = '\r';
			goto character;
		}
		if (key == 0x35) {		/* keypad / */
			c = '/';
			goto character;
		}
		seq = nav_seq(key);
		return seq ? put_seq(out, alt, seq) : 0;
	}
	seq = fkey_seq(key);
	if (seq)
		return put_seq(out, alt, seq);
	if (key >= sizeof(plain) || !plain[key])
		return 0;
	c = shift ? shifted[key] : plain[key];
	if (st->caps && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c ^= 0x20;
	if (ctrl) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '[' && c <= '_') || c == '@')
			c &= 0x1f;
		else if (c == ' ' || c == '2')
			c = 0;
		else if (c == '/' || c == '?')
			c = 0x1f;
		else if (c == '6')
			c = 0x1e;
	}
character:
	if (alt) {
		out[0] = 0x1b;
		out[1] = c;
		return 2;
	}
	out[0] = c;
	return 1;
}

static struct kbd_state kbd;

static void kbd_irq(struct trap_frame *tf)
{
	char out[8];

	(void)tf;
	/* Drain what the controller holds; mouse bytes (bit 5) are not ours. */
	for (int i = 0; i < 16 && (inb(KBD_STATUS) & ST_OUT_FULL); i++) {
		uint8_t st = inb(KBD_STATUS);
		uint8_t code = inb(KBD_DATA);
		size_t n;

		if (st & 0x20)
			continue;
		n = kbd_scancode(&kbd, code, out);
		if (n)
			tty_receive(out, n);
	}
}

static int kbd_wait_write(void)
{
	for (int spin = 0; spin < 100000; spin++)
		if (!(inb(KBD_STATUS) & ST_IN_FULL))
			return 0;
	return -ETIMEDOUT;
}

static int kbd_wait_read(void)
{
	for (int spin = 0; spin < 100000; spin++)
		if (inb(KBD_STATUS) & ST_OUT_FULL)
			return 0;
	return -ETIMEDOUT;
}

/* Firmware (UEFI especially) may leave the keyboard interrupt off or
 * translation disabled: turn both on in the controller's config byte. */
int keyboard_init(void)
{
	uint8_t cfg;

	if (inb(KBD_STATUS) == 0xFF)
		return -ENODEV;		/* no controller on the bus */
	for (int i = 0; i < 32 && (inb(KBD_STATUS) & ST_OUT_FULL); i++)
		inb(KBD_DATA);
	if (kbd_wait_write())
		return -ENODEV;
	outb(KBD_STATUS, CMD_READ_CONFIG);
	if (kbd_wait_read())
		return -ENODEV;
	cfg = inb(KBD_DATA);
	if ((cfg & (CFG_IRQ1 | CFG_TRANSLATE)) != (CFG_IRQ1 | CFG_TRANSLATE)) {
		if (kbd_wait_write())
			return -ENODEV;
		outb(KBD_STATUS, CMD_WRITE_CONFIG);
		if (kbd_wait_write())
			return -ENODEV;
		outb(KBD_DATA, cfg | CFG_IRQ1 | CFG_TRANSLATE);
	}
	return irq_register(1, kbd_irq);
}

/* Scancodes in, terminal bytes out. */
static size_t kbd_feed(struct kbd_state *st, const uint8_t *codes, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++)
		o += kbd_scancode(st, codes[i], out + o);
	out[o] = 0;
	return o;
}

SELFTEST(keyboard_scancodes)
{
	struct kbd_state st;
	char out[64];
	static const uint8_t hi[] = { 0x23, 0xA3, 0x2A, 0x17, 0x97, 0xAA, 0x02, 0x1C };
	static const uint8_t ctrl_c[] = { 0x1D, 0x2E, 0xAE, 0x9D, 0x2E };
	static const uint8_t arrows[] = { 0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x4B, 0xE0, 0x53,
					  0xE0, 0x47, 0xE0, 0x49 };
	static const uint8_t caps_alt[] = { 0x3A, 0xBA, 0x1E, 0x38, 0x1E, 0xB8, 0xE0, 0x1C };
	static const uint8_t fake_shift[] = { 0xE0, 0x2A, 0x1E, 0xE0, 0xAA, 0x0E };

	memset(&st, 0, sizeof(st));
	ST_ASSERT(kbd_feed(&st, hi, sizeof(hi), out) == 4);
	ST_ASSERT(!strcmp(out, "hI1\r"));
	ST_ASSERT(kbd_feed(&st, ctrl_c, sizeof(ctrl_c), out) == 2);
	ST_ASSERT(!strcmp(out, "\x03" "c"));
	kbd_feed(&st, arrows, sizeof(arrows), out);
	ST_ASSERT(!strcmp(out, "\x1b[A\x1b[D\x1b[3~\x1b[H\x1b[5~"));
	kbd_feed(&st, caps_alt, sizeof(caps_alt), out);
	ST_ASSERT(!strcmp(out, "A\x1b" "A\r"));
	memset(&st, 0, sizeof(st));
	kbd_feed(&st, fake_shift, sizeof(fake_shift), out);
	ST_ASSERT(!strcmp(out, "a\x7f"));
	return 0;
}
