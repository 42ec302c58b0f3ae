//===- PlacingListener.h - Placing the ops a rewrite creates ----*- C++ -*-===//
//
// Passes that replace a placed op by others (hetu-autodiff's backward ops,
// hetu-decompose-aggregates' decompositions) give the new ops the group of
// the op they come from.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_PLACINGLISTENER_H
#define HETU_DIALECT_HETU_TRANSFORMS_PLACINGLISTENER_H

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::hetu {

/// Puts `hetu.ctx = ctx` on the ops a builder creates directly in a
/// function body (null: the default placement, nothing set). Ops without
/// operands stay unplaced: they are rematerialised where they are used.
/// The payloads of linalg ops are left alone: while an op's body is built
/// its region has no parent yet, so only function-level ops qualify.
struct PlacingListener : public OpBuilder::Listener {
  GroupAttr ctx;
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint) override {
    if (ctx && op->getNumOperands() > 0 &&
        isa_and_nonnull<FunctionOpInterface>(op->getParentOp()))
      op->setAttr(HetuDialect::kCtxAttrName, ctx);
  }
};

} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_TRANSFORMS_PLACINGLISTENER_H
