/* Mappings backed by a memory object: checking an fd for mmap, the object
 * of a MAP_SHARED|MAP_ANONYMOUS region, the refcounted path name a file
 * mapping shows in /proc/<pid>/maps, msync(2), and which object backs an
 * address (shared futex keys). Faulting the pages in is fault.c's
 * (fault_file); the object's pages are memobj.c's. */
#include <mm.h>
#include <memobj.h>
#include <page.h>
#include <proc.h>
#include <vfs.h>
#include <kmalloc.h>
#include <syscall.h>
#include <string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>
#include <uapi/stat.h>

/*
 * The name of a file mapping. VMAs copy the name pointer on splits and
 * fork, so it is counted: each VMA struct holds one reference, taken in
 * its open hook and dropped in its close hook, and the mmap call holds
 * its own until the VMA is in. vma->name points at path.
 */
struct map_name {
	int refcount;
	char path[];
};

static struct map_name *map_name_of(const struct vma *vma)
{
	return (struct map_name *)(vma->name - offsetof(struct map_name, path));
}

static void file_vma_open(struct vma *vma)
{
	map_name_of(vma)->refcount++;
}

static void map_name_put(struct map_name *n)
{
	if (--n->refcount == 0)
		kfree(n);
}

static void file_vma_close(struct vma *vma)
{
	map_name_put(map_name_of(vma));
}

/* Only for VMAs whose name is a map_name. */
static const struct vma_ops file_vma_ops = {
	.open = file_vma_open,
	.close = file_vma_close,
};

/* ---- shared anonymous memory --------------------------------------------- */

/* Zeroed frames, with no limit but memory: the object is the region. */
static int anon_get_page(struct memobj *obj, uint32_t index, unsigned flags,
			 struct page **out)
{
	(void)obj;
	(void)index;
	(void)flags;
	*out = page_alloc(0, GFP_ZERO);
	return *out ? 0 : -ENOMEM;
}

static void anon_release(struct memobj *obj)
{
	kfree(obj);
}

static const struct memobj_ops anon_memobj_ops = {
	.get_page = anon_get_page,
	.release = anon_release,
};

/* ---- mmap --------------------------------------------------------------- */

/* A file's object for mmap: the errors of mmap(2) in Linux's order, then
 * the sharing bits. A shared mapping of a file not open for writing can
 * never be written, so it loses VMA_SHARED and VMA_MAYWRITE (as on Linux)
 * and behaves as a read-only private one. */
static int prepare_file(struct vma *tmpl, uint64_t len, unsigned long prot,
			unsigned long flags, int fd, uint64_t off)
{
	struct file *f = fd_get(current->files, fd);
	int shared = (flags & MAP_TYPE) != MAP_PRIVATE;
	unsigned acc;
	struct map_name *n;
	const char *path;
	size_t plen;
	int err;

	if (!f)
		return -EBADF;
	acc = f->flags & O_ACCMODE;
	if (f->flags & O_PATH) {
		err = -EBADF;
		goto out_put_file;
	}
	if (!S_ISREG(f->inode->mode) || !f->inode->memobj) {
		err = -ENODEV;
		goto out_put_file;
	}
	if (acc == O_WRONLY) {
		err = -EACCES;
		goto out_put_file;
	}
	if (shared && (prot & PROT_WRITE) &&
	    (acc != O_RDWR || (f->flags & O_APPEND))) {
		err = -EACCES;
		goto out_put_file;
	}
	/* Page indexes of an object are 32-bit. */
	if ((off >> PAGE_SHIFT) + (len >> PAGE_SHIFT) > 0x100000000ull) {
		err = -EOVERFLOW;
		goto out_put_file;
	}
	path = f->name ? f->name : "";
	plen = strlen(path);
	n = kmalloc(sizeof(*n) + plen + 1);
	if (!n) {
		err = -ENOMEM;
		goto out_put_file;
	}
	n->refcount = 1;
	memcpy(n->path, path, plen + 1);

	if (shared) {
		tmpl->flags |= VMA_SHARED | VMA_MAYSHARE;
		if (acc != O_RDWR)
			tmpl->flags &= ~(VMA_SHARED | VMA_MAYWRITE);
	}
	tmpl->obj = f->inode->memobj;
	memobj_get(tmpl->obj);
	tmpl->pgoff = off >> PAGE_SHIFT;
	tmpl->ops = &file_vma_ops;
	tmpl->name = n->path;
	err = 0;
out_put_file:
	file_put(f);
	return err;
}

