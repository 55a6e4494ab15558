#!/usr/bin/env bash
# test/mutate.sh - do the tests catch real bugs?  `make mutate`.
#
#   test/mutate.sh [ID...]       every mutant of test/mutants, or those named
#
# Each line of test/mutants is one small, realistic bug: a flag dropped, a
# check inverted, an off-by-one, a signal not forwarded.  For each, a
# scratch copy of the tree (cp -a to a mktemp directory: the working tree
# is never touched) gets that one textual change, is built, and runs the
# suites that should catch it, with MUTATE_FAST=1 so the first failing
# check ends a suite.  A suite that fails (or hangs past its timeout)
# "caught" the mutant; one that passes let it "survive".  A mutant whose
# text is no longer in the source "did not apply": it is listed, not
# counted, so that the list gets updated; nor is one that does not build.
# The last line is the score.
#
# First the same suites run on the unchanged copy: a suite that fails
# there would "catch" everything, so it is left out: a mutant runs the
# others, and is "not run" (not counted) when none is left.
# Slow (each mutant runs real containers), so not part of `make test`.
# Needs root, like the suites.
set -u
cd "$(dirname "$0")/.." || exit 1
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP mutate.sh: needs root"; exit 77; }

SUITE_TIMEOUT=${SUITE_TIMEOUT:-600}
W=$(mktemp -d /tmp/minictr-mutate.XXXXXX)
trap 'rm -rf "$W"' EXIT

# The pristine copy, built once; each mutant starts from it, so make
# rebuilds only the one file that changed (cp -a keeps the times).
cp -a . "$W/pristine"
make -s -C "$W/pristine" minictr test/unit >/dev/null || exit 1

# suite NAME: the command that runs it, from the copy's top directory
suite() {
	case $1 in
	unit) echo "test/unit" ;;
	*)    echo "bash test/test_$1.sh" ;;
	esac
}

# A container left behind by a suite that a failure cut short: end it,
# by pid, matched on the copy's own binary path.
reap_strays() {
	local exe pid
	for exe in /proc/[0-9]*/exe; do
		pid=${exe#/proc/}
		pid=${pid%/exe}
		case $(readlink "$exe" 2>/dev/null) in
		"$1"/minictr*) kill -KILL "$pid" 2>/dev/null ;;
		esac
	done
}

# run_suites DIR SUITES: 0 when every suite passes in the copy DIR
run_suites() {
	local dir=$1 s r=0
	for s in ${2//,/ }; do
		(cd "$dir" && MUTATE_FAST=1 timeout -k 5 "$SUITE_TIMEOUT" \
			$(suite "$s")) >"$dir/log.$s" 2>&1 </dev/null || {
			r=1
			echo "$s"
			break
		}
	done
	reap_strays "$dir"
	return $r
}

# unescape TEXT: \t and \n in the list's fields stand for tab and newline
unescape() {
	local t=${1//\\t/$'\t'}
	printf '%s' "${t//\\n/$'\n'}"
}

# selected: the lines of the mutants asked for (all without arguments)
selected() {
	local id rest
	while IFS=$'\t' read -r id rest; do
		case $id in '#'* | '') continue ;; esac
		[ $# = 0 ] || [[ " $* " == *" $id "* ]] || continue
		printf '%s\t%s\n' "$id" "$rest"
	done <test/mutants
}
all_suites=$(selected "$@" | cut -f3 | tr ',' '\n' | sort -u | tr '\n' ' ')
echo "# baseline: the unchanged tree must pass $all_suites"
broken=""
for s in $all_suites; do
	if ! run_suites "$W/pristine" "$s" >/dev/null; then
		echo "# suite $s fails without any mutant: its mutants are not run"
		grep -m3 -A2 '^not ok' "$W/pristine/log.$s" | sed 's/^/#   /'
		broken="$broken $s"
	fi
done

caught=0 survived=0 skipped="" survivors=""
while IFS=$'\t' read -r id file suites from to; do
	dir=$W/$id
	for s in $broken; do    # run the others; none left: not run
		suites=,$suites,
		suites=${suites//,$s,/,}
		suites=${suites#,}
		suites=${suites%,}
	done
	if [ -z "$suites" ]; then
		echo "not run - $id (its suites fail without a mutant)"
		skipped="$skipped $id"
		continue
	fi
	rm -rf "$dir"
	cp -a "$W/pristine" "$dir"
	from=$(unescape "$from") to=$(unescape "$to")
	if ! grep -qF -- "$from" "$dir/$file"; then
		echo "did not apply - $id ($file: text not found)"
		skipped="$skipped $id"
		rm -rf "$dir"
		continue
	fi
	# the first occurrence only: one bug, in one place
	FROM=$from TO=$to perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$dir/$file"
	if ! make -s -C "$dir" minictr test/unit >"$dir/log.build" 2>&1 </dev/null; then
		echo "did not build - $id"
		skipped="$skipped $id"
	elif by=$(run_suites "$dir" "$suites"); then
		survived=$((survived + 1))
		survivors="$survivors $id"
		echo "SURVIVED - $id ($file; ran $suites)"
	else
		caught=$((caught + 1))
		echo "caught - $id (by $by: $(grep -m1 '^not ok' "$dir/log.$by" ||
			echo "exit status, timeout or crash"))"
	fi
	rm -rf "$dir"
done < <(selected "$@")

total=$((caught + survived))
echo "=== mutants: $caught caught, $survived survived${survivors:+ (survived:$survivors)}," \
	"score $((total ? caught * 100 / total : 0))%${skipped:+; not counted:$skipped}"
[ "$survived" = 0 ]
