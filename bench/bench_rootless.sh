#!/bin/sh
# bench/bench_rootless.sh - what a rootless start costs: minictr run as an
# ordinary user (a user namespace, one ID mapped) next to minictr as root,
# and next to what a user would otherwise run, `unshare -Urpf --mount-proc`
# and `bwrap --unshare-all`, all interleaved (bench/interleave.c) so that
# the drift of a shared machine falls on all alike.
#
# The user is an unused uid, through setpriv(1); every row, root's too,
# goes through the same setpriv so that its exec is paid by all.  What each
# creates differs: minictr makes user, pid, mount, uts, ipc and net
# namespaces (and brings lo up); unshare -Urpf user, pid and mount; bwrap
# --unshare-all user, pid, mount, uts, ipc, net and cgroup.  Read the
# ratios, not the absolute times.  Needs root; `make bench` installs
# bubblewrap.
set -eu
cd "$(dirname "$0")/.."
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
chmod 755 "$B"
RUNS=${RUNS:-300}
ID=${BENCH_UID:-60777}

printf 'int main(void) { return 0; }\n' >"$B/true.c"
musl-gcc -static -Os -o "$B/true" "$B/true.c"
cc -O2 -o "$B/interleave" bench/interleave.c
T=$B/true
mkdir -m 700 "$B/xdg" && chown $ID:$ID "$B/xdg"
export XDG_RUNTIME_DIR=$B/xdg HOME=$B/xdg
SP=$(command -v setpriv)
as() { echo "$SP --reuid=$1 --regid=$1 --clear-groups"; }
# the one-ID note is said once: say it before the timing
$(as $ID) "$PWD/minictr" run "$T" 2>/dev/null

echo "== rootless start latency, interleaved: $RUNS rounds, payload: static true"
"$B/interleave" "$RUNS" \
	"root: minictr run=$(as 0) $PWD/minictr run $T" \
	"user: minictr run=$(as $ID) $PWD/minictr run $T" \
	"user: unshare -Urpf --mount-proc=$(as $ID) $(command -v unshare) -Urpf --mount-proc $T" \
	"user: bwrap --unshare-all=$(as $ID) $(command -v bwrap) --unshare-all --ro-bind / / --proc /proc --dev /dev $T" \
	"user: setpriv alone=$(as $ID) $T"
