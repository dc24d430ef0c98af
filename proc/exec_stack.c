/* The SysV x86-64 initial process stack, laid out in a kernel buffer that
 * mirrors the top of the new user stack. Pure logic, tested on the host;
 * gathering the strings from the old process and copying the result into
 * the new address space are exec's. */
#include <exec_stack.h>
#include <elf.h>
#include <string.h>
#include <uapi/errno.h>

/*
 * The stack being built: "used" bytes below top are taken. Every push
 * checks against size first, so a bad count can only give -E2BIG, never
 * a write outside buf.
 */
struct stk {
	uint64_t top;
	unsigned char *buf;
	size_t size;
	size_t used;
};

/* Reserve n bytes below what is used; their user address in *ua. */
static int stk_reserve(struct stk *s, size_t n, uint64_t *ua)
{
	if (n > s->size - s->used)
		return -E2BIG;
	s->used += n;
	*ua = s->top - s->used;
	return 0;
}

static void *stk_ptr(struct stk *s, uint64_t ua)
{
	return s->buf + s->size - (s->top - ua);
}

/* Push a string with its NUL; its user address in *ua. */
static int stk_push_str(struct stk *s, const char *str, uint64_t *ua)
{
	size_t n = strlen(str) + 1;
	int err = stk_reserve(s, n, ua);

	if (!err)
		memcpy(stk_ptr(s, *ua), str, n);
	return err;
}

/* Bytes the strings of v[0..n) take with their NULs, or -E2BIG once past
 * limit (so the sum cannot overflow). */
static int64_t strv_bytes(const char *const *v, size_t n, size_t limit)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++) {
		total += strnlen(v[i], limit) + 1;
		if (total > limit)
			return -E2BIG;
	}
	return total;
}

/* Push the strings of v[0..n), v[0] lowest as Linux has them, storing
 * each one's user address in ptrs[i]. The caller checked the room. */
static void stk_push_strv(struct stk *s, const char *const *v, size_t n,
			  uint64_t *ptrs)
{
	for (size_t i = n; i-- > 0;)
		(void)stk_push_str(s, v[i], &ptrs[i]);
}

static void put_aux(uint64_t **p, uint64_t type, uint64_t val)
{
	*(*p)++ = type;
	*(*p)++ = val;
}

/* The pairs, in the order Linux writes most of them; AT_NULL last. */
static void put_auxv(uint64_t *p, const struct exec_stack_args *a,
		     uint64_t random_ua, uint64_t execfn_ua)
{
	put_aux(&p, AT_HWCAP, a->hwcap);
	put_aux(&p, AT_PAGESZ, 4096);
	put_aux(&p, AT_CLKTCK, EXEC_CLKTCK);
	put_aux(&p, AT_PHDR, a->phdr);
	put_aux(&p, AT_PHENT, a->phent);
	put_aux(&p, AT_PHNUM, a->phnum);
	put_aux(&p, AT_BASE, 0);		/* no interpreter */
	put_aux(&p, AT_FLAGS, 0);
	put_aux(&p, AT_ENTRY, a->entry);
	put_aux(&p, AT_UID, a->uid);
	put_aux(&p, AT_EUID, a->euid);
	put_aux(&p, AT_GID, a->gid);
	put_aux(&p, AT_EGID, a->egid);
	put_aux(&p, AT_SECURE, a->secure);
	put_aux(&p, AT_RANDOM, random_ua);
	put_aux(&p, AT_EXECFN, execfn_ua);
	put_aux(&p, AT_NULL, 0);
}

/*
 *   top ->  +--------------------------+
 *           | 8 zero bytes             |
 *           | execfn                   |
 *           | envp strings, argv below |
 *           | 16 AT_RANDOM bytes       |
 *           | padding                  |
 *           | auxv pairs .. AT_NULL    |
 *           | NULL, envp[0..envc)      |
 *           | NULL, argv[0..argc)      |
 *   rsp ->  | argc                     |  (16-byte aligned)
 *           +--------------------------+
 *
 * Sizes are summed first, so that the pointer block's place is known
 * before the strings are written and their addresses go straight in.
 */
int exec_stack_build(const struct exec_stack_args *a, uint64_t top,
		     void *buf, size_t size, uint64_t *rsp)
{
	struct stk s = { .top = top, .buf = buf, .size = size, .used = 0 };
	uint64_t ua = 0, random_ua = 0, execfn_ua = 0, block_ua, words;
	uint64_t *block, *auxv;
	int64_t argb, envb;
	size_t strings;

	if ((top & 15) || (size & 15) || size > top || !a->random || !a->execfn ||
	    (a->argc && !a->argv) || (a->envc && !a->envp))
		return -EINVAL;
	/* Counts so large that the pointer block alone cannot fit. */
	if (a->argc > size / 8 || a->envc > size / 8)
		return -E2BIG;
	argb = strv_bytes(a->argv, a->argc, size);
	envb = strv_bytes(a->envp, a->envc, size);
	if (argb < 0 || envb < 0)
		return -E2BIG;
	strings = 8 + strnlen(a->execfn, size) + 1 + argb + envb + EXEC_RANDOM_BYTES;
	words = 1 + a->argc + 1 + a->envc + 1 + 2 * EXEC_AUXV_PAIRS;
	if (strings > size || words * 8 > size - strings)
		return -E2BIG;
	block_ua = (top - strings - words * 8) & ~15ull;
	if (top - block_ua > size)
		return -E2BIG;
	block = stk_ptr(&s, block_ua);

	/* From here on everything fits: the pushes cannot fail. */
	(void)stk_reserve(&s, 8, &ua);
	memset(stk_ptr(&s, ua), 0, 8);
	(void)stk_push_str(&s, a->execfn, &execfn_ua);
	stk_push_strv(&s, a->envp, a->envc, block + 1 + a->argc + 1);
	stk_push_strv(&s, a->argv, a->argc, block + 1);
	(void)stk_reserve(&s, EXEC_RANDOM_BYTES, &random_ua);
	memcpy(stk_ptr(&s, random_ua), a->random, EXEC_RANDOM_BYTES);
	memset(stk_ptr(&s, block_ua + words * 8), 0, random_ua - (block_ua + words * 8));

	block[0] = a->argc;
	block[1 + a->argc] = 0;
	block[1 + a->argc + 1 + a->envc] = 0;
	auxv = block + 1 + a->argc + 1 + a->envc + 1;
	put_auxv(auxv, a, random_ua, execfn_ua);
	*rsp = block_ua;
	return 0;
}
