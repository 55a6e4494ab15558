#!/usr/bin/env bash
# test/test_oci.sh - minictr as an OCI runtime, from the outside, as the
# callers drive it (runc's command line): every state transition and
# every refusal, the pid file, the console socket (test/console_recv.c),
# the JSON log line, state after someone else reaped the init (and while
# it is a zombie), --preserve-fds, the config.json refusals, what execve
# would refuse for size, an execve that fails at start, and nothing
# left after delete: state directory, cgroup, mounts, processes.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_oci"
make -s test/console_recv || exit 1

R=$T/root                       # --root: the state directories
build_rootfs "$T/b/rootfs"
host_snapshot before
cgroup_snapshot before
oci() { timeout -k 5 30 "$M" --root "$R" "$@"; }

# bundle ARGS_JSON [terminal]: $T/b/config.json from `spec`, with ARGS
bundle() {
	rm -f "$T/b/config.json"
	(cd "$T/b" && "$M" spec) || return 1
	python3 - "$T/b/config.json" "$1" "${2:-false}" <<'PY'
import json, sys
path, args, terminal = sys.argv[1:]
c = json.load(open(path))
c["process"]["args"] = json.loads(args)
c["process"]["terminal"] = terminal == "true"
json.dump(c, open(path, "w"))
PY
}
# linux KEY JSON: set config.json's linux.KEY
linux() {
	python3 - "$T/b/config.json" "$1" "$2" <<'PY'
import json, sys
path, key, value = sys.argv[1:]
c = json.load(open(path))
c["linux"][key] = json.loads(value)
json.dump(c, open(path, "w"))
PY
}
field() { sed -n "s/.*\"$1\":\"\?\([^\",}]*\).*/\1/p" <<<"$2"; }

# --- spec, --version
mc --version
like "--version in runc's shape" "$out" $'^minictr version [0-9.]+\nspec: 1\\.0\\.2$'
bundle '["sh"]'
(cd "$T/b" && "$M" spec) 2>"$T/err"; rc=$?
is "spec never overwrites config.json" "$rc:$(cat "$T/err")" \
	"125:minictr: File ./config.json exists. Remove it first or use the --bundle option"

# --- create: nothing printed, pid file whole and without newline
bundle '["sh", "-c", "echo out-$HOSTNAME; sleep 30"]'
oci create --bundle "$T/b" --pid-file "$T/pid" c1 >"$T/out" 2>"$T/err"; rc=$?
is "create succeeds and prints nothing" "$rc:$(cat "$T/out" "$T/err")" "0:"
pid=$(cat "$T/pid")
is "the pid file has no newline" "$(od -An -c "$T/pid" | tr -d ' ' | grep -c '\\n')" 0
check "the pid file names a live process" alive "$pid"
is "the init's parent is not minictr (it was reparented)" \
	"$(ps -o comm= -p "$(ps -o ppid= -p "$pid" | tr -d ' ')")" \
	"$(ps -o comm= -p 1)"
st=$(oci state c1)
is "state: created" "$(field status "$st")" created
is "state: the pid" "$(field pid "$st")" "$pid"
is "state: the bundle, absolute" "$(field bundle "$st")" "$T/b"
like "state: created in RFC 3339 with nanoseconds" "$(field created "$st")" \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z$'
check "state: valid JSON" python3 -c "import json,sys; json.loads(sys.argv[1])" "$st"

# --- refusals while created
oci create --bundle "$T/b" c1 2>"$T/err"
has "a duplicate ID is refused in runc's words" "$(cat "$T/err")" \
	"container with given ID already exists"
for id in a/b .. . '' "$(printf 'x%.0s' {1..200})" 'a b' 'a:b'; do
	oci create --bundle "$T/b" -- "$id" 2>"$T/err"; rc=$?
	is "a bad ID ('${id:0:12}') is refused" "$rc:$(grep -c 'invalid container ID\|needs a container ID\|unknown option' "$T/err")" "125:1"
done
is "no state directory but c1's after the bad IDs" "$(ls "$R")" c1

# --- start
oci start c1 >"$T/out" 2>"$T/err"; rc=$?
is "start succeeds" "$rc:$(cat "$T/err")" "0:"
wait_for grep -q out- "$T/out"
is "the container's stdout is create's, passed through" "$(cat "$T/out")" "out-minictr"
is "state: running" "$(field status "$(oci state c1)")" running

