#!/usr/bin/env bash
# test/test_seccomp.sh - seccomp profiles, in real containers.
#
# test/seccomp_try makes one system call by name through one ABI (native,
# i386 by int $0x80, x32 with bit 30) and prints what came back.  With
# docker's default profile (every `run` gets it) a --rootfs container,
# which lacks CAP_SYS_ADMIN, is refused the calls docker ties to it, by
# every ABI; an ordinary workload runs; seccomp=unconfined lifts it but
# not the TIOCSTI rule; a custom profile's every action and operator does
# what it says; hostile profiles are one line and 125; podman's profile
# works; config.json's linux.seccomp is honoured and `create` leaves the
# filter in ROOT/ID/seccomp.bpf.  The filters' i386 and x32 sections are
# also checked without a kernel for them, by test/unit_seccomp.c.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_seccomp.sh"
if [ ! -x test/seccomp_try ] && ! make -s test/seccomp_try >/dev/null; then
	echo "1..0 # SKIP test/seccomp_try cannot be built"; exit 77
fi
host_snapshot before
cgroup_snapshot before
R=$T/rootfs
build_rootfs "$R"
cp test/seccomp_try "$R/bin/"
EPERM="Operation not permitted"

# --- docker's default profile, no CAP_SYS_ADMIN (--rootfs)
calls="unshare clone keyctl add_key mount personality"
for abi in native x32 i386; do
	mc run --rootfs "$R" sh -c "for c in $calls; do seccomp_try $abi \$c; done"
	if [ "$abi" = i386 ] && [[ $out == *"no i386 ABI here"* ]]; then
		echo "# i386: this kernel runs no i386 code (int \$0x80 faults): not counted here;" \
			"the VM checks it: test/vm/scenario.sh, \"i386 ABI\" (make vm-test)"
		continue
	fi
	want=""
	for c in $calls; do want+="$c: $EPERM"$'\n'; done
	is "default profile, $abi ABI: unshare -U, clone NEWUSER, keyctl, add_key, mount, personality(0xffff) get EPERM" \
		"$out" "${want%$'\n'}"
done
# --- --cap-add SYS_ADMIN: the rules docker ties to it follow (busybox's own
# unshare and mount, not only seccomp_try's raw calls)
both='unshare -U true && echo unshare ok; mount -t tmpfs none /tmp && echo mount ok; seccomp_try native clone'
mc run --rootfs "$R" sh -c "$both"
is "default profile, no --cap-add: unshare -U, mount and clone NEWUSER refused" "$out" \
	"clone: $EPERM"
mc run --rootfs "$R" --cap-add SYS_ADMIN sh -c "$both"
is "default profile, --cap-add SYS_ADMIN: unshare -U, mount and clone NEWUSER work" "$rc:$out" \
	$'0:unshare ok\nmount ok\nclone: ok'
mc run --rootfs "$R" sh -c 'seccomp_try native personality 0; seccomp_try native clone 17'
is "default profile: personality(PER_LINUX) and a plain clone (fork) still work" "$out" \
	$'personality: ok\nclone: ok'
mc run --rootfs "$R" sh -c 'echo hello | wc -c; ls /bin | grep -c busybox; date >/dev/null && ps >/dev/null && echo ran'
is "default profile: a busybox shell workload runs" "$rc:$out" $'0:6\n1\nran'
if command -v python3 >/dev/null; then
	mc run python3 -c 'import os, subprocess; print(subprocess.run(["true"]).returncode, os.getpid())'
	is "default profile, no --rootfs: python3 runs (as PID 1)" "$rc:$out" "0:0 1"
fi
mc run --rootfs "$R" seccomp_try native ioctl
is "default profile: TIOCSTI refused (EPERM, not ENOTTY: the filter, on /dev/null)" "$out" "ioctl: $EPERM"

# --- unconfined: the profile off, the TIOCSTI rule kept
mc run --rootfs "$R" --security-opt seccomp=unconfined sh -c \
	'seccomp_try native keyctl; seccomp_try native personality; seccomp_try native ioctl'
is "seccomp=unconfined: keyctl and personality(0xffff) work, TIOCSTI still refused" "$out" \
	$'keyctl: ok\npersonality: ok\nioctl: '"$EPERM"

