#!/usr/bin/env bash
# test/test_edges.sh - hostile and odd input at the edges, and the parent
# under valgrind.  Each case must give its documented result: the bytes
# passed through exactly, or one clean error line and the documented exit
# status; never a crash, a hang or anything left behind.  Needs root.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_edges.sh"
host_snapshot before

echo "# many and large arguments"
seq 100000 >"$T/seq"
"$M" run /usr/bin/printf '%s\n' $(cat "$T/seq") >"$T/seq.out" </dev/null
rc=$?
is "100,000 arguments pass through exactly" "$rc:$(md5sum <"$T/seq.out")" "0:$(md5sum <"$T/seq")"

# Near ARG_MAX: with an empty environment, find the longest last argument
# for which the kernel still lets env(1) start minictr.  The container then
# needs a little more room than minictr had (docker's PATH, HOSTNAME and
# HOME replace "minictr run"), so its execve must fail with E2BIG: 126,
# named, one line.  Just below, the same command runs.
# The kernel also copies the file name it runs onto the new stack, so
# minictr's own path counts twice on its side: run a copy at a short path
# of fixed length, so that the margin does not depend on where the tree
# is (a scratch copy of make mutate, say).
cp "$M" "$T/m"
big=$(head -c 100000 /dev/zero | tr '\0' a)
args=()
for i in $(seq 20); do args+=("$big"); done
bare() { # bare LEN: minictr with an empty environment and one more arg
	local last
	last=$(head -c "$1" /dev/zero | tr '\0' b)
	( for v in $(compgen -e); do unset "$v"; done
	  exec "$T/m" run --net host /bin/true "${args[@]}" "$last" ) \
		>/dev/null 2>"$T/e2big.err" </dev/null
	r=$?
}
fits() { # fits LEN: minictr itself could be started
	bare "$1"
	! grep -q 'Argument list too long' "$T/e2big.err" ||
		grep -q '^minictr:' "$T/e2big.err"
}
lo=0 hi=131000
while [ $((hi - lo)) -gt 1 ]; do
	mid=$(((lo + hi) / 2))
	if fits $mid; then lo=$mid; else hi=$mid; fi
done
bare $lo
is "near ARG_MAX: the container's execve fails with E2BIG, 126, one line" \
	"$r:$(cat "$T/e2big.err")" "126:minictr: exec /bin/true: Argument list too long"
bare $((lo - 400))
is "just below it, the same command runs" "$r:$(cat "$T/e2big.err")" "0:"

echo "# odd environment values"
value=$(head -c 131000 /dev/urandom | base64 -w0 | head -c 131000)
mc run -e "HUGE=$value" /bin/sh -c 'printf %s "$HUGE"'
is "a 128 KiB -e value passes exactly" "$rc:$(md5sum <<<"$out")" "0:$(md5sum <<<"$value")"
odd=$'line1\nline2\t=x= \xe2\x9c\x93 \x01'
mc run -e "ODD=$odd" /usr/bin/printenv ODD
is "newlines, '=', tabs, UTF-8, control bytes in a value pass exactly" "$out" "$odd"
export FROM_HOST="$value"
mc run -e FROM_HOST /bin/sh -c 'printf %s "$FROM_HOST"'
is "-e NAME copies a 128 KiB value from minictr's environment" \
	"$(md5sum <<<"$out")" "$(md5sum <<<"$value")"
unset FROM_HOST
envs=()
for i in $(seq 5000); do envs+=(-e "V$i=$i"); done
mc run "${envs[@]}" -e V7=last /bin/sh -c 'echo "$V1 $V4999 $V5000 $V7"; env | wc -l'
is "5,000 -e options: all set, the last wins" "$out" $'1 4999 5000 last\n5004'

echo "# hostnames at the limit"
h64=$(printf 'a%.0s' $(seq 64))
mc run -h "$h64" hostname
is "a 64-byte hostname works" "$rc:$out" "0:$h64"
mc run -h "${h64}b" hostname
like "a 65-byte hostname: 125, one line, nothing run" "$rc:$err:$out" \
	"^125:minictr: run: invalid value '${h64}b' for '-h': [^"$'\n'"]*:$"

echo "# paths with newlines and control characters"
mc run -w $'/no\nsuch' true
is "a missing -w with a newline: 125, exactly one line" "$rc:$err" \
	"125:minictr: workdir /no?such: No such file or directory"
