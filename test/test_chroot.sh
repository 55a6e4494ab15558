#!/usr/bin/env bash
# test/test_chroot.sh - minictr in a chroot, where / is not a mount point
# (a board, a rescue system): it must work, and nothing it mounts may
# reach another namespace.  Each case runs in a throwaway `unshare -m`
# whose mount table is compared before and after, with that namespace's
# mounts private (util-linux's default) and, the dangerous case, rshared
# (as systemd leaves them).  A control first shows that the naive repair,
# binding / onto itself in the chroot, does leak: the checks can see it.
# Last, without open_tree(2) (a seccomp filter, test/nosys.c, plays an
# older kernel), the error line that says why.
# Needs root.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_chroot.sh"
host_snapshot before
C=$T/chroot
build_rootfs "$C"
mkdir -p "$C/proc" "$C/dev" "$C/rootfs"
mknod -m 666 "$C/dev/null" c 1 3      # a chroot has its /dev
cp "$M" "$C/minictr"
build_rootfs "$C/rootfs"

# in_ns PROPAGATION COMMAND...: run COMMAND in a throwaway mount namespace
# whose mounts are made PROPAGATION first (and with PROC=1, a proc mounted
# in the chroot, as a rescue system has); $T/ns.before and $T/ns.after
# are its mount table around the command, whose output is in $out
in_ns() {
	local prop=$1
	shift
	cat >"$T/ns.sh" <<-'EOF2'
		mount --make-r"$1" /
		[ -z "$PROC" ] || mount -t proc proc "$C/proc"
		cat /proc/self/mountinfo >"$2/ns.before"
		shift 2
		timeout -k 5 60 "$@" </dev/null
		echo "rc=$?"
		cat /proc/self/mountinfo >"$T/ns.after"
	EOF2
	out=$(T=$T C=$C PROC=${PROC-} unshare -m sh "$T/ns.sh" "$prop" "$T" "$@" 2>&1)
}

echo "# control: binding / onto itself in a chroot leaks to a shared parent"
in_ns shared unshare -m --propagation unchanged chroot "$C" /bin/mount --bind / /
if grep -q " $C " "$T/ns.after"; then
	ok "control: the naive bind shows up in the parent namespace"
else
	not_ok "control: the naive bind shows up in the parent namespace" "$out"
fi

for prop in private shared; do
	echo "# in a chroot, the parent namespace's mounts $prop"
	in_ns "$prop" chroot "$C" /minictr run -h inside /bin/sh -c \
		'echo $(hostname) $$; cat /proc/self/mountinfo | wc -l'
	like "$prop: the container runs, as PID 1 with its own /proc" "$out" \
		"^inside 1"$'\n'"[0-9]+"$'\n'"rc=0$"
	check "$prop: the parent namespace's mount table is unchanged" \
		cmp -s "$T/ns.before" "$T/ns.after"
	# rootfs.c names its mount points as /proc/self/fd/N: it needs a /proc
	PROC=1 in_ns "$prop" chroot "$C" /minictr run --rootfs /rootfs cat /etc/passwd
	is "$prop: --rootfs from inside the chroot" "$out" \
		"root:x:0:0:root:/root:/bin/sh"$'\n'"rc=0"
	check "$prop: --rootfs leaves the parent's mount table unchanged" \
		cmp -s "$T/ns.before" "$T/ns.after"
	in_ns "$prop" chroot "$C" /minictr run -w /tmp pwd
	is "$prop: -w still works from the chroot's own paths" "$out" $'/tmp\nrc=0'
done

echo "# where it cannot be done: one line that says why, and what to do"
cc -O2 -o "$T/nosys" test/nosys.c || exit 1
open_tree=$(printf '#include <sys/syscall.h>\nSYS_open_tree\n' | cc -E -P - | tail -1)
in_ns shared "$T/nosys" "$open_tree" chroot "$C" /minictr run true
is "no open_tree (before Linux 5.2): 125 and the reason, in words" "$out" \
	"minictr: / is not a mount point (minictr runs in a chroot?) and cannot be made one before Linux 5.2 (open_tree): run minictr outside the chroot with --rootfs DIR, or 'mount --bind DIR DIR' before chroot: Function not implemented"$'\n'"rc=125"
check "... and the parent namespace's mount table is unchanged" \
	cmp -s "$T/ns.before" "$T/ns.after"

echo "# nothing left behind"
host_unchanged
summary
