#!/bin/bash
# bench/bench_load.sh - how minictr behaves under load and as work grows.
#
#   1. containers per second, 100 at a time on this machine, next to
#      busybox unshare, util-linux unshare and bwrap doing the same
#   2. start latency against the number of arguments, and against the
#      number of -e variables, next to the floor passing the same words:
#      the slope is what matters (linear, like execve's own copy)
#   3. the stripped binary's size per architecture (make cross)
# Needs root.  N= sets the containers of part 1 (default 1000).
set -eu
cd "$(dirname "$0")/.."
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
N=${N:-1000}
printf 'int main(void) { return 0; }\n' >"$B/true.c"
musl-gcc -static -Os -o "$B/true" "$B/true.c"
musl-gcc -static -Os -o "$B/floor" bench/floor.c
T=$B/true
NS="--pid --mount-proc --uts --ipc --net --mount"

echo "== $N containers, 100 at a time (xargs -P 100)"
hyperfine --warmup 1 --runs 3 --export-csv "$B/load.csv" \
	-n minictr "seq $N | xargs -P 100 -I{} ./minictr run $T" \
	-n "busybox unshare" "seq $N | xargs -P 100 -I{} busybox unshare -f -p -m -u -i -n --mount-proc $T" \
	-n "util-linux unshare" "seq $N | xargs -P 100 -I{} unshare --fork $NS $T" \
	-n bwrap "seq $N | xargs -P 100 -I{} bwrap --bind / / --proc /proc --dev /dev --unshare-pid --unshare-uts --unshare-ipc --unshare-net $T" \
	>/dev/null
printf '%-20s %12s %12s\n' launcher "containers/s" "x minictr"
mine=$(awk -F, '$1 == "minictr" { print $4 }' "$B/load.csv")
awk -F, -v n="$N" -v m="$mine" 'NR > 1 {
	printf "%-20s %12.0f %12.2f\n", $1, n / $4, m / $4 }' "$B/load.csv"

# time_ms CMD...: median of 15 runs of CMD, in ms (bash arrays carry the words)
time_ms() {
	local i s e
	for i in $(seq 15); do
		s=$(date +%s%N)
		"$@" >/dev/null
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
	done | sort -n | sed -n 8p | awk '{ printf "%.2f", $1 / 1000 }'
}

echo
echo "== start latency (ms, median of 15) against the number of arguments"
printf '%8s %10s %10s %10s\n' args minictr floor difference
for n in 0 1000 10000 100000; do
	mapfile -t words < <(seq "$n")
	m=$(time_ms ./minictr run "$T" "${words[@]}")
	f=$(time_ms "$B/floor" "$T" "${words[@]}")
	printf '%8s %10s %10s %10.2f\n' "$n" "$m" "$f" "$(echo "$m - $f" | bc -l)"
done

echo
echo "== start latency (ms, median of 15) against the number of -e variables"
echo "   (the floor gets the same words as arguments)"
printf '%8s %10s %10s %10s\n' "-e" minictr floor difference
for n in 0 100 1000 10000; do
	words=()
	for i in $(seq "$n"); do words+=(-e "VARIABLE_$i=value_$i"); done
	m=$(time_ms ./minictr run "${words[@]}" "$T")
	f=$(time_ms "$B/floor" "$T" "${words[@]}")
	printf '%8s %10s %10s %10.2f\n' "$n" "$m" "$f" "$(echo "$m - $f" | bc -l)"
done

echo
echo "== stripped size per architecture (make cross ARCH=...)"
for arch in x86_64 aarch64 armhf; do
	bin=./minictr
	[ "$arch" = x86_64 ] || bin=./minictr-$arch
	if [ "$arch" != x86_64 ] && ! make -s cross ARCH="$arch" >/dev/null 2>&1; then
		echo "$arch: cross toolchain not available (make vm-deps ARCH=$arch)"
		continue
	fi
	strip -o "$B/s" "$bin" 2>/dev/null ||
		"$(file "$bin" | grep -q aarch64 && echo aarch64-linux-gnu-strip || echo arm-linux-gnueabihf-strip)" -o "$B/s" "$bin"
	printf '%-8s %8s bytes\n' "$arch" "$(stat -c %s "$B/s")"
done
