#!/usr/bin/env bash
# test/test_users.sh - -u, --group-add, --cap-add, --cap-drop,
# --privileged and --security-opt no-new-privileges, through real
# containers: a busybox root whose /etc/passwd and /etc/group are written
# here, so every name comes from the container's files, not the host's.
# Needs root.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_users.sh"
host_snapshot before
R=$T/root
build_rootfs "$R"
cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
alice:x:1000:1000:Alice:/home/alice:/bin/sh
bob:x:1001:100::/home/bob:/bin/sh
EOF
cat >"$R/etc/group" <<'EOF'
root:x:0:
users:x:100:alice
alice:x:1000:
wheel:x:10:alice,bob
audio:x:29:
EOF
# a setuid-root program that says what it got (busybox drops back itself)
musl-gcc -static -Os -o "$R/bin/euid" test/euid.c || exit 1
chmod 4755 "$R/bin/euid"
make -s test/seccomp_try >/dev/null && cp test/seccomp_try "$R/bin/" || exit 1

echo "# -u: names and numbers, from the container's own files"
mc run --rootfs "$R" -u alice id
is "a name: its uid, gid and the groups that list it, and its own (docker's)" "$rc:$out" \
	"0:uid=1000(alice) gid=1000(alice) groups=10(wheel),100(users),1000(alice)"
mc run --rootfs "$R" -u 1001 id
is "a number with an entry: the entry's gid and groups" "$rc:$out" \
	"0:uid=1001(bob) gid=100(users) groups=10(wheel),100(users)"
mc run --rootfs "$R" -u 4242 id
is "a number without an entry: gid 0, that group only" "$rc:$out" "0:uid=4242 gid=0(root) groups=0(root)"
mc run --rootfs "$R" -u alice:audio id
is "USER:GROUP: that group, none from the file" "$rc:$out" \
	"0:uid=1000(alice) gid=29(audio) groups=29(audio)"
mc run --rootfs "$R" -u 1000:4343 id
is "USER:GROUP in numbers" "$rc:$out" "0:uid=1000(alice) gid=4343 groups=4343"
mc run --rootfs "$R" -u alice --group-add audio --group-add 4242 id
is "--group-add: a name and a number, with the file's" "$rc:$out" \
	"0:uid=1000(alice) gid=1000(alice) groups=10(wheel),29(audio),100(users),1000(alice),4242"
mc run --rootfs "$R" -u bob sh -c 'umask; echo $HOME'
is "HOME from the passwd entry; the umask is the caller's, not 0" "$out" \
	"$(umask)
/home/bob"
mc run --rootfs "$R" -u 4242 sh -c 'echo $HOME'
is "HOME / without an entry" "$out" /
mc run --rootfs "$R" -u bob -e HOME=/mine sh -c 'echo $HOME'
is "-e HOME wins" "$out" /mine
mc run --rootfs "$R" sh -c 'id; echo $HOME'
is "without -u: root, no supplementary group, HOME /root" "$out" \
	"uid=0(root) gid=0(root)
/root"
mc run --rootfs "$R" -u nobody true
is "a user the container lacks: 125, one line" "$rc:$err" \
	"125:minictr: user nobody: not in the container's /etc/passwd"
mc run --rootfs "$R" -u alice:staff true
is "a group the container lacks: 125, one line" "$rc:$err" \
	"125:minictr: group staff: not in the container's /etc/group"
mc run --rootfs "$R" -u alice --group-add ghosts true
is "a --group-add the container lacks: 125, one line" "$rc:$err" \
	"125:minictr: group ghosts: not in the container's /etc/group"
echo "# --group-add without -u: root gets the groups too (docker), each once"
mc run --rootfs "$R" --group-add 4242 --group-add audio sh -c 'grep ^Groups /proc/self/status; id -u'
is "--group-add without -u: root, in group 0 and those" "$rc:$out" \
	"0:Groups:	0 29 4242 "$'\n'"0"
mc run --rootfs "$R" --group-add ghosts true
is "a --group-add the container lacks, without -u: 125, one line" "$rc:$err" \
	"125:minictr: group ghosts: not in the container's /etc/group"
mc run --rootfs "$R" -u alice --group-add users --group-add 100 --group-add wheel id
is "a group the file already gave, asked again: once" "$rc:$out" \
	"0:uid=1000(alice) gid=1000(alice) groups=10(wheel),100(users),1000(alice)"
mc run --trace --rootfs "$R" --group-add 4242 true
has "without -u: setgroups with the list, no setgid or setuid" \
	"$(echo "$err" | grep -cE '^minictr\[1\]: set(uid|gid)\(');$(echo "$err" | grep -E '^minictr\[1\]: setgroups')" \
	"0;minictr[1]: setgroups(2, [0, 4242]) = 0"
mc run --rootfs "$R" -u 2147483648 true
is "a uid out of docker's range: a usage error" "$rc:$(echo "$err" | head -1)" \
	"125:minictr: run: invalid value '2147483648' for '-u': use USER[:GROUP], names or numbers from 0 to 2147483647"
