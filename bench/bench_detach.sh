#!/bin/bash
# bench/bench_detach.sh - how long `run -d` takes to give the terminal
# back, next to `run` in the foreground with the same static `true`, and
# what a monitor costs in private memory (RssAnon).  `run -d --rm` returns
# once the command has been exec'd; the foreground once it has exited:
# for `true` these are nearly the same instant, so the difference is the
# monitor's own work (fork, setsid, ROOT/ID, state.json, the log).
# Times: the median of RUNS, in ms.  Needs root; own --root, removed.
set -eu
cd "$(dirname "$0")/.."
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
RUNS=${RUNS:-100}
M=${MINICTR:-$PWD/minictr}
printf 'int main(void) { return 0; }\n' >"$B/true.c"
musl-gcc -static -Os -o "$B/true" "$B/true.c"

# median_ms CMD...: run it RUNS times, the median wall time in ms
median_ms() {
	local i t0 t1
	for i in $(seq "$RUNS"); do
		t0=$(date +%s%N)
		"$@" >/dev/null
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}
echo "run (foreground):  $(median_ms "$M" run "$B/true") ms"
echo "run -d --rm:       $(median_ms "$M" --root "$B/root" run -d --rm "$B/true") ms"
echo "run --name --rm:   $(median_ms "$M" --root "$B/root" run --name b1 --rm "$B/true") ms"
# rss NAME: its monitor's RssAnon, once it has settled
rss() {
	local mon
	sleep 1
	mon=$("$M" --root "$B/root" inspect "$1" | sed 's/.*"monitor":\([0-9]*\).*/\1/')
	awk '/RssAnon/{print $2, $3}' "/proc/$mon/status"
}
"$M" --root "$B/root" run -d --name mem sleep 1000 >/dev/null
echo "monitor RssAnon:   $(rss mem) (sleep)"
"$M" --root "$B/root" run -d --name chatty sh -c \
	'while :; do echo hello; sleep 0.1; done' >/dev/null
echo "monitor RssAnon:   $(rss chatty) (a line every 100 ms into its log)"
"$M" run sleep 1000 & fg=$!
sleep 1
echo "run's RssAnon:     $(awk '/RssAnon/{print $2, $3}' "/proc/$fg/status")"
kill -KILL "$fg"
wait "$fg" 2>/dev/null || true
"$M" --root "$B/root" rm -f mem chatty >/dev/null
