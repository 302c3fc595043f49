#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Merge "key value" lines into a flat JSON object with dotted keys (the
# bench file, build/bench.json), keeping every key already there.
#   python3 mk/bench_merge.py OUT.json [LINES] [--all]
# LINES is a file of "key value" lines (default: standard input); blank
# lines and lines starting with '#' are skipped. Prints the merged keys as
# a table, or every key of OUT.json with --all.
import json
import os
import sys

args = [a for a in sys.argv[1:] if a != "--all"]
show_all = "--all" in sys.argv[1:]
if not args:
    sys.exit("usage: bench_merge.py OUT.json [LINES] [--all]")
out = args[0]
src = open(args[1]) if len(args) > 1 else sys.stdin

data = json.load(open(out)) if os.path.exists(out) else {}
new = {}
for line in src:
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    k, v = line.split()
    new[k] = float(v) if any(c in v for c in ".eE") else int(v)
data.update(new)
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
tmp = out + ".tmp"
with open(tmp, "w") as f:
    json.dump(data, f, indent=1, sort_keys=True)
    f.write("\n")
os.replace(tmp, out)

shown = data if show_all else new
print(f"{'key':40s} {'value':>16s}")
for k in sorted(shown):
    print(f"{k:40s} {shown[k]:>16}")
print(f"written to {out}")
