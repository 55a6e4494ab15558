#!/bin/bash
# vm-test.sh [--deps] [ARCH] - boot a real, minimal Linux VM and run the
# container scenario (test/vm/scenario.sh) inside it, against a static
# minictr binary.
#
# Why a VM: minictr needs root and the clone(2) namespace flags, changes
# mounts and hostnames, and must leave its host exactly as it found it. A
# throw-away VM gives it a real kernel of its own (Debian's, not whatever the
# CI host runs) where all of that can be checked, and lets us run the
# aarch64 binary on a real aarch64 kernel (qemu-user cannot emulate clone
# with namespace flags). There is no KVM here, so qemu runs under TCG (pure
# emulation): slow, but a boot of this tiny system takes seconds.
#
#   ARCH     x86_64 (default), aarch64, or armhf: a 32-bit ARM minictr run
#            on the aarch64 VM (Debian's arm64 kernel has CONFIG_COMPAT=y and
#            the cortex-a57 runs AArch32 code), which tests the armhf binary's
#            syscalls on a real kernel without a separate armhf kernel
#   --deps   first run test/vm/deps.sh ARCH (apt-get install + downloads)
#
# Environment:
#   MINICTR   the binary to test (default: ./minictr for x86_64,
#             ./minictr-aarch64 or ./minictr-armhf, at the repository top)
#   TIMEOUT   hard limit in seconds for the whole VM run (default 180)
#   VERBOSE=1 show the whole serial console as it comes
#   KERNEL    use this kernel image instead of the cached Debian cloud one
#   VM_EXTRA  space-separated extra files to put in the VM's /extra/ (the
#             scenario's helper programs are put there anyway, see below)
#   SCENARIO  the script /init runs (default test/vm/scenario.sh); it must
#             end by printing "VERDICT: N passed, M failed"
#   QEMU_EXTRA  more qemu options, e.g. "-cpu max" or "-smp 1" (last wins)
#   MINICTR_VM_CACHE  where deps.sh put kernels (default /var/cache/minictr-vm)
#
# Exit status: 0 only if the VM printed "VERDICT: N passed, 0 failed" with
# N > 0. Otherwise 1, after printing the failing lines (or the end of the
# console log if the VM never got that far). Nothing is left running: qemu
# is killed on timeout or interrupt, and we check that it is gone.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${MINICTR_VM_CACHE:-/var/cache/minictr-vm}
TIMEOUT=${TIMEOUT:-180}

deps=no
arch=x86_64
for a in "$@"; do
	case $a in
	--deps) deps=yes ;;
	x86_64|amd64) arch=x86_64 ;;
	aarch64|arm64) arch=aarch64 ;;
	armhf|arm) arch=armhf ;;
	*) echo "usage: $0 [--deps] [x86_64|aarch64|armhf]" >&2; exit 2 ;;
	esac
done
[ "$deps" = no ] || sh "$here/deps.sh" "$arch"

die() { echo "vm-test: $*" >&2; exit 1; }
need_file() { [ -f "$1" ] || die "$1 missing; run: sh test/vm/deps.sh $arch  (or $0 --deps $arch)"; }

# --- What to boot, per architecture ----------------------------------------
case $arch in
x86_64)
	qemu="qemu-system-x86_64"
	# The default "pc" machine; the kernel's 8250 driver is built in, so
	# ttyS0 works without modules.
	machine=(-M pc -cpu max)
	console=ttyS0
	default_minictr=$top/minictr
	elf_machine='x86-64'
	busybox=/bin/busybox                        # package busybox-static
	kernel=${KERNEL:-}
	module=
	if [ -z "$kernel" ] && [ -f "$CACHE/amd64/vmlinuz" ]; then
		kernel=$CACHE/amd64/vmlinuz
		module=$CACHE/amd64/dummy.ko
	elif [ -z "$kernel" ]; then
		# Fall back on an installed linux-image-cloud-amd64. Pick the cloud
		# kernel explicitly: the host may well run another one.
		kernel=$(printf '%s\n' /boot/vmlinuz-*-cloud-amd64 | sort -V | tail -n 1)
		[ -f "$kernel" ] || die "no cloud-amd64 kernel; run: sh test/vm/deps.sh x86_64"
		v=${kernel#/boot/vmlinuz-}
		module=/lib/modules/$v/kernel/drivers/net/dummy.ko
	fi
	;;
aarch64|armhf)
	qemu="qemu-system-aarch64"
	# "virt" is qemu's generic board; its UART is a PL011, which Debian's
	# cloud-arm64 kernel has built in (CONFIG_SERIAL_AMBA_PL011_CONSOLE=y),
	# so console=ttyAMA0 needs no module. cortex-a57 is a plain ARMv8.0
	# core: quicker to emulate than "max" (no pointer authentication, SVE).
	machine=(-M virt -cpu cortex-a57)
	console=ttyAMA0
	default_minictr=$top/minictr-$arch
	elf_machine='aarch64'
	[ "$arch" = armhf ] && elf_machine='32-bit LSB executable, ARM,'
	busybox=$CACHE/arm64/busybox                # from busybox-static:arm64
	kernel=${KERNEL:-$CACHE/arm64/vmlinuz}      # a raw arm64 Image: -kernel takes it as is
	module=$CACHE/arm64/dummy.ko
	;;