# --- list and ps, runc's: the containers of --root, the pids of one
oci list >"$T/out" 2>&1
like "list: runc's columns, then c1 running with its pid and bundle" "$(cat "$T/out")" \
	"^ID +PID +STATUS +BUNDLE +CREATED +OWNER
c1 +$pid +running +$T/b +[0-9T:.-]+Z +root\$"
oci list --format json >"$T/out" 2>&1
is "list --format json: runc's keys, as state says them, and the owner" \
	"$(python3 -c 'import json, sys; [c] = json.load(open(sys.argv[1]))
print(sorted(c), c["id"], c["pid"], c["status"], c["owner"])' "$T/out")" \
	"['bundle', 'created', 'id', 'ociVersion', 'owner', 'pid', 'rootfs', 'status'] c1 $pid running root"
oci list -q >"$T/out" 2>&1
is "list -q: the IDs" "$(cat "$T/out")" c1
oci list c1 2>"$T/err"; rc=$?
is "list takes no container" "$rc:$(head -1 "$T/err")" "125:minictr: list: takes no container"
oci ps --format json c1 >"$T/out" 2>&1
is "ps --format json: a JSON array of its pids" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])))' "$T/out")" "[$pid]"
oci start c1 2>"$T/err"
has "start twice is refused" "$(cat "$T/err")" "cannot start an already running container"
oci delete c1 2>"$T/err"; rc=$?
has "delete of a running container without --force is refused" "$rc:$(cat "$T/err")" \
	"125:minictr: cannot delete container c1 that is not stopped: running"
check "it still runs" alive "$pid"

# --- kill, by name without SIG; then stopped (PID 1 reaped it)
oci kill c1 KILL; rc=$?
is "kill ID KILL" "$rc" 0
wait_for sh -c "! kill -0 $pid 2>/dev/null"
st=$(oci state c1)
is "state: stopped, once host PID 1 reaped the init" "$(field status "$st"):$(field pid "$st")" "stopped:0"
like "list: stopped, pid 0 (as runc)" "$(oci list | tail -1)" "^c1 +0 +stopped "
oci kill c1 TERM 2>"$T/err"; rc=$?
has "kill of a stopped container: container not running" "$rc:$(cat "$T/err")" "125:minictr: container not running"
oci kill --all c1 9; rc=$?
is "kill --all of a stopped container succeeds" "$rc" 0
oci start c1 2>"$T/err"
has "start of a stopped container is refused" "$(cat "$T/err")" \
	"cannot start a container that has stopped"
oci delete c1; rc=$?
is "delete of a stopped container" "$rc" 0
check "delete removed ROOT/ID" test ! -e "$R/c1"
oci delete c1 2>"$T/err"; rc=$?
is "delete of a missing ID: container does not exist" "$rc:$(cat "$T/err")" \
	"125:minictr: container does not exist"
oci delete --force c1; rc=$?
is "delete --force of a missing ID succeeds" "$rc" 0
out=$(oci state c1 2>"$T/err"); rc=$?
is "state of a missing ID: nothing on stdout" "$rc:$out:$(cat "$T/err")" \
	"125::minictr: container does not exist"

# --- signals by number and name reach an init that traps them
bundle '["sh", "-c", "trap \"echo got-term; exit 3\" TERM; echo ready; while :; do sleep 0.1; done"]'
for sig in 15 TERM SIGTERM; do
	oci create --bundle "$T/b" --pid-file "$T/pid" s1 >"$T/out" 2>&1
	oci start s1
	wait_for grep -q ready "$T/out"
	oci kill s1 "$sig"
	wait_for grep -q got-term "$T/out"
	is "kill s1 $sig reaches the init's trap" "$(tail -1 "$T/out")" got-term
	oci delete --force s1
done
oci kill s1 NOSIG 2>"$T/err"
has "an unknown signal is refused" "$(cat "$T/err")" "NOSIG: not a signal"

