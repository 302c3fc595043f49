#!/usr/bin/env bash
# Install what teamtoe needs on a Debian machine, only what is missing.
# Idempotent; prints each step. Run as root (or with sudo available).
set -euo pipefail

# package  : how we know it is there
need=(
	"verilator:cmd:verilator"
	"yosys:cmd:yosys"
	"device-tree-compiler:cmd:dtc"
	"tshark:cmd:tshark"
	"pkg-config:cmd:pkg-config"
	"g++:cmd:g++"
	"make:cmd:make"
	"libfdt-dev:file:/usr/include/libfdt.h"
	"libpcap-dev:file:/usr/include/pcap/pcap.h"
	"libcmocka-dev:file:/usr/include/cmocka.h"
	"zlib1g-dev:file:/usr/include/zlib.h"
)

missing=()
for entry in "${need[@]}"; do
	IFS=: read -r pkg kind what <<<"$entry"
	case $kind in
	cmd) command -v "$what" >/dev/null 2>&1 && have=1 || have=0 ;;
	file) [ -e "$what" ] && have=1 || have=0 ;;
	esac
	if [ "$have" = 1 ]; then
		echo "deps: $pkg present"
	else
		echo "deps: $pkg missing"
		missing+=("$pkg")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: nothing to install"
	exit 0
fi

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "deps: apt-get update"
$sudo apt-get update -qq
echo "deps: apt-get install ${missing[*]}"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: done"
