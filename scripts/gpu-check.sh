#!/usr/bin/env bash
# Runs on a GPU machine (CUDA driver, no LLVM/MLIR): every model that
# scripts/gpu-prepare.sh compiled, with `hetu-launch --backend=cuda
# --verify --report` (training examples for 3 steps), each against its
# single-device reference on the CPU, then hetu-bench-gpu (NCCL and cuBLAS
# through the runtime against direct calls). Writes OUTDIR/report.txt (one
# line per model, the benchmark's tables) and OUTDIR/full.log (every
# command's whole output), and exits 1 if anything failed.
#
#   scripts/gpu-check.sh OUTDIR [ARTIFACTS (default build/gpu)]
#
# $GPU_CHECK_BUDGET_S (default 420) bounds the whole run: models not started
# within it are reported as skipped, so the script ends inside a lease.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: scripts/gpu-check.sh OUTDIR [ARTIFACTS]}"
art="${2:-build/gpu}"
budget="${GPU_CHECK_BUDGET_S:-420}"
[[ -x "$art/bin/hetu-launch" ]] || { echo "gpu-check.sh: $art/bin/hetu-launch is missing: run scripts/gpu-prepare.sh on the build machine" >&2; exit 1; }
mkdir -p "$out"
report="$out/report.txt"
log="$out/full.log"
: > "$log"
say() { echo "$*" | tee -a "$report"; }

