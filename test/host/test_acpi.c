/* Host tests for kernel/acpi_tables.c over hand-built tables: RSDP v1/v2,
 * header checks, RSDT/XSDT entries, FADT fields by revision, MADT entries,
 * and \_S5 in each AML encoding. Tables are malloc'ed at their exact size
 * so that ASan catches any read past the end. */
#include "test.h"
#include <acpi_tables.h>
#include <uapi/errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_checksum(uint8_t *t, size_t len, size_t at)
{
	t[at] = 0;
	t[at] = -acpi_checksum(t, len);
}

/* A zeroed table of len bytes with a valid header and checksum. */
static uint8_t *table_new(const char *sig, uint32_t len, uint8_t rev)
{
	uint8_t *t = calloc(1, len);

	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "BOCHS ", 6);
	fix_checksum(t, len, 9);
	return t;
}

static uint8_t *table_with_body(const char *sig, const void *body, size_t n)
{
	uint8_t *t = table_new(sig, ACPI_HDR_LEN + n, 1);

	if (n)
		memcpy(t + ACPI_HDR_LEN, body, n);
	fix_checksum(t, ACPI_HDR_LEN + n, 9);
	return t;
}

/* ---- RSDP ---------------------------------------------------------------- */

static void rsdp_build(uint8_t *r, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(r, 0, ACPI_RSDP_V2_LEN);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = rev;
	put32(r + 16, rsdt);
	fix_checksum(r, ACPI_RSDP_V1_LEN, 8);
	if (rev >= 2) {
		put32(r + 20, ACPI_RSDP_V2_LEN);
		put64(r + 24, xsdt);
		fix_checksum(r, ACPI_RSDP_V2_LEN, 32);
	}
}

TEST(acpi_rsdp_v1)
{
	uint8_t *r = malloc(ACPI_RSDP_V1_LEN), full[ACPI_RSDP_V2_LEN];
	struct acpi_rsdp info;

	rsdp_build(full, 0, 0x7FE1000, 0);
	memcpy(r, full, ACPI_RSDP_V1_LEN);
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V1_LEN, &info), 0);
	ASSERT_EQ(info.revision, 0);
	ASSERT_EQ(info.rsdt, 0x7FE1000);
	ASSERT_EQ(info.xsdt, 0);
	ASSERT_STR(info.oem, "BOCHS");

	r[19] ^= 1;
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V1_LEN, &info), -EINVAL);
	r[19] ^= 1;
	r[0] = 'X';
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V1_LEN, &info), -EINVAL);
	r[0] = 'R';
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V1_LEN - 1, &info), -EINVAL);
	free(r);
}

TEST(acpi_rsdp_v2)
{
	uint8_t *r = malloc(ACPI_RSDP_V2_LEN);
	struct acpi_rsdp info;

	rsdp_build(r, 2, 0x7FE1000, 0x17FE2000ull);
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V2_LEN, &info), 0);
	ASSERT_EQ(info.revision, 2);
	ASSERT_EQ(info.xsdt, 0x17FE2000ull);
	ASSERT_EQ(info.rsdt, 0x7FE1000);

	/* A v2 RSDP cut to 20 bytes still gives the RSDT, not the XSDT. */
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V1_LEN, &info), 0);
	ASSERT_EQ(info.xsdt, 0);

	/* A bad extended checksum distrusts the XSDT only. */
	r[30] ^= 0x10;
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V2_LEN, &info), 0);
	ASSERT_EQ(info.xsdt, 0);
	ASSERT_EQ(info.rsdt, 0x7FE1000);

	/* A length beyond what we were given, or below 36. */
	rsdp_build(r, 2, 1, 2);
	put32(r + 20, 40);
	fix_checksum(r, ACPI_RSDP_V2_LEN, 32);
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V2_LEN, &info), 0);
	ASSERT_EQ(info.xsdt, 0);
	put32(r + 20, 8);
	fix_checksum(r, ACPI_RSDP_V2_LEN, 32);
	ASSERT_EQ(acpi_rsdp_parse(r, ACPI_RSDP_V2_LEN, &info), 0);
	ASSERT_EQ(info.xsdt, 0);
	free(r);
}

/* ---- headers and root tables ------------------------------------------- */

