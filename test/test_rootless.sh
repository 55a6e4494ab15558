#!/bin/bash
# test/test_rootless.sh - minictr run by an ordinary user (rootless), and
# root's --userns=auto and --cgroupns.
#
# The user is an unused uid, not a line in /etc/passwd: setpriv(1) becomes
# it (--reuid/--regid, no groups), with HOME and XDG_RUNTIME_DIR in the
# suite's scratch directory, so nothing on the host is made or left.
# Where /etc files must say more (a subuid range, the user's name for
# newuidmap, root's range for --userns=auto), files of the suite are bound
# over them in a PRIVATE mount namespace (unshare -m): the host's own
# /etc is never written.  Needs root (to become the user), setpriv,
# unshare, and user namespaces that the kernel allows to users.
. "$(dirname "$0")/lib.sh"
need_root test_rootless.sh
trap 'tmux -S "$T/tmux.sock" kill-server 2>/dev/null; rm -rf "$T"' EXIT
for tool in setpriv unshare python3; do
	command -v $tool >/dev/null ||
		{ echo "1..0 # SKIP $tool missing (make test-deps)"; exit 77; }
done

# an unused uid: no passwd line, no process
for ID in $(seq 60100 60999); do
	getent passwd $ID >/dev/null || pgrep -U $ID >/dev/null || break
done
U=$T/user                       # the user's HOME and XDG_RUNTIME_DIR
mkdir -m 700 "$U" && chown $ID:$ID "$U"
as_user() {
	setpriv --reuid=$ID --regid=$ID --clear-groups env -i PATH="$PATH" \
		HOME="$U" XDG_RUNTIME_DIR="$U" "$@"
}
if ! as_user unshare -U true 2>/dev/null; then
	echo "1..0 # SKIP user namespaces are not allowed to users here"
	exit 77
