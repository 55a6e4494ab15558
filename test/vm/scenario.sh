#!/bin/sh
# scenario.sh - the container checks run inside the test VM.
#
# /init (see mkinitramfs.sh) runs this as PID 1's child, with busybox ash,
# as root, on a freshly booted kernel, with minictr at /bin/minictr and the
# helper programs hog, escape and tiocsti in /extra/ (and on x86_64
# seccomp_try and x86_64-only.json, for the i386 ABI checks). Every check prints
# one TAP-like line, "ok N - name" or "not ok N - name" followed by "# ..."
# lines that say what was expected and what came, and the script ends with
# "VERDICT: N passed, M failed", which vm-test.sh looks for.
#
# The VM is the machine the issue describes, and the first checks prove it:
# / is the initramfs itself ("rootfs", which pivot_root refuses), there is
# no systemd, cgroups are pure v2, /dev is devtmpfs. Then, in order: the
# plain container (namespaces, exit statuses, --init, --net, -e -w -i, -t,
# the seccomp filter), --rootfs on the initramfs (the MS_MOVE + chroot
# fallback, a chroot escape, the sealed --init, capabilities), the device
# policy as a BPF_CGROUP_DEVICE program (run --bundle, run --cap-add MKNOD),
# config.json's cgroupsPath (its parents made, the limit, delete),
# rootless (a user of the initramfs's, through busybox su) and the cgroup2
# view inside a limited container, the limits on
# pure cgroup v2 (-m and OOM, --pids-limit, --cpus, a minictr killed by
# SIGKILL; minictr inside a 32M cgroup: the delegated leaf, the refusal;
# nested minictrs), detached containers (run -d, ps, exec, stop, wait, rm;
# --restart on-failure:2 counted in logs), the sweep that kills nothing,
# and last, that the VM is left as it was.
#
# Without --rootfs the container shares the VM's files, so helper scripts
# written to $T below can be run inside it. With --rootfs its / is /ctr, a
# tree built below from the VM's own busybox.
#
# No check depends on timing: where something happens asynchronously
# (orphans being reaped, a CPU limit biting, a killed container exiting) we
# poll with a generous bound, and each minictr call has a 60 s hang guard
# so a stuck check fails alone instead of eating the VM's whole time budget.
# shellcheck disable=SC2016  # the '$...' below are for the container's shell
set -u

T=/tmp/scenario
mkdir -p "$T"
n=0 passed=0 failed=0

ok() {
	n=$((n + 1)) passed=$((passed + 1))
	echo "ok $n - $1"
}

# not_ok NAME [DETAIL...]: a failed check, each DETAIL on a "# " line.
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

# ctr ARGS...: run `minictr ARGS...` (stdin from $in, /dev/null by
# default) and set $out, $err and $rc to its stdout, stderr and status.
in=/dev/null
ctr() {
	last="minictr $*"
	timeout 60 minictr "$@" <"$in" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# got: what the last ctr call did, for not_ok details.
got() { echo "ran: $last"; echo "status: $rc"; echo "stdout: $out"; echo "stderr: $err"; }

# expect NAME STATUS STDOUT ARGS...: run minictr ARGS..., check its status
# and its whole stdout.
expect() {
	name=$1 want_rc=$2 want_out=$3
	shift 3
	ctr "$@"
	if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ]; then
		ok "$name"
	else
		not_ok "$name" "wanted status $want_rc, stdout '$want_out'" "$(got)"
	fi
}

# expect_err NAME TEXT: the last ctr call succeeded and its stderr
# contains TEXT (for --trace lines).
expect_err() {
	case $err in
	*"$2"*) [ "$rc" = 0 ] && { ok "$1"; return; } ;;
	esac
	not_ok "$1" "wanted status 0, stderr containing: $2" "$(got)"
}

# ns_of PID: the namespace identities of a process, one "kind:[inode]" a line.
ns_of() {
	for kind in mnt uts ipc pid net; do readlink "/proc/$1/ns/$kind"; done
}

# file_arch FILE: the machine an ELF file is for, from its header's
# EI_CLASS (byte 4) and e_machine (bytes 18-19, little-endian here).
file_arch() {
	# shellcheck disable=SC2046  # one number per word, wanted
	set -- $(od -An -tu1 -j4 -N1 "$1") $(od -An -tu1 -j18 -N2 "$1")
	case $1:$2:$3 in
	2:62:0) echo x86_64 ;;
	2:183:0) echo aarch64 ;;
	1:40:0) echo arm, 32-bit ;;
	*) echo "class $1, machine $(($2 + 256 * $3))" ;;
	esac
}

# fstype_of DIR: the filesystem type of the mount on DIR, from the VM's
# /proc/self/mountinfo (the top one, if several are stacked). A line is
# "ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE ...":
# the optional fields (e.g. "shared:1") vary, so find the "-".
fstype_of() {
	awk -v dir="$1" '$5 == dir {
		for (i = 7; i <= NF; i++) if ($i == "-") { t = $(i + 1); break }
	} END { print t }' /proc/self/mountinfo
}

# The VM's state before any container runs, to compare with at the end.
cat /proc/self/mountinfo >"$T/mountinfo.before"
vm_hostname=$(hostname)
vm_links=$(ip -o link | cut -d: -f2 | tr -d ' ' | sort | tr '\n' ' ')

[ -x /bin/minictr ] || { not_ok "minictr is at /bin/minictr"; echo "VERDICT: $passed passed, $failed failed"; exit 1; }

# --- The VM is what the issue describes -------------------------------------
# "/ is the initramfs (rootfs), there is no systemd, cgroups are pure v2, and
# /dev is devtmpfs: minictr must work as is." /init never switch_roots, so
# the "/" line of the mount table must say rootfs. Printed for the record.
echo "# the VM's /: $(awk '$5 == "/"' /proc/self/mountinfo)"
root_type=$(fstype_of /)
if [ "$root_type" = rootfs ]; then
	ok "the VM's / is the initramfs itself (rootfs)"
else
	not_ok "the VM's / is the initramfs itself (rootfs)" "wanted fstype rootfs, got '$root_type'" \
		"$(cat /proc/self/mountinfo)"
fi
if [ "$(fstype_of /dev)" = devtmpfs ]; then
	ok "the VM's /dev is devtmpfs"
else
	not_ok "the VM's /dev is devtmpfs" "got '$(fstype_of /dev)'"
fi
# Pure v2: the cgroup2 mount at /sys/fs/cgroup, and no v1 ("cgroup") mount.
v1=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup") print $5; break } }' /proc/self/mountinfo)
if [ "$(fstype_of /sys/fs/cgroup)" = cgroup2 ] && [ -z "$v1" ]; then
	ok "the VM's cgroups are pure v2 (cgroup2 at /sys/fs/cgroup, no v1)"
else
	not_ok "the VM's cgroups are pure v2 (cgroup2 at /sys/fs/cgroup, no v1)" \
		"/sys/fs/cgroup: '$(fstype_of /sys/fs/cgroup)'" "v1 mounts: $v1"