mkdir -p "$T/new"$'\n'"line"
mc run -w "$T/new"$'\n'"line" pwd
is "an existing -w with a newline works" "$rc:$out" "0:$T/new"$'\n'"line"
mc run $'/no\nsuch\e[31m'
is "a command with a newline and an escape: 127, one line, no escape" \
	"$rc:$err" "127:minictr: exec /no?such?[31m: No such file or directory"
mc run -e $'A\nB=1' /usr/bin/env
has "a variable name with a newline passes through" "$out" $'A\nB=1'

echo "# a FIFO or a device where a file is read: refused, never waited on"
# open(2) of a FIFO waits for a writer: a hang would be timeout's 124
mkfifo "$T/fifo"
mkdir -p "$T/fifob" && mkfifo "$T/fifob/config.json"
fifo_rc() { timeout -k 2 10 "$M" "$@" >"$T/out" 2>"$T/err" </dev/null; rc=$?; err=$(cat "$T/err"); }
fifo_rc run --env-file "$T/fifo" true
is "a FIFO as --env-file: 125, one line" "$rc:$err" \
	"125:minictr: run: --env-file $T/fifo: not a regular file of at most 16 MiB"
fifo_rc run --security-opt seccomp="$T/fifo" true
is "a FIFO as a seccomp profile: 125, one line" "$rc:$err" \
	"125:minictr: run: seccomp profile $T/fifo: not a regular file of at most 16 MiB"
fifo_rc --root "$T/fiforoot" create --bundle "$T/fifob" fifo1
is "a FIFO as config.json: refused, one line, no state left" \
	"$rc:$err:$(ls "$T/fiforoot" 2>/dev/null)" \
	"125:minictr: $T/fifob/config.json: not a regular file of at most 16 MiB:"

echo "# the parent under valgrind: no invalid access, no leak"
if command -v valgrind >/dev/null; then
	vg() { # vg EXPECTED_STATUS ARGS...: run minictr under valgrind
		local want=$1
		shift
		timeout 120 valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			--child-silent-after-fork=yes --log-file="$T/vg.log" \
			"$M" "$@" >/dev/null 2>&1 <"${VG_IN:-/dev/null}"
		local r=$?
		is "valgrind: minictr $* (status $want, no errors)" \
			"$r:$(grep -v '^==[0-9]*== *$' "$T/vg.log")" "$want:"
	}
	vg 0 run true
	vg 3 run /bin/sh -c 'exit 3'
	vg 127 run /nope
	vg 125 run -w /nope true
	vg 125 run --bogus
	printf '# c\nA=1\nKEY\n' >"$T/vg.env"
	vg 0 run --env-file "$T/vg.env" --env-file "$T/vg.env" -e B=2 true
	vg 125 run --env-file "$T/vg.nope" true
	vg 4 run --init /bin/sh -c 'exit 4'
	build_rootfs "$T/root"
	vg 0 run -m 64m --pids-limit 50 --cpus 0.5 --rootfs "$T/root" -v /etc:/hostetc:ro true
	vg 137 run -m 16m /bin/sh -c 'x=$(head -c 64000000 /dev/zero | tr "\0" a); echo ${#x}'
	vg 0 run -t /bin/sh -c 'head -c 1000000 /dev/zero'
	printf 'echo hi\nexit 5\n' >"$T/vg.in"
	VG_IN=$T/vg.in vg 5 run -ti /bin/sh
	# SIGTERM to minictr, the forward and the SIGKILL after the timeout
	timeout 120 valgrind -q --error-exitcode=99 --leak-check=full \
		--child-silent-after-fork=yes --log-file="$T/vg.log" \
		"$M" run --stop-timeout 1 sleep 100 </dev/null &
	vpid=$!
	wait_for pgrep -x sleep -P "$(pgrep -d, -P $vpid)" >/dev/null
	kill -TERM $vpid
	wait $vpid
	is "valgrind: SIGTERM, then SIGKILL after --stop-timeout (137, no errors)" \
		"$?:$(grep -v '^==[0-9]*== *$' "$T/vg.log")" "137:"
else
	not_ok "valgrind is installed (make test-deps)"
fi

host_unchanged
summary
