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
#     --induct      k-induction (a proof for every depth) instead of the
#                   bounded check where the property has a k: its base case
#                   and its step, with the wrapper's invariants (make test)
#     --deep        make formal: --induct and the deeper bounded check
#     --mutants     also run each property's mutant: a copy of rtl/ with one
#                   deliberate bug that the property must catch (those in
#                   deep_mutants below only with --deep or --bmc)
#     --timeout S   give up on one solver run after S seconds (a failure;
#                   default 600, make formal none)
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

# property      wrapper        bmc deep k  mut
#   bmc   the bounded check of make test (cycles from reset; - none)
#   deep  the bounded check of make formal (- none)
#   k     k-induction depth (--induct, make test and make formal; - none)
#   mut   the depth of the mutant's bounded check
# (a property in notrun below is not run at all)
props=(
	"lookup_sound     fv_conn_table 10 12 6  10"
	"lookup_complete  fv_conn_table -  -  6  10"
	"table_read       fv_conn_table 10 12 2  10"
	"lookup_hold      fv_conn_table 10 12 2  10"
	"import_export    fv_ctx_port   13 25 -  13"
	"round_trip       fv_ctx_port   25 26 -  25"
	"unique_tuple     fv_ctx_port   8  21 -  4"
	"entry_bucket     fv_ctx_port   4  13 -  4"
	"table_update     fv_ctx_port   8  13 -  8"
	"cmd_res          fv_ctx_port   13 15 -  9"
	"res_stable       fv_ctx_port   14 25 -  14"
	"port_rules       fv_ctx_port   13 25 -  4"
	"lookup_current   fv_ctx_port   7  12 -  7"
	"serial_hash      fv_ctx_hash   -  -  1  27"
	"quiet_contract   fv_rx_parse   16 20 8  16"
	"lookup_protocol  fv_rx_parse   12 20 8  12"
	"verdict_lookup   fv_rx_parse   16 20 -  16"
)

# why a property is not run (tests/formal/README.md, "Status"): none now
notrun=()

# properties z3 checks faster with its SAT-based solver (set-logic QF_FD:
# the formula bit-blasted into an incremental SAT solver) than with its
# default SMT core: round_trip's BMC 25 took 64 to 92 s of CPU so, 134 s
# without (tests/formal/README.md, "Solvers"); the others gained little or
# lost (import_export's BMC 13), so they keep the default
sat_props=(round_trip)
# sat_args PROP: sets logic_args, the solver logic for PROP
sat_args() {
	logic_args=()
	[[ " ${sat_props[*]} " == *" $1 "* ]] && logic_args=(--logic QF_FD)
	return 0
}

# mutants run only with --deep (make formal): left out of make test to keep
# its CPU time down (each mutant of fv_ctx_port is a Yosys build of 5 s, and
# table_update's needs 8 cycles of the command: about 20 s of CPU; those of
# import_export and res_stable need the whole command: 20 s and 15 s;
# round_trip's two commands, 25 cycles: 55 to 70 s); cmd_res's stays in make
# test, a bug of the command logic it must catch
deep_mutants=(entry_bucket table_update port_rules import_export res_stable round_trip)

