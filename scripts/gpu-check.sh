#!/usr/bin/env bash
# Runs on a GPU machine (CUDA driver, no LLVM/MLIR): every model that
# scripts/gpu-prepare.sh compiled, with `hetu-launch --backend=cuda
# --verify --report` (training examples for 3 steps), each against its
# single-device reference on the CPU, then hetu-bench-gpu (NCCL and cuBLAS
# through the runtime against direct calls); writes OUTDIR/report.txt and
# exits 1 if anything failed.
#
#   scripts/gpu-check.sh OUTDIR [ARTIFACTS (default build/gpu)]
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: scripts/gpu-check.sh OUTDIR [ARTIFACTS]}"
art="${2:-build/gpu}"
[[ -x "$art/bin/hetu-launch" ]] || { echo "gpu-check.sh: $art/bin/hetu-launch is missing: run scripts/gpu-prepare.sh on the build machine" >&2; exit 1; }
mkdir -p "$out"
report="$out/report.txt"
# The toolkit's cuBLAS and NCCL, which the runtime loads at run time.
export LD_LIBRARY_PATH="$PWD/$art/lib:/usr/local/cuda/lib64:/usr/local/cuda/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
{
  echo "# gpu-check $(date -u +%FT%TZ), models for $(cat "$art/chip" 2>/dev/null)"
  nvidia-smi -L 2>&1 || echo "nvidia-smi: not available"
} > "$report"
failed=0
for model in "$art"/models/*.so; do
  name=$(basename "$model" .so)
  args=(--backend=cuda --verify --report)
  [[ $name == train_* ]] && args+=(--iterations=3)
  start=$(date +%s.%N)
  if output=$(timeout 120 "$art/bin/hetu-launch" "$model" "${args[@]}" 2>&1); then
    status=ok
  else
    status=FAILED
    failed=1
  fi
  seconds=$(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo "?")
  verdict=$(grep -m1 '^verify:' <<< "$output" || echo "no verify line")
  run=$(grep -m1 '^report: compile' <<< "$output" | sed 's/^report: //')
  printf '%-28s %-7s %s | %s | wall %s s\n' "$name" "$status" "$verdict" "$run" "$seconds" | tee -a "$report"
  [[ $status == ok ]] || { echo "$output" | tail -20 | sed 's/^/    /' | tee -a "$report"; }
done
# Benchmarks: NCCL all-reduce bus bandwidth through the runtime against
# direct NCCL, cuBLAS through the runtime against direct cuBLAS. The per-rank
# step times of every model (the hybrid one included) are in its line above.
echo "# hetu-bench-gpu" >> "$report"
timeout 300 "$art/bin/hetu-bench-gpu" 2>&1 | tee -a "$report" || failed=1
exit $failed
