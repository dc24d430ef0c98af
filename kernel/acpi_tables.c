/* Byte-level decoding of ACPI tables: RSDP, headers and checksums, the
 * root table's entries, FADT, MADT, and a bounded scan of AML for \_S5.
 * Pure (tables in, structs out) and host-tested in test/host/test_acpi.c;
 * kernel/acpi.c finds and maps the tables and calls in here. All fields
 * are read with memcpy: ACPI structures are packed and unaligned. */
#include <acpi_tables.h>
#include <uapi/errno.h>
#include <string.h>

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* A little-endian field of size bytes at off, or 0 when it lies beyond
 * len: older, shorter revisions of a table simply lack later fields. */
static uint64_t field(const uint8_t *t, uint32_t len, uint32_t off, unsigned size)
{
	uint64_t v = 0;

	if (off > len || size > len - off)
		return 0;
	memcpy(&v, t + off, size);
	return v;
}

uint8_t acpi_checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

int acpi_rsdp_parse(const void *buf, size_t len, struct acpi_rsdp *rsdp)
{
	const uint8_t *p = buf;
	int n;

	memset(rsdp, 0, sizeof(*rsdp));
	if (len < ACPI_RSDP_V1_LEN || memcmp(p, "RSD PTR ", 8) != 0)
		return -EINVAL;
	if (acpi_checksum(p, ACPI_RSDP_V1_LEN) != 0)
		return -EINVAL;

	memcpy(rsdp->oem, p + 9, 6);
	for (n = 6; n > 0 && (rsdp->oem[n - 1] == ' ' || rsdp->oem[n - 1] == 0); n--)
		;
	rsdp->oem[n] = 0;
	rsdp->revision = p[15];
	rsdp->rsdt = rd32(p + 16);

	/* ACPI 2.0+: the XSDT is trusted only under the extended checksum. */
	if (rsdp->revision >= 2 && len >= ACPI_RSDP_V2_LEN) {
		uint32_t full = rd32(p + 20);

		if (full >= ACPI_RSDP_V2_LEN && full <= len && acpi_checksum(p, full) == 0)
			rsdp->xsdt = rd64(p + 24);
	}
	return 0;
}

uint32_t acpi_table_len(const void *hdr)
{
	return rd32((const uint8_t *)hdr + 4);
}

int acpi_table_check(const void *table, size_t avail, const char *sig)
{
	uint32_t len;

	if (avail < ACPI_HDR_LEN)
		return -EINVAL;
	len = acpi_table_len(table);
	if (len < ACPI_HDR_LEN || len > avail || len > ACPI_TABLE_MAX)
		return -EINVAL;
	if (sig && memcmp(table, sig, 4) != 0)
		return -ENOENT;
	if (acpi_checksum(table, len) != 0)
		return -EINVAL;
	return 0;
}

size_t acpi_sdt_count(const void *sdt, unsigned entry_size)
{
	uint32_t len = acpi_table_len(sdt);

	if (len < ACPI_HDR_LEN || (entry_size != 4 && entry_size != 8))
		return 0;
	return (len - ACPI_HDR_LEN) / entry_size;
}

uint64_t acpi_sdt_entry(const void *sdt, unsigned entry_size, size_t i)
{
	const uint8_t *p;

	if (i >= acpi_sdt_count(sdt, entry_size))
		return 0;
	p = (const uint8_t *)sdt + ACPI_HDR_LEN + i * entry_size;
	return entry_size == 8 ? rd64(p) : rd32(p);
}

static void gas_read(const uint8_t *t, uint32_t len, uint32_t off, struct acpi_gas *g)
{
	memset(g, 0, sizeof(*g));
	if (off > len || len - off < 12)
		return;
	g->space = t[off];
	g->bit_width = t[off + 1];
	g->bit_offset = t[off + 2];
	g->access_size = t[off + 3];
	g->address = rd64(t + off + 4);
}

/* A PM1 control block port: the 64-bit X_ field when it names an I/O
 * port, else the 32-bit field; 0 when neither is a 16-bit port. */
static uint16_t fadt_port(const uint8_t *t, uint32_t len, uint32_t off32, uint32_t offx)
{
	struct acpi_gas x;
	uint64_t blk = field(t, len, off32, 4);

	gas_read(t, len, offx, &x);
	if (x.space == ACPI_GAS_IO && x.address && x.address <= 0xFFFF)
		return x.address;
	return blk <= 0xFFFF ? blk : 0;
}

