//===- Passes.h - Passes of the hetu dialect --------------------*- C++ -*-===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_PASSES_H
#define HETU_DIALECT_HETU_TRANSFORMS_PASSES_H

#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::hetu {

/// The update `hetu-autodiff` applies to each parameter.
enum class AutodiffOptimizer { none, sgd, momentum, adam, adamw };

/// The order `hetu-pipeline-schedule` gives the micro-batches: the
/// function's `hetu.schedule` (else GPipe), or one for every function.
enum class PipelineScheduleKind { function, gpipe, oneFOneB };

/// The command-line values of the enum options: one list for the passes
/// (Passes.td) and the pipelines that forward them (hetu/Pipelines).
inline llvm::cl::ValuesClass autodiffOptimizerValues() {
  return llvm::cl::values(
      clEnumValN(AutodiffOptimizer::none, "none",
                 "no update: return the gradients"),
      clEnumValN(AutodiffOptimizer::sgd, "sgd",
                 "param - lr * grad (hetu.sgd)"),
      clEnumValN(AutodiffOptimizer::momentum, "momentum",
                 "heavy-ball momentum (hetu.momentum)"),
      clEnumValN(AutodiffOptimizer::adam, "adam", "Adam (hetu.adam)"),
      clEnumValN(AutodiffOptimizer::adamw, "adamw",
                 "AdamW, decoupled weight decay (hetu.adamw)"));
}

inline llvm::cl::ValuesClass pipelineScheduleValues() {
  return llvm::cl::values(
      clEnumValN(PipelineScheduleKind::function, "function",
                 "each function's hetu.schedule, else gpipe"),
      clEnumValN(PipelineScheduleKind::gpipe, "gpipe",
                 "every forward micro-batch, then every backward one"),
      clEnumValN(PipelineScheduleKind::oneFOneB, "1f1b",
                 "one forward, one backward (PipeDream-Flush)"));
}

inline llvm::cl::ValuesClass reductionKindValues() {
  return llvm::cl::values(
      clEnumValN(ReductionKind::mean, "mean",
                 "the replicas' mean (Hetu's default)"),
      clEnumValN(ReductionKind::sum, "sum", "the replicas' sum"));
}

/// Decomposes the aggregate linalg ops of `root` (linalg.softmax) into
/// structured ops placed like them (hetu-decompose-aggregates).
LogicalResult decomposeAggregatedOps(Operation *root);

/// Rewrites `fn` to compute in f64 instead of f32 (hetu-promote-f64);
/// emits an error and fails on what cannot be promoted.
LogicalResult promoteToF64(func::FuncOp fn);

#define GEN_PASS_DECL
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"

} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_TRANSFORMS_PASSES_H
