#!/usr/bin/env bash
# Run one libFuzzer harness as a TAP program of two tests:
#   1. every input of its checked-in corpus, tests/fuzz/corpus/<name>/
#   2. SECONDS of new inputs, grown from that corpus; what the fuzzer finds
#      goes to <fuzz build>/corpus/<name>/ (not checked in)
# A crash, leak, sanitizer report or broken invariant is "not ok" with the
# path of the reproducer; the fuzzer's output is in <fuzz build>/logs/.
# Replay one input: <harness> <file>.
#
#   bash tests/fuzz/run.sh BUILD-FUZZ/fuzz/fuzz_NAME SECONDS
set -u
bin=$1 secs=${2:-60}
name=$(basename "$bin"); name=${name#fuzz_}
top=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$top/tests/fuzz/corpus/$name
out=$(dirname "$(dirname "$bin")")
work=$out/corpus/$name crashes=$out/crashes/$name logs=$out/logs
mkdir -p "$work" "$crashes" "$logs" "$corpus"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
opts=(-timeout=20 -rss_limit_mb=2048 -artifact_prefix="$crashes/")

failed=0
echo "1..2"
inputs=("$corpus"/*)
if [ ! -e "${inputs[0]}" ]; then
	echo "not ok 1 - $name: corpus $corpus is empty"; failed=1
elif "$bin" "${opts[@]}" "${inputs[@]}" >"$logs/$name-corpus.log" 2>&1; then
	echo "ok 1 - $name: ${#inputs[@]} corpus inputs"
else
	bad=$(grep -E '^Running: ' "$logs/$name-corpus.log" | tail -n 1 | sed 's/^Running: //')
	echo "not ok 1 - $name: corpus input fails, reproducer: ${bad:-?}"; failed=1
	tail -n 40 "$logs/$name-corpus.log"
fi

if "$bin" "${opts[@]}" -max_total_time="$secs" -print_final_stats=1 \
	"$work" "$corpus" >"$logs/$name-fuzz.log" 2>&1; then
	runs=$(grep -E '^stat::number_of_executed_units' "$logs/$name-fuzz.log" | awk '{print $2}')
	echo "ok 2 - $name: ${secs}s of new inputs (${runs:-?} runs)"
else
	repro=$(grep -oE 'Test unit written to .*' "$logs/$name-fuzz.log" | tail -n 1 | sed 's/^Test unit written to //')
	echo "not ok 2 - $name: crash in ${secs}s of fuzzing, reproducer: ${repro:-?}"; failed=1
	tail -n 40 "$logs/$name-fuzz.log"
fi
exit $failed
