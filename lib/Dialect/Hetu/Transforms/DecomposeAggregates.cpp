//===- DecomposeAggregates.cpp - hetu-decompose-aggregates ----------------===//
//
// linalg.softmax and other aggregate ops into the structured ops of their
// decomposition, placed where the aggregate was.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/Transforms/PlacingListener.h"

#include "mlir/IR/Builders.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUDECOMPOSEAGGREGATES
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

LogicalResult mlir::hetu::decomposeAggregatedOps(Operation *root) {
  SmallVector<linalg::AggregatedOpInterface> aggregates;
  root->walk([&](linalg::AggregatedOpInterface op) { aggregates.push_back(op); });
  for (linalg::AggregatedOpInterface op : aggregates) {
    PlacingListener listener;
    listener.ctx = getExplicitPlacement(op);
    OpBuilder builder(op);
    builder.setListener(&listener);
    FailureOr<SmallVector<Value>> parts = op.decomposeOperation(builder);
    if (failed(parts))
      return op->emitError() << "cannot decompose '" << op->getName() << "'";
    op->replaceAllUsesWith(*parts);
    op->erase();
  }
  return success();
}

namespace {
struct DecomposeAggregatesPass
    : public hetu::impl::HetuDecomposeAggregatesBase<DecomposeAggregatesPass> {
  void runOnOperation() override {
    if (failed(decomposeAggregatedOps(getOperation())))
      signalPassFailure();
  }
};
} // namespace
