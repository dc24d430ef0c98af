#!/bin/sh
# The initramfs make bench boots Debian's Linux with: /init is the bench
# binary, plus the directories it mounts proc and tmpfs on. /dev/console
# comes from the kernel's built-in initramfs (bench makes one if not).
#   mkinitramfs.sh BENCH_BINARY OUT.cpio.gz
set -e
bin=$1 out=$2
root=$(dirname "$out")/initramfs
rm -rf "$root" && mkdir -p "$root/proc" "$root/sys" "$root/dev/shm" "$root/tmp"
cp "$bin" "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 > "$out.tmp"
mv "$out.tmp" "$out"
