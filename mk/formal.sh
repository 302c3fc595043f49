#!/usr/bin/env bash
# Formal proofs of the connection table, the context port and the receive
# side's lookup contract (tests/formal/README.md says what each proves and
# at which size). Yosys reads a wrapper tests/formal/fv_*.v that holds the
# properties as labelled immediate assertions; yosys-smtbmc with z3 checks
# them, one property at a time.
#
#   bash mk/formal.sh [options] [PROPERTY...]      (default: every property)
#     --out DIR     work files, traces and logs (default build/formal)
#     --bmc N       bounded check of N cycles from reset for every property
#                   (default: each property's own depth, the table below)
#     --deep        make formal: k-induction (a proof for every depth) where
#                   the property has a k, and the deeper bounded check
#     --mutants     also run each property's mutant: a copy of rtl/ with one
#                   deliberate bug that the property must catch
#     --tap         print TAP ("ok N - ...") for tests/checks/formal.sh
#     --list        print the properties and exit
#
# Prints PASS / FAIL per property (and CAUGHT / MISSED per mutant); a failed
# check names the assertion, the cycle and the counterexample trace
# (OUT/PROPERTY/trace.vcd). Exit status 1 if anything failed.
#
# A wrapper names the rtl/ files it needs on a line "// fv_rtl: a.v b.v"
# and may read internal signals for its invariants on lines
# "// fv_peek: WRAPPER_WIRE[range] FLATTENED.SIGNAL": Yosys cannot read a
# hierarchical name, so the wire is connected after flattening. Assertion
# labels are PROPERTY__detail; labels inv__* are invariants that make the
# induction go through and are checked with every property of the wrapper.
set -uo pipefail
cd "$(dirname "$0")/.."

# property      wrapper        bmc  deep  k   (k-induction depth, - = none)
props=(
	"lookup_sound     fv_conn_table 12 24 6"
	"lookup_complete  fv_conn_table 12 24 6"
	"table_read       fv_conn_table 12 24 6"
	"lookup_hold      fv_conn_table 12 24 6"
	"import_export    fv_ctx_port   8 40 8"
	"unique_tuple     fv_ctx_port   8 40 8"
	"entry_bucket     fv_ctx_port   8 40 8"
	"table_update     fv_ctx_port   8 40 8"
	"cmd_res          fv_ctx_port   8 40 8"
	"res_stable       fv_ctx_port   8 40 8"
	"port_rules       fv_ctx_port   8 40 8"
	"lookup_current   fv_ctx_port   8 40 8"
	"quiet_contract   fv_rx_parse   16 30 10"
	"lookup_protocol  fv_rx_parse   16 30 10"
	"verdict_lookup   fv_rx_parse   16 30 10"
)

# property | rtl file | sed expression | the bug it plants    (one per property)
mutants=(
	"lookup_sound|conn_table.v|s/way_eq\[w\] = row_reg\[97\*w + 96\] \&\& /way_eq[w] = /|a way matches without its valid bit"
	"lookup_complete|conn_table.v|s/bkt_next = lk_hash\[BKT_W-1:0\];/bkt_next = lo_hash[BKT_W-1:0];/|the bucket hashes only the low half of the tuple"
	"table_read|conn_table.v|s/wire \[3:0\]       wr_en = clr_reg ? 4'hf/wire [3:0]       wr_en = clr_reg ? 4'h7/|the reset sweep leaves way 3 as it was"
	"lookup_hold|conn_table.v|s/if (sel_reg) begin/if (sel_reg || cmp_reg) begin/|the result changes a cycle early"
)

out=build/formal
bmc_all=""
deep=0
with_mutants=0
tap=0
only=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--bmc) bmc_all=$2; shift 2 ;;
	--deep) deep=1; shift ;;
	--mutants) with_mutants=1; shift ;;
	--tap) tap=1; shift ;;
	--list) for p in "${props[@]}"; do echo "$p"; done; exit 0 ;;
	-*) echo "formal: unknown option $1" >&2; exit 2 ;;
	*) only+=("$1"); shift ;;
	esac