TEST(acpi_table_check_good_and_bad)
{
	uint8_t *t = table_new("APIC", 64, 1);

	ASSERT_EQ(acpi_table_check(t, 64, "APIC"), 0);
	ASSERT_EQ(acpi_table_check(t, 64, NULL), 0);
	ASSERT_EQ(acpi_table_check(t, 64, "FACP"), -ENOENT);
	/* Truncated: fewer bytes readable than the header claims. */
	ASSERT_EQ(acpi_table_check(t, 63, "APIC"), -EINVAL);
	ASSERT_EQ(acpi_table_check(t, 35, "APIC"), -EINVAL);

	t[50] = 1;		/* checksum now off by one */
	ASSERT_EQ(acpi_table_check(t, 64, "APIC"), -EINVAL);
	free(t);
}

TEST(acpi_table_check_lengths)
{
	uint8_t *t = table_new("SSDT", 36, 1);

	ASSERT_EQ(acpi_table_check(t, 36, NULL), 0);
	put32(t + 4, 35);
	ASSERT_EQ(acpi_table_check(t, 36, NULL), -EINVAL);
	/* Lengths that overrun what is mapped, or any sane size. */
	put32(t + 4, 0xFFFFFFFF);
	ASSERT_EQ(acpi_table_check(t, 36, NULL), -EINVAL);
	ASSERT_EQ(acpi_table_check(t, SIZE_MAX, NULL), -EINVAL);
	put32(t + 4, ACPI_TABLE_MAX + 1);
	ASSERT_EQ(acpi_table_check(t, SIZE_MAX, NULL), -EINVAL);
	free(t);
}

TEST(acpi_rsdt_xsdt_entries)
{
	uint8_t *rsdt = table_new("RSDT", 36 + 3 * 4, 1);
	uint8_t *xsdt = table_new("XSDT", 36 + 2 * 8 + 4, 1);	/* ragged tail */

	put32(rsdt + 36, 0x1000);
	put32(rsdt + 40, 0x2000);
	put32(rsdt + 44, 0x3000);
	put64(xsdt + 36, 0x100000000ull);
	put64(xsdt + 44, 0x5000);

	ASSERT_EQ(acpi_sdt_count(rsdt, 4), 3);
	ASSERT_EQ(acpi_sdt_entry(rsdt, 4, 0), 0x1000);
	ASSERT_EQ(acpi_sdt_entry(rsdt, 4, 2), 0x3000);
	ASSERT_EQ(acpi_sdt_entry(rsdt, 4, 3), 0);
	ASSERT_EQ(acpi_sdt_count(xsdt, 8), 2);
	ASSERT_EQ(acpi_sdt_entry(xsdt, 8, 0), 0x100000000ull);
	ASSERT_EQ(acpi_sdt_entry(xsdt, 8, 1), 0x5000);
	ASSERT_EQ(acpi_sdt_entry(xsdt, 8, 2), 0);
	ASSERT_EQ(acpi_sdt_count(xsdt, 3), 0);
	free(rsdt);
	free(xsdt);
}

/* ---- FADT ---------------------------------------------------------------- */

static void gas_put(uint8_t *p, uint8_t space, uint8_t width, uint64_t addr)
{
	p[0] = space;
	p[1] = width;
	p[2] = 0;
	p[3] = 1;
	put64(p + 4, addr);
}

