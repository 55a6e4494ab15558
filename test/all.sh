#!/bin/sh
# test/all.sh - run every suite, even after one fails, and end with one
# line that says how many suites passed.  Called by `make test`.
cd "$(dirname "$0")/.." || exit 1
passed=0 failed=0 failures=""
for suite in "$@"; do
	echo "=== $suite"
	if $suite; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $suite"
	fi
done
echo "=== suites: $passed passed, $failed failed${failures:+ (failed:$failures)}"
[ "$failed" = 0 ]
