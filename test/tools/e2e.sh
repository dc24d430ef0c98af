#!/bin/bash
# End to end, as a user would: boot the default entry of BUILD/os.iso
# (init, then sh on the console) with COM1 on two FIFOs, type commands,
# check what comes back, and power off. One "PASS e2e/<name>" or
# "FAIL e2e/<name>: why" line per command; exit status 1 if any failed.
#   e2e.sh BUILD_DIR
B=${1:-build}
LOGS=$B/logs
mkdir -p "$LOGS"
DIR=$(mktemp -d)
LOG=$LOGS/e2e.raw
fails=0
qemu_pid=

cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$cat_pid" ] && kill "$cat_pid" 2>/dev/null
	exec 3>&- 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

pass() { echo "PASS e2e/$1"; }
fail() { echo "FAIL e2e/$1: $2"; fails=$((fails + 1)); tr -d '\r' < "$LOG" | tail -n 15 | sed 's/^/    | /'; }

mkfifo "$DIR/com.in" "$DIR/com.out"
: > "$LOG"
timeout 180 qemu-system-x86_64 -m 512M -display none -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-serial pipe:"$DIR/com" -cdrom "$B/os.iso" >"$LOGS/e2e.qemu" 2>&1 &
qemu_pid=$!
cat "$DIR/com.out" >> "$LOG" &
cat_pid=$!
exec 3>"$DIR/com.in"

# wait_for PATTERN SECONDS: poll the log (after offset $mark) for an
# extended regex; 0 when seen.
mark=0
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		tail -c +$((mark + 1)) "$LOG" | tr -d '\r' |
			sed -E 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -qE "$1" && return 0
		kill -0 "$qemu_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# type LINE: send it slowly (the UART has a small FIFO), then Enter.
type_line() {
	local s=$1 i
	mark=$(stat -c %s "$LOG")
	for ((i = 0; i < ${#s}; i++)); do
		printf '%s' "${s:i:1}" >&3
		sleep 0.01
	done
	printf '\r' >&3
}

# run NAME LINE PATTERN: type LINE, expect PATTERN then the next prompt.
run() {
	type_line "$2"
	if wait_for "$3" 15 && wait_for '# $' 15; then pass "$1"; else fail "$1" "no '$3' after '$2'"; fi
}

if ! wait_for '/ # $' 60; then
	fail prompt "no shell prompt within 60 s"
	exit 1
fi
pass prompt
run ls_bin 'ls /bin' 'cat.*|sh'
run pipe_to_file 'echo hi | cat > /tmp/f; cat /tmp/f' '^hi$'
if [ -e "$B/initrd/bin/wc" ]; then
	run pipeline_of_three 'echo a b c | cat | wc -w' '^ *3$'
else
	run pipeline_of_three 'echo a b c | cat | cat' '^a b c$'
fi
run write_script "echo 'echo script says \$1' > /tmp/s.sh; echo 'exit 4' >> /tmp/s.sh" '# $'
run run_script 'sh /tmp/s.sh hello; echo status=$?' 'status=4'
run script_output 'sh /tmp/s.sh again' '^script says again$'
run not_found 'nosuchcmd; echo st=$?' 'st=127'
run cd_prompt 'cd /tmp' '/tmp # $'

if [ -e "$B/initrd/bin/poweroff" ]; then
	type_line poweroff
	for _ in $(seq 1 150); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$qemu_pid" 2>/dev/null; then fail poweroff "QEMU still running 15 s after poweroff"
	else pass poweroff; fi
fi
exit $((fails > 0))
