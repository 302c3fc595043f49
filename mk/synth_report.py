#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Resource table of the Yosys runs of mk/synth.sh, one column per
# target/CONN_SLOTS, and the bench keys of the run at the default CONN_SLOTS.
#   python3 mk/synth_report.py OUTDIR "TARGETS" "SLOTS" DEFAULT_SLOTS KEYFILE
import json
import sys

out, targets, slots, default, keyfile = sys.argv[1:6]
targets, slots, default = targets.split(), [int(s) for s in slots.split()], int(default)

# resource -> primitive cells per target (weight per cell)
ROWS = [
    ("LUTs", {"ecp5": {"LUT4": 1},
              "xilinx": {f"LUT{i}": 1 for i in range(1, 7)}}),
    ("flip-flops", {"ecp5": {"TRELLIS_FF": 1},
                    "xilinx": {"FDRE": 1, "FDSE": 1, "FDCE": 1, "FDPE": 1, "LDCE": 1, "LDPE": 1}}),
    ("block RAM (DP16KD / RAMB36 equiv.)", {"ecp5": {"DP16KD": 1},
                                            "xilinx": {"RAMB36E1": 1, "RAMB18E1": 0.5}}),
    ("DSPs (MULT18X18D+ALU54B / DSP48E1)", {"ecp5": {"MULT18X18D": 1, "ALU54B": 1},
                                            "xilinx": {"DSP48E1": 1}}),
    ("carry cells (CCU2C / CARRY4)", {"ecp5": {"CCU2C": 1}, "xilinx": {"CARRY4": 1}}),
    ("distributed RAM / SRL cells", {"ecp5": {"TRELLIS_DPR16X4": 1},
                                     "xilinx": {t: 1 for t in ("RAM32M", "RAM64M", "RAM32X1D",
                                                               "RAM64X1D", "RAM128X1D", "RAM32X1S",
                                                               "RAM64X1S", "RAM128X1S", "RAM256X1S",
                                                               "SRL16E", "SRLC32E")}}),
    ("wide muxes (PFUMX+L6MUX21 / MUXF7+F8)", {"ecp5": {"PFUMX": 1, "L6MUX21": 1},
                                               "xilinx": {"MUXF7": 1, "MUXF8": 1}}),
]
KEYS = {("ecp5", "LUTs"): "synth.ecp5.lut4", ("ecp5", "flip-flops"): "synth.ecp5.ff",
        ("xilinx", "LUTs"): "synth.xilinx.lut", ("xilinx", "flip-flops"): "synth.xilinx.ff"}
ETH_TOE_LUTS = 13600  # figure quoted in the issue: ETH Zurich TOE, 64 bit @156.25 MHz, 7-series


def fmt(v):
    return f"{v:g}" if isinstance(v, float) else str(v)


cols, counts, other = [], {}, {}
for t in targets:
    for n in slots:
        cells = json.load(open(f"{out}/{t}-{n}-stat.json"))["design"]["num_cells_by_type"]
        col = (t, n)
        cols.append(col)
        used = set()
        for name, prims in ROWS:
            p = prims[t]
            v = sum(cells.get(c, 0) * w for c, w in p.items())
            counts[col, name] = int(v) if float(v).is_integer() else v
            used |= set(p)
        for c, v in cells.items():
            if c not in used:
                other.setdefault(c, {})[col] = v

w0 = 40
head = "".join(f"{t + ' ' + str(n):>14s}" for t, n in cols)
print()
print(f"Resources of toe_nic (Yosys {'/'.join(targets)}; ECP5 LUT4s, Xilinx LUT6s)")
print(f"  {'resource':{w0}s}{head}")
for name, _ in ROWS:
    print(f"  {name:{w0}s}" + "".join(f"{fmt(counts[c, name]):>14s}" for c in cols))
for c in sorted(other):
    print(f"  {c:{w0}s}" + "".join(f"{other[c].get(col, 0):>14d}" for col in cols))
print(f"  {'LUTs per 1024 connection slots':{w0}s}"
      + "".join(f"{counts[c, 'LUTs'] * 1024 / c[1]:>14.0f}" for c in cols))
print(f"  {'reference: ETH Zurich TOE (7-series)':{w0}s}{'~' + format(ETH_TOE_LUTS, ','):>14s}"
      "  LUTs, 64 bit at 156.25 MHz")
print("  (compare the reference with the Xilinx columns: an ECP5 LUT4 is smaller than a\n"
      "   7-series LUT6; the connection table and context RAM live in block RAM, so\n"
      "   LUTs grow slowly with CONN_SLOTS while block RAMs grow with it)")

with open(keyfile, "w") as f:
    for t in targets:
        if default not in slots:
            continue
        col = (t, default)
        for (kt, name), key in KEYS.items():
            if kt == t:
                f.write(f"{key} {counts[col, name]}\n")
        b = counts[col, "block RAM (DP16KD / RAMB36 equiv.)"]
        f.write(f"synth.{t}.bram {b}\n")
