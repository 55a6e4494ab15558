#!/usr/bin/env bash
# test/test_detached.sh - run -d, --name, --rm and docker's ps, logs,
# stop, kill, rm, wait, inspect, from the outside: a detached busybox
# httpd reachable with --net host, a shell loop's output in logs and
# logs -f, stop's statuses (137 for a PID 1 without a handler, 143 with
# --init), names and ID prefixes, every refusal with its line and status,
# runc's forms beside docker's, a monitor killed with SIGKILL, 50
# containers at once, and nothing left after rm: state, processes,
# cgroups, mounts.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_detached"

R=$T/root                       # --root: never the default /run/minictr
F=$T/rootfs
build_rootfs "$F"
mkdir -p "$F/www"
echo hello-from-httpd >"$F/www/index.html"
host_snapshot before
cgroup_snapshot before
d() { timeout -k 5 60 "$M" --root "$R" "$@"; }
# dm ARGS: as mc, with our root
dm() { mc --root "$R" "$@"; }
# monitor NAME: the pid of its monitor, from inspect's Config
monitor() {
	d inspect "$1" | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["Config"]["monitor"])'
}
mine() { pgrep -f "^$M " | grep -v "^$$\$" || true; }

# --- a detached httpd: ID printed, reachable, listed, logged
port=$((20000 + RANDOM % 20000))
dm run -d --name web --net host --rootfs "$F" httpd -f -vv \
	-p "127.0.0.1:$port" -h /www
like "run -d prints the ID (64 hex digits) and exits 0" "$rc:$out:$err" \
	'^0:[0-9a-f]{64}:$'
id=$out
get() { busybox wget -qO- "http://127.0.0.1:$port/" 2>/dev/null; }
got() { get >/dev/null; }
check "the detached httpd answers on the host's network" wait_for got
is "it serves its page" "$(get)" hello-from-httpd
dm ps
like "ps lists it, running, with its name and 12-digit ID" "$out" \
	"${id:0:12} +$F +httpd -f -vv -p [^ ]* +[^ ].* ago +Up [^ ].* +web"
like "ps has docker's columns" "$(head -1 <<<"$out")" \
	'^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +NAMES$'
dm logs web
has "its stderr is in logs" "$out" "response:200"
dm state "$id"
has "runc's state works on it (the same state.json)" "$out" '"status":"running"'
dm ps web
like "runc's ps NAME: its pids" "$out" $'^PID +CMD\n[0-9]+ +httpd$'
dm ps --format json web
like "runc's ps --format json NAME" "$out" '^\[[0-9]+\]$'

# --- a shell loop: logs, --tail, logs -f until it stops
dm run -d --name loop sh -c 'i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.05; done'
check "the loop writes" wait_for sh -c "'$M' --root '$R' logs loop | grep -q 'tick 3'"
dm logs --tail 2 loop
like "logs --tail 2: two lines, the last ones" "$out" $'^tick [0-9]+\ntick [0-9]+$'
d logs -f loop >"$T/follow" 2>&1 &
follower=$!
check "logs -f sees new lines" wait_for grep -q 'tick 30' "$T/follow"
dm stop -t 1 loop
is "stop prints the name given; a PID 1 without a SIGTERM handler: SIGKILL after -t" \
	"$rc:$out" "0:loop"
wait "$follower"
is "logs -f ends by itself once the container has stopped" "$?" 0
dm wait loop
is "wait prints its exit status: 137, as docker's" "$rc:$out" "0:137"
dm ps
is "ps leaves out the stopped one" "$(grep -c ' loop$' <<<"$out")" 0
dm ps -a
like "ps -a shows it exited, with its status" "$out" 'Exited \(137\) [^ ].* ago +loop'

# --- stop with a handler (--init): 143; inspect; --stop-timeout
dm run -d --init --name initd sleep 1000
dm stop initd
is "stop: --init's PID 1 handles SIGTERM, the command dies of it: 143" \
	"$rc:$out:$(d wait initd)" "0:initd:143"
