//===- Lowering.cpp - hetu-lower-to-cpu and hetu-lower-to-cuda ------------===//
//
// Rank programs on tensors -> the LLVM dialect, for the CPU runtime or for
// CUDA (docs/Running.md, "Pipelines"). Both share their front half:
//
//   tensors     optimizer ops -> arithmetic, aggregates decomposed, rsqrt
//               expanded (libm lacks it), elementwise ops -> fused linalg
//   buffers     one-shot bufferization with identity layouts at function
//               boundaries (runners pass plain row-major buffers),
//               communication -> runtime calls, the ranks' programs shared
//               by role, buffers freed (ownership-based deallocation,
//               results belong to the caller; it analyses the shared bodies
//               only: the ranks' functions are detached around it)
//
// CPU then: f32 exp/tanh/log and their kin -> polynomials (vectorisable, no
// libm call), matmuls -> BLAS, loops, LLVM. CUDA: reductions to a scalar
// split into partial sums a kernel computes, buffers in managed memory,
// matmuls -> cuBLAS through the runtime (ranks placed on a CPU keep heap
// buffers and become host loops), other linalg -> parallel loops tiled
// 16x16 (blocks x threads, with in-bound checks) -> gpu.launch -> outlined
// kernels -> NVVM -> gpu-module-to-binary (the toolkit's ptxas) embedded in
// the host module, whose mgpu* calls the runtime provides.
//
//===----------------------------------------------------------------------===//

#include "hetu/Conversion/Passes.h"
#include "hetu/Pipelines/Pipelines.h"
#include "hetu/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::hetu;

namespace {
enum class Target { CPU, CUDA };
} // namespace

/// Optimizer ops, aggregates and elementwise tensor ops -> fused linalg.
static void addTensorPasses(OpPassManager &pm, Target target) {
  pm.addPass(createConvertHetuOptimizers());
  OpPassManager &fn = pm.nest<func::FuncOp>();
  fn.addPass(createHetuDecomposeAggregates());
  math::MathExpandOpsPassOptions expand;
  expand.opMnemonics = {"rsqrt"};
  fn.addPass(math::createMathExpandOpsPass(expand));
  fn.addPass(createConvertElementwiseToLinalgPass());
  if (target == Target::CPU)
    fn.addPass(createHetuApproximateMath());
  fn.addPass(createLinalgElementwiseOpFusionPass());
  if (target == Target::CUDA)
    fn.addPass(createHetuGpuSplitReductions());
}

/// Tensors -> buffers with runtime calls, shared by role, deallocated.
static void addBufferPasses(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createConvertHetuToRuntime());
  HetuShareRankProgramsOptions detach;
  detach.detach = true;
  pm.addPass(createHetuShareRankPrograms(detach));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createHetuShareRankPrograms());
  pm.addPass(createConvertBufferizationToMemRefPass());
}

/// Strided metadata, affine and structured control flow -> arith and cf.
static void addControlFlowPasses(OpPassManager &pm) {
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
}

void mlir::hetu::buildLowerToCPUPipeline(OpPassManager &pm) {
  addTensorPasses(pm, Target::CPU);
  addBufferPasses(pm);
  pm.addPass(createHetuMatmulToBlas());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addControlFlowPasses(pm);
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

/// The toolkit gpu-module-to-binary uses, given explicitly so the lowering
/// does not depend on what the upstream serializer happens to inspect.
static std::string cudaToolkit(const LowerToCUDAOptions &options) {
  if (!options.toolkit.empty())
    return options.toolkit;
  for (const char *name : {"CUDA_HOME", "CUDA_PATH"})
    if (const char *path = std::getenv(name); path && *path)
      return path;
  return "/usr/local/cuda";
}

void mlir::hetu::buildLowerToCUDAPipeline(OpPassManager &pm,
                                          const LowerToCUDAOptions &options) {
  addTensorPasses(pm, Target::CUDA);
  addBufferPasses(pm);
  pm.addPass(createHetuGpuManagedMemory());
  pm.addPass(createHetuMatmulToCublas());
  OpPassManager &fn = pm.nest<func::FuncOp>();
  fn.addPass(createHetuHostRankLoops());
  fn.addPass(createConvertLinalgToParallelLoopsPass());
  fn.addPass(createParallelLoopTilingPass({16, 16}, /*noMinMaxBounds=*/true));
  fn.addPass(createGpuMapParallelLoopsPass());
  fn.addPass(createConvertParallelLoopToGpuPass());
  addControlFlowPasses(pm);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createGpuKernelOutliningPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps());
  pm.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = cudaToolkit(options);
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}
