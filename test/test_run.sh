#!/usr/bin/env bash
# test/test_run.sh - `minictr run`, checked from the outside with real
# containers: what a user relies on, one check per claim of README.md.
# Needs root.  Prints "ok"/"not ok" lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_run.sh"
host_snapshot before
host_name=$(hostname)

echo "# isolation: pid, proc, uts, net, ipc, namespace ids"
mc run /bin/sh -c 'echo $$'
is "the command is PID 1" "$out" 1

mc run /bin/ls /proc
is "/proc shows only the container's processes" \
	"$(grep -E '^[0-9]+$' <<<"$out")" 1

mc run -h box1 hostname
is "-h sets the container's hostname" "$out" box1
is "the host's hostname is unchanged" "$(hostname)" "$host_name"
mc run hostname
is "without -h the container keeps the host's name" "$out" "$host_name"

mc run ip -o link
is "--net none: only one interface" "$(wc -l <<<"$out")" 1
like "--net none: it is lo, and it is UP" "$out" '^1: lo: <LOOPBACK,UP,'
mc run ping -c1 -W2 127.0.0.1
if command -v ping >/dev/null; then is "lo works: ping 127.0.0.1" "$rc" 0; fi

mc run --net host ip -o link
is "--net host sees the host's interfaces" \
	"$(cut -d: -f2 <<<"$out")" "$(ip -o link | cut -d: -f2)"

shm=$(ipcmk -M 4096 | grep -o '[0-9]*$')
mc run ipcs -m
if [ -n "$shm" ] && ipcs -m | grep -qw "$shm" && ! grep -qw "$shm" <<<"$out"; then
	ok "a host System V segment is invisible inside"
else
	not_ok "a host System V segment is invisible inside" "id $shm" "$out"
fi
ipcrm -m "$shm" 2>/dev/null

for ns in uts pid mnt net ipc; do
	mc run readlink /proc/self/ns/$ns
	host_ns=$(readlink /proc/self/ns/$ns)
	if [ -n "$out" ] && [ "$out" != "$host_ns" ]; then
		ok "a new $ns namespace ($out, host $host_ns)"
	else
		not_ok "a new $ns namespace" "host $host_ns" "inside: $out"
	fi
done
mc run --net host readlink /proc/self/ns/net
is "--net host shares the host's net namespace" "$out" "$(readlink /proc/self/ns/net)"
mc run --network host readlink /proc/self/ns/net
is "--network is docker's name for --net" "$out" "$(readlink /proc/self/ns/net)"

echo "# exit statuses"
bad=""
for i in $(seq 0 255); do
	"$M" run /bin/sh -c "exit $i" </dev/null
	r=$?
	[ "$r" = "$i" ] || bad="$bad $i->$r"
done
is "exit statuses 0..255 pass through" "$bad" ""

for sig in 1 2 3 6 9 15; do
	mc run --init /bin/sh -c "kill -$sig \$\$"
	is "killed by signal $sig gives $((128 + sig))" "$rc" $((128 + sig))
done

"$M" run sleep 100 </dev/null &
mpid=$!
wait_for pgrep -P $mpid -x sleep >/dev/null
kill -KILL "$(pgrep -P $mpid -x sleep)"
wait $mpid
is "PID 1 killed from the host by SIGKILL gives 137" "$?" 137

echo "# exec errors: 127, 126, one line each"
mc run /nope
is "/nope: 127" "$rc" 127
is "/nope: exactly one error line" "$err" \
	"minictr: exec /nope: No such file or directory"
mc run no-such-command-anywhere
is "not on PATH: 127" "$rc:$err" \
	"127:minictr: exec no-such-command-anywhere: No such file or directory"
printf '#!/no/such/interpreter\n' >"$T/script" && chmod +x "$T/script"
mc run "$T/script"
is "a missing #! interpreter: 127" "$rc" 127
mc run /tmp
is "a directory: 126, one line" "$rc:$err" "126:minictr: exec /tmp: Permission denied"
printf 'echo hi\n' >"$T/noexec" && chmod 644 "$T/noexec"
mc run "$T/noexec"
is "a file without x: 126, one line" "$rc:$err" \
	"126:minictr: exec $T/noexec: Permission denied"
