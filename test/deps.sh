#!/bin/sh
# test/deps.sh PACKAGE... - install the Debian packages that are missing.
# Quiet when everything is there; needs root (or sudo) when something is not.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
# update may fail for one index (a mirror syncing) yet serve the rest
$sudo apt-get update -qq || echo "deps: apt-get update had errors; trying anyway"
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "deps: could not install$missing" >&2; exit 1; }
