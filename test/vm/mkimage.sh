#!/bin/sh
# mkimage.sh ARCH OUT MINICTR ROOTFS [CONFIG] [-- RUN-WORDS...]
#
# The smallest bootable appliance: an initramfs (gzip-compressed newc cpio)
# holding nothing but
#   /minictr              the static binary, the kernel's rdinit
#   /rootfs/              a copy of the directory ROOTFS: the container's /
#   /etc/minictr/boot     CONFIG, if given (the words of `boot`, see
#                         bootconf.c), for what a kernel command line
#                         cannot hold
# and, printed on stdout, the kernel command line that boots it:
#   console=... panic=-1 quiet rdinit=/minictr -- boot run --rootfs /rootfs RUN-WORDS...
# (on x86_64 with no_timer_check: under qemu's emulation on a busy host
# the kernel's early IO-APIC timer check can fail and panic)
# (without RUN-WORDS: rdinit=/minictr alone, and CONFIG says what to run),
# then the qemu command for Debian's cloud kernel that test/vm/deps.sh
# downloads, quoted for sh, its paths absolute, and the name of a script
# written beside OUT (OUT without .cpio.gz, plus .sh) that runs it for a
# CI job or a host script: the console on its stdout, qemu options added
# from its arguments, and as its exit status the container's (the last
# "minictr: container exited with status N" line), or 125 when the
# container never ran ("minictr: boot failed", a kernel panic, qemu's own
# error), and as its last line, on stderr, which of the two it was (a
# container may exit 125 itself: no status is free to say "never ran");
# qemu itself exits 0 after any power off.
# No busybox, no /init script, no device node: minictr mounts
# /dev and opens /dev/console itself (boot.c).  Used by `make vm-image`
# and test/vm/boot-test.sh.  A RUN-WORD with a space is quoted "..." for
# the kernel, which strips the quotes; a word with a " or a line break
# cannot be carried, and the kernel passes init at most 32 words
# (CONFIG_INIT_ENV_ARG_LIMIT; one more and it panics before init):
# those belong in CONFIG, and are refused here.
set -eu

[ $# -ge 4 ] || { echo "usage: $0 ARCH OUT MINICTR ROOTFS [CONFIG] [-- RUN-WORDS...]" >&2; exit 2; }
arch=$1 out=$2 minictr=$3 rootfs=$4
shift 4
config=
if [ $# -gt 0 ] && [ "$1" != -- ]; then config=$1; shift; fi
[ $# -gt 0 ] && shift           # the --
[ -f "$minictr" ] || { echo "mkimage.sh: no minictr at $minictr" >&2; exit 1; }
# the words of make vm-image's user (ROOTFS=, CMD=), not this script's
[ -n "$rootfs" ] || { echo "mkimage.sh: no ROOTFS: give make vm-image ROOTFS=DIR, the container's root filesystem" >&2; exit 1; }
[ -d "$rootfs" ] || { echo "mkimage.sh: ROOTFS $rootfs is not a directory" >&2; exit 1; }
[ -z "$config" ] || [ -f "$config" ] || { echo "mkimage.sh: no file $config" >&2; exit 1; }
[ -n "$config" ] || [ $# -gt 0 ] || { echo "mkimage.sh: nothing to run: give make vm-image CMD='COMMAND [ARG...]' (run's words) or CONFIG=FILE" >&2; exit 1; }
for w in "$@"; do
	case $w in
	*'"'*|*'
'*) echo "mkimage.sh: a kernel command line cannot carry the word $w: put it in CONFIG" >&2
		exit 1 ;;
	esac
done
if [ $(($# + 4)) -gt 32 ]; then        # boot run --rootfs /rootfs
	echo "mkimage.sh: $# RUN-WORDS: the kernel passes init at most 32 words, boot takes 4: put them in CONFIG" >&2
	exit 1
fi

CACHE=${MINICTR_VM_CACHE:-/var/cache/minictr-vm}
case $arch in
x86_64) console="ttyS0 no_timer_check" kernel=$CACHE/amd64/vmlinuz
	qemu="qemu-system-x86_64 -M pc -cpu max" ;;
aarch64) console=ttyAMA0 kernel=$CACHE/arm64/vmlinuz
	qemu="qemu-system-aarch64 -M virt -cpu cortex-a57" ;;
*) echo "mkimage.sh: ARCH is x86_64 or aarch64" >&2; exit 2 ;;
esac

case $out in /*) ;; *) out=$PWD/$out ;; esac  # the commands work anywhere
case $kernel in /*) ;; *) kernel=$PWD/$kernel ;; esac
script=${out%.cpio.gz}.sh
# quote WORD: WORD for sh, in '...'
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$minictr" "$stage/minictr"
chmod 755 "$stage/minictr"
cp -a "$rootfs" "$stage/rootfs"
if [ -n "$config" ]; then
	mkdir -p "$stage/etc/minictr"
	cp "$config" "$stage/etc/minictr/boot"
fi
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
	gzip -9 >"$out"

cmdline="console=$console panic=-1 quiet rdinit=/minictr"
if [ $# -gt 0 ]; then
	cmdline="$cmdline -- boot run --rootfs /rootfs"
	for w in "$@"; do
		case $w in
		*[[:space:]]*|'') cmdline="$cmdline \"$w\"" ;;
		*) cmdline="$cmdline $w" ;;
		esac
	done
fi
boot="$qemu -m 512 -smp 2 -nographic -no-reboot -nic none -kernel $(quote "$kernel") -initrd $(quote "$out") -append $(quote "$cmdline")"
name=$(basename "$script")
cat >"$script" <<EOF
#!/bin/sh
# Boots $(basename "$out") (test/vm/mkimage.sh): the console on stdout, more
# qemu options in \$@; exits with the container's status, 125 if it never
# ran, and says which as its last line on stderr (a status cannot: the
# container may exit 125 itself).
$boot "\$@" 2>&1 | awk -v me=$(quote "$name") '
	{ sub(/\r\$/, ""); print; fflush() }
	/minictr: container exited with status [0-9]+\$/ { s = \$NF; why = "" }
	/minictr: boot failed\$/ { s = 125; why = "boot failed" }
	END {
		if (s == "") { s = 125; why = "no minictr status line (a kernel panic, or qemu failed)" }
		if (why == "") print me ": the container exited with status " s >"/dev/stderr"
		else print me ": the container never ran: " why ", exit 125" >"/dev/stderr"
		exit s
	}'
EOF
chmod 755 "$script"
echo "$cmdline"
echo "$boot"
echo "or: $(quote "$script")  (exits with the container's status, 125 if it never ran)"
