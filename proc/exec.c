/* execve: replacing the program of a process. Gathers argv and envp into
 * kernel memory, finds the file through the VFS, follows "#!" lines,
 * validates the ELF image (elf_check), and builds the whole new address
 * space before the point of no return, after which nothing can fail. Also
 * the per-image thread state calls (arch_prctl, set_tid_address), uname
 * and sethostname, starting init, and the test entry's runner for the
 * programs in /bin. */
#include <exec.h>
#include <exec_stack.h>
#include <elf_check.h>
#include <script.h>
#include <proc.h>
#include <sched.h>
#include <signal.h>
#include <syscall.h>
#include <uaccess.h>
#include <mm.h>
#include <vfs.h>
#include <cpu.h>
#include <cmdline.h>
#include <kmalloc.h>
#include <rlimit.h>
#include <page.h>
#include <pgtable.h>
#include <printk.h>
#include <panic.h>
#include <fmt.h>
#include <ipc.h>
#include <io.h>
#include <string.h>
#include <selftest.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/limits.h>
#include <uapi/mman.h>
#include <uapi/stat.h>
#include <uapi/wait.h>

#define MSR_FS_BASE	0xC0000100

/* The stack as exec builds it: room for the arguments, execfn, the
 * vectors' pointers and the auxv, random bytes and padding. */
#define EXEC_STACK_BUF	(EXEC_ARG_MAX + PATH_MAX + 2 * PAGE_SIZE)
#define EXEC_STACK_INIT	(128 * 1024)	/* stack VMA at start; faults grow it */
#define EXEC_ARGV_EXTRA	(2 * EXEC_MAX_DEPTH + 1)	/* "#!" grows argv */

/* ---- arguments ------------------------------------------------------- */

/*
 * argv and envp in kernel memory: strings back to back in buf, pointer
 * arrays into it. bytes counts strings and pointers against EXEC_ARG_MAX
 * (Linux counts both), so the stack builder never runs short.
 */
struct exec_args {
	const char *path;	/* the file name given, at the start of buf */
	char *buf;
	size_t used;
	size_t bytes;
	const char **argv;
	size_t argc, argv_cap;
	const char **envp;
	size_t envc;
};

/* Where a string vector comes from: a user array, or a kernel one. */
struct strv_src {
	uint64_t uptr;
	const char *const *kv;
};

/* Copy a string into args->buf: its address there, or an ERR value in *err. */
static const char *args_add_kstr(struct exec_args *ea, const char *s, int *err)
{
	size_t n = strnlen(s, EXEC_ARG_MAX) + 1;
	char *dst = ea->buf + ea->used;

	if (n > EXEC_ARG_MAX - ea->bytes) {
		*err = -E2BIG;
		return NULL;
	}
	memcpy(dst, s, n);
	ea->used += n;
	ea->bytes += n;
	return dst;
}

static const char *args_add_ustr(struct exec_args *ea, uint64_t us, int *err)
{
	char *dst = ea->buf + ea->used;
	long n = strncpy_from_user(dst, us, EXEC_ARG_MAX - ea->bytes);

	if (n < 0) {
		*err = n == -ENAMETOOLONG ? -E2BIG : (int)n;
		return NULL;
	}
	ea->used += n + 1;
	ea->bytes += n + 1;
	return dst;
}

/* Entry i of a vector: 0 and *ptr (NULL at the end), or -EFAULT. */
static int strv_entry(const struct strv_src *src, size_t i, uint64_t *ptr)
{
	if (src->kv) {
		*ptr = (uint64_t)src->kv[i];
		return 0;
	}
	if (!src->uptr) {		/* NULL argv or envp: empty, as Linux */
		*ptr = 0;
		return 0;
	}
	return copy_from_user(ptr, src->uptr + 8 * i, 8);
}

/* Gather one vector: count it (8 bytes a pointer against the limit),
 * then copy its strings. extra: spare slots at the end of the array. */
