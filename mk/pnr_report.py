#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Summarize nextpnr-ecp5 runs of mk/pnr.sh: Fmax per seed, the best, the
# utilisation and the critical path (cells, nets, RTL lines) of the best.
#   python3 mk/pnr_report.py OUTDIR "SEEDS" KEYFILE
import json
import os
import re
import sys

out, seeds, keyfile = sys.argv[1], sys.argv[2].split(), sys.argv[3]
CLK = "clk"


def module(cell):
    """Instance path of a flattened cell name: 'a_inst.b_inst.x_LUT4' -> 'a_inst.b_inst'."""
    parts = cell.split(".")
    mods = [p for p in parts[:-1] if p.endswith("_inst")]
    return ".".join(mods) if mods else "toe_nic (top)"


def rtl_line(src):
    """'rtl/x.v:133.13-133.19' -> ('rtl/x.v', 133) for project sources only."""
    m = re.match(r"(rtl/[^:]+):(\d+)\.", src)
    return (m.group(1), int(m.group(2))) if m else None


runs = {}
for s in seeds:
    rep = json.load(open(f"{out}/seed-{s}-report.json"))
    clocks = rep["fmax"]
    clk = next((c for c in clocks if c == CLK or c.endswith("$" + CLK)), None)
    if clk is None:
        sys.exit(f"pnr: no clock '{CLK}' in the report of seed {s}: {list(clocks)}")
    runs[s] = rep, clocks[clk]

print()
print(f"{'seed':>6s} {'Fmax MHz':>10s} {'target':>8s}  result  critical path (source -> sink)")
for s, (rep, f) in runs.items():
    ok = "PASS" if f["achieved"] >= f["constraint"] else "FAIL"
    ends = ""
    for cp in rep["critical_paths"]:
        if cp["path"]:
            ends = f"{cp['path'][0]['from']['cell']} -> {cp['path'][-1]['to']['cell']}"
            break
    print(f"{s:>6s} {f['achieved']:10.2f} {f['constraint']:8.2f}  {ok:6s}  {ends}")
best = max(runs, key=lambda s: runs[s][1]["achieved"])
rep, f = runs[best]
print(f"best: seed {best}, Fmax {f['achieved']:.2f} MHz for a target of {f['constraint']:.2f} MHz"
      f" ({'met' if f['achieved'] >= f['constraint'] else 'missed by ' + format(1000 / f['achieved'] - 1000 / f['constraint'], '.2f') + ' ns'})")

u = rep["utilization"]
print("utilisation (85F): " + ", ".join(
    f"{k} {u[k]['used']}/{u[k]['available']}" for k in ("TRELLIS_COMB", "TRELLIS_FF", "DP16KD", "MULT18X18D", "TRELLIS_IO")
    if k in u))

for cp in rep["critical_paths"]:
    path = cp["path"]
    if not path:
        continue
    total = sum(p["delay"] for p in path)
    logic = sum(p["delay"] for p in path if p["type"] != "routing")
    lut_levels = sum(1 for p in path if p["type"] == "logic" and "$CCU2_COMB" not in p["from"]["cell"])
    carry = sum(1 for p in path if p["type"] == "logic" and "$CCU2_COMB" in p["from"]["cell"])
    print()
    print(f"critical path ({cp['from']} -> {cp['to']}, seed {best}): {total:.2f} ns,"
          f" {logic:.2f} ns logic + {total - logic:.2f} ns routing, {len(path)} segments,"
          f" {lut_levels} LUT/mux levels + {carry} carry-chain steps")
    print(f"  from  {path[0]['from']['cell']}.{path[0]['from']['port']}")
    print(f"  to    {path[-1]['to']['cell']}.{path[-1]['to']['port']}")
    mods = []
    for p in path:
        for end in ("from", "to"):
            m = module(p[end]["cell"])
            if m not in mods and not p[end]["cell"].startswith("$nextpnr"):
                mods.append(m)
    print("  modules, in path order: " + " -> ".join(mods))
    lines = []
    for p in path:
        for src in p.get("sources", []):
            rl = rtl_line(src)
            if rl and rl not in lines and not rl[0].endswith("toe_nic.v"):
                lines.append(rl)
    print("  RTL on the path, in path order:")
    for fn, n in lines:
        text = ""
        if os.path.exists(fn):
            src = open(fn).read().split("\n")
            text = src[n - 1].strip() if n <= len(src) else ""
        print(f"    {fn}:{n}: {text[:90]}")
    nets = [p["net"] for p in path if p["type"] == "routing" and p.get("net")]
    slow = sorted((p for p in path if p["type"] == "routing"), key=lambda p: -p["delay"])[:5]
    print(f"  slowest nets of {len(nets)}: " + "; ".join(f"{p['net']} {p['delay']:.2f} ns" for p in slow))

with open(keyfile, "w") as fk:
    fk.write(f"synth.ecp5.fmax_mhz {runs[best][1]['achieved']:.2f}\n")
    fk.write(f"synth.ecp5.fmax_seed {best}\n")