int mm_mapping_prepare(struct vma *tmpl, uint64_t len, unsigned long prot,
		       unsigned long flags, int fd, uint64_t off)
{
	struct memobj *obj;

	if (!(flags & MAP_ANONYMOUS))
		return prepare_file(tmpl, len, prot, flags, fd, off);
	if (len >> PAGE_SHIFT > 0xFFFFFFFFull)
		return -ENOMEM;
	obj = kmalloc(sizeof(*obj));
	if (!obj)
		return -ENOMEM;
	memobj_init(obj, &anon_memobj_ops, NULL);
	memobj_extend(obj, (uint32_t)(len >> PAGE_SHIFT));
	tmpl->flags |= VMA_SHARED | VMA_MAYSHARE;
	tmpl->obj = obj;
	tmpl->pgoff = 0;
	return 0;
}

void mm_mapping_put(struct vma *tmpl)
{
	if (tmpl->ops == &file_vma_ops)
		map_name_put(map_name_of(tmpl));
	if (tmpl->obj)
		memobj_put(tmpl->obj);
}

/* ---- what backs an address ---------------------------------------------- */

/* A MAP_SHARED file mapping opened read-only lost VMA_SHARED (see
 * prepare_file) but still maps the file's own pages: VMA_MAYSHARE is
 * what says "these are the object's pages". */
int mm_shared_backing(struct mm *mm, uint64_t addr, struct memobj **obj,
		      uint64_t *index)
{
	struct vma *vma = vma_find(&mm->vmas, addr);

	if (!vma || !(vma->flags & VMA_PROT_MASK))
		return -EFAULT;
	*obj = NULL;
	if (!vma->obj || !(vma->flags & VMA_MAYSHARE))
		return 0;
	*obj = vma->obj;
	memobj_get(*obj);
	*index = vma->pgoff + ((addr - vma->start) >> PAGE_SHIFT);
	return 0;
}

/* ---- msync -------------------------------------------------------------- */

#define MS_ALL	(MS_ASYNC | MS_INVALIDATE | MS_SYNC)

/*
 * A shared mapping's pages are the object's pages, so there is never a
 * copy to invalidate, and on tmpfs (every file system so far) the pages
 * ARE the file: MS_SYNC's writeback is a no-op that returns 0, MS_ASYNC
 * has nothing to schedule. What msync does do is check its arguments and
 * the range as Linux does: a hole anywhere in it is -ENOMEM (after the
 * mapped parts are synced), MS_INVALIDATE over locked memory -EBUSY.
 */
int do_msync(struct mm *mm, uint64_t addr, uint64_t len, unsigned long flags)
{
	uint64_t end, at = addr;
	int hole = 0;
	struct vma *v;

	if ((flags & ~(unsigned long)MS_ALL) || (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	if (len > UINT64_MAX - addr - PAGE_SIZE)
		return -ENOMEM;
	end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (end == addr)
		return 0;
	for (v = vma_find_next(&mm->vmas, addr); v && v->start < end; v = vma_next(v)) {
		if (v->start > at)
			hole = 1;
		if ((flags & MS_INVALIDATE) && (v->flags & VMA_LOCKED))
			return -EBUSY;
		if ((flags & MS_SYNC) && (v->flags & VMA_SHARED) && v->obj) {
			int err = memobj_writeback(v->obj);

			if (err)
				return err;
		}
		at = v->end;
	}
	if (at < end)
		hole = 1;
	return hole ? -ENOMEM : 0;
}

/* msync(addr, length, flags) */
SYSCALL_DEFINE(msync)
{
	if (!current->mm)
		return -ENOMEM;
	return do_msync(current->mm, a0, a1, a2);
}
