#!/bin/sh
# SPDX-License-Identifier: MIT
# Build and run the RTL block tests without make: tests/rtl/run.sh [name...]
# (names: csum_acc eth_rx_parse conn_hash tcp_rx rx_engine toe_nic; default
# all). Exits non-zero on any failure.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
names=${*:-"csum_acc eth_rx_parse conn_hash tcp_rx rx_engine toe_nic"}
fail=0
for t in $names; do
	top=
	case $t in
	csum_acc) src="rtl/csum_acc.v" ;;
	eth_rx_parse) src="rtl/eth_rx_parse.v rtl/csum_acc.v" ;;
	conn_hash) src="rtl/conn_hash.v" ;;
	# the rules against their C twin, built into the test
	tcp_rx) src="rtl/tcp_rx.v $root/sw-model/tcp_rx.c" ;;
	rx_engine) src="$(ls rtl/*.v) $root/sw-model/tcp_rx.c $root/sw-model/tcp_tx.c \
		$root/sw-model/csum.c $root/host/ctx.c"; top=toe_nic ;;
	*) src=$(ls rtl/*.v) ;;
	esac
	verilator --cc --exe --build -j 2 -Wall -Irtl \
		-CFLAGS "-I$root/host/include -I$root/sw-model" $src \
		"$root/tests/rtl/${t}_tb.cpp" --top-module "${top:-$t}" \
		-Mdir "build/tb_$t" -o "${t}_tb" >/dev/null
	echo "# $t"
	"build/tb_$t/${t}_tb" || fail=1
done
exit $fail
