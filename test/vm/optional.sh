#!/bin/sh
# test/vm/optional.sh ARCH - the VM test for an architecture whose
# toolchain comes from a foreign Debian architecture's index (armhf):
# run it when its packages install, say SKIP visibly when they do not (a
# mirror in the middle of a sync breaks one index at a time), so that CI
# is not at the mercy of a mirror while the check still runs whenever it
# can.  It found a real hole once: see trap 15 in test/vm/README.md.
cd "$(dirname "$0")/../.." || exit 1
if ! sh test/vm/deps.sh "$1" >/dev/null 2>&1; then
	echo "1..0 # SKIP vm-test ARCH=$1: its Debian packages did not install"
	exit 77      # skipped: test/all.sh counts it apart
fi
make -s vm-test ARCH="$1"
