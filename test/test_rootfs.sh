#!/usr/bin/env bash
# test/test_rootfs.sh - --rootfs, -v, --read-only and the hardening that
# comes with them, checked with real containers in a tiny root filesystem
# built here from busybox-static.  Needs root.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_rootfs.sh"
host_snapshot before
R=$T/root
build_rootfs "$R"
echo "a file in the rootfs" >"$R/etc/motd"
echo "a host secret" >"$T/secret"
sha_before=$(sha256sum <"$M")

echo "# the container's / is DIR"
mc run --rootfs "$R" ls /
is "/ holds DIR's files, and the mount points made for it" "$rc:$(echo $out)" \
	"0:bin dev etc proc root sys tmp"
mc run --rootfs "$R" cat /etc/motd
is "a file of DIR is there" "$out" "a file in the rootfs"
mc run --rootfs "$R" cat "$T/secret"
like "a host file is not" "$rc:$err" "^1:cat: can't open '$T/secret': No such file or directory"
mc run --rootfs "$R" sh -c 'echo written >/tmp/new; echo $$'
is "the command is PID 1, and its writes land in DIR" "$out:$(cat "$R/tmp/new")" "1:written"
mc run --rootfs "$R" pwd
is "the default working directory is /" "$out" /
mc run --rootfs "$R" -w /etc pwd
is "-w works inside" "$out" /etc
mc run --rootfs "$R" -w /nope pwd
is "-w of a missing directory inside: 125" "$rc:$err" \
	"125:minictr: workdir /nope: No such file or directory"
mc run --rootfs "$R" /nope
is "a missing command inside: 127, one line" "$rc:$err" \
	"127:minictr: exec /nope: No such file or directory"
mc run --rootfs "$T/missing" true
is "a missing DIR: 125, one line" "$rc:$err" \
	"125:minictr: rootfs $T/missing: No such file or directory"

echo "# /proc, /dev, /sys"
mc run --rootfs "$R" ps -o pid,comm
is "ps works, and sees only the container" "$(echo $out)" "PID COMMAND 1 ps"
mc run --rootfs "$R" sh -c 'cd /dev && ls -l | awk "{ print \$1, \$NF }"'
is "/dev: the six devices, pts, shm and the links" "$out" \
"total 0
lrwxrwxrwx /proc/self/fd
crw-rw-rw- full
crw-rw-rw- null
lrwxrwxrwx pts/ptmx
drwxr-xr-x pts
crw-rw-rw- random
drwxrwxrwt shm
lrwxrwxrwx /proc/self/fd/2
lrwxrwxrwx /proc/self/fd/0
lrwxrwxrwx /proc/self/fd/1
crw-rw-rw- tty
crw-rw-rw- urandom
crw-rw-rw- zero"
mc run --rootfs "$R" sh -c 'head -c 4 /dev/zero | od -An -tx1; echo x >/dev/null && echo null-ok'
is "/dev/zero and /dev/null work" "$(echo $out)" "00 00 00 00 null-ok"
mc run --rootfs "$R" sh -c 'grep " /dev/pts " /proc/self/mountinfo; ls /dev/pts'
like "a devpts instance of its own, ptmx 0666, no host ptys in it" "$out" \
	'devpts devpts rw,.*mode=620,ptmxmode=666'$'\n''ptmx$'
mc run -t --rootfs "$R" sh -c 'tty; test -c "$(tty)" && echo exists'
is "-t inside: tty names a pts of the container's devpts, which exists there" \
	"$(tr -d '\r' <<<"$out")" $'/dev/pts/0\nexists'
out=$(printf 'echo pid=$$\nset -o | grep monitor\nexit 4\n' |
	timeout -k 5 20 "$M" run -ti --rootfs "$R" sh 2>&1)
rc=$?
is "-ti inside: an interactive shell, PID 1, exit status passed" "$rc" 4
has "-ti inside: its job control is on" "$(tr -d '\r' <<<"$out")" $'monitor         on'
mc run --rootfs "$R" sh -c 'echo x >/dev/shm/f && cat /dev/shm/f'
is "/dev/shm is writable" "$out" x
mc run --rootfs "$R" sh -c 'touch /sys/x; awk "\$5 == \"/sys\" { print \$6 }" /proc/self/mountinfo'
is "/sys is read-only" "$err:$out" "touch: /sys/x: Read-only file system:ro,nosuid,nodev,noexec,relatime"
mc run --rootfs "$R" sh -c 'echo evil >/proc/sys/kernel/hostname'
like "/proc/sys is read-only (without --rootfs this would set the hostname)" \
	"$rc:$err" "^1:.*Read-only file system"
