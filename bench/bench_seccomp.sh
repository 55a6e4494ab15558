#!/bin/bash
# bench/bench_seccomp.sh - what docker's default seccomp profile costs, in
# minictr and in crun given the same profile.
#
#   1. the filter: its size, the time to compile it, and how many BPF
#      instructions a system call runs (bench/seccomp_cost.c)
#   2. at start, interleaved (bench/interleave.c: round r runs every
#      command once, in an order rotated by r, so the drift of a shared
#      machine falls on all alike), payload a static `true`:
#        minictr run --rootfs, the default profile / seccomp=unconfined
#        minictr run --bundle and crun run --bundle, one bundle whose
#        config.json has docker's default profile / the same without
#        linux.seccomp
#      The profile's cost at start is the difference within one runtime
#      (crun compiles it with libseccomp at every start, minictr with its
#      own compiler; without linux.seccomp crun loads no filter, minictr
#      still loads its TIOCSTI rule).
#      Then, to be sure, each bundle's Seccomp lines of /proc/self/status.
#   3. per system call: getppid(2) in a tight loop (bench/syscall_loop.c)
#      in each of those containers, and on the host; ns per call in the
#      quickest block of 1000 calls (a preempted block says nothing about
#      the filter), the best of LOOPS (7) runs alternated between the containers.
# The profile in config.json is docker's default.json resolved as dockerd
# writes it: for amd64 (x86_64, x86, x32) and the bundle's capabilities
# (docker's set; `minictr spec`).  crun refuses a hybrid cgroup host like
# this one, so everything runs in a private mount namespace with an empty
# tmpfs over /sys/fs/cgroup/unified (as bench_oci.sh does); on a pure v1
# or v2 host that step is skipped.  Read the ratios and differences: the
# machines are shared and noisy.  Needs root, musl-gcc, crun, python3 and
# Debian's golang-github-docker-docker-dev (docker's profile).
set -eu
cd "$(dirname "$0")/.."
. test/lib.sh
for t in crun musl-gcc python3; do
	command -v $t >/dev/null || { echo "bench_seccomp: $t is missing" >&2; exit 1; }
done
DOCKER=$(sed -n 's/^DOCKER_SECCOMP *= *//p' Makefile)
[ -f "$DOCKER" ] || { echo "bench_seccomp: $DOCKER is missing" >&2; exit 1; }
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B" "$T"' EXIT           # (test/lib.sh made $T)
R=$B/rootfs
M=$PWD/minictr
CRUN=$(command -v crun)
N=${N:-2000000}
LOOPS=${LOOPS:-7}
RUNS=${RUNS:-100}
build_rootfs "$R"
mkdir -p "$R/proc" "$R/dev" "$R/sys"
printf 'int main(void) { return 0; }\n' >"$B/true.c"
musl-gcc -static -Os -o "$R/true" "$B/true.c"
musl-gcc -static -O2 -o "$R/bin/loop" bench/syscall_loop.c
cc -O2 -o "$B/interleave" bench/interleave.c

echo "== the filter: size, compile time, instructions run per call"
cc -O2 -I.jsmn -o "$B/cost" bench/seccomp_cost.c seccomp_bpf.c seccomp_profile.c \
	json.c .gen/seccomp_x86_64.c && "$B/cost"

# Four bundles on the one rootfs: {true, loop} x {docker's profile, none}
(cd "$B" && "$M" spec)
python3 - "$B" "$DOCKER" "$N" <<'PY'
import json, os, sys
b, profile, n = sys.argv[1:]
c = json.load(open(b + "/config.json"))
p = json.load(open(profile))
caps = c["process"]["capabilities"]["bounding"]
rules = []
for s in p["syscalls"]:     # includes/excludes, as dockerd resolves them
    inc, exc = s.get("includes") or {}, s.get("excludes") or {}
    if "amd64" in (exc.get("arches") or []) or any(x in caps for x in exc.get("caps") or []):
        continue
    if inc.get("arches") and "amd64" not in inc["arches"]:
        continue
    if any(x not in caps for x in inc.get("caps") or []):
        continue
    rules.append({k: s[k] for k in ("names", "action", "args", "errnoRet") if s.get(k) is not None})