int acpi_fadt_parse(const void *fadt, struct acpi_fadt *out)
{
	const uint8_t *t = fadt;
	uint32_t len = acpi_table_len(fadt);
	uint64_t smi, xdsdt;

	memset(out, 0, sizeof(*out));
	if (len < ACPI_HDR_LEN)
		return -EINVAL;
	out->revision = t[8];
	out->sci_irq = field(t, len, 46, 2);
	smi = field(t, len, 48, 4);
	out->smi_cmd = smi <= 0xFFFF ? smi : 0;
	out->acpi_enable = field(t, len, 52, 1);
	out->acpi_disable = field(t, len, 53, 1);
	out->pm1a_cnt = fadt_port(t, len, 64, 172);
	out->pm1b_cnt = fadt_port(t, len, 68, 184);
	out->pm1_cnt_len = field(t, len, 89, 1);
	/* Offset 109 was reserved before ACPI 2.0 (FADT revision 3). */
	if (out->revision >= 3)
		out->iapc_boot_arch = field(t, len, 109, 2);
	out->flags = field(t, len, 112, 4);

	gas_read(t, len, 116, &out->reset_reg);
	out->reset_value = field(t, len, 128, 1);
	out->reset_supported = (out->flags & ACPI_FADT_RESET_REG_SUP) && len >= 129 &&
		out->reset_reg.address &&
		(out->reset_reg.space == ACPI_GAS_IO || out->reset_reg.space == ACPI_GAS_MEMORY);

	xdsdt = field(t, len, 140, 8);
	out->dsdt = xdsdt ? xdsdt : field(t, len, 40, 4);
	return 0;
}

static void madt_add_cpu(struct acpi_madt *m, uint32_t apic_id)
{
	if (m->ncpus < ACPI_MAX_CPUS)
		m->cpu_apic_ids[m->ncpus++] = apic_id;
	else
		m->truncated = true;
}

/* One MADT entry of elen bytes at e. -EINVAL when a known entry type is
 * shorter than its layout; unknown types are skipped. */
static int madt_entry(struct acpi_madt *m, const uint8_t *e, uint8_t elen)
{
	static const uint8_t min_len[] = { [0] = 8, [1] = 12, [2] = 10, [5] = 12, [9] = 16 };

	if (e[0] < sizeof(min_len) && elen < min_len[e[0]])
		return -EINVAL;

	switch (e[0]) {
	case 0:		/* processor local APIC */
		if (rd32(e + 4) & 1)
			madt_add_cpu(m, e[3]);
		break;
	case 1:		/* I/O APIC */
		if (m->nioapics >= ACPI_MAX_IOAPICS) {
			m->truncated = true;
			break;
		}
		m->ioapics[m->nioapics++] = (struct acpi_ioapic){
			.id = e[2], .address = rd32(e + 4), .gsi_base = rd32(e + 8),
		};
		break;
	case 2:		/* interrupt source override */
		if (m->noverrides >= ACPI_MAX_OVERRIDES) {
			m->truncated = true;
			break;
		}
		m->overrides[m->noverrides++] = (struct acpi_override){
			.bus = e[2], .irq = e[3], .gsi = rd32(e + 4), .flags = rd16(e + 8),
		};
		break;
	case 5:		/* local APIC address override */
		m->lapic_addr = rd64(e + 4);
		break;
	case 9:		/* processor local x2APIC */
		if (rd32(e + 8) & 1)
			madt_add_cpu(m, rd32(e + 4));
		break;
	}
	return 0;
}

int acpi_madt_parse(const void *madt, struct acpi_madt *out)
{
	const uint8_t *t = madt;
	uint32_t len = acpi_table_len(madt);
	uint32_t off;

	memset(out, 0, sizeof(*out));
	if (len < 44)
		return -EINVAL;
	out->lapic_addr = rd32(t + 36);
	out->flags = rd32(t + 40);

	for (off = 44; len - off >= 2; off += t[off + 1]) {
		uint8_t elen = t[off + 1];

		if (elen < 2 || elen > len - off)
			return -EINVAL;
		if (madt_entry(out, t + off, elen) < 0)
			return -EINVAL;
	}
	return 0;
}

uint32_t acpi_madt_isa_gsi(const struct acpi_madt *madt, unsigned irq, uint16_t *flags)
{
	for (int i = 0; i < madt->noverrides; i++) {
		const struct acpi_override *o = &madt->overrides[i];

		if (o->bus == 0 && o->irq == irq) {
			if (flags)
				*flags = o->flags;
			return o->gsi;
		}
	}
	if (flags)
		*flags = 0;
	return irq;
}

