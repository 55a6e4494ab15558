#!/bin/sh
# bench/bench_tty.sh - relay throughput: 200 MB through the container's
# pseudo-terminal (minictr run -t) next to script(1) doing the same, and
# next to the same command without -t (no relay: stdout is inherited).
# One hyperfine run; read the ratios.  Needs root.
set -eu
cd "$(dirname "$0")/.."
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
RUNS=${RUNS:-10}
PAYLOAD="head -c 200M /dev/zero"

echo "== pty relay: $PAYLOAD, $RUNS runs each, stdout to /dev/null"
hyperfine -N --warmup 2 --runs "$RUNS" --export-csv "$B/tty.csv" \
	-n "minictr -t" "./minictr run -t sh -c '$PAYLOAD'" \
	-n "script -qc" "script -qc \"sh -c '$PAYLOAD'\" /dev/null" \
	-n "minictr (no -t)" "./minictr run sh -c '$PAYLOAD'" \
	>/dev/null
median() { awk -F, -v n="$1" '$1 == n { print $4 }' "$B/tty.csv"; }
printf '%-18s %10s %10s %12s\n' command "median s" "MB/s" "x script"
for name in "minictr -t" "script -qc" "minictr (no -t)"; do
	m=$(median "$name")
	printf '%-18s %10.3f %10.0f %12.2f\n' "$name" "$m" \
		"$(echo "200 / $m" | bc -l)" "$(echo "$m / $(median 'script -qc')" | bc -l)"
done
