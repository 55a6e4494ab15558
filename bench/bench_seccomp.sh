#!/bin/bash
# bench/bench_seccomp.sh - what docker's default seccomp profile costs.
#
#   1. at start: `run --rootfs` with the profile against seccomp=unconfined
#      (which still installs the short TIOCSTI filter), mean of RUNS
#   2. per system call: getppid(2) in a tight loop inside the container,
#      default profile against unconfined, and the same loop under crun
#      with the same profile (docker's default.json as an OCI
#      linux.seccomp for docker's capability set, as dockerd writes it)
# Needs root; crun for the comparison.
set -eu
cd "$(dirname "$0")/.."
B=$(mktemp -d /tmp/minictr-bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
. test/lib.sh
build_rootfs "$B/rootfs"
musl-gcc -static -O2 -o "$B/rootfs/bin/loop" bench/syscall_loop.c
R=$B/rootfs
N=${N:-5000000}

echo "== the filter: size, compile time, instructions run per call"
cc -O2 -I.jsmn -o "$B/cost" bench/seccomp_cost.c seccomp_bpf.c seccomp_profile.c \
	json.c .gen/seccomp_x86_64.c && "$B/cost"

echo "== start: run --rootfs true (docker's default profile vs unconfined)"
RUNS=${RUNS:-300}
for opt in "" "--security-opt seccomp=unconfined"; do
	start=$(date +%s%N)
	for i in $(seq "$RUNS"); do ./minictr run --rootfs "$R" $opt /bin/true; done
	printf '%-28s %s us per container (mean of %s)\n' "minictr ${opt:-(default profile)}" \
		$(( ($(date +%s%N) - start) / RUNS / 1000 )) "$RUNS"
done

echo "== per call: $N getppid(2), ns each (best of 5)"
best() { sort -n | head -1; }
for opt in "" "--security-opt seccomp=unconfined"; do
	v=$(for i in 1 2 3 4 5; do ./minictr run --rootfs "$R" $opt /bin/loop "$N"; done | best)
	printf '%-28s %s ns\n' "minictr ${opt:-(default profile)}" "$v"
done
v=$(for i in 1 2 3 4 5; do "$R/bin/loop" "$N"; done | best)
printf '%-28s %s ns\n' "host, no filter" "$v"

if command -v crun >/dev/null; then
	mkdir -p "$B/b" && cp -a "$R" "$B/b/rootfs"
	(cd "$B/b" && "$OLDPWD/minictr" spec)
	python3 - "$B/b/config.json" /usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json "$N" <<'PY'
import json, sys
path, profile, n = sys.argv[1:]
c = json.load(open(path))
p = json.load(open(profile))
caps = c["process"]["capabilities"]["bounding"]
rules = []
for s in p["syscalls"]:
    inc, exc = s.get("includes") or {}, s.get("excludes") or {}
    if "amd64" in (exc.get("arches") or []) or any(x in caps for x in exc.get("caps") or []):
        continue
    if inc.get("arches") and "amd64" not in inc["arches"]:
        continue
    if any(x not in caps for x in inc.get("caps") or []):
        continue
    r = {k: s[k] for k in ("names", "action", "args", "errnoRet") if s.get(k) is not None}
    rules.append(r)
c["linux"]["seccomp"] = {"defaultAction": p["defaultAction"], "architectures":
    ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": rules}
c["process"]["args"] = ["/bin/loop", n]
c["process"]["terminal"] = False
json.dump(c, open(path, "w"))
PY
	for rt in crun ./minictr; do
		v=$(for i in 1 2 3 4 5; do $rt --root "$B/state" run --bundle "$B/b" "b$i"; \
			$rt --root "$B/state" delete -f "b$i" >/dev/null 2>&1; done | best)
		printf '%-28s %s ns\n' "$rt run --bundle (same profile)" "$v"
	done
fi