done

for tool in yosys yosys-smtbmc z3; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "formal: $tool not found (bash mk/deps.sh installs it)" >&2
		exit 2
	fi
done
mkdir -p "$out"

tap_n=0
failures=0
# result OK TEXT: one PASS/FAIL line (or a TAP line)
result() {
	local ok=$1 text=$2
	[ "$ok" = 1 ] || failures=$((failures + 1))
	if [ $tap = 1 ]; then
		tap_n=$((tap_n + 1))
		if [ "$ok" = 1 ]; then echo "ok $tap_n - $text"; else echo "not ok $tap_n - $text"; fi
	else
		echo "formal: $text"
	fi
}
# note TEXT: detail under a result (TAP diagnostics)
note() {
	if [ $tap = 1 ]; then echo "# $1"; else echo "formal:   $1"; fi
}

# build_base WRAPPER RTLDIR DIR: the flattened design with every assertion,
# DIR/base.il, and its assertion labels, DIR/asserts.txt
build_base() {
	local wrapper=$1 rtldir=$2 dir=$3 src=tests/formal/$1.v
	mkdir -p "$dir"
	[ -f "$dir/base.il" ] && [ "$dir/base.il" -nt "$src" ] && return 0
	local rtl="" peeks="" f
	for f in $(sed -n 's|^// fv_rtl: *||p' "$src"); do rtl="$rtl $rtldir/$f"; done
	while read -r lhs rhs; do
		peeks="$peeks
		connect -set $lhs $rhs"
	done < <(sed -n 's|^// fv_peek: *||p' "$src")
	if ! yosys -q -l "$dir/yosys.log" -p "
		read_verilog -formal -I$rtldir -Itests/formal $rtl $src
		prep -top $wrapper
		flatten
		memory_nordff
		memory_map
		opt_clean
		$peeks
		async2sync
		chformal -assume -early
		opt_clean
		setundef -anyseq
		opt -keepdc -fast
		check -assert
		dffunmap
		write_rtlil $dir/base.il
		tee -q -o $dir/asserts.txt select -list t:\$assert
	" >/dev/null 2>&1; then
		note "yosys failed on $wrapper (log: $dir/yosys.log):"
		grep -E 'ERROR|Warning' "$dir/yosys.log" | head -5 | while read -r l; do note "$l"; done
		rm -f "$dir/base.il"
		return 1
	fi
}

# smt PROP BASEDIR SMT KEEP_INV: SMT-LIB of BASEDIR's design with only the
# assertions of PROP (and the invariants when KEEP_INV is 1)
smt() {
	local prop=$1 dir=$2 file=$3 keep="c:$1__*"
	[ "$4" = 1 ] && keep="$keep c:inv__* %u"
	if ! grep -q "/${prop}__" "$dir/asserts.txt"; then
		note "$prop: no assertion labelled ${prop}__* in the wrapper"
		return 1
	fi
	yosys -q -p "read_rtlil $dir/base.il; chformal -remove -assert t:\$assert $keep %d; write_smt2 -wires $file" >/dev/null
}

# check MODE DEPTH SMT LOG VCD: run yosys-smtbmc (MODE bmc or induct); sets
# status (PASSED / FAILED / ERROR), fail_label, fail_step
check() {
	local mode=$1 depth=$2 file=$3 log=$4 vcd=$5 args=(-t "$depth")
	[ "$mode" = induct ] && args=(-i -t "$depth")
	# --unroll: z3 is much faster on the unrolled formula than with the
	# state as uninterpreted functions
	yosys-smtbmc -s z3 --unroll --noprogress "${args[@]}" --dump-vcd "$vcd" "$file" >"$log" 2>&1
	status=$(sed -n 's/.*Status: \([A-Z]*\).*/\1/p' "$log" | tail -1)
	[ -n "$status" ] || status=ERROR
	fail_label=$(sed -n 's/.*Assert failed in [^:]*: .*(\([^)]*\)).*/\1/p' "$log" | head -1)
	[ -n "$fail_label" ] || fail_label=$(sed -n 's/.*Assert failed in [^:]*: \(.*\)/\1/p' "$log" | head -1)
	fail_step=$(sed -n 's/.*Checking assertions in step \([0-9]*\).*/\1/p' "$log" | tail -1)
	[ "$status" = PASSED ] || [ -f "$vcd" ] || vcd="(none written)"
	trace=$vcd
}

