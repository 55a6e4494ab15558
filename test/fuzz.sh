#!/bin/sh
# test/fuzz.sh SECONDS - run the libFuzzer harness (test/fuzz_args.c) for a
# bounded time, seeded with test/corpus/args; new inputs go to a scratch
# directory.  Prints one summary line, or the whole report on a finding:
# then add the input that crashed as a row of test/unit_args.c.
cd "$(dirname "$0")/.." || exit 1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir "$d/corpus"
if test/fuzz_args -max_total_time="${1:-60}" -timeout=10 \
	-artifact_prefix="$d/" "$d/corpus" test/corpus/args >"$d/log" 2>&1; then
	echo "fuzz: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$d/log"), no finding"
else
	cat "$d/log"
	for f in "$d"/crash-* "$d"/leak-* "$d"/timeout-*; do
		[ -f "$f" ] && echo "input: $(od -c "$f" | head -5)"
	done
	echo "fuzz: FINDING (see above)"
	exit 1
fi
