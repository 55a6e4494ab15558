#!/bin/sh
# mkinitramfs.sh OUT BUSYBOX MINICTR SCENARIO [EXTRA...]
#
# Build the whole root filesystem of the test VM as a gzip-compressed cpio
# archive in the "newc" format (the only one the kernel unpacks). It holds
# nothing but:
#   /bin/busybox     a static busybox for the guest's architecture; every
#                    applet link (sh, mount, ip, ps, ...) is made by /init at
#                    boot with `busybox --install -s`, so this script never has
#                    to run a foreign-arch busybox on the host
#   /bin/minictr     the static binary under test
#   /scenario.sh     the checks (test/vm/scenario.sh)
#   /init            the script below: the kernel runs it as PID 1
#   /extra/*         EXTRA files, if any: dummy.ko (a network module) and the
#                    scenario's helper programs (hog, escape, tiocsti), passed
#                    by vm-test.sh; /init loads any /extra/*.ko
#
# The VM never leaves this archive: the kernel unpacks it into "rootfs" and
# /init runs the scenario there, so / is rootfs (see /init below).
#
# Everything is staged in a temporary directory that is removed on exit.
set -eu

[ $# -ge 4 ] || { echo "usage: $0 OUT BUSYBOX MINICTR SCENARIO [EXTRA...]" >&2; exit 2; }
out=$1 busybox=$2 minictr=$3 scenario=$4
shift 4
for f in "$busybox" "$minictr" "$scenario" "$@"; do
	[ -f "$f" ] || { echo "mkinitramfs.sh: no such file: $f" >&2; exit 1; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# the archive's "." is the VM's /: 755 as on any machine, not mktemp's
# 700, or no user but root can reach /bin (the scenario's rootless user)
chmod 755 "$stage"

mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" \
	"$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp" "$stage/etc" \
	"$stage/root" "$stage/extra"
chmod 1777 "$stage/tmp"
cp "$busybox" "$stage/bin/busybox"
cp "$minictr" "$stage/bin/minictr"
cp "$scenario" "$stage/scenario.sh"
chmod 755 "$stage/bin/busybox" "$stage/bin/minictr" "$stage/scenario.sh"
for f in "$@"; do cp "$f" "$stage/extra/"; done
# A minimal /etc so that tools which look up user 0 print "root".
echo 'root:x:0:0:root:/root:/bin/sh' >"$stage/etc/passwd"
echo 'root:x:0:' >"$stage/etc/group"

cat >"$stage/init" <<'EOF'
#!/bin/busybox sh
# /init - PID 1 of the test VM (written by test/vm/mkinitramfs.sh).
#
# The kernel unpacked this archive into "rootfs", its initial root
# filesystem (a tmpfs), and runs /init there. We stay on it: no switch_root,
# so the scenario runs with / = rootfs, as on a machine that lives in its
# initramfs (an installer, a rescue image, a board). That is a trap for a
# container runtime: rootfs is the root of the first mount namespace and
# has no parent mount, so pivot_root(2) refuses it (EINVAL) and minictr
# --rootfs must fall back on MS_MOVE + chroot. The scenario checks that /
# really is rootfs before relying on it.
#
# Then: mount /proc, /sys, /dev (devtmpfs), /dev/pts, cgroup2 alone at
# /sys/fs/cgroup (pure v2, no v1 hierarchy); make "/" a shared mount as
# systemd does on every real machine (so a container that forgets
# MS_PRIVATE would leak its mounts and the scenario would see it: the
# kernel accepts MS_SHARED on rootfs, and the scenario checks that it
# took); name the host "vm-host"; load /extra/*.ko; run /scenario.sh;
# print its exit status; power off. There is no systemd and no other
# process.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
bb=/bin/busybox

# The kernel opens /dev/console for us only if the archive has it. Ours
# does not (making device nodes needs root at build time), so make it and
# point stdin, stdout and stderr at it; devtmpfs will cover it below.
$bb mknod -m 600 /dev/console c 5 1 2>/dev/null
exec </dev/console >/dev/console 2>&1
$bb --install -s                # all applet links: /bin/sh, /sbin/ip, ...

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount --make-rshared / || echo "init: mount --make-rshared / failed"
dmesg -n 1                      # keep kernel messages off our output lines
hostname vm-host
ip link set lo up               # like a real host; the container must set up its own
for m in /extra/*.ko; do
	[ -f "$m" ] && insmod "$m"
done
# With dummy.ko loaded, give the VM a second interface, so that a
# container with --net none must really be in a network namespace of its own.
ip link add dummy0 type dummy 2>/dev/null && ip link set dummy0 up

echo "init: $(uname -srm), starting /scenario.sh"
cd /
sh /scenario.sh </dev/null
echo "init: scenario.sh exited with status $?"
sync
poweroff -f
EOF
chmod 755 "$stage/init"

# Build the archive. -H newc is the format the kernel reads; -R 0:0 makes
# every file owned by root whoever runs this; sorting makes it reproducible.
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
	gzip -9 >"$out"
