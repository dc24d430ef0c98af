/* mm_fork: the copy-on-write copy of an address space for fork. VMAs and
 * page-table entries are copied, page contents never: see the COW states
 * in mm/fault.c. Creating the child process is proc/'s business. */
#include <mm.h>
#include <page.h>
#include <pgtable.h>
#include <panic.h>
#include <string.h>
#include <uapi/errno.h>

/*
 * Share vma's pages between parent and child. Private pages: the frame
 * gains a reference and both PTEs lose write permission, so the first
 * write on either side breaks COW. The zero page is shared as it is.
 * Shared mappings keep their permissions on both sides: both map the
 * object's frame. A private file VMA maps the object's frames read-only
 * already, so they fork as COW pages do. The child's VMAs took their
 * object references in the open hook (mm/mm.c).
 */
static int fork_range(struct mm *parent, struct mm *child, const struct vma *vma)
{
	int shared = (vma->flags & VMA_SHARED) != 0;
	unsigned ro = mm_vma_prot(vma, 0);
	paddr_t zero = mm_zero_page();

	for (uint64_t va = vma->start; va < vma->end; va += PAGE_SIZE) {
		unsigned prot, cprot;
		struct page *pg;
		paddr_t pa;

		if (pt_lookup(parent->pml4, va, &pa, &prot) < 0)
			continue;
		if (pa == zero) {
			if (pt_map(child->pml4, va, zero, ro) < 0)
				return -ENOMEM;
			continue;
		}
		pg = phys_to_page(pa);
		BUG_ON(!pg);
		cprot = shared ? mm_vma_prot(vma, prot & PT_WRITE) : ro;
		if (pt_map(child->pml4, va, pa, cprot) < 0)
			return -ENOMEM;
		page_get(pg);
		pg->mapcount++;
		mm_rss_add(child, mm_rss_kind(vma, pg), 1);
		if (!shared && (prot & PT_WRITE))
			pt_protect(parent->pml4, va, ro);
	}
	return 0;
}

int mm_fork(struct mm *parent, struct mm **out)
{
	struct mm *child;
	struct vma *v;
	int err = mm_create(&child);

	if (err)
		return err;
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
		err = fork_range(parent, child, v);
		if (err)
			goto out_destroy_child;
	}
	*out = child;
	return 0;

out_destroy_child:
	mm_destroy(child);
	return err;
}
