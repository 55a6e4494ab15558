#!/usr/bin/env bash
# test/test_exec.sh - `minictr exec`, from the outside: into a container
# made by `create` and `start`, as the callers (runc's form: --process,
# --detach --pid-file, --console-socket) and people (docker's: -ti -e -w)
# do it.  The exec'd process has the init's namespaces, cgroups,
# capabilities and no_new_privs, TIOCSTI is refused to it, the
# container's seccomp.bpf is its filter; foreground exits pass through,
# -t works through a real terminal (tmux); the refusals use runc's words;
# and nothing is left behind.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_exec"
make -s test/console_recv || exit 1

R=$T/root
build_rootfs "$T/b/rootfs"
echo "alice:x:1000:1000:Alice:/home/alice:/bin/sh" >>"$T/b/rootfs/etc/passwd"
make -s test/seccomp_try >/dev/null && cp test/seccomp_try "$T/b/rootfs/bin/" || exit 1
cc -O2 -static -no-pie -o "$T/b/rootfs/tiocsti" test/tiocsti.c || exit 1
host_snapshot before
cgroup_snapshot before
oci() { timeout -k 5 30 "$M" --root "$R" "$@"; }
# also after a failure: the container (with what was exec'd in it, its
# cgroups), the console receiver, the tmux server
trap '[ -n "${recv:-}" ] && kill "$recv" 2>/dev/null
	tmux -S "$T/tmux.sock" kill-server 2>/dev/null
	oci delete --force c1 >/dev/null 2>&1; rm -rf "$T"' EXIT
status_of() { grep "^$2:" "/proc/$1/status" | cut -f2; }

# the container: a memory limit (so it has cgroups of its own), an env
(cd "$T/b" && "$M" spec) || exit 1
python3 - "$T/b/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["sleep", "300"]
c["process"]["terminal"] = False
c["process"]["env"].append("FROM_CONFIG=yes")
c["linux"]["resources"] = {"memory": {"limit": 33554432}}
json.dump(c, open(sys.argv[1], "w"))
PY
oci create --bundle "$T/b" --pid-file "$T/init.pid" c1 || exit 1
init=$(cat "$T/init.pid")

# --- exec into a created container: runc allows it, so does minictr
oci exec c1 true; rc=$?
is "exec into a created container (runc allows it)" "$rc" 0
oci start c1

# --- detached, with a pid file: the callers' way
oci exec --detach --pid-file "$T/e1.pid" c1 sleep 100 >"$T/out" 2>&1; rc=$?
is "exec --detach succeeds and prints nothing" "$rc:$(cat "$T/out")" "0:"
is "the pid file has no newline" "$(od -An -c "$T/e1.pid" | grep -c '\\n')" 0
e1=$(cat "$T/e1.pid")
check "the pid file names a live process" alive "$e1"
is "minictr did not stay: its parent is not minictr" \
	"$(ps -o comm= -p "$(ps -o ppid= -p "$e1" | tr -d ' ')")" "$(ps -o comm= -p 1)"
for ns in mnt pid net uts ipc user cgroup; do
	is "namespace $ns: the init's" "$(readlink "/proc/$e1/ns/$ns")" \
		"$(readlink "/proc/$init/ns/$ns")"
done
is "cgroups: the init's, in every hierarchy" "$(cat "/proc/$e1/cgroup")" \
	"$(cat "/proc/$init/cgroup")"
like "... among them the container's own" "$(cat "/proc/$e1/cgroup")" "minictr-"
for cap in CapEff CapPrm CapBnd CapInh CapAmb NoNewPrivs; do
	is "$cap: the init's" "$(status_of "$e1" $cap)" "$(status_of "$init" $cap)"
done
is "NoNewPrivs is on" "$(status_of "$e1" NoNewPrivs)" 1
is "Seccomp: a filter" "$(status_of "$e1" Seccomp)" 2
kill "$e1"

# --- in the foreground: the status, the environment, the directory
oci exec c1 sh -c 'exit 7'; rc=$?
is "foreground: the process's exit status" "$rc" 7
oci exec c1 sh -c 'kill -9 $$'; rc=$?
is "foreground: killed by SIGKILL is 137" "$rc" 137
out=$(oci exec -e X=1 -e FROM_CONFIG=over c1 sh -c 'echo $X $FROM_CONFIG $HOSTNAME' 2>&1)
is "env: the container's, then -e (which wins)" "$out" "1 over minictr"
out=$(oci exec c1 sh -c 'echo $FROM_CONFIG; echo $$' 2>&1)
like "env: the container's process.env; a pid of the container's, not 1" \
	"$out" $'^yes\n([2-9]|[1-9][0-9]+)$'
