#!/bin/sh
# deps.sh [ARCH...] - install and download everything the VM tests and the
# cross builds need, on a Debian 12 machine, as root.
#
# Why a separate script: vm-test.sh and cross.sh never install anything on
# their own (a test that quietly changes the machine is a surprise); they tell
# you to run this instead, or run it for you when given --deps.
#
# ARCH is x86_64 (the default) and/or aarch64, armhf, riscv64 (the last two
# for cross builds; armhf is run on the aarch64 VM). The script is idempotent and quiet: a second run with
# everything in place only checks and returns.
#
# What it does for each ARCH:
#   * apt-get installs the host tools: qemu-system-<arch>, cpio, gzip, file,
#     binutils, busybox-static (for x86_64 guests) and the musl toolchain
#     (musl-tools natively; gcc-<triplet> + musl-dev:<arch> for cross builds,
#     which needs `dpkg --add-architecture`), plus Linux's uapi headers
#     (<linux/*.h>, <asm/*.h>), which musl's headers do not include:
#     linux-libc-dev natively, linux-libc-dev-<arch>-cross for cross builds.
#   * downloads (not installs!) Debian's cloud kernel for that arch, and for
#     foreign arches busybox-static:<arch>, into the cache directory
#     (default /var/cache/minictr-vm, override with MINICTR_VM_CACHE), and
#     keeps only the files the VM needs: vmlinuz, config, dummy.ko, busybox.
#     We do not install the kernel package: that would run update-initramfs
#     and write /boot on the host for nothing, and the host boots its own
#     kernel anyway.
set -eu

CACHE=${MINICTR_VM_CACHE:-/var/cache/minictr-vm}
export DEBIAN_FRONTEND=noninteractive

[ "$(id -u)" = 0 ] || { echo "deps.sh: must run as root (apt-get)" >&2; exit 1; }
[ $# -gt 0 ] || set -- x86_64

updated=no
apt_update() {                # run `apt-get update` at most once per call
	if [ "$updated" = no ]; then
		# A foreign arch whose index is briefly out of sync on a mirror
		# makes update print an error and exit non-zero; what we need
		# is usually still there, so carry on and let install decide.
		apt-get update -qq >/dev/null 2>&1 || true
		updated=yes
	fi
}

# need PKG... : apt-get install the packages that are not installed yet.
need() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "deps.sh: installing$missing"
	apt_update
	# shellcheck disable=SC2086  # word splitting of the list is wanted
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# foreign DEBARCH : let apt see packages of another Debian architecture.
foreign() {
	[ "$1" = "$(dpkg --print-architecture)" ] && return 0
	if ! dpkg --print-foreign-architectures | grep -qx "$1"; then
		echo "deps.sh: dpkg --add-architecture $1"
		dpkg --add-architecture "$1"
		updated=no
		apt_update
	fi
}

# fetch_kernel DEBARCH : put vmlinuz, config and dummy.ko of the newest
# linux-image-cloud-DEBARCH into $CACHE/DEBARCH/ (and busybox, for a foreign
# arch). The metapackage only depends on the versioned image package
# (linux-image-6.1.0-NN-cloud-arm64), so we resolve that name first.
fetch_kernel() {
	da=$1
	dir=$CACHE/$da
	mkdir -p "$dir"
	meta=linux-image-cloud-$da
	[ "$da" = "$(dpkg --print-architecture)" ] || meta=$meta:$da
	img=$(apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | head -n 1)
	img=${img%:"$da"}
	if [ -z "$img" ]; then
		apt_update
		img=$(apt-cache depends "$meta" |
			sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | head -n 1)
		img=${img%:"$da"}
	fi
	[ -n "$img" ] || { echo "deps.sh: cannot resolve $meta" >&2; exit 1; }

	pkgs="$img:$da"
	[ "$da" = "$(dpkg --print-architecture)" ] || pkgs="$pkgs busybox-static:$da"

	# Already cached, same kernel version? Then nothing to do.
	if [ -f "$dir/vmlinuz" ] && [ "$(cat "$dir/PACKAGES" 2>/dev/null)" = "$pkgs" ]; then
		return 0
	fi
	echo "deps.sh: downloading $pkgs into $dir"
	tmp=$(mktemp -d)
	# apt-get download writes into the current directory; as root it warns
	# that the _apt sandbox user cannot write there, so say root is fine.
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root $pkgs >/dev/null)
	mkdir "$tmp/x"
	for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/x"; done
	cp "$tmp"/x/boot/vmlinuz-* "$dir/vmlinuz"
	cp "$tmp"/x/boot/config-* "$dir/config"
	# dummy.ko lets the VM have a second network interface, so that the
	# "--net none shows only lo" test means something. Optional.
	find "$tmp/x/lib/modules" -name dummy.ko -exec cp {} "$dir/dummy.ko" \; || true
	if [ -f "$tmp/x/bin/busybox" ]; then cp "$tmp/x/bin/busybox" "$dir/busybox"; fi
	echo "$pkgs" >"$dir/PACKAGES"
	rm -rf "$tmp"
}

