/* struct mm: creating and destroying user address spaces, loading one into
 * CR3, the shared zero page, and dropping the page mappings of a range.
 * What gets mapped, and when, is mmap.c's, fault.c's and fork.c's; the
 * interval logic is vma.c's and the PTE format pgtable.c's. */
#include <mm.h>
#include <page.h>
#include <pgtable.h>
#include <kmalloc.h>
#include <panic.h>
#include <io.h>
#include <string.h>
#include <uapi/errno.h>

/*
 * The zero page lives in the kernel image's .bss rather than the frame
 * allocator: it is there from boot without an init step, and it never
 * shows up in free-frame counts. Its frame is never referenced-counted;
 * everything that puts frames checks for it first.
 */
static uint8_t zero_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

paddr_t mm_zero_page(void)
{
	return virt_to_phys(zero_page);
}

/* VMA structs come from kmalloc: its caches exist from boot, so an idle
 * system holds no VMA slab. Private anonymous VMAs need no open/close. */
static struct vma *mm_vma_alloc(void *ctx)
{
	(void)ctx;
	return kmalloc(sizeof(struct vma));
}

static void mm_vma_free(void *ctx, struct vma *vma)
{
	(void)ctx;
	kfree(vma);
}

static const struct vma_hooks mm_vma_hooks = {
	.alloc = mm_vma_alloc,
	.free = mm_vma_free,
};

unsigned mm_vma_prot(const struct vma *vma, int write)
{
	unsigned prot = PT_USER;

	if (write && (vma->flags & VMA_WRITE))
		prot |= PT_WRITE;
	if (vma->flags & VMA_EXEC)
		prot |= PT_EXEC;
	return prot;
}

int mm_create(struct mm **out)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	int err;

	if (!mm)
		return -ENOMEM;
	err = pt_create(&mm->pml4);
	if (err)
		goto out_free_mm;
	err = vma_tree_init(&mm->vmas, MM_USER_LOW, MM_USER_TOP, &mm_vma_hooks);
	if (err)
		goto out_destroy_pt;
	mm->mmap_base = MM_MMAP_BASE;
	mm->stack_top = MM_STACK_TOP;
	mm->stack_limit = MM_STACK_LIMIT;
	*out = mm;
	return 0;

out_destroy_pt:
	pt_destroy(mm->pml4);
out_free_mm:
	kfree(mm);
	return err;
}

/*
 * Each mapped PTE of private memory holds one reference to its frame (and
 * one mapcount); the zero page holds none. The TLB entry goes (pt_unmap
 * flushes) before the reference, so a frame is never freed while still
 * reachable.
 */
void mm_zap_range(struct mm *mm, uint64_t start, uint64_t end)
{
	paddr_t zero = mm_zero_page();

	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		struct page *pg;
		paddr_t pa;

		if (pt_unmap(mm->pml4, va, &pa) < 0)
			continue;
		if (pa == zero)
			continue;
		pg = phys_to_page(pa);
		BUG_ON(!pg);
		pg->mapcount--;
		page_put(pg);
		mm->resident--;
	}
}

void mm_destroy(struct mm *mm)
{
	struct vma *v;

	BUG_ON((read_cr3() & ~0xFFFull) == mm->pml4);
	vma_for_each(v, &mm->vmas)
		mm_zap_range(mm, v->start, v->end);
	vma_tree_destroy(&mm->vmas);
	pt_destroy(mm->pml4);
	kfree(mm);
}

void mm_activate(struct mm *mm)
{
	uint64_t flags = irq_save();

	write_cr3(mm ? mm->pml4 : kernel_pml4_phys());
	irq_restore(flags);
}