# --- no pid entry in linux.namespaces: the host's pid namespace, as
# docker's and podman's --pid=host ask (runc's rule); delete --force and
# kill --all reach the processes the init started (its cgroups)
host_pid() { linux namespaces '[{"type": "mount"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}]'; }
bundle '["sh", "-c", "sleep 1009 & exec sleep 1010"]'
host_pid
oci create --bundle "$T/b" --pid-file "$T/pid" hp >"$T/out" 2>"$T/err"; rc=$?
is "create without a pid namespace: the host's" "$rc:$(cat "$T/err")" "0:"
oci start hp
is "the init is in the host's pid namespace" \
	"$(readlink /proc/"$(cat "$T/pid")"/ns/pid)" "$(readlink /proc/$$/ns/pid)"
has "exec there sees the host's processes (this test's shell)" \
	"$(oci exec hp sh -c "cat /proc/$$/comm")" bash
wait_for pgrep -fx "sleep 1009" >/dev/null
oci delete --force hp; rc=$?
is "delete --force: 0, and none of its processes left" \
	"$rc:$(pgrep -fx "sleep 10(09|10)" | grep -c .)" "0:0"

# --- a created container ends at a stop signal at once, as runc's init
# does: not at start.  Its own pid namespace (the init is PID 1: the
# kernel drops a signal it has no handler for) and the host's: a
# subreaper creates, kills, and reaps (alarm: a guard, not a time)
bundle '["sleep", "30"]'
cp "$T/b/config.json" "$T/plain.json"
for ns in own host; do
	cp "$T/plain.json" "$T/b/config.json"
	[ $ns = host ] && host_pid
	# TERM:ign: create's caller ignores SIGTERM (nohup-like); runc's init
	# (Go's runtime) keeps an inherited SIG_IGN for HUP and INT only
	for sig in TERM INT TERM:ign; do
		got=$(python3 - "$M" "$R" "$T/b" "$sig" <<'PY'
import ctypes, os, signal, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)          # PR_SET_CHILD_SUBREAPER
m, r, b, sig = sys.argv[1:]
if sig.endswith(":ign"):
    sig = sig[:-4]
    signal.signal(signal.SIGTERM, signal.SIG_IGN)    # the init inherits it
# stdout: the init's too; a pipe would never see EOF
oci = lambda *a: subprocess.run([m, "--root", r, *a], stdout=subprocess.PIPE
                                if a[0] == "state" else subprocess.DEVNULL, text=True)
oci("create", "--bundle", b, "--pid-file", b + "/k.pid", "k1")
pid = int(open(b + "/k.pid").read())
oci("kill", "k1", sig)
def late(*_):
    raise TimeoutError
signal.signal(signal.SIGALRM, late)
signal.alarm(10)
try:
    _, st = os.waitpid(pid, 0)
    end = "signal %d" % os.WTERMSIG(st) if os.WIFSIGNALED(st) else "exit %d" % os.WEXITSTATUS(st)
except TimeoutError:
    end = "still there after 10 s"
signal.alarm(0)
state = oci("state", "k1").stdout
print(end, "stopped" if '"status":"stopped"' in state else state)
oci("delete", "--force", "k1")
PY
)
		n=$(kill -l ${sig%:ign})
		is "kill k1 $sig between create and start, pid namespace: $ns: it ends at once, stopped" \
			"$got" "$([ $ns = host ] && echo "signal $n" || echo "exit $((128 + n))") stopped"
	done
done
check "no state left" test -z "$(ls "$R")"

# --- state of a zombie: stopped (a subreaper that does not reap yet)
bundle '["sleep", "30"]'
zombie=$(python3 - "$M" "$R" "$T/b" <<'PY'
import ctypes, subprocess, sys, os, time, json
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)          # PR_SET_CHILD_SUBREAPER
m, r, b = sys.argv[1:]
subprocess.run([m, "--root", r, "create", "--bundle", b, "--pid-file", b + "/z.pid", "z1"], check=True)
pid = int(open(b + "/z.pid").read())
subprocess.run([m, "--root", r, "start", "z1"], check=True)
os.kill(pid, 9)
time.sleep(0.3)
st = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[0]
state = json.loads(subprocess.run([m, "--root", r, "state", "z1"], capture_output=True).stdout)
subprocess.run([m, "--root", r, "delete", "z1"], check=True)
os.waitpid(pid, 0)
print(st, state["status"], state["pid"])
PY
)
is "a zombie init (not reaped yet) counts as stopped, pid 0" "$zombie" "Z stopped 0"