printf '\x7fELF garbage' >"$T/garbage" && chmod 755 "$T/garbage"
mc run "$T/garbage"
is "a file the kernel cannot run: 126, one line" "$rc:$err" \
	"126:minictr: exec $T/garbage: Exec format error"
is "nothing on stdout when exec fails" "$out" ""
mc run --init /nope
is "--init: /nope is 127 too, one line" "$rc:$err" \
	"127:minictr: exec /nope: No such file or directory"

echo "# argv and environment"
args=('' ' a  b ' $'line1\nline2' '*' '$(id)' '`id`' 'h\xc3\xa9 ✓ 日本' '-l' '--' '-e' $'\t' '\')
"$M" run printf '%s\0' "${args[@]}" >"$T/argv.got" </dev/null
printf '%s\0' "${args[@]}" >"$T/argv.want"
check "argv arrives byte-exact (empty, spaces, newline, *, \$(id), UTF-8, dashes)" \
	cmp -s "$T/argv.got" "$T/argv.want"
mc run -- -weird
is "-- then a word starting with '-' runs it" "$err" \
	"minictr: exec -weird: No such file or directory"

export LEAK_ME=secret COPY_ME=copied
mc run env
is "the host environment does not leak (only docker's defaults)" \
	"$(sort <<<"$out")" \
	"$(printf '%s\n' HOME=/root "HOSTNAME=$host_name" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)"
mc run -h envbox -e A=1 -e COPY_ME -e UNSET_HERE -e A=2 -e PATH=/bin:/usr/bin env
is "-e sets, copies, omits unset, last wins, overrides PATH" "$(sort <<<"$out")" \
	"$(printf '%s\n' A=2 COPY_ME=copied HOME=/root HOSTNAME=envbox PATH=/bin:/usr/bin)"

# --env-file: docker's format, read in order, every file before every -e
printf '%s\n' '# a comment' '' '  A=from file' 'B="quoted" kept' 'COPY_ME' \
	'UNSET_HERE' 'C=1' 'D= spaces kept ' >"$T/one.env"
printf 'C=2\r\nE=$HOME\n' >"$T/two.env"
mc run -h envbox -e A=from-e --env-file "$T/one.env" --env-file="$T/two.env" env
is "--env-file: values as written, KEY copies, later file wins, -e wins" \
	"$(sort <<<"$out")" "$(printf '%s\n' A=from-e 'B="quoted" kept' C=2 \
	COPY_ME=copied 'D= spaces kept ' 'E=$HOME' HOME=/root HOSTNAME=envbox \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)"
mc run --env-file "$T/none.env" true
is "--env-file of a missing file: 125, one line, nothing run" "$rc:$err:$out" \
	"125:minictr: run: --env-file $T/none.env: No such file or directory:"
mc run --env-file "$T" true
is "--env-file of a directory: 125, one line" "$rc:$err" \
	"125:minictr: run: --env-file $T: not a regular file of at most 16 MiB"
printf 'A=1\nBAD NAME=x\n' >"$T/bad.env"
mc run --env-file "$T/bad.env" true
is "--env-file: a bad line names FILE:LINE" "$rc:$err" \
	"125:minictr: run: --env-file $T/bad.env:2: a space or tab in the variable name"
printf 'A=1\nB=\0x\n' >"$T/nul.env"
mc run --env-file "$T/nul.env" true
is "--env-file: a NUL byte is refused" "$rc:$err" \
	"125:minictr: run: --env-file $T/nul.env:2: a NUL byte in the line"
truncate -s 3M "$T/big.env"
mc run --env-file "$T/big.env" true
is "--env-file is bounded (2 MiB, what execve can pass)" "$rc:$err" \
	"125:minictr: run: --env-file $T/big.env: larger than 2 MiB, the environment execve(2) can pass"
mc run --env-file /dev/zero true
is "--env-file /dev/zero: not a regular file, refused" "$rc:$err" \
	"125:minictr: run: --env-file /dev/zero: not a regular file of at most 16 MiB"
unset LEAK_ME COPY_ME

mc run -w /usr/share pwd
is "-w sets the working directory" "$out" /usr/share
out=$(cd /usr/lib && "$M" run pwd </dev/null)
is "the default working directory is the current one" "$out" /usr/lib
mc run -w /no/such/dir pwd
is "-w of a missing directory: 125, one line, nothing run" "$rc:$err:$out" \
	"125:minictr: workdir /no/such/dir: No such file or directory:"
check "-w does not create the directory" test ! -e /no/such/dir

echo "# file descriptors and stdin"
# minictr's own stdin is a file with content, so that "the container's
# stdin is /dev/null" cannot pass merely because ours already was.
echo "minictr's stdin" >"$T/stdin"
exec 3</etc/hostname 7</etc/hostname 8>"$T/fd8"
"$M" run sleep 100 <"$T/stdin" &
mpid=$!
exec 3<&- 7<&- 8>&-
wait_for pgrep -P $mpid -x sleep >/dev/null
cpid=$(pgrep -P $mpid -x sleep)
is "only fds 0-2 are open in the container (minictr had 3, 7 and 8)" \
	"$(ls /proc/$cpid/fd | sort -n | tr '\n' ' ')" "0 1 2 "
is "without -i, stdin is /dev/null (minictr's was a file)" \
	"$(readlink /proc/$cpid/fd/0)" /dev/null
kill -KILL $mpid
{ wait $mpid; } 2>/dev/null
out=$("$M" run /bin/sh -c 'cat; echo end' <"$T/stdin")
is "without -i, the container reads nothing of a file on our stdin" "$out" end

# The fallback for kernels before 5.11, forced: strace makes every
# close_range(2) fail with ENOSYS, so the /proc/self/fd walk must mark
# fds 3, 5, 9, 100 and 60 more close-on-exec (more than one getdents(2)
# buffer holds).  --trace shows that the fallback did run.
if command -v strace >/dev/null; then
	exec 3<"$T/stdin" 5<"$T/stdin" 9<"$T/stdin" 100<"$T/stdin"
	for fd in $(seq 20 79); do eval "exec $fd<\"\$T/stdin\""; done
	strace -f -qq -o /dev/null -e trace=close_range \
		-e inject=close_range:error=ENOSYS \
		"$M" run --trace sleep 100 </dev/null 2>"$T/cr.err" &
	mpid=$!
	exec 3<&- 5<&- 9<&- 100<&-
	for fd in $(seq 20 79); do eval "exec $fd<&-"; done
	wait_for pgrep -x sleep -P "$(pgrep -d, -P $mpid)" >/dev/null
	mcpid=$(pgrep -P $mpid)                 # strace -> minictr -> sleep
	cpid=$(pgrep -x sleep -P "$mcpid")
	has "close_range forced to fail (ENOSYS): the fallback runs" \
		"$(cat "$T/cr.err")" "close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) = -1 (Function not implemented)"
	is "... and still only fds 0-2 reach the command (minictr had 3 5 9 20-79 100)" \
		"$(ls /proc/$cpid/fd 2>&1 | sort -n | tr '\n' ' ')" "0 1 2 "
	kill -KILL "$mcpid"
	{ wait $mpid; } 2>/dev/null
else
	not_ok "strace is installed (make test-deps): it forces the close_range fallback"
fi

out=$(echo hello | "$M" run cat)
is "without -i, the container reads nothing of our stdin" "$out" ""
out=$(echo hello | "$M" run -i cat)
is "with -i, stdin is passed" "$out" hello

echo "# signals and stopping"
"$M" run /bin/sh -c 'trap "echo got TERM; exit 7" TERM; sleep 100 & wait' \
	>"$T/trap.out" 2>"$T/trap.err" </dev/null &
mpid=$!
wait_for pgrep -P $mpid -x sh >/dev/null
wait_for pgrep -x sleep -P "$(pgrep -P $mpid -x sh)" >/dev/null
kill -TERM $mpid
wait $mpid
is "SIGTERM to minictr reaches a PID-1 shell that traps it" \
	"$?:$(cat "$T/trap.out")" "7:got TERM"
is "a container that obeys: nothing more on stderr" "$(cat "$T/trap.err")" ""

# Every signal minictr forwards reaches the container: a PID-1 shell that
# traps it writes its name, then exits 0.  The file says the trap is set.
for sig in HUP INT QUIT TERM USR1 USR2; do
	rm -f "$T/sig.ready"
	"$M" run /bin/sh -c "trap 'echo got $sig; exit 0' $sig
		echo ready >$T/sig.ready
		while :; do sleep 0.1; done" >"$T/sig.out" </dev/null &
	mpid=$!
	wait_for test -s "$T/sig.ready"
	kill -$sig $mpid
	timeout 10 tail --pid=$mpid -f /dev/null
	if alive $mpid; then kill -KILL $mpid; fi
	{ wait $mpid; r=$?; } 2>/dev/null
	is "SIG$sig to minictr is forwarded to the container (its trap ran)" \
		"$r:$(cat "$T/sig.out")" "0:got $sig"
done

# started: the container's PID 1 runs (a child of minictr named $1)
started() { pgrep -P "$mpid" -x "$1" >/dev/null; }
# said PATTERN: minictr's stderr (in $T/stop.err) has a line matching it
said() { grep -qE "$1" "$T/stop.err"; }
notice_re="^minictr: the container has not stopped: its PID 1 has no handler for SIGTERM, and the kernel drops those sent to a namespace's PID 1 \(--init fixes this\); SIGKILL in 29[89] s, or Ctrl-C or SIGTERM again kills it now$"

"$M" run --stop-timeout 300 sleep 1000 </dev/null 2>"$T/stop.err" &
mpid=$!
wait_for started sleep
kill -TERM $mpid
wait_for said 'has not stopped'
like "a PID-1 sleep ignores SIGTERM: one line says so, why, --init, the time left" \
	"$(cat "$T/stop.err")" "$notice_re"
kill -TERM $mpid
check "a second SIGTERM ends it at once, not after --stop-timeout 300" \
	wait_for eval '! alive $mpid'
alive $mpid && kill -KILL $mpid     # failed: do not wait 300 s
wait $mpid
is "... with 137" "$?" 137
is "... and says so, once: the notice, then the kill" \
	"$(sed 1d "$T/stop.err")" "minictr: container was killed: a second SIGINT or SIGTERM"

"$M" run --stop-timeout 300 sleep 1000 </dev/null 2>"$T/stop.err" &
mpid=$!
wait_for started sleep
kill -INT $mpid
wait_for said 'has not stopped'
kill -INT $mpid
check "SIGINT, then a second SIGINT (Ctrl-C twice): it ends at once" \
	wait_for eval '! alive $mpid'
alive $mpid && kill -KILL $mpid
wait $mpid
is "... with 137" "$?" 137

"$M" run --stop-timeout 2 sleep 100 </dev/null 2>"$T/stop.err" &
mpid=$!
wait_for started sleep
kill -TERM $mpid
wait $mpid
is "a PID-1 sleep ignores SIGTERM, is killed after --stop-timeout: 137" "$?" 137
like "... the notice, then one line for the kill" "$(cat "$T/stop.err")" \
	"^minictr: the container has not stopped: .*SIGKILL in 1 s.*"$'\n'"minictr: container was killed: still running 2 s after SIGTERM \\(--stop-timeout\\)$"

# --stop-timeout -1, docker's "wait for ever": a handler that takes its
# time (until $T/go exists, made 2 s after the notice: past any timeout
# of 1 or 2 s) is not killed, and the notice says minictr waits
"$M" run --stop-timeout -1 sh -c "trap 'while [ ! -e $T/go ]; do sleep 0.1; done; exit 7' TERM; sleep 100 & wait" \
	</dev/null 2>"$T/stop.err" &
mpid=$!
wait_for started sh
kill -TERM $mpid
wait_for said 'has not stopped'
sleep 2
touch "$T/go"
wait $mpid
is "--stop-timeout -1: no SIGKILL, the handler ends it in its own time: 7" "$?" 7
is "... the notice says there is no SIGKILL coming" "$(cat "$T/stop.err")" \
	"minictr: the container has not stopped: its PID 1 handles SIGTERM but still runs; no SIGKILL (--stop-timeout -1), or Ctrl-C or SIGTERM again kills it now"

"$M" run sh -c 'trap "sleep 2; exit 7" TERM; sleep 100 & wait' \
	</dev/null 2>"$T/stop.err" &
mpid=$!
wait_for started sh
wait_for pgrep -x sleep -P "$(pgrep -P $mpid -x sh)" >/dev/null
kill -TERM $mpid
wait_for said 'has not stopped'
wait $mpid
is "a PID 1 that handles SIGTERM slowly: its own status (7)" "$?" 7
like "... and the line says it handles SIGTERM, without blaming the kernel" \
	"$(cat "$T/stop.err")" '^minictr: the container has not stopped: its PID 1 handles SIGTERM but still runs; SIGKILL in 9 s'

"$M" run --init sleep 100 </dev/null 2>"$T/stop.err" &
mpid=$!
wait_for eval 'pgrep -x sleep -P "$(pgrep -d, -P $mpid)" >/dev/null'
kill -TERM $mpid
wait $mpid
is "--init: SIGTERM reaches the command at once: 143" "$?" 143
is "--init: it obeys, nothing on stderr" "$(cat "$T/stop.err")" ""

echo "# a reader that goes away (without -t; -t is in test_tty.sh)"
timeout -k 5 30 "$M" run --init yes </dev/null | head -n 1 >"$T/pipe.out"
is "--init yes | head -n 1: the command dies of SIGPIPE (141)" \
	"${PIPESTATUS[0]}:$(cat "$T/pipe.out")" "141:y"
(trap '' PIPE; timeout -k 5 30 "$M" run --init yes </dev/null | head -n 1 >/dev/null
 echo "${PIPESTATUS[0]}" >"$T/pipe.rc")
is "... even when minictr's caller ignores SIGPIPE: 141" "$(cat "$T/pipe.rc")" 141
timeout -k 5 30 "$M" run yes </dev/null 2>"$T/pipe.err" | head -n 1 >/dev/null
is "yes as PID 1: the kernel drops its SIGPIPE, it sees EPIPE and exits 1" \
	"${PIPESTATUS[0]}:$(cat "$T/pipe.err")" "1:yes: standard output: Broken pipe"

"$M" run sleep 100 </dev/null &
mpid=$!
wait_for pgrep -P $mpid -x sleep >/dev/null
cpid=$(pgrep -P $mpid -x sleep)
kill -KILL $mpid
{ wait $mpid; } 2>/dev/null
sleep 1
if alive "$cpid"; then
	not_ok "kill -9 of minictr kills the container" "pid $cpid survives"
else
	ok "kill -9 of minictr kills the container (no survivor after 1 s)"
fi

echo "# --init: a PID 1 that reaps"
mc run --init /bin/sh -c '
	for i in $(seq 100); do (sh -c "exit 0" &); done
	for i in $(seq 100); do
		z=$(ps -eo stat= | grep -c "^Z")
		[ "$z" = 0 ] && break
		sleep 0.1
	done
	echo "pid=$$ zombies=$z"; exit 3'
is "--init: the command is PID 2, 100 orphans reaped, status passed" \
	"$rc:$out" "3:pid=2 zombies=0"

echo "# usage errors: exactly one line, 125, nothing run"
mc
is "no arguments" "$rc:$err" "125:minictr: missing command (see minictr --help)"
mc run
is "no command" "$rc:$err" "125:minictr: run: missing command"
mc run --bogus true
is "unknown option" "$rc:$err" "125:minictr: run: unknown option '--bogus'"
# every command's usage error is its own one line, not run's synopsis
for words in "kill -s BOGUS x" "logs --tail x x" "create -x" "stop -t x x" \
	"--log-format xml state x" "run --restart on-failure:0 true"; do
	mc $words
	like "usage error of '$words': one line, 125" \
		"$rc:$(printf '%s\n' "$err" | wc -l):$err" "^125:1:minictr: "
done
mc run -h 'bad_name' true
like "bad hostname" "$rc:$err" "^125:minictr: run: invalid value 'bad_name' for '-h'"
mc run --net bridge true
like "bad --net" "$rc:$err" "^125:minictr: run: invalid value 'bridge' for '--net': use none or host"
mc run -e =x true
like "empty env name" "$rc:$err" "^125:minictr: run: invalid value '=x' for '-e': empty variable name"
mc run -h=box -e=A=1 sh -c 'echo $(hostname) $A'
is "-h=box -e=A=1: a short option's '=' is not its value's (docker's pflag)" "$rc:$out:$err" "0:box 1:"
mc frobnicate
like "unknown command" "$rc:$err" "^125:minictr: unknown command 'frobnicate'"
mc run --help
like "run --help: the options and exit statuses on stdout, 0" "$rc:$out" \
	"^0:usage: minictr run .*--stop-timeout.*128\+N"
mc --help
like "--help" "$rc:$out" "^0:usage: minictr run"
mc --version
# runc's shape (podman info shows it): "NAME version X", then the spec
like "--version" "$rc:$out" $'^0:minictr version [0-9]+\\.[0-9]+\\.[0-9]+\nspec: 1\\.0\\.2$'

echo "# --trace, and silence without it"
mc run true
is "silent on success" "$rc:$out:$err" "0::"
# What --trace says is checked against what the kernel did, in the same
# run: the namespaces the clone names are the ones that are new, and the
# flags of the /proc mount are the options mountinfo shows for it.
mc run --trace -h tracebox /bin/sh -c '
	for ns in uts pid mnt ipc net; do echo "$ns $(readlink /proc/self/ns/$ns)"; done
	awk "\$5 == \"/proc\" { print \$6 }" /proc/self/mountinfo'
like "--trace narrates the clone" "$err" \
	"minictr: clone\(CLONE_NEWUTS\|CLONE_NEWPID\|CLONE_NEWNS\|CLONE_NEWIPC\|CLONE_NEWNET\|SIGCHLD\) = [0-9]+"
traced_ns="" real_ns=""
for f in $(sed -n 's/^minictr: clone(\([A-Z_|]*\)) = [0-9]*$/\1/p' <<<"$err" | tr '|' ' '); do
	case $f in
	CLONE_NEWNS) traced_ns="$traced_ns mnt" ;;
	CLONE_NEW*) f=${f#CLONE_NEW}; traced_ns="$traced_ns ${f,,}" ;;
	esac
done
while read -r ns id; do
	[ "$id" != "$(readlink /proc/self/ns/$ns)" ] && real_ns="$real_ns $ns"
done <<<"$(grep -E '^(uts|pid|mnt|ipc|net) ' <<<"$out")"
is "--trace: the clone's flags are the namespaces that are new" \
	"$(tr ' ' '\n' <<<"$traced_ns" | sort | xargs)" "$(tr ' ' '\n' <<<"$real_ns" | sort | xargs)"
traced_flags=$(sed -n 's/^minictr\[1\]: mount("proc", "\/proc", "proc", \([A-Z_|]*\), NULL) = 0$/\1/p' <<<"$err")
is "--trace: the /proc mount's flags are the options it has (mountinfo)" \
	"$(tr '|' '\n' <<<"$traced_flags" | sed 's/^MS_//; s/^RDONLY$/RO/' | tr A-Z a-z | sort | xargs)" \
	"$(tail -1 <<<"$out" | tr , '\n' | grep -xE 'ro|nosuid|nodev|noexec' | sort | xargs)"
is "... and those are nosuid, nodev, noexec" \
	"$(tail -1 <<<"$out" | tr , '\n' | grep -xE 'ro|nosuid|nodev|noexec' | sort | xargs)" \
	"nodev noexec nosuid"
like "--trace names the private remount" "$err" \
	'minictr\[1\]: mount\("none", "/", "none", MS_REC\|MS_PRIVATE, NULL\) = 0'
like "--trace: waitpid as it is called, the status decoded" "$err" \
	'minictr: waitpid\(([0-9]+), \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], WNOHANG\) = \1'
"$M" run --trace --stop-timeout 1 sleep 100 </dev/null 2>"$T/trace.err" &
mpid=$!
wait_for pgrep -P $mpid -x sleep >/dev/null
cpid=$(pgrep -P $mpid -x sleep)
kill -TERM $mpid
wait $mpid
like "--trace: kill() with the signal by name, SIGKILL apart from its reason" \
	"$(cat "$T/trace.err")" \
	"minictr: kill\\($cpid, SIGTERM\\) = 0.*minictr: still running 1 s after SIGTERM \\(--stop-timeout\\)"$'\n'"minictr: kill\\($cpid, SIGKILL\\) = 0"$'\n'"minictr: waitpid\\($cpid, \\[\\{WIFSIGNALED\\(s\\) && WTERMSIG\\(s\\) == 9\\}\\], WNOHANG\\) = $cpid"

echo "# not root"
cp "$M" "$T/minictr-copy" && chmod 755 "$T/minictr-copy"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups env -u XDG_RUNTIME_DIR \
	"$T/minictr-copy" run id -u 2>&1)