fi
# / is shared, as systemd makes it: a container that forgot MS_PRIVATE
# would leak its mounts into the VM, and the last checks would see them.
# (The kernel accepts MS_SHARED on rootfs; /init's mount --make-rshared /.)
case " $(awk '$5 == "/"' /proc/self/mountinfo) " in
*" shared:"*) ok "the VM's / is a shared mount, as on a systemd host" ;;
*) not_ok "the VM's / is a shared mount, as on a systemd host" \
	"$(awk '$5 == "/"' /proc/self/mountinfo)" ;;
esac

# --- PID namespace --------------------------------------------------------
expect "the command is PID 1 of a new PID namespace" 0 1 \
	run /bin/sh -c 'echo $$'

# ls runs as PID 1 itself (minictr execs it), so the container's fresh /proc
# must hold exactly one process directory: "1".
ctr run /bin/ls /proc
pids=$(printf '%s\n' "$out" | grep -E '^[0-9]+$' | tr '\n' ' ')
if [ "$rc" = 0 ] && [ "$pids" = "1 " ]; then
	ok "the container's /proc shows only its own process"
else
	not_ok "the container's /proc shows only its own process" "pids seen: $pids" "$(got)"
fi

# With --init, minictr stays PID 1 and the command is its child, PID 2.
ctr run --init /bin/ls /proc
pids=$(printf '%s\n' "$out" | grep -E '^[0-9]+$' | tr '\n' ' ')
if [ "$rc" = 0 ] && [ "$pids" = "1 2 " ]; then
	ok "with --init the container's /proc shows PID 1 (init) and 2 (command)"
else
	not_ok "with --init the container's /proc shows PID 1 (init) and 2 (command)" "pids seen: $pids" "$(got)"
fi

# --- Hostname (UTS namespace) -------------------------------------------------
expect "-h sets the container's hostname" 0 box1 run -h box1 /bin/hostname
expect "--hostname sets the container's hostname" 0 box2 run --hostname box2 /bin/hostname
if [ "$(hostname)" = "$vm_hostname" ]; then
	ok "the VM's hostname is unchanged ($vm_hostname)"
else
	not_ok "the VM's hostname is unchanged" "was $vm_hostname, now $(hostname)"
fi

# --- Namespaces are really new ---------------------------------------------
# Compare the namespace identities seen inside with the VM's own.
ns_of $$ >"$T/ns.vm"
ctr run /bin/sh -c 'for k in mnt uts ipc pid net; do readlink /proc/self/ns/$k; done'
printf '%s\n' "$out" >"$T/ns.ctr"
same=$(grep -xFf "$T/ns.vm" "$T/ns.ctr" | tr '\n' ' ')
if [ "$rc" = 0 ] && [ "$(wc -l <"$T/ns.ctr")" = 5 ] && [ -z "$same" ]; then
	ok "mnt, uts, ipc, pid and net namespaces all differ from the VM's"
else
	not_ok "mnt, uts, ipc, pid and net namespaces all differ from the VM's" \
		"shared with the VM: $same" "VM: $(cat "$T/ns.vm")" "$(got)"
fi

# --- Exit statuses ------------------------------------------------------------
expect "the command's exit status passes through (3)" 3 "" \
	run /bin/sh -c 'exit 3'
# PID 1 of a namespace cannot be killed by a signal sent from inside it
# (the kernel drops it), so let a child shell die of SIGTERM: 128+15.
expect "a status of 143 (child killed by SIGTERM) passes through" 143 "" \
	run /bin/sh -c '/bin/sh -c "kill -TERM \$\$"; exit $?'
# With --init the command is PID 2 and can be killed: minictr reports 128+9.
expect "--init: a command killed by SIGKILL gives 137" 137 "" \
	run --init /bin/sh -c 'kill -9 $$'

ctr run /nope
if [ "$rc" = 127 ] && [ -z "$out" ] &&
	[ "$err" = "minictr: exec /nope: No such file or directory" ]; then
	ok "a missing command gives 127 and one line on stderr"
else
	not_ok "a missing command gives 127 and one line on stderr" \
		"wanted status 127, stderr 'minictr: exec /nope: No such file or directory'" "$(got)"
fi

# A directory cannot be executed (EACCES): any exec error but ENOENT is 126.
ctr run /etc
if [ "$rc" = 126 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] &&
	[ "${err#minictr: exec /etc: }" != "$err" ]; then
	ok "a command that cannot be executed gives 126 and one line on stderr"
else
	not_ok "a command that cannot be executed gives 126 and one line on stderr" \
		"wanted status 126, stderr 'minictr: exec /etc: ...'" "$(got)"
fi

ctr run --no-such-option /bin/true
if [ "$rc" = 125 ] && [ -n "$err" ]; then
	ok "an unknown option gives 125 and a message"
else
	not_ok "an unknown option gives 125 and a message" "$(got)"
fi

# --- --init reaps orphans -------------------------------------------------------
# Each "(sleep 0 &)" leaves an orphan, which the kernel hands to the PID
# namespace's init. A good init reaps it when it exits; a bad one leaves a
# zombie (state Z). We poll (up to ~30 s, but normally the first look is
# enough) until there is neither a zombie nor a live sleep.
cat >"$T/reap.sh" <<'EOF'
for i in $(seq 20); do (sleep 0 &); done
tries=0
while :; do
	left=$(cat /proc/[0-9]*/stat 2>/dev/null |
		awk '$3 == "Z" || $2 == "(sleep)" { print $1, $2, $3 }')
	[ -z "$left" ] && { echo "no zombies"; exit 0; }
	tries=$((tries + 1))
	[ "$tries" -ge 300 ] && break
	sleep 0.1
done
echo "left over:"; echo "$left"; ps -o pid,stat,comm
exit 1
EOF
expect "--init reaps orphaned children (no zombies)" 0 "no zombies" \
	run --init /bin/sh "$T/reap.sh"

