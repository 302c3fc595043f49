#!/usr/bin/env bash
# The card synthesizes for ECP5 with Yosys: 'check -assert' passes (no
# multiple drivers, no combinational loops, no undriven inputs) and no
# latch is inferred. ECP5 at the default CONN_SLOTS only, to stay fast;
# make synth runs ECP5 and Xilinx at 1024 and 16384 slots.
build=${1:-build}
echo "1..2"
if out=$(bash mk/synth.sh "$build/synth-check" --targets ecp5 --slots 1024 2>&1); then
	echo "ok 1 - yosys synth_ecp5 + check -assert"
else
	printf '%s\n' "$out" | tail -20 | sed 's/^/# /'
	echo "not ok 1 - yosys synth_ecp5 + check -assert"
fi
log=$build/synth-check/ecp5-1024.log
stat=$build/synth-check/ecp5-1024-stat.json
if [ -f "$stat" ] && ! grep -q '^Latch inferred' "$log" && ! grep -q 'DLATCH' "$stat"; then
	echo "ok 2 - no latches"
else
	echo "not ok 2 - latches inferred (see $log)"
fi
