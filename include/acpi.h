/* ACPI tables (kernel/acpi.c): RSDP from the boot loader, RSDT/XSDT, and
 * what the rest of the kernel needs from FADT (power off, reset) and MADT.
 * The byte-level decoding lives in kernel/acpi_tables.c (acpi_tables.h).
 * Everything is read once by acpi_init and read-only afterwards. */
#ifndef ACPI_H
#define ACPI_H
#include <stdint.h>
#include <acpi_tables.h>

struct boot_info;

/* Needs the direct map of every memory-map region (after mm_init). */
int acpi_init(const struct boot_info *bi);	/* 0, or -ENODEV without ACPI */
const void *acpi_find_table(const char *sig);	/* mapped header, or NULL */

const struct acpi_fadt *acpi_get_fadt(void);	/* NULL without a FADT */
const struct acpi_madt *acpi_get_madt(void);	/* NULL without a MADT */

/* SLP_TYPa/b of the S5 (soft off) state: 0, or -ENOENT when unknown. */
int acpi_s5_type(uint8_t *typa, uint8_t *typb);

#endif
