#!/usr/bin/env bash
# test/test_devices.sh - the device policy (devices.c, cgroup.c), from the
# outside: config.json containers with CAP_MKNOD (docker's default) may
# make a device node but not open one the rules do not allow; the rules
# are read in order, a later one overriding an earlier one; the nodes
# linux.devices asks for are made (bound in a user namespace); `run
# --cap-add MKNOD` gets runc's default policy.  On this host's cgroup v1
# devices controller (the VM scenario checks the v2 BPF program).
#
# How a test tells the policy from the driver: the policy is checked in
# open(2) before the driver is asked, so a node of a major no driver
# holds (240, "local/experimental use") opens with ENXIO ("No such device
# or address") when the policy lets it through, and EPERM when not.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_devices"

R=$T/root
build_rootfs "$T/b/rootfs"
cgroup_snapshot before
oci() { timeout -k 5 30 "$M" --root "$R" "$@"; }

# The container's script: make the nodes, then try each: NAME:ok or
# NAME:<the error's words>.
SCRIPT='rm -f /tmp/sdx /tmp/c0 /tmp/c1 /tmp/b0
mknod /tmp/sdx b 8 0 && echo mknod:ok
mknod /tmp/c0 c 240 0; mknod /tmp/c1 c 240 1; mknod /tmp/b0 b 240 0
try() { if err=$( (exec 3<>/dev/null; eval "exec 4$2$1") 2>&1); then
	echo "$3:ok"; else echo "$3:${err##*: }"; fi; }
try /tmp/sdx "<" read-sdx
try /tmp/c0 "<" read-c0; try /tmp/c0 ">" write-c0; try /tmp/c1 ">" write-c1
try /tmp/b0 "<" read-b0
echo null:$(echo x >/dev/null && echo ok) zero:$(head -c 4 /dev/zero | wc -c)'

# devices RULES_JSON: a bundle from `spec` with CAP_MKNOD and these
# rules before runc's defaults; run it, the output in $out
devices() {
	rm -f "$T/b/config.json"
	(cd "$T/b" && "$M" spec) || return 1
	python3 - "$T/b/config.json" "$1" "$SCRIPT" <<'PY'
import json, sys
path, rules, script = sys.argv[1:]
c = json.load(open(path))
c["process"]["args"] = ["sh", "-c", script]
c["process"]["terminal"] = False
c["root"]["readonly"] = False
for k in ("bounding", "effective", "permitted"):
    c["process"]["capabilities"][k].append("CAP_MKNOD")
c["linux"].setdefault("resources", {})["devices"] = json.loads(rules)
json.dump(c, open(path, "w"))
PY
	out=$(oci run --bundle "$T/b" d$RANDOM 2>&1)
}

# --- docker's own rules (what `docker run` sends), with CAP_MKNOD
devices '[{"allow":false,"access":"rwm"},
 {"allow":true,"type":"c","major":1,"minor":5,"access":"rwm"},
 {"allow":true,"type":"c","major":1,"minor":3,"access":"rwm"},
 {"allow":true,"type":"c","major":1,"minor":9,"access":"rwm"},
 {"allow":true,"type":"c","major":1,"minor":8,"access":"rwm"},
 {"allow":true,"type":"c","major":5,"minor":0,"access":"rwm"},
 {"allow":true,"type":"c","major":5,"minor":1,"access":"rwm"},
 {"allow":false,"type":"c","major":10,"minor":229,"access":"rwm"}]'
has "docker's rules: CAP_MKNOD makes the host disk's node" "$out" "mknod:ok"
has "docker's rules: ... which cannot be opened (EPERM)" "$out" \
	"read-sdx:Operation not permitted"
has "docker's rules: nor a node of a major it does not name" "$out" \
	"read-c0:Operation not permitted"
has "docker's rules: /dev/null and /dev/zero work" "$out" "null:ok zero:4"

# --- a rule for reading only
devices '[{"allow":false,"access":"rwm"},
 {"allow":true,"type":"c","major":240,"minor":0,"access":"r"}]'
has "c 240:0 r: reading passes the policy (the driver says ENXIO)" "$out" \
	"read-c0:No such device or address"