# --- Network namespace -----------------------------------------------------------
ctr run /sbin/ip -o link
if [ "$rc" = 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
	printf '%s\n' "$out" | grep -qE '^1: lo: <([A-Z_]+,)*UP[,>]'; then
	ok "--net none (the default): only lo, and it is UP"
else
	not_ok "--net none (the default): only lo, and it is UP" "VM links: $vm_links" "$(got)"
fi

ctr run --net host /sbin/ip -o link
links=$(printf '%s\n' "$out" | cut -d: -f2 | tr -d ' ' | sort | tr '\n' ' ')
if [ "$rc" = 0 ] && [ "$links" = "$vm_links" ]; then
	ok "--net host: the container sees the VM's interfaces ($vm_links)"
else
	not_ok "--net host: the container sees the VM's interfaces" "VM: $vm_links" "container: $links" "$(got)"
fi

# --- Environment, working directory, stdin -------------------------------------------
expect "-e sets an environment variable" 0 bar \
	run -e FOO=bar /bin/sh -c 'echo "$FOO"'
expect "-w sets the working directory" 0 /tmp \
	run -w /tmp /bin/pwd
printf 'hello\n' >"$T/in"
in=$T/in
expect "-i passes stdin to the command" 0 hello run -i /bin/cat
in=/dev/null
expect "-- ends the options" 0 "-h" run -- /bin/echo -h

# --- -t on a real terminal ---------------------------------------------------------
# The VM's serial console is a real tty, which a CI host rarely has: give it
# to minictr as stdin. With -t the command must get a pseudo-terminal of its
# own (tty prints /dev/pts/N) and the console's modes (raw while the session
# lasts) must be put back exactly. Nobody types: qemu's stdin is /dev/null.
if [ -c /dev/console ] && stty -g </dev/console >"$T/stty.before" 2>/dev/null; then
	in=/dev/console
	ctr run -t -i /usr/bin/tty
	in=/dev/null
	stty -g </dev/console >"$T/stty.after"
	if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^/dev/pts/[0-9]'; then
		ok "-t: the command's stdin is a pseudo-terminal of its own"
	else
		not_ok "-t: the command's stdin is a pseudo-terminal of its own" "$(got)"
	fi
	if cmp -s "$T/stty.before" "$T/stty.after"; then
		ok "-t: the terminal's modes are restored afterwards"
	else
		not_ok "-t: the terminal's modes are restored afterwards" \
			"before: $(cat "$T/stty.before")" "after:  $(cat "$T/stty.after")"
	fi
else
	not_ok "-t: /dev/console is a terminal in the VM" "stty -g failed on /dev/console"
fi

# --- No container can type into a terminal (seccomp) --------------------------------
# tiocsti (test/tiocsti.c) pushes "touch FILE\n" into fds 0, 1 and 2 with
# ioctl(TIOCSTI), also with high bits set in the request, and tries
# TIOCLINUX; it prints one line per attempt and exits 0 only if every one
# failed with EPERM. With -i its stdin is the VM's console, a real terminal,
# and a root container holds CAP_SYS_ADMIN, for which Linux 6.1 allows
# TIOCSTI on any terminal: only minictr's seccomp filter stands in the way.
# (On its stdout and stderr, files here, the kernel would say ENOTTY.)
# This runs after the -t checks, so even a failure types into nothing they read.
#
# The filter must know every system call ABI the kernel offers, not only
# minictr's own: the arm64 kernel also runs 32-bit arm programs, and an
# armhf minictr also runs on it. So vm-test.sh passes tiocsti-other, the
# same program for the kernel's other ABI (armhf on an aarch64 run, aarch64
# on an armhf run; none on x86_64, where i386 and x32 would need their own
# toolchains).
for prog in /extra/tiocsti /extra/tiocsti-other; do
	[ -f "$prog" ] || continue
	name="seccomp: TIOCSTI and TIOCLINUX fail with EPERM on a real terminal ($(file_arch "$prog"))"
	in=/dev/console
	ctr run -i "$prog" "$T/pwned"
	in=/dev/null
	if [ "$rc" = 0 ] && [ -n "$out" ] && [ ! -e "$T/pwned" ]; then
		ok "$name"
	else
		not_ok "$name" "wanted status 0 (every attempt refused with EPERM)" "$(got)"
	fi
done

# --- --rootfs on the initramfs --------------------------------------------------------
# The container's / is /ctr, built here from the VM's own busybox: the
# binary, every applet as a link to /bin/busybox in /ctr/bin, an
# /etc/passwd, /tmp, /root, and the escape program. minictr adds /dev,
# /proc and /sys. Since the VM's / is rootfs, pivot_root must fail (EINVAL)
# and minictr must detach the VM's /proc and /sys, move /ctr over / and
# chroot into it.
mkdir -p /ctr/bin /ctr/etc /ctr/root /ctr/tmp
chmod 1777 /ctr/tmp
cp /bin/busybox /extra/escape /ctr/bin/
/bin/busybox --install -s /ctr/bin
echo 'root:x:0:0:root:/root:/bin/sh' >/ctr/etc/passwd

expect "--rootfs on the initramfs: the command is PID 1 and sees DIR's files" 0 \
	"1 bin dev etc proc root sys tmp" \
	run --rootfs /ctr /bin/sh -c 'echo $$ $(ls /)'

ctr run --trace --rootfs /ctr /bin/true
expect_err "--rootfs: pivot_root is refused (EINVAL) on the initramfs" \
	'pivot_root(".", ".") = -1 (Invalid argument)'
expect_err "--rootfs: ... so the VM's /proc is detached first" \
	'umount2("/proc", MNT_DETACH) = 0'
expect_err "--rootfs: ... and the VM's /sys" \
	'umount2("/sys", MNT_DETACH) = 0'
expect_err "--rootfs: ... then DIR is moved over / and chrooted into" \
	'chroot(".") = 0'

# escape.c chroots into a subdirectory, climbs out with "..", chroots there
# and prints how many processes its /proc shows, and PID 1's name.
expect "--rootfs: a chroot escape from inside still finds only the container's /proc" 0 \
	"1 escape" run --rootfs /ctr /bin/escape

expect "--rootfs: the container's own /proc and /sys can be read" 0 "" \
	run --rootfs /ctr /bin/sh -c \
	'cat /proc/1/mountinfo /sys/kernel/mm/transparent_hugepage/enabled >/dev/null'

# --rootfs --init: PID 1 is minictr again, run from a sealed memfd copy, so
# a container cannot overwrite the VM's /bin/minictr through /proc/1/exe.
expect "--rootfs --init: PID 1 runs from a sealed memfd copy of minictr" 0 \
	"/memfd:minictr (deleted)" run --rootfs /ctr --init /bin/readlink /proc/1/exe

# docker's default capability set less CAP_MKNOD: 0xa00425fb.
expect "--rootfs: the capabilities are docker's set less CAP_MKNOD" 0 \
	"$(printf 'CapEff:\t00000000a00425fb\nCapBnd:\t00000000a00425fb')" \
	run --rootfs /ctr /bin/grep -E '^Cap(Eff|Bnd):' /proc/self/status
# Seccomp 2 is "filter mode": the TIOCSTI filter is there with --rootfs too.
expect "--rootfs: no new privileges, and the seccomp filter" 0 \
	"$(printf 'NoNewPrivs:\t1\nSeccomp:\t2')" \
	run --rootfs /ctr /bin/grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
# docker's default profile bites the VM's own busybox: a 64-bit program
# under an armhf minictr on the arm64 kernel too (issue 12)
expect "--rootfs: docker's default profile refuses unshare -U (the VM's busybox: $(file_arch /bin/busybox))" 0 refused \
	run --rootfs /ctr /bin/sh -c '/bin/busybox unshare -U true 2>/dev/null && echo allowed || echo refused'
expect "--rootfs --cap-add SYS_ADMIN: the profile lets unshare -U through" 0 allowed \
	run --rootfs /ctr --cap-add SYS_ADMIN /bin/sh -c '/bin/busybox unshare -U true 2>/dev/null && echo allowed || echo refused'

# The i386 ABI (x86_64 only: /extra/seccomp_try, test/seccomp_try.c). Any
# x86_64 program can make i386 system calls by int $0x80, where the
# numbers mean other calls (unshare is 310, not 272): a filter that reads
# the number without the architecture would let them through. This
# kernel runs i386 code (CONFIG_IA32_EMULATION); the CI host's may not,
# so test/test_seccomp.sh leaves i386 to these checks. seccomp_try
# prints "NAME: ok" or "NAME: <strerror>" for one call through one ABI.
if [ -f /extra/seccomp_try ]; then
	cp /extra/seccomp_try /ctr/bin/
	calls="unshare clone keyctl add_key mount personality"
	try="for c in $calls; do seccomp_try i386 \$c; done; seccomp_try i386 personality 0xffffffff"
	eperm=""
	for c in $calls; do eperm="$eperm$c: Operation not permitted
"; done
	# without --rootfs the container has every capability and no chroot,
	# so with no profile each of these calls succeeds: only a filter
	# refuses them (--rootfs would add the kernel's own EPERMs)
	expect "i386 ABI, seccomp=unconfined: unshare -U, clone NEWUSER, keyctl, add_key, mount, personality(0xffff) made by int \$0x80 work" 0 \
		"$(for c in $calls personality; do echo "$c: ok"; done)" \
		run --security-opt seccomp=unconfined /bin/sh -c "PATH=/extra; $try"
	expect "i386 ABI, docker's default profile: the same calls get its EPERM; personality(0xffffffff), a query it allows, works" 0 \
		"${eperm}personality: ok" \
		run --rootfs /ctr /bin/sh -c "$try"
	# A profile that names only SCMP_ARCH_X86_64 refuses every i386 call:
	# with its default action when that refuses (docker's, EPERM), and by
	# SECCOMP_RET_KILL_PROCESS when it allows (SIGSYS: status 159).
	cp /extra/x86_64-only.json "$T/x86_64-only.json"
	expect "i386 ABI, docker's profile for SCMP_ARCH_X86_64 only: every i386 call gets EPERM, the query and getppid too" 0 \
		"${eperm}personality: Operation not permitted
getppid: Operation not permitted
getppid: ok" \
		run --rootfs /ctr --security-opt "seccomp=$T/x86_64-only.json" /bin/sh -c \
		"$try; seccomp_try i386 getppid; seccomp_try native getppid"
	printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["keyctl"],"action":"SCMP_ACT_ERRNO"}]}' \
		>"$T/allow-x86_64.json"
	expect "i386 ABI, an allowing profile for SCMP_ARCH_X86_64 only: native getppid works, i386 getppid is killed (SIGSYS)" 159 \
		"getppid: ok" \
		run --rootfs /ctr --security-opt "seccomp=$T/allow-x86_64.json" /bin/sh -c \
		'seccomp_try native getppid; exec seccomp_try i386 getppid'