# --- a custom profile: each action
profile() {     # profile FILE ACTION [ARGS_JSON]: getppid gets ACTION
	printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":%s%s}]}\n' \
		"$2" "${3:+,\"args\":$3}" >"$1"
}
while IFS='|' read -r action want; do
	profile "$T/p.json" "$action"
	mc run --rootfs "$R" --security-opt "seccomp=$T/p.json" seccomp_try native getppid
	is "custom profile: $action" "$rc:$out" "$want"
done <<'EOF'
"SCMP_ACT_ALLOW"|0:getppid: ok
"SCMP_ACT_ERRNO","errnoRet":33|0:getppid: Numerical argument out of domain
"SCMP_ACT_ERRNO"|0:getppid: Operation not permitted
"SCMP_ACT_KILL"|159:
"SCMP_ACT_KILL_THREAD"|159:
"SCMP_ACT_KILL_PROCESS"|159:
"SCMP_ACT_TRAP"|0:getppid: trapped
"SCMP_ACT_LOG"|0:getppid: ok
"SCMP_ACT_TRACE"|0:getppid: Function not implemented
EOF

# --- each operator, on argument 1 (the kernel ignores getppid's)
while IFS='|' read -r op value yes no; do
	profile "$T/p.json" '"SCMP_ACT_ERRNO","errnoRet":33' \
		"[{\"index\":1,\"op\":\"SCMP_CMP_$op\",$value}]"
	mc run --rootfs "$R" --security-opt "seccomp=$T/p.json" sh -c \
		"seccomp_try native getppid 0 $yes; seccomp_try native getppid 0 $no"
	is "custom profile: $op ($value): $yes matches, $no does not" "$out" \
		$'getppid: Numerical argument out of domain\ngetppid: ok'
done <<'EOF'
EQ|"value":4294967301|4294967301|5
NE|"value":5|4294967301|5
LT|"value":4294967296|4294967295|4294967296
LE|"value":4294967296|4294967296|4294967297
GT|"value":4294967296|8589934592|4294967296
GE|"value":4294967296|4294967296|4294967295
MASKED_EQ|"value":4294967295,"valueTwo":7|0x1300000007|0x6
EOF

# --- hostile profiles: one line, 125, nothing made
for case in 'unknown action|{"defaultAction":"SCMP_ACT_PARDON"}|defaultAction: use SCMP_ACT_ALLOW' \
	    'malformed|{"defaultAction":|JSON:' \
	    'an operator|{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]}|syscalls[0].args[0]: index'; do
	IFS='|' read -r what json want <<<"$case"
	printf '%s' "$json" >"$T/bad.json"
	mc run --rootfs "$R" --security-opt "seccomp=$T/bad.json" true
	has "hostile profile ($what): 125 and one line" "$rc:$(wc -l <<<"$err"):$err" \
		"125:1:minictr: run: seccomp profile $T/bad.json: $want"
done
python3 -c '
import json, sys
rules = [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": i, "op": "SCMP_CMP_EQ"}]} for i in range(3000)]
json.dump({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": rules}, open(sys.argv[1], "w"))' "$T/huge.json"
mc run --rootfs "$R" --security-opt "seccomp=$T/huge.json" true
is "hostile profile (huge): 125 and one line" "$rc:$err" \
	"125:minictr: run: seccomp profile $T/huge.json: more than 4096 BPF instructions, the kernel's limit"
mc run --rootfs "$R" --security-opt "seccomp=$T/none.json" true
like "a profile that cannot be read: 125 and one line" "$rc:$err" \
	"^125:minictr: run: seccomp profile $T/none.json: No such file or directory$"
mc run --rootfs "$R" --security-opt label=disable true
like "--security-opt with a key minictr lacks: a usage error, 125" "$rc:$err" \
	"^125:minictr: run: invalid value 'label=disable' for '--security-opt'"

# --- podman's profile (containers-common): more permissive, ENOSYS default
podman=/usr/share/containers/seccomp.json
if [ -f "$podman" ]; then
	mc run --rootfs "$R" --security-opt "seccomp=$podman" sh -c \
		'echo hello | wc -c; seccomp_try native keyctl; seccomp_try native add_key; seccomp_try native ioctl'
	is "podman's seccomp.json: a workload runs, keyctl allowed, add_key (not in it) ENOSYS, its default, TIOCSTI refused" \
		"$rc:$out" $'0:6\nkeyctl: ok\nadd_key: Function not implemented\nioctl: '"$EPERM"
else
	echo "# podman's profile: $podman missing (golang-github-containers-common), not counted"
fi

# --- OCI: config.json's linux.seccomp, and ROOT/ID/seccomp.bpf
S=$T/state
mkdir -p "$T/b"
cp -a "$R" "$T/b/rootfs"
(cd "$T/b" && "$M" spec) && python3 - "$T/b/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["sh", "-c", "seccomp_try native keyctl; seccomp_try native getppid"]
c["process"]["terminal"] = False
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	"syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 33}]}
json.dump(c, open(sys.argv[1], "w"))
PY
timeout -k 5 30 "$M" --root "$S" create --bundle "$T/b" sc1 >"$T/out" 2>"$T/err"; rc=$?
size=$(stat -c %s "$S/sc1/seccomp.bpf" 2>/dev/null || echo none)
like "create: the compiled filter in ROOT/ID/seccomp.bpf (struct sock_filter, 8 bytes each)" \
	"$rc:$size:$(( ${size/none/1} % 8 ))" "^0:[0-9]+:0$"
timeout -k 5 30 "$M" --root "$S" delete --force sc1 2>/dev/null
timeout -k 5 30 "$M" --root "$S" run --bundle "$T/b" sc2 >"$T/out" 2>"$T/err"; rc=$?
is "run --bundle: config.json's linux.seccomp is honoured" "$rc:$(cat "$T/out")" \
	$'0:keyctl: Numerical argument out of domain\ngetppid: ok'
timeout -k 5 30 "$M" --root "$S" delete --force sc2 2>/dev/null

cgroup_unchanged
host_unchanged
summary
