#!/usr/bin/env bash
# rtl/teamtoe_defs.vh must equal what host/tools/gen_vh.c makes of defs.h.
build=${1:-build}
echo "1..1"
if make -s "$build/tools/gen_vh" >/dev/null && "$build/tools/gen_vh" | diff -u rtl/teamtoe_defs.vh -; then
	echo "ok 1 - rtl/teamtoe_defs.vh is current"
else
	echo "not ok 1 - rtl/teamtoe_defs.vh differs from defs.h: run 'make defs'"
fi