esac

MINICTR=${MINICTR:-$default_minictr}
case $MINICTR in /*) ;; *) MINICTR=$PWD/$MINICTR ;; esac
command -v "$qemu" >/dev/null || die "$qemu missing; run: sh test/vm/deps.sh $arch"
need_file "$kernel"
need_file "$busybox"
# The initramfs has no libc: busybox must be the static build (Debian's
# busybox-static, not the dynamically linked "busybox" package).
case $(file -b "$busybox") in
*"statically linked"*) ;;
*) die "$busybox is not statically linked; run: sh test/vm/deps.sh $arch" ;;
esac
[ -f "$MINICTR" ] || die "no minictr binary at $MINICTR (set MINICTR=path)"

# Refuse a binary that cannot run in this VM: wrong machine or not static.
# (A shell script is let through: it is how the infrastructure is tested
# with test/vm/stub-minictr.sh before the real binary exists.)
info=$(file -b "$MINICTR")
case $info in
*ELF*)
	case $info in *"$elf_machine"*) ;; *) die "$MINICTR is not a $arch binary: $info" ;; esac
	case $info in *"statically linked"*|*"static-pie linked"*) ;; *) die "$MINICTR is not static: $info" ;; esac
	;;
*script*) echo "vm-test: note: $MINICTR is a script, not the real binary" ;;
*) die "$MINICTR: not an executable: $info" ;;
esac

# --- Build the initramfs in a temporary directory --------------------------
tmp=$(mktemp -d /tmp/minictr-vm.XXXXXX)
qpid=
# shellcheck disable=SC2317  # (called from the trap, not unreachable)
cleanup() {
	# Stop qemu if it is still there (interrupt, error), then make sure no
	# process mentioning our temporary directory survives. Only processes
	# we started are touched: their command line names $tmp.
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null || true
		sleep 1
		kill -9 "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
	fi
	local left
	left=$(pgrep -f -- "$tmp/" || true)
	if [ -n "$left" ]; then
		echo "vm-test: killing leftover processes: $left" >&2
		# shellcheck disable=SC2086  # one PID per word
		kill -9 $left 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "vm-test: interrupted, stopping qemu" >&2; exit 130' INT TERM

# --- The scenario's helper programs, built for the guest's CPU --------------
# They land in the VM's /extra/ with the other extra files:
#   hog      test/vm/hog.c: touches 64 MiB, for the OOM check under -m 32m
#   escape   test/vm/escape.c: the chroot escape, for the --rootfs checks
#   tiocsti  test/tiocsti.c: types into the terminal, for the seccomp check
#   tiocsti-other  the same for the arm64 kernel's other ABI (armhf on an
#            aarch64 run, aarch64 on an armhf run): the seccomp filter must
#            catch both. Built only if that cross compiler is installed
#            (sh test/vm/deps.sh aarch64 armhf); the scenario skips it if not.
# Static musl binaries, like minictr itself: the VM has no libc.
extra=()
# build_helper ARCH SOURCE OUT: 0, or 1 after showing the compiler's errors.
build_helper() {
	local cflags="-Os -Wall -Wextra -std=c11 -D_GNU_SOURCE"
	if [ "$1" = x86_64 ]; then
		# shellcheck disable=SC2086  # a list of flags
		musl-gcc $cflags -static -o "$3" "$2" && return 0
	else
		# cross.sh names the packages it misses, and proves the result
		# static (its report is kept for a failure only)
		CFLAGS=$cflags sh "$here/cross.sh" "$1" "$3" "$2" \
			>"$tmp/cross.log" 2>&1 && return 0
		cat "$tmp/cross.log" >&2
	fi
	echo "vm-test: cannot build $2 for $1" >&2
	return 1
}
for h in "$here/hog.c" "$here/escape.c" "$top/test/tiocsti.c"; do
	name=$(basename "$h" .c)
	build_helper "$arch" "$h" "$tmp/$name" || die "run: sh test/vm/deps.sh $arch"
	extra+=("$tmp/$name")
done
other=
case $arch in
aarch64) other=armhf ;;
armhf) other=aarch64 ;;
esac
if [ -n "$other" ]; then
	if build_helper "$other" "$top/test/tiocsti.c" "$tmp/tiocsti-other" 2>/dev/null; then
		extra+=("$tmp/tiocsti-other")
	else
		echo "vm-test: note: no $other cross compiler, so the seccomp check skips $other programs (sh test/vm/deps.sh $other)"
	fi
fi

# On x86_64, the i386 ABI (issue 12; this kernel has IA32 emulation, the
# CI host may not): test/seccomp_try, which makes one call through
# int $0x80 (make builds it static and not PIE, so its pointers fit in
# 32 bits), and docker's default profile with only SCMP_ARCH_X86_64
# (x86_64-only.json): a profile that leaves i386 out must refuse it all.
if [ "$arch" = x86_64 ]; then
	make -s -C "$top" test/seccomp_try >&2 || die "cannot build test/seccomp_try"
	cp "$top/test/seccomp_try" "$tmp/seccomp_try"
	docker=$(sed -n 's/^DOCKER_SECCOMP *= *//p' "$top/Makefile")
	python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