has "c 240:0 r: writing does not" "$out" "write-c0:Operation not permitted"
has "c 240:0 r: a block device of the same numbers neither" "$out" \
	"read-b0:Operation not permitted"

# --- the last rule that speaks of an access decides it
devices '[{"allow":true,"type":"c","major":240,"access":"rwm"},
 {"allow":false,"type":"c","major":240,"minor":0,"access":"w"}]'
has "a later deny of w: reading still allowed" "$out" \
	"read-c0:No such device or address"
has "a later deny of w: writing not" "$out" "write-c0:Operation not permitted"
devices '[{"allow":false,"type":"c","major":240,"minor":0,"access":"rwm"},
 {"allow":true,"type":"c","major":240,"access":"rw"}]'
has "a later allow of c 240:*: overrides the earlier deny" "$out" \
	"write-c0:No such device or address"

# --- type "a" (or absent): every device
devices '[{"allow":true,"access":"rwm"}]'
has "allow all: a block device passes too" "$out" \
	"read-b0:No such device or address"

# --- no rule list at all: runc's defaults, after "deny all"
devices 'null'
has "no rules: runc's defaults, mknod allowed" "$out" "mknod:ok"
has "no rules: opening the disk's node is not" "$out" \
	"read-sdx:Operation not permitted"

# --- a bad rule: refused before anything is made
devices '[{"allow":true,"type":"c","major":1,"minor":3,"access":""}]'
like "an empty access is refused, naming the rule" "$out" \
	'linux\.resources\.devices\[0\]: access: cannot be empty'
devices '[{"allow":true,"type":"x","access":"r"}]'
like "a type other than a, b, c is refused" "$out" \
	'linux\.resources\.devices\[0\]: type: a, b or c'

# --- linux.devices: the nodes a config asks for (devnodes.c), made after
# /dev, with their type, numbers, mode and owner, and an allow rule each
# after the config's own "deny all" (so c 240:0 opens as far as the
# driver: ENXIO, not EPERM).  nodes DEVICES_JSON SCRIPT: run, $out.
# With a third word, "user": in a user namespace (root is 100000).
nodes() {
	rm -f "$T/b/config.json"
	(cd "$T/b" && "$M" spec) || return 1
	python3 - "$T/b/config.json" "$1" "$2" "${3:-}" <<'PY'
import json, sys
path, devs, script, user = sys.argv[1:]
c = json.load(open(path))
c["process"]["args"] = ["sh", "-c", script]
c["process"]["terminal"] = False
c["linux"]["devices"] = json.loads(devs)
c["linux"].setdefault("resources", {})["devices"] = [
    {"allow": False, "access": "rwm"}]
if user:
    c["linux"]["namespaces"].append({"type": "user"})
    for k in "uidMappings", "gidMappings":
        c["linux"][k] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
json.dump(c, open(path, "w"))
PY
	out=$(oci run --bundle "$T/b" n$RANDOM 2>&1)
}
nodes '[{"path":"/dev/fuse","type":"c","major":10,"minor":229},
 {"path":"/dev/x/c240","type":"c","major":240,"minor":0,"fileMode":400,
  "uid":1000,"gid":5}, {"path":"/dev/fifo","type":"p","fileMode":384}]' \
	'stat -c "%n %F %t:%T %a %u:%g" /dev/fuse /dev/x/c240 /dev/fifo
	err=$( (exec 3</dev/x/c240) 2>&1); echo "open-c240:${err##*: }"'
has "linux.devices: /dev/fuse is c 10:229, 0666 (fileMode absent), root's" \
	"$out" "/dev/fuse character special file a:e5 666 0:0"
has "linux.devices: c 240:0 in a new /dev/x, fileMode 0620, 1000:5" "$out" \
	"/dev/x/c240 character special file f0:0 620 1000:5"
has "linux.devices: a FIFO (type p), 0600" "$out" "/dev/fifo fifo 0:0 600 0:0"
has "linux.devices: its allow rule lets open reach the driver (ENXIO)" \
	"$out" "open-c240:No such device or address"
nodes '[{"path":"/dev/null","type":"c","major":1,"minor":3,"fileMode":384}]' \
	'stat -c "%n %a" /dev/null'
has "linux.devices: a node minictr made already is left as it is" "$out" \
	"/dev/null 666"
