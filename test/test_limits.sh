#!/usr/bin/env bash
# test/test_limits.sh - -m (and --memory-swap), --pids-limit, --cpus and --cpuset-cpus, checked
# with real containers: the limit is in force from the first instruction,
# it bites (OOM kill, fork failure, throttling), and the cgroup is gone
# after every way a container can end.  Works on cgroup v1, v2 or hybrid
# hosts: the in-container helper finds the files the way minictr does.
# Needs root.  Prints "ok"/"not ok" lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_limits.sh"
host_snapshot before
cgroup_snapshot before

# A program that really allocates and touches N MiB (malloc alone would
# only reserve address space).
cat >"$T/hog.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	int mib = argc > 1 ? atoi(argv[1]) : 64;
	for (int i = 0; i < mib; i++) {
		char *p = malloc(1 << 20);
		if (!p)
			return 2;
		memset(p, 1, 1 << 20);
	}
	puts("survived");
	return 0;
}
EOF
musl-gcc -static -Os -o "$T/hog" "$T/hog.c" || exit 1

# cg.sh CONTROLLER FILE...: print the first FILE that exists in this
# process's cgroup for CONTROLLER: v1 (a hierarchy whose options name the
# controller) or v2 (the cgroup2 mount, path from the "0::" line).
cat >"$T/cg.sh" <<'EOF'
c=$1; shift
mnt=$(awk -v c="$c" '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup" &&
	index("," $(i+3) ",", "," c ",")) { print $5; exit } }' /proc/self/mountinfo)
if [ -n "$mnt" ]; then
	dir=$mnt$(awk -F: -v c="$c" 'index("," $2 ",", "," c ",") { print $3 }' /proc/self/cgroup)