fi

cat /proc/self/mountinfo >"$T/mountinfo.rootfs"
if cmp -s "$T/mountinfo.before" "$T/mountinfo.rootfs"; then
	ok "--rootfs: the VM's mount table is unchanged"
else
	not_ok "--rootfs: the VM's mount table is unchanged" \
		"$(diff "$T/mountinfo.before" "$T/mountinfo.rootfs")"
fi

# --- The device policy on pure cgroup v2: a BPF_CGROUP_DEVICE program -------------------
# A node of major 240 (no driver holds it) opens with ENXIO when the
# policy lets it through, EPERM when the program says no: the program is
# checked in open(2) before the driver is asked.  The rules of an OCI
# bundle allow c 240:0 for reading only; runc's list after them lets
# mknod through and /dev/null work.  Nothing else is allowed.
cat >/ctr/devs.sh <<'EOS'
rm -f /tmp/c0 /tmp/b0
mknod /tmp/c0 c 240 0 && mknod /tmp/b0 b 240 0 && echo made
head -c1 /tmp/c0 2>&1 | sed 's/.*: //'
(echo x >/tmp/c0) 2>&1 | sed 's/.*: //'
head -c1 /tmp/b0 2>&1 | sed 's/.*: //'
echo x >/dev/null && echo null
EOS
mkdir -p "$T/bundle"
(cd "$T/bundle" && minictr spec)
sed -i -e 's/"terminal": true/"terminal": false/' \
	-e 's|"args": \["sh"\]|"args": ["/bin/sh", "/devs.sh"]|' \
	-e 's/"CAP_SETFCAP"\]/"CAP_SETFCAP","CAP_MKNOD"]/g' \
	-e 's|"root": {"path": "rootfs", "readonly": true}|"root": {"path": "/ctr", "readonly": false}|' \
	-e 's|"linux": {|"linux": {"resources": {"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 240, "minor": 0, "access": "r"}]},|' \
	"$T/bundle/config.json"
expect "device policy (v2, run --bundle): c 240:0 r: made, read passes, write and b 240:0 refused" 0 \
	"$(printf 'made\nNo such device or address\nOperation not permitted\nOperation not permitted\nnull')" \
	--root "$T/oci" run --bundle "$T/bundle" dev1
expect "device policy (v2, run --rootfs --cap-add MKNOD): runc's list alone, 240 refused" 0 \
	"$(printf 'made\nOperation not permitted\nOperation not permitted\nOperation not permitted\nnull')" \
	run --rootfs /ctr --cap-add MKNOD /bin/sh /devs.sh
ctr run --trace --rootfs /ctr --cap-add MKNOD /bin/true
case $err in
*'bpf(BPF_PROG_LOAD, {BPF_PROG_TYPE_CGROUP_DEVICE'*') = '[0-9]*'bpf(BPF_PROG_ATTACH, {'*'BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI}'*') = 0'*)
	ok "device policy (v2): --trace shows the program loaded and attached" ;;
*)	not_ok "device policy (v2): --trace shows the program loaded and attached" "$(got)" ;;
esac
# linux.devices: the node made in the container's /dev, and its allow
# rule in the program, after the config's rules (here c 240:0 for
# writing only): reading it reaches the driver (ENXIO)
cat >/ctr/devs2.sh <<'EOS'
stat -c '%F %t:%T %a' /dev/x240
head -c1 /dev/x240 2>&1 | sed 's/.*: //'
EOS
sed -i -e 's|"/devs.sh"|"/devs2.sh"|' \
	-e 's|"linux": {|"linux": {"devices": [{"path": "/dev/x240", "type": "c", "major": 240, "minor": 0}],|' \
	-e 's|"access": "r"}|"access": "w"}|' "$T/bundle/config.json"
expect "device policy (v2): linux.devices c 240:0 made, its rule lets open reach the driver" 0 \
	"$(printf 'character special file f0:0 666\nNo such device or address')" \
	--root "$T/oci" run --bundle "$T/bundle" dev2
rm -rf "$T/bundle" "$T/oci" /ctr/devs.sh /ctr/devs2.sh /ctr/tmp/c0 /ctr/tmp/b0