# build_musl ARCH : Debian 12 has no musl-dev:riscv64 (riscv64 became an
# official Debian architecture only in Debian 13), so build musl ourselves,
# from Debian's own source package of the same version as musl-dev, with
# Debian's cross gcc, into $CACHE/ARCH/musl (static libc.a + a musl-gcc
# wrapper). About 30 s. The source is fetched with `apt-get source` through a
# private copy of this machine's apt sources turned into deb-src entries, so
# /etc/apt is not touched.
build_musl() {
	dir=$CACHE/$1/musl
	[ -x "$dir/bin/musl-gcc" ] && return 0
	echo "deps.sh: building musl for $1 into $dir"
	tmp=$(mktemp -d)
	mkdir -p "$tmp/lists/partial" "$tmp/parts" "$tmp/src"
	: >"$tmp/sources.list"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && sed -n 's/^deb \(.*\)/deb-src \1/p' "$f" >>"$tmp/sources.list"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && sed 's/^Types: *deb *$/Types: deb-src/' "$f" >"$tmp/parts/${f##*/}"
	done
	o="-o Dir::Etc::SourceList=$tmp/sources.list -o Dir::Etc::SourceParts=$tmp/parts"
	o="$o -o Dir::State::Lists=$tmp/lists -o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	apt-get $o update -qq >/dev/null 2>&1 || true
	gnu=$1-linux-gnu
	# apt-get has checked the files against the signed archive index, so
	# dpkg-source's own signature warning (no keyring) is noise: it all goes
	# to a log, shown only if something fails.
	# shellcheck disable=SC2086
	if ! (cd "$tmp/src" && apt-get $o source -qq --download-only musl &&
		dpkg-source -x ./musl_*.dsc musl && cd musl &&
		./configure --target="$gnu" CROSS_COMPILE="$gnu-" --prefix="$dir" \
			--disable-shared &&
		make -j"$(nproc)" && make install) >"$tmp/build.log" 2>&1
	then
		tail -n 30 "$tmp/build.log" >&2
		rm -rf "$tmp"
		echo "deps.sh: building musl for $1 failed" >&2
		exit 1
	fi
	rm -rf "$tmp"
}

for arch in "$@"; do
	case $arch in
	x86_64|amd64)
		need qemu-system-x86 cpio gzip file binutils busybox-static musl-tools linux-libc-dev make
		fetch_kernel amd64
		;;
	aarch64|arm64)
		foreign arm64
		need qemu-system-arm cpio gzip file binutils gcc-aarch64-linux-gnu \
			musl-dev:arm64 linux-libc-dev-arm64-cross
		fetch_kernel arm64
		;;
	armhf|arm)
		# Cross build; vm-test.sh runs it on the aarch64 VM (32-bit
		# compat), so the arm64 kernel and busybox are needed too.
		foreign arm64
		foreign armhf
		need qemu-system-arm cpio gzip file binutils gcc-arm-linux-gnueabihf \
			musl-dev:armhf linux-libc-dev-armhf-cross
		fetch_kernel arm64
		;;
	riscv64)
		# Cross build only (Debian 12 has no riscv64 kernel, so no VM).
		need file binutils make dpkg-dev gcc-riscv64-linux-gnu linux-libc-dev-riscv64-cross
		build_musl riscv64
		;;
	*)
		echo "deps.sh: unknown ARCH '$arch' (x86_64, aarch64, armhf, riscv64)" >&2
		exit 2
		;;
	esac
done
