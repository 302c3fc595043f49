#!/usr/bin/env bash
# Formal properties of the connection table, the context port and the
# receive parser's lookup contract (tests/formal/README.md): a bounded
# check of every property at its make-test depth, k-induction where it
# goes through in seconds, and the bounded check of each mutant but the
# deep ones, one TAP line each. make formal runs the k-induction, the
# deeper bounded checks and every mutant.
build=${1:-build}
for tool in yosys yosys-smtbmc z3; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "not ok 1 - $tool missing (make deps)"
		exit 1
	fi
done
# a solver run that takes more than 10 minutes at these depths is a
# failure (round_trip, the longest, takes about 1.5 minutes of CPU; the
# margin is for a machine whose two cores also run the test programs)
bash mk/formal.sh --out "$build/formal-check" --tap --induct --mutants --timeout 600