seccomp = {"defaultAction": p["defaultAction"], "defaultErrnoRet": p.get("defaultErrnoRet", 1),
           "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
           "syscalls": rules}
c["root"]["path"] = b + "/rootfs"
c["process"]["terminal"] = False
for name, args in (("true", ["/true"]), ("loop", ["/bin/loop", n]),
                   ("status", ["/bin/grep", "^Seccomp", "/proc/self/status"])):
    for prof in ("profile", "none"):
        c["process"]["args"] = args
        c["linux"].pop("seccomp", None)
        if prof == "profile":
            c["linux"]["seccomp"] = seccomp
        os.mkdir(f"{b}/{name}-{prof}")
        json.dump(c, open(f"{b}/{name}-{prof}/config.json", "w"))
PY

# run.sh, in the private mount namespace: the starts, then the loops
{
	echo 'set -e'
	echo "grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo &&"
	echo '	mount -t tmpfs tmpfs /sys/fs/cgroup/unified'
	echo "echo '== start: $RUNS rounds, ms (payload static true)'"
	echo "'$B/interleave' $RUNS" \
		"'rootfs profile=$M run --rootfs $R /true'" \
		"'rootfs unconfined=$M run --rootfs $R --security-opt seccomp=unconfined /true'" \
		"'minictr profile=$M --root $B/s1 run --bundle $B/true-profile r'" \
		"'minictr none=$M --root $B/s2 run --bundle $B/true-none r'" \
		"'crun profile=$CRUN --root $B/s3 run --bundle $B/true-profile r'" \
		"'crun none=$CRUN --root $B/s4 run --bundle $B/true-none r'"
	# that each bundle really runs under the filter(s) it should
	echo "echo '== the filters in force: /proc/self/status of each bundle'"
	for rt in "minictr $M" "crun $CRUN"; do
		for p in profile none; do
			echo "echo \"${rt%% *} $p: \$('${rt#* }' --root '$B/st-${rt%% *}' run --bundle '$B/status-$p' st | tr '\n' ' ')\""
		done
	done
	echo "echo '== per call: $N getppid(2), ns each (quickest block of 1000, best of $LOOPS runs)'"
	echo "for i in \$(seq $LOOPS); do"
	echo "	echo \"rootfs profile \$('$M' run --rootfs '$R' /bin/loop $N)\""
	echo "	echo \"rootfs unconfined \$('$M' run --rootfs '$R' --security-opt seccomp=unconfined /bin/loop $N)\""
	for rt in "minictr $M" "crun $CRUN"; do
		for p in profile none; do
			echo "	echo \"${rt%% *} $p \$('${rt#* }' --root '$B/l-${rt%% *}-$p' run --bundle '$B/loop-$p' l)\""
		done
	done
	echo "	echo \"host none \$('$R/bin/loop' $N)\""
	echo 'done >'"'$B/loops'"
	echo "sort -k3,3n '$B/loops' | awk '!seen[\$1 \" \" \$2]++ { printf \"%-24s %9s\\n\", \$1 \" \" \$2, \$3 }' | sort"
} >"$B/run.sh"
unshare --mount --propagation private sh "$B/run.sh" | tee "$B/out"

# What the profile adds, within each runtime (ms at start, ns per call)
echo "== docker's profile: what it adds (profile - none; ratio profile / none)"
awk '$1 == "command" || /^==/ { next }
	NF == 6 { t["start " $1 " " $2] = $3; next }
	NF == 3 { t["call " $1 " " $2] = $3 }
	END {
		split("rootfs minictr crun", rt, " ")
		for (s = 1; s <= 2; s++) {
			k = s == 1 ? "start" : "call"; unit = s == 1 ? "ms" : "ns"
			for (i = 1; i <= 3; i++) {
				off = rt[i] == "rootfs" ? "unconfined" : "none"
				a = t[k " " rt[i] " profile"]; z = t[k " " rt[i] " " off]
				if (z > 0)
					printf "%-6s %-8s %+9.3f %s  %6.2f\n", k, rt[i], a - z, unit, a / z
			}
		}
	}' "$B/out"
