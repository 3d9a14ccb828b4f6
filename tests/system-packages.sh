#!/bin/sh
# Debian packages some tests use: chromium (the browser test of `coopgraph serve`),
# raptor2-utils (rapper, a second parser for every export) and virtuoso-opensource-7-bin
# (the Virtuoso endpoint tests). Run as root on Debian, this installs those missing;
# anywhere else it says which are missing, and the tests that need them skip with the
# reason (under CI=true the browser test fails instead of skipping).
set -u
PACKAGES="chromium raptor2-utils virtuoso-opensource-7-bin"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "tests/system-packages.sh: not installing$missing (needs root and apt-get)" >&2
  exit 0
fi
echo "tests/system-packages.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >/dev/null 2>&1 \
  || echo "tests/system-packages.sh: apt-get could not install$missing" >&2
exit 0
