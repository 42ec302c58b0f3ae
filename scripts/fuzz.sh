#!/usr/bin/env bash
# Coverage-guided fuzzing of hetu-mlir's parsers, front end, model reader
# and runtime checks with libFuzzer: a clang-22 build with ASan + UBSan in
# its own folder (build-fuzz), then every target (or those named) for a
# number of executions or seconds, from the committed seed corpora.
#
#   scripts/fuzz.sh [libFuzzer options: -runs=N (default 100000),
#                    -max_total_time=S, -seed=K, ...] [target ...]
#     targets: attr model header module (default: all)
#
# Installs clang-22 and libclang-rt-22-dev (Debian) when missing. New
# inputs that reach new coverage land in build-fuzz/corpus/<target> (merge them into
# tools/hetu-fuzzers/corpus/<target> with -merge=1 to keep them); a crash
# leaves its input as build-fuzz/crash-<target>-*, which the plain build's
# target replays: build/bin/hetu-<target>-fuzzer FILE.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${HETU_FUZZ_BUILD:-$here/build-fuzz}"
limit=()
while [[ $# -gt 0 && "$1" == -* ]]; do
  limit+=("$1"); shift
done
[[ ${#limit[@]} -gt 0 ]] || limit=(-runs=100000)
targets=("${@:-attr model header module}")
read -r -a targets <<< "${targets[*]}"
if ! command -v clang++-22 > /dev/null ||
   ! dpkg-query -W -f='${Status}' libclang-rt-22-dev 2>/dev/null | grep -q "ok installed"; then
  sudo_cmd=""
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
    --no-install-recommends clang-22 libclang-rt-22-dev
fi
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# (LLVM_USE_SANITIZER: shared libraries leave the sanitizer runtimes to the
# executable, instead of LLVM's -z defs.)
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$here" -B "$build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DHETU_ENABLE_ASSERTIONS=ON -DHETU_BUILD_TESTS=OFF -DHETU_LIBFUZZER=ON \
    "-DLLVM_USE_SANITIZER=Address;Undefined" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
fi
cmake --build "$build" -j "${HETU_JOBS:-$(nproc)}" \
  --target $(printf 'hetu-%s-fuzzer ' "${targets[@]}")
# Leaks are not checked: a failing rank leaves the runtime by longjmp
# (hetu_rt_run's error protection) and the job ends, as MLIR's contexts
# outlive inputs; every other report is a crash.
export ASAN_OPTIONS="detect_leaks=0:allow_user_poisoning=0:detect_odr_violation=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  cp -n "$here/tools/hetu-fuzzers/corpus/$t/"* "$corpus/" 2>/dev/null || true
  echo "== hetu-$t-fuzzer ${limit[*]}"
  log="$build/fuzz-$t.log"
  if "$build/bin/hetu-$t-fuzzer" "${limit[@]}" -rss_limit_mb=4096 \
      -timeout=30 -print_final_stats=1 -artifact_prefix="$build/crash-$t-" \
      "$corpus" > "$log" 2>&1; then
    echo "   no crash"
  else
    echo "   FAILED: see $log"; status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$log" | sed 's/^/   /' || true
done
exit $status