static int args_gather(struct exec_args *ea, const struct strv_src *src,
		       size_t extra, const char ***out, size_t *count)
{
	const char **v;
	uint64_t p;
	size_t n = 0;
	int err;

	for (;; n++) {
		err = strv_entry(src, n, &p);
		if (err)
			return err;
		if (!p)
			break;
		if (8 > EXEC_ARG_MAX - ea->bytes)
			return -E2BIG;
		ea->bytes += 8;
	}
	v = kmalloc((n + extra + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		err = strv_entry(src, i, &p);
		if (!err && !p)
			err = -EFAULT;	/* the array changed under us */
		if (!err)
			v[i] = src->kv ? args_add_kstr(ea, (const char *)p, &err)
				       : args_add_ustr(ea, p, &err);
		if (err) {
			kfree(v);
			return err;
		}
	}
	v[n] = NULL;
	*out = v;
	*count = n;
	return 0;
}

static void args_free(struct exec_args *ea)
{
	kfree(ea->buf);
	kfree(ea->argv);
	kfree(ea->envp);
}

/*
 * The file name first (PATH_MAX bytes of buf are kept for it, outside the
 * argument limit), then argv and envp. Every later string counts against
 * bytes, which also counts pointers, so buf never overflows.
 */
static int args_init(struct exec_args *ea, const struct strv_src *path,
		     const struct strv_src *argv, const struct strv_src *envp)
{
	long n;
	int err;

	memset(ea, 0, sizeof(*ea));
	ea->buf = kmalloc(PATH_MAX + EXEC_ARG_MAX);
	if (!ea->buf)
		return -ENOMEM;
	if (path->kv) {
		n = strnlen(path->kv[0], PATH_MAX);
		if (n < PATH_MAX)
			memcpy(ea->buf, path->kv[0], n + 1);
		else
			n = -ENAMETOOLONG;
	} else {
		n = strncpy_from_user(ea->buf, path->uptr, PATH_MAX);
	}
	err = n < 0 ? (int)n : n == 0 ? -ENOENT : 0;
	ea->path = ea->buf;
	ea->used = n + 1;
	if (!err)
		err = args_gather(ea, argv, EXEC_ARGV_EXTRA, &ea->argv, &ea->argc);
	if (!err)
		err = args_gather(ea, envp, 0, &ea->envp, &ea->envc);
	if (err)
		args_free(ea);
	return err;
}

/*
 * A "#!" script: argv becomes interp, [arg], the script's path, then
 * argv[1..] (argv[0] is dropped, as Linux does). The array has
 * EXEC_ARGV_EXTRA spare slots, enough for EXEC_MAX_DEPTH rewrites.
 */
static int args_script(struct exec_args *ea, const struct script_interp *si,
		       const char *path)
{
	size_t drop = ea->argc ? 1 : 0, add = si->has_arg ? 3 : 2;
	const char *s[3];
	int err = 0, k = 0;

	s[k++] = args_add_kstr(ea, si->interp, &err);
	if (!err && si->has_arg)
		s[k++] = args_add_kstr(ea, si->arg, &err);
	if (!err)
		s[k++] = args_add_kstr(ea, path, &err);
	if (err)
		return err;
	if (8 * (add - drop) > EXEC_ARG_MAX - ea->bytes)
		return -E2BIG;
	ea->bytes += 8 * (add - drop);
	memmove(ea->argv + add, ea->argv + drop, (ea->argc - drop + 1) * sizeof(char *));
	memcpy(ea->argv, s, add * sizeof(char *));
	ea->argc += add - drop;
	return 0;
}

/* ---- the file --------------------------------------------------------- */

/*
 * Open path for exec: a regular file the caller may execute (EACCES for
 * anything else, as Linux says for directories and devices). Read
 * permission is not needed, as on Linux.
 */
static int exec_open(const char *path, struct file **out)
{
	struct path p;
	int err;

	vfs_lock();
	err = namei_walk(NULL, path, LOOKUP_FOLLOW, &p);
	if (err)
		goto out_unlock;
	err = -EACCES;
	if (!S_ISREG(p.inode->mode))
		goto out_put;
	err = vfs_permission(p.inode, MAY_EXEC);
	if (err)
		goto out_put;
	vfs_unlock();
	err = vfs_open_path(&p, O_RDONLY, out);
	if (err)
		path_put(&p);
	return err;

out_put:
	path_put_locked(&p);
out_unlock:
	vfs_unlock();
	return err;
}

/* Read exactly n bytes at pos (fewer only at end of file): the count or
 * -errno. */
static long exec_read(struct file *f, void *buf, size_t n, uint64_t pos)
{
	size_t done = 0;

	while (done < n) {
		struct iobuf io = iobuf_kernel((char *)buf + done, n - done);
		long r = vfs_pread(f, &io, pos + done);

		if (r < 0)
			return r;
		if (r == 0)
			break;
		done += r;
	}
	return done;
}

/* ---- the new address space ------------------------------------------- */

/* The image being built; everything here is undone by exec_image_free
 * until the point of no return hands mm over. */
struct exec_image {
	struct file *file;
	uint64_t size;			/* file size */
	uint8_t *head;			/* first page of the file */
	size_t headlen;
	struct elf_image elf;
	uint64_t bias;			/* ET_DYN load bias; 0 for ET_EXEC */
	uint64_t stack_top;		/* end of the stack VMA (ASLR) */
	struct mm *mm;
	uint64_t rsp;
};

static void exec_image_free(struct exec_image *im)
{
	if (im->mm)
		mm_destroy(im->mm);
	if (im->file)
		file_put(im->file);
	kfree(im->head);
	im->mm = NULL;
	im->file = NULL;
	im->head = NULL;
}

/* Map one PT_LOAD as private anonymous memory and copy its file bytes in;
 * the rest (BSS) is demand-zero memory already. */
static int exec_map_segment(struct exec_image *im, const struct elf_segment *seg,
			    uint8_t *bounce)
{
	uint64_t va = seg->vaddr + im->bias;
	uint64_t start = ALIGN_DOWN(va, PAGE_SIZE);
	uint64_t end = ALIGN_UP(va + seg->memsz, PAGE_SIZE);
	uint64_t addr;
	int err;

	err = do_mmap(im->mm, start, end - start, seg->prot,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0, &addr);
	if (err)
		return err == -EEXIST ? -ENOEXEC : err;
	for (uint64_t off = 0; off < seg->filesz; off += PAGE_SIZE) {
		size_t n = seg->filesz - off < PAGE_SIZE ? seg->filesz - off : PAGE_SIZE;
		long r = exec_read(im->file, bounce, n, seg->offset + off);

		if (r < 0)
			return r;
		if ((size_t)r != n)
			return -ENOEXEC;	/* the file shrank */
		err = mm_copy_in(im->mm, va + off, bounce, n);
		if (err)
			return err;
	}
	return 0;
}

static void exec_random(uint8_t out[EXEC_RANDOM_BYTES])
{
	static uint64_t state;

	for (int i = 0; i < EXEC_RANDOM_BYTES; i += 8) {
		uint64_t v = 0;
		uint8_t ok = 0;

		if (cpu_features.rdrand)
			for (int tries = 0; tries < 10 && !ok; tries++)
				__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
		if (!ok) {
			/* splitmix64 over the TSC: unpredictable enough for
			 * AT_RANDOM's canary without a hardware source. */
			uint64_t z = (state += 0x9e3779b97f4a7c15ull) ^ rdtsc();

			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
			v = z ^ (z >> 31);
		}
		memcpy(out + i, &v, 8);
	}
}

static uint64_t cpu_hwcap(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

/* Where AT_PHDR points: the table in a segment, or (as Linux computes it
 * when no PT_PHDR says) the first segment's file mapping plus e_phoff. */
static uint64_t exec_phdr_addr(const struct exec_image *im)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)im->head;
	const struct elf_segment *s0 = &im->elf.seg[0];

	if (im->elf.phdr_vaddr)
		return im->elf.phdr_vaddr + im->bias;
	return s0->vaddr - s0->offset + eh->e_phoff + im->bias;
}

