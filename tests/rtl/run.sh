#!/bin/sh
# SPDX-License-Identifier: MIT
# Build and run the RTL block tests without make: tests/rtl/run.sh [name...]
# (names: csum_acc eth_rx_parse conn_hash toe_nic tcp_out tcp_cc tcp_timers;
# default all). Exits non-zero on any failure. The transmit-stage benches
# link their C model stages from sw-model/, compiled here as C.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
names=${*:-"csum_acc eth_rx_parse conn_hash toe_nic tcp_out tcp_cc tcp_timers"}
fail=0
for t in $names; do
	model=""
	case $t in
	csum_acc) src="rtl/csum_acc.v" ;;
	eth_rx_parse) src="rtl/eth_rx_parse.v rtl/csum_acc.v" ;;
	conn_hash) src="rtl/conn_hash.v" ;;
	tcp_out) src="rtl/tcp_out.v"; model="tcp_out tcp_timers" ;;
	tcp_cc) src="rtl/tcp_cc.v"; model="tcp_cc" ;;
	tcp_timers) src="rtl/tcp_timers.v"; model="tcp_timers" ;;
	*) src=$(ls rtl/*.v) ;;
	esac
	objs=""
	mkdir -p "build/tb_$t"
	for c in $model; do
		${CC:-cc} -O2 -Wall -I"$root/host/include" -I"$root/sw-model" \
			-c "sw-model/$c.c" -o "build/tb_$t/model_$c.o"
		objs="$objs $root/build/tb_$t/model_$c.o"
	done
	verilator --cc --exe --build -j 2 -Wall -Irtl \
		-CFLAGS "-I$root/host/include -I$root/sw-model" $src $objs \
		"$root/tests/rtl/${t}_tb.cpp" --top-module "$t" \
		-Mdir "build/tb_$t" -o "${t}_tb" >/dev/null
	echo "# $t"
	"build/tb_$t/${t}_tb" || fail=1
done
exit $fail