# --- config.json's cgroupsPath on pure cgroup v2 ---------------------------------------
# An engine names the cgroup: "/vmtest/a" is from the hierarchy's root, so
# minictr makes the missing parent vmtest, hands the controllers down to
# it (cgroup.subtree_control), then a; the limit is in a while the
# container lives; delete removes a and leaves vmtest, as runc leaves the
# parents it made (removed here).  systemd's "slice:prefix:name" form
# (--systemd-cgroup) is where systemd would put the scope.
mkdir -p "$T/cgb"
(cd "$T/cgb" && minictr spec)
sed -i -e 's/"terminal": true/"terminal": false/' \
	-e 's|"args": \["sh"\]|"args": ["/bin/cat", "/proc/self/cgroup", "/sys/fs/cgroup/memory.max"]|' \
	-e 's|"root": {"path": "rootfs", "readonly": true}|"root": {"path": "/ctr", "readonly": true}|' \
	-e 's|"linux": {|"linux": {"cgroupsPath": "/vmtest/a", "resources": {"memory": {"limit": 33554432}},|' \
	"$T/cgb/config.json"
ctr --root "$T/oci" create --bundle "$T/cgb" --pid-file "$T/cg.pid" cg1
pid=$(cat "$T/cg.pid" 2>/dev/null)
got_cg=$(cat "/proc/$pid/cgroup" /sys/fs/cgroup/vmtest/a/memory.max 2>&1; grep -o memory /sys/fs/cgroup/vmtest/cgroup.subtree_control 2>&1)
if [ "$rc" = 0 ] && [ "$got_cg" = "$(printf '0::/vmtest/a\n33554432\nmemory')" ]; then
	ok "cgroupsPath /vmtest/a (v2): the init in it, memory.max the limit, vmtest made and handing memory down"
else
	not_ok "cgroupsPath /vmtest/a (v2): the init in it, memory.max the limit, vmtest made and handing memory down" \
		"got: $got_cg" "$(got)"
fi
ctr --root "$T/oci" delete --force cg1
if [ "$rc" = 0 ] && [ ! -e /sys/fs/cgroup/vmtest/a ] && [ -d /sys/fs/cgroup/vmtest ]; then
	ok "cgroupsPath /vmtest/a (v2): delete removes a, leaves the parent vmtest (as runc)"
else
	not_ok "cgroupsPath /vmtest/a (v2): delete removes a, leaves the parent vmtest (as runc)" \
		"$(ls -d /sys/fs/cgroup/vmtest /sys/fs/cgroup/vmtest/a 2>&1)" "$(got)"
fi
# inside, a cgroup namespace of its own (minictr's default on v2 with a
# root of its own, as docker's): its cgroup is 0::/, its limit in sight
expect "cgroupsPath /vmtest/a (v2): run --bundle, inside: 0::/ and memory.max 32M" 0 \
	"$(printf '0::/\n33554432')" --root "$T/oci" run --bundle "$T/cgb" cg2
sed -i 's|"cgroupsPath": "/vmtest/a"|"cgroupsPath": "vm.slice:minictr:c3"|' "$T/cgb/config.json"
ctr --root "$T/oci" --systemd-cgroup create --bundle "$T/cgb" c3
got_cg=$(cat /sys/fs/cgroup/vm.slice/minictr-c3.scope/memory.max 2>&1)
ctr --root "$T/oci" delete --force c3
if [ "$got_cg" = 33554432 ] && [ "$rc" = 0 ] && [ ! -e /sys/fs/cgroup/vm.slice/minictr-c3.scope ]; then
	ok "cgroupsPath vm.slice:minictr:c3 (v2, --systemd-cgroup): /vm.slice/minictr-c3.scope, the limit, removed"
else
	not_ok "cgroupsPath vm.slice:minictr:c3 (v2, --systemd-cgroup): /vm.slice/minictr-c3.scope, the limit, removed" \
		"memory.max: $got_cg" "$(ls -R /sys/fs/cgroup/vm.slice 2>&1 | head -5)" "$(got)"
fi
rmdir /sys/fs/cgroup/vmtest /sys/fs/cgroup/vm.slice
rm -rf "$T/cgb" "$T/oci" "$T/cg.pid"

# --- Rootless, and the cgroup2 view inside --------------------------------------------
# A user of the VM's own (uid 1000: a line added here to the initramfs's
# /etc/passwd), become through busybox su (its setpriv has no --reuid),
# runs minictr: the one clone makes a user namespace too, one ID mapped
# (the VM has no /etc/subuid), and --rootfs on the initramfs (MS_MOVE +
# chroot) works in it. Its root is its own copy of /ctr: inside, the
# files of the VM's root would be nobody's. Limits as the user are
# refused: the VM's cgroup tree is root's, delegated to no one.
echo 'user:x:1000:1000:user:/tmp/user:/bin/sh' >>/etc/passwd
mkdir -p /tmp/user && cp -a /ctr /tmp/user/ctr && chown -R 1000:1000 /tmp/user
# (`; true`: busybox sh execs a last command, which would then be PID 1)
cat >"$T/user.sh" <<'EOF'
export XDG_RUNTIME_DIR=/tmp/user
id -u
minictr run --rootfs /tmp/user/ctr -h box /bin/sh -c \
	'id -u; hostname; echo $$; tr -s " " </proc/self/uid_map; cat /proc/1/comm; true'
minictr run -m 32m /bin/true
echo "limits: $?"
EOF
chmod 755 "$T" && chmod 644 "$T/user.sh"
last="su user -c 'sh $T/user.sh'"
timeout 120 su -s /bin/sh user -c "sh $T/user.sh" </dev/null >"$T/out" 2>"$T/err"
rc=$? out=$(cat "$T/out") err=$(cat "$T/err")
want=$(printf '1000\n0\nbox\n1\n 0 1000 1\nsh\nlimits: 125')
if [ "$out" = "$want" ]; then
	ok "rootless: uid 1000 runs --rootfs: root inside, its hostname, PID 1, its own /proc"
else
	not_ok "rootless: uid 1000 runs --rootfs: root inside, its hostname, PID 1, its own /proc" \
		"wanted: $want" "$(got)"
fi
case $err in
*"note: one ID mapped"*"minictr: --memory: "*) ok "rootless: one ID is said, and limits are refused with a line" ;;
*) not_ok "rootless: one ID is said, and limits are refused with a line" "$(got)" ;;
esac
# As root with a limit and --rootfs: a cgroup namespace of its own and a
# read-only cgroup2 on /sys/fs/cgroup, so a program that sizes itself
# from its cgroup (the JVM, Go) sees 32M, not the VM's memory.
expect "cgroup2 inside: -m 32m --rootfs sees memory.max 32M, its cgroup as 0::/, read-only" 0 \
	"$(printf '33554432\n0::/\nro')" \
	run -m 32m --rootfs /ctr /bin/sh -c \
	'cat /sys/fs/cgroup/memory.max /proc/self/cgroup; touch /sys/fs/cgroup/x 2>/dev/null || echo ro'