/* The name the program was exec'd by, made absolute with the cwd (not
 * normalized; a script's interpreter is not named); cut to fit. */
static void exec_note_exe(struct mm *mm, const char *path)
{
	size_t n = 0, size = sizeof(mm->exe_name);
	struct path cwd;

	if (path[0] != '/') {
		vfs_cwd(current, &cwd);
		vfs_lock();
		if (vfs_path_name(&cwd, mm->exe_name, size) >= 0)
			n = strlen(mm->exe_name);
		path_put_locked(&cwd);
		vfs_unlock();
		if (n > 1 && n < size - 1)
			mm->exe_name[n++] = '/';
		else if (n == 1)
			n = 0;		/* the root: "/" + path */
	}
	snprintf(mm->exe_name + n, size - n, "%s%s", n ? "" : (path[0] == '/' ? "" : "/"), path);
}

/*
 * Remember where argv's strings went, which file the image came from and
 * where it starts, for /proc/<pid>/cmdline and maps (fs/procfs.c reads
 * the strings back from the stack, as Linux does). buf stands for the
 * user memory just below top, as exec_stack_build laid it out.
 */
static void exec_note_args(struct exec_image *im, const struct exec_args *ea,
			   const uint8_t *buf, uint64_t top)
{
	const uint8_t *base = buf + EXEC_STACK_BUF - (top - im->rsp);
	struct mm *mm = im->mm;
	uint64_t p;

	mm->start_code = im->elf.start + im->bias;
	for (size_t i = 0; i < ea->argc; i++) {
		memcpy(&p, base + 8 + 8 * i, 8);	/* argv[i] after argc */
		if (!mm->arg_start || p < mm->arg_start)
			mm->arg_start = p;
		if (p + strlen(ea->argv[i]) + 1 > mm->arg_end)
			mm->arg_end = p + strlen(ea->argv[i]) + 1;
	}
	exec_note_exe(mm, ea->path);
}

