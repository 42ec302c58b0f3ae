//===- Registration.cpp - Register the hetu pipelines ---------------------===//

#include "hetu/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::hetu;

void mlir::hetu::registerPipelines() {
  PassPipelineRegistration<FrontEndOptions>(
      "hetu-front-end",
      "A placed module -> one program per rank: hetu-autodiff (with "
      "autodiff), hetu-deduce-strategy, hetu-decompose-aggregates, "
      "hetu-pipeline-schedule, hetu-grad-sync, hetu-infer-states, "
      "hetu-partition",
      buildFrontEndPipeline);
  PassPipelineRegistration<>(
      "hetu-lower-to-cpu",
      "Lower a partitioned module to the LLVM dialect for the CPU runtime",
      buildLowerToCPUPipeline);
  PassPipelineRegistration<LowerToCUDAOptions>(
      "hetu-lower-to-cuda",
      "Lower a partitioned module to GPU kernels (NVVM, binary embedded) and "
      "host code calling the runtime",
      buildLowerToCUDAPipeline);
}
