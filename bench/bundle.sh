# bench/bundle.sh - sourced by the benches that compare OCI runtimes on
# one bundle (bench_rootfs.sh, bench_oci.sh, bench_exec.sh).
#
# bundle_rootfs DIR: DIR/rootfs, busybox (as sh) and a tiny static /true,
# the payload, so that no dynamic loader hides the runtimes' own cost;
# then `runc spec` or `crun spec` in DIR writes its config.json.
bundle_rootfs() {
	mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/dev" \
		"$1/rootfs/sys" "$1/rootfs/tmp"
	cp "$(command -v busybox)" "$1/rootfs/bin/busybox"
	ln -s busybox "$1/rootfs/bin/sh"
	printf 'int main(void) { return 0; }\n' >"$1/true.c"
	musl-gcc -static -Os -o "$1/rootfs/true" "$1/true.c"
}

# ratio FILE A B: in bench/interleave.c's output FILE, the median of the
# command named B over A's (names of two words, "minictr run")
ratio() {
	awk -v a="$2" -v b="$3" '$1 " " $2 == a { x = $3 } $1 " " $2 == b { y = $3 }
		END { printf "%-28s %6.2f\n", b " / " a, y / x }' "$1"
}
