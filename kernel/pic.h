/* The two cascaded 8259 PICs (kernel/pic.c), private to kernel/trap.c:
 * remapped to IRQ_BASE, every line masked until irq_register unmasks it. */
#ifndef KERNEL_PIC_H
#define KERNEL_PIC_H

void pic_init(void);		/* remap and mask everything */
void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);	/* a slave line also opens the cascade */
void pic_eoi(unsigned irq);

/* For IRQ 7 and 15: whether the interrupt is spurious (its in-service bit
 * is clear). It then must not be acknowledged, except that a spurious 15
 * still needs an EOI to the master, which this sends. */
int pic_spurious(unsigned irq);

#endif