# The directory holding the library $1: the loader's cache, the CUDA
# toolkit, the driver's folder, then Python's nvidia-* wheels.
find_lib() {
  local dir
  for dir in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib \
      /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu; do
    [[ -e $dir/$1 ]] && { echo "$dir"; return; }
  done
  dir=$(python3 -c "
import glob, os, sys
try:
    import nvidia
except Exception:
    sys.exit(0)
for root in nvidia.__path__:
    for hit in glob.glob(os.path.join(root, '*', 'lib', '$1')):
        print(os.path.dirname(hit)); sys.exit(0)
" 2>/dev/null)
  [[ -n $dir ]] && { echo "$dir"; return; }
  ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n {print $NF; exit}' | xargs -r dirname
}

{
  echo "# gpu-check $(date -u +%FT%TZ), models for $(cat "$art/chip" 2>/dev/null)"
  nvidia-smi --query-gpu=index,name,driver_version,compute_cap,memory.total --format=csv 2>&1 || echo "nvidia-smi: not available"
} > "$report"
path="$PWD/$art/lib"
for lib in libcuda.so.1 libcublas.so.13 libcublasLt.so.13 libnccl.so.2; do
  dir=$(find_lib "$lib")
  say "# $lib: ${dir:-not found}"
  [[ -n $dir && ":$path:" != *":$dir:"* ]] && path="$path:$dir"
done
export LD_LIBRARY_PATH="$path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The launcher's own dependencies (OpenMPI, libstdc++) from the bundle only
# where this machine lacks them.
if ! "$art/bin/hetu-launch" --help > /dev/null 2>> "$log"; then
  export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$PWD/$art/lib/deps"
  say "# using the bundled libraries in $art/lib/deps"
fi
export HETU_TIMEOUT_S="${HETU_TIMEOUT_S:-60}"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH" >> "$log"

failed=0
for model in "$art"/models/*.so; do
  name=$(basename "$model" .so)
  if (( SECONDS > budget )); then
    printf '%-28s skipped (the %s s budget is spent)\n' "$name" "$budget" | tee -a "$report"
    failed=1
    continue
  fi
  args=(--backend=cuda --verify --report)
  [[ $name == train_* ]] && args+=(--iterations=3)
  start=$EPOCHREALTIME
  output=$(timeout 90 "$art/bin/hetu-launch" "$model" "${args[@]}" 2>&1)
  rc=$?
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b - a}')
  { echo "=== $name (rc $rc, $seconds s)"; echo "$output"; } >> "$log"
  status=ok
  (( rc == 0 )) || { status=FAILED; failed=1; }
  (( rc == 124 )) && status=TIMEOUT
  verdict=$(grep -m1 '^verify:' <<< "$output" || echo "no verify line")
  run=$(grep -m1 '^report: compile' <<< "$output" | sed 's/^report: //')
  printf '%-28s %-7s %s | %s | wall %s s\n' "$name" "$status" "$verdict" "$run" "$seconds" | tee -a "$report"
  grep '^report: rank' <<< "$output" | sed 's/^report: /    /' >> "$report"
  [[ $status == ok ]] || { grep -v '^report: ' <<< "$output" | tail -8 | sed 's/^/    /' | tee -a "$report"; }
done
# Steady-state step time: the launcher's report of 21 steps (the first also
# loads the kernel images and creates streams and cuBLAS handles; the median
# of the others, measured in the same process).
say "# steady-state step time on --backend=cuda (all ranks, one process)"
for name in train_hybrid train_ps train_dp4 train_dmp_1f1b; do
  model="$art/models/$name.so"
  [[ -f $model ]] || continue
  if (( SECONDS > budget )); then say "$name: skipped (budget)"; continue; fi
  steps=$(timeout 120 "$art/bin/hetu-launch" "$model" --backend=cuda --report --iterations=21 2>&1 |
    tee -a "$log" | sed -n 's/^report: steps: //p')
  if [[ -n $steps ]]; then
    printf '%-16s %s\n' "$name" "$steps" | tee -a "$report"
  else
    say "$name: FAILED (see full.log)"; failed=1
  fi
done

# Several processes: --backend=cuda-mpi under mpirun (ranks sharing this
# machine's GPUs communicate through MPI).
if command -v mpirun > /dev/null; then
  say "# cuda-mpi under $(mpirun --version 2>&1 | head -1)"
  for spec in train_dp4:4 train_ps:3 spec7-dmp-middle:8; do
    name=${spec%%:*}; n=${spec##*:}
    model="$art/models/$name.so"
    [[ -f $model ]] || continue
    if (( SECONDS > budget )); then say "$name: skipped (budget)"; continue; fi
    output=$(OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 90 \
      mpirun --oversubscribe -n "$n" -x LD_LIBRARY_PATH -x HETU_TIMEOUT_S \
      "$art/bin/hetu-launch" "$model" --backend=cuda-mpi --verify --iterations="$([[ $name == train_* ]] && echo 3 || echo 1)" 2>&1)
    rc=$?
    { echo "=== cuda-mpi $name (rc $rc)"; echo "$output"; } >> "$log"
    verdict=$(grep -m1 '^verify:' <<< "$output" || echo "no verify line")
    say "$(printf 'mpirun -n %s %-20s rc %s %s' "$n" "$name" "$rc" "$verdict")"
    (( rc == 0 )) || { failed=1; grep -v '^report: ' <<< "$output" | tail -6 | sed 's/^/    /' | tee -a "$report"; }
  done
fi

# The MLP step at a size with work for the GPU, against PyTorch.
if (( SECONDS <= budget )); then
  say "# bench/gpu/mlp_vs_torch.py"
  timeout 240 python3 bench/gpu/mlp_vs_torch.py "$art" > "$out/torch.txt" 2>&1 || failed=1
  tee -a "$report" < "$out/torch.txt"; cat "$out/torch.txt" >> "$log"; rm -f "$out/torch.txt"
fi

# Benchmarks: NCCL all-reduce bus bandwidth through the runtime against
# direct NCCL, cuBLAS through the runtime against direct cuBLAS. The per-rank
# step times of every model (the hybrid one included) are above.
say "# hetu-bench-gpu"
timeout 150 "$art/bin/hetu-bench-gpu" > "$out/bench.txt" 2>&1 || failed=1
cat "$out/bench.txt" | tee -a "$report"
cat "$out/bench.txt" >> "$log"
rm -f "$out/bench.txt"
say "# gpu-check done in $SECONDS s, exit $failed"
exit $failed
