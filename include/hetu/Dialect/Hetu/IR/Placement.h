//===- Placement.h - Where an operation runs -------------------*- C++ -*-===//
//
// Resolution of the `hetu.ctx` / `hetu.default_ctx` placement attributes.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_IR_PLACEMENT_H
#define HETU_DIALECT_HETU_IR_PLACEMENT_H

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::hetu {

/// How an operation got its placement.
enum class PlacementKind {
  /// The op carries `hetu.ctx`.
  Explicit,
  /// The op takes the `hetu.default_ctx` of an enclosing op.
  Inherited,
  /// The op has no operands and no `hetu.ctx`: it is recomputed on every
  /// placement that uses it, and has no group of its own.
  Rematerialized,
  /// Nothing places the op.
  Unplaced,
};

struct Placement {
  PlacementKind kind = PlacementKind::Unplaced;
  /// The group; null for Rematerialized and Unplaced.
  GroupAttr group;
  /// The op whose attribute gave the group (the op itself, or the enclosing
  /// op with `hetu.default_ctx`); null when there is no group.
  Operation *source = nullptr;

  explicit operator bool() const { return static_cast<bool>(group); }
};

/// The explicit `hetu.ctx` of `op`, or null.
GroupAttr getExplicitPlacement(Operation *op);

/// The `hetu.default_ctx` of the nearest op enclosing `op` (not `op` itself
/// unless `includeSelf`), with the op that carries it.
Placement getDefaultPlacement(Operation *op, bool includeSelf = false);

/// Resolves the placement of `op` (docs/README.md, "Placement in one
/// page").
Placement resolvePlacement(Operation *op);

/// The placement of a function argument or other block argument: the default
/// placement of the op owning the block (including that op's own
/// `hetu.default_ctx`).
Placement resolvePlacement(BlockArgument arg);

/// Whether `arg` is a trainable parameter (`{hetu.trainable}`).
bool isTrainable(BlockArgument arg);

/// Whether `fn` has a `{hetu.trainable}` argument.
bool hasTrainableArguments(FunctionOpInterface fn);

/// Whether `fn` is a training step: a result replaces an argument
/// (`{hetu.updates}`).
bool returnsUpdates(FunctionOpInterface fn);

/// True for an op of a partitioned program whose rank is placed on a CPU
/// (its function has `hetu.device` of kind cpu): hetu-lower-to-cuda keeps
/// such programs on the host.
bool onHostRank(Operation *op);

} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_IR_PLACEMENT_H