/* AML encodings used by Name(_S5_, Package(){...}). */
enum {
	AML_ZERO = 0x00, AML_ONE = 0x01, AML_NAME = 0x08, AML_BYTE = 0x0A,
	AML_WORD = 0x0B, AML_DWORD = 0x0C, AML_QWORD = 0x0E, AML_PACKAGE = 0x12,
	AML_ROOT = 0x5C, AML_PARENT = 0x5E, AML_ONES = 0xFF,
};

/* Is the name segment at aml[i] the operand of a NameOp, allowing for a
 * root prefix or parent prefixes between them? */
static bool aml_after_name_op(const uint8_t *aml, size_t i)
{
	if (i > 0 && aml[i - 1] == AML_ROOT)
		i--;
	else
		while (i > 0 && aml[i - 1] == AML_PARENT)
			i--;
	return i > 0 && aml[i - 1] == AML_NAME;
}

/* Decode an integer constant at aml[*pos], below end; advances *pos. */
static int aml_integer(const uint8_t *aml, size_t *pos, size_t end, uint64_t *v)
{
	size_t p = *pos, size;

	if (p >= end)
		return -ENOENT;
	switch (aml[p]) {
	case AML_ZERO:  *v = 0; *pos = p + 1; return 0;
	case AML_ONE:   *v = 1; *pos = p + 1; return 0;
	case AML_ONES:  *v = ~0ull; *pos = p + 1; return 0;
	case AML_BYTE:  size = 1; break;
	case AML_WORD:  size = 2; break;
	case AML_DWORD: size = 4; break;
	case AML_QWORD: size = 8; break;
	default:
		return -ENOENT;
	}
	if (end - p - 1 < size)
		return -ENOENT;
	*v = 0;
	memcpy(v, aml + p + 1, size);
	*pos = p + 1 + size;
	return 0;
}

/* Decode Package(){...} at aml[p], below n: its first two integers. A
 * one-element package is the old form holding both types in one word. */
static int aml_s5_package(const uint8_t *aml, size_t p, size_t n, uint8_t *typa, uint8_t *typb)
{
	size_t nbytes, pkglen, end;
	uint64_t a, b;

	if (p + 2 > n || aml[p] != AML_PACKAGE)
		return -ENOENT;
	p++;
	/* PkgLength: bits 7-6 of the lead byte count the bytes that follow;
	 * with followers the lead keeps only 4 bits. It counts itself. */
	nbytes = aml[p] >> 6;
	if (p + 1 + nbytes > n)
		return -ENOENT;
	pkglen = nbytes ? aml[p] & 0x0F : aml[p] & 0x3F;
	for (size_t k = 0; k < nbytes; k++)
		pkglen |= (size_t)aml[p + 1 + k] << (4 + 8 * k);
	end = p + pkglen;
	if (pkglen < nbytes + 2 || end > n)
		return -ENOENT;
	p += 1 + nbytes;

	if (aml[p] == 0)		/* NumElements */
		return -ENOENT;
	if (aml[p++] == 1) {
		if (aml_integer(aml, &p, end, &a) < 0)
			return -ENOENT;
		*typa = a & 0xFF;
		*typb = (a >> 8) & 0xFF;
		return 0;
	}
	if (aml_integer(aml, &p, end, &a) < 0 || aml_integer(aml, &p, end, &b) < 0)
		return -ENOENT;
	*typa = a;
	*typb = b;
	return 0;
}

int acpi_find_s5(const void *table, uint8_t *typa, uint8_t *typb)
{
	uint32_t len = acpi_table_len(table);
	const uint8_t *aml = (const uint8_t *)table + ACPI_HDR_LEN;
	size_t n;

	if (len < ACPI_HDR_LEN)
		return -ENOENT;
	n = len - ACPI_HDR_LEN;
	/* A byte scan, not an AML interpreter: a "_S5_" that is not preceded
	 * by NameOp or not followed by a package is some other use of the
	 * name (a reference inside a method) and the scan goes on. */
	for (size_t i = 0; i + 4 <= n; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0 || !aml_after_name_op(aml, i))
			continue;
		if (aml_s5_package(aml, i + 4, n, typa, typb) == 0)
			return 0;
	}
	return -ENOENT;
}
