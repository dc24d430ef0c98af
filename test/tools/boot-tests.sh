#!/bin/bash
# Boot checks on the host side: boots the images in QEMU (BIOS and UEFI,
# default CPU and -cpu max, CD and USB stick) and Bochs, reads COM1, and
# prints one "PASS name" / "FAIL name: why" line per check. A run fails on
# a panic, a timeout, a missing or failing summary, or a wrong exit status.
#   boot-tests.sh BUILD_DIR
B=${1:-build}
LOGS=$B/logs
mkdir -p "$LOGS"
OVMF=/usr/share/ovmf/OVMF.fd
CRASH_KINDS="pagefault ud gp divide stack canary panic"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; [ -n "$3" ] && sed 's/^/    | /' "$3" | tail -n 25; }

# qemu NAME TIMEOUT ISO [QEMU ARGS...]: boot headless; status in $rc.
qemu() {
	local name=$1 t=$2 iso=$3
	shift 3
	timeout "$t" qemu-system-x86_64 -m 512M -display none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-serial file:"$LOGS/$name.raw" -cdrom "$iso" "$@" >"$LOGS/$name.qemu" 2>&1
	rc=$?
	tr -d '\r' < "$LOGS/$name.raw" > "$LOGS/$name.log"
}

# A test boot passes when the guest printed "N passed, 0 failed", never
# panicked, and ended QEMU through isa-debug-exit with success (status 1).
check_suite() {
	local name=boot/$1 log=$LOGS/$1.log
	if grep -q 'KERNEL PANIC' "$log"; then fail "$name" "kernel panic" "$log"
	elif [ $rc -eq 124 ]; then fail "$name" "timed out" "$log"
	elif ! grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log"; then fail "$name" "no summary (status $rc)" "$log"
	elif ! grep -qE '^[0-9]+ passed, 0 failed' "$log"; then fail "$name" "$(grep -E '^[0-9]+ passed' "$log")" "$log"
	elif [ $rc -ne 1 ]; then fail "$name" "exit status $rc, expected 1" "$log"
	else pass "$name ($(grep -E '^[0-9]+ passed' "$log" | tail -1 | cut -d' ' -f1) self-tests)"
	fi
}

# The full self-test list, once, from the plain BIOS boot.
qemu bios 120 "$B/test.iso"
grep -E '^(PASS|FAIL) (kernel|guest)\/' "$LOGS/bios.log"
check_suite bios

# The other boots run the suite without its long guest tests.
qemu bios-cpu-max 120 "$B/test-quick.iso" -cpu max
check_suite bios-cpu-max

qemu uefi 180 "$B/test-quick.iso" -bios "$OVMF"
check_suite uefi

qemu uefi-cpu-max 180 "$B/test-quick.iso" -bios "$OVMF" -cpu max
check_suite uefi-cpu-max

# The same image written to a USB stick behind an xHCI controller.
qemu usb-stick 180 /dev/null -drive if=none,id=stick,format=raw,file="$B/test-quick.iso" \
	-device qemu-xhci -device usb-storage,drive=stick,bootindex=0
check_suite usb-stick

# The normal entry of the normal image boots to its banner.
qemu default-entry 60 "$B/os.iso"
if grep -q 'KERNEL PANIC' "$LOGS/default-entry.log"; then
	fail boot/default-entry "kernel panic" "$LOGS/default-entry.log"
elif grep -q 'kernel: ready' "$LOGS/default-entry.log"; then
	pass boot/default-entry
else
	fail boot/default-entry "no banner" "$LOGS/default-entry.log"
fi

# A static musl program booted as init (init=/bin/hello) prints, exits,
# and the kernel reports that init exited and panics, as it must. Normal
# boots halt after a panic, so the log is polled instead of waited out.
rm -f "$LOGS/init-hello.raw"
timeout 60 qemu-system-x86_64 -m 512M -display none -no-reboot \
	-serial file:"$LOGS/init-hello.raw" -cdrom "$B/init-hello.iso" >"$LOGS/init-hello.qemu" 2>&1 &
ih=$!
for _ in $(seq 1 60); do
	grep -q 'KERNEL PANIC' "$LOGS/init-hello.raw" 2>/dev/null && break
	kill -0 $ih 2>/dev/null || break
	sleep 1
done
kill $ih 2>/dev/null; wait $ih 2>/dev/null
tr -d '\r' < "$LOGS/init-hello.raw" > "$LOGS/init-hello.log" 2>/dev/null
if ! grep -q '^hello from user space' "$LOGS/init-hello.log"; then
	fail boot/init-hello "no output from /bin/hello" "$LOGS/init-hello.log"
elif ! grep -q 'init (pid 1) exited with status 0' "$LOGS/init-hello.log"; then
	fail boot/init-hello "no report of init's exit" "$LOGS/init-hello.log"
else
	pass boot/init-hello
fi

# Deliberate kernel crashes must be reported, with a backtrace, and end
# the test run with the failure status (3) at once rather than by timeout.
for kind in $CRASH_KINDS; do
	qemu crash-$kind 60 "$B/crash-$kind.iso"
	log=$LOGS/crash-$kind.log
	if [ $rc -ne 3 ]; then fail crash/$kind "exit status $rc, expected 3" "$log"
	elif ! grep -q 'KERNEL PANIC' "$log"; then fail crash/$kind "no panic report" "$log"
	elif ! grep -q 'trap_crash_test' "$log"; then fail crash/$kind "backtrace does not name trap_crash_test" "$log"
	elif [ "$kind" = canary ] && ! grep -q 'KERNEL PANIC: stack protector' "$log"; then
		fail crash/$kind "the overrun was not caught by the stack protector" "$log"
	else pass crash/$kind
	fi
done

# End to end on the default entry: type commands at the shell on COM1
# (test/tools/e2e.sh prints its own PASS/FAIL e2e/<name> lines).
if [ -e "$B/os.iso" ]; then
	bash test/tools/e2e.sh "$B" || true
else
	fail e2e/boot "no $B/os.iso"
fi

# Bochs is slow: a smoke check that the kernel reaches its banner.
rm -f "$LOGS/bochs.raw"
sh test/tools/bochs.sh "$B/os.iso" "$LOGS/bochs.raw" "$LOGS/bochs.bxlog" >"$LOGS/bochs.out" 2>&1 &
bx=$!
for _ in $(seq 1 300); do
	grep -q 'kernel: ready\|KERNEL PANIC' "$LOGS/bochs.raw" 2>/dev/null && break
	kill -0 $bx 2>/dev/null || break
	sleep 1
done
pkill -P $bx bochs 2>/dev/null; kill $bx 2>/dev/null; wait $bx 2>/dev/null
tr -d '\r' < "$LOGS/bochs.raw" > "$LOGS/bochs.log" 2>/dev/null
if grep -q 'KERNEL PANIC' "$LOGS/bochs.log"; then fail boot/bochs "kernel panic" "$LOGS/bochs.log"
elif grep -q 'kernel: ready' "$LOGS/bochs.log"; then pass boot/bochs
else fail boot/bochs "no banner within 300 s" "$LOGS/bochs.log"
fi
exit 0
