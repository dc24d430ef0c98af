#!/bin/bash
# make bench, host side. Boots the same static bench program (bench.c) as
# init on our kernel (BUILD/bench/bench-ops.iso) and on Debian's Linux
# (BUILD/bench/vmlinuz with initramfs.cpio.gz) under the same QEMU flags,
# pinned to one host CPU, BENCH_BOOTS times each (default 3) without and
# with -icount shift=0; then the extras: boot time, the smallest -m that
# still reaches a working prompt, memory per idle process, 10,000 live
# processes. Prints the table (medians over the boots, ratio ours/Linux)
# and writes BUILD/bench/results.txt and BUILD/bench/bench.svg.
#   run-bench.sh BUILD_DIR
# BENCH_BOOTS=n boots per column; BENCH_QUICK=1 skips the -m searches.
B=${1:-build}
D=$B/bench
LOGS=$D/logs
HERE=$(dirname "$0")
BOOTS=${BENCH_BOOTS:-3}
HOSTCPU=$(( $(nproc) > 1 ? 1 : 0 ))
QFLAGS=(-m 1024 -cpu max -smp 1 -display none -no-reboot)
LINUX_APPEND='console=ttyS0 quiet panic=-1 transparent_hugepage=never'
STALL=300		# seconds without output before a boot counts as hung
SAMPLES=$D/samples.txt

for f in "$D/bench-ops.iso" "$D/bench-extras.iso" "$D/vmlinuz" "$D/initramfs.cpio.gz" "$B/os.iso"; do
	[ -e "$f" ] || { echo "run-bench: missing $f (run make bench)"; exit 1; }
done
rm -rf "$LOGS" && mkdir -p "$LOGS"
: > "$SAMPLES"
start=$(date +%s)
qpid= cpid= fifo=

cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	[ -n "$cpid" ] && kill "$cpid" 2>/dev/null
	[ -n "$fifo" ] && rm -rf "$fifo"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
