#!/usr/bin/env bash
# test/test_ocihooks.sh - the rest of config.json, from the outside:
# hooks (all six kinds: order, the state on stdin, args and env, where
# each runs, a failing one at every moment, a timeout), and nothing left
# behind by a create that failed.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_ocihooks"
make -s test/console_recv || exit 1

R=$T/root                       # --root: the state directories
build_rootfs "$T/b/rootfs"
mkdir -p "$T/log"
host_snapshot before
cgroup_snapshot before
oci() { timeout -k 5 30 "$M" --root "$R" "$@"; }

# A hook: "KIND status HOOKVAR pid netns" appended to LOG; the same
# script on the host and, for startContainer, inside the container.
cat >"$T/hook" <<'SH'
#!/bin/sh
s=$(cat)
st=$(echo "$s" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
pid=$(echo "$s" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
echo "$1 $st ${HOOKVAR-unset} $pid $(readlink /proc/$pid/ns/net)" >>"$2"
exit "${3:-0}"
SH
chmod 755 "$T/hook"
cp "$T/hook" "$T/b/rootfs/hook"

# bundle ARGS_JSON HOOKS_JSON: config.json from `spec`, with the args,
# the hooks, and $T/log bound on /log (startContainer's log, inside)
bundle() {
	rm -f "$T/b/config.json"
	(cd "$T/b" && "$M" spec) || return 1
	python3 - "$T/b/config.json" "$1" "$2" "$T/log" <<'PY'
import json, sys
path, args, hooks, log = sys.argv[1:]
c = json.load(open(path))
c["process"]["args"] = json.loads(args)
c["process"]["terminal"] = False
c["hooks"] = json.loads(hooks)
c["mounts"].append({"destination": "/log", "type": "bind", "source": log,
                    "options": ["rbind"]})
json.dump(c, open(path, "w"))
PY
}
# hook KIND [STATUS] [PATH]: one hook entry, HOOKVAR=KIND in its env
hook() {
	echo "{\"path\": \"${3:-$T/hook}\", \"args\": [\"hook\", \"$1\"," \
	     "\"${4:-$T/log/hooks.log}\", \"${2:-0}\"], \"env\": [\"HOOKVAR=v$1\"]}"
}
all_hooks() {
	echo "{\"prestart\": [$(hook prestart)], \"createRuntime\": [$(hook createRuntime)],
	\"createContainer\": [$(hook createContainer)],
	\"startContainer\": [$(hook startContainer 0 /hook /log/hooks.log)],
	\"poststart\": [$(hook poststart)], \"poststop\": [$(hook poststop)]}"
}
no_state() { [ -z "$(ls "$R" 2>/dev/null)" ]; }

# --- all six, in order, with the state on stdin
bundle '["sleep", "30"]' "$(all_hooks)"
oci create --bundle "$T/b" --pid-file "$T/pid" h1 >"$T/out" 2>"$T/err"; rc=$?
is "create with hooks succeeds, prints nothing" "$rc:$(cat "$T/out" "$T/err")" "0:"
pid=$(cat "$T/pid")
net=$(readlink "/proc/$pid/ns/net")
is "create ran prestart, createRuntime, createContainer, in that order" \
	"$(cut -d' ' -f1-4 "$T/log/hooks.log")" \
	"prestart creating vprestart $pid
createRuntime creating vcreateRuntime $pid
createContainer creating vcreateContainer $pid"
is "prestart sees the container's network namespace through the pid" \
	"$(sed -n 1p "$T/log/hooks.log" | cut -d' ' -f5)" "$net"
check "which is not the host's" test "$net" != "$(readlink /proc/self/ns/net)"
oci start h1; rc=$?
is "start succeeds" "$rc" 0
oci delete --force h1
is "start ran startContainer, inside (its pid 1 is its own), then poststart; delete ran poststop" \
	"$(sed -n '4,$p' "$T/log/hooks.log" | cut -d' ' -f1-4)" \
	"startContainer created vstartContainer $pid
poststart running vpoststart $pid
poststop stopped vpoststop 0"
check "no state left after delete" no_state

# --- no args, no env: argv is just the path, the environment empty
rm -f "$T/log/hooks.log"
cat >"$T/bare" <<SH
#!/bin/sh
echo "\$# \$(env | grep -vc '^PWD=\|^SHLVL=\|^_=')" >>$T/log/bare.log
SH
chmod 755 "$T/bare"
bundle '["true"]' "{\"prestart\": [{\"path\": \"$T/bare\"}]}"
oci run --bundle "$T/b" r1 >"$T/out" 2>"$T/err"; rc=$?
is "a hook with only a path: no arguments, no environment" \
	"$rc:$(cat "$T/log/bare.log")" "0:0 0"

# --- a failing hook fails create, and leaves nothing behind
for kind in prestart createRuntime createContainer; do
	rm -f "$T/log/hooks.log"
	bundle '["sleep", "30"]' "{\"$kind\": [$(hook "$kind" 3)]}"
	oci create --bundle "$T/b" f1 >"$T/out" 2>"$T/err"; rc=$?
	like "a failing $kind hook fails create, in one line" "$rc:$(cat "$T/err")" \
		"^[1-9][0-9]*:minictr: error running $kind hook #0: $T/hook: exit status 3$"
	check "no state left after the failed $kind hook" no_state
	is "no process left after the failed $kind hook" \
		"$(pgrep -f "sleep 30" -P 1 | xargs -r -n1 sh -c 'readlink /proc/$0/root' | grep -c "$T/b")" 0
done

# --- a timeout: the hook is killed, create fails
bundle '["true"]' "{\"prestart\": [{\"path\": \"/bin/sleep\", \"args\": [\"sleep\", \"60.25\"], \"timeout\": 1}]}"
oci create --bundle "$T/b" t1 >"$T/out" 2>"$T/err"; rc=$?
like "a hook past its timeout is killed, and fails create" "$rc:$(cat "$T/err")" \
	"^[1-9][0-9]*:minictr: error running prestart hook #0: /bin/sleep: killed after its timeout of 1 s$"
check "no state left after the timeout" no_state
is "the hook itself is gone" "$(pgrep -fx "sleep 60.25" | grep -c .)" 0

# --- a hook's children die with it: past its timeout, or when create is
# interrupted (SIGTERM); the hook says "started" once its child runs
# kids_hook [TIMEOUT]: a prestart hook whose sh starts sleep 60.75, then
# sleeps itself
kids_hook() {
	bundle '["true"]' "{\"prestart\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\",
		\"sleep 60.75 & echo started >$T/log/kids; exec sleep 60.5\"]$1}]}"
	rm -f "$T/log/kids"
}
kids() { pgrep -fx "sleep 60.75" | grep -c .; }
kids_hook ', "timeout": 1'
oci create --bundle "$T/b" t2 >"$T/out" 2>"$T/err"; rc=$?
like "a hook that started a child, past its timeout: create fails" \
	"$rc:$(cat "$T/log/kids"):$(cat "$T/err")" \
	"^[1-9][0-9]*:started:minictr: error running prestart hook #0: /bin/sh: killed after its timeout of 1 s$"
is "... and the hook's child is killed with it (its process group)" "$(kids)" 0
kids_hook ''
"$M" --root "$R" create --bundle "$T/b" t3 >"$T/out" 2>"$T/err" &
wait_for test -s "$T/log/kids"
kill -TERM $!; wait $!; rc=$?      # minictr itself, not timeout(1)
is "create interrupted (SIGTERM) while a hook runs: 143, one line" \
	"$rc:$(cat "$T/err")" "143:minictr: create: interrupted by SIGTERM"
is "... and the hook's child is killed with it (its process group)" "$(kids)" 0
check "no state left after them" no_state

# --- a failing startContainer hook fails start; the container stops
bundle '["sleep", "30"]' "{\"startContainer\": [$(hook startContainer 4 /hook /log/hooks.log)]}"
oci create --bundle "$T/b" --pid-file "$T/pid" s1 2>"$T/err1"
oci start s1 >"$T/out" 2>"$T/err"; rc=$?
like "a failing startContainer hook fails start" "$rc:$(cat "$T/err")" \
	"^[1-9][0-9]*:minictr: error running startContainer hook #0: /hook: exit status 4$"
wait_for sh -c "! kill -0 $(cat "$T/pid") 2>/dev/null || grep -q '^Z' /proc/$(cat "$T/pid")/stat"
is "the container stopped" "$(oci state s1 | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')" stopped
oci delete s1
check "no state left after delete" no_state
oci run --bundle "$T/b" s2 >"$T/out" 2>"$T/err"; rc=$?
like "run --bundle: a failing startContainer hook, and nothing left" \
	"$rc:$(tail -1 "$T/err"):$(ls "$R")" \
	"^125:minictr: error running startContainer hook #0: /hook: exit status 4:$"

# --- poststart and poststop failures are warnings
bundle '["true"]' "{\"poststart\": [$(hook poststart 5)], \"poststop\": [$(hook poststop 6)]}"
oci run --bundle "$T/b" w1 >"$T/out" 2>"$T/err"; rc=$?
is "failing poststart and poststop hooks: warnings, and the command's status" \
	"$rc:$(cat "$T/err")" \
	"0:minictr: warning: error running poststart hook #0: $T/hook: exit status 5
minictr: warning: error running poststop hook #0: $T/hook: exit status 6"

# --- refusals of bad hooks, by field
bundle '["true"]' '{"prestart": [{"path": "relative"}]}'
oci create --bundle "$T/b" x1 2>"$T/err"
is "a relative hook path is refused" "$(cat "$T/err")" \
	"minictr: config.json: hooks.prestart[0].path: missing, or not an absolute path"
bundle '["true"]' '{"poststop": [{"path": "/bin/true", "timeout": 0}]}'
oci create --bundle "$T/b" x1 2>"$T/err"
is "a zero timeout is refused" "$(cat "$T/err")" \
	"minictr: config.json: hooks.poststop[0].timeout: not a number of seconds, 1 to 86400"
check "no state left after the refusals" no_state

# --- namespaces joined by path: a holder process in each of its own
# nsbundle JSON_NAMESPACES: a bundle that prints its namespaces
nsbundle() {
	bundle '["sh", "-c", "cd /proc/self/ns && for n in net ipc uts cgroup pid mnt; do readlink $n; done"]' '{}'
	python3 - "$T/b/config.json" "$1" <<'PY'
import json, sys
path, ns = sys.argv[1:]
c = json.load(open(path))
c["linux"]["namespaces"] = json.loads(ns)
if "uts" not in ns:
    c.pop("hostname", None)
json.dump(c, open(path, "w"))
PY
}
nsof() { (cd "/proc/$1/ns" && shift && readlink "$@"); }
unshare -n -i -u -C sleep 300 &
holder=$!
wait_for test "$(readlink /proc/$holder/ns/net)" != "$(readlink /proc/self/ns/net)"
nsbundle "[{\"type\": \"pid\"}, {\"type\": \"mount\"},
	{\"type\": \"network\", \"path\": \"/proc/$holder/ns/net\"},
	{\"type\": \"ipc\", \"path\": \"/proc/$holder/ns/ipc\"},
	{\"type\": \"uts\", \"path\": \"/proc/$holder/ns/uts\"},
	{\"type\": \"cgroup\", \"path\": \"/proc/$holder/ns/cgroup\"}]"
oci run --bundle "$T/b" j1 >"$T/out" 2>"$T/err"; rc=$?
is "net, ipc, uts and cgroup joined by path: the holder's" \
	"$rc:$(head -4 "$T/out")" "0:$(nsof $holder net ipc uts cgroup)"
check "pid and mount new: not the holder's" \
	test "$(tail -2 "$T/out")" != "$(nsof $holder pid mnt)"
is "the joined uts namespace got the hostname; the host's did not" \
	"$(nsenter -t $holder -u hostname):$(hostname)" "minictr:$(hostname)"
kill $holder; wait $holder 2>/dev/null

unshare -p -f -m --propagation private sleep 300 &
holder=$!
wait_for pgrep -P $holder >/dev/null
inner=$(pgrep -P $holder)
nsbundle "[{\"type\": \"pid\", \"path\": \"/proc/$inner/ns/pid\"},
	{\"type\": \"mount\", \"path\": \"/proc/$inner/ns/mnt\"}]"
oci run --bundle "$T/b" j2 >"$T/out" 2>"$T/err"; rc=$?
is "pid and mount joined by path: the holder's" \
	"$rc:$(tail -2 "$T/out")" "0:$(nsof $inner pid mnt)"
is "net, ipc, uts, cgroup not asked: minictr's own" \
	"$(head -4 "$T/out")" "$(nsof $$ net ipc uts cgroup)"
# the sleep is PID 1 of its namespace, which takes from us only the
# signals it handles, and SIGKILL; unshare -f then ends with it
kill -KILL $inner; wait $holder 2>/dev/null

nsbundle '[{"type": "pid"}, {"type": "mount"}, {"type": "network", "path": "/proc/1/ns/nope"}]'
oci create --bundle "$T/b" j3 2>"$T/err"; rc=$?
is "a namespace path that does not exist: create fails, one line" \
	"$rc:$(cat "$T/err")" \
	"125:minictr: linux.namespaces: open /proc/1/ns/nope: No such file or directory"
nsbundle '[{"type": "pid"}, {"type": "mount"}, {"type": "ipc", "path": "/proc/self/ns/net"}]'
oci create --bundle "$T/b" j3 2>"$T/err"; rc=$?
is "a path to a namespace of another type: create fails, one line" \
	"$rc:$(cat "$T/err")" \
	"125:minictr: linux.namespaces: join /proc/self/ns/net: Invalid argument"
check "no state left after the joins" no_state

# --- process.terminal: the pty's slave is /dev/console too
bundle '["sh", "-c", "echo via-console >/dev/console; [ \"$(stat -c %t:%T /dev/console)\" = \"$(stat -c %t:%T $(tty))\" ] && echo console-is-tty"]' '{}'
python3 - "$T/b/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["process"]["terminal"] = True
json.dump(c, open(sys.argv[1], "w"))
PY
test/console_recv "$T/console.sock" >"$T/console" 2>&1 &
recv=$!
wait_for test -S "$T/console.sock"
oci create --bundle "$T/b" --console-socket "$T/console.sock" k1 >"$T/out" 2>&1
oci start k1
wait "$recv"
oci delete --force k1
is "/dev/console is the terminal's slave: what is written there reaches the caller" \
	"$(tail -n +2 "$T/console" | tr -d '\r')" $'via-console\nconsole-is-tty'

# --- nothing left
is "no container process left" "$(pgrep -f "$T/b" | grep -c .)" 0
host_unchanged
cgroup_unchanged
summary