else
	mnt=$(awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
	dir=$mnt$(sed -n 's/^0:://p' /proc/self/cgroup)
fi
for f; do [ -e "$dir/$f" ] && { cat "$dir/$f"; exit; }; done
echo "none of $* in $dir"
EOF

no_cgroups_left() {
	is "$1: no minictr cgroup left" "$(minictr_cgroups)" ""
}

echo "# the limits are written, and the container starts inside them"
mc run -m 32m --pids-limit 10 --cpus 0.5 --cpuset-cpus 1 sh -c "
	sh $T/cg.sh memory memory.max memory.limit_in_bytes
	sh $T/cg.sh pids pids.max
	sh $T/cg.sh cpu cpu.max cpu.cfs_quota_us
	sh $T/cg.sh cpuset cpuset.cpus
	grep Cpus_allowed_list /proc/self/status"
is "memory 32m, pids 10, cpus 0.5, cpuset 1, all in force inside" "$rc:$out" \
	"0:33554432
10
$(if [ -e /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then echo 50000; else echo '50000 100000'; fi)
1
Cpus_allowed_list:	1"
echo "# docker's spellings of sizes and CPUs, with docker's meaning"
# What users copy from docker command lines (go-units' RAMInBytes for -m,
# big.Rat for --cpus): the same limits land in the cgroup files.
limits="sh $T/cg.sh memory memory.max memory.limit_in_bytes
	sh $T/cg.sh cpu cpu.max cpu.cfs_quota_us
	sh $T/cg.sh cpu cpu.max cpu.cfs_period_us"
if [ -e /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
	half=$'50000\n100000' quarter=$'25000\n100000'
else
	half=$'50000 100000\n50000 100000' quarter=$'25000 100000\n25000 100000'
fi
mc run -m 64mb --cpus .5 sh -c "$limits"
is "-m 64mb --cpus .5: 67108864 bytes, a quota of 50000 in 100000" "$rc:$out" \
	"0:67108864
$half"
mc run --memory "64 MiB" --cpus 1/4 sh -c "$limits"
is "--memory '64 MiB' --cpus 1/4: 67108864, 25000 in 100000" "$rc:$out" \
	"0:67108864
$quarter"
mc run -m 1.5g --cpus 5e-1 sh -c "$limits"
is "-m 1.5g --cpus 5e-1: 1610612736, 50000 in 100000" "$rc:$out" \
	"0:1610612736
$half"
mc run -m 0 --cpus 0 --pids-limit -1 sh -c 'cat /proc/self/cgroup'
is "-m 0 --cpus 0 --pids-limit -1: no limit, as docker's: no cgroup made" \
	"$rc:$(grep -c minictr- <<<"$out")" "0:0"
mc run -m 64ki true
is "-m 64ki: refused, as docker refuses it" "$rc:$out:$err" \
	"125::minictr: run: invalid value '64ki' for '-m': use bytes as docker does: a number and a unit b, k, m, g, t or p, alone or with b or ib: 64m, 64MiB, 1.5g"
mc run --cpus 0.0000000001 true
is "--cpus 0.0000000001: refused (docker: too precise)" "$rc:$out:$err" \
	"125::minictr: run: invalid value '0.0000000001' for '--cpus': use a number of CPUs from 0.01 to 100000 (0: no limit), at most 9 decimals: 1.5, .5, 1/2"

echo "# -m at int64's edge, as docker 20.10 has it"
# docker's float64 makes 2^63 - 512 bytes and more 2^63, which wraps to
# -2^63 (refused); one byte less is its largest, and the kernel takes it
mc run -m 9223372036854775807 true
is "-m 9223372036854775807: refused, one line, 125" "$rc:$out:$err" \
	"125::minictr: run: invalid value '9223372036854775807' for '-m': at most 9223372036854775295 bytes (8 EiB less 513 bytes), docker's largest"
mc run -m 8192p true
is "-m 8192p (2^63): refused the same way" "$rc:$(wc -l <<<"$err")" "125:1"
mc run -m 9223372036854775295 true
is "-m 9223372036854775295, docker's largest: the kernel takes it" "$rc:$err" "0:"
no_cgroups_left "after -m at the edge"

echo "# --memory-swap: docker's memory and swap together"
# v1 limits both together (memsw), v2 the swap alone (swap.max)
swapped() { mc run "$@" sh $T/cg.sh memory memory.swap.max memory.memsw.limit_in_bytes; }
swapped -m 64m
if [[ $out == none* ]]; then
	echo "# swap is not accounted here: only the refusal is checked"
	swapped -m 64m --memory-swap 128m
	like "--memory-swap where swap is not accounted: 125, one line" "$rc:$err" \
		"^125:minictr: --memory-swap: swap is not accounted on this host \(no memory\.(memsw\.limit_in_bytes|swap\.max) in .*\): boot it with swapaccount=1, or leave --memory-swap out$"
elif [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
	is "-m 64m alone: no swap on top (memsw = memory)" "$rc:$out" "0:67108864"
	swapped -m 64m --memory-swap 128m
	is "-m 64m --memory-swap 128m: memsw 128m" "$rc:$out" "0:134217728"
	swapped -m 64m --memory-swap 64m
	is "--memory-swap equal to -m: no swap" "$rc:$out" "0:67108864"
	swapped -m 64m --memory-swap -1
	like "--memory-swap -1: unlimited swap" "$rc:$out" "^0:92233720368547[0-9]{5}$"
else
	is "-m 64m alone: no swap on top (swap.max 0)" "$rc:$out" "0:0"
	swapped -m 64m --memory-swap 128m
	is "-m 64m --memory-swap 128m: swap.max 64m" "$rc:$out" "0:67108864"
	swapped -m 64m --memory-swap -1
	is "--memory-swap -1: unlimited swap" "$rc:$out" "0:max"
fi
mc run --memory-swap 1g true
is "--memory-swap without -m: 125, docker's rule in one line" "$rc:$out:$err" \
	"125::minictr: run: option '--memory-swap' needs -m: it limits memory and swap together (-1: unlimited swap)"
mc run -m 1g --memory-swap 512m true
is "--memory-swap below -m: 125, one line" "$rc:$out:$err" \
	"125::minictr: run: option '--memory-swap' is less than -m: it limits memory and swap together, so it is at least -m (equal: no swap; -1: unlimited swap)"
no_cgroups_left "after --memory-swap"

# Below the cgroup minictr runs in, in every hierarchy: this shell's
# (the test runs minictr from here), named after who made it.
own_mem=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
own_pids=$(awk -F: '$2 == "pids" { print $3 }' /proc/self/cgroup)
pidns=$(stat -L -c %i /proc/self/ns/pid)
mc run -m 1g --pids-limit 100 sh -c 'cat /proc/self/cgroup'
like "the memory cgroup is <caller's>/minictr-<pidns>-<pid>-<start>" "$out" \
	":memory:${own_mem%/}/minictr-$pidns-[0-9]+-[0-9]+"$'\n'
like "... and so is the pids one" "$out" \
	":pids:${own_pids%/}/minictr-$pidns-[0-9]+-[0-9]+"$'\n'
no_cgroups_left "after a normal exit"

# The child's first step blocks until the parent has moved it: so no
# line of the child's narration can come before the parent's write.
mc run --trace -m 64M true
placed=$(grep -n 'cgroup.procs' <<<"$err" | cut -d: -f1)
first=$(grep -n '^minictr\[1\]:' <<<"$err" | head -1 | cut -d: -f1)
if [ -n "$placed" ] && [ -n "$first" ] && [ "$placed" -lt "$first" ]; then
	ok "the child does nothing before it is in its cgroup (line $placed < $first)"
else
	not_ok "the child does nothing before it is in its cgroup" "$err"
fi

echo "# memory: a 32M container touching 64M is killed, and says so"
mc run -m 32m "$T/hog" 64
is "OOM: exit 137 and one line" "$rc:$err" \
	"137:minictr: container was killed: out of memory (limit 32M)"
no_cgroups_left "after an OOM kill"
mc run -m 32m --init "$T/hog" 64
is "OOM with --init: exit 137 and the line" "$rc:$err" \
	"137:minictr: container was killed: out of memory (limit 32M)"
mc run -m 128m "$T/hog" 64
is "64M under a 128m limit: runs, no message" "$rc:$out:$err" "0:survived:"
mc run -m 1073741824 "$T/hog" 8
is "a limit in bytes" "$rc:$out" "0:survived"

echo "# pids: a fork bomb of 20 stops at 10"
mc run --pids-limit 10 sh -c '
	sh -c "for i in \$(seq 20); do sleep 100 & done" 2>/dev/null
	set -- /proc/[0-9]*; echo $#'
if [ "$rc" = 0 ] && [ "$out" -ge 2 ] && [ "$out" -le 10 ]; then
	ok "--pids-limit 10: the bomb got $((out - 1)) sleeps of 20, $out tasks in all"
else
	not_ok "--pids-limit 10 stops a 20-process fork bomb" "rc=$rc tasks=$out" "$err"
fi
no_cgroups_left "after a fork bomb (its sleeps killed)"

echo "# cpus: 0.5 of a CPU is throttled"
mc run --cpus 0.5 sh -c "timeout 1 sh -c 'while :; do :; done';
	sh $T/cg.sh cpu cpu.stat | awk '\$1 == \"nr_throttled\" { print \$2 }'"
if [ "$rc" = 0 ] && [ "${out:-0}" -gt 0 ]; then
	ok "--cpus 0.5: a busy loop was throttled ($out periods)"
else
	not_ok "--cpus 0.5 throttles a busy loop" "rc=$rc nr_throttled=$out" "$err"
fi

echo "# the cgroup is removed on every way out"
mc run -m 32m /nope
is "exec failure: 127" "$rc:$err" "127:minictr: exec /nope: No such file or directory"
no_cgroups_left "after an exec failure"
mc run -m 32m -w /no/such/dir true
is "setup failure: 125" "$rc:$err" "125:minictr: workdir /no/such/dir: No such file or directory"
no_cgroups_left "after a setup failure"

"$M" run -m 32m --stop-timeout 1 sleep 100 </dev/null 2>"$T/term.err" &
mpid=$!
wait_for pgrep -P $mpid -x sleep >/dev/null
kill -TERM $mpid
wait $mpid
is "SIGTERM, then SIGKILL after --stop-timeout: 137, said so, not called OOM" \
	"$?:$(cat "$T/term.err")" \
	"137:minictr: container was killed: still running 1 s after SIGTERM (--stop-timeout)"
no_cgroups_left "after SIGTERM to minictr"

"$M" run --init --pids-limit 50 sleep 100 </dev/null &
mpid=$!
wait_for pgrep -x sleep -P "$(pgrep -P $mpid -x minictr)" >/dev/null
kill -INT $mpid
wait $mpid
is "SIGINT with --init: 130" "$?" 130
no_cgroups_left "after SIGINT to minictr"

"$M" run -m 32m --pids-limit 10 sleep 100 </dev/null &
mpid=$!
wait_for pgrep -P $mpid -x sleep >/dev/null
kill -KILL $mpid
wait $mpid 2>/dev/null
check "kill -9 of minictr leaves its cgroup (nobody ran the clean-up)" \
	test -n "$(minictr_cgroups | grep "/minictr-$pidns-$mpid-[0-9]*\$")"
mc run -m 32m true
is "the next run with a limit succeeds" "$rc" 0
no_cgroups_left "after kill -9 then the next run (swept)"

echo "# a limit the host cannot apply: 125, and the command never runs"
unshare --mount --propagation private sh -c \
	"umount -l /sys/fs/cgroup; $M run -m 32m echo ran" >"$T/out" 2>"$T/err"
is "no cgroup mounted: --memory names what is missing" "$?:$(cat "$T/out"):$(cat "$T/err")" \
	"125::minictr: --memory: this host has no cgroup memory controller (none in /proc/self/mountinfo, nor in a cgroup2 mount's cgroup.controllers)"

echo "# a limit this host cannot honour: refused before anything is made"
online=$(cat /sys/devices/system/cpu/online)
ncpu=$(nproc)       # the CPUs minictr may run on, as docker counts them
mc run --trace --cpus $((ncpu + 1)) echo ran
is "--cpus beyond the CPUs there are: 125, docker's range, nothing made" \
	"$rc:$out:$err" "125::minictr: --cpus: range of CPUs is from 0.01 to $ncpu.00, as there are only $ncpu CPUs available"
mc run --cpus "$ncpu" true
is "--cpus equal to the CPUs there are: runs" "$rc" 0
mc run --trace --cpuset-cpus 4095 echo ran
like "--cpuset-cpus of a CPU that does not exist: names those that do" \
	"$rc:$out:$err" "^125::minictr: --cpuset-cpus: 4095: not among the CPUs available here, which are [0-9][-0-9,]*\$"
has "... read from minictr's cgroup (or the online CPUs)" "$err" "which are ${online%%[,-]*}"
mc run --trace -m 1k --pids-limit 5 echo ran
is "-m below the kernel's usable minimum: 125, nothing made" "$rc:$out:$err" \
	"125::minictr: --memory: 1K is below the minimum, 6M: the kernel would kill the container before its command ran"
no_cgroups_left "after a limit the host cannot honour"

echo "# started inside a limited cgroup, the container stays inside it"
# A 32M memory cgroup made below this shell's own (every process stays
# where the host put it), a subshell moved into it, and minictr run from
# there with -m 512m: the 32M above still holds, so touching 100M is
# killed.  Then everything made here is removed.
lim=/sys/fs/cgroup/memory${own_mem%/}/mctest-limits.$$
mkdir "$lim" && echo 32M >"$lim/memory.limit_in_bytes" &&
	{ [ ! -e "$lim/memory.memsw.limit_in_bytes" ] ||
	  echo 32M >"$lim/memory.memsw.limit_in_bytes"; }
timeout -k 5 60 sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" run -m 512m "$3" 100' \
	sh "$lim" "$M" "$T/hog" >"$T/out" 2>"$T/err" </dev/null
rc=$? out=$(cat "$T/out") err=$(cat "$T/err")
is "-m 512m inside a 32M cgroup: 100M is killed (137), the 32M held" "$rc:$out:$err" \
	"137::minictr: container was killed: out of memory (not its -m limit: one above minictr's cgroup, or the host's)"
check "... the container's cgroup was made inside the 32M one (and is gone)" \
	test -z "$(find "$lim" -mindepth 1 -type d)"
rmdir "$lim"
check "... and the 32M cgroup is removed, as before the test" test ! -e "$lim"

echo "# nested minictrs: a live container is never touched"
# descendant PID NAME: the pid of a process named NAME below PID.
descendant() {
	local kid found
	[ -n "$1" ] || return 1
	for kid in $(pgrep -P "$1"); do
		[ "$(cat "/proc/$kid/comm" 2>/dev/null)" = "$2" ] && { echo "$kid"; return; }
		found=$(descendant "$kid" "$2") && [ -n "$found" ] && { echo "$found"; return; }
	done
	return 1
}
# Each inner minictr is PID 1 of its container's pid namespace: the same
# pid in every such minictr.  B starting must not touch A's cgroups.
"$M" run -m 64m --pids-limit 20 "$M" run -m 32m --pids-limit 10 sleep 1000 </dev/null >/dev/null 2>&1 &
apid=$!
wait_for descendant $apid sleep >/dev/null
asleep=$(descendant $apid sleep)
mc run -m 64m --pids-limit 20 "$M" run -m 32m --pids-limit 10 sh -c 'echo inner ran'
is "a second nested minictr starts, limited, and ends: 0" "$rc:$out:$err" "0:inner ran:"
check "... and the first nested container's command is still alive" alive "${asleep:-none}"
check "... in its own cgroup still" grep -q "minictr-[0-9]*-1-[0-9]*$" "/proc/${asleep:-none}/cgroup"
kill -KILL $apid
wait $apid 2>/dev/null

# The same with two minictrs that are each PID 1 of a pid namespace,
# in the same cgroup: unshare -pf --mount-proc, as a minictr in docker.
# (SIGTERM to that minictr at the end, so it cleans up: a cgroup of a pid
# namespace that is gone cannot be proved stale, and would stay.)
unshare -pf --kill-child --mount-proc "$M" run --stop-timeout 1 -m 64m \
	sleep 1000 </dev/null >/dev/null 2>&1 &
apid=$!
wait_for descendant $apid sleep >/dev/null
asleep=$(descendant $apid sleep)
amc=$(pgrep -P $apid)
timeout -k 5 60 unshare -pf --mount-proc "$M" run -m 64m echo ran >"$T/out" 2>"$T/err" </dev/null
is "minictr as PID 1 of another pid namespace, beside another: runs" \
	"$?:$(cat "$T/out"):$(cat "$T/err")" "0:ran:"
check "... and the other's container is still alive" alive "${asleep:-none}"
kill -TERM "${amc:-none}"
wait $apid 2>/dev/null

echo "# the sweep: only empty cgroups of a minictr proved gone, and it kills nothing"
mem_own=/sys/fs/cgroup/memory${own_mem%/}
sleep 0.1 & dead=$!
wait $dead
stale=$mem_own/minictr-$pidns-$dead-1          # made by a pid now gone
mine=$mem_own/minictr-$pidns-$$-$(cut -d' ' -f22 /proc/$$/stat)   # by this shell
unseen=$mem_own/minictr-1-$dead-1              # a pid namespace we cannot see
busy=$mem_own/minictr-$pidns-$dead-2           # gone owner, but not empty
legacy=/sys/fs/cgroup/memory/minictr/$dead     # today's main's name for it
mkdir -p "$stale" "$mine" "$unseen" "$busy" "$legacy"
sleep 1000 </dev/null >/dev/null 2>&1 & s1=$!
sleep 1000 </dev/null >/dev/null 2>&1 & s2=$!
echo $s1 >"$busy/cgroup.procs"
echo $s2 >"$legacy/cgroup.procs"
mc run -m 32m true
is "a run with a limit among them: 0" "$rc:$err" "0:"
check "an empty cgroup of a minictr that is gone is swept" test ! -e "$stale"
check "an empty one whose owner is alive is left" test -d "$mine"
check "an empty one from a pid namespace out of sight is left" test -d "$unseen"
check "one holding a process is left" test -d "$busy"
check "... and its process is alive" alive $s1
check "a process in a minictr/<dead pid> cgroup is alive" alive $s2
kill $s1 $s2
wait $s1 $s2 2>/dev/null
rmdir "$stale" "$mine" "$unseen" "$busy" "$legacy" 2>/dev/null
rmdir /sys/fs/cgroup/memory/minictr 2>/dev/null

echo "# a hierarchy whose mount point has a space (mountinfo writes \\040)"
# In a throwaway mount namespace the pids hierarchy (v1, or the v2 mount)
# is bound at "$T/cg space" and its usual mount point unmounted: minictr
# must decode the \040 of /proc/self/mountinfo to find it.  The container
# reads its pids.max through the same path.
cg_mnt=$(awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup" &&
	index("," $(i+3) ",", ",pids,")) { print $5; exit } }' /proc/self/mountinfo)
[ -n "$cg_mnt" ] || cg_mnt=$(awk '{ for (i = 7; $i != "-"; i++);
	if ($(i+1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
mkdir -p "$T/cg space"
unshare --mount --propagation private sh -c '
	mount --bind "$1" "$2" && umount -l "$1" || exit 99
	grep -cF "cg\\040space" /proc/self/mountinfo >"$3/space.count"
	"$4" run --pids-limit 7 sh -c "cat \"\$0\$(sed -n \"s/^[0-9]*:pids://p\" /proc/self/cgroup | grep . ||
		sed -n \"s/^0:://p\" /proc/self/cgroup)/pids.max\"" "$2"' \
	_ "$cg_mnt" "$T/cg space" "$T" "$M" >"$T/out" 2>"$T/err"
is "the hierarchy is found at a path with a space, pids.max 7 in force" \
	"$?:$(cat "$T/space.count"):$(cat "$T/out"):$(cat "$T/err")" "0:1:7:"
no_cgroups_left "after a run through a path with a space"

echo "# without a limit: no cgroup at all"
mc run --trace sh -c 'cat /proc/self/cgroup'
if grep -q "/minictr" <<<"$out"$'\n'"$err"; then
	not_ok "no limit, no cgroup, no cgroup step" "$out" "$err"
else
	ok "no limit, no cgroup, no cgroup step"
fi
mc run --trace -m 32m true
like "--trace narrates the cgroup steps as the calls they are" "$err" \
	"minictr: open\(\"[^\"]*/minictr-[0-9]+-[0-9]+-[0-9]+/cgroup.procs\", O_WRONLY\|O_CLOEXEC\) = ([0-9]+)"$'\n'"minictr: write\(([0-9]+), \"[0-9]+\", [0-9]\) = [0-9]"
[ "${BASH_REMATCH[1]:-x}" = "${BASH_REMATCH[2]:-y}" ] && ok "... the write goes to the fd open returned" ||
	not_ok "... the write goes to the fd open returned" "$err"

echo "# nothing left behind"
host_unchanged
cgroup_unchanged
summary
