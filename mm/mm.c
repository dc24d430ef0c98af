/* struct mm: creating and destroying user address spaces, loading one into
 * CR3, the shared zero page, and dropping the page mappings of a range.
 * What gets mapped, and when, is mmap.c's, fault.c's and fork.c's; the
 * interval logic is vma.c's and the PTE format pgtable.c's. */
#include <mm.h>
#include <memobj.h>
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
 * system holds no VMA slab. */
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

/*
 * Each VMA struct backed by an object holds one reference on it and sits
 * on the object's mappers list (which truncation walks), from the moment
 * it enters a tree to the moment it leaves; splits and merges keep that
 * count right through these two hooks. Private anonymous VMAs have no
 * object and only get their owner recorded.
 */
static void mm_vma_open(void *ctx, struct vma *vma)
{
	const struct vma_ops *ops = vma->ops;

	vma->mm = ctx;
	vma->obj_prev = vma->obj_next = NULL;
	if (vma->obj) {
		memobj_get(vma->obj);
		memobj_map(vma->obj, vma);
	}
	if (ops && ops->open)
		ops->open(vma);
}

static void mm_vma_close(void *ctx, struct vma *vma)
{
	const struct vma_ops *ops = vma->ops;

	(void)ctx;
	if (ops && ops->close)
		ops->close(vma);
	if (vma->obj) {
		memobj_unmap(vma->obj, vma);
		memobj_put(vma->obj);
	}
}

static const struct vma_hooks mm_vma_hooks = {
	.alloc = mm_vma_alloc,
	.free = mm_vma_free,
	.open = mm_vma_open,
	.close = mm_vma_close,
};

unsigned mm_vma_prot(const struct vma *vma, int write)
{
	unsigned prot = PT_USER;

	/* PROT_NONE: pages stay mapped, data intact, but for the kernel
	 * only, so every user access faults (mm/mprotect.c). */
	if (!(vma->flags & VMA_PROT_MASK))
		return 0;
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
	mm->hooks = mm_vma_hooks;
	mm->hooks.ctx = mm;
	err = vma_tree_init(&mm->vmas, MM_USER_LOW, MM_USER_TOP, &mm->hooks);
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

int mm_rss_kind(const struct vma *vma, const struct page *pg)
{
	const struct memobj *obj = pg->owner;

	if (!obj)
		return MM_RSS_ANON;
	if (!obj->private || (vma && vma->name && !strncmp(vma->name, "/dev/shm/", 9)))
		return MM_RSS_SHMEM;
	return MM_RSS_FILE;
}

struct zap {
	struct mm *mm;
	const struct vma *vma;	/* the VMA last looked up, or NULL */
	paddr_t zero;
};

/*
 * pt_unmap_fn: each mapped PTE holds one reference to its frame and one
 * mapcount; the zero page holds none. pt_unmap_range calls this only
 * once the TLB has let go of the whole range, so a frame is never freed
 * while still reachable.
 */
static void zap_frame(void *ctx, vaddr_t va, paddr_t pa)
{
	struct zap *z = ctx;
	struct page *pg;

	if (pa == z->zero)
		return;
	pg = phys_to_page(pa);
	BUG_ON(!pg);
	if (pg->owner && (!z->vma || va < z->vma->start || va >= z->vma->end))
		z->vma = vma_find(&z->mm->vmas, va);
	mm_rss_add(z->mm, mm_rss_kind(z->vma, pg), -1);
	pg->mapcount--;
	page_put(pg);
}

void mm_zap_range(struct mm *mm, uint64_t start, uint64_t end)
{
	struct zap z = { .mm = mm, .zero = mm_zero_page() };

	pt_unmap_range(mm->pml4, start, end, zap_frame, &z);
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