dm inspect initd
is "inspect is JSON: state, exit code, the description it was started with" \
	"$(python3 -c 'import json,sys; c=json.load(sys.stdin)[0];
print(c["State"]["status"], c["ExitCode"], c["Name"], c["Config"]["command"])' <<<"$out")" \
	"stopped 143 initd ['sleep', '1000']"
dm run -d --stop-timeout 0 --name quick sleep 1000
m=$(monitor quick)
kill -TERM "$m"
is "the monitor applies --stop-timeout to a SIGTERM of its own" "$(d wait quick)" 137

# --- docker's -1, "wait for ever": --stop-timeout -1, and stop -t -1 over
# a container's --stop-timeout 1.  PID 1 handles SIGTERM in its own time
# (says it got it, then waits for a file, made 2 s later: past 1 s); stop
# returns when it ends, with its status, never 137
slow() {        # slow N: the handler of container N
	echo "trap 'touch $T/got$1; while [ ! -e $T/go$1 ]; do sleep 0.1; done; exit 7' TERM; sleep 1000 & wait"
}
stop_slowly() { # stop_slowly N STOP-ARGS...: stop, the handler released
	local n=$1 spid
	shift
	d stop "$@" >/dev/null 2>&1 &
	spid=$!
	wait_for test -e "$T/got$n"
	sleep 2
	touch "$T/go$n"
	wait $spid
}
dm run -d --stop-timeout -1 --name forever sh -c "$(slow 1)"
stop_slowly 1 forever
is "run -d --stop-timeout -1: stop waits for PID 1, no SIGKILL: 7" \
	"$?:$(d wait forever)" "0:7"
dm run -d --stop-timeout 1 --name patient sh -c "$(slow 2)"
stop_slowly 2 -t -1 patient
is "stop -t -1 (docker's): no SIGKILL, whatever its --stop-timeout: 7" \
	"$?:$(d wait patient)" "0:7"
d rm forever patient >/dev/null 2>&1
# a second stop -t 1 while the first waits for ever: docker's runs its own
# clock, so SIGKILL comes (was ignored: the second stop hung as the first)
dm run -d --stop-timeout -1 --name deaf sh -c "trap 'touch $T/deaf' TERM; while :; do sleep 1000 & wait; done"
d stop deaf >/dev/null 2>&1 &
spid=$!
wait_for test -e "$T/deaf"
timeout -k 5 30 "$M" --root "$R" stop -t 1 deaf >/dev/null 2>&1
is "stop -t 1 over a stop that waits for ever: SIGKILL, 137" \
	"$?:$(timeout 10 "$M" --root "$R" wait deaf)" "0:137"
d kill deaf >/dev/null 2>&1     # where the second stop did nothing
kill $spid 2>/dev/null; wait $spid 2>/dev/null
d rm -f deaf >/dev/null 2>&1

# --- names, prefixes and the foreground --name
dm run -d --name web true
is "a second --name web: 125, and says so" "$rc:$err" \
	"125:minictr: run: --name web: the name is already in use by container ${id:0:12}: remove it (rm) or choose another name"
dm run --name fg sh -c 'echo fg-out; exit 4'
is "run --name in the foreground: its output and status are run's" "$rc:$out" "4:fg-out"
dm ps -a --format json
has "ps --format json: one object a line, it too" "$out" '"State":"exited","Status":"Exited (4)'
dm logs fg
is "logs of a foreground one: 1, and why" "$rc:$err" \
	"1:minictr: logs: fg: it was not started with -d: its output went where run's did"
dm inspect "${id:0:12}"
has "a 12-digit prefix finds it" "$out" "\"Name\":\"web\""
dm inspect "${id:0:5}"
has "so does a short unique prefix" "$out" "\"Id\":\"$id\""
dm run -d sh -c 'sleep 1000'
like "without --name, a name is made up" "$(d inspect "$out")" '"Name":"[a-z]+_[a-z]+[0-9]*"'