# --- --debug shows what was accepted without being done
bundle '["true"]'
linux rootfsPropagation '"rprivate"'
oci --debug create --bundle "$T/b" d1 2>"$T/err" >/dev/null
has "--debug: an accepted rootfsPropagation is shown" "$(cat "$T/err")" \
	"config.json: accepted: linux.rootfsPropagation, mountLabel: every mount is private"
oci create --bundle "$T/b" d2 2>"$T/err"
is "without --debug, nothing" "$(cat "$T/err")" ""
oci delete --force d1
oci delete --force d2

# --- the JSON log: one line per failure, the same words on stderr
oci --log "$T/log.json" --log-format json state nope 2>"$T/err"
is "--log-format json: exactly one line" "$(wc -l <"$T/log.json")" 1
check "--log-format json: level, msg, RFC 3339 time" python3 -c '
import json, re, sys
d = json.loads(open(sys.argv[1]).read())
assert d["level"] == "error" and d["msg"] == "container does not exist", d
assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", d["time"]), d
' "$T/log.json"
is "the same words on stderr" "$(cat "$T/err")" "minictr: container does not exist"
oci --log "$T/log.pause" --log-format json pause c1 2>/dev/null
check "a command minictr lacks (runc's pause) is said in the JSON log too" \
	grep -q '^{"level":"error","msg":"unknown command '"'"'pause'"'"'",' "$T/log.pause"
oci --log "$T/log.txt" kill nope 2>/dev/null
is "--log in text" "$(cat "$T/log.txt")" "container does not exist"

# --- create fails cleanly: runc's words, nothing left behind
bundle '["nope"]'
oci create --bundle "$T/b" n1 2>"$T/err"; rc=$?
is "a command not in the container's PATH: runc's words" "$rc:$(cat "$T/err")" \
	"127:minictr: exec: \"nope\": executable file not found in \$PATH"
check "nothing left after a failed create" test ! -e "$R/n1"
bundle '["/bin/nope"]'
oci create --bundle "$T/b" n1 2>"$T/err"
is "an absolute command that is not there" "$(cat "$T/err")" \
	"minictr: exec: \"/bin/nope\": stat /bin/nope: No such file or directory"
for cmd in /etc/passwd /tmp; do   # there, but not an executable file
	bundle "[\"$cmd\"]"
	oci create --bundle "$T/b" n1 2>"$T/err"; rc=$?
	is "create of $cmd: runc's permission denied, 126" "$rc:$(cat "$T/err")" \
		"126:minictr: exec: \"$cmd\": permission denied"
	check "nothing left after create of $cmd" test ! -e "$R/n1"
done
# what execve(2) refuses for size (E2BIG) is refused by create, with the
# kernel's rule: a string over 128 KiB, or more than a quarter of the
# stack limit in all (here a 10 MB process.env entry)
bundle '["sleep", "30"]'
python3 - "$T/b/config.json" <<'PY2'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["env"].append("BIG=" + "x" * (10 << 20))
json.dump(c, open(sys.argv[1], "w"))
PY2
oci create --bundle "$T/b" n1 2>"$T/err"; rc=$?
is "a 10 MB process.env entry: create refuses it, one line, 126" "$rc:$(cat "$T/err")" \
	"126:minictr: exec sleep: an argument or environment string of 10485764 bytes (the kernel's limit: 131071): Argument list too long"
check "... nothing left" test -z "$(ls "$R")"
oci delete -f n1 2>/dev/null    # with a binary that made it
# an execve that fails at start (a script whose interpreter is missing:
# create sees an executable file): start says why, 127, and the
# container's own stderr has nothing of minictr's
printf '#!/nope\n' >"$T/b/rootfs/bad.sh" && chmod 755 "$T/b/rootfs/bad.sh"
bundle '["/bad.sh"]'
oci create --bundle "$T/b" n1 >"$T/out" 2>&1
oci start n1 2>"$T/err"; rc=$?
is "an execve that fails: start says why (one line, 127)" "$rc:$(cat "$T/err")" \
	"127:minictr: exec /bad.sh: No such file or directory"
is "... the container said nothing, and it is stopped" \
	"$(cat "$T/out"):$(field status "$(oci state n1)")" ":stopped"
