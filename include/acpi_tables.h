/* Byte-level decoding of ACPI tables (kernel/acpi_tables.c): RSDP, table
 * headers and checksums, RSDT/XSDT entries, FADT, MADT and the \_S5 object
 * of the DSDT. Pure: every function reads only the buffer it is given and
 * is host-tested; finding and mapping the tables is kernel/acpi.c's job. */
#ifndef ACPI_TABLES_H
#define ACPI_TABLES_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define ACPI_HDR_LEN		36
#define ACPI_TABLE_MAX		(4u << 20)	/* refuse longer tables */
#define ACPI_RSDP_V1_LEN	20
#define ACPI_RSDP_V2_LEN	36

/* Generic address structure address spaces. */
#define ACPI_GAS_MEMORY		0
#define ACPI_GAS_IO		1
#define ACPI_GAS_PCI		2

/* FADT flags and PM1 control register bits. */
#define ACPI_FADT_RESET_REG_SUP	(1u << 10)
#define ACPI_FADT_HW_REDUCED	(1u << 20)
#define ACPI_PM1_SCI_EN		(1u << 0)
#define ACPI_PM1_SLP_TYP_SHIFT	10
#define ACPI_PM1_SLP_TYP_MASK	(7u << 10)
#define ACPI_PM1_SLP_EN		(1u << 13)

/* IA-PC boot architecture flags (FADT). */
#define ACPI_BOOT_8042		(1u << 1)
#define ACPI_BOOT_NO_VGA	(1u << 2)

struct acpi_rsdp {
	uint8_t revision;	/* 0: ACPI 1.0 (RSDT only); 2+: XSDT valid */
	char oem[7];		/* OEM id, NUL-terminated, trailing blanks cut */
	uint32_t rsdt;		/* physical, 0 if none */
	uint64_t xsdt;		/* physical, 0 if none or not trusted */
};

struct acpi_gas {
	uint8_t space;		/* ACPI_GAS_* */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address;
};

struct acpi_fadt {
	uint8_t revision;
	uint32_t flags;		/* ACPI_FADT_* */
	uint16_t iapc_boot_arch;	/* ACPI_BOOT_*; 0 when the table predates it */
	uint16_t sci_irq;
	uint16_t smi_cmd;	/* I/O port, 0: no SMI command port */
	uint8_t acpi_enable, acpi_disable;
	uint16_t pm1a_cnt, pm1b_cnt;	/* I/O ports, 0 when absent */
	uint8_t pm1_cnt_len;
	bool reset_supported;	/* RESET_REG_SUP and a usable register */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint64_t dsdt;		/* physical; X_DSDT preferred when nonzero */
};

#define ACPI_MAX_CPUS		64
#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_OVERRIDES	16

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;	/* physical MMIO base */
	uint32_t gsi_base;	/* first global system interrupt it serves */
};

/* An ISA IRQ routed to a different GSI or polarity/trigger. */
struct acpi_override {
	uint8_t bus, irq;
	uint32_t gsi;
	uint16_t flags;		/* MPS INTI flags: polarity bits 0-1, trigger 2-3 */
};

struct acpi_madt {
	uint64_t lapic_addr;	/* physical; the 64-bit override wins */
	uint32_t flags;		/* bit 0: legacy 8259 PICs present */
	uint32_t cpu_apic_ids[ACPI_MAX_CPUS];	/* enabled CPUs, table order */
	int ncpus;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	int nioapics;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	int noverrides;
	bool truncated;		/* more entries than the arrays hold */
};

/* Sum of len bytes modulo 256: zero for a valid ACPI structure. */
uint8_t acpi_checksum(const void *buf, size_t len);

/* Validate an RSDP copy of len bytes: signature and the 20-byte checksum,
 * and for revision 2+ the length and extended checksum (when those are
 * bad the XSDT is not trusted and rsdp->xsdt is 0). 0 or -EINVAL. */
int acpi_rsdp_parse(const void *buf, size_t len, struct acpi_rsdp *rsdp);

/* The length field of a table header (the first ACPI_HDR_LEN bytes). */
uint32_t acpi_table_len(const void *hdr);

/* Check a table of which avail bytes are readable: length within
 * [ACPI_HDR_LEN, min(avail, ACPI_TABLE_MAX)], checksum, and signature
 * when sig is not NULL. 0, -EINVAL (damaged) or -ENOENT (other table). */
int acpi_table_check(const void *table, size_t avail, const char *sig);

/* Number of entries of a checked RSDT (entry_size 4) or XSDT (8), and the
 * physical address in entry i (0 when i is out of range). */
size_t acpi_sdt_count(const void *sdt, unsigned entry_size);
uint64_t acpi_sdt_entry(const void *sdt, unsigned entry_size, size_t i);

/* Decode a checked FADT. Fields beyond the table's length read as 0. */
int acpi_fadt_parse(const void *fadt, struct acpi_fadt *out);

/* Decode a checked MADT: CPUs, I/O APICs and interrupt source overrides.
 * 0, or -EINVAL when an entry overruns the table. */
int acpi_madt_parse(const void *madt, struct acpi_madt *out);

/* The GSI and MPS flags of ISA irq after overrides (identity otherwise). */
uint32_t acpi_madt_isa_gsi(const struct acpi_madt *madt, unsigned irq, uint16_t *flags);

/* Find Name(\_S5_, Package(){a, b, ...}) in the AML of a checked DSDT or
 * SSDT and return SLP_TYPa/b. 0, or -ENOENT when there is no such name or
 * it is not a plain package of integers. */
int acpi_find_s5(const void *table, uint8_t *typa, uint8_t *typb);

#endif