note() { echo "bench [$(( $(date +%s) - start )) s]: $*" >&2; }
secs() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# clean LOG: the serial log without carriage returns and escape sequences.
clean() { tr -d '\r' < "$1" 2>/dev/null | sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g'; }

# boot KERNEL MODE NAME [QEMU ARGS...]: one boot of the bench as init in
# MODE (ops, extras, ok), serial to $LOGS/NAME.log. Sets init_ms (QEMU
# start to the bench's first line; empty if none) and leaves the log.
# Our image boots from CD, as make run does, except under -icount: there
# SeaBIOS reading the CD a word per I/O exit takes most of a minute, so
# it is a virtio disk. (A virtio-blk device merely present makes our
# fork+exit+wait up to 10x slower in host time under QEMU 7.2, with the
# same guest instruction count; the icount column only counts those.)
boot() {
	local kern=$1 mode=$2 name=$3 raw=$LOGS/$3.raw size last t0 ts
	local -a media
	shift 3
	if [ "$kern" = ours ] && [[ " $* " == *" -icount "* ]]; then
		media=(-drive file="$D/bench-$mode.iso",format=raw,if=virtio,readonly=on)
	elif [ "$kern" = ours ]; then
		media=(-cdrom "$D/bench-$mode.iso")
	else
		media=(-kernel "$D/vmlinuz" -initrd "$D/initramfs.cpio.gz" -append "$LINUX_APPEND bench=$mode")
	fi
	: > "$raw"
	t0=$(now_ms)
	taskset -c $HOSTCPU timeout 1200 qemu-system-x86_64 "${QFLAGS[@]}" "$@" \
		-serial file:"$raw" "${media[@]}" >"$LOGS/$name.qemu" 2>&1 &
	qpid=$!
	init_ms= last=0 ts=$(date +%s)
	while kill -0 $qpid 2>/dev/null; do
		if [ -z "$init_ms" ] && grep -q '^BENCHX kernel' "$raw"; then
			init_ms=$(( $(now_ms) - t0 ))
		fi
		size=$(stat -c %s "$raw")
		if [ "$size" != "$last" ]; then
			last=$size ts=$(date +%s)
		elif (( $(date +%s) - ts > STALL )); then
			note "$name: no output for $STALL s; stopped"
			kill $qpid
			break
		fi
		sleep 0.02
	done
	wait $qpid 2>/dev/null
	qpid=
	clean "$raw" > "$LOGS/$name.log"
}

# collect KERNEL COLUMN BOOT NAME: the BENCH lines of a log into $SAMPLES.
collect() {
	grep -q '^BENCHX done' "$LOGS/$4.log" ||
		echo "F $1 $2 $3 $(grep -E 'PANIC|panic|BUG' "$LOGS/$4.log" | head -1)" >> "$SAMPLES"
	sed -n 's/^BENCH \(.*\)$/S '"$1 $2 $3"' \1/p' "$LOGS/$4.log" >> "$SAMPLES"
}

# ---- timed boots, interleaved so drift on the host hits both kernels ----
for ((i = 1; i <= BOOTS; i++)); do
	for col in cycles icount; do
		extra=()
		[ $col = icount ] && extra=(-icount shift=0,sleep=off)
		for kern in ours linux; do
			t=$(now_ms)
			boot $kern ops $kern-$col-$i "${extra[@]}"
			collect $kern $col $i $kern-$col-$i
			[ $col = cycles ] && [ -n "$init_ms" ] && echo "H init_ms $kern $init_ms" >> "$SAMPLES"
			note "$kern, $col, boot $i of $BOOTS: $(secs $(( $(now_ms) - t )))"
		done
	done
done

# ---- memory per idle process, 10,000 live processes ----
for kern in ours linux; do
	boot $kern extras $kern-extras
	sed -n 's/^BENCHX \(idle_proc_kib\|procs_10000\|memfree_after_reap_kib\) /X '"$kern"' \1 /p' \
		"$LOGS/$kern-extras.log" >> "$SAMPLES"
	grep -q '^BENCHX done' "$LOGS/$kern-extras.log" || echo "X $kern extras_failed" >> "$SAMPLES"
	note "$kern, extras done"
done

# ---- power-on to the shell prompt: os.iso as shipped (GRUB menu included) ----
for ((i = 1; i <= BOOTS; i++)); do
	raw=$LOGS/prompt-$i.raw
	: > "$raw"
	t0=$(now_ms)
	taskset -c $HOSTCPU timeout 120 qemu-system-x86_64 "${QFLAGS[@]}" \
		-serial file:"$raw" -cdrom "$B/os.iso" >/dev/null 2>&1 &
	qpid=$!
	while kill -0 $qpid 2>/dev/null; do
		if clean "$raw" | grep -q '/ # '; then
			echo "H prompt_ms ours $(( $(now_ms) - t0 ))" >> "$SAMPLES"
			break
		fi
		sleep 0.02
	done
	kill $qpid 2>/dev/null; wait $qpid 2>/dev/null; qpid=
	clean "$raw" > "$LOGS/prompt-$i.log"
done
note "boot to prompt done"

# ---- the smallest -m that still works ----
# wait_log LOG PATTERN SECONDS: 0 when the cleaned log matches; 1 when
# QEMU ends, the kernel panics or time runs out.
# What ends a probe early: a panic, our kernel finding no init (the
# initrd did not fit), GRUB's errors.
FAILED='KERNEL PANIC|Kernel panic|nothing to run|^error: '
wait_log() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		clean "$1" | grep -qE "$2" && return 0
		clean "$1" | grep -qE "$FAILED" && return 1
		kill -0 $qpid 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# probe_ours MIB: boot os.iso with -m MIB, wait for the prompt, type
# "echo ok" on COM1 and wait for the answer (as test/tools/e2e.sh does).
probe_ours() {
	local log=$LOGS/minmem-ours-$1.log s="echo ok" i ok=1
	fifo=$(mktemp -d)
	mkfifo "$fifo/com.in" "$fifo/com.out"
	: > "$log"
	taskset -c $HOSTCPU timeout 120 qemu-system-x86_64 -m "$1" -cpu max -smp 1 -display none \
		-no-reboot -serial pipe:"$fifo/com" -cdrom "$B/os.iso" >/dev/null 2>&1 &
	qpid=$!
	cat "$fifo/com.out" >> "$log" &
	cpid=$!
	exec 4>"$fifo/com.in"
	if wait_log "$log" '/ # ' 40; then
		for ((i = 0; i < ${#s}; i++)); do printf '%s' "${s:i:1}" >&4; sleep 0.01; done
		printf '\r' >&4
		wait_log "$log" '^ok$' 15 && ok=0
	fi
	exec 4>&-
	kill $qpid 2>/dev/null; wait $qpid 2>/dev/null; qpid=
	kill $cpid 2>/dev/null; wait $cpid 2>/dev/null; cpid=
	rm -rf "$fifo"; fifo=
	return $ok
}

# probe_linux MIB: Debian's Linux with -m MIB runs the bench as init in
# mode ok (it prints "ok" and powers off).
probe_linux() {
	local raw=$LOGS/minmem-linux-$1.raw
	: > "$raw"
	taskset -c $HOSTCPU timeout 120 qemu-system-x86_64 -m "$1" -cpu max -smp 1 -display none \
		-no-reboot -serial file:"$raw" -kernel "$D/vmlinuz" -initrd "$D/initramfs.cpio.gz" \
		-append "$LINUX_APPEND bench=ok" >/dev/null 2>&1 &
	qpid=$!
	wait_log "$raw" '^ok$' 60
	local ok=$?
	kill $qpid 2>/dev/null; wait $qpid 2>/dev/null; qpid=
	return $ok
}

# min_mem PROBE: double from 8 MiB to the first -m that works, then halve
# the gap down to 1 MiB; prints the smallest working -m in MiB.
min_mem() {
	local lo=0 hi=8 mid
	until $1 $hi; do
		lo=$hi hi=$((hi * 2))
		(( hi > 1024 )) && { echo "none up to 1024"; return; }
	done
	while ((hi - lo > 1)); do
		mid=$(( (lo + hi) / 2 ))
		if $1 $mid; then hi=$mid; else lo=$mid; fi
	done
	echo $hi
}

if [ -z "$BENCH_QUICK" ]; then
	echo "H minmem ours $(min_mem probe_ours)" >> "$SAMPLES"
	note "smallest -m, ours done"
	echo "H minmem linux $(min_mem probe_linux)" >> "$SAMPLES"
	note "smallest -m, Linux done"
fi

# ---- the report ----
echo "H elapsed_s all $(( $(date +%s) - start ))" >> "$SAMPLES"
{
	echo "H qemu all $(qemu-system-x86_64 --version | head -1 | sed 's/QEMU emulator version //')"
	echo "H linux all $(cat "$D/linux-version" 2>/dev/null)"
	echo "H ours all $(grep -h '^BENCHX kernel' "$LOGS"/ours-cycles-1.log | cut -d' ' -f3-4)"
	echo "H hostcpu all $HOSTCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
	echo "H boots all $BOOTS"
} >> "$SAMPLES"
awk -v svg="$D/bench.svg" -f "$HERE/report.awk" "$SAMPLES" | tee "$D/results.txt"
echo "(written: $D/results.txt, $D/bench.svg; boot logs in $LOGS)"