# --- Limits on pure cgroup v2 ---------------------------------------------------------
# Without --rootfs the container sees the VM's /sys/fs/cgroup, and (no
# cgroup namespace) its own cgroup's path in /proc/self/cgroup, "0::/PATH".
cat >"$T/limits.sh" <<'EOS'
d=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
echo "$d"
cat "$d/memory.max" "$d/pids.max" "$d/cpu.max"
EOS
ctr run -m 32m --pids-limit 10 --cpus 0.5 /bin/sh "$T/limits.sh"
dir=$(printf '%s\n' "$out" | sed -n 1p)
values=$(printf '%s\n' "$out" | sed 1d | tr '\n' ' ')
# The scenario runs in the root cgroup: the container's is right below it,
# named after who made it: minictr-<pid namespace inode>-<pid>-<start>.
pidns=$(stat -L -c %i /proc/self/ns/pid)
case $rc:$dir in
0:/sys/fs/cgroup/minictr-$pidns-[1-9]*-[0-9]*) ok "limits: the container's cgroup is /sys/fs/cgroup/minictr-<pidns>-<pid>-<start>" ;;
*) not_ok "limits: the container's cgroup is /sys/fs/cgroup/minictr-<pidns>-<pid>-<start>" "$(got)" ;;
esac
if [ "$rc" = 0 ] && [ "$values" = "33554432 10 50000 100000 " ]; then
	ok "limits: -m 32m, --pids-limit 10, --cpus 0.5 written in v2's files"
else
	not_ok "limits: -m 32m, --pids-limit 10, --cpus 0.5 written in v2's files" \
		"wanted memory.max, pids.max, cpu.max: 33554432 10 50000 100000" "$(got)"
fi

# --memory-swap, docker's memory and swap together: v2's memory.swap.max
# holds the swap alone, the difference (-m alone: 0, -1: max).  A kernel
# that does not account swap has no such file: then the limit is refused
# with one line and 125, never dropped.
cat >"$T/swap.sh" <<'EOS'
cat "/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)/memory.swap.max"
EOS
ctr run -m 64m --memory-swap 192m /bin/sh "$T/swap.sh"
case $rc:$out:$err in
0:134217728:)
	ok "--memory-swap 192m -m 64m (v2): memory.swap.max is the swap alone, 128M"
	expect "--memory-swap -1 (v2): memory.swap.max max" 0 max \
		run -m 64m --memory-swap -1 /bin/sh "$T/swap.sh"
	expect "-m alone (v2): no swap on top, memory.swap.max 0" 0 0 \
		run -m 64m /bin/sh "$T/swap.sh" ;;
"125::minictr: --memory-swap: swap is not accounted on this host"*)
	ok "--memory-swap where v2 does not account swap: 125, one line" ;;
*) not_ok "--memory-swap 192m -m 64m (v2): memory.swap.max 128M" "$(got)" ;;
esac

# hog touches 64 MiB. Unlimited it finishes; with -m 32m the kernel's OOM
# killer stops it, and minictr says so.
expect "limits: without -m, the hog touches its 64 MiB and exits 0" 0 "" run /extra/hog
ctr run -m 32m /extra/hog
if [ "$rc" = 137 ] && [ "$err" = "minictr: container was killed: out of memory (limit 32M)" ]; then
	ok "limits: -m 32m on v2: out of memory gives 137 and one line"
else
	not_ok "limits: -m 32m on v2: out of memory gives 137 and one line" \
		"wanted status 137, stderr 'minictr: container was killed: out of memory (limit 32M)'" "$(got)"
fi

# --pids-limit 10: a shell starts 20 sleeps in the background; forks past
# the limit fail (the shell gives up). Then count the container's processes
# and read pids.events, whose "max" counts the refused forks. Only shell
# builtins after the loop: a fork there could be refused too.
cat >"$T/pids.sh" <<'EOS'
d=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
sh -c 'for i in $(seq 20); do sleep 100 & done' 2>/dev/null
set -- /proc/[0-9]*
max=
while read -r key value; do [ "$key" = max ] && max=$value; done <"$d/pids.events"
echo "$# $max"
EOS
ctr run --pids-limit 10 /bin/sh "$T/pids.sh"
procs=${out%% *} refused=${out#* }
if [ "$rc" = 0 ] && [ "$procs" -ge 2 ] 2>/dev/null && [ "$procs" -le 10 ] &&
	[ "$refused" -ge 1 ] 2>/dev/null; then
	ok "limits: --pids-limit 10 on v2 ($procs processes, $refused forks refused)"
else
	not_ok "limits: --pids-limit 10 on v2" \
		"wanted 2 to 10 processes and at least 1 refused fork (pids.events max)" "$(got)"
fi

# --cpus 0.5: a busy loop may use 50 ms in every 100 ms. Poll cpu.stat
# until nr_throttled counts a throttled period (up to ~30 s: no timing is
# asserted, only that it happens).
cat >"$T/cpu.sh" <<'EOS'
stat=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)/cpu.stat
sh -c 'while :; do :; done' &
tries=0 throttled=0
while [ "$throttled" = 0 ] && [ "$tries" -lt 300 ]; do
	sleep 0.1
	while read -r key value; do [ "$key" = nr_throttled ] && throttled=$value; done <"$stat"
	tries=$((tries + 1))
done
kill $!
echo "$throttled"
EOS
ctr run --cpus 0.5 /bin/sh "$T/cpu.sh"
if [ "$rc" = 0 ] && [ "${out:-0}" -gt 0 ] 2>/dev/null; then
	ok "limits: --cpus 0.5 on v2 throttles a busy loop (nr_throttled $out)"
else
	not_ok "limits: --cpus 0.5 on v2 throttles a busy loop" "wanted nr_throttled > 0" "$(got)"
fi

# A minictr killed by SIGKILL cannot clean up: its cgroup stays until the
# next run with a limit sweeps it. Its container dies with it
# (PR_SET_PDEATHSIG). sleeping_child PID: the pid of PID's child once it
# runs sleep, polled up to ~10 s (busybox has no pgrep).
sleeping_child() {
	tries=0
	while [ "$tries" -lt 100 ]; do
		for st in /proc/[0-9]*/stat; do
			read -r pid comm _ ppid _ <"$st" 2>/dev/null || continue
			[ "$ppid" = "$1" ] && [ "$comm" = "(sleep)" ] && { echo "$pid"; return; }
		done
		sleep 0.1
		tries=$((tries + 1))
	done
}
minictr run -m 32m /bin/sleep 100 </dev/null >/dev/null 2>&1 &
mpid=$!
child=$(sleeping_child "$mpid")
child_cgroup=$(cat "/proc/${child:-none}/cgroup" 2>/dev/null)
kill -9 "$mpid"
wait "$mpid" 2>/dev/null
left=$(ls -d /sys/fs/cgroup/minictr-"$pidns-$mpid"-* 2>/dev/null)
if [ -n "$child" ] && [ "$child_cgroup" = "0::/${left#/sys/fs/cgroup/}" ]; then
	ok "limits: the container runs in minictr-<pidns>-<minictr's pid>-<start>"
