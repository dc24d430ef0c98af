#!/bin/sh
# Turn `nm -n` output (file or - for stdin) into an assembly file holding
# the kernel's function symbols, sorted by address, for backtraces:
#   ksyms_count: number of entries
#   ksyms_table: { u64 addr; u64 name_offset } x count
#   ksyms_names: NUL-terminated names
# Only higher-half text symbols are kept.
awk '
BEGIN { n = 0 }
$2 ~ /^[tTwW]$/ && $1 ~ /^ffffffff8/ {
	addr[n] = $1; name[n] = $3; n++
}
END {
	print "\t.section .ksyms,\"a\""
	print "\t.balign 8"
	print "\t.globl ksyms_count, ksyms_table, ksyms_names"
	print "ksyms_count:\n\t.quad " n
	print "ksyms_table:"
	off = 0
	for (i = 0; i < n; i++) {
		printf "\t.quad 0x%s, %d\n", addr[i], off
		off += length(name[i]) + 1
	}
	print "ksyms_names:"
	for (i = 0; i < n; i++)
		printf "\t.asciz \"%s\"\n", name[i]
}' "$1"
