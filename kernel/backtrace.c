/* Symbolized backtraces: walks saved frame pointers (the kernel is built
 * with -fno-omit-frame-pointer) through ksafe_read64, so a corrupt chain
 * ends the walk instead of faulting, and names each address with the
 * table test/tools/ksyms.sh embeds. The search itself is kernel/ksyms.c. */
#include <trap.h>
#include <printk.h>
#include <selftest.h>
#include <string.h>
#include <stddef.h>

#define BT_MAX_FRAMES 4096	/* frames followed */
#define BT_MAX_LINES  48	/* lines printed */

extern const uint64_t ksyms_count;
extern const struct ksym ksyms_table[];
extern const char ksyms_names[];
extern const char _text_end[];
extern const char trap_common_ret[];
extern const char trap_call_on_stack[];

const char *ksym_lookup(uint64_t addr, uint64_t *off)
{
	const struct ksym_table t = {
		.syms = ksyms_table,
		.count = ksyms_count,
		.names = ksyms_names,
		.end = (uint64_t)_text_end,
	};

	return ksym_search(&t, addr, off);
}

/* One step of a walk: a code address, and whether a trap came first. */
struct bt_frame {
	uint64_t pc;
	int exact;		/* pc is where a trap hit, not a return address */
	int64_t trap;		/* vector of the trap entered just above, or -1 */
};

typedef int (*bt_visit_t)(void *ctx, const struct bt_frame *f);

/*
 * Whether the function containing a trapped RIP has already pushed its
 * frame record. GCC keeps no frame in leaf functions that need no stack,
 * whatever the flags say, and any function trapped on its first byte has
 * not pushed rbp yet: in both cases the return address is the word at
 * the top of the stack, and rbp still belongs to the caller's caller.
 */
static int bt_rip_has_frame(uint64_t rip)
{
	static const uint8_t endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	uint64_t off;
	const uint8_t *p;

	if (!ksym_lookup(rip, &off))
		return 1;	/* unknown code: trust rbp */
	p = (const uint8_t *)(rip - off);
	if (memcmp(p, endbr64, sizeof(endbr64)) == 0) {
		if (off <= sizeof(endbr64))
			return 0;
		p += sizeof(endbr64);
		off -= sizeof(endbr64);
	}
	return p[0] == 0x55 && off > 0;		/* push %rbp, done */
}

/*
 * Visit the trapped RIP of the struct trap_frame at tfa (read with
 * ksafe_read64: it may come from a corrupt chain) and, for a frameless
 * function, its return address. Returns nonzero to end the walk (a trap
 * from user mode, a bad frame, or visit said so), else sets *rbp to the
 * trapped code's frame pointer.
 */
static int bt_visit_trap(uint64_t tfa, bt_visit_t visit, void *ctx, uint64_t *rbp)
{
	uint64_t vec, rip, cs, rsp, ret;
	struct bt_frame f;

	if (ksafe_read64(tfa + offsetof(struct trap_frame, vector), &vec) < 0 ||
	    ksafe_read64(tfa + offsetof(struct trap_frame, rip), &rip) < 0 ||
	    ksafe_read64(tfa + offsetof(struct trap_frame, cs), &cs) < 0 ||
	    ksafe_read64(tfa + offsetof(struct trap_frame, rsp), &rsp) < 0 ||
	    ksafe_read64(tfa + offsetof(struct trap_frame, rbp), rbp) < 0)
		return 1;
	f = (struct bt_frame){ .pc = rip, .exact = 1, .trap = vec };
	if (visit(ctx, &f) || (cs & 3))
		return 1;
	if (!bt_rip_has_frame(rip) && ksafe_read64(rsp, &ret) == 0 &&
	    ksym_lookup(ret - 1, NULL)) {
		f = (struct bt_frame){ .pc = ret, .exact = 0, .trap = -1 };
		if (visit(ctx, &f))
			return 1;
	}
	return 0;
}

/* Whether the return address ret lies in function fn. */
static int bt_function_is(uint64_t ret, const char *fn)
{
	uint64_t off;

	return ksym_lookup(ret, &off) && ret - off == (uint64_t)fn;
}

/*
 * Follow the chain of (saved rbp, return address) pairs from rbp,
 * calling visit for each until it returns nonzero or the chain ends.
 *
 * A return address of trap_common_ret means the next record is the one
 * trap_entry.asm built, with the struct trap_frame just above it: the
 * walk goes on into the trapped code. That may be on another stack (an
 * IST stack switched away from it), so the ordering rule restarts; so
 * it does after trap_call_on_stack, which switches stacks too.
 */
