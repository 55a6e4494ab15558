#!/usr/bin/env bash
# test/test_trace.sh - --trace shows only real calls: minictr runs under
# strace -f, and every trace line that looks like a system call must be
# one strace saw, with the same key arguments (test/trace_check.py says
# which).  A step that is not one call must read as prose.  Without and
# with --rootfs, with --rootfs --init (PID 1 from the sealed copy), and
# in a chroot (chroot.c).
# Needs root and strace.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_trace.sh"
command -v strace >/dev/null || { echo "not ok - strace is installed (apt-get install strace)"; exit 1; }
R=$T/root
build_rootfs "$R"
mkdir -p "$R/proc" "$R/dev" && mknod -m 666 "$R/dev/null" c 1 3
cp "$M" "$R/minictr"

# traced NAME ARGS...: run minictr --trace ARGS under strace, check it;
# minictr is "${IN[@]}" "$M" (IN: what to run it in, e.g. a chroot)
traced() {
	local name=$1 status line text why
	shift
	rm -rf "$T/strace" && mkdir "$T/strace"
	timeout -k 5 60 strace -ff -qq -s 4096 -o "$T/strace/s" \
		"${IN[@]}" "$M" run --trace "$@" >/dev/null 2>"$T/trace" </dev/null
	is "$name: the container ran" "$?" 0
	# the same step always traces: no line, no test
	like "$name: --trace said something" "$(cat "$T/trace")" "mount\("
	while IFS=$'\t' read -r status text why; do
		if [ "$status" = ok ]; then
			ok "$name: $text"
		else
			not_ok "$name: $text" "$why"
		fi
	done < <(python3 test/trace_check.py "$T/trace" "$T/strace")
}

IN=()
traced "the host's /" -h tracebox -w /tmp true
traced "--rootfs" --rootfs "$R" -h tracebox true
traced "--rootfs --init" --rootfs "$R" --init true
traced "-u, --group-add, --cap-drop" --rootfs "$R" -u 1000:100 --group-add 5 \
	--cap-drop ALL --security-opt no-new-privileges=false true
traced "-u without --rootfs" -u 0:5 true
# -t: the pty opened inside, and the caller's terminal put in raw mode (a
# stdin that is a terminal: a pty of python's, its master kept open)
traced "-t" -t true
IN=(python3 -c 'import os, sys
m, s = os.openpty(); os.set_inheritable(m, True); os.dup2(s, 0)
os.execvp(sys.argv[1], sys.argv[1:])')
traced "-t from a terminal" -t true
# config.json's process knobs (process.c): the OOM score and a sysctl,
# each an open and a write of /proc, under --debug
mkdir -p "$T/bundle" && (cd "$T/bundle" && "$M" spec) &&
python3 - "$T/bundle/config.json" "$R" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"] = {"path": sys.argv[2]}
c["process"].update(terminal=False, args=["true"], oomScoreAdj=100)
c["linux"]["sysctl"] = {"net.ipv4.ping_group_range": "0 0"}
json.dump(c, open(sys.argv[1], "w"))
PY
rm -rf "$T/strace" && mkdir "$T/strace"
timeout -k 5 60 strace -ff -qq -s 4096 -o "$T/strace/s" "$M" --debug \
	--root "$T/ociroot" run --bundle "$T/bundle" tracec >/dev/null 2>"$T/trace" </dev/null
is "run --bundle --debug: the container ran" "$?" 0
like "run --bundle --debug: the OOM score written" "$(cat "$T/trace")" "oom_score_adj"
while IFS=$'\t' read -r status text why; do
	if [ "$status" = ok ]; then ok "run --bundle: $text"; else not_ok "run --bundle: $text" "$why"; fi
done < <(python3 test/trace_check.py "$T/trace" "$T/strace")
IN=(unshare -m chroot "$R")
M=/minictr traced "in a chroot" true
summary
