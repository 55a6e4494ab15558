#!/bin/sh
# bench/bench_oci.sh - minictr as an OCI runtime against crun and runc
# (Debian's), on the same busybox bundle from `runc spec` (the payload a
# tiny static `true`), interleaved (bench/interleave.c: round r runs every
# command once, in an order rotated by r, so the drift of a shared machine
# falls on all alike):
#   run        RT run --bundle B ID: create, start, wait, delete
#   cycle      RT create, RT start, RT delete --force: three processes, as
#              an engine calls them (through one sh, the same for all)
# crun refuses a hybrid cgroup host like this one, so everything runs in a
# private mount namespace with an empty tmpfs over /sys/fs/cgroup/unified
# (as bench_rootfs.sh does); on a pure v1 or v2 host that step is skipped.
# Each runtime has its own --root.  Read the ratios: the machines are
# shared and noisy.  Needs root, crun, runc, musl-gcc.
set -eu
cd "$(dirname "$0")/.."
for rt in crun runc musl-gcc; do
	command -v $rt >/dev/null || { echo "bench_oci: $rt is missing" >&2; exit 1; }
done
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
RUNS=${RUNS:-100}
M=$PWD/minictr
CRUN=$(command -v crun)
RUNC=$(command -v runc)

. bench/bundle.sh
bundle_rootfs "$B/bundle"
(cd "$B/bundle" && runc spec)
sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"\/true"/' "$B/bundle/config.json"
grep -q '"/true"' "$B/bundle/config.json" ||
	{ echo "bench_oci: could not edit config.json" >&2; exit 1; }
cc -O2 -o "$B/interleave" bench/interleave.c
# cycle.sh RT STATE BUNDLE: what an engine does for one short container
printf '%s\n' '"$1" --root "$2" create --bundle "$3" c && "$1" --root "$2" start c &&' \
	'exec "$1" --root "$2" delete --force c' >"$B/cycle.sh"

{
	echo 'set -e'
	echo "grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo &&"
	echo '	mount -t tmpfs tmpfs /sys/fs/cgroup/unified'
	echo "exec '$B/interleave' $RUNS" \
		"'minictr run=$M --root $B/s1 run --bundle $B/bundle r'" \
		"'crun run=$CRUN --root $B/s2 run --bundle $B/bundle r'" \
		"'runc run=$RUNC --root $B/s3 run --bundle $B/bundle r'" \
		"'minictr cycle=/bin/sh $B/cycle.sh $M $B/s4 $B/bundle'" \
		"'crun cycle=/bin/sh $B/cycle.sh $CRUN $B/s5 $B/bundle'" \
		"'runc cycle=/bin/sh $B/cycle.sh $RUNC $B/s6 $B/bundle'"
} >"$B/run.sh"
echo "== OCI runtimes, one bundle (runc spec, payload static true): $RUNS rounds, ms"
unshare --mount --propagation private sh "$B/run.sh" | tee "$B/out"
ratio "$B/out" "minictr run" "crun run"
ratio "$B/out" "minictr run" "runc run"
ratio "$B/out" "minictr cycle" "crun cycle"
ratio "$B/out" "minictr cycle" "runc cycle"
