#!/bin/sh
# SPDX-License-Identifier: MIT
# Build and run the RTL block tests without make: tests/rtl/run.sh [name...]
# (names: csum_acc eth_rx_parse conn_hash toe_nic; default all). Exits non-zero on
# any failure.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
names=${*:-"csum_acc eth_rx_parse conn_hash toe_nic"}
fail=0
for t in $names; do
	case $t in
	csum_acc) src="rtl/csum_acc.v" ;;
	eth_rx_parse) src="rtl/eth_rx_parse.v rtl/csum_acc.v" ;;
	conn_hash) src="rtl/conn_hash.v" ;;
	*) src=$(ls rtl/*.v) ;;
	esac
	verilator --cc --exe --build -j 2 -Wall -Irtl -CFLAGS "-I$root/host/include" $src \
		"$root/tests/rtl/${t}_tb.cpp" --top-module "$t" \
		-Mdir "build/tb_$t" -o "${t}_tb" >/dev/null
	echo "# $t"
	"build/tb_$t/${t}_tb" || fail=1
done
exit $fail