# --- refusals: one line each, and the status
dm run -d -t sh
is "-d -t is refused (no attach)" "$rc:$(head -1 <<<"$err")" \
	"125:minictr: run: -d -t: a detached container's terminal needs attach, which minictr lacks: use -d without -t (its output is in \`logs\`)"
dm run -d --name 'a/b' sh
like "a bad --name: 125" "$rc:$err" "^125:minictr: run: invalid value 'a/b' for '--name'"
dm run -d --name nope /no/such
is "run -d of a missing command: 127 and exec's line, as run" "$rc:$err" \
	"127:minictr: exec /no/such: No such file or directory"
dm rm nope
dm stop ghost
is "stop of no such container: 1" "$rc:$err" "1:minictr: No such container: ghost"
dm rm web
is "rm of a running one: 1" "$rc:$err" \
	"1:minictr: cannot remove container web: it is running: stop it first, or rm -f"
dm kill loop
is "kill of a stopped one: 1" "$rc:$err" "1:minictr: cannot kill container loop: it is not running"
dm logs web loop
like "logs takes one: 125" "$rc:$err" "^125:minictr: logs: takes one container"
dm ps -a web
like "ps -a with an ID: 125" "$rc:$err" "^125:minictr: ps: takes one container ID"
dm stop -t soon web
like "stop -t needs seconds: 125" "$rc:$err" "^125:minictr: stop: invalid value 'soon' for '-t': use a whole number of seconds"

# --- kill: docker's form and runc's
dm kill -s USR1 web
is "docker's kill -s prints the name" "$rc:$out" "0:web"
dm kill "$id" KILL
is "runc's kill ID SIGNAL: silent" "$rc:$out" "0:"
is "it went to the container" "$(d wait web)" 137

# --- a monitor killed with SIGKILL: stopped, status unknown; rm cleans up
dm run -d --name orphan --pids-limit 50 sleep 1000
m=$(monitor orphan)
kill -KILL "$m"
check "its container dies with it" wait_for sh -c "! '$M' --root '$R' ps | grep -q orphan"
dm ps -a
like "ps -a: stopped, status unknown" "$out" 'Exited \(unknown\) +orphan'
n_before=$(minictr_cgroups | grep -c -- "-$m-")
dm rm orphan
is "rm cleans it up" "$rc:$out" "0:orphan"
is "its cgroup (named after its monitor) was left, then rm removed it" \
	"$n_before:$(minictr_cgroups | grep -c -- "-$m-")" 1:0

# --- --rm
dm run -d --rm --name gone sleep 1000
dm stop -t 0 gone
is "--rm: stopped" "$rc:$out" "0:gone"
dm inspect gone
is "--rm: then removed" "$rc:$err" "1:minictr: No such container: gone"

# --- wait of a --rm one: its status, read before it is removed.  The
# container goes on once wait holds its shared lock on ROOT/ID (/proc/locks)
dm run -d --rm --name rd sh -c "while [ ! -e '$T/go' ]; do sleep 0.05; done; exit 3"
ino=$(stat -c %i "$R/$out")
d wait rd >"$T/wait" 2>&1 &
waiter=$!
check "wait holds its lock" wait_for grep -q "FLOCK .* READ .*:$ino " /proc/locks
touch "$T/go"
wait "$waiter"
is "wait of a --rm one: its status, as docker's" "$?:$(cat "$T/wait")" "0:3"
check "then it is removed" wait_for sh -c "! '$M' --root '$R' inspect rd >/dev/null 2>&1"

# --- --restart: stop ends it, running or waiting to restart; rm refuses
dm run -d --name ra --restart always sleep 1000
m=$(monitor ra)
dm stop -t 0 ra
is "stop of a --restart always one: it stays stopped, its monitor gone" \
	"$rc:$out:$(d wait ra):$(alive "$m" && echo alive)" "0:ra:137:"