# Every path of minictr's lists that this kernel has is checked, in the
# container's own /proc and /sys: a masked file reads as empty (/dev/null
# over it), a masked directory lists nothing, a read-only path is a
# read-only mount.  Those that exist on every kernel with proc and sysfs
# must be there: a mask that is silently not applied cannot pass as
# "absent here".
masked_files="/proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/timer_stats /proc/sched_debug"
masked_dirs="/proc/acpi /proc/asound /proc/scsi /sys/firmware /sys/devices/virtual/powercap"
read_only="/proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger"
everywhere="/proc/timer_list /sys/firmware /proc/bus /proc/fs /proc/irq /proc/sys"
mc run --rootfs "$R" sh -c "
	for p in $masked_files $masked_dirs $read_only; do
		if [ ! -e \$p ]; then echo \"\$p absent\"; continue; fi
		size=\$(if [ -d \$p ]; then ls -A \$p | wc -l; else wc -c <\$p; fi)
		opts=\$(awk -v p=\$p '\$5 == p { o = \$6 } END { print o ? o : \"none\" }' /proc/self/mountinfo)
		echo \"\$p \$size \$opts\"
	done"
checked=0
while read -r p size opts; do
	[ "$size" = absent ] && continue
	checked=$((checked + 1))
	case " $read_only " in
	*" $p "*) like "$p is read-only (a read-only mount)" "$opts" '^ro(,|$)' ;;
	*)        [ "$opts" = none ] || opts=mounted
		  is "$p is masked (empty, a mount over it)" "$size:$opts" "0:mounted" ;;
	esac
done <<<"$out"
for p in $everywhere; do
	grep -q "^$p absent" <<<"$out" && not_ok "$p exists in the container (every kernel has it)"
done
[ "$checked" -ge 6 ] && ok "$checked masked or read-only paths checked here" ||
	not_ok "at least the 6 paths every kernel has were checked" "checked: $checked" "$out"

echo "# --read-only"
mc run --rootfs "$R" --read-only sh -c 'touch /etc/new; echo x >/dev/shm/ok && echo shm-ok'
is "--read-only refuses writes to DIR; /dev/shm stays writable" "$err:$out" \
	"touch: /etc/new: Read-only file system:shm-ok"
check "and nothing was written in DIR" test ! -e "$R/etc/new"

echo "# volumes"
mkdir -p "$T/vol" && echo "from the host" >"$T/vol/file"
mc run --rootfs "$R" -v "$T/vol:/data" -v "$T/vol:/ro/data:ro" -v "$T/secret:/etc/secret:ro" \
	sh -c 'cat /data/file /etc/secret; echo back >/data/back; touch /ro/data/x'
is "-v binds, :ro refuses writes, a file volume works" "$err:$out" \
	"touch: /ro/data/x: Read-only file system:from the host
a host secret"
is "a write through a volume lands on the host" "$(cat "$T/vol/back")" back
check "missing targets are created in DIR (/data, /ro/data, /etc/secret)" \
	test -d "$R/data" -a -d "$R/ro/data" -a -f "$R/etc/secret"
mc run --rootfs "$R" --read-only -v "$T/vol:/data" sh -c 'echo ro >/data/ro-root'
is "a volume stays writable under --read-only" "$rc:$(cat "$T/vol/ro-root")" "0:ro"
mc run --rootfs "$R" -v "$T/vol://odd//./path/" cat /odd/path/file
is "a target with doubled slashes, '.' and a trailing slash" "$rc:$out" "0:from the host"
mc run --rootfs "$R" -v "$T/nope:/data" true
is "a missing HOST: 125" "$rc:$err" "125:minictr: volume $T/nope: No such file or directory"

echo "# symlinks in DIR never lead out of it"
mkdir -p "$T/outside" "$R/$T/outside"
ln -s "$T/outside" "$R/escape"
mc run --rootfs "$R" -v "$T/vol:/escape" true
is "a volume target that is a symlink to a host path: refused" "$rc:$err" \
	"125:minictr: /escape in $R is a symbolic link: refused"
