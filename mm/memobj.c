/* Memory objects: the page table of an object (index -> frame), its
 * references and truncation. What fills a page is the owner's business
 * (memobj_ops); mapping the pages into address spaces is the fault path's.
 * Everything here runs with interrupts off, so it is safe from the fault
 * path and never sleeps. */
#include <memobj.h>
#include <mm.h>
#include <page.h>
#include <kmalloc.h>
#include <io.h>
#include <string.h>
#include <uapi/errno.h>

void memobj_init(struct memobj *obj, const struct memobj_ops *ops, void *private)
{
	obj->ops = ops;
	obj->refcount = 1;
	obj->nr_pages = 0;
	obj->limit = 0;
	obj->mappers = NULL;
	obj->ndir = 0;
	obj->dir = NULL;
	obj->private = private;
	obj->dev = 0;
	obj->ino = 0;
}

void memobj_get(struct memobj *obj)
{
	__atomic_add_fetch(&obj->refcount, 1, __ATOMIC_SEQ_CST);
}

void memobj_put(struct memobj *obj)
{
	if (__atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	memobj_truncate(obj, 0);
	if (obj->ops && obj->ops->release)
		obj->ops->release(obj);
}

/* The slot for index, or NULL if its leaf does not exist (and alloc is 0
 * or memory is short). Interrupts off. */
static struct page **slot(struct memobj *obj, uint32_t index, int alloc)
{
	uint32_t d = index >> MEMOBJ_LEAF_SHIFT;

	if (d >= obj->ndir) {
		if (!alloc)
			return NULL;
		uint32_t n = obj->ndir ? obj->ndir : 4;
		while (n <= d)
			n *= 2;
		struct page ***nd = kzalloc(n * sizeof(*nd));
		if (!nd)
			return NULL;
		if (obj->dir)
			memcpy(nd, obj->dir, obj->ndir * sizeof(*nd));
		kfree(obj->dir);
		obj->dir = nd;
		obj->ndir = n;
	}
	if (!obj->dir[d]) {
		if (!alloc)
			return NULL;
		obj->dir[d] = kzalloc(MEMOBJ_LEAF * sizeof(struct page *));
		if (!obj->dir[d])
			return NULL;
	}
	return &obj->dir[d][index & (MEMOBJ_LEAF - 1)];
}

int memobj_get_page(struct memobj *obj, uint32_t index, unsigned flags,
		    struct page **out)
{
	uint64_t irq = irq_save();
	struct page **s = slot(obj, index, flags & MEMOBJ_CREATE);
	int err;

	if (!s) {
		err = (flags & MEMOBJ_CREATE) ? -ENOMEM : -ENOENT;
		goto out;
	}
	if (!*s) {
		struct page *pg;

		if (!(flags & MEMOBJ_CREATE)) {
			err = -ENOENT;
			goto out;
		}
		err = obj->ops->get_page(obj, index, flags, &pg);
		if (err < 0)
			goto out;
		pg->owner = obj;
		pg->index = index;
		*s = pg;
		obj->nr_pages++;
	}
	page_get(*s);
	*out = *s;
	err = 0;
out:
	irq_restore(irq);
	return err;
}

void memobj_map(struct memobj *obj, struct vma *vma)
{
	uint64_t irq = irq_save();

	vma->obj_prev = NULL;
	vma->obj_next = obj->mappers;
	if (obj->mappers)
		obj->mappers->obj_prev = vma;
	obj->mappers = vma;
	irq_restore(irq);
}

void memobj_unmap(struct memobj *obj, struct vma *vma)
{
	uint64_t irq = irq_save();

	if (vma->obj_prev)
		vma->obj_prev->obj_next = vma->obj_next;
	else
		obj->mappers = vma->obj_next;
	if (vma->obj_next)
		vma->obj_next->obj_prev = vma->obj_prev;
	vma->obj_prev = vma->obj_next = NULL;
	irq_restore(irq);
}

void memobj_extend(struct memobj *obj, uint32_t npages)
{
	if (npages > obj->limit)
		obj->limit = npages;
}

/* Unmap indexes >= from from every VMA mapping obj. A VMA maps
 * [pgoff, pgoff + its pages); mm_zap_range flushes each PTE before
 * dropping its frame. Interrupts off. */
static void unmap_mappers(struct memobj *obj, uint32_t from)
{
	for (struct vma *v = obj->mappers; v; v = v->obj_next) {
		uint64_t pages = (v->end - v->start) >> PAGE_SHIFT;
		uint64_t first = from > v->pgoff ? from : v->pgoff;

		if (first >= v->pgoff + pages)
			continue;
		mm_zap_range(v->mm, v->start + ((first - v->pgoff) << PAGE_SHIFT), v->end);
	}
}

void memobj_truncate(struct memobj *obj, uint32_t new_npages)
{
	uint64_t irq = irq_save();
	uint32_t dropped = 0;

	if (new_npages < obj->limit)
		obj->limit = new_npages;
	unmap_mappers(obj, new_npages);

	for (uint32_t d = new_npages >> MEMOBJ_LEAF_SHIFT; d < obj->ndir; d++) {
		struct page **leaf = obj->dir[d];
		uint32_t first = 0;

		if (!leaf)
			continue;
		if (d == new_npages >> MEMOBJ_LEAF_SHIFT)
			first = new_npages & (MEMOBJ_LEAF - 1);
		for (uint32_t i = first; i < MEMOBJ_LEAF; i++) {
			if (!leaf[i])
				continue;
			leaf[i]->owner = NULL;
			page_put(leaf[i]);
			leaf[i] = NULL;
			dropped++;
		}
		if (first == 0) {
			kfree(leaf);
			obj->dir[d] = NULL;
		}
	}
	obj->nr_pages -= dropped;
	if (new_npages == 0) {
		kfree(obj->dir);
		obj->dir = NULL;
		obj->ndir = 0;
	}
	if (obj->ops && obj->ops->truncate)
		obj->ops->truncate(obj, new_npages, dropped);
	irq_restore(irq);
}

int memobj_writeback(struct memobj *obj)
{
	if (obj->ops && obj->ops->writeback)
		return obj->ops->writeback(obj);
	return 0;
}
