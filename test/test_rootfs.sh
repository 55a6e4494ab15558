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
is "/dev: the six devices, pts, shm, mqueue and the links" "$out" \
"total 0
lrwxrwxrwx /proc/self/fd
crw-rw-rw- full
drwxrwxrwt mqueue
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
shm_size() { awk '$5 == "/dev/shm" { sub(/.*size=/, ""); print $1 }' /proc/self/mountinfo; }
mc run --rootfs "$R" sh -c "$(declare -f shm_size); shm_size"
is "/dev/shm: docker's 64m" "$rc:$out" "0:65536k"
mc run --rootfs "$R" --shm-size 1m sh -c "$(declare -f shm_size); shm_size
	dd if=/dev/zero of=/dev/shm/f bs=1k count=2048 2>&1 | grep -o 'No space.*'"
is "--shm-size 1m: a 1m /dev/shm, and 2m do not fit" "$rc:$out" \
	"0:1024k
No space left on device"
mc run --rootfs "$R" --shm-size 1.5g sh -c "$(declare -f shm_size); shm_size"
is "--shm-size 1.5g: -m's units" "$rc:$out" "0:1572864k"
mc run --shm-size 1m true
is "--shm-size without --rootfs: the host's /dev/shm is not the container's to size" \
	"$rc:$out:$err" "125::minictr: run: option '--shm-size' needs --rootfs"
mc run --rootfs "$R" sh -c 'awk "\$2 == \"/dev/mqueue\" { print \$1, \$3, \$4 }" /proc/mounts; touch /dev/mqueue/q && ls /dev/mqueue'
is "/dev/mqueue: an mqueue mount, nosuid,nodev,noexec, usable" "$rc:$out" \
	"0:mqueue mqueue rw,nosuid,nodev,noexec,relatime
q"
check "... of the container's own IPC namespace (the host's has no queue q)" \
	test ! -e /dev/mqueue/q
# A kernel without CONFIG_POSIX_MQUEUE: that mount(2) fails with ENODEV,
# forced by strace on the child's Nth mount(2), N counted from --trace.
mc run --trace --rootfs "$R" true
n=$(grep '^minictr\[1\]: mount(' <<<"$err" | grep -n '"mqueue"' | cut -d: -f1)
out=$(timeout -k 5 60 strace -f -o /dev/null -e inject=mount:error=ENODEV:when="$n" \
	"$M" run --rootfs "$R" sh -c 'grep -c mqueue /proc/mounts; ls /dev/mqueue' 2>&1)
is "a kernel without mqueue (ENODEV, forced): the container runs, /dev/mqueue empty" \
	"$?:$out" "0:0"
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
# /proc is the container's own, mounted after the volumes: one there would
# be hidden (a file inside) or hide it; runc refuses both
procwhy="cannot be /proc or inside it: the container's own proc is mounted there"
mc run --rootfs "$R" -v "$T/vol:/proc" true
is "a volume on /proc: 125, one line" "$rc:$err" \
	"125:minictr: run: invalid value '$T/vol:/proc' for '-v': CONTAINER $procwhy"
mc run --rootfs "$R" -v "$T/vol/file:/proc/cpuinfo" true
is "a volume inside /proc: 125, one line" "$rc:$err" \
	"125:minictr: run: invalid value '$T/vol/file:/proc/cpuinfo' for '-v': CONTAINER $procwhy"
mc run --rootfs "$R" --tmpfs //proc/ true
is "a --tmpfs on /proc: 125, one line" "$rc:$err" \
	"125:minictr: run: invalid value '//proc/' for '--tmpfs': PATH $procwhy"
mc run --rootfs "$R" -v "$T/vol:/dev" true
is "a volume on /dev without null: 125, one line that says why" "$rc:$err" \
	"125:minictr: mask /proc/keys: the container's /dev/null is missing (a volume or --tmpfs on /dev?)"
mc run --rootfs "$R" -v /dev:/dev sh -c 'echo x >/dev/null && echo ok'
is "the host's /dev on /dev works (docker's -v /dev:/dev)" "$rc:$out" "0:ok"

