#!/bin/sh
# cross.sh ARCH OUT [SOURCE.c...] - build a static musl binary of minictr
# (or of the given sources) for ARCH, with Debian 12's own packages only.
#
#   ARCH: x86_64 (native), aarch64, armhf, riscv64.   OUT: the binary to write.
#   SOURCE: default is every *.c at the top of the repository (test/ and
#   any top-level *_test.c / test_*.c are left out).
#   CFLAGS, CPPFLAGS and LDFLAGS are honoured; CFLAGS defaults to the
#   Makefile's: -Os -Wall -Wextra -std=c11 -D_GNU_SOURCE (the sources rely
#   on _GNU_SOURCE for clone(2) and friends). -static is always added.
#
# How it works, and why:
#   Debian's musl-dev:<arch> ships a per-arch wrapper, e.g.
#   /usr/bin/aarch64-linux-musl-gcc, which runs the cross gcc
#   (aarch64-linux-gnu-gcc from gcc-aarch64-linux-gnu) with
#   -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs. That specs file swaps
#   glibc for musl: -nostdinc plus musl's headers, musl's crt files and libc.
#   We call that wrapper; musl-tools (the `musl-gcc` command) is only the
#   native one and is not needed for cross builds.
#
#   Trap: -nostdinc also hides the kernel's uapi headers (<linux/sched.h>,
#   <linux/if.h>, <asm/...>), which musl does not ship. We give them back with
#   -isystem on a tiny directory of symlinks to linux/, asm/ and asm-generic/
#   ONLY, so no glibc header can sneak in:
#     native x86_64: /usr/include/{linux,asm-generic} + /usr/include/x86_64-linux-gnu/asm
#                    (package linux-libc-dev)
#     cross:         /usr/<gnu-triplet>/include/{linux,asm,asm-generic}
#                    (package linux-libc-dev-<arch>-cross, no foreign arch needed)
#
#   Packages (test/vm/deps.sh installs them):
#     x86_64:  musl-tools linux-libc-dev
#     aarch64: dpkg --add-architecture arm64; gcc-aarch64-linux-gnu
#              musl-dev:arm64 linux-libc-dev-arm64-cross
#     armhf:   dpkg --add-architecture armhf; gcc-arm-linux-gnueabihf
#              musl-dev:armhf linux-libc-dev-armhf-cross
#     riscv64: Debian 12 has no musl-dev:riscv64 (riscv64 became an official
#              Debian architecture only in 13). deps.sh riscv64 installs
#              gcc-riscv64-linux-gnu linux-libc-dev-riscv64-cross and builds
#              musl from Debian's musl source package into the cache.
set -eu

usage() { echo "usage: $0 x86_64|aarch64|armhf|riscv64 OUT [SOURCE.c...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
arch=$1 out=$2
shift 2

case $arch in
x86_64|amd64)
	cc=x86_64-linux-musl-gcc
	kdirs="/usr/include/linux /usr/include/asm-generic /usr/include/x86_64-linux-gnu/asm"
	pkgs="musl-tools linux-libc-dev" ;;
aarch64|arm64)
	cc=aarch64-linux-musl-gcc
	kdirs="/usr/aarch64-linux-gnu/include/linux /usr/aarch64-linux-gnu/include/asm-generic /usr/aarch64-linux-gnu/include/asm"
	pkgs="gcc-aarch64-linux-gnu musl-dev:arm64 linux-libc-dev-arm64-cross" ;;
armhf|arm)
	cc=arm-linux-musleabihf-gcc
	kdirs="/usr/arm-linux-gnueabihf/include/linux /usr/arm-linux-gnueabihf/include/asm-generic /usr/arm-linux-gnueabihf/include/asm"
	pkgs="gcc-arm-linux-gnueabihf musl-dev:armhf linux-libc-dev-armhf-cross" ;;
riscv64)
	# No musl-dev:riscv64 in Debian 12: deps.sh builds musl from Debian's
	# source package into the cache; its musl-gcc wrapper works the same way.
	cc=${MINICTR_VM_CACHE:-/var/cache/minictr-vm}/riscv64/musl/bin/musl-gcc
	kdirs="/usr/riscv64-linux-gnu/include/linux /usr/riscv64-linux-gnu/include/asm-generic /usr/riscv64-linux-gnu/include/asm"
	pkgs="gcc-riscv64-linux-gnu linux-libc-dev-riscv64-cross + musl built by deps.sh" ;;
*)	usage ;;
esac

command -v "$cc" >/dev/null 2>&1 || {
	echo "cross.sh: $cc not found; run: test/vm/deps.sh $arch   (packages: $pkgs)" >&2
	exit 1
}
for d in $kdirs; do
	[ -d "$d" ] || { echo "cross.sh: $d missing; install: $pkgs" >&2; exit 1; }
done

# Default sources: the repository's top-level *.c, minus test files.
if [ $# -eq 0 ]; then
	top=$(cd "$(dirname "$0")/../.." && pwd)
	for f in "$top"/*.c; do
		case ${f##*/} in
		'*.c') echo "cross.sh: no *.c in $top" >&2; exit 1 ;;
		*_test.c|test_*.c) ;;                 # unit tests, not the program
		*) set -- "$@" "$f" ;;
		esac
	done
fi

# The kernel-headers directory: symlinks only, removed on exit.
kinc=$(mktemp -d)
trap 'rm -rf "$kinc"' EXIT
for d in $kdirs; do ln -s "$d" "$kinc/${d##*/}"; done

# shellcheck disable=SC2086  # CFLAGS etc. are lists of words
"$cc" ${CFLAGS:--Os -Wall -Wextra -std=c11 -D_GNU_SOURCE} ${CPPFLAGS:-} -isystem "$kinc" -static \
	-o "$out" "$@" ${LDFLAGS:-}

# Prove it: the right machine, statically linked, no dynamic section at all.
file "$out"
if readelf -d "$out" | grep -q 'There is no dynamic section'; then
	echo "cross.sh: $out: static, no dynamic section"
else
	echo "cross.sh: $out has a dynamic section:" >&2
	readelf -d "$out" >&2
	exit 1
fi
