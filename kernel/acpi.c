/* ACPI at boot: validate the RSDP the loader copied for us, walk the XSDT
 * (or RSDT), keep a pointer to every table whose length and checksum hold,
 * and decode the FADT, the DSDT's \_S5 object and the MADT once. Decoding
 * is kernel/acpi_tables.c's; this file maps tables and keeps the results.
 * No AML interpreter: power.c gets what it needs from acpi_s5_type. */
#include <acpi.h>
#include <bootinfo.h>
#include <fmt.h>
#include <layout.h>
#include <pgtable.h>
#include <printk.h>
#include <selftest.h>
#include <string.h>
#include <uapi/errno.h>

#define ACPI_MAX_TABLES 64

static struct {
	struct acpi_rsdp rsdp;
	const struct boot_info *bi;
	const char *root_sig;		/* "XSDT" or "RSDT" */
	const void *tables[ACPI_MAX_TABLES];	/* checked, mapped */
	int ntables;
	const void *dsdt;
	bool has_fadt, has_madt, has_s5;
	struct acpi_fadt fadt;
	struct acpi_madt madt;
	uint8_t s5_typa, s5_typb;
} acpi;

/* Is [pa, pa + len) covered by memory-map regions (possibly several that
 * touch)? Those are in the direct map once mm_init has run. */
static bool in_memory_map(paddr_t pa, size_t len)
{
	paddr_t end = pa + len;

	while (pa < end) {
		int i;

		for (i = 0; i < acpi.bi->nmem; i++) {
			const struct mem_region *r = &acpi.bi->mem[i];

			if (pa >= r->base && pa - r->base < r->len)
				break;
		}
		if (i == acpi.bi->nmem)
			return false;
		pa = acpi.bi->mem[i].base + acpi.bi->mem[i].len;
	}
	return true;
}

/* A pointer to [pa, pa + len): the direct map for memory the firmware
 * listed, ioremap for anything it left out of the map. */
static const void *acpi_map(paddr_t pa, size_t len)
{
	if (!pa || pa + len < pa)
		return NULL;
	if (in_memory_map(pa, len))
		return phys_to_virt(pa);
	return ioremap(pa, len, CACHE_WB);
}

/* Map the table at pa and check its length, checksum and (when sig is
 * not NULL) signature. Returns the mapped table, or NULL. */
static const void *acpi_map_table(paddr_t pa, const char *sig)
{
	const void *hdr = acpi_map(pa, ACPI_HDR_LEN), *t;
	uint32_t len;
	int err;

	if (!hdr) {
		pr_warn("acpi: table at %#lx cannot be mapped\n", (unsigned long)pa);
		return NULL;
	}
	len = acpi_table_len(hdr);
	if (len < ACPI_HDR_LEN || len > ACPI_TABLE_MAX) {
		pr_warn("acpi: %.4s at %#lx has a bad length %u\n",
			(const char *)hdr, (unsigned long)pa, len);
		return NULL;
	}
	t = acpi_map(pa, len);
	if (!t)
		return NULL;
	err = acpi_table_check(t, len, sig);
	if (err == -EINVAL)
		pr_warn("acpi: %.4s at %#lx fails its checksum; ignored\n",
			(const char *)t, (unsigned long)pa);
	else if (err)
		pr_warn("acpi: %#lx is %.4s, expected %s\n",
			(unsigned long)pa, (const char *)t, sig);
	return err ? NULL : t;
}

/* The XSDT when the RSDP vouches for it and it checks out, else the RSDT;
 * every table it lists that checks out goes into acpi.tables. */
static int acpi_load_root(void)
{
	const void *root = NULL;
	unsigned esize = 8;
	size_t n;

	if (acpi.rsdp.xsdt) {
		root = acpi_map_table(acpi.rsdp.xsdt, "XSDT");
		acpi.root_sig = "XSDT";
	}
	if (!root && acpi.rsdp.rsdt) {
		root = acpi_map_table(acpi.rsdp.rsdt, "RSDT");
		acpi.root_sig = "RSDT";
		esize = 4;
	}
	if (!root)
		return -ENODEV;

	n = acpi_sdt_count(root, esize);
	if (n > ACPI_MAX_TABLES) {
		pr_warn("acpi: %zu tables, using the first %d\n", n, ACPI_MAX_TABLES);
		n = ACPI_MAX_TABLES;
	}
	for (size_t i = 0; i < n; i++) {
		const void *t = acpi_map_table(acpi_sdt_entry(root, esize, i), NULL);

		if (t)
			acpi.tables[acpi.ntables++] = t;
	}
	return 0;
}

/* \_S5 lives in the DSDT; a few firmwares put it in an SSDT. */
static void acpi_load_s5(void)
{
	if (acpi.dsdt && acpi_find_s5(acpi.dsdt, &acpi.s5_typa, &acpi.s5_typb) == 0) {
		acpi.has_s5 = true;
		return;
	}
	for (int i = 0; i < acpi.ntables; i++) {
		if (memcmp(acpi.tables[i], "SSDT", 4) == 0 &&
		    acpi_find_s5(acpi.tables[i], &acpi.s5_typa, &acpi.s5_typb) == 0) {
			acpi.has_s5 = true;
			return;
		}
	}
}

