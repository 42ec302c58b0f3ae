#!/usr/bin/env bash
# The project's test command: sets up a fresh Debian 12 machine (packages,
# configure, build), then runs the whole test suite: check-hetu (lit tests
# and gtest unit tests) and the installed-package check.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${HETU_BUILD_DIR:-$here/build}

"$here/scripts/setup.sh"
cmake --build "$build" --target check-hetu -j "${HETU_JOBS:-$(nproc)}"
"$here/scripts/check-install.sh"
echo "test.sh: all tests passed"
