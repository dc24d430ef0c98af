/* Memory objects (mm/memobj.c): a refcounted owner of pages by index, the
 * one interface behind a tmpfs file's data, a POSIX or System V shared
 * segment and a shared anonymous mapping. read/write and mmap of the same
 * object go through memobj_get_page, so they see the same frames. Who
 * fills a missing page (zeroed, from a device...) is the object's ops. */
#ifndef MEMOBJ_H
#define MEMOBJ_H
#include <stdint.h>
#include <stddef.h>

struct page;
struct memobj;
struct vma;

/* memobj_get_page flags */
#define MEMOBJ_CREATE	0x1	/* fill a missing page (else -ENOENT) */

struct memobj_ops {
	/*
	 * Provide the page for index, which the object does not hold yet:
	 * a frame with refcount 1 that the object then owns (tmpfs: a zeroed
	 * frame, -ENOSPC past the mount's limit, -ENOMEM). Called with
	 * interrupts off: it must not sleep.
	 */
	int (*get_page)(struct memobj *obj, uint32_t index, unsigned flags,
			struct page **out);
	/* Write dirty pages back to a backing store: 0 or -errno. NULL: no
	 * store (tmpfs). */
	int (*writeback)(struct memobj *obj);
	/* Told after memobj_truncate dropped `dropped` pages, so the owner can
	 * give back what it accounted for them. Interrupts off. May be NULL. */
	void (*truncate)(struct memobj *obj, uint32_t new_npages, uint32_t dropped);
	/* The last reference went and every page is dropped: free what holds
	 * obj. May be NULL (obj embedded in something freed elsewhere). */
	void (*release)(struct memobj *obj);
};

#define MEMOBJ_LEAF_SHIFT	9	/* 512 page pointers per leaf: one frame */
#define MEMOBJ_LEAF		(1u << MEMOBJ_LEAF_SHIFT)

/*
 * The pages live in a two-level table: dir[index >> 9][index & 511], each
 * leaf a kzalloc'd 4 KiB array grown on demand, dir grown by doubling.
 * The object holds one reference on every page it has; each page records
 * owner = obj and index. Table and counts are guarded by irq_save (one
 * CPU): the fault path may ask for pages too.
 */
struct memobj {
	const struct memobj_ops *ops;
	int refcount;		/* memobj_get/memobj_put; atomic */
	uint32_t nr_pages;	/* pages held */
	uint32_t limit;		/* pages [0, limit) may be mapped: a fault at
				   or past it is SIGBUS (a file's size
				   rounded up; 0 at init) */
	struct vma *mappers;	/* every VMA mapping the object, linked
				   through vma->obj_next (memobj_map) */
	uint32_t ndir;		/* slots in dir */
	struct page ***dir;	/* NULL until the first page */
	void *private;		/* the owner's (tmpfs: the super block) */
	/* The device and inode /proc/<pid>/maps shows for a mapping of the
	 * object, as Linux does for files: set by the owner; 0 and 0 (as
	 * memobj_init leaves them) for anonymous memory. */
	uint32_t dev;
	uint64_t ino;
};

/* Set up an embedded or allocated object with refcount 1 and no pages. */
void memobj_init(struct memobj *obj, const struct memobj_ops *ops, void *private);

void memobj_get(struct memobj *obj);
/* Drop a reference; the last one drops every page and calls ops->release. */
void memobj_put(struct memobj *obj);

/*
 * The page at index, with a reference added for the caller (page_put it
 * when done; a mapping keeps it until unmap). Without MEMOBJ_CREATE a hole
 * is -ENOENT and nothing is allocated (a read of a hole sees zeros);
 * with it, ops->get_page fills the hole. 0 and *out, or -errno.
 */
int memobj_get_page(struct memobj *obj, uint32_t index, unsigned flags,
		    struct page **out);

/*
 * Drop the pages at index >= new_npages and lower the limit to it. Every
 * mapping of those indexes goes first (private copies made from them
 * too, as on Linux), through the mappers list: each VMA is on it from
 * its open hook to its close hook, so no address space keeps a PTE to a
 * frame the file no longer has, and the next touch there is SIGBUS.
 */
void memobj_truncate(struct memobj *obj, uint32_t new_npages);

/* Raise the limit to npages (a file grew); never lowers it. */
void memobj_extend(struct memobj *obj, uint32_t npages);

/* Put vma on / take it off obj's mappers list (vma->obj == obj; vma->mm
 * set). For the VMA open and close hooks of mm/mm.c. */
void memobj_map(struct memobj *obj, struct vma *vma);
void memobj_unmap(struct memobj *obj, struct vma *vma);

/* ops->writeback, or 0 when there is none. */
int memobj_writeback(struct memobj *obj);

#endif