host_user=$(awk -F: '$3 >= 1000 && $3 < 60000 { print $1; exit }' /etc/passwd)
if [ -n "$host_user" ] && ! grep -q "^$host_user:" "$R/etc/passwd"; then
	mc run --rootfs "$R" -u "$host_user" true
	is "a host user is not looked up for a --rootfs container" "$rc:$err" \
		"125:minictr: user $host_user: not in the container's /etc/passwd"
	mc run -u "$host_user" sh -c 'id -un'
	is "without --rootfs, the host's / is the container's: its passwd" \
		"$rc:$out" "0:$host_user"
fi
mkdir -p "$T/hostile/etc" && build_rootfs "$T/hostile"
rm -f "$T/hostile/etc/passwd" && mkfifo "$T/hostile/etc/passwd"
mc run --rootfs "$T/hostile" -u alice true
is "a FIFO for /etc/passwd: refused, not waited on" "$rc:$err" \
	"125:minictr: read /etc/passwd: not a regular file of at most 16 MiB"
rm -f "$T/hostile/etc/passwd" && ln -s /dev/zero "$T/hostile/etc/passwd"
mc run --rootfs "$T/hostile" -u alice true
is "/etc/passwd a link to /dev/zero: refused" "$rc:$err" \
	"125:minictr: read /etc/passwd: not a regular file of at most 16 MiB"
rm -f "$T/hostile/etc/passwd" && mknod "$T/hostile/etc/passwd" c 1 3
mc run --rootfs "$T/hostile" -u alice true
is "a device node for /etc/passwd: refused, never opened" "$rc:$err" \
	"125:minictr: read /etc/passwd: not a regular file of at most 16 MiB"
rm -f "$T/hostile/etc/passwd"
mc run --rootfs "$T/hostile" -u 1000 id -u
is "no /etc/passwd at all: numbers still work" "$rc:$out" "0:1000"

echo "# capabilities of a user who is not root: none (docker's rule)"
mc run --rootfs "$R" -u alice grep -E '^Cap(Prm|Eff|Amb)' /proc/self/status
is "-u alice: no permitted, effective or ambient capability" "$out" \
	"CapPrm:	0000000000000000
CapEff:	0000000000000000
CapAmb:	0000000000000000"
mc run --rootfs "$R" -u alice --cap-add NET_ADMIN grep CapEff /proc/self/status
is "--cap-add does not give a user effective capabilities" "$out" \
	"CapEff:	0000000000000000"
mc run --rootfs "$R" -u alice euid
is "a setuid-root program with no_new_privs (default with --rootfs): nothing" \
	"$out" "euid=1000 CapEff=0000000000000000"
mc run --rootfs "$R" -u alice --security-opt no-new-privileges=false euid
is "... without no_new_privs: root again, within the bounding set (docker's)" \
	"$out" "euid=0 CapEff=00000000a00425fb"
mc run --rootfs "$R" -u alice --security-opt no-new-privileges=false \
	--cap-drop ALL euid
is "... and the bounding set caps it: --cap-drop ALL leaves nothing" \
	"$out" "euid=0 CapEff=0000000000000000"
mc run --rootfs "$R" -u alice grep NoNewPrivs /proc/self/status
is "no_new_privs is on with --rootfs" "$out" "NoNewPrivs:	1"
# seccomp(2) needs no_new_privs or CAP_SYS_ADMIN: without the first, the
# filter goes in before the user loses the second (init.c), --init too
for init in "" --init; do
	mc run --rootfs "$R" -u alice --security-opt no-new-privileges=false $init sh -c \
		'seccomp_try native unshare; seccomp_try native keyctl; grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status'
	is "-u alice, no-new-privileges=false ${init:-without --init}: docker's default profile still filters" \
		"$rc:$out" $'0:unshare: Operation not permitted\nkeyctl: Operation not permitted\nNoNewPrivs:\t0\nSeccomp:\t2'
done
mc run -u 1000 grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
is "-u without --rootfs (no_new_privs off): filtered all the same" "$rc:$out" \
	$'0:NoNewPrivs:\t0\nSeccomp:\t2'
mc run --rootfs "$R" --security-opt no-new-privileges=false grep NoNewPrivs /proc/self/status
is "--security-opt no-new-privileges=false: off" "$out" "NoNewPrivs:	0"
mc run --security-opt no-new-privileges grep NoNewPrivs /proc/self/status
is "--security-opt no-new-privileges without --rootfs: on" "$out" "NoNewPrivs:	1"
mc run -u 1000 grep -E '^(Uid|CapEff)' /proc/self/status
is "-u without --rootfs: the user, no capabilities" "$rc:$out" \
	"0:Uid:	1000	1000	1000	1000
CapEff:	0000000000000000"

echo "# --cap-add, --cap-drop, --privileged (as root)"
mc run --rootfs "$R" sh -c 'ip link set lo down'
like "without NET_ADMIN, lo cannot be set down" "$rc:$err" "^[1-9].*Operation not permitted"
mc run --rootfs "$R" --cap-add NET_ADMIN sh -c 'ip link set lo down && echo down'
is "--cap-add NET_ADMIN: it can" "$rc:$out" "0:down"
mc run --rootfs "$R" --cap-drop chown sh -c 'chown 5 /tmp'
like "--cap-drop chown (docker's spelling, any case): chown fails" "$rc:$err" \
	"^1:chown: /tmp: Operation not permitted"
