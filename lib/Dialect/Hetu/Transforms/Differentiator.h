//===- Differentiator.h - hetu-autodiff's reverse mode ------------*- C++ -*-===//
//
// Private to the hetu-autodiff implementation: the reverse-mode engine that
// appends a function's backward pass (Differentiator.cpp: the walk, adjoint
// accumulation, named linalg and tensor ops; GenericAdjoint.cpp: the adjoint
// of a linalg.generic through its indexing maps and payload). Autodiff.cpp
// is the pass: options, signatures and optimizer ops.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_LIB_DIALECT_HETU_TRANSFORMS_DIFFERENTIATOR_H
#define HETU_LIB_DIALECT_HETU_TRANSFORMS_DIFFERENTIATOR_H

#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/PlacingListener.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::hetu::autodiff {

/// How a reduction's payload folds one element into an output.
struct Combiner {
  enum Kind { Add, Max, Min } kind;
  /// The payload value combined with the accumulator.
  Value partial;
};

/// Erases the ops of `block` that nothing uses and that are not in `keep`.
void eraseDeadOps(Block &block, const DenseSet<Operation *> &keep);

/// "hetu-autodiff: cannot differentiate '<op>'".
InFlightDiagnostic cannotDifferentiate(Operation *op);

class Differentiator {
public:
  explicit Differentiator(func::FuncOp fn)
      : fn(fn), b(fn.getContext()),
        defaultGroup(getDefaultPlacement(fn, /*includeSelf=*/true).group) {
    b.setListener(&listener);
  }

  /// Appends the backward pass of `loss` before the function's return and
  /// gives the adjoint of each of `params` (null: the loss does not depend
  /// on it).
  LogicalResult run(Value loss, ArrayRef<BlockArgument> params,
                    SmallVectorImpl<Value> &grads);

  OpBuilder &builder() { return b; }
  /// Erases the backward ops nothing uses (contributions to operands that
  /// turned out not to need them); call once the step returns its results.
  void eraseUnusedBackward() {
    eraseDeadOps(fn.getBody().front(), forwardOps);
  }
  void placeOn(GroupAttr group) { listener.ctx = group; }
  Value zerosLike(Location loc, Type type);

private:
  LogicalResult differentiate(Operation *op);
  LogicalResult differentiateLinalg(linalg::LinalgOp op);
  LogicalResult differentiateMatmul(linalg::LinalgOp op);
  LogicalResult differentiateGeneric(linalg::GenericOp gen, Operation *forward,
                                     ValueRange results);
  FailureOr<Value> buildOperandAdjoint(linalg::GenericOp gen,
                                       Operation *forward, ValueRange results,
                                       ArrayRef<Value> dY,
                                       ArrayRef<std::optional<Combiner>> comb,
                                       unsigned target);
  LogicalResult differentiateTensorOp(Operation *op, Value g);
  linalg::GenericOp pruneUnusedInputs(linalg::GenericOp gen);

  /// Adds `contribution` (computed on the group being differentiated) to
  /// the adjoint of `value`, where `value` lives; `placed`: it is already
  /// in `value`'s layout (a dispatch_gradient).
  void contribute(Value value, Value contribution, bool placed = false);
  bool isVaried(Value v) const { return varied.contains(v); }

  func::FuncOp fn;
  OpBuilder b;
  /// The function's default placement (null if it has none).
  GroupAttr defaultGroup;
  PlacingListener listener;
  DenseMap<Value, Value> adjoint;
  /// Values that depend on a parameter (and so may carry a gradient).
  DenseSet<Value> varied;
  DenseSet<Operation *> forwardOps;
};

} // namespace mlir::hetu::autodiff

#endif // HETU_LIB_DIALECT_HETU_TRANSFORMS_DIFFERENTIATOR_H
