#!/usr/bin/env bash
# Synthesize the card top with Yosys for ECP5 (synth_ecp5) and Xilinx
# 7-series (synth_xilinx -family xc7), each at several CONN_SLOTS, and print
# one resource table. 'check -assert' must pass and no latch may appear.
#   bash mk/synth.sh OUTDIR [--targets "ecp5 xilinx"] [--slots "1024 16384"]
#                           [--bench FILE]
# Per run OUTDIR gets TARGET-SLOTS.log and TARGET-SLOTS-stat.json; ECP5 runs
# also write the netlist TARGET-SLOTS.json that mk/pnr.sh places. With
# --bench, the keys synth.{ecp5,xilinx}.* of the run at the default
# CONN_SLOTS are merged into FILE (mk/bench_merge.py).
set -euo pipefail
out=${1:-build/synth}
shift || true
targets="ecp5 xilinx"
slots="1024 16384"
bench=""
while [ $# -gt 0 ]; do
	case $1 in
	--targets) targets=$2; shift 2 ;;
	--slots) slots=$2; shift 2 ;;
	--bench) bench=$2; shift 2 ;;
	*) echo "synth: unknown option $1" >&2; exit 2 ;;
	esac
done
mkdir -p "$out"
top=toe_nic
src=$(ls rtl/*.v | tr '\n' ' ')
default_slots=$(sed -n 's/^ *parameter CONN_SLOTS *= *\([0-9]*\).*/\1/p' rtl/$top.v | head -1)

# one Yosys run; prints nothing but its own start line and errors
run() {
	local target=$1 n=$2 base=$out/$1-$2 flow extra=""
	case $target in
	ecp5) flow="synth_ecp5 -top $top"; extra="write_json $base.json" ;;
	# -noiopad: the core alone, as it is placed out of context (no I/O buffers)
	xilinx) flow="synth_xilinx -family xc7 -flatten -noiopad -top $top" ;;
	*) echo "synth: unknown target $target" >&2; return 2 ;;
	esac
	echo "synth: yosys $flow CONN_SLOTS=$n (log: $base.log)"
	if ! yosys -q -l "$base.log" -p "
		read_verilog -Irtl $src
		chparam -set CONN_SLOTS $n $top
		$flow
		check -assert
		tee -q -o $base-stat.json stat -json
		$extra
	" >/dev/null 2>"$base.err"; then
		echo "synth: $target CONN_SLOTS=$n FAILED:"; tail -20 "$base.log"; return 1
	fi
	if grep -q 'Latch inferred' "$base.log"; then
		echo "synth: $target CONN_SLOTS=$n latches inferred:"; grep 'Latch inferred' "$base.log"
		return 1
	fi
}

# Runs go in parallel, as many at a time as there are cores; each leaves
# TARGET-SLOTS.ok when it passed.
jobs_max=$(nproc 2>/dev/null || echo 2)
for t in $targets; do
	for n in $slots; do
		rm -f "$out/$t-$n.ok"
		while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do sleep 0.2; done
		{ run "$t" "$n" && touch "$out/$t-$n.ok"; } &
	done
done
wait
for t in $targets; do
	for n in $slots; do
		[ -f "$out/$t-$n.ok" ] || exit 1
	done
done

keys=$out/keys.txt
python3 mk/synth_report.py "$out" "$targets" "$slots" "$default_slots" "$keys"
if [ -n "$bench" ]; then
	echo
	python3 mk/bench_merge.py "$bench" "$keys"
fi
