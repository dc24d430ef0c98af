/* Host tests for proc/exec_stack.c: the stack is read back the way a
 * program's start code reads it (argc at rsp, the vectors above it), and
 * every address it holds must lie inside the built area; too small an
 * area gives -E2BIG at every size and never a write outside it. */
#include "test.h"
#include <exec_stack.h>
#include <elf.h>
#include <uapi/errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TOP	0x7ffffffff000ull

static const uint8_t rnd[EXEC_RANDOM_BYTES] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
};

static struct exec_stack_args args_of(const char *const *argv, size_t argc,
				      const char *const *envp, size_t envc)
{
	struct exec_stack_args a = {
		.argv = argv, .argc = argc, .envp = envp, .envc = envc,
		.execfn = "/bin/prog", .random = rnd,
		.phdr = 0x400040, .phent = 56, .phnum = 7, .entry = 0x401000,
		.uid = 1, .euid = 2, .gid = 3, .egid = 4, .secure = 0,
		.hwcap = 0x178bfbff,
	};
	return a;
}

/* The bytes a user address points at, or NULL outside [top - size, top). */
static void *at(uint8_t *buf, size_t size, uint64_t ua)
{
	if (ua < TOP - size || ua >= TOP)
		return NULL;
	return buf + size - (TOP - ua);
}

static uint64_t word(uint8_t *buf, size_t size, uint64_t ua)
{
	uint64_t v;
	void *p = at(buf, size, ua);

	ASSERT(p && at(buf, size, ua + 7));
	memcpy(&v, p, 8);
	return v;
}

static const char *str(uint8_t *buf, size_t size, uint64_t ua)
{
	char *p = at(buf, size, ua);

	ASSERT(p);
	ASSERT(memchr(p, 0, buf + size - (uint8_t *)p));
	return p;
}

/* The value of aux type t, which must occur exactly once. */
static uint64_t aux(uint8_t *buf, size_t size, uint64_t auxv, uint64_t t)
{
	uint64_t val = 0;
	int seen = 0;

	for (uint64_t p = auxv;; p += 16) {
		uint64_t type = word(buf, size, p);

		if (type == AT_NULL)
			break;
		if (type == t) {
			val = word(buf, size, p + 8);
			seen++;
		}
	}
	ASSERT_EQ(seen, 1);
	return val;
}

TEST(exec_stack_layout)
{
	static const char *const argv[] = { "prog", "-x", "", "last arg" };
	static const char *const envp[] = { "HOME=/", "PATH=/bin" };
	struct exec_stack_args a = args_of(argv, 4, envp, 2);
	size_t size = 4096;
	uint8_t *buf = aligned_alloc(16, size);
	uint64_t rsp, p;

	memset(buf, 0xAA, size);
	ASSERT_EQ(exec_stack_build(&a, TOP, buf, size, &rsp), 0);
	ASSERT_EQ(rsp % 16, 0);
	ASSERT_EQ(word(buf, size, rsp), 4);
	for (int i = 0; i < 4; i++)
		ASSERT_STR(str(buf, size, word(buf, size, rsp + 8 + 8 * i)), argv[i]);
	ASSERT_EQ(word(buf, size, rsp + 8 + 8 * 4), 0);
	p = rsp + 8 + 8 * 5;
	for (int i = 0; i < 2; i++)
		ASSERT_STR(str(buf, size, word(buf, size, p + 8 * i)), envp[i]);
	ASSERT_EQ(word(buf, size, p + 16), 0);
	p += 24;

	ASSERT_EQ(aux(buf, size, p, AT_PHDR), 0x400040);
	ASSERT_EQ(aux(buf, size, p, AT_PHENT), 56);
	ASSERT_EQ(aux(buf, size, p, AT_PHNUM), 7);
	ASSERT_EQ(aux(buf, size, p, AT_PAGESZ), 4096);
	ASSERT_EQ(aux(buf, size, p, AT_ENTRY), 0x401000);
	ASSERT_EQ(aux(buf, size, p, AT_UID), 1);
	ASSERT_EQ(aux(buf, size, p, AT_EUID), 2);
	ASSERT_EQ(aux(buf, size, p, AT_GID), 3);
	ASSERT_EQ(aux(buf, size, p, AT_EGID), 4);
	ASSERT_EQ(aux(buf, size, p, AT_SECURE), 0);
	ASSERT_EQ(aux(buf, size, p, AT_HWCAP), 0x178bfbff);
	ASSERT_EQ(aux(buf, size, p, AT_CLKTCK), 100);
	ASSERT_EQ(aux(buf, size, p, AT_BASE), 0);
	ASSERT_EQ(aux(buf, size, p, AT_FLAGS), 0);
	ASSERT_STR(str(buf, size, aux(buf, size, p, AT_EXECFN)), "/bin/prog");
	uint64_t r = aux(buf, size, p, AT_RANDOM);
	ASSERT(at(buf, size, r) && at(buf, size, r + 15));
	ASSERT(memcmp(at(buf, size, r), rnd, 16) == 0);
	/* The random bytes and strings lie above the vectors. */
	ASSERT(r > p + 16 * (EXEC_AUXV_PAIRS - 1));
	/* The top 8 bytes are zero, as on Linux. */
	ASSERT_EQ(word(buf, size, TOP - 8), 0);
	free(buf);
}