prop_field() { # prop_field LINE N
	echo "$1" | awk -v n="$2" '{print $n}'
}

want() { # want PROP: selected on the command line (or no selection)
	[ ${#only[@]} -eq 0 ] && return 0
	local p
	for p in "${only[@]}"; do [ "$p" = "$1" ] && return 0; done
	return 1
}

for line in "${props[@]}"; do
	prop=$(prop_field "$line" 1)
	want "$prop" || continue
	wrapper=$(prop_field "$line" 2)
	depth=$(prop_field "$line" 3)
	[ $deep = 1 ] && depth=$(prop_field "$line" 4)
	[ -n "$bmc_all" ] && depth=$bmc_all
	k=$(prop_field "$line" 5)
	dir=$out/$prop
	mkdir -p "$dir"
	if ! build_base "$wrapper" rtl "$out/base-$wrapper" || ! smt "$prop" "$out/base-$wrapper" "$dir/$prop.smt2" 1; then
		result 0 "$prop: FAIL (could not build the model)"
		continue
	fi
	start=$(date +%s)
	check bmc "$depth" "$dir/$prop.smt2" "$dir/bmc.log" "$dir/trace.vcd"
	what="bmc $depth cycles"
	if [ "$status" = PASSED ] && [ $deep = 1 ] && [ "$k" != - ]; then
		check induct "$k" "$dir/$prop.smt2" "$dir/induct.log" "$dir/induct.vcd"
		what="$what, k-induction k=$k"
	fi
	secs=$(($(date +%s) - start))
	if [ "$status" = PASSED ]; then
		result 1 "$prop: PASS ($what, ${secs}s)"
	else
		result 0 "$prop: FAIL ($what, ${secs}s)"
		note "status $status: assertion ${fail_label:-?} at step ${fail_step:-?}"
		note "trace: $trace (log: $dir)"
	fi
done

[ $with_mutants = 1 ] || { [ $failures -eq 0 ]; exit; }

for line in "${mutants[@]}"; do
	IFS='|' read -r prop file expr why <<<"$line"
	want "$prop" || continue
	pline=""
	for p in "${props[@]}"; do [ "$(prop_field "$p" 1)" = "$prop" ] && pline=$p; done
	wrapper=$(prop_field "$pline" 2)
	depth=$(prop_field "$pline" 3)
	[ $deep = 1 ] && depth=$(prop_field "$pline" 4)
	[ -n "$bmc_all" ] && depth=$bmc_all
	dir=$out/mutant-$prop
	rm -rf "$dir"
	mkdir -p "$dir/rtl"
	cp rtl/*.v rtl/*.vh "$dir/rtl/"
	sed -i "$expr" "$dir/rtl/$file"
	if cmp -s "rtl/$file" "$dir/rtl/$file"; then
		result 0 "mutant $prop: MISSED (the sed expression no longer changes rtl/$file)"
		continue
	fi
	if ! build_base "$wrapper" "$dir/rtl" "$dir/base" || ! smt "$prop" "$dir/base" "$dir/$prop.smt2" 0; then
		result 0 "mutant $prop: MISSED (could not build the model)"
		continue
	fi
	start=$(date +%s)
	check bmc "$depth" "$dir/$prop.smt2" "$dir/bmc.log" "$dir/trace.vcd"
	secs=$(($(date +%s) - start))
	if [ "$status" = FAILED ] && [[ $fail_label == ${prop}__* ]]; then
		result 1 "mutant $prop: CAUGHT ($why: $fail_label fails at step $fail_step, ${secs}s)"
	else
		result 0 "mutant $prop: MISSED ($why: status $status within $depth cycles)"
	fi
done

[ $failures -eq 0 ]
