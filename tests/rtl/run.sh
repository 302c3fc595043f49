#!/bin/sh
# SPDX-License-Identifier: MIT
# Build and run the RTL block tests without make: tests/rtl/run.sh [name...]
# (names: csum_acc eth_rx_parse conn_hash toe_nic tcp_out tcp_cc tcp_timers
# tcp_rx rx_engine; default all). Exits non-zero on any failure. Benches
# that compare with C model stages link them (paths from the top, without
# .c), compiled here as C.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
names=${*:-"csum_acc eth_rx_parse conn_hash toe_nic tcp_out tcp_cc tcp_timers tcp_rx rx_engine"}
fail=0
for t in $names; do
	model=""
	top=$t
	case $t in
	csum_acc) src="rtl/csum_acc.v" ;;
	eth_rx_parse) src="rtl/eth_rx_parse.v rtl/csum_acc.v" ;;
	conn_hash) src="rtl/conn_hash.v" ;;
	tcp_out) src="rtl/tcp_out.v"; model="sw-model/tcp_out sw-model/tcp_timers" ;;
	tcp_cc) src="rtl/tcp_cc.v"; model="sw-model/tcp_cc" ;;
	tcp_timers) src="rtl/tcp_timers.v"; model="sw-model/tcp_timers" ;;
	# the receive rules against their C twin
	tcp_rx) src="rtl/tcp_rx.v"; model="sw-model/tcp_rx" ;;
	# the receive engine in the whole card against the C rules and builder
	rx_engine) src=$(ls rtl/*.v); top=toe_nic
		model="sw-model/tcp_rx sw-model/tcp_tx sw-model/csum host/ctx sw-model/tcp_cc sw-model/tcp_timers sw-model/tcp_out" ;;
	*) src=$(ls rtl/*.v) ;;
	esac
	objs=""
	mkdir -p "build/tb_$t"
	for c in $model; do
		o="build/tb_$t/model_$(basename "$c").o"
		${CC:-cc} -O2 -Wall -I"$root/host/include" -I"$root/sw-model" \
			-c "$c.c" -o "$o"
		objs="$objs $root/$o"
	done
	verilator --cc --exe --build -j 2 -Wall -Irtl \
		-CFLAGS "-I$root/host/include -I$root/sw-model" $src $objs \
		"$root/tests/rtl/${t}_tb.cpp" --top-module "$top" \
		-Mdir "build/tb_$t" -o "${t}_tb" >/dev/null
	echo "# $t"
	"build/tb_$t/${t}_tb" || fail=1
done
exit $fail