echo "# the order of mounts comes from their destinations"
mkdir -p "$T/A" "$T/B" && echo "B's file" >"$T/B/file"
mc run --rootfs "$R" -v "$T/B:/data2/sub" -v "$T/A:/data2" cat /data2/sub/file
is "-v B:/data2/sub -v A:/data2 (child first): B is not hidden under A" "$rc:$out" "0:B's file"
mc run --rootfs "$R" -v "$T/A:/data2" -v "$T/B:/data2/sub" cat /data2/sub/file
is "... and in the other order too" "$rc:$out" "0:B's file"
mc run --rootfs "$R" --tmpfs /data2/t -v "$T/A:/data2" sh -c 'grep -c " /data2/t tmpfs" /proc/mounts'
is "a --tmpfs beneath a volume given after it is on top of it" "$rc:$out" "0:1"
echo first >"$T/first" && echo second >"$T/second"
mc run --rootfs "$R" -v "$T/first:/etc/same" -v "$T/second:/etc/same" cat /etc/same
is "the same destination twice: the last given ends on top" "$rc:$out" "0:second"
mc run --rootfs "$R" -v "$T/vol:/data:rw" sh -c 'echo rw >/data/rw-ok'
is "-v HOST:CTR:rw is docker's default, spelled out" "$rc:$(cat "$T/vol/rw-ok")" "0:rw"
mc run --rootfs "$R" -v "$T/vol:/data:ro,rw" true
is "-v HOST:CTR:ro,rw: one line, 125" "$rc:$(head -1 <<<"$err")" \
	"125:minictr: run: invalid value '$T/vol:/data:ro,rw' for '-v': after CONTAINER, only :ro or :rw"