oci delete n1
oci run --bundle "$T/b" n1 2>"$T/err" >"$T/out"; rc=$?
is "run --bundle: the same line, 127, nothing left" \
	"$rc:$(cat "$T/err" "$T/out"):$(ls "$R")" \
	"127:minictr: exec /bad.sh: No such file or directory:"
rm "$T/b/rootfs/bad.sh"
bundle '["sh"]'
linux seccomp '{"defaultAction": "SCMP_ACT_NOTIFY"}'
oci create --bundle "$T/b" n1 2>"$T/err"; rc=$?
like "a seccomp profile minictr cannot follow is refused, by name (test_seccomp.sh runs those it can)" \
	"$rc:$(cat "$T/err")" \
	'^125:minictr: config.json: linux.seccomp.defaultAction: not supported: minictr has no seccomp agent$'
bundle '["sh"]' true
oci create --bundle "$T/b" n1 2>"$T/err"
has "a terminal without --console-socket is refused" "$(cat "$T/err")" \
	"cannot allocate tty if runc will detach without setting console socket"
check "nothing left after the refusals" test -z "$(ls "$R")"

# --- the console socket: one fd, a payload, before create exits
bundle '["sh", "-c", "tty; echo tty-ok"]' true
test/console_recv "$T/console.sock" >"$T/console" 2>&1 &
recv=$!
wait_for test -S "$T/console.sock"
oci create --bundle "$T/b" --console-socket "$T/console.sock" t1 >"$T/out" 2>&1; rc=$?
is "create with --console-socket" "$rc:$(cat "$T/out")" "0:"
is "the master arrived before create returned" "$(head -1 "$T/console")" \
	"console: 1 fd, 1 bytes"
oci start t1
wait "$recv"
is "the container's 0-2 are the pty of its own devpts" \
	"$(tail -n +2 "$T/console" | tr -d '\r')" $'/dev/pts/0\ntty-ok'
oci delete t1

# --- --preserve-fds: fd 3 passes with it, not without
bundle '["sh", "-c", "echo kept >&3 && echo fd3-open || echo fd3-closed"]'
for keep in 1 0; do
	oci create --bundle "$T/b" --preserve-fds $keep p1 3>"$T/fd3.$keep" \
		>"$T/out.$keep" 2>&1
	oci start p1
	wait_for grep -q fd3 "$T/out.$keep"
	oci delete --force p1
done
is "--preserve-fds 1 passes fd 3" "$(cat "$T/fd3.1"):$(cat "$T/out.1")" "kept:fd3-open"
like "without, fd 3 is closed" "$(cat "$T/fd3.0"):$(cat "$T/out.0")" \
	"^:.*fd3-closed$"

# --- run --bundle: create + start + wait, the status passed
bundle '["sh", "-c", "exit 7"]'
oci run --bundle "$T/b" r1; rc=$?
is "run --bundle passes the exit status" "$rc" 7
check "run --bundle leaves no state" test ! -e "$R/r1"

# --- run --bundle with process.terminal (spec's default), not detached,
# no console socket: the terminal is made and relayed as run -t's.  Under
# script(1), a terminal of ours; timeout --foreground, else minictr would
# be in a background group and its tcsetattr stopped by SIGTTOU.
bundle '["sh", "-c", "tty; read l; echo got $l; exit 5"]' true
echo hello | timeout --foreground -k 5 30 script -qec \
	"'$M' --root '$R' run --bundle '$T/b' tt" /dev/null >"$T/out" 2>&1
rc=$?
like "run --bundle, a terminal, no console socket: relayed, status passed" \
	"$rc:$(tr -d '\r' <"$T/out" | grep -vx hello | tr '\n' ' ')" \
	'^5:/dev/pts/[0-9]+ got hello $'
oci run --bundle "$T/b" tt </dev/null >"$T/out" 2>&1; rc=$?
like "so without a terminal of ours (stdin /dev/null)" \
	"$rc:$(tr -d '\r' <"$T/out" | tr '\n' ' ')" '^5:/dev/pts/[0-9]+ got $'
oci run -d --bundle "$T/b" tt 2>"$T/err"; rc=$?
is "detached, it still needs the console socket (runc's rule)" \
	"$rc:$(cat "$T/err")" "125:minictr: cannot allocate tty if runc will detach without setting console socket"
