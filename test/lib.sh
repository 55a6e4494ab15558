# test/lib.sh - the little harness the integration suites share (bash).
#
# Each check prints "ok - <name>" or "not ok - <name>" with what was
# expected and what came; summary prints "N passed, N failed" and sets
# the exit status.  Suites that need root call need_root first: without
# root they say so and exit 77, the "skipped" status of automake and
# meson, which test/all.sh counts apart: a skip is neither a pass nor a
# failure.  With MUTATE_FAST=1 (test/mutate.sh) the first failure ends
# the suite: one is enough to catch a mutant.
#
# The host is checked, not trusted: host_snapshot records the mount table
# and what /proc shows, host_unchanged compares after the suite.

M=${MINICTR:-$PWD/minictr}
passed=0
failed=0
T=$(mktemp -d /tmp/minictr-test.XXXXXX)
chmod 755 "$T"                       # the unprivileged test reads it
trap 'rm -rf "$T"' EXIT

ok() {
	passed=$((passed + 1))
	echo "ok - $1"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $1"
	shift
	local line
	for line in "$@"; do
		printf '#   %s\n' "$line"
	done
	if [ "${MUTATE_FAST:-}" = 1 ]; then exit 1; fi
}

# is NAME ACTUAL EXPECTED
is() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $(printf %q "$3")" "got:      $(printf %q "$2")"
	fi
}

# like NAME ACTUAL REGEX (bash extended regex)
like() {
	if [[ $2 =~ $3 ]]; then
		ok "$1"
	else
		not_ok "$1" "expected to match: $3" "got: $(printf %q "$2")"
	fi
}

# has NAME ACTUAL STRING: ACTUAL contains STRING, as is
has() {
	if [[ $2 == *"$3"* ]]; then
		ok "$1"
	else
		not_ok "$1" "expected to contain: $3" "got: $(printf %q "$2")"
	fi
}

# check NAME COMMAND...: passes when the command succeeds
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}

# mc ARGS...: run minictr, stdin from /dev/null; sets $out, $err, $rc.
# The timeout is a guard against a hang, not a measurement.
mc() {
	timeout -k 5 60 "$M" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP $1: needs root (containers need CAP_SYS_ADMIN)"
		echo "0 passed, 0 failed (skipped: not root)"
		exit 77
	fi
}

# What the host looks like: its mount table and what its /proc shows.
# Copied with cat: /proc files report a size of 0, so cmp of the live
# files would compare nothing.
host_snapshot() {
	cat /proc/self/mountinfo >"$T/host-mounts.$1"
}

host_unchanged() {
	host_snapshot after
	if cmp -s "$T/host-mounts.before" "$T/host-mounts.after"; then
		ok "host mount table unchanged after the suite"
	else
		not_ok "host mount table unchanged after the suite" \
			"$(diff "$T/host-mounts.before" "$T/host-mounts.after" | head -5)"
	fi
	# the host's /proc is still the host's: /proc/self is this shell
	# (read is a builtin: the shell itself opens the file)
	local selfpid=none
	read -r selfpid _ </proc/self/stat
	is "host /proc still shows the host's pids" "$selfpid" "$BASHPID"
}

# The cgroup tree minictr may touch: every hierarchy's top two levels and
# any minictr directory below them.
cgroup_tree() {
	{ find /sys/fs/cgroup -maxdepth 2 -type d; find /sys/fs/cgroup -type d -name 'minictr*'; } \
		2>/dev/null | sort -u
}

cgroup_snapshot() {
	cgroup_tree >"$T/cgroups.$1"
}

cgroup_unchanged() {
	cgroup_snapshot after
	if cmp -s "$T/cgroups.before" "$T/cgroups.after"; then
		ok "host cgroup tree unchanged after the suite"
	else
		not_ok "host cgroup tree unchanged after the suite" \
			"$(diff "$T/cgroups.before" "$T/cgroups.after" | head -5)"
	fi
}

# The container cgroups minictr has now: none when it is not running.
# They are made below the cgroup minictr runs in, however deep.
minictr_cgroups() {
	find /sys/fs/cgroup -mindepth 1 -type d -name "minictr*" 2>/dev/null
}

# build_rootfs DIR: a tiny root filesystem, busybox-static and its links.
build_rootfs() {
	local applet
	mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/root"
	cp "$(command -v busybox)" "$1/bin/busybox"
	for applet in $("$1/bin/busybox" --list); do
		[ "$applet" = busybox ] || ln -s busybox "$1/bin/$applet"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$1/etc/passwd"
}

# wait_for COMMAND...: retry for up to 10 s (a guard, not a timing)
wait_for() {
	local i
	for i in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# alive PID: the process exists and is not a zombie
alive() {
	local state
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$state" ] && [ "$state" != Z ]
}

summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