# property | rtl file | sed expression | the bug it plants    (one per property;
# no "|" inside the fields)
mutants=(
	"lookup_sound|conn_table.v|s/way_eq\[w\] = row_reg\[97\*w + 96\] \&\& /way_eq[w] = /|a way matches without its valid bit"
	"lookup_complete|conn_table.v|s/wire \[31:0\] lk_hash = hi_hash_reg ^ lo_hash;/wire [31:0] lk_hash = hi_hash_reg ^ {lo_hash[31:1], 1'b0};/|the bucket misses the low half's share of hash bit 0"
	"table_read|conn_table.v|s/wire \[3:0\]       wr_en = clr_reg ? 4'hf/wire [3:0]       wr_en = clr_reg ? 4'h7/|the reset sweep leaves way 3 as it was"
	"lookup_hold|conn_table.v|s/sel_next = cmp_reg;/sel_next = out_reg;/|the result is taken a cycle early"
	"quiet_contract|eth_rx_parse.v|s/quiet_reg <= (beat_next <= 4'd4) \&\& /quiet_reg <= /|a window at any beat of a frame"
	"lookup_protocol|eth_rx_parse.v|s/assign tuple_hi_valid = s_beat \&\& (beat_reg == 4'd3);/assign tuple_hi_valid = s_beat \&\& (beat_reg == 4'd2);/|the high half of the tuple from beat 2"
	"verdict_lookup|eth_rx_parse.v|s/vd_slot_next = lookup_slot;/vd_slot_next = lookup_slot ^ 16'd1;/|the verdict's slot is not the lookup's"
	"round_trip|ctx_port.v|s/assign m_ram_wr_addr = {bkt_reg, way_reg};/assign m_ram_wr_addr = cmd_slot_n;/|an IMPORT writes its record at the slot field of its command, not at the slot it took"
	"import_export|ctx_port.v|s/slot_valid_reg <= way_valid\[cmd_slot_n\[1:0\]\];/slot_valid_reg <= 1'b1;/|EXPORT and SNAPSHOT take every slot for valid: an EXPORT of a slot never imported returns OK"
	"unique_tuple|conn_table.v|s/wr_data = {s_cmd_wr_entry\[96\] \&\& !clr_reg, /wr_data = {s_cmd_wr_entry[96], /|the reset sweep writes the port's entry with its valid bit"
	"entry_bucket|conn_table.v|s/wire \[3:0\]       wr_en = clr_reg ? 4'hf/wire [3:0]       wr_en = clr_reg ? 4'h7/|the reset sweep leaves way 3 as it was"
	"table_update|ctx_port.v|s/for (w = 3; w >= 0; w = w - 1) begin/for (w = 0; w < 4; w = w + 1) begin/|IMPORT takes the highest free way of the bucket, not the lowest"
	"cmd_res|ctx_port.v|s/            state_next = STATE_MEM1;/            state_next = STATE_MEM1;\n            stat_valid_next = 1'b1;/|a second counter pulse for the command, in W+2"
	"res_stable|ctx_port.v|s/res_valid_next = res_valid_reg \&\& !m_axis_ctx_res_tready;/res_valid_next = 1'b0;/|the result beat is valid for one cycle, taken or not"
	"port_rules|ctx_port.v|s/assign m_fence_snap = (state_reg == STATE_LATCH);/assign m_fence_snap = (state_reg == STATE_IDLE);/|the fence snapshot while idle, not in R+7"
	"lookup_current|conn_table.v|s/cmp_ok_next = !clr_reg;/cmp_ok_next = 1'b1;/|a lookup whose row was read during the reset sweep may hit"
	"serial_hash|ctx_port.v|s/hsh_key_next = hsh_key_reg << HASH_BITS;/hsh_key_next = hsh_key_reg << (HASH_BITS - 1);/|the key's shift register moves a bit less a step than the tuple's (a bug of the serial hash only)"
)

out=build/formal
bmc_all=""
deep=0
induct=0
with_mutants=0
tap=0
limit=""
only=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--bmc) bmc_all=$2; shift 2 ;;
	--deep) deep=1; induct=1; shift ;;
	--induct) induct=1; shift ;;
	--mutants) with_mutants=1; shift ;;
	--timeout) limit=$2; shift 2 ;;
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
[ -n "$limit" ] || { [ $deep = 1 ] && limit=0 || limit=600; }

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
	local rtl="" peeks="" f fresh=1
	for f in $(sed -n 's|^// fv_rtl: *||p' "$src"); do rtl="$rtl $rtldir/$f"; done
	# reuse the model only if it is newer than the wrapper and the RTL
	for f in "$src" tests/formal/fv_toeplitz.vh $rtl "$0"; do
		[ -f "$dir/base.il" ] && [ "$dir/base.il" -nt "$f" ] || fresh=0
	done
	[ $fresh = 1 ] && return 0
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
	# assumptions labelled PROPERTY__* narrow the environment for that
	# property's check only: the others' are dropped
	yosys -q -p "read_rtlil $dir/base.il; chformal -remove -assert t:\$assert $keep %d; chformal -remove -assume t:\$assume c:*__* %i c:$1__* %d; opt_clean; write_smt2 -wires $file" >/dev/null
}

# check MODE DEPTH SMT LOG VCD: run yosys-smtbmc (MODE bmc or induct); sets
# status (PASSED / FAILED / ERROR), fail_label, fail_step
check() {
	local mode=$1 depth=$2 file=$3 log=$4 vcd=$5 args
	args=(-t "$depth")
	[ "$mode" = induct ] && args=(-i -t "$depth")
	# --unroll: z3 is much faster on the unrolled formula than with the
	# state as uninterpreted functions; --logic QF_FD (sat_props) makes z3
	# bit-blast into its incremental SAT solver
	timeout "$limit" yosys-smtbmc -s z3 --unroll "${logic_args[@]}" --noprogress "${args[@]}" --dump-vcd "$vcd" "$file" >"$log" 2>&1
	local rc=$?
	status=$(sed -n 's/.*Status: \([A-Z]*\).*/\1/p' "$log" | tail -1)
	[ $rc = 124 ] && status=TIMEOUT
	[ -n "$status" ] || status=ERROR
	fail_label=$(sed -n 's/.*Assert failed in [^:]*: .*(\([^)]*\)).*/\1/p' "$log" | head -1)
	[ -n "$fail_label" ] || fail_label=$(sed -n 's/.*Assert failed in [^:]*: \(.*\)/\1/p' "$log" | head -1)
	fail_step=$(sed -n 's/.*Checking assertions in step \([0-9]*\).*/\1/p' "$log" | tail -1)
	[ "$status" = PASSED ] || [ -f "$vcd" ] || vcd="(none written)"
	trace=$vcd
}