else
	not_ok "limits: the container runs in minictr-<pidns>-<minictr's pid>-<start>" \
		"minictr: $mpid, its sleeping child: '$child'" "its cgroup: '$child_cgroup', left: '$left'"
fi
if [ -n "$left" ] && [ -d "$left" ]; then
	ok "limits: a minictr killed by SIGKILL leaves its cgroup behind"
else
	not_ok "limits: a minictr killed by SIGKILL leaves its cgroup behind" \
		"$(ls -d /sys/fs/cgroup/minictr* 2>&1)"
fi
# Poll (up to ~10 s) until the cgroup holds no live process.
tries=0
until grep -qx 'populated 0' "$left/cgroup.events" 2>/dev/null ||
	[ "$tries" -ge 100 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
if grep -qx 'populated 0' "$left/cgroup.events" 2>/dev/null; then
	ok "limits: ... and its container died with it"
else
	not_ok "limits: ... and its container died with it" \
		"cgroup.procs: $(cat "$left/cgroup.procs" 2>&1)"
fi
ctr run -m 32m /bin/true
if [ "$rc" = 0 ] && [ -n "$left" ] && [ ! -e "$left" ]; then
	ok "limits: the next run with -m sweeps it (empty, and its minictr gone)"
else
	not_ok "limits: the next run with -m sweeps it (empty, and its minictr gone)" \
		"left: $(ls -d /sys/fs/cgroup/minictr* 2>&1)" "$(got)"
fi

# --- Limits inside a limited cgroup (pure v2) ----------------------------------------
# minictr makes the container's cgroup below its own, so a limit above it
# (a systemd unit's MemoryMax=, a CI job's) still holds. On v2 a cgroup
# with processes cannot hand controllers to children (the no-internal-
# process rule): minictr alone in its cgroup moves itself into a leaf of
# its own, as systemd's delegation documentation says; otherwise it
# refuses, 125, with one line saying what to do. /sys/fs/cgroup/lim is a
# 32M cgroup with memory delegated to it (in the root's subtree_control).
echo "+memory +pids" >/sys/fs/cgroup/cgroup.subtree_control
lim=/sys/fs/cgroup/lim
mkdir "$lim"
echo 32M >"$lim/memory.max"
echo 0 >"$lim/memory.swap.max" 2>/dev/null
# in_cgroup alone|shared CGROUP ARGS...: run minictr ARGS from a shell
# moved into CGROUP; "alone": the shell execs minictr, which is then the
# only process there; "shared": the shell stays (minictr is not its last
# command, which a shell would exec).
in_cgroup() {
	how=$1 cgdir=$2
	shift 2
	last="minictr $* (in $cgdir, $how)"
	case $how in
	alone) script='echo $$ >"$0/cgroup.procs" && exec minictr "$@"' ;;
	*) script='echo $$ >"$0/cgroup.procs" && minictr "$@"; exit $?' ;;
	esac
	timeout 60 sh -c "$script" "$cgdir" "$@" </dev/null >"$T/out" 2>"$T/err"
	rc=$? out=$(cat "$T/out") err=$(cat "$T/err")
}
in_cgroup alone "$lim" run -m 512m /extra/hog
if [ "$rc:$err" = "137:minictr: container was killed: out of memory (not its -m limit: one above minictr's cgroup, or the host's)" ]; then
	ok "limits: -m 512m inside a 32M cgroup: the hog is killed, 32M holds (137)"
else
	not_ok "limits: -m 512m inside a 32M cgroup: the hog is killed, 32M holds (137)" "$(got)"
fi
subs=$(find "$lim" -mindepth 1 -type d)
if [ -z "$subs" ] && [ -z "$(cat "$lim/cgroup.subtree_control")" ] &&
	[ -z "$(cat "$lim/cgroup.procs")" ]; then
	ok "limits: ... and the 32M cgroup is as it was (no child, no controller enabled)"
else
	not_ok "limits: ... and the 32M cgroup is as it was (no child, no controller enabled)" \
		"children: $subs" "subtree_control: $(cat "$lim/cgroup.subtree_control")"
fi
in_cgroup alone "$lim" run -m 16m --pids-limit 10 /bin/cat /proc/self/cgroup
case $rc:$out in
"0:0::/lim/minictr-"*) ok "limits: the container's cgroup is below minictr's own ($(echo "$out" | head -1))" ;;
*) not_ok "limits: the container's cgroup is below minictr's own" "$(got)" ;;
esac

# Not alone: the shell that started minictr stays in lim.
in_cgroup shared "$lim" run -m 16m /bin/echo ran
case $rc:$out:$err in
"125::minictr: --memory: minictr's cgroup $lim holds other processes, and on cgroup v2 such a cgroup cannot limit its children: run it alone in a cgroup delegated to it (systemd-run --scope -p Delegate=yes minictr run ...), or from the root cgroup")
	ok "limits: not alone in a v2 cgroup: 125 and one line saying what to do" ;;
*) not_ok "limits: not alone in a v2 cgroup: 125 and one line saying what to do" "$(got)" ;;
esac
# A cgroup the controller was not handed to: lim/nodeleg (lim enables none).
mkdir "$lim/nodeleg"
in_cgroup alone "$lim/nodeleg" run -m 16m /bin/echo ran
case $rc:$out:$err in
"125::minictr: --memory: the memory controller is not delegated to minictr's cgroup $lim/nodeleg: run it alone"*)
	ok "limits: a v2 cgroup without the controller: 125 and one line" ;;
*) not_ok "limits: a v2 cgroup without the controller: 125 and one line" "$(got)" ;;
esac
subs=$(find "$lim" -mindepth 1 -type d)
if [ "$subs" = "$lim/nodeleg" ]; then
	ok "limits: ... refused before anything was made"
else
	not_ok "limits: ... refused before anything was made" "children of $lim: $subs"
fi
rmdir "$lim/nodeleg" "$lim"
if [ ! -e "$lim" ]; then
	ok "limits: the limited cgroups of the test are removed"
else
	not_ok "limits: the limited cgroups of the test are removed" "$(cat "$lim/cgroup.procs")"
fi

# --- Nested minictrs never touch a live container (pure v2) -------------------------
# Without --rootfs the container sees the VM's /sys/fs/cgroup, so a minictr
# can run in it, as PID 1 of its container: the pid every such minictr
# has. B starting must leave A alone; each inner minictr is alone in its
# outer container's cgroup, so it moves itself into a leaf there.
minictr run --stop-timeout 1 -m 64m --pids-limit 30 minictr run --stop-timeout 1 \
	-m 32m --pids-limit 10 /bin/sleep 1000 </dev/null >/dev/null 2>&1 &