dm run -d --name rb --restart on-failure:10 sh -c 'exit 1'
m=$(monitor rb)
check "it exits and restarts" wait_for sh -c "'$M' --root '$R' logs rb | grep -q 'restart 6 of 10'"
check "ps (without -a) shows it restarting, as docker's" wait_for sh -c \
	"'$M' --root '$R' ps | grep -q 'Restarting (1) .* ago *rb\$'"
dm rm rb
like "rm of one its monitor will restart: 1, and says so" "$rc:$err" \
	"^1:minictr: cannot remove container rb: it is (restarting|running): stop it first, or rm -f$"
dm stop -t 5 rb
is "stop while it waits to restart: no more restarts, its monitor gone" \
	"$rc:$out:$(alive "$m" && echo alive)" "0:rb:"
dm ps -a
like "its status is its last exit's" "$out" 'Exited \(1\) [^ ].* ago +rb'
dm run -d --name rr --restart always sh -c 'exit 2'
m=$(monitor rr)
check "another one restarts" wait_for sh -c "'$M' --root '$R' logs rr | grep -q 'restart 3 in'"
dm rm -f rr
is "rm -f of it: removed, its monitor gone" \
	"$rc:$out:$(alive "$m" && echo alive):$(d inspect rr >/dev/null 2>&1; echo $?)" \
	"0:rr::1"

# --- kill of a --restart one: docker's rule (its kill marks it stopped
# by hand): it ends and stays exited, whatever the signal, also while it
# waits to restart; a crash of its own (SIGKILL from the host) restarts
pid1() {
	d inspect "$1" | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["State"]["pid"])'
}
dm run -d --name rk --restart always sleep 1000
m=$(monitor rk)
kill -KILL "$(pid1 rk)"
check "a SIGKILL of its pid from the host is a crash: it restarts" wait_for \
	sh -c "'$M' --root '$R' logs rk | grep -q 'status 137; restart 1 in'"
check "and it runs again" wait_for sh -c "'$M' --root '$R' ps | grep -q 'Up .* rk\$'"
dm kill rk
is "kill of a --restart always one: it stays exited (137), its monitor gone" \
	"$rc:$out:$(alive "$m" && echo alive):$(d ps -a | grep -o 'Exited ([0-9]*) .* rk$' | cut -d' ' -f1-2)" \
	"0:rk::Exited (137)"
dm run -d --init --name rt --restart on-failure sleep 1000
dm kill -s TERM rt
is "kill -s TERM of an on-failure one: --init's PID 1 exits 143, not restarted" \
	"$rc:$out:$(timeout -k 5 20 "$M" --root "$R" wait rt)" "0:rt:143"
dm run -d --name rw --restart always sh -c 'exit 3'
m=$(monitor rw)
check "another one waits to restart" wait_for sh -c \
	"'$M' --root '$R' ps | grep -q 'Restarting (3) .* ago *rw\$'"
dm kill rw
like "kill while it waits to restart: done, it starts no more, its monitor gone" \
	"$rc:$out:$(alive "$m" && echo alive):$(d ps -a | grep ' rw$')" \
	"^0:rw::.*Exited \((3|137)\) .* ago +rw$"
d rm -f rk rt rw >/dev/null

# --- wait of a --restart one: docker's returns at each exit (its
# SetRestarting wakes the waiters), not when it has ended for good
dm run -d --name rx --restart always sh -c 'sleep 1; exit 4'
dm wait rx
first=$rc:$out
dm wait rx
is "wait of a --restart always one: the status of each exit, twice" \
	"$first/$rc:$out:$(d ps | grep -c ' rx$')" "0:4/0:4:1"
d rm -f rx >/dev/null

# --- ps across a restart: CREATED is when it was made, as docker's, and
# STATUS's "Up" counts from its last start
dm run -d --name rc --restart on-failure:1 sh -c \
	"while [ ! -e '$T/again' ]; do sleep 0.05; done; rm '$T/again'; exit 1"
