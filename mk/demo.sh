#!/usr/bin/env bash
# The main job: a team of two RTL cards behind the simulated switch, 64
# TCP connections from 8 simulated clients through it (8 MiB each way,
# every byte checked with SHA-256), a link failing mid-transfer and coming
# back, and what the host did about it. Outputs in BUILD/demo/: a pcap per
# switch port (open them in Wireshark) and timeline.svg. Extra arguments
# go to teamtoe-demo (--model, --conns, --after-request, ...; --help).
set -euo pipefail
build=${1:-build}
shift || true
dir=$build/demo
mkdir -p "$dir"
"$build/teamtoe-demo" --dtb "$build/dts/team-2rtl.dtb" --out "$dir" "$@"
echo "demo: outputs in $dir/"
ls -l "$dir"