TEST(acpi_fadt_rev3)
{
	uint8_t *t = table_new("FACP", 244, 3);
	struct acpi_fadt f;

	put32(t + 40, 0x7FE0040);		/* DSDT */
	put16(t + 46, 9);			/* SCI_INT */
	put32(t + 48, 0xB2);			/* SMI_CMD */
	t[52] = 0xF1;
	t[53] = 0xF0;
	put32(t + 64, 0xB004);			/* PM1a_CNT_BLK */
	t[89] = 2;
	put16(t + 109, ACPI_BOOT_8042);
	put32(t + 112, ACPI_FADT_RESET_REG_SUP | 1);
	gas_put(t + 116, ACPI_GAS_IO, 8, 0xCF9);
	t[128] = 0x06;
	put64(t + 140, 0x17FE0040ull);		/* X_DSDT wins */
	gas_put(t + 184, ACPI_GAS_IO, 16, 0xB104);	/* X_PM1b_CNT only */
	fix_checksum(t, 244, 9);

	ASSERT_EQ(acpi_fadt_parse(t, &f), 0);
	ASSERT_EQ(f.revision, 3);
	ASSERT_EQ(f.sci_irq, 9);
	ASSERT_EQ(f.smi_cmd, 0xB2);
	ASSERT_EQ(f.acpi_enable, 0xF1);
	ASSERT_EQ(f.acpi_disable, 0xF0);
	ASSERT_EQ(f.pm1a_cnt, 0xB004);
	ASSERT_EQ(f.pm1b_cnt, 0xB104);
	ASSERT_EQ(f.pm1_cnt_len, 2);
	ASSERT_EQ(f.iapc_boot_arch, ACPI_BOOT_8042);
	ASSERT(f.reset_supported);
	ASSERT_EQ(f.reset_reg.space, ACPI_GAS_IO);
	ASSERT_EQ(f.reset_reg.address, 0xCF9);
	ASSERT_EQ(f.reset_value, 6);
	ASSERT_EQ(f.dsdt, 0x17FE0040ull);

	/* The reset register is used only when the flag says so. */
	put32(t + 112, 1);
	ASSERT_EQ(acpi_fadt_parse(t, &f), 0);
	ASSERT(!f.reset_supported);
	free(t);
}

/* An ACPI 1.0 FADT ends before the reset register and the X_ fields. */
TEST(acpi_fadt_rev1_short)
{
	uint8_t *t = table_new("FACP", 116, 1);
	struct acpi_fadt f;

	put32(t + 40, 0x7FE0040);
	put32(t + 64, 0x604);
	put32(t + 68, 0x10000);			/* not an I/O port: dropped */
	put16(t + 109, 0xFFFF);			/* reserved in 1.0: ignored */
	put32(t + 112, ACPI_FADT_RESET_REG_SUP);
	fix_checksum(t, 116, 9);

	ASSERT_EQ(acpi_fadt_parse(t, &f), 0);
	ASSERT_EQ(f.pm1a_cnt, 0x604);
	ASSERT_EQ(f.pm1b_cnt, 0);
	ASSERT_EQ(f.iapc_boot_arch, 0);
	ASSERT_EQ(f.flags, ACPI_FADT_RESET_REG_SUP);
	ASSERT(!f.reset_supported);
	ASSERT_EQ(f.dsdt, 0x7FE0040);
	free(t);

	/* A table cut inside the fixed fields reads the rest as zero. */
	t = table_new("FACP", 50, 1);
	put32(t + 40, 0x1234);
	fix_checksum(t, 50, 9);
	ASSERT_EQ(acpi_fadt_parse(t, &f), 0);
	ASSERT_EQ(f.dsdt, 0x1234);
	ASSERT_EQ(f.smi_cmd, 0);
	ASSERT_EQ(f.pm1a_cnt, 0);
	free(t);
}

/* ---- MADT ---------------------------------------------------------------- */

struct madt_builder {
	uint8_t buf[1024];
	size_t len;
};

static void madt_begin(struct madt_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 44;
	put32(b->buf + 36, 0xFEE00000);
	put32(b->buf + 40, 1);
}

static uint8_t *madt_add(struct madt_builder *b, uint8_t type, uint8_t len)
{
	uint8_t *e = b->buf + b->len;

	e[0] = type;
	e[1] = len;
	b->len += len;
	return e;
}

static void madt_lapic(struct madt_builder *b, uint8_t id, uint32_t flags)
{
	uint8_t *e = madt_add(b, 0, 8);

	e[2] = id;
	e[3] = id;
	put32(e + 4, flags);
}

static uint8_t *madt_end(struct madt_builder *b)
{
	uint8_t *t = table_new("APIC", b->len, 3);

	memcpy(t + 36, b->buf + 36, b->len - 36);
	fix_checksum(t, b->len, 9);
	return t;
}

