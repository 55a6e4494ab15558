#!/bin/sh
# test/all.sh - run every suite, even after one fails, and end with one
# line that counts them: "N passed, N failed, N skipped".  A suite that
# exits 77 skipped itself (not root, say): that is not a pass.  Called by
# `make test`; the exit status is 0 only when none failed.
cd "$(dirname "$0")/.." || exit 1
passed=0 failed=0 skipped=0 failures="" skips=""
for suite in "$@"; do
	echo "=== $suite"
	$suite
	case $? in
	0)  passed=$((passed + 1)) ;;
	77) skipped=$((skipped + 1)); skips="$skips $suite" ;;
	*)  failed=$((failed + 1)); failures="$failures $suite" ;;
	esac
done
echo "=== suites: $passed passed, $failed failed, $skipped skipped${failures:+ (failed:$failures)}${skips:+ (skipped:$skips)}"
[ "$failed" = 0 ]