created=$(d ps --format json | grep '"Names":"rc"' | grep -o '"CreatedAt":"[^"]*"')
sleep 2         # its making and its restart: seconds apart
touch "$T/again"
check "it restarts" wait_for sh -c "'$M' --root '$R' logs rc | grep -q 'restart 1 of 1'"
check "and runs again" wait_for sh -c "'$M' --root '$R' ps | grep -q 'Up .* rc\$'"
line=$(d ps --format json | grep '"Names":"rc"')
is "ps --format json: its CreatedAt is the same after the restart" \
	"$(grep -o '"CreatedAt":"[^"]*"' <<<"$line")" "$created"
for_=$(sed 's/.*"RunningFor":"\([^"]*\) ago".*/\1/' <<<"$line")
up=$(sed 's/.*"Status":"Up \([^"]*\)".*/\1/' <<<"$line")
check "ps: CREATED ($for_ ago) from its making, not its restart (Up $up)" \
	test "$for_" != "$up"
row=$(d ps | grep ' rc$')
[[ $row =~ \ \ \ ([0-9]+\ seconds?|Less\ than\ a\ second)\ ago\ +Up\ (.*[^ ])\ +rc$ ]]
check "the table's too ($row)" test -n "${BASH_REMATCH[1]:-}" -a \
	"${BASH_REMATCH[1]:-}" != "${BASH_REMATCH[2]:-}"
d rm -f rc >/dev/null

# --- ps with long values: each column as wide as its widest cell and 3
# more, 10 at least (docker's tabwriter), in characters; COMMAND cut to
# 20 characters with "…" unless --no-trunc, which shows whole IDs too
# columns: "aligned", or the rows out of line, or "too wide"
columns() {
	python3 -c '
import sys
rows = sys.stdin.read().splitlines()
starts = [rows[0].index(h) for h in ("IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES")]
bad = [r for r in rows if any(len(r) <= s or r[s - 1] != " " or r[s] == " " for s in starts)]
tight = all(s - p == 10 or any(r[s - 4] != " " for r in rows)
            for p, s in zip([0] + starts, starts))
print("out of line: %r" % bad if bad else "aligned" if tight else "too wide")'
}
L=$T/a-root-directory-whose-name-is-longer-than-twenty
build_rootfs "$L"
dm run -d --name a-name-longer-than-the-others-are --rootfs "$L" \
	sh -c 'sleep 1000; echo a command of more than twenty characters, é'
long=$out
dm run -d --name s2 sleep 1000
is "ps: each column as wide as its widest cell, and 3 more" "$(d ps | columns)" aligned
is "ps -a too" "$(d ps -a | columns)" aligned
has "COMMAND: 20 characters, the last one …" "$(d ps)" "   sh -c sleep 1000; e…   "
dm ps --no-trunc
has "ps --no-trunc: the whole ID" "$out" "$long   "
has "and the whole command" "$out" "   sh -c sleep 1000; echo a command of more than twenty characters, é   "
is "and its columns are aligned too" "$(columns <<<"$out")" aligned
is "ps -q --no-trunc: whole IDs" "$(d ps -q --no-trunc | grep -c '^[0-9a-f]\{64\}$')" \
	"$(d ps -q | wc -l)"
# a tab or a newline in a command (docker quotes them, Go's \t and \n):
# each row still one line, its columns aligned
dm run -d --name s3 sh -c "$(printf 'a=1\tb=2\nsleep 1000')"
has "ps: a command's tab and newline escaped, as docker's" "$(d ps --no-trunc)" \
	'   sh -c a=1\tb=2\nsleep 1000   '
is "and the table still one line a row, aligned" \
	"$(d ps | wc -l):$(d ps | columns)" "$(($(d ps -q | wc -l) + 1)):aligned"
d rm -f a-name-longer-than-the-others-are s2 s3 >/dev/null
# newest first also among those made in the same second (docker's
# order, by the nanosecond): six made at once, listed in reverse
for i in 1 2 3 4 5 6; do d run -d --name o$i sleep 1000 >/dev/null; done
is "ps: newest first, also within one second" \
	"$(d ps --format json | grep -o '"Names":"o[0-9]"' | tr -d '\n')" \
	'"Names":"o6""Names":"o5""Names":"o4""Names":"o3""Names":"o2""Names":"o1"'
d rm -f o1 o2 o3 o4 o5 o6 >/dev/null

# --- a chatty one: the log is bounded (1 MiB, rotated once at 512 KiB)
dm run -d --name chatty sh -c 'yes 0123456789abcdef | head -c 2999990; echo last line; sleep 1000'
check "the chatty one's last line is logged" wait_for sh -c "'$M' --root '$R' logs --tail 1 chatty | grep -q 'last line'"
dir=$R/$(d inspect chatty | sed 's/.*"Id":"\([0-9a-f]*\)".*/\1/')
is "two files, each at most 512 KiB" \
	"$(stat -c %s "$dir/container.log" "$dir/container.log.1" | awk '$1 <= 524288 {n++} END {print n}')" 2
bytes=$(d logs chatty | wc -c)
check "logs gives the last 512 KiB to 1 MiB of 3 MB ($bytes bytes)" \
	test "$bytes" -ge 524288 -a "$bytes" -le 1048576
is "logs --tail 2: whole lines" "$(d logs --tail 2 chatty)" $'0123456789abcdef\nlast line'
d rm -f chatty >/dev/null

# docker's pflag takes a short option's value after '=' too: stop -t=1
dm run -d --name eq sleep 1000
dm stop -t=1 eq
is "stop -t=1: as -t 1" "$rc:$out:$err" "0:eq:"
d rm -f eq >/dev/null

# --- a full ROOT (a small /run): the exit status is still recorded, the
# log giving way; a tmpfs of 256 KiB, in a mount namespace of our own
S=$T/small
mkdir -p "$S"
out=$(unshare -m --propagation private sh -c "mount -t tmpfs -o size=256k t '$S' &&
	'$M' --root '$S' run -d --name full sh -c 'yes 0123456789abcdef | head -c 400000; exit 4' >/dev/null &&
	timeout 60 '$M' --root '$S' wait full; '$M' --root '$S' logs --tail 1 full;
	'$M' --root '$S' rm full >/dev/null; ls -A '$S'" 2>&1)
is "ROOT full: wait gets the status, the log says it was cut, rm leaves nothing" \
	"$out" $'4\nminictr: '"$S"' is full: the log was cut to record the exit status'

# --- the monitor's memory (measured, printed)
dm run -d --name mem sh -c 'while :; do echo x; sleep 0.1; done'
echo "# monitor RssAnon: $(awk '/RssAnon/{print $2, $3}' "/proc/$(monitor mem)/status")"

# --- 50 at once: started, listed, stopped, removed in parallel
d ps -aq | xargs -r "$M" --root "$R" rm -f >/dev/null
for i in $(seq 50); do d run -d --name "c$i" sleep 1000 >/dev/null & done
wait
is "50 detached containers listed" "$(d ps -q | wc -l)" 50
first=$(d ps -q | cut -c1 | sort | uniq -d | head -1)
dm stop "$first"
like "a prefix of more than one: 1, and says so" "$rc:$err" \
	"^1:minictr: $first: more than one container's ID starts with it"
for i in $(seq 50); do d stop -t 1 "c$i" >/dev/null & done
wait
is "50 stopped in parallel" "$(d ps -q | wc -l):$(d ps -a | grep -c 'Exited (137)')" "0:50"
for i in $(seq 50); do d rm "c$i" >/dev/null & done
wait

# --- nothing left
d ps -aq | xargs -r "$M" --root "$R" rm -f >/dev/null
is "no state left" "$(ls -A "$R")" ""
check "no minictr process of ours left" wait_for sh -c "[ -z \"\$(pgrep -f '^$M ')\" ]"
cgroup_unchanged
host_unchanged
summary