static void backtrace_walk(uint64_t rbp, bt_visit_t visit, void *ctx)
{
	uint64_t prev = 0, next, ret;
	struct bt_frame f = { .exact = 0, .trap = -1 };

	for (int n = 0; n < BT_MAX_FRAMES; n++) {
		if (!bt_frame_ok(rbp, prev))
			return;
		if (ksafe_read64(rbp, &next) < 0 || ksafe_read64(rbp + 8, &ret) < 0)
			return;
		if (ret == (uint64_t)trap_common_ret) {
			if (!bt_frame_ok(next, rbp) ||
			    bt_visit_trap(next + 16, visit, ctx, &rbp))
				return;
			prev = 0;
			continue;
		}
		if (ret == 0)
			return;
		f.pc = ret;
		if (visit(ctx, &f))
			return;
		/* trap_call_on_stack ran this frame's function on another
		 * stack: its caller's frames may lie lower. */
		prev = bt_function_is(ret, trap_call_on_stack) ? 0 : rbp;
		rbp = next;
	}
}

/* Printing: repeated frames (deep recursion) are folded into one line. */
struct bt_printer {
	uint64_t last_pc;
	unsigned repeats;
	int lines;
};

static void bt_flush_repeats(struct bt_printer *p)
{
	if (p->repeats)
		printk(KERN_EMERG "  ... the same frame %u more times\n", p->repeats);
	p->repeats = 0;
}

static int bt_print_frame(void *ctx, const struct bt_frame *f)
{
	struct bt_printer *p = ctx;
	uint64_t off = 0;
	const char *sym;

	if (f->trap < 0 && f->pc == p->last_pc) {
		p->repeats++;
		return 0;
	}
	bt_flush_repeats(p);
	if (p->lines++ >= BT_MAX_LINES) {
		printk(KERN_EMERG "  ... (more frames)\n");
		return 1;
	}
	if (f->trap >= 0)
		printk(KERN_EMERG "  -- %s (vector %ld) --\n",
		       trap_mnemonic(f->trap), (long)f->trap);
	/*
	 * A return address may be the first byte after a function ending in
	 * a call (to a noreturn function): name the byte before it instead.
	 */
	sym = ksym_lookup(f->exact ? f->pc : f->pc - 1, &off);
	if (!f->exact)
		off++;
	if (sym)
		printk(KERN_EMERG "  [<%016lx>] %s+0x%lx\n", (unsigned long)f->pc,
		       sym, (unsigned long)off);
	else
		printk(KERN_EMERG "  [<%016lx>] ?\n", (unsigned long)f->pc);
	p->last_pc = f->pc;
	return 0;
}

void backtrace_print(uint64_t rbp)
{
	struct bt_printer p = { 0 };

	backtrace_walk(rbp, bt_print_frame, &p);
	bt_flush_repeats(&p);
}

void backtrace_print_trap(const struct trap_frame *tf)
{
	struct bt_printer p = { 0 };
	uint64_t rbp;

	if (!bt_visit_trap((uint64_t)tf, bt_print_frame, &p, &rbp))
		backtrace_walk(rbp, bt_print_frame, &p);
	bt_flush_repeats(&p);
}

struct bt_saver {
	uint64_t *pcs;
	int n, max;
};

static int bt_save_frame(void *ctx, const struct bt_frame *f)
{
	struct bt_saver *s = ctx;

	s->pcs[s->n++] = f->pc;
	return s->n >= s->max;
}

int backtrace_save(uint64_t rbp, uint64_t *pcs, int max)
{
	struct bt_saver s = { pcs, 0, max };

	if (max > 0)
		backtrace_walk(rbp, bt_save_frame, &s);
	return s.n;
}

/* ---- self-tests ---------------------------------------------------- */

SELFTEST(ksyms_finds_itself)
{
	uint64_t addr = (uint64_t)&selftest_ksyms_finds_itself, off = 1;
	const char *name = ksym_lookup(addr + 3, &off);

	ST_ASSERT(ksyms_count > 0);
	ST_ASSERT(name && strcmp(name, "selftest_ksyms_finds_itself") == 0);
	ST_ASSERT(off == 3);
	ST_ASSERT(ksym_lookup(0x1000, &off) == NULL);
	ST_ASSERT(ksym_lookup((uint64_t)&ksyms_count, &off) == NULL);
	return 0;
}

static __attribute__((noinline)) int bt_capture(uint64_t *pcs, int max)
{
	return backtrace_save((uint64_t)__builtin_frame_address(0), pcs, max);
}

/* The first return address a callee sees lies in its caller. */
SELFTEST(backtrace_finds_caller)
{
	uint64_t pcs[4], off;
	int n = bt_capture(pcs, 4);
	const char *name;

	ST_ASSERT(n >= 2);	/* this function, then selftest_run_all */
	name = ksym_lookup(pcs[0] - 1, &off);
	ST_ASSERT(name && strcmp(name, "selftest_backtrace_finds_caller") == 0);
	name = ksym_lookup(pcs[1] - 1, &off);
	ST_ASSERT(name && strcmp(name, "selftest_run_all") == 0);
	return 0;
}
