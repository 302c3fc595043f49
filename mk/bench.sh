#!/usr/bin/env bash
# Run the benchmarks, merge their "key value" lines into BUILD/bench.json
# (one flat JSON object with dotted keys) and print them as a table.
set -euo pipefail
build=${1:-build}
out=$build/bench.json
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "bench: simulation speed"
"$build/bench_sim" | tee -a "$tmp"
echo
echo "bench: the RTL card (cycles; 1024 offloaded connections, both directions)"
"$build/bench_rtl" | tee -a "$tmp"
echo
echo "bench: connection records (one core, 1M records)"
"$build/bench_records" | tee -a "$tmp"
echo
echo "bench: the demo (reload latency on RTL cards, mass failover of 16,384 connections)"
"$build/bench_demo" "$build" | tee -a "$tmp"
echo
echo "bench: a Linux peer (curl through a TAP in a private namespace; needs root)"
"$build/bench_linux" "$build" | tee -a "$tmp"
echo
python3 mk/bench_merge.py "$out" "$tmp" --all