TEST(acpi_madt_entries)
{
	struct madt_builder b;
	struct acpi_madt m;
	uint16_t flags;
	uint8_t *e, *t;

	madt_begin(&b);
	madt_lapic(&b, 0, 1);
	madt_lapic(&b, 1, 0);			/* disabled: not counted */
	madt_lapic(&b, 2, 1);
	e = madt_add(&b, 1, 12);		/* I/O APIC */
	e[2] = 7;
	put32(e + 4, 0xFEC00000);
	put32(e + 8, 0);
	e = madt_add(&b, 2, 10);		/* IRQ 0 -> GSI 2 */
	put32(e + 4, 2);
	e = madt_add(&b, 2, 10);		/* IRQ 9 level, active high */
	e[3] = 9;
	put32(e + 4, 9);
	put16(e + 8, 0xD);
	e = madt_add(&b, 4, 6);			/* local APIC NMI: skipped */
	e = madt_add(&b, 9, 16);		/* x2APIC 300 */
	put32(e + 4, 300);
	put32(e + 8, 1);
	e = madt_add(&b, 5, 12);		/* local APIC address override */
	put64(e + 4, 0x1FEE00000ull);
	e = madt_add(&b, 0x7F, 3);		/* unknown type: skipped */
	t = madt_end(&b);

	ASSERT_EQ(acpi_madt_parse(t, &m), 0);
	ASSERT_EQ(m.flags, 1);
	ASSERT_EQ(m.lapic_addr, 0x1FEE00000ull);
	ASSERT_EQ(m.ncpus, 3);
	ASSERT_EQ(m.cpu_apic_ids[0], 0);
	ASSERT_EQ(m.cpu_apic_ids[1], 2);
	ASSERT_EQ(m.cpu_apic_ids[2], 300);
	ASSERT_EQ(m.nioapics, 1);
	ASSERT_EQ(m.ioapics[0].id, 7);
	ASSERT_EQ(m.ioapics[0].address, 0xFEC00000);
	ASSERT_EQ(m.ioapics[0].gsi_base, 0);
	ASSERT_EQ(m.noverrides, 2);
	ASSERT(!m.truncated);

	ASSERT_EQ(acpi_madt_isa_gsi(&m, 0, &flags), 2);
	ASSERT_EQ(flags, 0);
	ASSERT_EQ(acpi_madt_isa_gsi(&m, 9, &flags), 9);
	ASSERT_EQ(flags, 0xD);
	ASSERT_EQ(acpi_madt_isa_gsi(&m, 4, &flags), 4);
	ASSERT_EQ(flags, 0);
	ASSERT_EQ(acpi_madt_isa_gsi(&m, 1, NULL), 1);
	free(t);
}

TEST(acpi_madt_malformed)
{
	struct madt_builder b;
	struct acpi_madt m;
	uint8_t *t;

	/* An entry length of 0 would loop forever; 1 cannot hold a header. */
	madt_begin(&b);
	madt_lapic(&b, 0, 1);
	madt_add(&b, 0, 0);
	b.len += 2;
	t = madt_end(&b);
	ASSERT_EQ(acpi_madt_parse(t, &m), -EINVAL);
	free(t);

	/* An entry running past the end of the table. */
	madt_begin(&b);
	madt_lapic(&b, 0, 1);
	madt_add(&b, 1, 12);
	b.len -= 4;
	t = madt_end(&b);
	ASSERT_EQ(acpi_madt_parse(t, &m), -EINVAL);
	free(t);

	/* A known entry shorter than its layout. */
	madt_begin(&b);
	madt_add(&b, 1, 8);
	t = madt_end(&b);
	ASSERT_EQ(acpi_madt_parse(t, &m), -EINVAL);
	free(t);

	/* No room for the fixed fields. */
	t = table_new("APIC", 40, 3);
	ASSERT_EQ(acpi_madt_parse(t, &m), -EINVAL);
	free(t);
}

TEST(acpi_madt_too_many_cpus)
{
	struct madt_builder b;
	struct acpi_madt m;
	uint8_t *t;

	madt_begin(&b);
	for (int i = 0; i < ACPI_MAX_CPUS + 6; i++)
		madt_lapic(&b, i, 1);
	t = madt_end(&b);
	ASSERT_EQ(acpi_madt_parse(t, &m), 0);
	ASSERT_EQ(m.ncpus, ACPI_MAX_CPUS);
	ASSERT(m.truncated);
	free(t);
}