p.pop("archMap", None)
p["architectures"] = ["SCMP_ARCH_X86_64"]
json.dump(p, open(sys.argv[2], "w"))' "$docker" "$tmp/x86_64-only.json" ||
		die "cannot read docker's profile $docker (golang-github-docker-docker-dev)"
	extra+=("$tmp/seccomp_try" "$tmp/x86_64-only.json")
fi
[ -n "$module" ] && [ -f "$module" ] && extra+=("$module")
for f in ${VM_EXTRA:-}; do extra+=("$f"); done
sh "$here/mkinitramfs.sh" "$tmp/initramfs.cpio.gz" "$busybox" "$MINICTR" \
	"${SCENARIO:-$here/scenario.sh}" "${extra[@]}"

# --- Boot ------------------------------------------------------------------
# -nographic       no window: the serial port is our stdout
# -no-reboot       a reboot request (or a panic, thanks to panic=-1) ends qemu
# -nic none        no network card: the test needs none (the VM gets a
#                  dummy0 instead), and the default NIC would load a PXE ROM
# panic=-1         reboot at once on a kernel panic, e.g. if /init dies
# quiet            only warnings from the kernel; /init also runs dmesg -n 1
# </dev/null       qemu must not put a terminal into raw mode or read from it
log=$tmp/console.log
echo "vm-test: testing $MINICTR ($(echo "$info" | cut -d, -f1-2))"
echo "vm-test: booting $arch ($(basename "$kernel"), $(du -k "$tmp/initramfs.cpio.gz" | cut -f1) KiB initramfs, timeout ${TIMEOUT}s)"
start=$(date +%s%N)
# shellcheck disable=SC2086  # QEMU_EXTRA is a list of options
timeout -k 5 "$TIMEOUT" "$qemu" "${machine[@]}" -m 512 -smp 2 \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$tmp/initramfs.cpio.gz" \
	-append "console=$console panic=-1 quiet" ${QEMU_EXTRA:-} \
	</dev/null >"$log" 2>&1 &
qpid=$!
# clean: keep the text of the serial console. It has \r\n line ends, and
# the x86 firmware (SeaBIOS) sends terminal escapes ("ESC c", "ESC[2J") that
# would reset or clear your terminal: drop those and any other control byte.
clean() {
	sed -u 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c78]//g' | tr -d '\r' |
		tr -cd '\11\12\40-\176'
}
if [ "${VERBOSE:-0}" = 1 ]; then
	tail -n +1 -f --pid="$qpid" "$log" | clean &
fi
rc=0
wait "$qpid" || rc=$?
qpid=
end=$(date +%s%N)
secs=$(( (end - start) / 1000000 ))
secs=$(printf '%d.%03d' $((secs / 1000)) $((secs % 1000)))
if [ "${VERBOSE:-0}" = 1 ]; then wait; fi     # the tail above

# --- Judge -----------------------------------------------------------------
clean <"$log" >"$tmp/clean.log"
# The check lines (already on screen with VERBOSE=1).
if [ "${VERBOSE:-0}" != 1 ]; then
	grep -E '^(ok|not ok) [0-9]+ ' "$tmp/clean.log" | sed 's/^/  /' || true
fi

verdict=$(grep -E '^VERDICT: [0-9]+ passed, [0-9]+ failed' "$tmp/clean.log" | tail -n 1 || true)
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "vm-test: TIMEOUT: qemu killed after ${TIMEOUT}s"
elif [ "$rc" != 0 ]; then
	echo "vm-test: qemu exited with status $rc"
fi
echo "vm-test: $arch boot + scenario took ${secs}s"

if [ -z "$verdict" ]; then
	echo "vm-test: no VERDICT line from the VM; last lines of its console:"
	tail -n 40 "$tmp/clean.log" | sed 's/^/  | /'
	echo "0 passed, 1 failed"
	exit 1
fi
echo "$verdict"
read -r _ passed _ failed _ <<<"$verdict"     # VERDICT: N passed, M failed
if [ "$failed" = 0 ] && [ "$passed" -gt 0 ] && [ "$rc" = 0 ]; then
	exit 0
fi
echo "vm-test: FAILED; the failing checks and what they printed:"
# Each "not ok" line is followed by "#" detail lines: print those blocks.
awk '/^not ok /{p=1; print "  " $0; next} /^(ok|not ok) |^VERDICT/{p=0} p && /^#/{print "  " $0}' "$tmp/clean.log"
exit 1
