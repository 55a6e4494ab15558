#!/usr/bin/env bash
# test/test_podman.sh - minictr driven by podman, through conmon: Debian's
# podman and conmon, installed if missing, everything private to this
# suite (--root, --runroot, --tmpdir, containers.conf, storage.conf, vfs,
# cgroupfs, file events), an image imported from a busybox-static
# tarball, no registry, `--runtime ./minictr`.  Checked: run --rm exit
# codes and output, a missing command (127, from runc's words), -ti in a
# tmux pane, --network none, run -d then logs and stop, exec (once
# minictr has it), and podman's default containers.conf, whose
# net.ipv4.ping_group_range sysctl every container carries.  Afterwards
# no container, conmon, mount, cgroup or file of podman's is left.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_podman"
sh test/deps.sh podman conmon tmux util-linux ||
	{ echo "1..0 # SKIP podman or conmon cannot be installed"; exit 77; }

P=$T/podman
mkdir -p "$P"
build_rootfs "$P/rootfs"
host_snapshot before
cgroup_snapshot before
# what podman makes outside its --root whatever it is told: the blob info
# cache (import) and, in cgroupfs mode, conmon's cgroup libpod_parent/
had_cache=$(test -e /var/lib/containers && echo yes)
had_parent=$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null)
# podman only writes --log/--log-format json for runtimes it lists here;
# the rest is Debian's default (default_sysctls included)
cat >"$P/containers.conf" <<CONF
[engine]
runtime_supports_json = ["$M"]
CONF
cat >"$P/storage.conf" <<CONF
[storage]
driver = "vfs"
runroot = "$P/runroot"
graphroot = "$P/root"
CONF
# $P/podman-here: podman with every private flag, for the suite and for
# the tmux pane alike
cat >"$P/podman-here" <<SH
#!/bin/sh
exec podman --root $P/root --runroot $P/runroot --tmpdir $P/tmp \\
	--cgroup-manager cgroupfs --events-backend file --storage-driver vfs \\
	--runtime $M "\$@"
SH
chmod +x "$P/podman-here"
pm() { timeout -k 5 60 "$P/podman-here" "$@"; }
# podman asks for RLIMIT_NOFILE 1048576 and then RLIMIT_NPROC 1048576;
# raising a hard limit needs CAP_SYS_RESOURCE, which a container running
# this suite may lack (runc and crun fail there too): ask for less.
# seccomp: podman's own profile (containers-common's seccomp.json), which
# it writes into every config.json, is minictr's to honour (issue 12).
O="--pull never --network none \
--ulimit nofile=1024:1024 --ulimit nproc=1024:1024"

