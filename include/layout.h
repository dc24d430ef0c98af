/* Virtual address layout shared by the boot code, mm and everything that
 * turns a physical address into a pointer. See DESIGN.md, "Address space". */
#ifndef LAYOUT_H
#define LAYOUT_H

#define KERNEL_VMA      0xFFFFFFFF80000000UL /* kernel image, -mcmodel=kernel */
#define DIRECT_MAP      0xFFFF800000000000UL /* all physical memory */
#define DIRECT_MAP_END  0xFFFFC00000000000UL /* 64 TiB of it at most */
#define KSTACK_BASE     0xFFFFFE0000000000UL /* kernel stacks, each with */
#define KSTACK_END      0xFFFFFE0100000000UL /* an unmapped guard below */
#define KERNEL_PHYS     0x200000UL           /* where GRUB loads the image */
#define PAGE_SIZE       4096UL
#define PAGE_SHIFT      12
#define HUGE_2M         (2UL << 20)

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(pa + DIRECT_MAP);
}

/* Accepts direct-map and kernel-image addresses alike. */
static inline paddr_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP;
}

#define ALIGN_UP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#endif
#endif
