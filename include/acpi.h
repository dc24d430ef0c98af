/* ACPI tables (kernel/acpi.c): RSDP from the boot loader, RSDT/XSDT, and
 * what the rest of the kernel needs from FADT (power off, reset) and MADT. */
#ifndef ACPI_H
#define ACPI_H
#include <stdint.h>

struct boot_info;

int acpi_init(const struct boot_info *bi);	/* 0, or -ENODEV without ACPI */
const void *acpi_find_table(const char *sig);	/* mapped header, or NULL */

#endif
