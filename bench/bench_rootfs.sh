#!/bin/sh
# bench/bench_rootfs.sh - what a container with its own root filesystem
# and a memory limit costs to start, with minictr and with crun running
# the same busybox rootfs from an OCI bundle (`crun spec`), side by side
# in one hyperfine run.  The payload is a tiny static `true` in the rootfs.
#
# crun refuses a hybrid cgroup host like this one ("cgroups in hybrid mode
# not supported, drop all controllers from cgroupv2"), so everything runs
# in a private mount namespace with an empty tmpfs over
# /sys/fs/cgroup/unified: crun then sees pure v1.  minictr runs in the same
# namespace, so both pay the same.  On a pure v1 or v2 host that step is
# skipped.  Read the ratios: the machines are shared and noisy.  Needs
# root; `make bench` installs hyperfine, busybox-static and crun.
set -eu
cd "$(dirname "$0")/.."
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
RUNS=${RUNS:-200}
R=$B/bundle/rootfs

# the bundle: crun's default config.json, the command made /true, no tty
. bench/bundle.sh
bundle_rootfs "$B/bundle"
(cd "$B/bundle" && crun spec)
sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"\/true"/' "$B/bundle/config.json"
# the same with a 64 MiB memory limit, as -m 64m
sed 's/"resources": {/"resources": {\n\t\t\t"memory": { "limit": 67108864 },/' \
	"$B/bundle/config.json" >"$B/config-m.json"
grep -q '"limit": 67108864' "$B/config-m.json" || { echo "bench: could not edit config.json" >&2; exit 1; }

cat >"$B/run.sh" <<EOF
set -e
# a hybrid host: hide the v2 mount from crun (and minictr) in here
if grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo; then
	mount -t tmpfs tmpfs /sys/fs/cgroup/unified
fi
hyperfine -N --warmup 20 --runs $RUNS --export-csv "$B/rootfs.csv" \\
	-n "minictr" "$PWD/minictr run $R/true" \\
	-n "minictr --rootfs" "$PWD/minictr run --rootfs $R /true" \\
	-n "minictr --rootfs -m" "$PWD/minictr run --rootfs $R -m 64m /true" \\
	-n "crun" "crun run --bundle $B/bundle bench" \\
	-n "crun -m" "crun run --config $B/config-m.json --bundle $B/bundle bench" \\
	>/dev/null
EOF
echo "== start latency with a root filesystem: $RUNS runs each, payload: static true"
unshare --mount --propagation private sh "$B/run.sh"

median() { awk -F, -v n="$1" '$1 == n { print $4 }' "$B/rootfs.csv"; }
printf '%-22s %10s %12s\n' command "median ms" "x minictr"
base=$(median minictr)
for name in minictr "minictr --rootfs" "minictr --rootfs -m" crun "crun -m"; do
	m=$(median "$name")
	printf '%-22s %10.3f %12.2f\n' "$name" "$(echo "$m * 1000" | bc -l)" \
		"$(echo "$m / $base" | bc -l)"
done
printf '%-22s %10.3f ms\n' "--rootfs adds" "$(echo "($(median 'minictr --rootfs') - $base) * 1000" | bc -l)"
printf '%-22s %10.3f ms\n' "-m adds" "$(echo "($(median 'minictr --rootfs -m') - $(median 'minictr --rootfs')) * 1000" | bc -l)"
printf '%-22s %10.2f\n' "crun / minictr --rootfs" "$(echo "$(median crun) / $(median 'minictr --rootfs')" | bc -l)"
printf '%-22s %10.2f\n' "crun -m / minictr -m" "$(echo "$(median 'crun -m') / $(median 'minictr --rootfs -m')" | bc -l)"
