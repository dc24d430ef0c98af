/* The legacy 8259 interrupt controllers: master on ports 0x20/0x21, slave
 * on 0xA0/0xA1 cascaded through master line 2. Remapped off the CPU
 * exception vectors to IRQ_BASE; routing and dispatch are kernel/trap.c's. */
#include "pic.h"
#include <trap.h>
#include <io.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1

#define ICW1_INIT 0x11		/* edge triggered, cascade, ICW4 follows */
#define ICW4_8086 0x01
#define OCW2_EOI  0x20		/* non-specific end of interrupt */
#define OCW3_ISR  0x0B		/* next command-port read gives the ISR */

#define CASCADE_IRQ 2

/* Current masks (1 = masked), slave in the high byte. */
static uint16_t pic_masks = 0xFFFF;

static void pic_write_masks(void)
{
	outb(PIC1_DATA, pic_masks & 0xFF);
	outb(PIC2_DATA, pic_masks >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT);
	io_wait();
	outb(PIC1_DATA, IRQ_BASE);	/* ICW2: vector offsets */
	io_wait();
	outb(PIC2_DATA, IRQ_BASE + 8);
	io_wait();
	outb(PIC1_DATA, 1 << CASCADE_IRQ);	/* ICW3: slave on line 2 */
	io_wait();
	outb(PIC2_DATA, CASCADE_IRQ);		/* ICW3: slave identity */
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();
	pic_masks = 0xFFFF;
	pic_write_masks();
}

void pic_mask(unsigned irq)
{
	pic_masks |= 1u << irq;
	pic_write_masks();
}

void pic_unmask(unsigned irq)
{
	pic_masks &= ~(1u << irq);
	if (irq >= 8)
		pic_masks &= ~(1u << CASCADE_IRQ);
	pic_write_masks();
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

/*
 * A line that drops before the CPU acknowledges it makes the PIC deliver
 * its lowest-priority vector (7 on either chip) without setting the
 * in-service bit. Such an interrupt must not get an EOI: that would end
 * some other, real interrupt.
 */
int pic_spurious(unsigned irq)
{
	if (irq == 7) {
		outb(PIC1_CMD, OCW3_ISR);
		return !(inb(PIC1_CMD) & 0x80);
	}
	if (irq == 15) {
		outb(PIC2_CMD, OCW3_ISR);
		if (inb(PIC2_CMD) & 0x80)
			return 0;
		outb(PIC1_CMD, OCW2_EOI);	/* the master did see line 2 */
		return 1;
	}
	return 0;
}