/*
 * ASLR: a random whole number of pages below 2^bits pages, as a byte
 * offset; 0 when off (the "norandmaps" switch, passed in so a self-test
 * can check both ways whatever the command line says).
 */
static uint64_t exec_random_offset(unsigned bits, int off)
{
	uint8_t r[EXEC_RANDOM_BYTES];
	uint64_t v;

	if (off || !bits)
		return 0;
	exec_random(r);
	memcpy(&v, r, 8);
	return (v & ((1ull << bits) - 1)) << PAGE_SHIFT;
}

/* Where the stack, the mmap area, a static PIE and the heap go (mm.h's
 * ASLR constants), picked afresh at every exec. */
static void exec_layout(struct exec_image *im)
{
	int off = cmdline_has("norandmaps");
	uint64_t lim = im->mm->stack_limit, gap;

	gap = lim > MM_MMAP_GAP_MAX - MM_STACK_GUARD ? MM_MMAP_GAP_MAX :
	      ALIGN_UP(lim + MM_STACK_GUARD, PAGE_SIZE);
	if (gap < MM_MMAP_GAP)
		gap = MM_MMAP_GAP;
	im->stack_top = MM_STACK_TOP - exec_random_offset(MM_STACK_RND_BITS, off);
	im->mm->mmap_base = im->stack_top - gap -
			    exec_random_offset(MM_MMAP_RND_BITS, off);
	im->bias = im->elf.type == ET_DYN ?
		   MM_PIE_BASE + exec_random_offset(MM_PIE_RND_BITS, off) -
		   im->elf.start : 0;
}

SELFTEST(exec_aslr_offsets)
{
	uint64_t a[8];
	int distinct = 0;

	ST_ASSERT(exec_random_offset(MM_STACK_RND_BITS, 1) == 0);
	ST_ASSERT(exec_random_offset(MM_MMAP_RND_BITS, 1) == 0);
	ST_ASSERT(exec_random_offset(0, 0) == 0);
	for (int i = 0; i < 8; i++) {
		a[i] = exec_random_offset(MM_STACK_RND_BITS, 0);
		ST_ASSERT(!(a[i] & (PAGE_SIZE - 1)));
		ST_ASSERT(a[i] < (1ull << (MM_STACK_RND_BITS + PAGE_SHIFT)));
		distinct += i && a[i] != a[0];
	}
	ST_ASSERT(distinct > 0);
	ST_ASSERT(MM_PIE_BASE + (1ull << (MM_PIE_RND_BITS + PAGE_SHIFT)) + (1ull << 40) <
		  MM_STACK_TOP - (1ull << (MM_STACK_RND_BITS + PAGE_SHIFT)) -
		  MM_MMAP_GAP_MAX - (1ull << (MM_MMAP_RND_BITS + PAGE_SHIFT)));
	return 0;
}

