#!/usr/bin/env bash
# test/test_soak.sh - long runs and load: SOAK sequential containers
# (default 1000) mixing every outcome, --rootfs and limits among them,
# then PARALLEL (default 100) at once, each with its own hostname.
# Afterwards the host's mount table is byte-identical, its cgroup tree is
# as before, no minictr or container process is left, no zombie, and this
# shell (a long-running caller) has no more fds than before.
# Needs root.  SOAK=10000 make test for a longer run.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_soak.sh"
SOAK=${SOAK:-1000}
PARALLEL=${PARALLEL:-100}
host_snapshot before
cgroup_snapshot before
build_rootfs "$T/root"
fds_before=$(ls /proc/$$/fd | wc -l)

# one container of kind K (0-11); prints "<status>:<stdout>"
one() {
	local out
	case $1 in
	0) out=$("$M" run true) ;;
	1) out=$("$M" run /bin/sh -c 'exit 42') ;;
	2) out=$("$M" run /nope 2>&1) ;;
	3) out=$("$M" run /tmp 2>&1) ;;
	4) out=$("$M" run --init /bin/sh -c 'kill -TERM $$') ;;
	5) out=$("$M" run -w /nope true 2>&1) ;;
	6) out=$("$M" run --init /bin/sh -c '(sleep 0 &); echo $$') ;;
	7) out=$("$M" run -t /bin/sh -c 'echo tty') ;;
	8) out=$("$M" run -h soak -e X=1 /bin/sh -c 'echo $(hostname)$X') ;;
	9) out=$("$M" run --bogus 2>&1 | head -1) ;;
	10) out=$("$M" run --rootfs "$T/root" -m 64m --pids-limit 20 /bin/sh -c 'echo $$') ;;
	11) out=$("$M" run -m 64m -w /nope true 2>&1) ;;
	esac
	echo "$?:$out"
}
want=(
	"0:"
	"42:"
	"127:minictr: exec /nope: No such file or directory"
	"126:minictr: exec /tmp: Permission denied"
	"143:"
	"125:minictr: workdir /nope: No such file or directory"
	"0:2"
	$'0:tty\r'
	"0:soak1"
	"0:minictr: run: unknown option '--bogus'"
	"0:1"
	"125:minictr: workdir /nope: No such file or directory"
)

echo "# $SOAK sequential containers, every outcome"
bad=0 first_bad=""
for i in $(seq 0 $((SOAK - 1))); do
	k=$((i % ${#want[@]}))
	got=$(one $k </dev/null)
	if [ "$got" != "${want[$k]}" ]; then
		bad=$((bad + 1))
		[ -n "$first_bad" ] || first_bad="#$i kind $k: $(printf %q "$got")"
	fi
done
is "$SOAK sequential containers gave the documented results" "$bad" 0
[ -z "$first_bad" ] || echo "#   first: $first_bad"

echo "# $PARALLEL containers in parallel, each with its own hostname"
for i in $(seq "$PARALLEL"); do
	"$M" run -h "par$i" hostname >"$T/par.$i" 2>&1 </dev/null &
done
status=0
for job in $(jobs -p); do wait "$job" || status=$?; done
is "all $PARALLEL exit 0" "$status" 0
wrong=""
for i in $(seq "$PARALLEL"); do
	[ "$(cat "$T/par.$i")" = "par$i" ] || wrong="$wrong $i"
done
is "each printed its own hostname (no crosstalk)" "$wrong" ""

echo "# nothing left behind"
sleep 0.5                              # the kernel frees namespaces lazily
is "no minictr process left" "$(pgrep -f "^$M( |$)")" ""
is "no zombie among our children" "$(ps -o stat= --ppid $$ | grep -c Z)" 0
is "no fd growth in the caller" "$(ls /proc/$$/fd | wc -l)" "$fds_before"
host_unchanged
cgroup_unchanged
summary