fi
# the user's copy of minictr: $M's directory may be closed to it (make
# mutate's scratch trees are 0700)
UM=$T/minictr
cp "$M" "$UM" && chmod 755 "$UM"
# mu ARGS...: `minictr ARGS` as the user; sets $out, $err, $rc (see mc)
mu() {
	as_user timeout -k 5 60 "$UM" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
R=$T/rootfs                     # the user's own root filesystem
build_rootfs "$R"
make -s test/seccomp_try >/dev/null && cp test/seccomp_try "$R/bin/" || exit 1
chown -R $ID:$ID "$R"
mkdir -m 777 "$T/vol"
host_snapshot before
cgroup_snapshot before

echo "# one ID: no /etc/subuid line for uid $ID"
mu run sh -c 'id -u; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; echo pid=$$'
is "rootless: runs" "$rc" 0
like "rootless: root inside" "$out" "^0"$'\n'
like "rootless: uid_map is 0 $ID 1" "$out" $'\n'" +0 +$ID +1"$'\n'
like "rootless: gid_map is 0 $ID 1" "$out" " +0 +$ID +1"$'\n'"deny"
has "rootless: setgroups is denied" "$out" "deny"
has "rootless: the command is PID 1" "$out" "pid=1"
has "rootless: one ID is said" "$err" "note: one ID mapped"
mu run true
is "rootless: ... once, not on every run" "$err" ""

mu run -h box sh -c 'hostname; cat /sys/class/net/lo/operstate; ps -o pid= | wc -l'
is "rootless: hostname, lo, a /proc of its own (sh, ps, wc)" "$out" \
	"box"$'\n'"unknown"$'\n'"3"

mu run --rootfs "$R" -h box sh -c 'echo $$; hostname; cat /etc/hostname; ls /; echo x >/dev/null && echo null-ok; mount | grep devpts'
is "rootless --rootfs: runs" "$rc" 0
like "rootless --rootfs: PID 1, hostname, generated /etc/hostname" "$out" \
	"^1"$'\n'"box"$'\n'"box"$'\n'
like "rootless --rootfs: DIR is /" "$out" $'\n'"bin"$'\n'"dev"$'\n'"etc"$'\n'
has "rootless --rootfs: /dev/null (bound from the host) works" "$out" null-ok
like "rootless --rootfs: devpts without gid=5 (gid 5 is not mapped)" \
	"$(grep devpts <<<"$out")" '^devpts on /dev/pts [^g]*$'

mu run --rootfs "$R" --net host sh -c 'ls /sys/class/net | grep -c . ; touch /sys/x'
like "rootless --net host: the host's /sys, bound read-only" "$err" \
	"Read-only file system"
[ "${out:-0}" -gt 1 ] && ok "rootless --net host: the host's interfaces in /sys" ||
	not_ok "rootless --net host: the host's interfaces in /sys" "got: $out"

mu run --rootfs "$R" -v "$T/vol:/vol" -v "$T/vol:/ro:ro" --read-only \
	sh -c 'echo hi >/vol/made; touch /ro/no; touch /no; cat /vol/made'
is "rootless: a volume is written" "$out" hi
is "rootless: the file is the user's on the host" "$(stat -c %u "$T/vol/made")" $ID
has "rootless: a :ro volume is read-only" "$err" "touch: /ro/no: Read-only"
has "rootless: --read-only" "$err" "touch: /no: Read-only"

# a volume from a nosuid,nodev,noexec mount: its flags are locked in the
# user namespace, and the read-only remount must keep them (runc#1229)
unshare -m --propagation private sh -c "
	mount -t tmpfs -o nosuid,nodev,noexec,mode=777 t '$T/vol' &&
	setpriv --reuid=$ID --regid=$ID --clear-groups env -i PATH='$PATH' \
		HOME='$U' XDG_RUNTIME_DIR='$U' '$UM' run --rootfs '$R' -v '$T/vol:/v:ro' \
		sh -c 'grep \" /v \" /proc/self/mounts'" >"$T/out" 2>&1
like "rootless: a :ro volume of a nosuid,nodev,noexec mount keeps its flags" \
	"$(cat "$T/out")" "ro,nosuid,nodev,noexec"

mu run --init --rootfs "$R" sh -c 'echo $$; cat /proc/1/cmdline | tr "\0" " "'
like "rootless --init: the command is PID 2 under minictr's PID 1" "$out" \
	"^2"$'\n'"minictr sealed-init"

# -t: tmux is the user's terminal
tm() { tmux -S "$T/tmux.sock" "$@"; }
tm new-session -d -s t -x 80 -y 24 "setpriv --reuid=$ID \
	--regid=$ID --clear-groups env -i PATH=$PATH HOME=$U XDG_RUNTIME_DIR=$U \
	TERM=screen $UM run -ti --rootfs $R sh -c 'tty; test -t 0 && echo tty-ok; \
	read x'"
wait_for sh -c "tmux -S '$T/tmux.sock' capture-pane -p -t t | grep -q tty-ok"
like "rootless -t: a terminal of the container's own devpts" \
	"$(tm capture-pane -p -t t)" "/dev/pts/0"
tm send-keys -t t Enter         # read returns: the container ends
wait_for sh -c "! pgrep -f '^$UM run -ti' >/dev/null"
tm kill-server 2>/dev/null

# --trace as the user, under strace -f: the lines that look like calls,
# the id maps written from the parent among them, are calls it made
if command -v strace >/dev/null; then
	mkdir -m 777 "$T/strace"
	as_user strace -ff -qq -s 4096 -o "$T/strace/s" "$UM" run --trace \
		--rootfs "$R" true >/dev/null 2>"$T/trace"
	like "rootless --trace: the uid map, written by the parent" \
		"$(cat "$T/trace")" 'write\([0-9]+, "0 '$ID' 1\\n", [0-9]+\)'
	bad=$(python3 "$(dirname "$0")/trace_check.py" "$T/trace" "$T/strace" |
		grep -v '^ok' | head -3)
	is "rootless --trace: every call-shaped line is a call strace saw" "$bad" ""
fi

mu run -m 64m true
is "rootless limits without a delegated cgroup v2: exit 125" "$rc" 125
like "rootless limits: the line says what is missing" "$err" \
	"^minictr: --memory: .*(cgroup v2|delegated)"
mu run --pids-limit 10 true
is "rootless --pids-limit without delegation: exit 125" "$rc" 125

mu run --cgroupns=private sh -c 'tail -1 /proc/self/cgroup'
is "rootless --cgroupns=private: its own cgroup is its root" "$out" "0::/"

# the OCI commands as the user: state under $XDG_RUNTIME_DIR/minictr
B=$T/bundle
mkdir "$B" && cp -a "$R" "$B/rootfs"
(cd "$B" && "$M" spec)
sed -i 's/"args": \["sh"\]/"args": ["sleep", "30"]/; s/"terminal": true/"terminal": false/' "$B/config.json"
chown -R $ID:$ID "$B"
mu create --bundle "$B" rl1
is "rootless create: exit 0" "$rc" 0
check "rootless create: state in \$XDG_RUNTIME_DIR/minictr" test -d "$U/minictr/rl1"
mu start rl1
mu state rl1
has "rootless start: running" "$out" '"status":"running"'
pid=$(grep -o '"pid":[0-9]*' <<<"$out" | cut -d: -f2)
is "rootless create: its init is the user's" "$(stat -c %u /proc/$pid 2>/dev/null)" $ID
# exec joins the user namespace first (in minictr itself: the pid
# namespace's setns needs CAP_SYS_ADMIN in the namespace that owns it)
mu exec rl1 sh -c 'id -u; echo $$; readlink /proc/self/ns/pid'
is "rootless exec into a create'd container: root inside, a pid of its own, the init's pid namespace" \
	"$rc:$out" "0:0"$'\n'"2"$'\n'"$(readlink /proc/$pid/ns/pid)"
mu kill rl1 KILL
wait_for sh -c "! kill -0 $pid 2>/dev/null"
mu delete rl1
is "rootless delete: exit 0" "$rc" 0

# a create SIGKILLed once its init is released, before state.json (by
# strace at that open: no timing): no cgroup holds a user's init, so its
# maker file names it (pid and start time); delete, or the next create of
# the ID, kills it
if command -v strace >/dev/null; then
	killed_create() {
		(timeout -k 5 30 strace -o /dev/null -P "$U/minictr/rk/state.json.tmp" \
			-e trace=open -e inject=open:signal=SIGKILL:when=1 \
			setpriv --reuid=$ID --regid=$ID --clear-groups env -i \
			PATH="$PATH" HOME="$U" XDG_RUNTIME_DIR="$U" "$UM" create \
			--bundle "$B" rk >/dev/null 2>&1 </dev/null; true) 2>/dev/null
	}
	rk_inits() { ps -eo pid=,args= | awk -v a="$UM create --bundle $B rk" \
		'substr($0, index($0, $2)) == a { print $1 }' | xargs; }
	killed_create
	old=$(rk_inits)
	is "rootless create killed before state.json: half-made, its init alive" \
		"$(ls "$U/minictr/rk" | grep -c state.json):$(wc -w <<<"$old")" "0:1"
	mu delete rk
	is "rootless delete of it: exit 0, no ROOT/rk, its init killed" \
		"$rc:$(ls "$U/minictr" | grep -cx rk):$(rk_inits)" "0:0:"
	killed_create
	old=$(rk_inits)
	mu create --bundle "$B" rk
	new=$(rk_inits)
	is "rootless create of the same ID: exit 0, the killed one's init killed" \
		"$rc:$(wc -w <<<"$old"):$(wc -w <<<"$new"):$(grep -cw "$old" <<<"$new")" \
		"0:1:1:0"
	mu delete -f rk
	is "... and its own deleted" "$rc:$(rk_inits)" "0:"
	for pid in $(rk_inits); do kill -9 "$pid"; done   # a binary that leaves them
	as_user rm -rf "$U/minictr/rk"
fi

# run -d and --name as the user: the same state directory as the OCI
# commands', so ps, exec and rm find them
mu run -d --name rl2 --rootfs "$R" sleep 60
id2=$out
is "rootless run -d --name: exit 0" "$rc:$err" "0:"
check "rootless run -d: state in \$XDG_RUNTIME_DIR/minictr" test -f "$U/minictr/$id2/state.json"
mu ps
like "rootless ps: lists it" "$out" " rl2"
mu exec rl2 sh -c 'id -u; seccomp_try native keyctl; grep Seccomp: /proc/self/status'
is "rootless exec into run -d's container: root inside, under its filter (docker's default)" \
	"$rc:$out" $'0:0\nkeyctl: Operation not permitted\nSeccomp:\t2'
mu rm -f rl2
is "rootless rm -f: exit 0" "$rc" 0
mu run --name rl3 --rootfs "$R" true
is "rootless run --name (foreground): exit 0" "$rc:$err" "0:"
mu rm rl3
is "rootless rm of the stopped one: exit 0" "$rc" 0

# a user without XDG_RUNTIME_DIR (`su user`, no login session): the state
# has nowhere of its own; run -d, --name and docker's commands say so as
# the OCI ones do, instead of failing on (or reading) root's /run/minictr;
# and the one-ID note, which cannot be remembered then, does not claim so
nx() {
	setpriv --reuid=$ID --regid=$ID --clear-groups env -i PATH="$PATH" \
		HOME="$U" timeout -k 5 60 "$UM" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	err=$(cat "$T/err")
}
nx run -d --name rl4 --rootfs "$R" true
has "no XDG_RUNTIME_DIR: run -d exits 125 and says what to do" \
	"$rc:$err" "125:minictr: XDG_RUNTIME_DIR is not set: give --root DIR"
nx ps -a
has "no XDG_RUNTIME_DIR: ps says so too, and fails" \
	"$rc:$err" "1:minictr: XDG_RUNTIME_DIR is not set: give --root DIR"
nx run --rootfs "$R" true
is "no XDG_RUNTIME_DIR: a plain run still runs; the note, not said to be 'once'" \
	"$rc:$(grep -c 'note: one ID' "$T/err"):$(grep -c 'Said once' "$T/err")" "0:1:0"

echo "# config.json's user namespace: spec --rootless, as the user"
B2=$T/bundle2
mkdir "$B2" && cp -a "$R" "$B2/rootfs" && chown -R $ID:$ID "$B2"
(cd "$B2" && as_user "$UM" spec --rootless)
sed -i 's/"args": \["sh"\]/"args": ["sleep", "30"]/; s/"terminal": true/"terminal": false/' "$B2/config.json"
has "spec --rootless: the user's uid is 0 inside, one ID" "$(cat "$B2/config.json")" \
	'"uidMappings": [{"containerID": 0, "hostID": '$ID', "size": 1}]'
has "spec --rootless: a user namespace, no network one" \
	"$(grep '"namespaces"' "$B2/config.json")" '{"type": "mount"}, {"type": "user"}]'
mu create --bundle "$B2" rl4
is "config's user namespace, as the user: create" "$rc:$err" "0:"
mu start rl4
mu state rl4
has "config's user namespace, as the user: running" "$out" '"status":"running"'
pid=$(grep -o '"pid":[0-9]*' <<<"$out" | cut -d: -f2)
is "config's user namespace, as the user: its uid_map and gid_map, setgroups denied" \
	"$(cat /proc/$pid/uid_map /proc/$pid/gid_map /proc/$pid/setgroups 2>&1 | tr -s ' ')" \
	" 0 $ID 1"$'\n'" 0 $ID 1"$'\n'"deny"
mu exec rl4 sh -c 'id -u; readlink /proc/self/ns/user'
is "config's user namespace, as the user: exec is root inside, in it" "$rc:$out" \
	"0:0"$'\n'"$(readlink /proc/$pid/ns/user)"
mu kill rl4 KILL
wait_for sh -c "! kill -0 $pid 2>/dev/null"
mu delete rl4
is "config's user namespace, as the user: delete" "$rc" 0
if command -v runc >/dev/null; then
	# runc's own: /sys an rbind of the host's, a cgroup mount, no gid=5
	B3=$T/bundle3
	mkdir "$B3" && cp -a "$R" "$B3/rootfs" && chown -R $ID:$ID "$B3"
	(cd "$B3" && as_user runc spec --rootless)
	python3 - "$B3/config.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "id -u; cat /proc/self/uid_map; hostname"]
json.dump(c, open(sys.argv[1], "w"))
EOF
	mu run --bundle "$B3" rl5
	is "runc spec --rootless's config, as the user: runs, root inside, mapped" \
		"$rc:$(tr -s ' ' <<<"$out")" "0:0"$'\n'" 0 $ID 1"$'\n'"runc"
fi

echo "# a subuid range: newuidmap and newgidmap map 65536"
if command -v newuidmap >/dev/null && command -v newgidmap >/dev/null; then
	cp /etc/passwd "$T/passwd"
	echo "rlx:x:$ID:$ID::/nonexistent:/bin/sh" >>"$T/passwd"
	echo "rlx:400000:65536" >"$T/subuid"
	echo "rlx:400000:65536" >"$T/subgid"
	unshare -m --propagation private sh -c "
		mount --bind '$T/passwd' /etc/passwd &&
		mount --bind '$T/subuid' /etc/subuid &&
		mount --bind '$T/subgid' /etc/subgid &&
		setpriv --reuid=$ID --regid=$ID --clear-groups env -i PATH='$PATH' \
			HOME='$U' XDG_RUNTIME_DIR='$U' '$UM' run --rootfs '$R' \
			-v '$T/vol:/vol' sh -c 'cat /proc/self/uid_map; \
			touch /vol/sub; chown 1000:1000 /vol/sub; mount | grep devpts'
	" >"$T/out" 2>"$T/err"
	out=$(cat "$T/out")
	like "subuid: 0 is the user" "$out" " +0 +$ID +1"$'\n'
	like "subuid: 1..65536 are the range" "$out" " +1 +400000 +65536"$'\n'
	is "subuid: uid 1000 inside is 400999 outside" \
		"$(stat -c %u:%g "$T/vol/sub" 2>&1)" "400999:400999"
	like "subuid: devpts has gid=5 (mapped now)" "$out" "devpts .*gid=400004"
	is "subuid: no note of one ID" "$(cat "$T/err")" ""
else
	not_ok "newuidmap and newgidmap installed (Debian: uidmap)"
fi

echo "# forbidden: user.max_user_namespaces = 0 (in a user namespace of the test's)"
python3 - "$ID" "$UM" "$U" >"$T/out" 2>&1 <<'EOF'
import ctypes, os, sys
uid, m, home = int(sys.argv[1]), sys.argv[2], sys.argv[3]
libc = ctypes.CDLL(None, use_errno=True)
r, w = os.pipe()
r2, w2 = os.pipe()
pid = os.fork()
if pid == 0:
    libc.unshare(0x10000000)                    # CLONE_NEWUSER
    os.write(w2, b"x"); os.read(r, 1)           # until mapped
    open("/proc/sys/user/max_user_namespaces", "w").write("0")
    os.setgroups([]); os.setresgid(uid, uid, uid); os.setresuid(uid, uid, uid)
    os.execve(m, [m, "run", "true"], {"PATH": "/usr/bin:/bin",
              "XDG_RUNTIME_DIR": home, "HOME": home})
os.read(r2, 1)
for f in ("uid_map", "gid_map"):
    open("/proc/%d/%s" % (pid, f), "w").write("0 0 1\n%d %d 1\n" % (uid, uid))
os.write(w, b"x")
print("rc=%d" % (os.waitpid(pid, 0)[1] >> 8))
EOF
has "forbidden: exit 125" "$(cat "$T/out")" "rc=125"
has "forbidden: the line names the switch" "$(cat "$T/out")" \
	"sysctl user.max_user_namespaces is 0"

is "nothing left in the user's runtime dir (but the note's marker)" \
	"$(ls -A "$U/minictr")" "single-id-noted"

echo "# root: --userns=auto"
echo "root:500000:131072" >"$T/subuid.root"
echo "root:500000:131072" >"$T/subgid.root"
echo secret >"$T/vol/secret" && chmod 600 "$T/vol/secret"
chown -R root:root "$R"
mkdir -p "$R/vol"                # root inside may not make it in root's DIR
unshare -m --propagation private sh -c "
	mount --bind '$T/subuid.root' /etc/subuid &&
	mount --bind '$T/subgid.root' /etc/subgid &&
	'$M' run --userns=auto --rootfs '$R' -v '$T/vol:/vol' sh -c \
		'id -u; cat /proc/self/uid_map; touch /vol/byroot; cat /vol/secret'
" >"$T/out" 2>"$T/err"
out=$(cat "$T/out")
like "--userns=auto: root inside" "$out" "^0"$'\n'
like "--userns=auto: mapped to a slice of root's range" "$out" " +0 +500000 +65536"
is "--userns=auto: a file made by root inside is uid 500000's outside" \
	"$(stat -c %u:%g "$T/vol/byroot" 2>&1)" "500000:500000"
has "--userns=auto: a file only the host's root may read stays unread" \
	"$(cat "$T/err")" "can't open '/vol/secret': Permission denied"
unshare -m --propagation private sh -c "
	mount --bind /dev/null /etc/subuid && '$M' run --userns=auto true
" >"$T/out" 2>&1
is "--userns=auto without root's range: exit 125" "$?" 125
like "--userns=auto without root's range: one line says so" "$(cat "$T/out")" \
	"^minictr: --userns=auto: root has no range in /etc/subuid"

echo "# --userns=auto: six at once get six slices (the lock)"
echo "root:500000:393216" >"$T/subuid.six"
mkdir -m 755 "$T/gate" && chmod o+x "$T"    # root inside is nobody here
unshare -m --propagation private sh -c "
	mount --bind '$T/subuid.six' /etc/subuid &&
	mount --bind '$T/subuid.six' /etc/subgid || exit 1
	for i in 1 2 3 4 5 6; do
		timeout -k 5 60 '$M' run --userns=auto sh -c 'cat /proc/self/uid_map
			while [ ! -e $T/gate/go ]; do sleep 0.1; done' >'$T/six.'\$i &
	done
	wait" 2>"$T/err" &
six=$!
# each holds its slice until all six have said theirs: not one ended early
wait_for sh -c "[ \$(cat '$T'/six.* 2>/dev/null | wc -l) = 6 ]"
touch "$T/gate/go"
wait $six
is "--userns=auto, six at once: six slices, pairwise distinct" \
	"$(awk '{ print $2 }' "$T"/six.* | sort -u | xargs)" \
	"500000 565536 631072 696608 762144 827680"
is "--userns=auto, six at once: nothing said" "$(cat "$T/err")" ""

echo "# root: config.json's user namespace, 100000..165535"
B4=$T/bundle4
mkdir "$B4" && cp -a "$R" "$B4/rootfs" && (cd "$B4" && "$M" spec)
python3 - "$B4/config.json" "$T/vol" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "id -u; touch /vol/byconfig; cat /vol/secret"]
c["linux"]["namespaces"].append({"type": "user"})
for k in "uidMappings", "gidMappings":
    c["linux"][k] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["mounts"].append({"destination": "/vol", "type": "bind", "source": sys.argv[2],
                    "options": ["rbind"]})
