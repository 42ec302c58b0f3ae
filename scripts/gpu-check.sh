#!/usr/bin/env bash
# Runs on a GPU machine (CUDA driver, no LLVM/MLIR): every model that
# scripts/gpu-prepare.sh compiled, with `hetu-launch --backend=cuda
# --verify` (training examples for 3 steps), each against its single-device
# reference on the CPU; writes OUTDIR/report.txt and exits 1 if any failed.
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
echo "# not measured yet: NCCL bus bandwidth against direct NCCL calls, cuBLAS through the lowering against direct cuBLAS (no benchmark program for them yet)" >> "$report"
exit $failed
