#!/usr/bin/env bash
# test/test_verify.sh - VERIFY.md is executed, so a claim and its proof
# cannot part.  cram (Debian's python3-cram) runs every `  $ ` line of it,
# in order, in one bash, and compares what each prints (and its exit
# status, `[N]`) with the lines below it, `(re)` and `(glob)` lines as
# patterns.  This suite runs cram on VERIFY.md with the binary under test
# ($MINICTR, which VERIFY.md's first block reads), then counts: one check
# per command, "ok" per section, "not ok" with its diff per command that
# printed something else.  Needs root: the blocks start containers.
#
# On a mismatch cram leaves VERIFY.md.err beside VERIFY.md (what the file
# would say today; `cram3 -i --shell=/bin/bash VERIFY.md` merges it); it is
# in .gitignore, and cram removes it after a clean run.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "VERIFY.md"
command -v cram3 >/dev/null ||
	{ not_ok "cram3 is installed (python3-cram: make test-deps)"; summary; exit; }

rm -f VERIFY.md.err
start=$EPOCHREALTIME
# the timeout is a guard against a hang, not a measurement
MINICTR=$M timeout -k 5 900 cram3 --shell=/bin/bash VERIFY.md >"$T/cram" 2>&1
rc=$?
echo "# cram ran VERIFY.md in $(awk -v a="$start" -v b="$EPOCHREALTIME" \
	'BEGIN { printf "%.0f", b - a }') s (exit status $rc)"
if [ $rc != 0 ] && [ ! -f VERIFY.md.err ]; then
	# cram itself failed or was stopped: there is nothing to compare
	sed 's/^/#   /' "$T/cram" | tail -20
fi

# Compare command by command with cram's own matchers: each command's
# segment is its line, its continuations and expected output, and the prose
# up to the next command (the same in both files).
# cram's own python (cram3's #! line), where its modules are.
py=$(sed -n '1s/^#! *//p' "$(command -v cram3)")
$py - VERIFY.md VERIFY.md.err "$rc" <<'EOF'
import os, sys
from cram._diff import esc, glob, regex, unified_diff

def segments(lines):
    """[(line number, section, lines)], one for each `  $ ` command"""
    segs, section = [], ''
    for n, line in enumerate(lines, 1):
        if line.startswith(b'## '):
            section = line[3:].strip().decode()
        if line.startswith(b'  $ '):
            segs.append((n, section, [line]))
        elif segs:
            segs[-1][2].append(line)
    return segs

expected = segments(open(sys.argv[1], 'rb').read().splitlines(True))
if not expected:                      # prose alone proves nothing
    print('not ok - VERIFY.md has commands for cram (`  $ ` lines)')
    print('0 passed, 1 failed')
    sys.exit(1)
if sys.argv[3] == '0':
    actual = expected                 # cram found no difference
elif os.path.exists(sys.argv[2]):
    actual = segments(open(sys.argv[2], 'rb').read().splitlines(True))
else:
    actual = []
if len(actual) != len(expected):      # cram stopped part way: trust nothing
    actual = [(n, s, [b'(cram did not finish)\n']) for n, s, _ in expected]
passed, failed, sections = 0, 0, {}
for (n, section, want), (_, _, got) in zip(expected, actual):
    diff = list(unified_diff(want, got, b'expected', b'got',
                             matchers=[esc, glob, regex]))
    counts = sections.setdefault(section, [0, 0])
    if not diff:
        passed += 1
        counts[0] += 1
        continue
    failed += 1
    counts[1] += 1
    command = want[0][4:].decode(errors='replace').rstrip()
    print('not ok - VERIFY.md:%d: $ %s' % (n, command))
    for d in diff[2:]:
        print('#   ' + d.decode(errors='replace').rstrip('\n'))
for section, (p, f) in sections.items():
    if f == 0:
        print('ok - %s (%d commands)' % (section, p))
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
EOF
