#!/usr/bin/env bash
# Installs hetu-mlir into a scratch prefix and builds + runs examples/embed,
# an outside project that uses the installed CMake package
# (find_package(HetuMLIR) + HetuMLIR::HetuMLIR, and the C API library).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${HETU_BUILD_DIR:-$here/build}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fail() { echo "check-install: FAILED: $*" >&2; exit 1; }
log="$scratch/log"
quiet() { "$@" > "$log" 2>&1 || { cat "$log" >&2; fail "$*"; }; }

quiet cmake --install "$build" --prefix "$scratch/prefix"
quiet cmake -G Ninja -S "$here/examples/embed" -B "$scratch/embed" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache
quiet cmake --build "$scratch/embed" -j "${HETU_JOBS:-$(nproc)}"

out=$("$scratch/embed/embed-cpp") || fail "embed-cpp exited with $?"
expected='[#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]'
[ "$out" = "$expected" ] || fail "embed-cpp printed '$out', expected '$expected'"
out=$("$scratch/embed/embed-c") || fail "embed-c exited with $?"
grep -qx 'dialect: hetu' <<<"$out" || fail "embed-c: no dialect line in: $out"
grep -qx 'group: gpu:0,(gpu:1,gpu:2)' <<<"$out" || fail "embed-c: bad group in: $out"
grep -qx "error: invalid device 'xpu:0': expected \[host:\](cpu|gpu):index" <<<"$out" \
  || fail "embed-c: bad error in: $out"
# The installed Python package finds the installed C API library by itself.
out=$(env -u HETU_MLIR_LIBRARY PYTHONPATH="$scratch/prefix/python" python3 -c \
  "import hetu_mlir; print(hetu_mlir.DeviceGroup('cpu:0;gpu:1 gpu:2').server_num)") \
  || fail "installed hetu_mlir does not load"
[ "$out" = 1 ] || fail "installed hetu_mlir: server_num printed '$out', expected 1"
# The installed package's session library (found by itself) opens a model
# the installed hetu-compile wrote.
quiet "$scratch/prefix/bin/hetu-compile" "$here/examples/mlp_train_dp4.mlir" -o "$scratch/dp4.so"
out=$(env -u HETU_SESSION_LIBRARY PYTHONPATH="$scratch/prefix/python" python3 -c \
  "from hetu_mlir._session import library, Session; s = Session('$scratch/dp4.so'); \
print(library()._name.startswith('$scratch/prefix/lib/'), len(s.args), s.num_replicas)") \
  || fail "installed session library does not open a model"
[ "$out" = "True 4 4" ] || fail "installed session library: printed '$out', expected 'True 4 4'"
[ -f "$scratch/prefix/include/hetu_session.h" ] || fail "hetu_session.h is not installed"
# The installed binaries run from the install tree.
"$scratch/prefix/bin/hetu-opt" --version > /dev/null || fail "installed hetu-opt does not run"
echo "check-install: OK (installed package used by examples/embed)"