json.dump(c, open(sys.argv[1], "w"))
EOF
mc --root "$T/oci" create --bundle "$B4" u1
is "root, config's maps: create" "$rc:$err" "0:"
mc --root "$T/oci" state u1
pid=$(grep -o '"pid":[0-9]*' <<<"$out" | cut -d: -f2)
is "root, config's maps: the init's uid_map and gid_map, setgroups allowed" \
	"$(cat /proc/$pid/uid_map /proc/$pid/gid_map /proc/$pid/setgroups 2>&1 | tr -s ' ')" \
	" 0 100000 65536"$'\n'" 0 100000 65536"$'\n'"allow"
mc --root "$T/oci" start u1
wait_for sh -c "! kill -0 $pid 2>/dev/null"
is "root, config's maps: a file made by root inside is 100000's on the host" \
	"$(stat -c %u:%g "$T/vol/byconfig" 2>&1)" "100000:100000"
mc --root "$T/oci" delete u1
is "root, config's maps: delete" "$rc" 0
mc --root "$T/oci" run --bundle "$B4" u2
has "root, config's maps: a file only the host's root may read stays unread" \
	"$err" "can't open '/vol/secret': Permission denied"

echo "# --cgroupns"
mc run --cgroupns=private sh -c 'tail -1 /proc/self/cgroup'
is "--cgroupns=private: /proc/self/cgroup shows 0::/" "$out" "0::/"
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	limit=/sys/fs/cgroup/memory.max
else
	limit=/sys/fs/cgroup/memory/memory.limit_in_bytes
fi
mc run -m 64m --cgroupns=private --rootfs "$R" sh -c "cat $limit; touch /sys/fs/cgroup/x"
like "--cgroupns=private --rootfs: the container's own limit in $limit" "$out" "^67108864$"
has "--cgroupns=private --rootfs: /sys/fs/cgroup is read-only" "$err" "Read-only"
mc run -m 64m --cgroupns=host sh -c 'grep memory /proc/self/cgroup'
like "--cgroupns=host: the host's view of its cgroup" "$out" "/minictr-"

host_unchanged
cgroup_unchanged
summary