/* The stack VMA and its contents. */
static int exec_setup_stack(struct exec_image *im, const struct exec_args *ea,
			    const char *execfn)
{
	struct exec_stack_args sa = {
		.argv = ea->argv, .argc = ea->argc,
		.envp = ea->envp, .envc = ea->envc,
		.execfn = execfn,
		.phdr = exec_phdr_addr(im),
		.phent = im->elf.phentsize,
		.phnum = im->elf.phnum,
		.entry = im->elf.entry + im->bias,
		.uid = current->cred.uid, .euid = current->cred.euid,
		.gid = current->cred.gid, .egid = current->cred.egid,
		.secure = 0,
		.hwcap = cpu_hwcap(),
	};
	uint8_t rnd[EXEC_RANDOM_BYTES];
	uint64_t top = im->stack_top, size, used;
	uint8_t *buf;
	int err;

	exec_random(rnd);
	sa.random = rnd;
	buf = kmalloc(EXEC_STACK_BUF);
	if (!buf)
		return -ENOMEM;
	err = exec_stack_build(&sa, top, buf, EXEC_STACK_BUF, &im->rsp);
	if (err)
		goto out_free;
	used = top - im->rsp;
	size = ALIGN_UP(used, PAGE_SIZE);
	if (size < EXEC_STACK_INIT)
		size = EXEC_STACK_INIT;
	/* A small RLIMIT_STACK caps the room given up front, as on Linux;
	 * the arguments themselves must still fit. */
	if (size > im->mm->stack_limit) {
		uint64_t room = ALIGN_DOWN(im->mm->stack_limit, PAGE_SIZE);

		size = room > ALIGN_UP(used, PAGE_SIZE) ? room : ALIGN_UP(used, PAGE_SIZE);
	}
	err = mm_setup_stack(im->mm, top, size);
	if (err == -EEXIST)
		err = -ENOMEM;	/* the image reaches into the stack's place */
	else if (err == -EINVAL && size > im->mm->stack_limit)
		err = -E2BIG;	/* arguments beyond RLIMIT_STACK */
	if (!err)
		err = mm_copy_in(im->mm, im->rsp, buf + EXEC_STACK_BUF - used, used);
	if (!err)
		exec_note_args(im, ea, buf, top);
out_free:
	kfree(buf);
	return err;
}

/* Every segment, the heap start and the stack, into a fresh mm. */
static int exec_build_mm(struct exec_image *im, const struct exec_args *ea,
			 const char *execfn)
{
	uint8_t *bounce;
	int err;

	err = mm_create(&im->mm);
	if (err)
		return err;
	im->mm->stack_limit = rlimit_stack_bytes(current);
	exec_layout(im);
	bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	for (unsigned i = 0; i < im->elf.nseg && !err; i++)
		err = exec_map_segment(im, &im->elf.seg[i], bounce);
	kfree(bounce);
	if (err)
		return err;
	mm_set_brk(im->mm, im->elf.end + im->bias +
		   exec_random_offset(__builtin_ctzll(MM_BRK_RND) - PAGE_SHIFT,
				      cmdline_has("norandmaps")));
	return exec_setup_stack(im, ea, execfn);
}

/*
 * W^X for a new image: elf_check judges the format only; a PT_LOAD that
 * is writable and executable is the policy's to refuse (EACCES, as mmap
 * would say, and a denial in the audit trail) or, under "wx=off", to
 * load as written. exec drops PR_SET_WX_RELAX, so only "wx=off" lifts
 * it. Before the point of no return: 0 or -EACCES.
 */
static int exec_check_wx(const struct exec_image *im, const char *path)
{
	const unsigned wx = ELF_PROT_WRITE | ELF_PROT_EXEC;

	for (unsigned i = 0; i < im->elf.nseg; i++)
		if ((im->elf.seg[i].prot & wx) == wx)
			return mm_wx_check_image(PROT_WRITE | PROT_EXEC, path);
	return 0;
}

/*
 * Find what to run: open path, and while it is a "#!" script rewrite
 * argv and open its interpreter instead. On success im holds the open
 * ELF file, its first page and the elf_check result.
 */
static int exec_find(struct exec_image *im, struct exec_args *ea, const char *path)
{
	struct script_interp *si = NULL;
	int err;

	for (int depth = 0;; depth++) {
		err = exec_open(path, &im->file);
		if (err)
			goto out;
		im->size = im->file->inode->size;
		im->head = kmalloc(PAGE_SIZE);
		err = -ENOMEM;
		if (!im->head)
			goto out;
		err = exec_read(im->file, im->head, PAGE_SIZE, 0);
		if (err < 0)
			goto out;
		im->headlen = err;
		if (im->headlen < 2 || im->head[0] != '#' || im->head[1] != '!') {
			err = elf_check(im->head, im->headlen, im->size, &im->elf);
			if (err)
				pr_debug("exec: %s: %s\n", path,
					 elf_reason_str(im->elf.reason));
			else
				err = exec_check_wx(im, path);
			goto out;
		}
		err = -ELOOP;
		if (depth == EXEC_MAX_DEPTH)
			goto out;
		err = -ENOMEM;
		if (!si && !(si = kmalloc(sizeof(*si))))
			goto out;
		err = script_parse((const char *)im->head, im->headlen, si);
		if (!err)
			err = args_script(ea, si, path);
		if (err)
			goto out;
		/* The interpreter's name now lives in ea->buf (argv[0]). */
		path = ea->argv[0];
		exec_image_free(im);
	}
out:
	kfree(si);
	return err;
}

