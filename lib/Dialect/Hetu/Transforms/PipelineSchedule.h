//===- PipelineSchedule.h - hetu-pipeline-schedule's scheduler --*- C++ -*-===//
//
// Private to the hetu-pipeline-schedule implementation: the scheduler of one
// function. PipelineSchedule.cpp classifies the ops, assigns stages, clones
// the work per micro-batch in the order of Schedule.h and sums what leaves
// it; MicroBatching.cpp gives the clones their micro-batch types (slices of
// the data arguments, resized operands).
//
//===----------------------------------------------------------------------===//

#ifndef HETU_LIB_DIALECT_HETU_TRANSFORMS_PIPELINESCHEDULE_H
#define HETU_LIB_DIALECT_HETU_TRANSFORMS_PIPELINESCHEDULE_H

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/Transforms/Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

#include <map>

namespace mlir::hetu::schedule {

class Scheduler {
public:
  Scheduler(func::FuncOp func, int64_t micro, bool oneFOneB)
      : func(func), micro(micro), oneFOneB(oneFOneB), builder(func) {}

  LogicalResult run();

private:
  LogicalResult classify();
  LogicalResult assignStages();
  /// The result types of `op` on a micro-batch, from its operands' types
  /// there (`typeOf`; `batched` says which carry the batch). Operands that
  /// do not carry the batch but need another shape go to `resizes`.
  FailureOr<SmallVector<Type>>
  microTypes(Operation *op, function_ref<Type(Value)> typeOf,
             function_ref<bool(Value)> batched,
             SmallVectorImpl<std::pair<Value, RankedTensorType>> &resizes);
  RankedTensorType sliceType(BlockArgument arg) {
    auto type = cast<RankedTensorType>(arg.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[0] /= micro;
    return type.clone(shape);
  }
  GroupAttr groupOf(Operation *op);
  GroupAttr groupOfValue(Value v);
  FailureOr<Value> slice(BlockArgument arg, int64_t m, GroupAttr group,
                         const Task &task);
  FailureOr<Value> resize(Value v, RankedTensorType to, Operation *user);
  FailureOr<Operation *> cloneFor(Operation *op, int64_t m, const Task &task);
  LogicalResult accumulate(Operation *op, Operation *clone, int64_t m);
  void tag(Operation *op, const Task &task);

  func::FuncOp func;
  int64_t micro;
  bool oneFOneB;
  OpBuilder builder;
  GroupAttr defaultGroup;

  llvm::SetVector<BlockArgument> dataArgs;
  SmallVector<Operation *> prologue, body, post;
  /// Micro-batch types of the body's results, and the operands each body
  /// op needs resized (the same for every micro-batch).
  llvm::DenseMap<Value, Type> microType;
  llvm::DenseMap<Operation *, SmallVector<std::pair<Value, RankedTensorType>>>
      resizesOf;
  llvm::DenseSet<Operation *> inBody;
  llvm::DenseMap<Operation *, int64_t> stageOf;
  llvm::DenseMap<Operation *, Phase> phaseOf;
  int64_t numStages = 0;

  /// Per micro-batch: original value -> its clone.
  SmallVector<IRMapping> mappings;
  /// (data argument, micro-batch, group) -> its slice there.
  std::map<std::tuple<void *, int64_t, const void *>, Value> slices;
  /// Body results used outside the body -> running sum.
  llvm::DenseMap<Value, Value> sums;
};

} // namespace mlir::hetu::schedule

#endif // HETU_LIB_DIALECT_HETU_TRANSFORMS_PIPELINESCHEDULE_H