check "none leaves state" test ! -e "$R/tt"

# --- features: runc's JSON, and each list is what config.json accepts
mc features
feat=$out
is "features: runc's keys, valid JSON" "$(python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sorted(d), sorted(d["linux"]), d["linux"]["seccomp"]["enabled"])' \
	<<<"$feat" 2>&1)" "['annotations', 'hooks', 'linux', 'mountOptions', \
'ociVersionMax', 'ociVersionMin'] ['apparmor', 'capabilities', 'cgroup', \
'namespaces', 'seccomp', 'selinux'] True"
listed() { python3 -c 'import json, sys; d = json.load(sys.stdin)
for k in sys.argv[1].split("."): d = d[k]
print(" ".join(d))' "$1" <<<"$feat"; }
# try ns|cap VALUE: does run --bundle take a config.json with that namespace
# (and pid, mount), or grant that capability alone (CapBnd not all 0)?
# Two templates, made once (python starts slowly), VALUE put in by sed.
bundle '["sh", "-c", "grep -q \"^CapBnd:[[:space:]]*0*[1-9a-f]\" /proc/self/status"]'
python3 - "$T/b/config.json" "$T" <<'PY'
import json, sys
path, t = sys.argv[1:]
c = json.load(open(path))
c.pop("hostname")               # it needs a uts namespace
ns = dict(c, linux=dict(c["linux"], namespaces=[{"type": n} for n in
						("pid", "mount", "@V@")]))
json.dump(ns, open(t + "/ns.json", "w"))
for k in "uidMappings", "gidMappings":      # a user namespace has its maps
    ns["linux"][k] = [{"containerID": 0, "hostID": 0, "size": 65536}]
json.dump(ns, open(t + "/nsuser.json", "w"))
c["process"]["capabilities"] = {k: ["@V@"] for k in
				("bounding", "effective", "permitted")}
json.dump(c, open(t + "/cap.json", "w"))
PY
try() {
	sed "s/@V@/$2/" "$T/$1.json" >"$T/b/config.json"
	oci run --bundle "$T/b" f1 >/dev/null 2>&1
}
took=""
for ns in pid network mount ipc uts cgroup user time; do
	tmpl=ns; [ "$ns" = user ] && tmpl=nsuser
	try $tmpl "$ns" && took="$took $ns"
done
is "features: the namespaces listed are those config.json takes" \
	"$(tr ' ' '\n' <<<"$(listed linux.namespaces)" | sort | xargs)" \
	"$(tr ' ' '\n' <<<"$took" | sort | xargs)"
took=""
for cap in CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID \
	SETUID SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN \
	NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE \
	SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME \
	SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP \
	MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ \
	PERFMON BPF CHECKPOINT_RESTORE; do
	try cap "CAP_$cap" && took="$took CAP_$cap"
done
is "features: the capabilities listed are those config.json grants" \
	"$(listed linux.capabilities)" "${took# }"
has "features: the mount options include rbind" " $(listed mountOptions) " \
	" rbind "
has "features: the mount options include strictatime" \
	" $(listed mountOptions) " " strictatime "
# a prestart hook (docker adds one to every container): listed if taken
sed 's/"@V@"/"pid"/; s/^{/{"hooks": {"prestart": [{"path": "\/bin\/true"}]}, /' \
	"$T/ns.json" >"$T/b/config.json"
if oci run --bundle "$T/b" f1 >/dev/null 2>&1; then took=prestart; else took=""; fi
is "features: the hook kinds listed are those config.json takes" \
	"$(listed hooks | grep -o prestart)" "$took"

# --- config.json's fields, done inside: mounts, capabilities, rlimits,
# hostname, masks, the host's network when none is asked
mkdir -p "$T/vol" && echo vol-data >"$T/vol/f"
bundle '["sh", "-c", "cat /data/f; grep -E \"^Cap(Eff|Bnd)\" /proc/self/status; ulimit -n; hostname; grep -E \" /(data|run|mnt) \" /proc/self/mounts; cat /proc/version 2>&1 | wc -c; ls /sys/class/net | tr \"\\n\" \" \"; touch /data/x 2>&1 | grep -o Read-only"]'
python3 - "$T/b/config.json" "$T/vol" <<'PY'
import json, sys
path, vol = sys.argv[1:]
c = json.load(open(path))
c["hostname"] = "mapped"
c["process"]["capabilities"] = {k: ["CAP_KILL", "CAP_CHOWN", "CAP_MKNOD"] for k in ("bounding", "effective", "permitted")}
c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 77, "hard": 88}]
c["mounts"] += [{"destination": "/data", "type": "bind", "source": vol, "options": ["rbind", "ro", "nodev"]},
                {"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "size=1m", "mode=700"]}]
c["linux"]["maskedPaths"].append("/proc/version")
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
json.dump(c, open(path, "w"))
PY
oci run --bundle "$T/b" m1 >"$T/out" 2>"$T/err"; rc=$?
is "run --bundle with the mapped fields" "$rc:$(cat "$T/err")" "0:"
out=$(cat "$T/out")
has "mounts: a bind from the host" "$out" "vol-data"
has "capabilities: exactly those asked (CAP_MKNOD too: the device policy)" \
	"$out" $'CapBnd:\t0000000008000021'
has "capabilities: effective too" "$out" $'CapEff:\t0000000008000021'
has "rlimits: RLIMIT_NOFILE soft" "$out" $'\n77\n'
has "hostname" "$out" $'\nmapped\n'
like "a ro, nodev bind" "$out" $'[^\n]* /data [^\n]*ro,nodev'
like "a tmpfs with size= and mode=" "$out" $'tmpfs /run tmpfs rw,nosuid[^\n]*size=1024k,mode=700'
has "maskedPaths on top of minictr's: /proc/version reads empty" "$out" $'\n0\n'
has "no network namespace asked: the host's interfaces" "$out" \
	"$(ls /sys/class/net | tr '\n' ' ')"
has "read-only means read-only" "$out" "Read-only"

# --- limits: a cgroup while it runs, none after delete --force
bundle '["sleep", "30"]'
linux resources '{"memory": {"limit": 33554432}, "pids": {"limit": 16}}'
oci create --bundle "$T/b" --pid-file "$T/pid" l1
oci start l1
pid=$(cat "$T/pid")
cg=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ || $2 == "" {print $3}' "/proc/$pid/cgroup" | head -1)
limit=$(cat /sys/fs/cgroup/memory"$cg"/memory.limit_in_bytes 2>/dev/null ||
	cat /sys/fs/cgroup/unified"$cg"/memory.max 2>/dev/null || cat /sys/fs/cgroup"$cg"/memory.max)
is "linux.resources.memory.limit is the container's limit" "$limit" 33554432
oci delete --force l1; rc=$?
is "delete --force of a running container" "$rc" 0
is "its init is gone" "$(alive "$pid" && echo alive)" ""
is "its cgroup is gone" "$(find /sys/fs/cgroup -path "*$cg" 2>/dev/null | grep -c .)" 0
# swap: memory and swap together (docker sends twice the limit): v1 keeps
# the sum, v2 the swap alone
linux resources '{"memory": {"limit": 33554432, "swap": 67108864}}'
oci create --bundle "$T/b" --pid-file "$T/pid" ls1
cg=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ || $2 == "" {print $3}' "/proc/$(cat "$T/pid")/cgroup" | head -1)
swap=$(sed 's/^/v1 /' /sys/fs/cgroup/memory"$cg"/memory.memsw.limit_in_bytes 2>/dev/null ||
	sed 's/^/v2 /' /sys/fs/cgroup/unified"$cg"/memory.swap.max 2>/dev/null ||
	sed 's/^/v2 /' /sys/fs/cgroup"$cg"/memory.swap.max)
case $swap in "v1 67108864"|"v2 33554432") swap=ok ;; esac
is "linux.resources.memory.swap: memory and swap together (v1: 64M; v2: 32M of swap)" "$swap" ok
oci delete --force ls1
# a limit the host refuses: config.json's field named, not run's flag
bundle '["true"]'
linux resources '{"memory": {"limit": 1}}'
out=$(oci create --bundle "$T/b" l2 2>&1); rc=$?
is "a memory limit below 6M: the field named, 125" "$rc:$out" \
	"125:minictr: linux.resources.memory.limit: 1B is below the minimum, 6M: the kernel would kill the container before its command ran"
oci delete --force l2 2>/dev/null
# swap without a limit: nothing to add it to; runc refuses it (was ignored)
linux resources '{"memory": {"swap": 67108864}}'
oci create --bundle "$T/b" l3 >/dev/null 2>"$T/err"; rc=$?   # base: made
is "linux.resources.memory.swap without a limit: 125, the field named" "$rc:$(cat "$T/err")" \
	"125:minictr: config.json: linux.resources.memory.swap: without linux.resources.memory.limit: it is memory and swap together (-1: unlimited swap)"
oci delete --force l3 2>/dev/null
n=$(nproc)
linux resources '{"cpu": {"quota": '$(( (n + 1) * 100000 ))', "period": 100000}}'
out=$(oci create --bundle "$T/b" l3 2>&1); rc=$?
is "a CPU quota above the host's CPUs: the field named, 125" "$rc:$out" \
	"125:minictr: linux.resources.cpu.quota: range of CPUs is from 0.01 to $n.00, as there are only $n CPUs available"
oci delete --force l3 2>/dev/null
rm -rf "$R/l2" "$R/l3"  # what a failed create left (another change's fix)

# --- linux.cgroupsPath: the cgroup where the caller asks, gone at delete
# cgpath DIR: the init's cgroup in the memory hierarchy (v1, else v2)
cgpath() { awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3; exit} $2 == "" {v2 = $3}
	END {if (!NR) print v2}' "$1"; }
memlimit() { cat "/sys/fs/cgroup/memory$1/memory.limit_in_bytes" 2>/dev/null ||
	cat "/sys/fs/cgroup/unified$1/memory.max" 2>/dev/null || cat "/sys/fs/cgroup$1/memory.max"; }
P=mctest$$
own=$(cgpath /proc/self/cgroup); own=${own%/}
cgrun() {       # ID CGROUPSPATH [--systemd-cgroup]: created, started
	bundle '["sleep", "30"]'
	linux cgroupsPath "\"$2\""
	linux resources '{"memory": {"limit": 33554432}}'
	oci ${3:-} create --bundle "$T/b" --pid-file "$T/pid" "$1" && oci start "$1"
	cg=$(cgpath "/proc/$(cat "$T/pid")/cgroup")
}
cgrun p1 "/$P/abs"
is "cgroupsPath /a/b: from the hierarchy's root" "$cg" "/$P/abs"
is "cgroupsPath /a/b: its memory limit" "$(memlimit "/$P/abs")" 33554432
cgrun p2 "$P/rel"
is "cgroupsPath a/b: below minictr's own cgroup" "$cg" "$own/$P/rel"
cgrun p3 "$P-a.slice:mct:s1" --systemd-cgroup
is "--systemd-cgroup: slice:prefix:name as systemd places it" "$cg" \
	"/$P.slice/$P-a.slice/mct-s1.scope"
is "--systemd-cgroup: its memory limit" \
	"$(memlimit "/$P.slice/$P-a.slice/mct-s1.scope")" 33554432
for id in p1 p2 p3; do oci delete --force $id; done
is "cgroupsPath: each container's cgroup is gone after delete" \
	"$(find /sys/fs/cgroup -name abs -o -name rel -o -name mct-s1.scope 2>/dev/null |
	   grep -c "$P")" 0
# the parents are made and left, as runc leaves them: the test's own
find /sys/fs/cgroup -depth -type d -name "$P*" -exec rmdir {} + 2>/dev/null
bundle '["true"]'
linux cgroupsPath '"a/../../x"'
oci create --bundle "$T/b" p4 2>"$T/err"
is "cgroupsPath with .. is refused" "$(cat "$T/err")" \
	"minictr: config.json: linux.cgroupsPath: a .. would leave the hierarchy"
linux cgroupsPath '"a:b"'
oci --systemd-cgroup create --bundle "$T/b" p4 2>"$T/err"
is "--systemd-cgroup: a path not slice:prefix:name is refused" "$(cat "$T/err")" \
	"minictr: config.json: linux.cgroupsPath: not slice:prefix:name, as --systemd-cgroup wants"
check "nothing left after a refused cgroupsPath" test ! -e "$R/p4"

# --- nothing left
is "no state directory left" "$(ls "$R")" ""
is "no container process left" "$(pgrep -f "$T/b" | grep -c .)" 0
host_unchanged
cgroup_unchanged
summary