/*
 * Let a vfork/CLONE_VFORK parent go on: the child no longer needs the
 * state it borrowed. Interrupts on or off.
 */
static void exec_vfork_release(struct proc *p)
{
	uint64_t flags = irq_save();

	if (p->vfork_parent) {
		wake_up_all(&p->vfork_parent->child_exit);
		p->vfork_parent = NULL;
	}
	irq_restore(flags);
}

/* Swap in the new address space and drop the old one (or, for a process
 * that had none, the raw page tables it ran on). */
static void exec_switch_mm(struct proc *p, struct mm *mm)
{
	struct mm *old = p->mm;
	paddr_t old_root = p->pml4;
	uint64_t flags = irq_save();

	p->mm = mm;
	p->pml4 = mm->pml4;
	mm_activate(mm);
	irq_restore(flags);
	if (old)
		mm_destroy(old);
	else if (old_root != kernel_pml4_phys())
		pt_destroy(old_root);
}

static void proc_name_from(struct proc *p, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash && slash[1])
		path = slash + 1;
	n = strnlen(path, PROC_NAME_LEN - 1);
	memcpy(p->name, path, n);
	p->name[n] = 0;
}

/*
 * execve for both callers: path, argv and envp from user memory or the
 * kernel's (the sources say which). Returns only on failure, with the
 * process as it was.
 */
static int do_execve(const struct strv_src *path, const struct strv_src *argv,
		     const struct strv_src *envp)
{
	struct exec_image im = { 0 };
	struct exec_args ea;
	uint64_t entry, rsp;
	int err;

	err = args_init(&ea, path, argv, envp);
	if (err)
		return err;
	err = exec_find(&im, &ea, ea.path);
	if (!err)
		err = exec_build_mm(&im, &ea, ea.path);
	if (err) {
		exec_image_free(&im);
		args_free(&ea);
		return err;
	}

	/* ---- point of no return: nothing below may fail ---- */

	exec_switch_mm(current, im.mm);
	im.mm = NULL;
	proc_name_from(current, ea.path);
	entry = im.elf.entry + im.bias;
	rsp = im.rsp;
	exec_image_free(&im);
	args_free(&ea);

	fd_table_close_on_exec(current);
	if (current->signal)
		signal_exec(current);
	current->clear_child_tid = 0;
	current->fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	exec_vfork_release(current);
	current->flags |= PF_EXECED;	/* setpgid by the parent: -EACCES */
	current->flags &= ~PF_WX_RELAX;	/* W^X again for the new image */
	user_enter(entry, rsp);		/* clean registers and FPU */
}

int kernel_execve(const char *path, const char *const *argv,
		  const char *const *envp)
{
	struct strv_src p = { .kv = &path }, a = { .kv = argv }, e = { .kv = envp };

	return do_execve(&p, &a, &e);
}

SYSCALL_DEFINE(execve)
{
	struct strv_src path = { .uptr = a0 }, argv = { .uptr = a1 }, envp = { .uptr = a2 };

	return do_execve(&path, &argv, &envp);
}

/* ---- per-image thread state ------------------------------------------- */

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

/* The FS base is musl's thread pointer. The scheduler loads it on every
 * switch (sched.c); only canonical user addresses are accepted, or
 * wrmsr would fault in the kernel. */
SYSCALL_DEFINE(arch_prctl)
{
	switch (a0) {
	case ARCH_SET_FS:
		if (a1 >= USER_END)
			return -EPERM;
		current->fs_base = a1;
		wrmsr(MSR_FS_BASE, a1);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(a1, &current->fs_base, 8);
	default:
		return -EINVAL;		/* GS stays the kernel's swapgs pair */
	}
}

/* Kept for the futex wake-up at thread exit, which comes with threads;
 * one thread per process, so the tid is the pid. */
SYSCALL_DEFINE(set_tid_address)
{
	current->clear_child_tid = a0;
	return current->pid;
}

struct utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

/* The node name uname reports, NUL-terminated; set by sethostname.
 * Readers and the writer copy it with preemption off (one CPU). */
static char hostname[65] = "(none)";

SYSCALL_DEFINE(uname)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	memcpy(u.sysname, "kernel", 7);
	preempt_disable();
	memcpy(u.nodename, hostname, sizeof(hostname));
	preempt_enable();
	memcpy(u.release, "0.1", 4);
	memcpy(u.version, "#1", 3);
	memcpy(u.machine, "x86_64", 7);
	memcpy(u.domainname, "(none)", 7);
	return copy_to_user(a0, &u, sizeof(u));
}

