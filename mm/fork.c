/* mm_fork: the copy-on-write copy of an address space for fork. VMAs and
 * page-table entries are copied, page contents never: see the COW states
 * in mm/fault.c. Creating the child process is proc/'s business. */
#include <mm.h>
#include <page.h>
#include <pgtable.h>
#include <panic.h>
#include <string.h>
#include <uapi/errno.h>

struct fork_walk {
	struct mm *child;
	const struct vma *vma;
	int shared;		/* VMA_SHARED: both sides keep writing */
	pte_t ro, rw;		/* leaf bits for the VMA's pages (pte_bits) */
	paddr_t zero;
	struct pt_flush *flush;	/* the parent's entries made read-only */
};

/*
 * pt_copy_fn: share the frame of the parent's entry with the child.
 * Private pages: the frame gains a reference and both PTEs lose write
 * permission, so the first write on either side breaks COW. The zero
 * page is shared as it is, holding no count. Shared mappings keep their
 * permissions on both sides: both map the object's frame. A private file
 * VMA maps the object's frames read-only already, so they fork as COW
 * pages do.
 */
static int fork_pte(void *ctx, vaddr_t va, pte_t *src, pte_t *dst)
{
	struct fork_walk *w = ctx;
	paddr_t pa = pte_frame(*src);
	int writable = pte_writable(*src);
	struct page *pg;

	if (pa == w->zero) {
		*dst = pte_make(pa, w->ro);
		return 0;
	}
	pg = phys_to_page(pa);
	BUG_ON(!pg);
	*dst = pte_make(pa, w->shared && writable ? w->rw : w->ro);
	page_get(pg);
	pg->mapcount++;
	mm_rss_add(w->child, mm_rss_kind(w->vma, pg), 1);
	if (!w->shared && writable && pte_set_bits(src, w->ro))
		pt_flush_add(w->flush, va);
	return 0;
}

/* Copy the page-table entries of vma from parent to child: the work
 * follows the parent's page tables, not the VMA's length. The child's
 * VMAs took their object references in the open hook (mm/mm.c). 0 or
 * -ENOMEM, with what was copied the child's to drop (mm_destroy). */
static int fork_range(struct mm *parent, struct mm *child, const struct vma *vma,
		      struct pt_flush *flush)
{
	struct fork_walk w = {
		.child = child, .vma = vma,
		.shared = (vma->flags & VMA_SHARED) != 0,
		.ro = pte_bits(mm_vma_prot(vma, 0)), .rw = pte_bits(mm_vma_prot(vma, 1)),
		.zero = mm_zero_page(), .flush = flush,
	};
	int err = pt_copy_range(parent->pml4, vma->start, vma->end, child->pml4,
				vma->start, fork_pte, &w);

	/* The child's range is empty and fork_pte never fails: anything
	 * but a missing table is a broken invariant. */
	BUG_ON(err && err != -ENOMEM);
	return err;
}

int mm_fork(struct mm *parent, struct mm **out)
{
	struct pt_flush flush;
	struct mm *child;
	struct vma *v;
	int err = mm_create(&child);

	if (err)
		return err;
	pt_flush_init(&flush, parent->pml4);
	child->start_brk = parent->start_brk;
	child->brk = parent->brk;
	child->mmap_base = parent->mmap_base;
	child->stack_top = parent->stack_top;
	child->stack_limit = parent->stack_limit;
	child->arg_start = parent->arg_start;
	child->arg_end = parent->arg_end;
	child->start_code = parent->start_code;
	memcpy(child->exe_name, parent->exe_name, sizeof(child->exe_name));

	vma_for_each(v, &parent->vmas) {
		struct vma tmpl = {
			/* memory locks are not inherited (as on Linux) */
			.start = v->start, .end = v->end,
			.flags = v->flags & ~VMA_LOCKED,
			.obj = v->obj, .pgoff = v->pgoff, .ops = v->ops,
			.name = v->name,
		};
		uint64_t pages = (v->end - v->start) >> PAGE_SHIFT;

		if (v->flags & VMA_DONTCOPY)
			continue;
		err = vma_insert(&child->vmas, &tmpl, NULL);
		if (err)
			goto out_destroy_child;
		child->total_vm += pages;
		err = fork_range(parent, child, v, &flush);
		if (err)
			goto out_destroy_child;
	}
	/* One flush for every parent entry made read-only, before the
	 * parent can write through a stale writable translation. */
	pt_flush_finish(&flush);
	*out = child;
	return 0;

out_destroy_child:
	pt_flush_finish(&flush);
	mm_destroy(child);
	return err;
}
