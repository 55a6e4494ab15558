#!/usr/bin/env bash
# test/test_halfmade.sh - what a failed or killed `create`, `run --name`
# or `run` leaves, and who removes it (maker.c, etcfiles.c): a create
# refused by a limit leaves no ROOT/ID; a create or run --name killed by
# SIGKILL at a chosen system call (strace's fault injection: no timing)
# leaves a half-made ROOT/ID that delete, rm and the next run --name
# clear, with the init and the cgroup of the create; one whose maker is
# alive stays; --pid-file that cannot be written is named, nothing left;
# the /etc files directory of a SIGKILLed run, or of a killed run -d
# monitor, is swept by the next run, or by rm; a run -d whose sweep is
# held (strace's SIGSTOP) while a run -d or a create finishes keeps them.
# The whole suite runs in a mount namespace of its own with a tmpfs on
# /run/minictr, so that other minictrs' /etc files directories are not
# in what it counts.
set -u
cd "$(dirname "$0")/.." || exit 1
if [ -z "${HALFMADE_NS:-}" ] && [ "$(id -u)" = 0 ]; then
	exec unshare -m --propagation private env HALFMADE_NS=1 bash "$0" "$@"
fi
. test/lib.sh
need_root "test_halfmade"
command -v strace >/dev/null || { echo "1..0 # SKIP test_halfmade: no strace"; exit 77; }
mkdir -p /run/minictr && mount -t tmpfs -o mode=700 halfmade /run/minictr || exit 1

R=$T/root                       # --root: the state directories
build_rootfs "$T/b/rootfs"
cgroup_snapshot before
oci() { timeout -k 5 30 "$M" --root "$R" "$@"; }
# config KEY JSON...: config.json from `spec`, sleep 30, linux.KEY set
config() {
	rm -f "$T/b/config.json"
	(cd "$T/b" && "$M" spec) || return 1
	python3 - "$T/b/config.json" "$@" <<'PY'
import json, sys
path, pairs = sys.argv[1], sys.argv[2:]
c = json.load(open(path))
c["process"]["args"] = ["sleep", "30"]
c["process"]["terminal"] = False
for k, v in zip(pairs[::2], pairs[1::2]):
    c["linux"].setdefault("resources", {})[k] = json.loads(v)
json.dump(c, open(path, "w"))
PY
}
# killed_at SYSCALL[:PATH] ARGS: minictr ARGS, SIGKILLed by strace at that
# system call (the first one, or the first on PATH)
killed_at() {
	local call=$1 path=()
	shift
	case $call in *:*) path=(-P "${call#*:}"); call=${call%%:*} ;; esac
	(timeout -k 5 30 strace -o /dev/null "${path[@]}" -e trace="$call" \
		-e inject="$call":signal=SIGKILL:when=1 "$M" "$@" \
		>/dev/null 2>&1 </dev/null; true) 2>/dev/null
}
# inits ID: pids of `create`'s inits of ID (their command line is ours)
inits() { ps -eo pid=,args= | awk -v a="$M --root $R create --bundle $T/b $1" \
	'substr($0, index($0, $2)) == a { print $1 }'; }
ids() { ls "$R" 2>/dev/null | xargs; }

# --- 1a: a create refused by a limit leaves nothing
for limit in 'memory {"limit":1}' 'cpu {"cpus":"7"}' 'cpu {"quota":900000,"period":100000}'; do
	config $limit
	oci create --bundle "$T/b" x1 2>"$T/err"; rc=$?
	is "create with linux.resources.$limit: refused, nothing left" \
		"$rc:$(ids)" "125:"
done
config
oci create --bundle "$T/b" x1; rc=$?
is "then create x1 works" "$rc:$(oci state x1 | grep -o '"status":"created"')" \
	'0:"status":"created"'
oci delete -f x1

# --- 1c: create killed after its init is released, before state.json
config
killed_at open:"$R/ck/state.json.tmp" --root "$R" create --bundle "$T/b" ck
is "a killed create leaves a half-made ck (no state.json)" \
	"$(ids):$(ls "$R/ck" | grep -c state.json)" "ck:0"
init=$(inits ck)
check "its init is alive (orphaned, waiting on exec.fifo)" test -n "$init"
oci delete -f ck; rc=$?
is "delete -f clears it: exit 0, no ROOT/ck" "$rc:$(ids)" "0:"
is "... its init is gone" "$(inits ck)" ""
is "... and its cgroups" "$(grep -l "^$init\$" $(minictr_cgroups | sed 's|$|/cgroup.procs|') /dev/null 2>/dev/null)" ""
oci create --bundle "$T/b" ck; rc=$?
is "the ID is free again" "$rc" 0
oci delete -f ck

