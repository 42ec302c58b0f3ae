//===- Pipelines.h - The hetu pass pipelines --------------------*- C++ -*-===//
//
// The pipelines hetu-opt registers and the drivers (hetu-run, hetu-compile,
// the C API, Python) run, built pass by pass in C++:
//
//   hetu-front-end      a placed module -> one program per rank (autodiff,
//                       strategy, schedule, grad sync, states, partition)
//   hetu-lower-to-cpu   rank programs -> LLVM dialect for the CPU runtime
//   hetu-lower-to-cuda  rank programs -> GPU kernels and host LLVM
//
// The front end also comes in its three stages, for drivers that act
// between them (hetu-run initialises the runtime once the rank map is
// known). docs/Running.md ("Pipelines") describes each.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_PIPELINES_PIPELINES_H
#define HETU_PIPELINES_PIPELINES_H

#include "hetu/Dialect/Hetu/Transforms/Passes.h"

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace hetu {

/// Options of `hetu-front-end`. The autodiff, schedule, grad-sync and
/// partition options are those of the passes, forwarded, with the passes'
/// defaults (read from their generated option structs).
struct FrontEndOptions : public PassPipelineOptions<FrontEndOptions> {
  PassOptions::Option<bool> autodiff{
      *this, "autodiff",
      llvm::cl::desc("Derive the training step of forward loss functions "
                     "(hetu-autodiff)"),
      llvm::cl::init(false)};
  PassOptions::Option<AutodiffOptimizer> optimizer{
      *this, "optimizer", llvm::cl::desc("hetu-autodiff's optimizer"),
      llvm::cl::init(HetuAutodiffOptions().optimizer), autodiffOptimizerValues()};
  PassOptions::Option<double> lr{*this, "lr",
                                 llvm::cl::desc("hetu-autodiff's lr"),
                                 llvm::cl::init(HetuAutodiffOptions().lr)};
  PassOptions::Option<double> momentum{
      *this, "momentum", llvm::cl::desc("hetu-autodiff's momentum"),
      llvm::cl::init(HetuAutodiffOptions().momentum)};
  PassOptions::Option<double> beta1{*this, "beta1",
                                    llvm::cl::desc("hetu-autodiff's beta1"),
                                    llvm::cl::init(HetuAutodiffOptions().beta1)};
  PassOptions::Option<double> beta2{*this, "beta2",
                                    llvm::cl::desc("hetu-autodiff's beta2"),
                                    llvm::cl::init(HetuAutodiffOptions().beta2)};
  PassOptions::Option<double> eps{*this, "eps",
                                  llvm::cl::desc("hetu-autodiff's eps"),
                                  llvm::cl::init(HetuAutodiffOptions().eps)};
  PassOptions::Option<double> weightDecay{
      *this, "weight-decay", llvm::cl::desc("hetu-autodiff's weight-decay"),
      llvm::cl::init(HetuAutodiffOptions().weightDecay)};
  PassOptions::Option<int64_t> microBatches{
      *this, "micro-batches",
      llvm::cl::desc("hetu-pipeline-schedule's micro-batches (0: from the "
                     "function's hetu.micro_batches)"),
      llvm::cl::init(HetuPipelineScheduleOptions().microBatches)};
  PassOptions::Option<PipelineScheduleKind> schedule{
      *this, "schedule", llvm::cl::desc("hetu-pipeline-schedule's schedule"),
      llvm::cl::init(HetuPipelineScheduleOptions().schedule),
      pipelineScheduleValues()};
  PassOptions::Option<ReductionKind> reduce{
      *this, "reduce", llvm::cl::desc("hetu-grad-sync's reduce"),
      llvm::cl::init(HetuGradSyncOptions().reduce), reductionKindValues()};
  PassOptions::Option<bool> partition{
      *this, "partition",
      llvm::cl::desc("End with hetu-partition (false: stop at the states "
                     "hetu-infer-states gives every value)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> rank{
      *this, "rank",
      llvm::cl::desc("hetu-partition's rank (-1: every rank's program)"),
      llvm::cl::init(HetuPartitionOptions().rank)};

  HetuAutodiffOptions autodiffOptions() const;
  HetuPipelineScheduleOptions scheduleOptions() const;
  HetuGradSyncOptions gradSyncOptions() const;
  HetuPartitionOptions partitionOptions() const;
};

/// Stage 1: hetu-autodiff when `options.autodiff`.
void buildDifferentiationPipeline(OpPassManager &pm,
                                  const FrontEndOptions &options);

/// Stage 2: hetu-deduce-strategy (strategy, devices, rank map).
void buildStrategyPipeline(OpPassManager &pm);

/// Stage 3: hetu-decompose-aggregates, hetu-pipeline-schedule,
/// hetu-grad-sync, hetu-infer-states and, with `options.partition`,
/// hetu-partition.
void buildDistributionPipeline(OpPassManager &pm,
                               const FrontEndOptions &options);

/// The three stages in order: `hetu-front-end`.
void buildFrontEndPipeline(OpPassManager &pm, const FrontEndOptions &options);

/// Options of `hetu-lower-to-cuda`.
struct LowerToCUDAOptions : public PassPipelineOptions<LowerToCUDAOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("GPU architecture (sm_90, ...)"),
      llvm::cl::init("sm_90")};
  /// The CUDA toolkit gpu-module-to-binary uses (ptxas, libdevice); empty:
  /// $CUDA_HOME, else $CUDA_PATH, else /usr/local/cuda.
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit for ptxas and libdevice (default: "
                     "$CUDA_HOME, $CUDA_PATH, /usr/local/cuda)"),
      llvm::cl::init("")};
};

/// `hetu-lower-to-cpu`: partitioned tensors -> LLVM dialect for the CPU
/// runtime (bufferization, runtime calls, BLAS, loops, LLVM). `pm` is
/// anchored on a module.
void buildLowerToCPUPipeline(OpPassManager &pm);

/// `hetu-lower-to-cuda`: partitioned tensors -> GPU kernels (NVVM, the
/// binary embedded) and host code in the LLVM dialect calling the runtime.
void buildLowerToCUDAPipeline(OpPassManager &pm,
                              const LowerToCUDAOptions &options);

/// Registers hetu-front-end, hetu-lower-to-cpu and hetu-lower-to-cuda.
void registerPipelines();

} // namespace hetu
} // namespace mlir

#endif // HETU_PIPELINES_PIPELINES_H