TEST(exec_stack_no_args)
{
	struct exec_stack_args a = args_of(NULL, 0, NULL, 0);
	size_t size = 1024;
	uint8_t *buf = aligned_alloc(16, size);
	uint64_t rsp;

	ASSERT_EQ(exec_stack_build(&a, TOP, buf, size, &rsp), 0);
	ASSERT_EQ(rsp % 16, 0);
	ASSERT_EQ(word(buf, size, rsp), 0);
	ASSERT_EQ(word(buf, size, rsp + 8), 0);		/* argv NULL */
	ASSERT_EQ(word(buf, size, rsp + 16), 0);	/* envp NULL */
	ASSERT_EQ(aux(buf, size, rsp + 24, AT_ENTRY), 0x401000);
	free(buf);
}

/* rsp stays aligned whatever the parity of the vector and string sizes. */
TEST(exec_stack_alignment_all_parities)
{
	static const char *const v[] = { "a", "bb", "ccc", "dddd", "eeeee" };
	size_t size = 2048;
	uint8_t *buf = aligned_alloc(16, size);

	for (size_t argc = 0; argc <= 5; argc++)
		for (size_t envc = 0; envc <= 5; envc++) {
			struct exec_stack_args a = args_of(v, argc, v, envc);
			uint64_t rsp = 1;

			ASSERT_EQ(exec_stack_build(&a, TOP, buf, size, &rsp), 0);
			ASSERT_EQ(rsp % 16, 0);
			ASSERT_EQ(word(buf, size, rsp), argc);
			if (argc)
				ASSERT_STR(str(buf, size, word(buf, size, rsp + 8 * argc)),
					   v[argc - 1]);
		}
	free(buf);
}

/* Every size from nothing up to the one that fits: -E2BIG below it, 0 at
 * and above it, and never a byte written outside the area (ASan checks
 * the exact-size copies). */
TEST(exec_stack_e2big_every_size)
{
	static const char *const argv[] = { "prog", "an argument" };
	static const char *const envp[] = { "A=1" };
	struct exec_stack_args a = args_of(argv, 2, envp, 1);
	size_t need = 0;

	for (size_t size = 0; size <= 1024; size += 16) {
		uint8_t *buf = aligned_alloc(16, size ? size : 16);
		uint64_t rsp;
		int err = exec_stack_build(&a, TOP, buf, size, &rsp);

		if (err == 0 && !need)
			need = size;
		ASSERT_EQ(err, need ? 0 : -E2BIG);
		if (!err)
			ASSERT(rsp >= TOP - size);
		free(buf);
	}
	ASSERT(need > 0);
}

TEST(exec_stack_huge_counts)
{
	static const char *const one[] = { "x" };
	struct exec_stack_args a = args_of(one, (size_t)1 << 60, one, 1);
	uint8_t buf[256] __attribute__((aligned(16)));
	uint64_t rsp;

	ASSERT_EQ(exec_stack_build(&a, TOP, buf, sizeof(buf), &rsp), -E2BIG);
	a = args_of(one, 1, one, (size_t)-1);
	ASSERT_EQ(exec_stack_build(&a, TOP, buf, sizeof(buf), &rsp), -E2BIG);
}

TEST(exec_stack_long_string)
{
	size_t len = 5000, size = 4096;
	char *s = malloc(len + 1);
	const char *argv[] = { s };
	struct exec_stack_args a = args_of(argv, 1, NULL, 0);
	uint8_t *buf = aligned_alloc(16, size);
	uint64_t rsp;

	memset(s, 'x', len);
	s[len] = 0;
	ASSERT_EQ(exec_stack_build(&a, TOP, buf, size, &rsp), -E2BIG);
	free(buf);
	free(s);
}

TEST(exec_stack_bad_arguments)
{
	struct exec_stack_args a = args_of(NULL, 0, NULL, 0);
	uint8_t buf[512] __attribute__((aligned(16)));
	uint64_t rsp;

	ASSERT_EQ(exec_stack_build(&a, TOP + 8, buf, sizeof(buf), &rsp), -EINVAL);
	ASSERT_EQ(exec_stack_build(&a, TOP, buf, 500, &rsp), -EINVAL);
	a.random = NULL;
	ASSERT_EQ(exec_stack_build(&a, TOP, buf, sizeof(buf), &rsp), -EINVAL);
	a = args_of(NULL, 1, NULL, 0);
	ASSERT_EQ(exec_stack_build(&a, TOP, buf, sizeof(buf), &rsp), -EINVAL);
}
