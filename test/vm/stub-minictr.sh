#!/bin/sh
# stub-minictr.sh - a stand-in for minictr, made of busybox's `unshare`,
# used only to test the VM infrastructure itself (vm-test.sh, scenario.sh)
# when the real binary is not built yet or is suspected:
#
#     MINICTR=test/vm/stub-minictr.sh test/vm/vm-test.sh
#
# It understands the plain `run` options and exit statuses, well enough to
# pass scenario.sh's plain checks; it is not a reference implementation (no
# signal forwarding, no --stop-timeout, no -t, no seccomp filter, and no
# --rootfs or limit options: it answers those with 125), so the -t,
# seccomp, --rootfs and limit checks fail with it, in a bounded time.
[ "${1:-}" = run ] || { echo "minictr: usage: minictr run [OPTIONS] COMMAND [ARG...]" >&2; exit 125; }
shift
host='' init='' net=none wd='' envs=''
while [ $# -gt 0 ]; do
	case $1 in
	-h|--hostname) host=$2; shift 2 ;;
	-e) envs="$envs
$2"; shift 2 ;;
	-w) wd=$2; shift 2 ;;
	--net) net=$2; shift 2 ;;
	--init) init=1; shift ;;
	-i|-t|--trace) shift ;;
	--stop-timeout) shift 2 ;;
	--) shift; break ;;
	-*) echo "minictr: unknown option $1" >&2; exit 125 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "minictr: no command" >&2; exit 125; }
case $1 in
*/*)
	if [ ! -e "$1" ]; then
		echo "minictr: exec $1: No such file or directory" >&2; exit 127
	elif [ ! -f "$1" ] || [ ! -x "$1" ]; then
		echo "minictr: exec $1: Permission denied" >&2; exit 126
	fi ;;
esac

netflag=-n
[ "$net" = host ] && netflag=

# Two steps, so that the command (or, with --init, the shell that plays
# init) is PID 1 and the command its first child, PID 2, as with minictr:
# 1. `unshare -m -u -i [-n]` sets up hostname, lo, directory, environment;
# 2. `unshare -p -f --mount-proc` then starts the new PID namespace.
# shellcheck disable=SC2016
setup='
	[ -n "$STUB_HOST" ] && hostname "$STUB_HOST"
	[ -n "$STUB_NETNS" ] && ip link set lo up
	[ -n "$STUB_WD" ] && cd "$STUB_WD"
	IFS="
"
	for kv in $STUB_ENVS; do export "$kv"; done
	unset IFS STUB_HOST STUB_NETNS STUB_WD STUB_ENVS
	code=$1; shift
	exec unshare -p -f --mount-proc /bin/sh -c "$code" sh "$@"'
# shellcheck disable=SC2016
pid1='
	if [ -z "$STUB_INIT" ]; then unset STUB_INIT; exec "$@"; fi
	unset STUB_INIT
	"$@" & wait $!          # ash as PID 1 reaps orphans while it waits
	exit $?'
STUB_HOST=$host STUB_NETNS=$netflag STUB_WD=$wd STUB_ENVS=$envs STUB_INIT=$init \
	exec unshare -m -u -i $netflag --propagation private \
	/bin/sh -c "$setup" sh "$pid1" "$@"
