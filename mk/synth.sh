#!/usr/bin/env bash
# Synthesize the card top with Yosys for ECP5 and print its resources.
#   bash mk/synth.sh OUTDIR [CONN_SLOTS]
set -euo pipefail
out=${1:-build/synth}
slots=${2:-1024}
mkdir -p "$out"
top=toe_nic
log=$out/ecp5-$slots.log
json=$out/ecp5-$slots-stat.json
echo "synth: yosys synth_ecp5 $top CONN_SLOTS=$slots (log: $log)"
yosys -q -l "$log" -p "
	read_verilog -Irtl $(ls rtl/*.v | tr '\n' ' ')
	chparam -set CONN_SLOTS $slots $top
	synth_ecp5 -top $top
	check -assert
	tee -q -o $json stat -json
" >/dev/null
python3 - "$json" "$slots" <<'PY'
import json, sys
stat = json.load(open(sys.argv[1]))
cells = stat["design"]["num_cells_by_type"]
groups = [
    ("LUT4", ["LUT4"]),
    ("flip-flops", ["TRELLIS_FF"]),
    ("carry (CCU2C)", ["CCU2C"]),
    ("block RAM (DP16KD)", ["DP16KD"]),
    ("distributed RAM (TRELLIS_DPR16X4)", ["TRELLIS_DPR16X4"]),
    ("DSP (MULT18X18D)", ["MULT18X18D"]),
    ("PFU muxes (L6MUX21/PFUMX)", ["L6MUX21", "PFUMX"]),
]
print(f"ECP5 resources of toe_nic, CONN_SLOTS={sys.argv[2]}")
print(f"  {'resource':36s} {'count':>8s}")
for name, types in groups:
    print(f"  {name:36s} {sum(cells.get(t, 0) for t in types):8d}")
other = {k: v for k, v in cells.items() if not any(k in t for _, t in groups)}
for k, v in sorted(other.items()):
    print(f"  {k:36s} {v:8d}")
PY
if grep -q 'Latch inferred' "$log"; then
	echo "synth: latches inferred:"; grep 'Latch inferred' "$log"; exit 1
fi