echo "# :ro keeps the source's flags, and is read-only all the way down"
# The source: a nosuid,nodev,noexec tmpfs with a tmpfs submount, mounted in
# a mount namespace of the test's own, so nothing stays mounted on the host.
# ro_run COMMAND...: runs COMMAND there; sets $out, $err, $rc like mc.
mkdir -p "$T/src"
ro_run() {
	timeout -k 5 60 unshare -m --propagation private sh -c '
		mount -t tmpfs -o nosuid,nodev,noexec src "$0" &&
		mkdir "$0/sub" && mount -t tmpfs sub "$0/sub" || exit 99
		exec "$@"' "$T/src" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
ro_check='awk "\$2 ~ /^\/vol/ { print \$2, \$4 }" /proc/mounts; touch /vol/x /vol/sub/x'
ro_run "$M" run --rootfs "$R" -v "$T/src:/vol:ro" sh -c "$ro_check"
like ":ro: /vol keeps nosuid,nodev,noexec (statvfs flags repeated)" "$out" \
	'^/vol ro,nosuid,nodev,noexec,'
like "... and its submount /vol/sub is read-only too (mount_setattr AT_RECURSIVE)" "$out" \
	$'\n/vol/sub ro,'
is "... so no write succeeds, at any depth" "$rc:$err" \
	"1:touch: /vol/x: Read-only file system
touch: /vol/sub/x: Read-only file system"
if strace -f -o /dev/null -e inject=mount_setattr:error=ENOSYS true 2>/dev/null; then
	ro_run strace -f -o /dev/null -e inject=mount_setattr:error=ENOSYS \
		"$M" run --trace --rootfs "$R" -v "$T/src:/vol:ro" sh -c "$ro_check"
	has "kernel < 5.12 (mount_setattr ENOSYS, forced): the fallback walks the tree" \
		"$err" "remounting each mount under $R/vol read-only"
	like "... /vol keeps its flags" "$out" '^/vol ro,nosuid,nodev,noexec,'
	like "... and /vol/sub is read-only too" "$out" $'\n/vol/sub ro,'
	is "... so no write succeeds" "$rc:$(grep -v '^minictr' <<<"$err")" \
		"1:touch: /vol/x: Read-only file system
touch: /vol/sub/x: Read-only file system"
	like "... and /proc/sys is read-only with its flags, through the same fallback" "$err" \
		'mount\(NULL, "/proc/sys", NULL, MS_RDONLY\|MS_NOSUID\|MS_NODEV\|MS_NOEXEC\|MS_REMOUNT\|MS_BIND'
else
	not_ok "strace can inject ENOSYS into mount_setattr (needed to test the fallback)"
fi
ro_run "$M" run --rootfs "$R" -v "$T/src:/vol" sh -c 'awk "\$2 == \"/vol\" { print \$4 }" /proc/mounts'
like "the read-write volume keeps them too (as before)" "$out" '^rw,nosuid,nodev,noexec,'
mc run --rootfs "$R" sh -c 'awk "\$2 == \"/proc/sys\" { print \$4 }" /proc/mounts'
like "/proc/sys: read-only, and still nosuid,nodev,noexec" "$out" '^ro,nosuid,nodev,noexec,'
# --read-only on a DIR that is itself a nosuid,nodev mount
mkdir -p "$T/rofs"
out=$(timeout -k 5 60 unshare -m --propagation private sh -c '
	mount -t tmpfs -o nosuid,nodev,size=16m rofs "$0" && cp -a "$1/." "$0/" || exit 99
	exec "$2" run --rootfs "$0" --read-only awk "\$2 == \"/\" { print \$4 }" /proc/mounts' \
	"$T/rofs" "$R" "$M" 2>&1)
like "--read-only on a nosuid,nodev DIR: / is ro and keeps nosuid,nodev" "$out" '^ro,nosuid,nodev,'

echo "# --tmpfs"
mc run --rootfs "$R" --read-only --tmpfs /scratch sh -c 'echo x >/scratch/f && cat /scratch/f; awk "\$2 == \"/scratch\" { print \$1, \$3, \$4 }" /proc/mounts; touch /etc/no'
is "under --read-only, --tmpfs is a writable scratch dir, rw,nosuid,nodev,noexec" "$rc:$out:$err" \
	"1:x
tmpfs tmpfs rw,nosuid,nodev,noexec,relatime:touch: /etc/no: Read-only file system"
check "... its mount point made in DIR, nothing written there" test -d "$R/scratch" -a ! -e "$R/scratch/f"
mc run --rootfs "$R" --tmpfs "/tmp/a b:size=1m,mode=0700,exec,ro,rw,noatime" \
	sh -c 'grep "^tmpfs /tmp/a" /proc/mounts | cut -d" " -f4; stat -c %a "/tmp/a b"'
is "size=, mode=, flags: as asked, in order" "$rc:$out" \
	"0:rw,nosuid,nodev,noatime,size=1024k,mode=700
700"
mc run --rootfs "$R" --tmpfs /s:size=64k sh -c 'dd if=/dev/zero of=/s/big bs=1k count=100 2>&1 | grep -o "No space left on device"'
is "size= is honoured" "$out" "No space left on device"
mc run --rootfs "$R" --tmpfs /s:ro touch /s/x
is "ro: a read-only tmpfs" "$rc:$err" "1:touch: /s/x: Read-only file system"
for bad in "/s:size=1x" "/s:" "/s:uid=0" "relative" "/"; do
	mc run --rootfs "$R" --tmpfs "$bad" true
	like "--tmpfs '$bad': one line, 125" "$rc:$(head -1 <<<"$err")" \
		"^125:minictr: run: invalid value '$bad' for '--tmpfs': "
done
mc run --tmpfs /s true
is "--tmpfs needs --rootfs" "$rc:$(head -1 <<<"$err")" "125:minictr: run: option '--tmpfs' needs --rootfs"

echo "# /etc/hosts, /etc/hostname, /etc/resolv.conf of the container's own"
printf 'DIR hosts\n' >"$R/etc/hosts"
printf 'old-name\n' >"$R/etc/hostname"
printf 'nameserver 192.0.2.1\n' >"$R/etc/resolv.conf"
sum_dir() {
	(cd "$R" && find . -path ./proc -prune -o -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
}
# the private directory of a run, from its --trace: "generating ... in DIR"
etc_dir_of() {
	sed -n 's/^minictr: generating .*etc.resolv.conf in //p' <<<"$1"
}
sum_before=$(sum_dir)
mc run -h web --rootfs "$R" sh -c 'cat /etc/hostname; grep -E "^127.0.0.1|web" /etc/hosts; test -f /etc/resolv.conf && echo resolv'
is "-h web: /etc/hostname is web, hosts has localhost and web, resolv.conf is there" \
	"$rc:$out" "0:web
127.0.0.1	localhost
127.0.1.1	web
resolv"
mc run --rootfs "$R" sh -c 'cat /etc/hostname; grep -c nameserver /etc/resolv.conf'
is "without -h, the host's name; --net none: no name server (none is reachable)" "$out" "$(hostname)
0"
host_resolv=/etc/resolv.conf
if grep -q '^nameserver 127.0.0.53' /etc/resolv.conf 2>/dev/null &&
	[ -r /run/systemd/resolve/resolv.conf ]; then
	host_resolv=/run/systemd/resolve/resolv.conf
fi
mc run --net host --rootfs "$R" cat /etc/resolv.conf
is "--net host: the host's resolver config" "$rc:$out" "0:$(cat "$host_resolv" 2>/dev/null)"
mc run --rootfs "$R" sh -c 'echo "10.0.0.1 db" >>/etc/hosts && grep -c db /etc/hosts'
is "the container may write its hosts file (as docker's)" "$rc:$out" "0:1"
echo "my hosts" >"$T/myhosts"
mc run --rootfs "$R" -v "$T/myhosts:/etc/hosts" cat /etc/hosts
is "a user's -v onto /etc/hosts wins" "$rc:$out" "0:my hosts"
mkdir -p "$T/etcdir" && echo "from a volume" >"$T/etcdir/motd"
mc run -h web --rootfs "$R" -v "$T/etcdir:/etc" sh -c 'cat /etc/motd /etc/hostname'
is "-v X:/etc still gets the generated files on top" "$rc:$out" "0:from a volume
web"
mc run --rootfs "$R" --read-only sh -c 'cat /etc/hostname >/dev/null && echo ok'
is "with --read-only too" "$rc:$out" "0:ok"
mkdir -p "$T/etcro" && echo "read-only etc" >"$T/etcro/motd"
mc run -h web --rootfs "$R" -v "$T/etcro:/etc:ro" sh -c 'cat /etc/motd; ls /etc'
is "-v X:/etc:ro, where no mount point can be made: runs, without the files (as before)" \
	"$rc:$out" "0:read-only etc
motd"
mkdir -p "$T/rodir/etc" "$T/rodir/dev" "$T/rodir/proc" "$T/rodir/sys"
cp -a "$R/bin" "$T/rodir/"
out=$(timeout -k 5 60 unshare -m --propagation private sh -c '
	mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 99
	exec "$1" run -h web --rootfs "$0" sh -c "ls /etc; hostname"' "$T/rodir" "$M" 2>&1)
is "a read-only DIR without /etc/hosts: runs, without the files (as before)" "$?:$out" "0:web"
mc run --trace --rootfs "$R" true
d=$(etc_dir_of "$err")
like "a run: its files were in a private directory, outside DIR" "$d" '^/(run/minictr/etc|tmp/minictr-etc)-'
check "... removed when it ended" test -n "$d" -a ! -e "$d"
mc run --trace --rootfs "$R" /nope
d=$(etc_dir_of "$err")
check "a failing command (127): removed too" test "$rc" = 127 -a -n "$d" -a ! -e "$d"
mc run --trace --rootfs "$R" -v "$T/nope:/x" true
d=$(etc_dir_of "$err")
check "a run that fails in set-up (125): removed too" test "$rc" = 125 -a -n "$d" -a ! -e "$d"
"$M" run --trace --rootfs "$R" --stop-timeout 1 sleep 30 >/dev/null 2>"$T/err" &
mcpid=$!
wait_for grep -q generating "$T/err"
d=$(etc_dir_of "$(cat "$T/err")")
check "... the private directory of a running container exists" test -n "$d" -a -f "$d/hosts"
kill -TERM "$mcpid"
wait "$mcpid"
check "a run ended by SIGTERM (then SIGKILL: sleep as PID 1 ignores it): removed too" \
	test "$?" = 137 -a -n "$d" -a ! -e "$d"
is "DIR is unchanged by all of the above (checksums)" "$(sum_dir)" "$sum_before"

echo "# symlinks in DIR are followed inside DIR, never out of it"
mkdir -p "$T/outside" "$R/$T/outside"
ln -s "$T/outside" "$R/escape"
mc run --rootfs "$R" -v "$T/vol:/escape" cat "$T/outside/file"
is "an absolute link to a host path: the volume lands on DIR's copy of that path" \
	"$rc:$out:$(ls "$T/outside")" "0:from the host:"
mc run --rootfs "$R" -v "$T/vol:/escape/sub" true
is "a path through such a symlink stays inside DIR" "$rc:$(ls "$T/outside")" "0:"
check "... where it created the target" test -d "$R/$T/outside/sub"
rm "$R/escape"
ln -s ../../../../../../../.. "$R/up"
mc run --rootfs "$R" -v "$T/vol:/up/etc/upvol" cat /etc/upvol/file
is "a '../../..' link stops at DIR's /" "$rc:$out" "0:from the host"
check "... and created the target in DIR's /etc, not the host's" \
	test -d "$R/etc/upvol" -a ! -e /etc/upvol
mc run --rootfs "$R" -v "$T/vol:/up" true
is "a target that resolves to DIR's / itself: refused, it would replace the root" \
	"$rc:$err" "125:minictr: $T/vol:/up: /up is / in $R: refused"
mc run --rootfs "$R" --tmpfs /up/. true
is "... for --tmpfs too" "$rc:$err" "125:minictr: /up/.: /up/. is / in $R: refused"
ln -s /proc/sys/kernel "$R/kern"
mc run --rootfs "$R" -v "$T/vol:/kern/hostname" true
is "a link to /proc/sys/kernel/hostname resolves to DIR's /proc, not the host's" \
	"$rc:$(cat /proc/sys/kernel/hostname)" "0:$(hostname)"
check "... where the target was created, in DIR" test -d "$R/proc/sys/kernel/hostname"
rm -r "$R/proc/sys" "$R/kern" "$R/up"
mkdir -p "$R/usr/share/zoneinfo/Etc"
echo "DIR's zone" >"$R/usr/share/zoneinfo/Etc/UTC"
ln -s /usr/share/zoneinfo/Etc/UTC "$R/etc/localtime"
echo "the host's zone" >"$T/zone"
mc run --rootfs "$R" -v "$T/zone:/etc/localtime:ro" cat /etc/localtime
is "Debian's /etc/localtime -> /usr/share/zoneinfo/Etc/UTC: -v onto it works" \
	"$rc:$out:$err" "0:the host's zone:"
is "... and DIR's file under it is unchanged" "$(cat "$R/usr/share/zoneinfo/Etc/UTC")" "DIR's zone"
ln -s /nowhere/zone "$R/etc/dangling"
mc run --rootfs "$R" -v "$T/zone:/etc/dangling" cat /nowhere/zone
is "a dangling link: the target is created where it points, inside DIR" \
	"$rc:$out:$(cat "$R/nowhere/zone")" "0:the host's zone:"
check "... and not on the host" test ! -e /nowhere
rm -r "$R/etc/dangling" "$R/nowhere" "$R/etc/localtime" "$R/usr"
ln -s "$T/outside" "$R/escape"
# Linux before 5.6 has no openat2: make it so, and see the refusal say why
if strace -f -o /dev/null -e inject=openat2:error=ENOSYS true 2>/dev/null; then
	out=$(strace -f -o /dev/null -e inject=openat2:error=ENOSYS \
		"$M" run --rootfs "$R" -v "$T/vol:/escape" true 2>&1)
	is "without openat2 (ENOSYS forced), a symlink target is refused, and the line says why" \
		"$?:$out" "125:minictr: /escape in $R is a symbolic link: refused (following it inside the root needs openat2, Linux 5.6)"
else
	not_ok "strace can inject ENOSYS into openat2 (needed to test the fallback)"
fi
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
like "... and the capabilities" "$err" \
	'minictr\[1\]: capset\(\{_LINUX_CAPABILITY_VERSION_3, 0\}, \{effective=0xa00425fb, permitted=0xa00425fb, inheritable=0\}\) = 0'

echo "# with limits"
mc run --rootfs "$R" -m 32m --pids-limit 20 sh -c 'echo ok'
is "--rootfs with -m and --pids-limit" "$rc:$out" "0:ok"

echo "# nothing left behind"
is "no mount of DIR left on the host" "$(grep -c "$R" /proc/self/mountinfo)" 0
host_unchanged
summary
