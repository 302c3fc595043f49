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
python3 - "$out" "$tmp" <<'PY'
import json, os, sys
out, new = sys.argv[1], sys.argv[2]
data = json.load(open(out)) if os.path.exists(out) else {}
for line in open(new):
    k, v = line.split()
    data[k] = float(v) if "." in v else int(v)
json.dump(data, open(out, "w"), indent=1, sort_keys=True)
print()
print(f"{'key':40s} {'value':>16s}")
for k in sorted(data):
    print(f"{k:40s} {data[k]:>16}")
print(f"\nwritten to {out}")
PY
