#!/usr/bin/env bash
# Prepares everything scripts/gpu-check.sh needs on a GPU machine that has
# the CUDA driver but no LLVM/MLIR and no package access: every SPEC
# section 7 configuration (forward pass) and the training examples compiled
# ahead of time with `hetu-compile --target=cuda`, the launcher and the
# runtime library with the shared libraries they load (OpenMPI, libstdc++),
# and the GPU benchmark (hetu-bench-gpu), in one folder (ignored by git;
# carry it to the GPU machine).
#
#   scripts/gpu-prepare.sh [OUTDIR (default build/gpu)] [--chip=sm_90]
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/gpu
chip=sm_90
for arg in "$@"; do
  case "$arg" in
    --chip=*) chip="${arg#--chip=}" ;;
    -*) echo "gpu-prepare.sh: unknown option $arg" >&2; exit 1 ;;
    *) out="$arg" ;;
  esac
done
for tool in hetu-compile hetu-launch hetu-bench-gpu; do
  [[ -x build/bin/$tool ]] || { echo "gpu-prepare.sh: build/bin/$tool is missing: run scripts/setup.sh first" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out/models" "$out/bin" "$out/lib"

compile() { # name, source file, extra hetu-compile options
  build/bin/hetu-compile "$2" --target=cuda --chip="$chip" -o "$out/models/$1.so" "${@:3}" >/dev/null
  echo "$1 $(basename "$out")/models/$1.so"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for config in pipeline3 split-left split-right split-middle mp0 mp1 mp2 mp3 mp4 mp5 \
    mp-two-layers data-pipeline dmp-left dmp-right dmp-middle ps allreduce; do
  python3 examples/gen_mlp.py --config "$config" > "$tmp/$config.mlir"
  compile "spec7-$config" "$tmp/$config.mlir"
done
for example in examples/mlp_train_*.mlir; do
  name=$(basename "$example" .mlir)
  compile "${name#mlp_}" "$example"
done
# A step whose loss sums 8192 elements: large enough for
# hetu-gpu-split-reductions (partial sums in a kernel), small enough for the
# CPU reference.
python3 examples/gen_train.py --config dp4 --batch 128 --input 64 --hidden 128 \
  --output 64 > "$tmp/train_dp4_large.mlir"
compile train_dp4_large "$tmp/train_dp4_large.mlir"
# Steps derived by hetu-autodiff: the MLP with Adam (data parallel) and a
# transformer block (layer norm, attention, GELU) under DP x TP x PP.
python3 examples/gen_train.py --config dp4 --forward --optimizer adam --lr 0.01 \
  > "$tmp/autodiff_adam_dp4.mlir"
compile autodiff_adam_dp4 "$tmp/autodiff_adam_dp4.mlir"
python3 test/Integration/Inputs/transformer_block.py --layout dp-tp-pp \
  --optimizer adam > "$tmp/autodiff_block.mlir"
compile autodiff_block "$tmp/autodiff_block.mlir"
# The GPT of examples/gpt (Adam): one device, and data x tensor x pipeline
# on 8 ranks.
for layout in single dp-tp-pp; do
  compile "gpt_$layout" "examples/gpt/gpt_$layout.mlir"
done

# bench/gpu/mlp_vs_torch.py: the training step at a size where the GPU has
# work to do (timed only: its single-device reference would take minutes on
# the CPU), one rank and four data-parallel ranks.
mkdir -p "$out/bench"
echo "512 1024 4096 1024" > "$out/bench/sizes"
read -r b i h o < "$out/bench/sizes"
for config in single dp4; do
  python3 examples/gen_train.py --config "$config" --batch "$b" --input "$i" \
    --hidden "$h" --output "$o" > "$tmp/bench_$config.mlir"
  build/bin/hetu-compile "$tmp/bench_$config.mlir" --target=cuda --chip="$chip" \
    -o "$out/bench/mlp_$config.so" >/dev/null
  echo "bench mlp_$config $(basename "$out")/bench/mlp_$config.so"
done

cp build/bin/hetu-launch build/bin/hetu-bench-gpu "$out/bin/"
cp build/lib/libhetu_runtime.so "$out/lib/"
# The libraries the launcher loads, except the C library itself, in lib/deps:
# gpu-check.sh uses them only where the GPU machine lacks its own (its
# libstdc++ may be newer than this machine's, and its CUDA libraries may
# need that).
mkdir -p "$out/lib/deps"
for lib in $(ldd build/bin/hetu-launch build/bin/hetu-bench-gpu build/lib/libhetu_runtime.so | awk '/=> \//{print $3}' | sort -u); do
  case "$(basename "$lib")" in
    libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|ld-linux*|libhetu_runtime.so) ;;
    *) cp -L "$lib" "$out/lib/deps/" ;;
  esac
done
echo "$chip" > "$out/chip"
du -sh "$out"