/* sethostname(name, len): len bytes, no NUL needed. Root only (checked
 * first, as Linux does), then EINVAL above 64 bytes, then EFAULT. */
SYSCALL_DEFINE(sethostname)
{
	char buf[sizeof(hostname)];
	size_t len = (size_t)a1;

	if (current->cred.euid != 0)
		return -EPERM;
	if (len > sizeof(hostname) - 1)
		return -EINVAL;
	if (copy_from_user(buf, a0, len))
		return -EFAULT;
	buf[len] = 0;
	preempt_disable();
	memcpy(hostname, buf, len + 1);
	preempt_enable();
	return 0;
}

/* ---- init -------------------------------------------------------------- */

static const char *const init_envp[] = { "HOME=/", "TERM=linux", "PATH=/bin", NULL };

void exec_start_init(void)
{
	char path[128];
	const char *argv[2];
	bool named = cmdline_get("init", path, sizeof(path)) > 0;
	int err;

	if (!named)
		memcpy(path, "/bin/init", sizeof("/bin/init"));
	err = vfs_setup_init_fds();
	if (err)
		panic("kernel: cannot open /dev/console for init: error %d", err);
	argv[0] = path;
	argv[1] = NULL;
	pr_info("kernel: starting %s\n", path);
	err = kernel_execve(path, argv, init_envp);
	if (err == -ENOENT && !named) {
		pr_info("kernel: no %s in the initrd\n", path);
		return;
	}
	panic("kernel: cannot run init %s: error %d", path, err);
}

/* ---- the guest-test runner --------------------------------------------- */

#define GUEST_MAX	64
#define GUEST_NAME	64

struct guest_job {
	char path[GUEST_NAME + 8];	/* /bin/<name> */
	char out[GUEST_NAME + 16];	/* /tmp/<name>.out: its stdout/stderr */
};

/* The test program's process: console on fd 0, the capture file on 1
 * and 2, then exec. Returns (and so exits) only when exec failed. */
static int guest_child(void *arg)
{
	struct guest_job *job = arg;
	const char *argv[] = { job->path, NULL };
	struct path root = vfs_root();
	struct file *in, *out;
	int err;

	err = vfs_proc_init(current);
	if (err)
		return 126;
	err = vfs_open(&root, "/dev/console", O_RDWR, 0, &in);
	if (err)
		return 126;
	if (fd_install(current->files, in, 0, false) != 0)
		return 126;
	err = vfs_open(&root, job->out, O_WRONLY | O_CREAT | O_TRUNC, 0600, &out);
	if (err)
		return 126;
	file_get(out);
	if (fd_install(current->files, out, 1, false) != 1 ||
	    fd_install(current->files, out, 2, false) != 2)
		return 126;
	err = kernel_execve(job->path, argv, init_envp);
	printk("exec %s: error %d\n", job->path, err);
	return 127;
}

static void guest_line(const char *line, int *passed, int *failed)
{
	printk("%s\n", line);
	if (!strncmp(line, "PASS ", 5))
		(*passed)++;
	else if (!strncmp(line, "FAIL ", 5))
		(*failed)++;
}

/* Echo what the program wrote, counting its result lines. A line longer
 * than a page is cut into page-sized pieces. */