# --- 1d: Ctrl-C or SIGTERM while create sets up: it ends at once, exit
# 128+N, one line, nothing left: no ROOT/ID, init, hook or cgroup.  The
# signal comes from strace at the init's clone (the init being set up)
# or at the prestart hook's (the hook running: sleep 1201)
hooks() {
	python3 - "$T/b/config.json" <<'PY2'
import json, sys
c = json.load(open(sys.argv[1]))
c["hooks"] = {"prestart": [{"path": "/bin/sleep", "args": ["sleep", "1201"]}]}
json.dump(c, open(sys.argv[1], "w"))
PY2
}
hook_runs() { ps -eo args= | grep -cx "sleep 1201"; }
for at in "SIGINT 1" "SIGTERM 1" "SIGINT 2" "SIGTERM 2"; do
	set -- $at
	config
	[ "$2" = 2 ] && hooks
	timeout -k 5 60 strace -o "$T/calls" -e trace=mkdir,clone \
		-e inject=clone:signal="$1":when="$2" "$M" --root "$R" create \
		--bundle "$T/b" ci 2>"$T/err" >/dev/null </dev/null; rc=$?
	is "$1 at create's clone #$2 ($([ "$2" = 1 ] && echo the init ||
		echo a hook)): exit 128+N, one line" "$rc:$(cat "$T/err")" \
		"$((128 + $(kill -l "$1"))):minictr: create: interrupted by $1"
	is "... no ROOT/ci, no init, no hook left" \
		"$(ids):$(inits ci):$(hook_runs)" "::0"
	made=$(sed -n 's|.*mkdir("\(/sys/fs/cgroup/[^"]*\)".*= 0$|\1|p' "$T/calls")
	is "... nor a cgroup (of those it made: $(echo ${made:-none}))" \
		"$(for c in $made; do test -d "$c" && echo "$c"; done)" ""
	# with a binary that leaves them: the next one starts clean
	oci delete -f ci 2>/dev/null
	for pid in $(ps -eo pid=,args= | awk '$2 == "sleep" && $3 == 1201 &&
		NF == 3 { print $1 }'); do kill "$pid"; done
done
config

# --- 2: a pid file that cannot be written: named, nothing left
timeout -k 5 30 strace -f -o "$T/mkdirs" -e trace=mkdir "$M" --root "$R" create \
	--bundle "$T/b" --pid-file "$T/nonexist/d/pid" x2 2>"$T/err"; rc=$?
like "create --pid-file in no directory: the error names the pid file" \
	"$rc:$(cat "$T/err")" "^125:minictr: .*--pid-file $T/nonexist/d/pid.*No such file"
is "... and leaves no ROOT/x2, no init" "$(ids):$(inits x2)" ":"
made=$(sed -n 's|.*mkdir("\(/sys/fs/cgroup/[^"]*\)".*= 0$|\1|p' "$T/mkdirs")
is "... nor a cgroup (of those it made: ${made:-none})" \
	"$(for c in $made; do test -d "$c" && echo "$c"; done)" ""

# --- 1b: run --name killed before its state.json
killed_at clone --root "$R" run --name sk --rootfs "$T/b/rootfs" true
is "a killed run --name leaves a half-made container" \
	"$(ls "$R"/*/ 2>/dev/null | grep -c -x name):$(ls "$R"/*/ | grep -c state.json)" "1:0"
mc --root "$R" rm -f sk
is "rm -f sk removes it" "$rc:$out:$(ids)" "0:sk:"
killed_at clone --root "$R" run --name sk --rootfs "$T/b/rootfs" true
mc --root "$R" run --name sk --rootfs "$T/b/rootfs" echo ran
is "the next run --name sk is not refused: the name is free" "$rc:$out" "0:ran"
mc --root "$R" rm sk
is "... and leaves only its own ROOT/ID, removed by rm" "$rc:$(ids)" "0:"

# a half-made container whose maker is alive is being made: it stays
sleep 30 & maker=$!
id=$(printf '%064d' 7)
mkdir -p "$R/$id" && printf live >"$R/$id/name"
echo "$maker $(sed 's/.*) //' /proc/$maker/stat | cut -d' ' -f20)" >"$R/$id/maker"
mc --root "$R" rm -f live
is "rm -f of one whose maker is alive: refused" "$rc:$err" \
	"1:minictr: cannot remove container live: it is being created"
mc --root "$R" run --name live --rootfs "$T/b/rootfs" true
like "run --name live: the name is in use" "$rc:$err" "^125:.*already in use"
kill "$maker"; wait "$maker" 2>/dev/null
mc --root "$R" rm -f live
is "once its maker is gone, rm -f removes it" "$rc:$out:$(ids)" "0:live:"

# --- 4: a maker finishes without ROOT's lock (state.json, then its maker
# file unlinked): a run -d sweeping meanwhile keeps what has become whole.
# strace holds each at a chosen system call with a SIGSTOP (no timing):
# held_at NAME SYSCALL[:PATH] ARGS: minictr ARGS in the background, traced
# into $T/NAME.trace, the first SYSCALL (on PATH) of each process held
held_at() {
	local name=$1 call=$2 path=()
	shift 2
	case $call in *:*) path=(-P "${call#*:}"); call=${call%%:*} ;; esac
	timeout -k 5 60 strace -f -qq -o "$T/$name.trace" "${path[@]}" \
		-e trace="$call" -e inject="$call":signal=SIGSTOP:when=1 \
		"$M" "$@" >"$T/$name.out" 2>&1 </dev/null &
}
# held NAME: the pid strace holds stopped (empty until then)
held() { sed -n 's/^\([0-9]*\) *--- stopped by SIGSTOP ---$/\1/p' "$T/$1.trace" 2>/dev/null | head -1; }
names() { "$M" --root "$R" ps | awk 'NR > 1 { print $NF }' | sort | xargs; }
# "first": its monitor held at the container's clone, before state.json
held_at first clone --root "$R" run -d --name first sleep 30; strace1=$!
wait_for test -n "$(held first)"
first=$(ids)
# "second": its monitor's sweep held just after it found no
# ROOT/first/state.json, before it looks at ROOT/first/maker
held_at second access:"$R/$first/state.json" --root "$R" run -d --name second sleep 30
strace2=$!
wait_for test -n "$(held second)"
is "second's sweep found first without state.json, and is held" \
	"$(grep -c "access(\"$R/$first/state.json\", F_OK) = -1 ENOENT" "$T/second.trace")" 1
