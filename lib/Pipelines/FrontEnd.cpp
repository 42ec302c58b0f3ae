//===- FrontEnd.cpp - The hetu-front-end pipeline -------------------------===//
//
// A placed module -> one program per rank: the passes of
// docs/Running.md ("Pipelines"), in the order hetu-run and hetu-compile run
// them. Every option is the pass's own, forwarded.
//
//===----------------------------------------------------------------------===//

#include "hetu/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace mlir::hetu;

HetuAutodiffOptions FrontEndOptions::autodiffOptions() const {
  HetuAutodiffOptions options;
  options.optimizer = optimizer;
  options.lr = lr;
  options.momentum = momentum;
  options.beta1 = beta1;
  options.beta2 = beta2;
  options.eps = eps;
  options.weightDecay = weightDecay;
  return options;
}

HetuPipelineScheduleOptions FrontEndOptions::scheduleOptions() const {
  HetuPipelineScheduleOptions options;
  options.microBatches = microBatches;
  options.schedule = schedule;
  return options;
}

HetuGradSyncOptions FrontEndOptions::gradSyncOptions() const {
  HetuGradSyncOptions options;
  options.reduce = reduce;
  return options;
}

HetuPartitionOptions FrontEndOptions::partitionOptions() const {
  HetuPartitionOptions options;
  options.rank = rank;
  return options;
}

void mlir::hetu::buildDifferentiationPipeline(OpPassManager &pm,
                                              const FrontEndOptions &options) {
  if (options.autodiff)
    pm.addPass(createHetuAutodiff(options.autodiffOptions()));
}

void mlir::hetu::buildStrategyPipeline(OpPassManager &pm) {
  pm.addPass(createHetuDeduceStrategy());
}

void mlir::hetu::buildDistributionPipeline(OpPassManager &pm,
                                           const FrontEndOptions &options) {
  // Aggregates (linalg.softmax) first: the schedule re-types and the states
  // rules see structured ops only.
  pm.addNestedPass<func::FuncOp>(createHetuDecomposeAggregates());
  pm.addPass(createHetuPipelineSchedule(options.scheduleOptions()));
  pm.addPass(createHetuGradSync(options.gradSyncOptions()));
  pm.addPass(createHetuInferStates());
  if (options.partition)
    pm.addPass(createHetuPartition(options.partitionOptions()));
}

void mlir::hetu::buildFrontEndPipeline(OpPassManager &pm,
                                       const FrontEndOptions &options) {
  buildDifferentiationPipeline(pm, options);
  buildStrategyPipeline(pm);
  buildDistributionPipeline(pm, options);
}
