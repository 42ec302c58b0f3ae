//===- Compile.h - From a placed module to a described model ----*- C++ -*-===//
//
// The MLIR side that hetu-run (JIT) and hetu-compile (ahead of time) share:
// choosing the entry, running the hetu pipeline, reading the rank programs'
// hetu.slice attributes into a Model, building the single-device reference
// and lowering to the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_TOOLS_HETURUN_COMPILE_H
#define HETU_TOOLS_HETURUN_COMPILE_H

#include "Runner.h"
#include "ToolSupport.h"

#include "hetu/Dialect/Hetu/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>

namespace hetu::run {

/// A context with everything registered (hetu and upstream dialects and
/// passes, translations to LLVM IR); diagnostics name their location
/// without dumping the operation.
std::unique_ptr<mlir::MLIRContext> makeContext();

/// The input file (`-` for stdin), parsed; its diagnostics, then and during
/// the passes, are printed with source locations. Dies if it does not
/// parse.
class Input {
public:
  Input(mlir::MLIRContext &context, const std::string &path);
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Whether it holds rank programs already (functions with hetu.rank).
  bool partitioned = false;

private:
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> diagnostics;
};

struct CompileOptions {
  int64_t microBatches = 0;
  mlir::hetu::PipelineScheduleKind schedule =
      mlir::hetu::PipelineScheduleKind::function;
  /// Partition only this rank's program (-1: every rank).
  int64_t onlyRank = -1;
};

/// The entry function: `requested`, or the only candidate.
std::string chooseEntry(mlir::ModuleOp module, bool partitioned,
                        const std::string &requested);

/// Runs hetu-deduce-strategy if the module has no rank map yet.
void deduceRanks(mlir::ModuleOp module);

/// hetu-autodiff with `options` (the pass's options; a bare word is the
/// optimizer) when they are given or a function carries hetu.autodiff:
/// forward loss functions become training steps. Dies on failure.
void differentiate(mlir::ModuleOp module, const std::string &options);

/// The front end's distribution stage (hetu/Pipelines): aggregates
/// decomposed, hetu-pipeline-schedule, hetu-grad-sync, hetu-infer-states and
/// hetu-partition.
void partition(mlir::ModuleOp module, const CompileOptions &options);

/// The model of the partitioned `module` (programs of `onlyRank`, or of
/// every rank), with globals and updates from `original` when there is one.
Model describe(mlir::ModuleOp module, mlir::ModuleOp original,
               const std::string &entry, int64_t onlyRank);

/// The original function for the single-device reference, named `name`:
/// dispatches are identities, placement annotations go, other functions go.
/// A training step (optimizer ops) becomes two functions: `name` returns the
/// original results and then each optimizer's gradient, `name_apply` takes
/// the arguments and then those gradients and returns the original results
/// (the updates from the given gradients). The runner runs `name` on every
/// replica and `name_apply` once on the mean of their gradients: single-
/// device training for any optimizer, Adam's included. `gradients` gets
/// the gradients' types.
mlir::LogicalResult makeReference(mlir::ModuleOp module, llvm::StringRef entry,
                                  llvm::StringRef name,
                                  std::vector<GlobalValue> &gradients);

/// Adds the reference's f64 twins (hetu-promote-f64): `name_f64`, and
/// `name_apply_f64` when there is `name_apply`. False, with nothing added,
/// when the reference computes nothing in f32 or cannot be promoted.
bool addF64Reference(mlir::ModuleOp module, llvm::StringRef name);

/// hetu-lower-to-cpu, or with `cudaChip` (sm_90, ...) hetu-lower-to-cuda,
/// after dropping the attributes already read.
mlir::LogicalResult lowerToLLVM(mlir::ModuleOp module,
                                const std::string &cudaChip = "");

} // namespace hetu::run

#endif // HETU_TOOLS_HETURUN_COMPILE_H
