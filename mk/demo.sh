#!/usr/bin/env bash
# The main job, as far as the cards go today: generate a capture of mixed
# good and broken frames, replay it through a two-card RTL team, and show
# what the cards did with it.
set -euo pipefail
build=${1:-build}
dir=$build/demo
mkdir -p "$dir"
dtb=$build/dts/team-2rtl.dtb
echo "demo: generating a capture of 4000 frames"
"$build/mkcapture" "$dir/capture.pcap" 4000 7
echo "demo: replaying it into port 0 of the team in $dtb"
"$build/teamtoe" --dtb "$dtb" --replay "$dir/capture.pcap" --port 0 --out "$dir"
echo "demo: outputs in $dir/ (open the .pcap files in Wireshark)"
ls -l "$dir"