# not_run PROP: the reason PROP is not run (empty if it is)
not_run() {
	local l
	for l in "${notrun[@]}"; do [ "${l%%|*}" = "$1" ] && echo "${l#*|}"; done
}
# skip TEXT: a property or mutant not run (TAP: a SKIP with the reason)
skip() {
	if [ $tap = 1 ]; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n - $1 # SKIP $2"
	else
		echo "formal: $1: NOT RUN ($2)"
	fi
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
	why=$(not_run "$prop")
	if [ -n "$why" ] && [ -z "$bmc_all" ]; then
		skip "$prop" "$why"
		continue
	fi
	wrapper=$(prop_field "$line" 2)
	depth=$(prop_field "$line" 3)
	[ $deep = 1 ] && depth=$(prop_field "$line" 4)
	[ -n "$bmc_all" ] && depth=$bmc_all
	k=$(prop_field "$line" 5)
	[ $induct = 1 ] || k=-
	# a proof for every depth makes make test's bounded check redundant
	[ $induct = 1 ] && [ $deep = 0 ] && [ "$k" != - ] && [ -z "$bmc_all" ] && depth=-
	if [ "$depth" = - ] && [ "$k" = - ]; then
		skip "$prop" "no bounded check of it at this depth (bash mk/formal.sh --induct $prop proves it)"
		continue
	fi
	dir=$out/$prop
	mkdir -p "$dir"
	if ! build_base "$wrapper" rtl "$out/base-$wrapper" || ! smt "$prop" "$out/base-$wrapper" "$dir/$prop.smt2" 0; then
		result 0 "$prop: FAIL (could not build the model)"
		continue
	fi
	start=$(date +%s)
	status=PASSED
	what=""
	sat_args "$prop"
	if [ "$depth" != - ]; then
		# the bounded check needs no invariant: it explores from reset
		check bmc "$depth" "$dir/$prop.smt2" "$dir/bmc.log" "$dir/trace.vcd"
		what="bmc $depth cycles"
	fi
	if [ "$status" = PASSED ] && [ "$k" != - ]; then
		# k-induction: the base case (property and invariants hold in the
		# first k cycles from reset) and the step (k cycles where they hold
		# are followed by one where they hold), invariants included
		if smt "$prop" "$out/base-$wrapper" "$dir/$prop-inv.smt2" 1; then
			check bmc "$k" "$dir/$prop-inv.smt2" "$dir/base.log" "$dir/base.vcd"
			[ "$status" = PASSED ] && check induct "$k" "$dir/$prop-inv.smt2" "$dir/induct.log" "$dir/induct.vcd"
		else
			status=ERROR
		fi
		what="${what:+$what, }k-induction k=$k: every depth"
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
	reason=$(not_run "$prop")
	if [ -n "$reason" ] && [ -z "$bmc_all" ]; then
		skip "mutant $prop" "$reason"
		continue
	fi
	if [ $deep = 0 ] && [ -z "$bmc_all" ] && [[ " ${deep_mutants[*]} " == *" $prop "* ]]; then
		skip "mutant $prop" "make formal runs it (bash mk/formal.sh --deep --mutants $prop)"
		continue
	fi
	pline=""
	for p in "${props[@]}"; do [ "$(prop_field "$p" 1)" = "$prop" ] && pline=$p; done
	wrapper=$(prop_field "$pline" 2)
	depth=$(prop_field "$pline" 6)
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
	sat_args "$prop"
	check bmc "$depth" "$dir/$prop.smt2" "$dir/bmc.log" "$dir/trace.vcd"
	secs=$(($(date +%s) - start))
	if [ "$status" = FAILED ] && [[ $fail_label == ${prop}__* ]]; then
		result 1 "mutant $prop: CAUGHT ($why: $fail_label fails at step $fail_step, ${secs}s)"
	else
		result 0 "mutant $prop: MISSED ($why: status $status within $depth cycles)"
	fi
done

[ $failures -eq 0 ]