out=$(oci exec -w /tmp c1 pwd 2>&1)
is "-w DIR: docker's working directory" "$out" /tmp
out=$(oci exec --cwd /etc c1 pwd 2>&1)
is "--cwd DIR: runc's" "$out" /etc
out=$(echo piped | oci exec -i c1 cat 2>&1)
is "-i: stdin passes" "$out" piped
out=$(echo piped | oci exec c1 cat 2>&1)
is "without -i: stdin is /dev/null (docker's)" "$out" ""
oci exec c1 nope 2>"$T/err"; rc=$?
is "a command not in the container's PATH: runc's words, 127" "$rc:$(cat "$T/err")" \
	"127:minictr: exec: \"nope\": executable file not found in \$PATH"

# --- TIOCSTI: refused by the filter (EPERM before the kernel looks at
# the fd: without the filter these pipes say ENOTTY, and it exits 1)
oci exec c1 /tiocsti /tmp/x >"$T/tiocsti" 2>&1; rc=$?
is "exec: every TIOCSTI/TIOCLINUX gets EPERM from the filter" "$rc" 0
"$T/b/rootfs/tiocsti" /tmp/x >/dev/null 2>&1 </dev/null; rc=$?
is "control: without the filter, the same program does not exit 0" "$rc" 1

# --- --process FILE: runc's form, what containerd's shim writes
cat >"$T/p.json" <<'EOF'
{"args": ["sh", "-c", "grep -E '^Cap(Eff|Bnd)' /proc/self/status; pwd; echo $ONLY"],
 "env": ["PATH=/bin", "ONLY=process"], "cwd": "/bin", "terminal": false,
 "user": {"uid": 0, "gid": 0},
 "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}}
EOF
out=$(oci exec --process "$T/p.json" c1 2>&1)
is "--process: its args, env, cwd and capabilities, whole" "$out" \
	$'CapEff:\t0000000000000020\nCapBnd:\t0000000000000020\n/bin\nprocess'
sed -i 's/"uid": 0/"uid": 1000/' "$T/p.json"
out=$(oci exec --process "$T/p.json" c1 2>&1)
is "--process: user.uid 1000, a user who is not root: no effective capabilities" "$out" \
	$'CapEff:\t0000000000000000\nCapBnd:\t0000000000000020\n/bin\nprocess'

# --- the console socket: a detached terminal, its master sent
cat >"$T/t.json" <<'EOF'
{"args": ["sh", "-c", "tty; echo tty-ok"], "cwd": "/", "terminal": true}
EOF
test/console_recv "$T/console.sock" >"$T/console" 2>&1 &
recv=$!
wait_for test -S "$T/console.sock"
oci exec --process "$T/t.json" --console-socket "$T/console.sock" --detach \
	--tty --pid-file "$T/t.pid" c1 >"$T/out" 2>&1; rc=$?
is "exec --console-socket --detach (conmon adds --tty)" "$rc:$(cat "$T/out")" "0:"
[ "$rc" = 0 ] || kill "$recv"
wait "$recv"
is "the master arrived, one fd" "$(head -1 "$T/console")" "console: 1 fd, 1 bytes"
like "the process's 0-2: a pty of the container's devpts" \
	"$(tail -n +2 "$T/console" | tr -d '\r')" $'^/dev/pts/[0-9]+\ntty-ok$'

# --- the container's seccomp.bpf is the exec's filter (x86_64: a filter
# for chdir(2), 80, returning EPERM, and nothing else)
if [ "$(uname -m)" = x86_64 ]; then
	python3 - "$R/c1/seccomp.bpf" <<'PY'
import struct, sys
ins = [(0x20, 0, 0, 4), (0x15, 0, 3, 0xc000003e),    # arch == x86_64
       (0x20, 0, 0, 0), (0x15, 0, 1, 80),            # nr == chdir
       (0x06, 0, 0, 0x00050001), (0x06, 0, 0, 0x7fff0000)]
open(sys.argv[1], "wb").write(b"".join(struct.pack("<HBBI", *i) for i in ins))
PY
	out=$(oci exec c1 sh -c 'cd /tmp && echo moved || echo refused' 2>/dev/null)
	is "ROOT/ID/seccomp.bpf: the container's filter is the exec's" "$out" refused
	out=$(oci exec c1 /tiocsti /tmp/x 2>&1 | grep -c "Operation not permitted")
	is "... instead of the TIOCSTI one (which is the filter helper's to add)" "$out" 0
	printf 'xyz' >"$R/c1/seccomp.bpf"
	oci exec c1 true 2>"$T/err"; rc=$?
	is "a seccomp.bpf that is not whole instructions is refused" "$rc:$(cat "$T/err")" \
		"125:minictr: c1/seccomp.bpf: not a whole seccomp filter"
	rm -f "$R/c1/seccomp.bpf"
fi

# --- --trace (or --debug): the joins as the calls they are
oci exec --trace c1 true 2>"$T/trace"
has "--trace: setns of the pid namespace, by minictr" "$(cat "$T/trace")" \
	"minictr: setns("
like "--trace: ... then the others, mount last, by the child" \
	"$(grep -o 'setns([0-9]*, CLONE_NEW[A-Z]*)' "$T/trace" | tr '\n' ' ')" \
	'CLONE_NEWPID.*CLONE_NEWIPC.*CLONE_NEWUTS.*CLONE_NEWNET.*CLONE_NEWNS\) $'
like "--trace: the cgroup joined by writing 0 to cgroup.procs" "$(cat "$T/trace")" \
	'minictr\[[0-9]+\]: open\("[^"]*/minictr-[^"]*/cgroup.procs", O_WRONLY\|O_CLOEXEC\) = ([0-9]+).*minictr\[[0-9]+\]: write\([0-9]+, "0", 1\) = 1'

if command -v strace >/dev/null; then
	mkdir "$T/strace"
	timeout -k 5 60 strace -ff -qq -s 4096 -o "$T/strace/s" \
		"$M" --root "$R" exec --trace c1 true >/dev/null 2>"$T/trace"
	python3 test/trace_check.py "$T/trace" "$T/strace" >"$T/check"; rc=$?
	is "--trace: each line written as a call is that call, as strace saw it" \
		"$rc:$(grep -c 'setns' "$T/check"):$(grep -v '^ok' "$T/check")" "0:5:"
fi

# --- -t through a real terminal: tmux is the user's
if command -v tmux >/dev/null; then
	tm() { tmux -S "$T/tmux.sock" "$@"; }
	screen() { tm capture-pane -p -J -t t -S -100; }
	screen_has() { screen | grep -qE "$1"; }
	type_line() { tm send-keys -t t -l "$1"; tm send-keys -t t Enter; }
	tm new-session -d -s t -x 80 -y 24 \
		"env -i PATH=$PATH TERM=screen PS1='host\$ ' bash --norc --noprofile"
	wait_for screen_has '^host'
	type_line "$M --root $R exec -ti c1 sh; echo rc=\$?"
	wait_for screen_has '^/ # '
	type_line 'echo "in-$(tty)-$(stty size)"; exit 5'
	wait_for screen_has '^rc='
	like "exec -ti: a shell on a pty of the container, the window's size" \
		"$(screen)" $'\nin-/dev/pts/[0-9]+-24 80'
	has "exec -ti: the shell's exit status" "$(screen)" $'\nrc=5'
	tm kill-server
else
	echo "# no tmux: exec -ti through a terminal not checked"
fi

# --- refusals, in runc's words
oci exec nope true 2>"$T/err"; rc=$?
is "exec into a missing container" "$rc:$(cat "$T/err")" \
	"125:minictr: container does not exist"
oci exec ../c1 true 2>"$T/err"; rc=$?
like "exec with a bad ID" "$rc:$(cat "$T/err")" "^125:minictr: invalid container ID"
oci exec -d -t c1 sh 2>"$T/err"; rc=$?
is "-d -t without a console socket" "$rc:$(cat "$T/err")" \
	"125:minictr: cannot allocate tty if runc will detach without setting console socket"
out=$(oci exec -u alice c1 sh -c 'id -u; grep CapEff /proc/self/status; echo $HOME' 2>&1)
is "-u NAME: looked up in the container's /etc/passwd; CapEff 0, its HOME" "$out" \
	$'1000\nCapEff:\t0000000000000000\n/home/alice'
oci exec -u nobody-here c1 true 2>"$T/err"; rc=$?
like "-u of a name the container's /etc/passwd lacks: one line, 125" "$rc:$(cat "$T/err")" \
	"^125:minictr: .*nobody-here"
# --- run -d and run --name containers: exec gets their filter (ROOT/ID/
# seccomp.bpf, written as create writes it) and, without no_new_privs,
# installs it before -u's user loses CAP_SYS_ADMIN (init.c, caps.c)
printf '%s\n' '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":33}]}' >"$T/deny.json"
oci run -d --name n1 --rootfs "$T/b/rootfs" --security-opt "seccomp=$T/deny.json" sleep 300 >/dev/null
oci run -d --name n2 --rootfs "$T/b/rootfs" --security-opt no-new-privileges=false sleep 300 >/dev/null
oci exec n1 seccomp_try native getppid >"$T/out" 2>&1; rc=$?
is "run -d --security-opt seccomp=FILE: exec gets the profile's filter" "$rc:$(cat "$T/out")" \
	"0:getppid: Numerical argument out of domain"
oci exec -u alice n1 sh -c 'seccomp_try native getppid; id -u' >"$T/out" 2>&1; rc=$?
is "run -d with a profile: exec -u NAME gets it too" "$rc:$(cat "$T/out")" \
	$'0:getppid: Numerical argument out of domain\n1000'
oci exec n2 seccomp_try native unshare >"$T/out" 2>&1; rc=$?
is "run -d, docker's default profile: exec is refused unshare -U as the container is" \
	"$rc:$(cat "$T/out")" "0:unshare: Operation not permitted"
oci exec -u alice n2 sh -c 'seccomp_try native unshare; grep -E "^(Seccomp|NoNewPrivs|CapEff):" /proc/self/status' >"$T/out" 2>&1; rc=$?
is "no-new-privileges=false, exec -u NAME: the filter still goes in (before the user loses CAP_SYS_ADMIN)" \
	"$rc:$(cat "$T/out")" $'0:unshare: Operation not permitted\nCapEff:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t2'
# ... and the rest of its confinement: the words run was given (run.json)
oci run -d --name n3 --rootfs "$T/b/rootfs" --cap-drop ALL -e FOO=bar sleep 300 >/dev/null
out=$(oci exec n3 sh -c 'grep -E "^(CapBnd|NoNewPrivs)" /proc/self/status; echo $FOO' 2>&1)
is "run -d --cap-drop ALL -e: exec has its capabilities, no_new_privs and environment" \
	"$out" $'CapBnd:\t0000000000000000\nNoNewPrivs:\t1\nbar'
# ... and the environment it was given, --env-file's as they were then
# (recorded in run.json: the file is gone, the caller's HOSTV changed)
printf 'FROM_FILE=yes\nBOTH=file\n# a comment\nHOSTV\n' >"$T/env"
HOSTV=then oci run -d --name n4 --rootfs "$T/b/rootfs" --env-file "$T/env" \
	-e BOTH=dash sleep 300 >/dev/null
rm "$T/env"
out=$(HOSTV=now oci exec n4 sh -c 'echo $FROM_FILE $BOTH $HOSTV' 2>&1)
is "run -d --env-file: exec has the file's variables, -e over them, KEY as it was at run" \
	"$out" "yes dash then"
out=$(oci exec -e BOTH=exec n4 sh -c 'echo $FROM_FILE $BOTH' 2>&1)
is "run -d --env-file: exec's own -e wins" "$out" "yes exec"
oci rm -f n1 n2 n3 n4 >/dev/null 2>&1
is "the named containers are gone" "$(ls "$R" | grep -vx c1)" ""

oci exec c1 2>"$T/err"; rc=$?
has "no command" "$rc:$(cat "$T/err")" "125:minictr: exec: needs a command"
oci kill c1 KILL
wait_for sh -c "! kill -0 $init 2>/dev/null"
oci exec c1 true 2>"$T/err"; rc=$?
is "exec into a stopped container" "$rc:$(cat "$T/err")" \
	"125:minictr: cannot exec in a stopped container"

# --- nothing left
is "exec leaves nothing in ROOT/ID" "$(ls "$R/c1")" $'config.json\nstate.json'
oci delete c1
is "no state directory left" "$(ls "$R")" ""
is "no minictr process left" "$(pgrep -f "^$M --root $R" | grep -c .)" 0
is "no exec'd process left" "$(alive "$e1" && echo alive)" ""
host_unchanged
cgroup_unchanged
summary
