//===- LowerToCUDA.cpp - The hetu-lower-to-cuda pipeline ------------------===//

#include "hetu/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"

#include <cstdlib>
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

// Partitioned tensors -> GPU kernels and host LLVM: the front of
// hetu-lower-to-cpu (elementwise fusion, bufferization, runtime calls,
// deallocation) with reductions to a scalar split into partial sums a
// kernel computes (hetu-gpu-split-reductions), buffers in
// managed memory, matmuls -> cuBLAS through the runtime (the programs of
// ranks placed on a CPU keep heap buffers and become host loops), other
// linalg ->
// parallel loops tiled 16x16 (blocks x threads,
// with in-bound checks) -> gpu.launch -> outlined kernels -> NVVM ->
// gpu-module-to-binary (the toolkit's ptxas) embedded in the host module;
// the host calls the runtime's mgpu* entry points.
/// The CUDA toolkit gpu-module-to-binary uses (ptxas, and libdevice for
/// math functions in kernels): $CUDA_HOME, $CUDA_PATH, else /usr/local/cuda.
/// Given explicitly, so the lowering does not depend on the environment
/// the upstream serializer happens to inspect.
static std::string cudaToolkit() {
  for (const char *name : {"CUDA_HOME", "CUDA_PATH"})
    if (const char *path = std::getenv(name); path && *path)
      return path;
  return "/usr/local/cuda";
}

static std::string lowerToCUDA(llvm::StringRef chip) {
  return ("convert-hetu-optimizers,"
          "func.func(hetu-decompose-aggregates,math-expand-ops{ops=rsqrt},convert-elementwise-to-linalg,"
          "linalg-fuse-elementwise-ops,"
          "hetu-gpu-split-reductions),"
          "one-shot-bufferize{bufferize-function-boundaries "
          "function-boundary-type-conversion=identity-layout-map},"
          "convert-hetu-to-runtime,hetu-share-rank-programs{detach},"
          "buffer-deallocation-pipeline,hetu-share-rank-programs,"
          "convert-bufferization-to-memref,"
          "hetu-gpu-managed-memory,hetu-matmul-to-cublas,"
          "func.func(hetu-host-rank-loops,convert-linalg-to-parallel-loops,"
          "scf-parallel-loop-tiling{parallel-loop-tile-sizes=16,16 "
          "no-min-max-bounds=true},"
          "gpu-map-parallel-loops,convert-parallel-loops-to-gpu),"
          "expand-strided-metadata,lower-affine,convert-scf-to-cf,canonicalize,"
          "gpu-kernel-outlining,nvvm-attach-target{chip=" +
          chip +
          "},"
          "gpu.module(convert-gpu-to-nvvm),reconcile-unrealized-casts,"
          "gpu-module-to-binary{toolkit=" +
          cudaToolkit() +
          "},"
          "convert-math-to-libm,gpu-to-llvm,convert-to-llvm,"
          "reconcile-unrealized-casts")
      .str();
}

LogicalResult mlir::hetu::buildLowerToCUDAPipeline(OpPassManager &pm,
                                                   llvm::StringRef chip,
                                                   llvm::raw_ostream &errors) {
  return parsePassPipeline(lowerToCUDA(chip), pm, errors);
}

namespace {
struct LowerToCUDAOptions : public PassPipelineOptions<LowerToCUDAOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("GPU architecture (sm_90, ...)"),
                           llvm::cl::init("sm_90")};
};
} // namespace

void mlir::hetu::registerLowerToCUDAPipeline() {
  PassPipelineRegistration<LowerToCUDAOptions>(
      "hetu-lower-to-cuda",
      "Lower a partitioned module to GPU kernels (NVVM, binary embedded) and "
      "host code calling the runtime",
      [](OpPassManager &pm, const LowerToCUDAOptions &options) {
        (void)buildLowerToCUDAPipeline(pm, options.chip, llvm::errs());
      });
}
