#!/bin/sh
# bench/bench.sh - what a container start costs with minictr, next to the
# tools people would otherwise use, side by side in one hyperfine run.
#
# The payload T is a tiny static `true` built here, so that the dynamic
# loader of /bin/true does not hide the launchers' own cost.  The floor is
# bench/floor.c: clone with the five namespaces, private remount, /proc,
# execve, wait, and nothing else.  Machines are shared and noisy: read the
# ratios, not the absolute times.  Needs root; `make bench` installs
# hyperfine, busybox-static, bubblewrap and tini.
set -eu
cd "$(dirname "$0")/.."
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
RUNS=${RUNS:-300}

printf 'int main(void) { return 0; }\n' >"$B/true.c"
musl-gcc -static -Os -o "$B/true" "$B/true.c"
musl-gcc -static -Os -o "$B/floor" bench/floor.c
# gc-sections: only what floor_plus calls of these objects is linked
musl-gcc -static -Os -Wl,--gc-sections -o "$B/floor_plus" bench/floor_plus.c \
	ns.o seccomp.o msg.o json.o
T=$B/true
NS="--pid --mount-proc --uts --ipc --net --mount"

echo "== start latency: $RUNS runs each, payload: static true"
hyperfine -N --warmup 30 --runs "$RUNS" --export-csv "$B/start.csv" \
	-n floor "$B/floor $T" \
	-n "floor + lo + seccomp" "$B/floor_plus $T" \
	-n minictr "./minictr run $T" \
	-n "busybox unshare" "busybox unshare -f -p -m -u -i -n --mount-proc $T" \
	-n "util-linux unshare" "unshare --fork $NS $T" \
	-n bwrap "bwrap --bind / / --proc /proc --dev /dev --unshare-pid --unshare-uts --unshare-ipc --unshare-net $T" \
	-n "minictr --init" "./minictr run --init $T" \
	-n "unshare + tini" "unshare --fork $NS tini-static -s -- $T" \
	>/dev/null

# median (seconds) of a named row of hyperfine's CSV
median() { awk -F, -v n="$1" '$1 == n { print $4 }' "$B/start.csv"; }
floor=$(median floor)
printf '%-22s %10s %10s\n' command "median ms" "x floor"
for name in floor "floor + lo + seccomp" minictr "busybox unshare" "util-linux unshare" bwrap \
	"minictr --init" "unshare + tini"; do
	m=$(median "$name")
	printf '%-22s %10.3f %10.2f\n' "$name" "$(echo "$m * 1000" | bc -l)" \
		"$(echo "$m / $floor" | bc -l)"
done
m=$(median minictr)
printf '%-22s %10.3f ms\n' "--init adds" "$(echo "($(median 'minictr --init') - $m) * 1000" | bc -l)"
printf '%-22s %10.2f\n' "minictr/(floor+lo+sc)" "$(echo "$m / $(median 'floor + lo + seccomp')" | bc -l)"
printf '%-22s %10.2f\n' "minictr/busybox" "$(echo "$m / $(median 'busybox unshare')" | bc -l)"

echo
echo "== the same, interleaved (bench/interleave.c): robust to drift, read these ratios"
cc -O2 -o "$B/interleave" bench/interleave.c
"$B/interleave" "$RUNS" "floor=$B/floor $T" "floor + lo + seccomp=$B/floor_plus $T" \
	"minictr=$PWD/minictr run $T" "minictr --init=$PWD/minictr run --init $T" \
	"busybox unshare=$(command -v busybox) unshare -f -p -m -u -i -n --mount-proc $T" \
	"unshare + tini=$(command -v unshare) --fork $NS $(command -v tini-static) -s -- $T"

echo
echo "== size"
strip -o "$B/minictr.stripped" minictr
printf '%-28s %8s bytes\n' "minictr (static, stripped)" "$(stat -c %s "$B/minictr.stripped")"
printf '%-28s %8s bytes\n' "tini-static" "$(stat -c %s "$(command -v tini-static)")"
printf '%-28s %8s bytes\n' "busybox (static, all applets)" "$(stat -c %s "$(command -v busybox)")"

echo
echo "== resident memory while a container runs, of the launcher (kB)"
echo "   RssFile is the binary's own pages, shared through the page cache by every"
echo "   copy running; RssAnon is the process's private memory (stack, data, heap)"
printf '%-28s %8s %8s %8s\n' launcher VmRSS RssAnon RssFile
# rss NAME PROC_NAME COMMAND...: start COMMAND with `sleep 2` inside, then
# read VmRSS of the process named PROC_NAME in the tree it started.
rss() {
	name=$1 proc=$2
	shift 2
	"$@" /bin/sleep 2 &
	pid=$!
	i=0
	while ! pgrep -x sleep -P "$(pgrep -P $pid | tr '\n' ',')$pid" >/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.02
	done
	target=$pid
	[ "$proc" = self ] || target=$(pgrep -x "$proc" | sort -n | tail -1)
	printf '%-28s %8s %8s %8s\n' "$name" $(awk '/^(VmRSS|RssAnon|RssFile):/ { print $2 }' /proc/$target/status)
	kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
}
rss "floor" self "$B/floor"
rss "minictr run" self ./minictr run
rss "minictr --init: parent" self ./minictr run --init
rss "minictr --init: PID 1" minictr ./minictr run --init
rss "tini-static as PID 1" tini-static unshare --fork $NS tini-static --
rss "busybox unshare" self busybox unshare -f -p -m -u -i -n --mount-proc
rss "util-linux unshare" self unshare --fork $NS