tm() { tmux -S "$T/tmux.sock" "$@"; }
screen() { tm capture-pane -p -J -t t -S -200 2>/dev/null; }
type_line() { tm send-keys -t t -l "$1"; tm send-keys -t t Enter; }
screen_has() { screen | grep -qE "$1"; }
# Everything podman made, gone: containers and image (podman unmounts
# their /dev/shm), any mount left under $T, conmon's cgroups, the cache.
clean_up() {
	local m d
	tm kill-server 2>/dev/null
	pm rm -a -f -t 0 >/dev/null 2>&1
	pm rmi -a -f >/dev/null 2>&1
	for m in $(awk -v t="$T" 'index($5, t) == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r); do
		umount -l "$m"
	done
	for d in /sys/fs/cgroup/*/libpod_parent; do
		[[ "$had_parent" == *"$d"* ]] && continue
		rmdir "$d/conmon" "$d" 2>/dev/null
	done
	[ -n "$had_cache" ] || rm -rf /var/lib/containers
	rm -rf "$T"
}
trap clean_up EXIT

if ! tar -C "$P/rootfs" -c . | pm import - localhost/bb >"$T/import" 2>&1; then
	echo "1..0 # SKIP podman cannot import an image here: $(tail -1 "$T/import")"
	exit 77
fi

# --- podman run --rm: output and exit codes
out=$(pm run --rm $O localhost/bb sh -c 'echo hi; exit 3' 2>&1); rc=$?
is "podman run: output and exit status through conmon" "$rc:$out" "3:hi"
out=$(pm run --rm $O localhost/bb sh -c 'grep Seccomp: /proc/self/status; unshare -U true && echo unshare-ok' 2>&1); rc=$?
is "podman's own seccomp profile, from its config.json: in force (a filter; its unshare allowed, as podman's profile says)" \
	"$rc:$out" $'0:Seccomp:\t2\nunshare-ok'
out=$(pm run --rm $O localhost/bb true 2>&1); rc=$?
is "podman run true: 0, nothing printed" "$rc:$out" "0:"
out=$(pm run --rm $O localhost/bb nope 2>&1); rc=$?
is "podman run of a missing command: 127" "$rc" 127
has "... in runc's words, which podman maps to 127" "$out" \
	"executable file not found in \$PATH"
out=$(pm run --rm $O localhost/bb sh -c 'ls /sys/class/net; hostname; echo $$' 2>&1)
like "--network none: only lo; podman's hostname; the command is PID 1" "$out" \
	$'^lo\n[0-9a-f]{12}\n1$'
out=$(pm run --rm $O localhost/bb cat /proc/sys/net/ipv4/ping_group_range 2>&1)
like "podman's default sysctl is written (net.ipv4.ping_group_range)" "$out" \
	$'^0[ \t]+0$'
# --- -ti: a terminal, in a tmux pane (the user's terminal emulator)
tm new-session -d -s t -x 80 -y 24 "env -i PATH=$PATH HOME=/root TERM=screen \
	PS1='host\$ ' bash --norc --noprofile"
wait_for screen_has '^host\$ ' || not_ok "tmux starts a shell"
type_line "$P/podman-here run --rm -ti $O localhost/bb sh; echo rc_ti=\$?"
wait_for screen_has '^/ # $'
type_line 'echo tty=$(tty) pid=$$'
wait_for screen_has '^tty='
check "podman run -ti: the container's own pty, sh is PID 1" \
	screen_has '^tty=/dev/pts/0 pid=1'
type_line 'exit 5'
wait_for screen_has '^rc_ti='
check "podman run -ti: the exit status comes back" screen_has '^rc_ti=5$'
tm kill-server 2>/dev/null

# --- run -d, logs, stop
pm run -d --name d1 $O localhost/bb sh -c \
	'echo started; trap "echo got-term; exit 0" TERM; while :; do sleep 0.1; done' >/dev/null
wait_for sh -c "'$P/podman-here' logs d1 2>/dev/null | grep -q started"
is "podman run -d, podman logs: the container's output" "$(pm logs d1 2>&1)" started
if "$M" exec --help >/dev/null 2>&1; then
	out=$(pm exec d1 sh -c 'echo in-$(hostname); cat /proc/1/cmdline | tr "\0" " "' 2>&1)
	like "podman exec: in the container, beside its PID 1" "$out" \
		$'^in-[0-9a-f]{12}\nsh -c echo started'
	out=$(pm exec d1 sh -c 'exit 6' 2>&1); rc=$?
	is "podman exec: its exit status" "$rc" 6
	out=$(pm exec d1 nope 2>&1); rc=$?
	is "podman exec of a missing command: 127" "$rc" 127
else
	echo "# SKIP podman exec: this minictr has no exec command yet"
fi
pm stop -t 10 d1 >/dev/null
is "podman stop: SIGTERM reached the trap, exit status 0" \
	"$(pm inspect d1 --format '{{.State.Status}} {{.State.ExitCode}}')" "exited 0"
is "podman logs after stop" "$(pm logs d1 2>&1)" $'started\ngot-term'
pm rm d1 >/dev/null
is "no container left" "$(pm ps -a -q)" ""

# --- nothing left
pm rmi -a -f >/dev/null 2>&1
wait_for sh -c "! pgrep -f 'conmon.*$P' >/dev/null"
is "no conmon left" "$(pgrep -af conmon | grep -c "$P")" 0
is "no minictr process left" "$(pgrep -af "$M" | grep -c "$P")" 0
for d in /sys/fs/cgroup/*/libpod_parent; do
	[[ "$had_parent" == *"$d"* ]] || rmdir "$d/conmon" "$d" 2>/dev/null
done
[ -n "$had_cache" ] || rm -rf /var/lib/containers
host_unchanged
cgroup_unchanged
summary
