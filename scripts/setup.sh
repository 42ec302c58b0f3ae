#!/usr/bin/env bash
# Installs what hetu-mlir needs on a fresh Debian 12 machine, then configures and builds it.
# Idempotent: packages already present are not reinstalled; the build is incremental.
#   scripts/setup.sh            install packages + configure + build
#   scripts/setup.sh --deps     install packages only
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${HETU_BUILD_DIR:-$here/build}

pkgs=(libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools ninja-build ccache cmake g++
      libgtest-dev libopenmpi-dev openmpi-bin python3 python3-numpy zlib1g-dev libzstd-dev
      libopenblas-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[ "${1:-}" = "--deps" ] && exit 0

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$here" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DHETU_ENABLE_ASSERTIONS=ON
fi
cmake --build "$build" -j "${HETU_JOBS:-$(nproc)}"