mc run --rootfs "$R" -v "$T/vol:/escape/sub" true
is "a path through such a symlink stays inside DIR" "$rc:$(ls "$T/outside")" "0:"
check "... where it created the target" test -d "$R/$T/outside/sub"
rm "$R/escape"
mv "$R/proc" "$R/proc.real" && ln -s /proc "$R/proc"
mc run --rootfs "$R" true
is "a rootfs whose proc is a symlink: refused" "$rc:$err" \
	"125:minictr: proc in $R is a symbolic link: refused"
rm "$R/proc" && mv "$R/proc.real" "$R/proc"
ln -s / "$R/dev2" && mv "$R/dev" "$R/dev.real" && mv "$R/dev2" "$R/dev"
mc run --rootfs "$R" true
is "a rootfs whose dev is a symlink: refused" "$rc:$err" \
	"125:minictr: dev in $R is a symbolic link: refused"
rm "$R/dev" && mv "$R/dev.real" "$R/dev"

echo "# privileges"
mc run --rootfs "$R" grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/self/status
is "docker's capability set less CAP_MKNOD, and no new privileges" "$(echo $out)" \
	"CapInh: 0000000000000000 CapPrm: 00000000a00425fb CapEff: 00000000a00425fb CapBnd: 00000000a00425fb CapAmb: 0000000000000000 NoNewPrivs: 1"
mc run --rootfs "$R" sh -c 'mknod /tmp/sda b 8 0'
like "no CAP_MKNOD: no device node of the host's disk" "$rc:$err" "^1:.*Operation not permitted"
mc run --rootfs "$R" sh -c 'mount -t tmpfs x /tmp'
like "no CAP_SYS_ADMIN: no mount" "$rc:$err" "^1:mount: permission denied"
mc run grep CapBnd /proc/self/status
is "without --rootfs, nothing changes" "$out" "$(grep CapBnd /proc/self/status)"

echo "# --init: PID 1 is a sealed copy of minictr, not the host's file"
mc run --rootfs "$R" --init ps -o pid,comm
is "ps shows PID 1 as minictr" "$(echo $out)" "PID COMMAND 1 minictr 2 ps"
mc run --rootfs "$R" --init sh -c 'readlink /proc/1/exe; echo x >>/proc/1/exe'
like "/proc/1/exe is a memfd, and cannot be written (ETXTBSY while it runs, EPERM: sealed)" \
	"$rc:$out:$err" "^1:/memfd:minictr \(deleted\):sh: (can't create /proc/1/exe: Text file busy|write error: Operation not permitted)$"
mc run --rootfs "$R" --init sh -c 'exec 3</proc/1/exe; echo x >/proc/self/fd/3'
like "... nor through an fd of it" "$rc:$err" "^1:.*(Text file busy|Operation not permitted)"
# ETXTBSY above only says that PID 1 runs the file: the seals are what
# keep it unwritable once nothing does.  Ask the kernel for them.
musl-gcc -static -Os -o "$R/bin/seals" test/seals.c
mc run --rootfs "$R" --init seals /proc/1/exe
is "/proc/1/exe carries all four seals (write, grow, shrink, and no more changes)" \
	"$rc:$out" "0:F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE"
mc run --rootfs "$R" seals /bin/busybox
is "control: a plain file has no seals to show" "$rc:$out" "1:/bin/busybox: Invalid argument"
is "the host's binary is unchanged" "$(sha256sum <"$M")" "$sha_before"
mc run --rootfs "$R" --init sh -c 'exit 3'
is "--init passes the status through" "$rc" 3
mc run --rootfs "$R" --init /nope
is "--init: /nope is 127, one line" "$rc:$err" "127:minictr: exec /nope: No such file or directory"

echo "# --trace"
mc run --trace --rootfs "$R" true
like "--trace narrates pivot_root" "$err" 'minictr\[1\]: pivot_root\("\.", "\."\) = 0'
like "... and the capabilities" "$err" 'minictr\[1\]: capset\(0xa00425fb\) = 0'

echo "# with limits"
mc run --rootfs "$R" -m 32m --pids-limit 20 sh -c 'echo ok'
is "--rootfs with -m and --pids-limit" "$rc:$out" "0:ok"

echo "# nothing left behind"
is "no mount of DIR left on the host" "$(grep -c "$R" /proc/self/mountinfo)" 0
host_unchanged
summary
