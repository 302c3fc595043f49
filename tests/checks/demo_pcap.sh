#!/usr/bin/env bash
# Every frame the cards send in the demo, as the per-port pcaps captured
# it, passes Wireshark's dissection: no IPv4 or TCP checksum error (both
# checked), nothing malformed, no expert info of error severity.
# Runs teamtoe-demo on RTL cards (1 MiB each way, 64 connections, a link
# failure and restore) into BUILD/test-demo/. The filter is first shown
# to catch broken frames (mkcapture's), so that a pass means something.
# TAP output.
set -u
build=${1:-build}
out=$build/test-demo
team_mac=02:00:c6:12:00:01
bad='(_ws.expert.severity == error || _ws.malformed || tcp.checksum.status == "Bad" || ip.checksum.status == "Bad")'
echo "1..3"

# count FILE FILTER: frames of FILE that match FILTER
count() {
	tshark -r "$1" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
		-Y "$2" 2>/dev/null | wc -l
}

if ! command -v tshark >/dev/null; then
	echo "not ok 1 - tshark missing (make deps)"
	exit 1
fi
rm -rf "$out"
mkdir -p "$out"
"$build/mkcapture" "$out/broken.pcap" 400 7 >/dev/null
n=$(count "$out/broken.pcap" "$bad")
if [ "$n" -gt 0 ]; then
	echo "ok 1 - the filter finds $n broken frames in a capture made broken"
else
	echo "not ok 1 - the filter finds nothing in a capture made broken"
fi

if "$build/teamtoe-demo" --quiet --up 1048576 --down 1048576 --out "$out" \
	>"$out/demo.log" 2>&1; then
	echo "ok 2 - the demo ran: $(grep '^integrity' "$out/demo.log")"
else
	echo "not ok 2 - the demo failed (exit $?):"
	tail -n 20 "$out/demo.log" | sed 's/^/# /'
fi

sent=0 errors=0
for f in "$out"/port*.pcap; do
	[ -f "$f" ] || continue
	s=$(count "$f" "eth.src == $team_mac")
	e=$(count "$f" "eth.src == $team_mac && $bad")
	sent=$((sent + s))
	errors=$((errors + e))
	if [ "$e" -ne 0 ]; then
		echo "# $f: $e of $s frames from the team fail:"
		tshark -r "$f" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
			-Y "eth.src == $team_mac && $bad" 2>/dev/null | head -5 | sed 's/^/#   /'
	fi
done
if [ "$sent" -gt 1000 ] && [ "$errors" -eq 0 ]; then
	echo "ok 3 - $sent frames the cards sent, every one dissects clean"
else
	echo "not ok 3 - $errors of $sent frames the cards sent fail dissection"
fi