static void acpi_load_fadt(void)
{
	const void *fadt = acpi_find_table("FACP");

	if (!fadt || acpi_fadt_parse(fadt, &acpi.fadt) < 0)
		return;
	acpi.has_fadt = true;
	if (acpi.fadt.dsdt)
		acpi.dsdt = acpi_map_table(acpi.fadt.dsdt, "DSDT");
	acpi_load_s5();
}

static void acpi_load_madt(void)
{
	const void *madt = acpi_find_table("APIC");

	if (!madt)
		return;
	if (acpi_madt_parse(madt, &acpi.madt) < 0) {
		pr_warn("acpi: MADT entries overrun the table; ignored\n");
		return;
	}
	if (acpi.madt.truncated)
		pr_warn("acpi: MADT lists more CPUs or I/O APICs than we keep\n");
	acpi.has_madt = true;
}

static void acpi_print_summary(void)
{
	char tables[ACPI_MAX_TABLES * 5 + 1];
	char s5[24] = "no S5";
	size_t off = 0;

	for (int i = 0; i < acpi.ntables; i++) {
		memcpy(tables + off, acpi.tables[i], 4);
		tables[off + 4] = ' ';
		off += 5;
	}
	tables[off ? off - 1 : 0] = 0;
	pr_debug("acpi: %s lists: %s\n", acpi.root_sig, tables);

	if (acpi.has_s5)
		snprintf(s5, sizeof(s5), "S5 type %u/%u", acpi.s5_typa, acpi.s5_typb);
	if (acpi.has_madt)
		pr_info("acpi: RSDP v%u (%s), %d CPU%s, %d I/O APIC%s, %s\n",
			acpi.rsdp.revision >= 2 ? 2 : 1, acpi.rsdp.oem,
			acpi.madt.ncpus, acpi.madt.ncpus == 1 ? "" : "s",
			acpi.madt.nioapics, acpi.madt.nioapics == 1 ? "" : "s", s5);
	else
		pr_info("acpi: RSDP v%u (%s), no MADT, %s\n",
			acpi.rsdp.revision >= 2 ? 2 : 1, acpi.rsdp.oem, s5);
	if (!acpi.has_fadt)
		pr_warn("acpi: no usable FADT: power off and reset use legacy ports\n");
}

int acpi_init(const struct boot_info *bi)
{
	acpi.bi = bi;
	if (!bi->rsdp) {
		pr_info("acpi: the boot loader found no RSDP; ACPI off\n");
		return -ENODEV;
	}
	if (acpi_rsdp_parse(bi->rsdp, bi->rsdp_len, &acpi.rsdp) < 0) {
		pr_warn("acpi: the RSDP fails its checksum; ACPI off\n");
		return -ENODEV;
	}
	if (acpi_load_root() < 0) {
		pr_warn("acpi: no valid RSDT or XSDT; ACPI off\n");
		return -ENODEV;
	}
	acpi_load_fadt();
	acpi_load_madt();
	acpi_print_summary();
	return 0;
}

const void *acpi_find_table(const char *sig)
{
	if (memcmp(sig, "DSDT", 4) == 0)
		return acpi.dsdt;
	for (int i = 0; i < acpi.ntables; i++)
		if (memcmp(acpi.tables[i], sig, 4) == 0)
			return acpi.tables[i];
	return NULL;
}

const struct acpi_fadt *acpi_get_fadt(void)
{
	return acpi.has_fadt ? &acpi.fadt : NULL;
}

const struct acpi_madt *acpi_get_madt(void)
{
	return acpi.has_madt ? &acpi.madt : NULL;
}

int acpi_s5_type(uint8_t *typa, uint8_t *typb)
{
	if (!acpi.has_s5)
		return -ENOENT;
	*typa = acpi.s5_typa;
	*typb = acpi.s5_typb;
	return 0;
}

/* Every PC QEMU emulates has ACPI with a FADT, a DSDT holding \_S5, and a
 * MADT with at least one CPU and I/O APIC; a machine without ACPI skips. */
SELFTEST(acpi_tables)
{
	const struct acpi_fadt *fadt = acpi_get_fadt();
	uint8_t a, b;

	if (!boot_info.rsdp) {
		printk("  skipped: no ACPI\n");
		return 0;
	}
	ST_ASSERT(acpi.ntables > 0);
	ST_ASSERT(fadt != NULL);
	ST_ASSERT(acpi_find_table("FACP") != NULL);
	ST_ASSERT(acpi_find_table("DSDT") != NULL);
	ST_ASSERT(fadt->pm1a_cnt != 0);
	ST_ASSERT(acpi_s5_type(&a, &b) == 0);
	ST_ASSERT(acpi_get_madt() && acpi_get_madt()->ncpus >= 1);
	ST_ASSERT(acpi_get_madt()->nioapics >= 1);
	ST_ASSERT(acpi_find_table("NONE") == NULL);
	return 0;
}