# in a user namespace mknod(2) of a device is refused: the host's node
# is bound (it is root's there, so nobody's inside); one the host lacks,
# or of other numbers, is one line
if [ -e /dev/fuse ]; then
	chmod 755 "$T"
	nodes '[{"path":"/dev/fuse","type":"c","major":10,"minor":229}]' \
		'stat -c "%n %F %t:%T %u" /dev/fuse' user
	has "user namespace: the host's /dev/fuse, bound" "$out" \
		"/dev/fuse character special file a:e5 65534"
	nodes '[{"path":"/dev/fuse","type":"c","major":10,"minor":228}]' \
		true user
	is "user namespace: a host node of other numbers: one line" "$out" \
		"minictr: linux.devices: the host's /dev/fuse is not c 10:228 (a user namespace binds it: no mknod)"
fi
for bad in '"path":"dev/x","type":"c"' '"path":"/dev/x","type":"x"' \
	'"path":"/dev/../x","type":"c"'; do
	nodes "[{\"path\":\"/dev/ok\",\"type\":\"c\",\"major\":1,\"minor\":3},
	 {$bad,\"major\":1,\"minor\":3}]" 'echo ran'
	like "a bad linux.devices entry ($bad): one line naming it" "$out" \
		'^minictr: config\.json: linux\.devices\[1\]\.(path|type): [^
]*$'
done
is "... and nothing is left: no state, no node in the root" \
	"$(ls "$R"; find "$T/b/rootfs/dev" -mindepth 1; ls -d "$T/b/rootfs/x" \
	2>/dev/null)" ""
nodes '[{"path":"/dev/x/c240","type":"c","major":240,"minor":0,"uid":7,"gid":8}]' true
out=$(cd "$T/b" && timeout -k 5 30 "$M" --root "$R" --debug run --bundle . tr 2>&1)
like "--debug traces the mknodat and fchownat with their arguments" "$out" \
	'mknodat\([0-9]+, "c240", S_IFCHR\|0666, makedev\(240, 0\)\) = 0.*fchownat\([0-9]+, "c240", 7, 8, AT_SYMLINK_NOFOLLOW\) = 0'

# --- run --rootfs: CAP_MKNOD only when asked, and then the policy
mc run --rootfs "$T/b/rootfs" sh -c 'rm -f /tmp/sdx; mknod /tmp/sdx b 8 0 2>&1; echo $?'
has "run --rootfs: no CAP_MKNOD by default" "$out" "Operation not permitted"
mc run --rootfs "$T/b/rootfs" --cap-add MKNOD sh -c "$SCRIPT"
has "run --cap-add MKNOD: the node is made" "$out" "mknod:ok"
has "run --cap-add MKNOD: and cannot be opened" "$out" \
	"read-sdx:Operation not permitted"
has "run --cap-add MKNOD: /dev/null and /dev/zero work" "$out" "null:ok zero:4"
mc run --trace --rootfs "$T/b/rootfs" --cap-add MKNOD true
like "--trace shows the v1 writes: deny all, then each allow" "$err" \
	'write\([0-9]+, "a", 1\) = 1.*write\([0-9]+, "c 1:3 rwm", 9\) = 9'

# --- a policy the host refuses: one line, 125, nothing made or left.
# A parent devices cgroup that allows only /dev/null: runc's list is more
# than the kernel lets a child allow.
P=$(awk '$9 == "cgroup" && $NF ~ /devices/ { print $5; exit }' /proc/self/mountinfo)
if [ -n "$P" ]; then
	P=$P/devtest-$$
	mkdir "$P" && echo a >"$P/devices.deny" && echo "c 1:3 rwm" >"$P/devices.allow"
	sh -c "echo \$\$ >$P/cgroup.procs && exec timeout 30 $M run --rootfs $T/b/rootfs --cap-add MKNOD true" \
		>"$T/out" 2>"$T/err" </dev/null
	rc=$?
	like "a parent that allows less: 125 and one line naming the write" \
		"$rc:$(cat "$T/err")" \
		'^125:minictr: device policy: write "c \*:\* m" to /.*/devices.allow: Operation not permitted$'
	is "... and no cgroup is left in it" "$(find "$P" -mindepth 1 -type d)" ""
	rmdir "$P"
fi

cgroup_unchanged before
summary
