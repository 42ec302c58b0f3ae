#!/usr/bin/env bash
# ThreadSanitizer over the runtime's threads backend: the runtime and
# hetu-launch built with GCC's -fsanitize=thread in their own folder
# (build-tsan; they link no LLVM/MLIR, so everything that synchronises is
# instrumented), then
#  - the runtime's unit tests (transfers, collectives, failures, timeouts
#    on the threads backend),
#  - compiled training models on threads with --verify over several steps
#    (hetu-compile from the normal build, BUILD, default build/): every
#    layout of the MLP examples and the GPT's data x tensor x pipeline on
#    8 ranks,
#  - the fault-injection cases (a stalled rank, a corrupted payload).
#
#   scripts/tsan.sh [BUILD (default build)]
#
# Any report fails the run (halt_on_error). The models' own code is
# compiled by LLVM without instrumentation: races inside a rank's kernels
# are out of its sight (ranks share no memory but what the runtime moves).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
normal="${1:-$here/build}"
tsan="$here/build-tsan"
if [[ ! -f "$tsan/build.ninja" ]]; then
  cmake -G Ninja -S "$here" -B "$tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DHETU_ENABLE_ASSERTIONS=ON \
    -DCMAKE_C_FLAGS="-fsanitize=thread" -DCMAKE_CXX_FLAGS="-fsanitize=thread" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread"
fi
cmake --build "$tsan" -j "${HETU_JOBS:-$(nproc)}" --target hetu-launch \
  HetuRuntimeTests hetu_runtime
cmake --build "$normal" -j "${HETU_JOBS:-$(nproc)}" --target hetu-compile
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
launch="$tsan/bin/hetu-launch"
status=0
check() { # name, command...
  local name="$1"; shift
  if "$@" > "$work/out" 2>&1; then
    echo "ok      $name"
  else
    echo "FAILED  $name"; tail -40 "$work/out"; status=1
  fi
}
check "runtime unit tests" "$tsan/unittests/Runtime/HetuRuntimeTests"
for m in mlp_train_dp4 mlp_train_dmp mlp_train_dmp_1f1b mlp_train_ps \
         mlp_train_hybrid mlp_train_dp2_mp2 gpt/gpt_dp-tp-pp; do
  so="$work/$(basename "$m").so"
  "$normal/bin/hetu-compile" "$here/examples/$m.mlir" -o "$so" > /dev/null
  check "$m (threads, 3 verified steps)" \
    env LD_LIBRARY_PATH="$tsan/lib" "$launch" "$so" --iterations=3 --verify
done
so="$work/mlp_train_dmp.so"
stall() {
  env LD_LIBRARY_PATH="$tsan/lib" HETU_TIMEOUT_S=2 \
    HETU_FAULT=rank:3,step:1,kind:stall "$launch" "$so" --iterations=3
  [[ $? == 1 ]]
}
corrupt() {
  env LD_LIBRARY_PATH="$tsan/lib" HETU_CHECKSUM=1 \
    HETU_FAULT=rank:0,step:1,kind:corrupt "$launch" "$so" --iterations=3
  [[ $? == 1 ]]
}
set +e
check "a stalled rank (threads)" stall
check "a corrupted payload (threads)" corrupt
exit $status