kill -CONT "$(held first)"
wait_for test -s "$T/first.out"
is "meanwhile first has started: state.json written, maker file gone" \
	"$(ls "$R/$first" | grep -x -e state.json -e maker)" state.json
kill -CONT "$(held second)"
wait_for test -s "$T/second.out"
is "second starts, and first is not swept as half-made: ps lists both" \
	"$(names)" "first second"
is "... first keeps its state directory, and its ID" "$(ls "$R" | grep -c -x "$first"):$(cat "$T/first.out")" "1:$first"
kill "$strace1" "$strace2" 2>/dev/null; wait "$strace1" "$strace2" 2>/dev/null
mc --root "$R" rm -f first second
is "rm -f removes both" "$rc:$(ids)" "0:"
check "... and their monitors end" wait_for sh -c "[ -z \"\$(pgrep -f '^$M --root $R run')\" ]"
# (with a binary that swept first: its monitor, that nothing finds now)
for pid in $(pgrep -f "^$M --root $R run"); do kill "$pid"; done
# a create that finishes and exits between the sweep's read of its maker
# file and its look at that maker: gone, but the container is whole
cid=$(printf '%064d' 3)
held_at third clone --root "$R" create --bundle "$T/b" "$cid"; strace3=$!
wait_for test -n "$(held third)"
held_at fourth open,openat:"$R/$cid/maker" --root "$R" run -d --name fourth sleep 30
strace4=$!
wait_for test -n "$(held fourth)"
kill -CONT "$(held third)"
wait_for grep -q "^$(held third) *+++ exited with 0 +++" "$T/third.trace"
kill -CONT "$(held fourth)"
wait_for test -s "$T/fourth.out"
init=$(inits "$cid")
is "... a create finished meanwhile stays, created, its init alive" \
	"$(oci state "$cid" | grep -o '"status":"created"'):$(test -n "$init" && alive "$init" && echo alive)" \
	'"status":"created":alive'
kill "$strace3" "$strace4" 2>/dev/null; wait "$strace3" "$strace4" 2>/dev/null
oci delete -f "$cid"
mc --root "$R" rm -f fourth
is "delete -f and rm -f remove them" "$rc:$(ids):$(inits "$cid")" "0::"
for pid in $(inits "$cid"); do kill -9 "$pid"; done

# --- 3: the /etc files directory of a killed run, of a killed monitor
etcs() { ls /run/minictr | grep -c '^etc-'; }
"$M" run --rootfs "$T/b/rootfs" sleep 30 & run=$!   # no timeout: its pid
wait_for test "$(etcs)" = 1
kill -9 "$run"; wait "$run" 2>/dev/null
is "a SIGKILLed run leaves its /etc files directory" "$(etcs)" 1
mc run --rootfs "$T/b/rootfs" true
is "the next run --rootfs sweeps it" "$rc:$(etcs)" "0:0"
mc --root "$R" run -d --name ed --rootfs "$T/b/rootfs" sleep 30
monitor=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["monitor"])' \
	"$R/$out/run.json")
kill -9 "$monitor"
is "a SIGKILLed run -d monitor leaves its /etc files directory" "$(etcs)" 1
mc --root "$R" rm -f ed
is "rm -f of its container removes it" "$rc:$(etcs):$(ids)" "0:0:"

# with a binary that leaves them: its inits, its directories
for pid in $(inits ck) $(inits x1) $(inits x2) $(inits ci); do kill -9 "$pid"; done
rm -rf /run/minictr/etc-* "$R"/*
cgroup_unchanged
summary
