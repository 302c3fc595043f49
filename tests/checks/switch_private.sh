#!/usr/bin/env bash
# The switch's hash is private to the simulated network (DESIGN §1: the
# host never knows it): no file under host/ may include a switch header,
# nor the netsim or TAP port built on it. The one exception is the demo's
# simulated world (host/cli/demo/world.c): it plays the network around the
# host, and no host code includes it.
echo "1..1"
hits=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"]([^">]*/)?(switch|switch_[a-z]+|netsim|tap_port)\.h[">]' host/ 2>/dev/null |
	grep -v '^host/cli/demo/world\.c:')
hits="$hits$(grep -rnE '#[[:space:]]*include[[:space:]]*"(world|traffic)\.h"' host/ 2>/dev/null | grep -v '^host/cli/demo/')"
if [ -z "$hits" ]; then
	echo "ok 1 - nothing in host/ includes the switch model"
else
	echo "not ok 1 - host/ includes the switch model:"
	echo "$hits" | sed 's/^/# /'
fi
