#!/bin/sh
# bench/bench_exec.sh - what entering a running container costs: `exec`
# of a tiny static `true`, interleaved (bench/interleave.c: round r runs
# every command once, in an order rotated by r, so the drift of a shared
# machine falls on all alike):
#   minictr exec   minictr exec ID /true: the init's namespaces, cgroups,
#                  capabilities, no_new_privs, seccomp filter (exec.c)
#   nsenter -a     nsenter -a -t PID /true into the same container: the
#                  namespaces only (no cgroup, capabilities or filter):
#                  the floor of "a process in those namespaces"
#   runc exec      runc exec ID /true (Debian's runc 1.1) into a runc
#                  container of the same bundle: runc's full confinement
# Both containers are made the same way, `create` then `start` of one
# bundle from `runc spec` (busybox's sleep as the process), each runtime
# with its own --root in a temporary directory, and deleted at the end.
# Read the ratios: the machines are shared and noisy.  Needs root, runc,
# nsenter, musl-gcc.
set -eu
cd "$(dirname "$0")/.."
for t in runc nsenter musl-gcc; do
	command -v $t >/dev/null || { echo "bench_exec: $t is missing" >&2; exit 1; }
done
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
RUNS=${RUNS:-100}
M=${MINICTR:-$PWD/minictr}
RUNC=$(command -v runc)
NSENTER=$(command -v nsenter)
ID=bench-exec-$$
trap '"$M" --root "$B/s1" delete --force "$ID" 2>/dev/null
	"$RUNC" --root "$B/s2" delete --force "$ID" 2>/dev/null; rm -rf "$B"' EXIT

. bench/bundle.sh
bundle_rootfs "$B/bundle"
(cd "$B/bundle" && runc spec)
sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"\/bin\/busybox", "sleep", "1000"/' \
	"$B/bundle/config.json"
grep -q '"sleep", "1000"' "$B/bundle/config.json" ||
	{ echo "bench_exec: could not edit config.json" >&2; exit 1; }
cc -O2 -o "$B/interleave" bench/interleave.c

"$M" --root "$B/s1" create --bundle "$B/bundle" "$ID"
"$M" --root "$B/s1" start "$ID"
"$RUNC" --root "$B/s2" create --bundle "$B/bundle" "$ID" </dev/null
"$RUNC" --root "$B/s2" start "$ID"
pid=$("$M" --root "$B/s1" state "$ID" | sed 's/.*"pid": *\([0-9]*\).*/\1/')

echo "== exec of a static true into a running container: $RUNS rounds, ms"
"$B/interleave" "$RUNS" \
	"minictr exec=$M --root $B/s1 exec $ID /true" \
	"nsenter -a=$NSENTER -a -t $pid /true" \
	"runc exec=$RUNC --root $B/s2 exec $ID /true" | tee "$B/out"
ratio "$B/out" "minictr exec" "nsenter -a"
ratio "$B/out" "minictr exec" "runc exec"
