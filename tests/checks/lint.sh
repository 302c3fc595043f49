#!/usr/bin/env bash
# rtl/ must pass 'verilator --lint-only -Wall' with no warning at all.
echo "1..1"
if out=$(make -s lint 2>&1) && ! grep -q '%Warning' <<<"$out"; then
	echo "ok 1 - verilator -Wall lint of rtl/ is clean"
else
	printf '%s\n' "$out" | head -20 | sed 's/^/# /'
	echo "not ok 1 - verilator -Wall lint of rtl/"
fi