# rootless: a user namespace, the user is root inside (test_rootless.sh)
like "as an unprivileged user: root in a user namespace, one ID said" \
	"$?:$out" "^0:minictr: note: one ID mapped: uid 65534 .*"$'\n'"0$"

echo "# a host whose / is shared (as systemd makes it), in a throwaway namespace"
# The control first: a plain pid+mount namespace that mounts proc without
# making / private (the seed's bug) changes the outer namespace's /proc.
# It proves this check can see the bug; then minictr must not have it.
cat >"$T/shared.sh" <<'EOF'
mount --make-rshared /
cat /proc/self/mountinfo >"$1/outer.before"
unshare --pid --fork --mount --propagation unchanged \
	sh -c 'mount -t proc proc /proc' 2>/dev/null
readlink /proc/self >"$1/outer.seed" 2>&1 || echo broken >"$1/outer.seed"
umount /proc 2>/dev/null     # mend the throwaway namespace (stacked proc)
cat /proc/self/mountinfo >"$1/outer.mended"
for i in 1 2 3; do "$2" run true || exit 1; done
cat /proc/self/mountinfo >"$1/outer.after"
read -r pid _ </proc/self/stat
echo "$pid $$" >"$1/outer.pid"
EOF
unshare --mount --propagation unchanged sh "$T/shared.sh" "$T" "$M"
is "control: without the private remount, the host's /proc/self breaks" \
	"$(cat "$T/outer.seed")" broken
check "with / rshared, 3 runs leave the host mount table unchanged" \
	cmp -s "$T/outer.mended" "$T/outer.after"
like "with / rshared, the host's /proc still shows the host's pids" \
	"$(cat "$T/outer.pid")" '^([0-9]+) \1$'

echo "# nothing left behind"
host_unchanged
sleep 0.2
left=$(pgrep -f "^$M( |$)")
is "no minictr process left running" "$left" ""
summary
