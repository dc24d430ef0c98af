#!/bin/sh
# Boot an ISO in Bochs without a window. Debian's Bochs has no "nogui"
# display and is built with its debugger, so: the RFB display (a VNC
# server nobody has to connect to) and a "c" on standard input to leave
# the debugger's first prompt.
#   bochs.sh ISO SERIAL [LOG]
# SERIAL is a file to receive COM1, or "tty" for this terminal (in and out).
set -e
iso=$1
serial=$2
log=${3:-/dev/null}
rc=$(mktemp /tmp/bochsrc.XXXXXX)
trap 'rm -f "$rc"' EXIT

if [ "$serial" = tty ]; then
	com1="com1: enabled=1, mode=term, dev=$(tty)"
else
	com1="com1: enabled=1, mode=file, dev=$serial"
fi

cat > "$rc" <<CFG
megs: 256
cpu: count=1, ips=100000000
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path="$iso", status=inserted
boot: cdrom
$com1
display_library: rfb, options="timeout=0"
clock: sync=none, time0=local
log: $log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
CFG
echo c | bochs -q -f "$rc"
