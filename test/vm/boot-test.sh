#!/bin/bash
# boot-test.sh [ARCH] - minictr as a machine's init: boot a kernel whose
# initramfs holds only minictr and a busybox root filesystem for the
# container (test/vm/mkimage.sh), with rdinit=/minictr and no busybox
# init, once per check, and read the serial console:
#   1. a container prints and exits 7: its line and "minictr: container
#      exited with status 7" on the console, and qemu ends by itself
#      (power off) well within the timeout;
#   2. --restart on-failure:2 (from /etc/minictr/boot): it runs three
#      times, status 3;
#   3. Ctrl-Alt-Del (qemu monitor: sendkey ctrl-alt-delete) stops a
#      long-running container cleanly: it catches SIGTERM and says so
#      (x86_64 only: qemu's arm "virt" board has no keyboard the kernel
#      knows without modules, and the image has none); and one that
#      ignores SIGTERM: SIGKILL after --stop-timeout, status 137, or at
#      a second Ctrl-Alt-Del, which minictr's line names;
#   4. limits on pure cgroup v2 (--pids-limit, -m: dd of 64 MiB is killed
#      by the OOM killer) and no zombie anywhere on the machine after a
#      container that makes orphans (the machine's /proc bound in);
#   5. a bad word: "minictr: boot failed" and power off;
#   6. the script mkimage.sh writes beside each image (what a CI job
#      runs) exits with the container's status: 7 for 1., 125 for 5.;
#   7. the kernel's words without "boot": `-- run ...` boots all the
#      same, and a stray word is a boot failure, not the kernel's panic;
#   8. a container that itself exits 125: its status line, no "boot
#      failed", and its script exits 125 saying (stderr) that it ran; a
#      command missing from the image: "boot failed" and no status line
#      (it never ran), the script saying so;
#   9. SIGTERM and SIGPWR to the machine's PID 1, sent from the machine's
#      own PID namespace by the kernel's core_pattern helper (busybox
#      kill, which a --privileged container sets up, then dumps core):
#      the container gets SIGTERM, status 0, power off;
# and measures boot to the container's first line and to power off, and
# the same container started by busybox init and a script (the same
# archive, with /bin/busybox and /init added) for comparison.
#
# Environment: MINICTR (default ./minictr, ./minictr-aarch64), TIMEOUT
# per boot (default 120 s), VERBOSE=1 (every console line).
# Exit status 0 only if every check passed; the last line is
# "VERDICT: N passed, M failed", as vm-test.sh's.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${MINICTR_VM_CACHE:-/var/cache/minictr-vm}
TIMEOUT=${TIMEOUT:-120}
arch=${1:-x86_64}
case $arch in
# no_timer_check: under TCG on a loaded host, the kernel's early check of
# the IO-APIC timer can miss its ticks and panic before init runs
x86_64) qemu=(qemu-system-x86_64 -M pc -cpu max) console="ttyS0 no_timer_check"
	kernel=$CACHE/amd64/vmlinuz busybox=/bin/busybox
	minictr=${MINICTR:-$top/minictr} ;;
aarch64) qemu=(qemu-system-aarch64 -M virt -cpu cortex-a57) console=ttyAMA0
	kernel=$CACHE/arm64/vmlinuz busybox=$CACHE/arm64/busybox
	minictr=${MINICTR:-$top/minictr-aarch64} ;;
*) echo "usage: $0 [x86_64|aarch64]" >&2; exit 2 ;;
esac
for f in "$kernel" "$busybox" "$minictr"; do
	[ -f "$f" ] || { echo "boot-test: $f missing (sh test/vm/deps.sh $arch)"; exit 1; }
done

tmp=$(mktemp -d /tmp/minictr-boot.XXXXXX)
qpid=
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The container's root: busybox and the links the checks use.
rootfs=$tmp/rootfs
mkdir -p "$rootfs/bin" "$rootfs/machine/proc" "$rootfs/tmp"
cp "$busybox" "$rootfs/bin/busybox"
for a in sh echo sleep cat grep dd true; do ln -s busybox "$rootfs/bin/$a"; done

