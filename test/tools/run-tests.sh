#!/bin/bash
# Everything `make test` runs: host unit tests, the build, the boot checks.
# Prints every PASS/FAIL line and ends with "N passed, N failed"; exits
# non-zero if anything failed or could not be built.
#   run-tests.sh MAKE [MAKE ARGS...]
MAKE=("$@")
out=$(mktemp)
trap 'rm -f "$out"' EXIT

step() {	# step NAME COMMAND...: a build step that must succeed
	local name=$1
	shift
	if ! "$@" >"$out.step" 2>&1; then
		echo "FAIL $name"
		tail -n 30 "$out.step" | sed 's/^/    | /'
		echo "FAIL $name" >> "$out"
	fi
	rm -f "$out.step"
}

echo "== host unit tests"
"${MAKE[@]}" --no-print-directory host-test 2>&1 | tee -a "$out" | grep -E '^(PASS|FAIL)|^  |error|runtime error' 
[ "${PIPESTATUS[0]}" -eq 0 ] || grep -q '^FAIL' "$out" || echo "FAIL host/build" | tee -a "$out"

echo "== kernel and images"
step build "${MAKE[@]}" --no-print-directory -j2 guest-test-images

echo "== boot checks"
if ! grep -q '^FAIL build' "$out"; then
	"${MAKE[@]}" --no-print-directory guest-test 2>&1 | grep -v '^make' | tee -a "$out"
fi

passed=$(grep -c '^PASS ' "$out")
failed=$(grep -c '^FAIL ' "$out")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
