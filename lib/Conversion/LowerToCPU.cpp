//===- LowerToCPU.cpp - The hetu-lower-to-cpu pipeline --------------------===//

#include "hetu/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

// Partitioned tensors -> LLVM dialect: elementwise ops become linalg, one-shot
// bufferization with identity layouts at function boundaries (so runners pass
// plain row-major buffers), communication becomes runtime calls, buffers are
// freed (ownership-based deallocation: results belong to the caller),
// matmuls become BLAS calls, then loops and LLVM. f32 exp, tanh, log and
// their kin become polynomial approximations (vectorisable, no libm call);
// other math functions without an LLVM intrinsic call libm; rsqrt, which
// libm lacks, is expanded to 1 / sqrt first.
static constexpr const char *kLowerToCPU =
    "convert-hetu-optimizers,"
    "func.func(hetu-decompose-aggregates,math-expand-ops{ops=rsqrt},"
    "convert-elementwise-to-linalg,hetu-approximate-math,"
    "linalg-fuse-elementwise-ops),"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "convert-hetu-to-runtime,hetu-share-rank-programs{detach},"
    "buffer-deallocation-pipeline,hetu-share-rank-programs,"
    "convert-bufferization-to-memref,"
    "hetu-matmul-to-blas,func.func(convert-linalg-to-loops),"
    "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
    "convert-math-to-libm,"
    "convert-to-llvm,reconcile-unrealized-casts";

LogicalResult mlir::hetu::buildLowerToCPUPipeline(OpPassManager &pm,
                                                  llvm::raw_ostream &errors) {
  return parsePassPipeline(kLowerToCPU, pm, errors);
}

void mlir::hetu::registerLowerToCPUPipeline() {
  PassPipelineRegistration<>(
      "hetu-lower-to-cpu",
      "Lower a partitioned module to the LLVM dialect for the CPU runtime",
      [](OpPassManager &pm) {
        (void)buildLowerToCPUPipeline(pm, llvm::errs());
      });
}