/* ---- \_S5 ---------------------------------------------------------------- */

static int s5_of(const uint8_t *aml, size_t n, uint8_t *a, uint8_t *b)
{
	uint8_t *t = table_with_body("DSDT", aml, n);
	int err;

	*a = *b = 0xEE;
	err = acpi_find_s5(t, a, b);
	free(t);
	return err;
}

#define S5 '_', 'S', '5', '_'

TEST(acpi_s5_byte_prefix)
{
	/* Name(_S5, Package(4){5, 5, 0, 0}) with BytePrefix values. */
	static const uint8_t aml[] = { 0x10, 0x05, 0x5C, 0x00, 0x00,
		0x08, S5, 0x12, 0x08, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00 };
	uint8_t a, b;

	ASSERT_EQ(s5_of(aml, sizeof(aml), &a, &b), 0);
	ASSERT_EQ(a, 5);
	ASSERT_EQ(b, 5);
}

TEST(acpi_s5_constants)
{
	/* QEMU's form: Package(4){Zero, Zero, Zero, Zero}. */
	static const uint8_t zeros[] = { 0x08, S5, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t one_ones[] = { 0x08, S5, 0x12, 0x06, 0x04, 0x01, 0xFF, 0x00, 0x00 };
	uint8_t a, b;

	ASSERT_EQ(s5_of(zeros, sizeof(zeros), &a, &b), 0);
	ASSERT_EQ(a, 0);
	ASSERT_EQ(b, 0);
	ASSERT_EQ(s5_of(one_ones, sizeof(one_ones), &a, &b), 0);
	ASSERT_EQ(a, 1);
	ASSERT_EQ(b, 0xFF);
}

TEST(acpi_s5_wider_integers)
{
	static const uint8_t aml[] = { 0x08, S5, 0x12, 0x0C, 0x04,
		0x0B, 0x07, 0x00, 0x0C, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00 };
	/* Old single-integer form: type a in bits 0-7, b in bits 8-15. */
	static const uint8_t single[] = { 0x08, S5, 0x12, 0x05, 0x01, 0x0B, 0x05, 0x07 };
	static const uint8_t qword[] = { 0x08, S5, 0x12, 0x0D, 0x02,
		0x0E, 3, 0, 0, 0, 0, 0, 0, 0, 0x0A, 4 };
	uint8_t a, b;

	ASSERT_EQ(s5_of(aml, sizeof(aml), &a, &b), 0);
	ASSERT_EQ(a, 7);
	ASSERT_EQ(b, 6);
	ASSERT_EQ(s5_of(single, sizeof(single), &a, &b), 0);
	ASSERT_EQ(a, 5);
	ASSERT_EQ(b, 7);
	ASSERT_EQ(s5_of(qword, sizeof(qword), &a, &b), 0);
	ASSERT_EQ(a, 3);
	ASSERT_EQ(b, 4);
}

TEST(acpi_s5_name_prefixes)
{
	static const uint8_t root[] = { 0x08, 0x5C, S5, 0x12, 0x05, 0x02, 0x0A, 0x03, 0x01 };
	static const uint8_t parent[] = { 0x08, 0x5E, 0x5E, S5, 0x12, 0x05, 0x02, 0x01, 0x0A, 0x02 };
	uint8_t a, b;

	ASSERT_EQ(s5_of(root, sizeof(root), &a, &b), 0);
	ASSERT_EQ(a, 3);
	ASSERT_EQ(b, 1);
	ASSERT_EQ(s5_of(parent, sizeof(parent), &a, &b), 0);
	ASSERT_EQ(a, 1);
	ASSERT_EQ(b, 2);
}

/* PkgLength in its 2-, 3- and 4-byte forms (lead bits 7-6 = 1, 2, 3). */
TEST(acpi_s5_pkglength_forms)
{
	uint8_t aml[200], a, b;
	size_t n = 0, body;

	/* 2 bytes, needed: 60 elements make the package longer than 63. */
	aml[n++] = 0x08;
	memcpy(aml + n, "_S5_", 4);
	n += 4;
	aml[n++] = 0x12;
	body = 2 + 1 + 60 * 2;			/* PkgLength + NumElements + data */
	aml[n++] = 0x40 | (body & 0x0F);
	aml[n++] = body >> 4;
	aml[n++] = 60;
	for (int i = 0; i < 60; i++) {
		aml[n++] = 0x0A;
		aml[n++] = i + 2;
	}
	ASSERT_EQ(s5_of(aml, n, &a, &b), 0);
	ASSERT_EQ(a, 2);
	ASSERT_EQ(b, 3);

	/* 3 and 4 bytes, wider than needed but valid. */
	static const uint8_t three[] = { 0x08, S5, 0x12, 0x88, 0x00, 0x00, 0x02, 0x0A, 0x05, 0x0A, 0x06 };
	static const uint8_t four[] = { 0x08, S5, 0x12, 0xC9, 0x00, 0x00, 0x00, 0x02, 0x0A, 0x05, 0x0A, 0x06 };
	ASSERT_EQ(s5_of(three, sizeof(three), &a, &b), 0);
	ASSERT_EQ(a, 5);
	ASSERT_EQ(b, 6);
	ASSERT_EQ(s5_of(four, sizeof(four), &a, &b), 0);
	ASSERT_EQ(a, 5);
	ASSERT_EQ(b, 6);
}

TEST(acpi_s5_missing)
{
	static const uint8_t s4only[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0 };
	uint8_t a, b;

	ASSERT_EQ(s5_of(s4only, sizeof(s4only), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(NULL, 0, &a, &b), -ENOENT);
}

/* A "_S5_" that is not Name(_S5_, Package) is passed over, not taken. */
TEST(acpi_s5_skips_other_uses)
{
	static const uint8_t aml[] = {
		0x70, S5, 0x60,					/* Store(_S5_, Local0) */
		0x14, 0x06, S5, 0x00,				/* Method(_S5_) */
		0x08, S5, 0x0A, 0x05,				/* Name(_S5_, 5) */
		0x08, S5, 0x12, 0x06, 0x04, 0x0A, 0x05, 0x0A, 0x05,	/* the real one */
	};
	static const uint8_t method[] = { 0x14, 0x0A, S5, 0x00, 0xA4, 0x12, 0x04, 0x02, 0x05, 0x05 };
	uint8_t a, b;

	ASSERT_EQ(s5_of(aml, sizeof(aml), &a, &b), 0);
	ASSERT_EQ(a, 5);
	ASSERT_EQ(b, 5);
	ASSERT_EQ(s5_of(method, sizeof(method), &a, &b), -ENOENT);
}

/* Packages cut short by the end of the table must not be read past it. */
TEST(acpi_s5_truncated)
{
	static const uint8_t no_pkg[] = { 0x08, S5 };
	static const uint8_t no_len[] = { 0x08, S5, 0x12 };
	static const uint8_t short_lead[] = { 0x08, S5, 0x12, 0xC0, 0x01 };
	static const uint8_t overrun[] = { 0x08, S5, 0x12, 0x3F, 0x04, 0x0A, 0x05 };
	static const uint8_t cut_elem[] = { 0x08, S5, 0x12, 0x04, 0x02, 0x0A };
	static const uint8_t cut_word[] = { 0x08, S5, 0x12, 0x05, 0x02, 0x0A, 0x01, 0x0B, 0x02 };
	static const uint8_t tiny_len[] = { 0x08, S5, 0x12, 0x01, 0x02, 0x0A, 0x01 };
	static const uint8_t empty[] = { 0x08, S5, 0x12, 0x02, 0x00 };
	static const uint8_t not_int[] = { 0x08, S5, 0x12, 0x06, 0x02, 0x0D, 'a', 0x00, 0x01 };
	uint8_t a, b;

	ASSERT_EQ(s5_of(no_pkg, sizeof(no_pkg), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(no_len, sizeof(no_len), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(short_lead, sizeof(short_lead), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(overrun, sizeof(overrun), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(cut_elem, sizeof(cut_elem), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(cut_word, sizeof(cut_word), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(tiny_len, sizeof(tiny_len), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(empty, sizeof(empty), &a, &b), -ENOENT);
	ASSERT_EQ(s5_of(not_int, sizeof(not_int), &a, &b), -ENOENT);
}