apid=$!
inner= tries=0       # the inner container's sleep, found by its cgroup
while [ -z "$inner" ] && [ "$tries" -lt 100 ]; do
	for st in /proc/[0-9]*/stat; do
		read -r pid comm _ ppid _ <"$st" 2>/dev/null || continue
		[ "$comm" = "(sleep)" ] && grep -q "^0::/minictr-.*/minictr-" "/proc/$pid/cgroup" 2>/dev/null &&
			inner=$pid
	done
	[ -n "$inner" ] || sleep 0.1
	tries=$((tries + 1))
done
ctr run -m 64m --pids-limit 30 minictr run -m 32m --pids-limit 10 /bin/echo inner ran
if [ "$rc:$out:$err" = "0:inner ran:" ]; then
	ok "nested: a second nested minictr runs, limited, beside the first"
else
	not_ok "nested: a second nested minictr runs, limited, beside the first" "$(got)"
fi
if [ -n "$inner" ] && [ -d "/proc/$inner" ] &&
	grep -q "^0::/minictr-.*/minictr-[0-9]*-1-[0-9]*$" "/proc/$inner/cgroup"; then
	ok "nested: ... and the first one's container is alive, in its cgroup ($(cat "/proc/$inner/cgroup"))"
else
	not_ok "nested: ... and the first one's container is alive, in its cgroup" \
		"sleep: '$inner'" "$(cat "/proc/${inner:-none}/cgroup" 2>&1)"
fi
kill -TERM "$apid"
wait "$apid" 2>/dev/null
ctr run -m 64m minictr run -m 32m /extra/hog
if [ "$rc" = 137 ] && [ "$err" = "minictr: container was killed: out of memory (limit 32M)" ]; then
	ok "nested: the inner -m 32m bites, and only the inner minictr says so"
else
	not_ok "nested: the inner -m 32m bites, and only the inner minictr says so" "$(got)"
fi

# --- Detached containers: run -d, ps, exec, stop, rm; --restart -------------------
R=$T/state                      # their state, as /run/minictr would hold it
ctr --root "$R" run -d --name web sh -c 'while :; do sleep 1; done'
web_rc=$rc
ctr --root "$R" ps
case $web_rc:$rc:$out in
*" Up "*web) ok "detached: run -d --name web, and ps finds it running" ;;
*) not_ok "detached: run -d --name web, and ps finds it running" "$(got)" ;;
esac
expect "detached: exec enters it (its own pid namespace: pid 1 is sh)" 0 sh \
	--root "$R" exec web cat /proc/1/comm
expect "detached: stop (sh as PID 1 ignores SIGTERM: SIGKILL after -t 1)" \
	0 web --root "$R" stop -t 1 web
expect "detached: wait prints the status stop left" 0 137 --root "$R" wait web
expect "detached: rm removes it" 0 web --root "$R" rm web
expect "detached: ps -a lists nothing then" 0 "" --root "$R" ps -a -q
ctr --root "$R" run -d --restart on-failure:2 --name flaky \
	sh -c 'echo attempt; exit 3'
# wait returns at each exit, as docker's (its restarts too): ps -a says
# when it has ended for good
for i in $(seq 100); do
	minictr --root "$R" ps -a | grep -q 'Exited (3) .* flaky$' && break
	sleep 0.1
done
expect "restart: on-failure:2 of a failing command ends with its status" \
	0 3 --root "$R" wait flaky
ctr --root "$R" logs flaky
runs=$(printf '%s\n' "$out" | grep -c '^attempt$')
if [ "$rc" = 0 ] && [ "$runs" = 3 ]; then
	ok "restart: its log counts 3 runs (the first and 2 restarts)"
else
	not_ok "restart: its log counts 3 runs (the first and 2 restarts)" "$(got)"
fi
expect "restart: rm removes it" 0 flaky --root "$R" rm flaky

# --- The sweep removes only what it proves stale, and kills nothing ------------------
sleep 0.1 &
dead=$!
wait "$dead"
stale=/sys/fs/cgroup/minictr-$pidns-$dead-1      # empty, its minictr gone
busy=/sys/fs/cgroup/minictr-$pidns-$dead-2       # its minictr gone, not empty
legacy=/sys/fs/cgroup/minictr/$dead              # today's main's name for it
mkdir -p "$stale" "$busy" "$legacy"
sleep 1000 </dev/null >/dev/null 2>&1 &
s1=$!
sleep 1000 </dev/null >/dev/null 2>&1 &
s2=$!
echo "$s1" >"$busy/cgroup.procs"
echo "$s2" >"$legacy/cgroup.procs"
ctr run -m 32m /bin/true
if [ "$rc" = 0 ] && [ ! -e "$stale" ]; then
	ok "sweep: an empty cgroup of a minictr that is gone is removed"
else
	not_ok "sweep: an empty cgroup of a minictr that is gone is removed" "$(got)"
fi
if [ -d "$busy" ] && [ -d "/proc/$s1" ] && [ -d "/proc/$s2" ]; then
	ok "sweep: a cgroup holding a process is left, and nothing is killed"
else
	not_ok "sweep: a cgroup holding a process is left, and nothing is killed" \
		"busy: $(ls -d "$busy" 2>&1)" "sleeps: $(ls -d "/proc/$s1" "/proc/$s2" 2>&1)"
fi
kill "$s1" "$s2"
wait "$s1" "$s2" 2>/dev/null
rmdir "$busy" "$legacy" /sys/fs/cgroup/minictr
left=$(ls -d /sys/fs/cgroup/minictr* 2>/dev/null)
if [ -z "$left" ]; then
	ok "limits: no minictr cgroup is left in the VM"
else
	not_ok "limits: no minictr cgroup is left in the VM" "$left"
fi

# --- The VM is left as it was ------------------------------------------------------
cat /proc/self/mountinfo >"$T/mountinfo.after"
if cmp -s "$T/mountinfo.before" "$T/mountinfo.after"; then
	ok "the VM's mount table is unchanged"
else
	not_ok "the VM's mount table is unchanged" \
		"$(diff "$T/mountinfo.before" "$T/mountinfo.after")"
fi

# If a container's /proc had leaked onto the VM's, our own PID would be gone.
if [ -d "/proc/$$" ] && [ "$(readlink /proc/self/ns/pid)" = "$(readlink /proc/1/ns/pid)" ]; then
	ok "the VM's /proc still shows the VM's processes"
else
	not_ok "the VM's /proc still shows the VM's processes" "$(ls /proc)"
fi

# No container process outlives its minictr: nothing named minictr, and
# nothing in a PID namespace other than the VM's.
vm_pidns=$(readlink /proc/1/ns/pid)
stray=
for d in /proc/[0-9]*; do
	p=${d#/proc/}
	ns=$(readlink "$d/ns/pid" 2>/dev/null) || continue   # gone meanwhile
	comm=$(cat "$d/comm" 2>/dev/null) || continue
	if [ "$comm" = minictr ] || [ "$ns" != "$vm_pidns" ]; then
		stray="$stray $p($comm)"
	fi
done
if [ -z "$stray" ]; then
	ok "no minictr or container process is left running"
else
	not_ok "no minictr or container process is left running" "left:$stray"
fi

echo "VERDICT: $passed passed, $failed failed"
[ "$failed" = 0 ]