n=0 passed=0 failed=0
ok() { n=$((n + 1)) passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	sed 's/^/#   /' "$log" | tail -n 25
}
# outcome DESC: ok or not ok, by the status of the command before it
outcome() { if [ $? = 0 ]; then ok "$1"; else not_ok "$1"; fi; }

# boot NAME IMAGE [CMDLINE-WORDS...]: boot IMAGE, the console in
# $tmp/NAME.log, each line after the milliseconds since qemu started;
# "QEMU-EXIT rc" last.  With $cad set, Ctrl-Alt-Del once "READY" shows;
# with cad=2, again once minictr says the container has not stopped.
boot() {
	local name=$1 image=$2 mon=$tmp/mon start line now sent=
	shift 2
	log=$tmp/$name.log
	: >"$log"
	start=${EPOCHREALTIME/./}
	{
		timeout -k 5 "$TIMEOUT" "${qemu[@]}" -m 512 -smp 2 -nographic \
			-no-reboot -nic none -monitor "unix:$mon,server,nowait" \
			-kernel "$kernel" -initrd "$image" \
			-append "console=$console panic=-1 quiet ${loud:-} $*" </dev/null 2>&1
		echo "QEMU-EXIT $?"
	} | while IFS= read -r line; do
		line=${line//$'\r'/}
		line=$(printf '%s' "$line" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g')
		now=${EPOCHREALTIME/./}
		printf '%d %s\n' $(( (now - start) / 1000 )) "$line" >>"$log"
		[ "${VERBOSE:-0}" = 1 ] && echo "  | $line"
		if [ -n "${cad:-}" ] && [ -z "$sent" ] && [[ $line == *READY* ]]; then
			sent=1
			cad_key "$mon"
		elif [ "${cad:-}" = 2 ] && [ "$sent" = 1 ] &&
			[[ $line == *"has not stopped"* ]]; then
			sent=2
			cad_key "$mon"
		fi
	done
}
cad_key() {     # cad_key MONITOR-SOCKET: Ctrl-Alt-Del, by qemu's monitor
	python3 - "$1" <<-'EOF'
	import socket, sys, time
	s = socket.socket(socket.AF_UNIX)
	s.connect(sys.argv[1])
	time.sleep(0.5)
	s.sendall(b"sendkey ctrl-alt-delete\n")
	time.sleep(0.5)
	s.close()
	EOF
}

# has TEXT: a console line contains TEXT (fixed string)
has() { grep -qF -- "$1" "$log"; }
# said TEXT: a console line starts with TEXT (not the kernel's echo of
# its command line and of init's arguments, which loglevel=7 shows)
said() { grep -qE -- "^[0-9]+ $1" "$log"; }
# at TEXT: the milliseconds of the first line that starts with TEXT
at() { grep -E -- "^[0-9]+ $1" "$log" | head -n 1 | cut -d' ' -f1; }
# the guest's own clock (less at the mercy of the host's load): its
# uptime at the container's first line, and at "reboot: Power down"
guest_first() { grep -oE '^[0-9]+ hello from the container at [0-9.]+' "$log" | head -n 1 | awk '{ print $NF }'; }
guest_off() { grep -o '\[ *[0-9.]*\] reboot: Power down' "$log" | tr -d '[]' | awk '{ print $1 }'; }
# ... and when the kernel ran init (loglevel=7 shows that line): the time
# that is init's, minus the kernel's own boot
guest_init() { grep -o '\[ *[0-9.]*\] Run /.* as init process' "$log" | tr -d '[]' | awk '{ print $1 }'; }
since() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "?"; else printf "%.2f", a - b }'; }
powered_off() { has "QEMU-EXIT 0" && has "reboot: Power down"; }

image() {       # image NAME [CONFIG] -- RUN-WORDS: $tmp/NAME.cpio.gz
	local name=$1
	shift
	sh "$here/mkimage.sh" "$arch" "$tmp/$name.cpio.gz" "$minictr" "$rootfs" "$@" \
		>"$tmp/$name.cmdline" || exit 1
	sed -n '1s/.*quiet //p' "$tmp/$name.cmdline"
}

echo "boot-test: $arch, $(basename "$minictr"), rdinit=/minictr, timeout ${TIMEOUT}s a boot"

# 1. print and exit 7, the kernel's words only
# the guest's uptime, by the shell's builtins (no fork to slow it)
hello='read up idle </proc/uptime; echo hello from the container at $up s; exit 7'
words=$(image hello -- /bin/sh -c "$hello")
loud=loglevel=7
boot hello "$tmp/hello.cpio.gz" "$words"
loud=
if said "hello from the container at" && has "minictr: container exited with status 7" &&
	powered_off && ! has "Kernel panic"; then
	ok "exit 7: the container's line, the status line, power off"
else
	not_ok "exit 7: the container's line, the status line, power off"
fi
t_first=$(at "hello from the container at") t_off=$(at "QEMU-EXIT")
g_first=$(guest_first) g_off=$(guest_off) g_init=$(guest_init)
hello_kib=$(du -k "$tmp/hello.cpio.gz" | cut -f1)

# 2. --restart on-failure:2, from /etc/minictr/boot; --trace shows the
# machine's init waiting for any child (-1: it reaps orphans too)
cat >"$tmp/restart.conf" <<'EOF'
# three runs: the first, and two restarts
run --rootfs /rootfs --restart on-failure:2 --trace
    /bin/sh -c 'echo "attempt at $(cat /proc/uptime)"; exit 3'
EOF
words=$(image restart "$tmp/restart.conf")
boot restart "$tmp/restart.cpio.gz" "$words"
runs=$(grep -c "attempt at" "$log")
if [ "$runs" = 3 ] && has "restart 2 of 2" &&
	has "minictr: container exited with status 3" && powered_off; then
	ok "--restart on-failure:2 runs three times, then power off"
else
	not_ok "--restart on-failure:2 runs three times (ran $runs)"
fi
if has "waitpid(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], WNOHANG) = "; then
	ok "--trace: the machine's init reaps with waitpid(-1, ...), its real call"
else
	not_ok "--trace: the machine's init reaps with waitpid(-1, ...), its real call"
fi

# 3. Ctrl-Alt-Del stops a long-running container (x86_64: a keyboard)
# cad_boot NAME STOP-TIMEOUT TRAP: a container that runs TRAP on SIGTERM,
# and Ctrl-Alt-Del once it says READY
cad_boot() {    # [CADS=2] cad_boot ...: a second Ctrl-Alt-Del too
	cat >"$tmp/$1.conf" <<-EOF
	run --rootfs /rootfs --stop-timeout $2
	    /bin/sh -c 'trap "$3" TERM
	                echo READY; while :; do sleep 1; done'
	EOF
	words=$(image "$1" "$tmp/$1.conf")
	cad=${CADS:-1}
	boot "$1" "$tmp/$1.cpio.gz" "$words"
	cad=
}
if [ "$arch" = x86_64 ]; then
	cad_boot cad 60 "echo got SIGTERM, leaving; exit 0"
	if has "got SIGTERM, leaving" && has "minictr: container exited with status 0" &&
		powered_off; then
		ok "Ctrl-Alt-Del: SIGTERM to the container, status 0, power off"
	else
		not_ok "Ctrl-Alt-Del: SIGTERM to the container, status 0, power off"
	fi
	# 3b. one that ignores SIGTERM: SIGKILL after --stop-timeout
	cad_boot cadkill 3 "echo ignoring SIGTERM"
	if has "ignoring SIGTERM" && has "still running 3 s after SIGTERM (--stop-timeout)" &&
		has "minictr: container exited with status 137" && powered_off; then
		ok "Ctrl-Alt-Del, SIGTERM ignored: SIGKILL after --stop-timeout, 137, power off"
	else
		not_ok "Ctrl-Alt-Del, SIGTERM ignored: SIGKILL after --stop-timeout, 137, power off"
	fi
	# 3c. ... and a second Ctrl-Alt-Del, which the line names (no Ctrl-C
	# reaches the machine's init), kills it at once
	CADS=2 cad_boot cadtwice 60 "echo ignoring SIGTERM"
	has "ignoring SIGTERM" && has "or Ctrl-Alt-Del or SIGTERM again kills it now" &&
		has "container was killed: a second SIGINT or SIGTERM" &&
		has "minictr: container exited with status 137" && powered_off
	outcome "Ctrl-Alt-Del twice: the line names it, the second kills at once, 137, power off"
else
	echo "ok - # SKIP Ctrl-Alt-Del: the arm virt board has no keyboard for the kernel"
fi

# 4. limits on pure cgroup v2, and no zombie left on the machine
cat >"$tmp/limits.conf" <<'EOF'
--hostname appliance
run --rootfs /rootfs --init --pids-limit 8 -m 32m -v /proc:/machine/proc
    /bin/sh -c '
	echo "hostname $(cat /proc/sys/kernel/hostname)"
	sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 3 & done"
	sleep 4
	echo "cgroup $(cat /proc/self/cgroup)"
	dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null
	echo "dd status $?"
	for i in 1 2 3 4 5; do sh -c "sleep 0.2 &"; done
	sleep 1
	z=$(grep -l "^State:.*Z" /machine/proc/[0-9]*/status 2>/dev/null | wc -l)
	echo "zombies on the machine: $z"'
EOF
words=$(image limits "$tmp/limits.conf")
boot limits "$tmp/limits.cpio.gz" "$words"
if has "dd status 137" && has "zombies on the machine: 0" &&
	has "hostname appliance" && grep -q "can't fork" "$log" && powered_off; then
	ok "limits (pids, memory: OOM) on cgroup v2; no zombie on the machine"
else
	not_ok "limits (pids, memory: OOM) on cgroup v2; no zombie on the machine"
fi

# 5. a failure before the container starts
words=$(image bad -- --bogus /bin/true)
boot bad "$tmp/bad.cpio.gz" "$words"
if has "unknown option '--bogus'" && has "minictr: boot failed" && powered_off; then
	ok "a bad word: its line, \"minictr: boot failed\", power off"
else
	not_ok "a bad word: its line, \"minictr: boot failed\", power off"
fi

# 6. the images' scripts: the container's status, 125 when it never ran
script_status() {       # script_status NAME: the exit status of NAME.sh
	log=$tmp/$1-script.log
	timeout -k 5 "$TIMEOUT" "$tmp/$1.sh" </dev/null >"$log" 2>&1
	echo $?
}
hello_rc=$(script_status hello) bad_rc=$(script_status bad)
if [ "$hello_rc" = 7 ] && [ "$bad_rc" = 125 ] &&
	grep -qF "bad.sh: the container never ran: boot failed, exit 125" "$tmp/bad-script.log"; then
	ok "the images' scripts exit 7 (the container's) and 125 (boot failed)"
else
	not_ok "the images' scripts exit 7 and 125 (got $hello_rc and $bad_rc)"
fi

# 7. without the word "boot": 1.'s image, its kernel words changed
words=$(sed -n '1s/.*quiet //p' "$tmp/hello.cmdline")
boot noboot "$tmp/hello.cpio.gz" "${words/-- boot run/-- run}"
if said "hello from the container at" && has "minictr: container exited with status 7" &&
	powered_off; then
	ok "rdinit=/minictr -- run ...: boots all the same"
else
	not_ok "rdinit=/minictr -- run ...: boots all the same"
fi
boot stray "$tmp/hello.cpio.gz" "${words/-- boot run/-- --hostname web stray run}"
if has "expected an option or run: 'stray'" && has "minictr: boot failed" &&
	powered_off && ! has "Kernel panic"; then
	ok "a stray word without \"boot\": boot failed, power off, no panic"
else
	not_ok "a stray word without \"boot\": boot failed, power off, no panic"
fi

# 8. a container's own 125 is its status, not a boot failure; a command
# missing from the image never ran: a boot failure.  Booted by the
# images' scripts alone, which say on stderr (in the log too) which it was.
# (script_status runs in a subshell: $log is set again here)
words=$(image own125 -- /bin/sh -c "echo leaving with 125; exit 125")
own_rc=$(script_status own125) log=$tmp/own125-script.log
[ "$own_rc" = 125 ] && has "leaving with 125" &&
	has "minictr: container exited with status 125" && ! has "minictr: boot failed" &&
	has "own125.sh: the container exited with status 125" && has "reboot: Power down"
outcome "a container's own 125: its status line, not \"boot failed\"; the script (exit $own_rc) says it ran"
words=$(image nocmd -- /bin/no-such-command)
no_rc=$(script_status nocmd) log=$tmp/nocmd-script.log
[ "$no_rc" = 125 ] && has "minictr: exec /bin/no-such-command" &&
	has "minictr: boot failed" && ! has "container exited with status" &&
	has "nocmd.sh: the container never ran: boot failed, exit 125" && has "reboot: Power down"
outcome "a command missing from the image: \"boot failed\", no status line; the script (exit $no_rc) says it never ran"

# 9. SIGTERM and SIGPWR to the machine's PID 1 (minictr) stop the
# container cleanly.  No process of a minictr-only image is in the
# machine's PID namespace to send them, but the kernel runs
# core_pattern's "|program" in the machine's first namespaces, as root,
# its path from the initramfs's / (where the container's root is
# /rootfs): a --privileged container sets it (the sysctl is not
# namespaced) to busybox's kill of PID 1, and makes a process dump core.
sig_boot() {    # sig_boot NAME SIGNAL
	cat >"$tmp/$1.conf" <<-EOF
	run --rootfs /rootfs --privileged --stop-timeout 60
	    /bin/sh -c 'trap "echo got SIGTERM, leaving; exit 0" TERM
	      echo "|/rootfs/bin/busybox kill -$2 1" >/proc/sys/kernel/core_pattern
	      sleep 100 & kill -SEGV \$!
	      echo READY; while :; do sleep 1; done'
	EOF
	words=$(image "$1" "$tmp/$1.conf")
	boot "$1" "$tmp/$1.cpio.gz" "$words"
}
for sig in TERM PWR; do
	sig_boot "sig$sig" "$sig"
	has "got SIGTERM, leaving" && has "minictr: container exited with status 0" && powered_off
	outcome "SIG$sig to the machine's PID 1: SIGTERM to the container, status 0, power off"
done

# The same container as 1., started by busybox init and a script.
mkdir -p "$tmp/bb/bin"
cp "$busybox" "$tmp/bb/bin/busybox"
cat >"$tmp/bb/init" <<EOF
#!/bin/busybox sh
/bin/busybox mkdir -p /dev /proc /sys /tmp /run
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys
mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm; mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup; hostname minictr; ip link set lo up
/minictr run --rootfs /rootfs /bin/sh -c '$hello'
echo "init: status \$?"
sync; poweroff -f
EOF
chmod 755 "$tmp/bb/init"
(cd "$tmp/bb" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
	gzip -9 >"$tmp/bb.cpio.gz"
cat "$tmp/hello.cpio.gz" "$tmp/bb.cpio.gz" >"$tmp/busybox.cpio.gz"
loud=loglevel=7
boot busybox "$tmp/busybox.cpio.gz"
loud=
if said "hello from the container at" && has "init: status 7" && powered_off; then
	ok "the same container under busybox init and a script"
else
	not_ok "the same container under busybox init and a script"
fi
b_first=$(at "hello from the container at") b_off=$(at "QEMU-EXIT")
gb_first=$(guest_first) gb_off=$(guest_off) gb_init=$(guest_init)
bb_kib=$(du -k "$tmp/busybox.cpio.gz" | cut -f1)

echo "boot-test: minictr as init: first line ${t_first:-?} ms, power off ${t_off:-?} ms from qemu's start;" \
	"in the guest, from init: $(since "$g_first" "$g_init") s and $(since "$g_off" "$g_init") s" \
	"(init at ${g_init:-?} s); initramfs $hello_kib KiB"
echo "boot-test: busybox init:    first line ${b_first:-?} ms, power off ${b_off:-?} ms from qemu's start;" \
	"in the guest, from init: $(since "$gb_first" "$gb_init") s and $(since "$gb_off" "$gb_init") s" \
	"(init at ${gb_init:-?} s); initramfs $bb_kib KiB"
echo "VERDICT: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