static void guest_report(const char *outpath, int *passed, int *failed)
{
	struct path root = vfs_root();
	char *buf = kmalloc(PAGE_SIZE + 1);
	size_t have = 0, start;
	struct file *f;
	bool eof = false;

	if (!buf)
		return;
	if (vfs_open(&root, outpath, O_RDONLY, 0, &f) < 0) {
		kfree(buf);
		return;
	}
	while (!eof) {
		struct iobuf io = iobuf_kernel(buf + have, PAGE_SIZE - have);
		long r = vfs_read(f, &io);

		if (r > 0)
			have += r;
		eof = r <= 0;
		start = 0;
		for (size_t i = 0; i < have; i++) {
			if (buf[i] == '\n') {
				buf[i] = 0;
				guest_line(buf + start, passed, failed);
				start = i + 1;
			}
		}
		if ((eof || (start == 0 && have == PAGE_SIZE)) && start < have) {
			buf[have] = 0;
			guest_line(buf + start, passed, failed);
			start = have;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	file_put(f);
	kfree(buf);
}

static void guest_run_one(const char *name, int *passed, int *failed)
{
	struct guest_job *job = kzalloc(sizeof(*job));
	struct proc *p;
	int status = 0;

	if (!job) {
		printk("FAIL guest/%s: no memory to start it\n", name);
		(*failed)++;
		return;
	}
	snprintf(job->path, sizeof(job->path), "/bin/%s", name);
	snprintf(job->out, sizeof(job->out), "/tmp/%s.out", name);
	p = kthread_create(name, guest_child, job);
	if (!p || proc_wait(p->pid, &status) < 0) {
		printk("FAIL guest/%s: could not run it\n", name);
		(*failed)++;
		kfree(job);
		return;
	}
	/* kmain is pid 1 here: it reaps the orphans the test left. */
	proc_reap_zombies();
	guest_report(job->out, passed, failed);
	vfs_unlink(NULL, job->out);
	if (status == 0) {
		printk("PASS guest/%s (exit status 0)\n", name);
		(*passed)++;
	} else {
		printk("FAIL guest/%s: wait status %#x\n", name, status);
		(*failed)++;
	}
	kfree(job);
}

/* linux_dirent64, as vfs_getdents fills it. */
struct dirent64_hdr {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* The names in /bin ending in "test", sorted; their count. */
static int guest_list(char (*names)[GUEST_NAME], int max)
{
	struct path root = vfs_root();
	char *buf = kmalloc(PAGE_SIZE);
	struct file *dir;
	int n = 0, len;

	if (!buf)
		return 0;
	if (vfs_open(&root, "/bin", O_RDONLY | O_DIRECTORY, 0, &dir) < 0) {
		kfree(buf);
		return 0;
	}
	for (;;) {
		struct iobuf io = iobuf_kernel(buf, PAGE_SIZE);

		len = vfs_getdents(dir, &io);
		if (len <= 0)
			break;
		for (int off = 0; off < len;) {
			struct dirent64_hdr *d = (struct dirent64_hdr *)(buf + off);
			size_t l = strlen(d->d_name);

			off += d->d_reclen;
			if (l < 4 || l >= GUEST_NAME || strcmp(d->d_name + l - 4, "test"))
				continue;
			if (n == max) {
				/* Counted as a failure by the harness, which
				 * fails on any FAIL line. */
				printk("FAIL guest/%s: more than %d guest tests\n", d->d_name, max);
				continue;
			}
			int i = n++;
			while (i > 0 && strcmp(names[i - 1], d->d_name) > 0) {
				memcpy(names[i], names[i - 1], GUEST_NAME);
				i--;
			}
			memcpy(names[i], d->d_name, l + 1);
		}
	}
	file_put(dir);
	kfree(buf);
	return n;
}

static int count_segment(const struct shmid_ds *ds, int id, uint64_t rss, void *arg)
{
	(void)ds; (void)id; (void)rss;
	(*(int *)arg)++;
	return 0;
}

/* No System V segment outlives the programs that made it (what `ipcs`
 * would show): an untouched segment holds no frame, so the leak check
 * alone would miss it. */
static void guest_check_ipc(int *passed, int *failed)
{
	int n = 0;

	shm_for_each(count_segment, &n);
	if (n) {
		printk("FAIL guest/no_shm_segments_left: %d segments\n", n);
		(*failed)++;
	} else {
		printk("PASS guest/no_shm_segments_left\n");
		(*passed)++;
	}
}

void exec_run_guest_tests(int *passed, int *failed)
{
	char (*names)[GUEST_NAME];
	uint64_t before, after;
	int n;

	/* Counted before the name list exists and after it is gone, so the
	 * two figures must match exactly. */
	kmem_shrink_all();
	before = page_free_count();
	names = kmalloc(GUEST_MAX * GUEST_NAME);
	if (!names)
		return;
	n = guest_list(names, GUEST_MAX);
	for (int i = 0; i < n; i++)
		guest_run_one(names[i], passed, failed);
	kfree(names);
	if (!n)
		return;

	/* Every process was reaped and every capture file removed: what
	 * the programs took must all have come back. */
	proc_reap_zombies();
	guest_check_ipc(passed, failed);
	kmem_shrink_all();
	after = page_free_count();
	if (after == before) {
		printk("PASS guest/no_frames_leaked (%lu free before, %lu after)\n",
		       (unsigned long)before, (unsigned long)after);
		(*passed)++;
	} else {
		printk("FAIL guest/no_frames_leaked: %lu free before, %lu after\n",
		       (unsigned long)before, (unsigned long)after);
		(*failed)++;
	}
}
