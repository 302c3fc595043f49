#!/usr/bin/env bash
# Run every teamtoe test and end with one line "N passed, N failed[, N skipped]".
# Each test program speaks TAP ("ok N - name", "not ok N - name",
# "ok N - name # SKIP why"); a program that exits non-zero without a
# "not ok" line counts as one failure of its own.
#
#   bash tests/run.sh [BUILD]     BUILD defaults to build
#   TT_TESTS=pattern              run only programs whose name matches
#   SAN_BUILD=dir                 the sanitizer build (make san), default
#                                 build-san: its tests run as NAME-asan
#   FUZZ_BUILD=dir                the fuzz build (make fuzz-build), default
#                                 build-fuzz: each harness replays its corpus
#                                 and fuzzes FUZZ_TEST_SECONDS (default 15)
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log_dir=$build/test-logs
mkdir -p "$log_dir"
export CMOCKA_MESSAGE_OUTPUT=TAP

passed=0 failed=0 skipped=0
failed_names=()

# wanted NAME: does TT_TESTS select it?
wanted() {
	[ -z "${TT_TESTS:-}" ] || [[ $1 == *$TT_TESTS* ]]
}

# exec_logged NAME COMMAND...: run it into NAME's log; "rc start end" out
exec_logged() {
	local name=$1; shift
	local start rc
	start=$(date +%s)
	"$@" >"$log_dir/$name.log" 2>&1
	rc=$?
	echo "$rc $start $(date +%s)"
}

# count NAME RC START END: count the TAP lines of NAME's log, print its line
count() {
	local name=$1 rc=$2 start=$3 end=$4 log=$log_dir/$1.log
	local p f s s_not
	p=$(grep -cE '^ok [0-9]+' "$log" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' "$log" | tr -d ' ')
	p=$((p - s))
	# cmocka 1.1's skip() prints "not ok N # SKIP name": a skip too
	s_not=$(grep -cE '^not ok [0-9]+ *# *SKIP' "$log" | tr -d ' ')
	s=$((s + s_not)); f=$((f - s_not))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	printf '%-28s %3d passed %3d failed %3d skipped  (%ss)\n' "$name" "$p" "$f" "$s" "$((end - start))"
	grep -E '^# .*(seed|SKIP)|^(not )?ok .*# *SKIP' "$log" | sed 's/^/    /' | head -5
	if [ "$f" -ne 0 ]; then
		failed_names+=("$name")
		echo "---- $log (last 40 lines)"
		tail -n 40 "$log"
		echo "----"
	fi
}

# run NAME COMMAND...: run one test program, count its TAP lines
run() {
	local name=$1; shift
	wanted "$name" || return 0
	count "$name" $(exec_logged "$name" "$@")
}

# The long single-threaded checks (synthesis, the solvers) run in a second
# lane beside the test programs, one after another; their lines come at
# the end. On 2 cores this saves their whole time from the run's.
lane=(synth formal)
lane_done=$log_dir/lane.status
: >"$lane_done"
(
	for c in "${lane[@]}"; do
		[ -f "tests/checks/$c.sh" ] && wanted "$c" || continue
		echo "$c $(exec_logged "$c" bash "tests/checks/$c.sh" "$build")" \
			>>"$lane_done"
	done
) &
lane_pid=$!

for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	case $t in *.o) continue ;; esac
	run "$(basename "$t")" "$t"
done
# The sanitizer build: any ASan/UBSan/LSan report ends the program with a
# non-zero status; the differential tests and the card loopback (1 MiB
# each way; the full 10 MiB run above) run at a smaller size.
san_build=${SAN_BUILD:-build-san}
for t in "$san_build"/tests/test_*; do
	[ -x "$t" ] || continue
	case $t in *.o) continue ;; esac
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	TT_DIFF_FRAMES=20000 TT_DIFF_EVENTS=20000 TT_DIFF_OUT="$san_build/diff" \
	TT_LOOPBACK_CARD_BYTES=1048576 \
		run "$(basename "$t")-asan" "$t"
done
fuzz_build=${FUZZ_BUILD:-build-fuzz}
for f in "$fuzz_build"/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	case $f in *.o) continue ;; esac
	run "$(basename "$f")" bash tests/fuzz/run.sh "$f" "${FUZZ_TEST_SECONDS:-15}"
done
for tb in tests/rtl/*_tb.cpp; do
	[ -f "$tb" ] || continue
	b=$(basename "$tb" _tb.cpp)
	run "rtl_$b" bash tests/rtl/run.sh "$b"
done
for t in tests/checks/*.sh; do
	[ -f "$t" ] || continue
	case " ${lane[*]} " in *" $(basename "$t" .sh) "*) continue ;; esac
	run "$(basename "$t" .sh)" bash "$t" "$build"
done
wait "$lane_pid"
while read -r c rc start end; do
	count "$c" "$rc" "$start" "$end"
done <"$lane_done"

if [ ${#failed_names[@]} -ne 0 ]; then
	echo "failing: ${failed_names[*]} (logs in $log_dir)"
fi
line="$passed passed, $failed failed"
[ "$skipped" -ne 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