mc run --rootfs "$R" --cap-drop CAP_CHOWN sh -c 'touch /tmp/f && chown 5 /tmp/f || echo refused'
is "--cap-drop CAP_CHOWN: the same" "$out" refused
mc run --rootfs "$R" sh -c 'touch /tmp/g && chown 5 /tmp/g && echo chowned'
is "without it, root may chown" "$out" chowned
mc run --rootfs "$R" --cap-drop ALL grep -E '^Cap(Prm|Eff|Bnd)' /proc/self/status
is "--cap-drop ALL: root with nothing at all" "$out" \
	"CapPrm:	0000000000000000
CapEff:	0000000000000000
CapBnd:	0000000000000000"
mc run --rootfs "$R" --cap-add bogus true
is "an unknown capability: a usage error" "$rc:$(echo "$err" | head -1)" \
	"125:minictr: run: invalid value 'bogus' for '--cap-add': use a capability of capabilities(7), with or without CAP_, or ALL"
have=$(awk '/^CapPrm/ { print $2 }' /proc/self/status)
mc run --rootfs "$R" --privileged grep -E '^Cap(Eff|Bnd)' /proc/self/status
is "--privileged: every capability minictr has" "$out" \
	"CapEff:	$have
CapBnd:	$have"
mc run --rootfs "$R" sh -c 'wc -c </proc/timer_list; grep -c " /proc/sys proc ro" /proc/mounts'
is "without it: /proc/timer_list masked, /proc/sys read-only" "$out" "0
1"
mc run --rootfs "$R" --privileged sh -c '[ "$(wc -c </proc/timer_list)" -gt 0 ] && echo shown;
	grep -c " /proc/sys proc ro" /proc/mounts; grep " /sys " /proc/mounts | cut -d" " -f4 | cut -d, -f1'
is "--privileged: nothing masked, /proc/sys and /sys read-write" "$out" "shown
0
rw"

echo "# the order of the switch, shown by --trace with the real arguments"
mc run --trace --rootfs "$R" -u alice --group-add 4242 true
calls=$(echo "$err" | sed -n 's/^minictr\[1\]: //p' | grep -E '^(the bounding set|prctl\(PR_SET_KEEPCAPS|setgroups|setgid|setuid|capset|prctl\(PR_SET_PDEATHSIG)' | tail -7)
is "bounding set, keep-caps, setgroups, setgid, setuid, capset, pdeathsig again" "$calls" \
"the bounding set: prctl(2) PR_CAPBSET_DROP for each capability not in 0xa00425fb, up to the kernel's last
prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) = 0
setgroups(4, [100, 10, 1000, 4242]) = 0
setgid(1000) = 0
setuid(1000) = 0
capset({_LINUX_CAPABILITY_VERSION_3, 0}, {effective=0, permitted=0, inheritable=0}) = 0
prctl(PR_SET_PDEATHSIG, SIGKILL) = 0"

# timeout --foreground: without it, timeout makes a process group of its
# own, which is not the terminal's foreground one, so minictr's tcsetattr()
# stops it with SIGTTOU (job control) until the timeout: CI, whose script(1)
# runs dash, which forks timeout rather than exec'ing it, saw only "Killed".
out=$(script -qec "timeout --foreground -k 5 60 $M run -t --rootfs $R -u alice sh -c 'echo again >\$(tty) && stat -c %U \$(tty)'; echo status \$?" /dev/null </dev/null | tr -d '\r')
is "-t: the container's terminal is the user's, to open again" "$out" "again
alice
status 0"

echo "# with --init, and config.json's process.user"
mc run --rootfs "$R" --init -u alice sh -c 'grep ^Uid /proc/1/status; id -u'
is "--init: PID 1 and the command both run as the user" "$rc:$out" \
	"0:Uid:	1000	1000	1000	1000
1000"
B=$T/bundle
mkdir -p "$B" && build_rootfs "$B/rootfs" && cp "$R/etc/passwd" "$R/etc/group" "$B/rootfs/etc/"
(cd "$B" && "$M" spec) || exit 1
python3 - "$B/config.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["sh", "-c", "id; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status"]
c["process"]["user"] = {"uid": 1001, "gid": 100, "additionalGids": [29, 4242]}
c["process"]["terminal"] = False
json.dump(c, open(sys.argv[1], "w"))
EOF
S=$(mktemp -d)
mc --root "$S" run --bundle "$B" users-$$
# its sets are kept to the execve, which empties them for a user who is
# not root: no ambient set (runc does the same)
is "config.json's process.user: the same switch" \
	"$rc:$out" "0:uid=1001(bob) gid=100(users) groups=29(audio),4242
CapEff:	0000000000000000
NoNewPrivs:	1"
"$M" --root "$S" delete --force users-$$ >/dev/null 2>&1
rm -rf "$S"

host_unchanged
summary
