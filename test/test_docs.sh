#!/usr/bin/env bash
# test/test_docs.sh - --help, the man page, README.md and VERIFY.md say
# what the code does: every option the parser knows is documented in each
# (VERIFY.md runs it), and every exit status of the table is in each.
# Needs no root.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh

help=$("$M" run --help)
# the parser's own table is the truth: every long name in args.c
options=$(sed -n 's/^	{ *[^,]*, *"\([a-z-]*\)",.*/\1/p' args.c)
[ -n "$options" ] || not_ok "found the option table in args.c"
# VERIFY.md is executed (test/test_verify.sh): an option is shown there
# when a command cram runs (a `  $ ` or `  > ` line) uses its long name.
verify_runs() {
	grep -E '^  [$>] ' VERIFY.md | grep -qE -- "(^|[^a-z-])$1([^a-z-]|\$)"
}
readme_options=$(sed -n '/^| option | meaning |/,/^$/p' README.md)
for opt in $options; do
	has "--help documents --$opt" "$help" "--$opt"
	# roff writes each - of an option as \-
	check "minictr.1 documents --$opt" grep -qF -- "$(sed 's/-/\\-/g' <<<"--$opt")" minictr.1
	check "VERIFY.md runs --$opt" verify_runs "--$opt"
	[ "$opt" = help ] && continue
	check "README.md documents --$opt" grep -q -- "--$opt" README.md
	# a row of its own in the options table (its first cell names it)
	check "README.md's option table has --$opt" \
		grep -qE "^\| ([^|]|\\\\\|)*\`--$opt[] \`=[]" <<<"$readme_options"
done
# the other front doors' tables: runc's options (ociargs.c), docker's
# (dockerargs.c) and boot's (bootconf.c), each in --help, the man page
# and README; every command they and boot take, too (the man page: as a
# bold word of its own)
help_all=$("$M" --help)
oci_options=$(sed -n '/^opts\[\] = {/,/^};/p' ociargs.c | grep -o '{ "[a-z-]*"' | tr -dc 'a-z\n-')
docker_options=$(sed -n '/dopts\[\] = {/,/^};/p' dockerargs.c | grep -o '_[A-Z]*, "[a-z-]*"' | sed 's/.*"\(.*\)"/\1/' | sort -u)
commands=$(sed -n '/commands\[\] = {/,/^};/p;/dcmds\[\] = {/,/^};/p' ociargs.c dockerargs.c | grep -o '{ "[a-z]*"' | tr -dc 'a-z\n' | sort -u)
[ -n "$oci_options" ] && [ -n "$docker_options" ] && [ -n "$commands" ] ||
	not_ok "found the option and command tables in ociargs.c, dockerargs.c"
boot_options=$(grep -o '"--[a-z][a-z-]*"' bootconf.c | sed 's/^"--//; s/"$//' | sort -u)
for opt in $oci_options $docker_options $boot_options; do
	has "--help documents --$opt" "$help_all" "--$opt"
	check "minictr.1 documents --$opt" grep -qF -- "$(sed 's/-/\\-/g' <<<"--$opt")" minictr.1
	check "README.md documents --$opt" grep -q -- "--$opt" README.md
done
# runc's one-letter forms, written as --long|-x
while read -r long short; do
	has "--help documents --$long|-$short" "$help_all" "--$long|-$short"
	check "README.md documents --$long|-$short" grep -qF -- "--$long|-$short" README.md
done < <(sed -n '/^opts\[\] = {/,/^};/p' ociargs.c |
	grep -oE "\{ \"[a-z-]+\", '[a-z]'" | tr -d "{\"'," | sed 's/^ *//')
for cmd in $commands boot; do
	check "--help lists the command $cmd" grep -qE "^ +(minictr +)?$cmd( |\$)" <<<"$help_all"
	check "minictr.1 has an entry for $cmd" grep -qE "^\.(B|BI|BR) $cmd( |\$)" minictr.1
	check "README.md shows the command $cmd" grep -qE "\`(minictr )?$cmd( |\`)" README.md
done
# `CMD --help` (and -h, but run's is --hostname): CMD's own usage lines,
# exit 0, as docker's and runc's; `help CMD` the same, `version` --version's
for cmd in $commands boot; do
	for flag in --help -h; do
		[ $flag = -h ] && { [ $cmd = run ] || [ $cmd = boot ]; } && continue
		out=$("$M" $cmd $flag 2>&1); rc=$?
		is "$cmd $flag exits 0" "$rc" 0
		check "$cmd $flag prints its usage line" grep -qE "^(usage: |  )minictr $cmd( |\$)" <<<"$out"
	done
done
is "help ps is ps --help" "$("$M" help ps 2>&1)" "$("$M" ps --help 2>&1)"
is "help is --help" "$("$M" help 2>&1)" "$help_all"
is "version is --version" "$("$M" version 2>&1)" "$("$M" --version 2>&1)"
# README's "Reading the source" has a row for every source file (main.c:
# the sentence above it)
for f in $(sed -n 's/^SRC [+]*= *//p' Makefile | tr -d '\\'); do
	[ "$f" = main.c ] && continue
	check "README.md's source table has $f" grep -qE "^\| (\`[a-z_.]*\`, )*\`$f\`" README.md
done
for status in '128+N' 125 126 127; do
	has "--help lists exit status $status" "$help" "$status"
	check "minictr.1 lists exit status $status" grep -qF "$status" minictr.1
	check "README.md lists exit status $status" grep -qF "| $status |" README.md
	check "VERIFY.md shows exit status $status" grep -qF "$status" VERIFY.md
done
# one exit-status table: each row of --help's says the same in the man
# page's EXIT STATUS, README's table and VERIFY.md (up to its parenthesis)
man_status=$(LC_ALL=C MANWIDTH=2000 man -l minictr.1 2>/dev/null |
	sed -n '/^EXIT STATUS/,/^DIAGNOSTICS/p')
while IFS='|' read -r code text; do
	check "minictr.1's exit status $code: $text" grep -qiF -- "$text" <<<"$man_status"
	check "README.md's exit status $code: $text" grep -qiF -- "| $code | $text" README.md
	check "VERIFY.md's exit status $code: $text" grep -qiF -- "$text" VERIFY.md
done < <(sed -n '/^Exit status:/,$s/^  \([0-9N+][0-9N+]*\)  *\([^(]*[^( ]\).*/\1|\2/p' <<<"$help")
# README's size is the binary make builds: stripped, and within 10% of
# the figure it gives (re-measure and update README when this fails)
readme_bytes=$(grep -o '^ship, [0-9,]* bytes' README.md | tr -dc 0-9)
size=$(stat -c %s "$M")
check "the binary make builds is stripped (no symbol table)" \
	sh -c "! readelf -S '$M' | grep -q '\.symtab'"
check "README's size ($readme_bytes bytes) is the binary's ($size) within 10%" \
	test -n "$readme_bytes" -a $((size * 10)) -le $((readme_bytes * 11)) \
	-a $((size * 10)) -ge $((readme_bytes * 9))
is "the man page's version is the binary's" \
	"$(sed -n 's/^\.TH MINICTR 1 [^ ]* "\(minictr [0-9.]*\)".*/\1/p' minictr.1)" \
	"$("$M" --version | sed -n '1s/ version / /p')"
summary
