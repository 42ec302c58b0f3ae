#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer build of hetu-mlir (GCC's
# libasan/libubsan), in its own folder, and the check-hetu suite on it.
#
#   scripts/sanitize.sh [BUILD_DIR (default build-asan)] [lit filter regex]
#
# (with HETU_JOBS=N for the build's parallelism; the whole suite takes about
# 25 minutes on 2 cores, the build as long again the first time.)
#
# Our code is instrumented (the dialect, passes, runtime, tools); LLVM/MLIR,
# OpenMPI and OpenBLAS are Debian's. Leak checking is off (OpenMPI and the
# JIT keep allocations for the life of the process); every other report
# fails the run (halt_on_error). Python tests load instrumented libraries
# into Debian's python3, so libasan is preloaded for them.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build-asan}"
filter="${2:-}"
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$here" -B "$build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DHETU_ENABLE_ASSERTIONS=ON \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
fi
# allow_user_poisoning=0: LLVM's allocators (inline code from its headers,
# compiled into our instrumented objects) poison memory that the
# uninstrumented libMLIR then uses legitimately.
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:detect_odr_violation=0:allow_user_poisoning=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The instrumented libraries in a Python that is not.
export HETU_SANITIZER_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
# check-hetu builds what the tests need (tools, gtests, generated docs) and
# runs lit with this environment; LIT_FILTER selects tests.
[[ -n "$filter" ]] && export LIT_FILTER="$filter"
export LIT_OPTS="${LIT_OPTS:--sv}"
cmake --build "$build" -j "${HETU_JOBS:-$(nproc)}" --target check-hetu
