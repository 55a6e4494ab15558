#!/bin/sh
# test/fuzz.sh SECONDS - run each libFuzzer harness (test/fuzz_args.c: the
# whole command line; test/fuzz_units.c: each value parser;
# test/fuzz_envfile.c: --env-file's contents; test/fuzz_config.c: an OCI
# bundle's config.json, json.c included; test/fuzz_docker.c: docker's
# command lines and log tails; test/fuzz_users.c: an image's /etc/passwd
# and /etc/group, and -u; test/fuzz_seccomp.c: a seccomp profile, loaded
# and compiled; test/fuzz_boot.c: an image's /etc/minictr/boot) for its
# share of
# SECONDS, seeded with test/corpus/<name>; new inputs go to a scratch
# directory.  One summary line per harness, or the whole report on a
# finding: then add the input that crashed as a row of a unit test table.
cd "$(dirname "$0")/.." || exit 1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
status=0
# each harness gets its share, at least 1 s: libFuzzer reads 0 as "forever"
harnesses="args units envfile config docker users seccomp boot"
set -- ${1:-60} $harnesses
share=$(( $1 / ($# - 1) ))
[ "$share" -ge 1 ] || share=1
for name in $harnesses; do
	mkdir "$d/$name"
	if test/fuzz_$name -max_total_time=$share -timeout=10 \
		-artifact_prefix="$d/" "$d/$name" "test/corpus/$name" >"$d/log" 2>&1; then
		echo "fuzz $name: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$d/log"), no finding"
		continue
	fi
	cat "$d/log"
	for f in "$d"/crash-* "$d"/leak-* "$d"/timeout-*; do
		[ -f "$f" ] && echo "input: $(od -c "$f" | head -5)"
	done
	echo "fuzz $name: FINDING (see above)"
	status=1
done
exit $status
