//===- GradSync.cpp - hetu-grad-sync --------------------------------------===//
//
// Gradients of data-parallel parameters are combined over the replicas
// before the optimizer uses them (Hetu's allreduceCommunicate_op).
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUGRADSYNC
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

namespace {
struct GradSyncPass : public hetu::impl::HetuGradSyncBase<GradSyncPass> {
  using Base::Base;

  /// Puts a hetu.sync_replicas in front of the gradient operand `grad` of
  /// the optimizer `op` when its group has several data-parallel replicas.
  LogicalResult synchronise(Operation *op, OpOperand &grad,
                            ReductionKind kind) {
    Placement placement = resolvePlacement(op);
    if (!placement)
      return success();
    GroupAttr group = placement.group;
    if (group.getNumServers() > 0 && group.getNumWorkers() > 0)
      return op->emitError()
             << "the parameter-server strategy (group \"" << group.str()
             << "\") has no gradient synchronisation yet";
    if (group.getNumWorkers() < 2 ||
        grad.get().getDefiningOp<SyncReplicasOp>())
      return success();
    OpBuilder builder(op);
    auto sync = SyncReplicasOp::create(
        builder, op->getLoc(), ReductionKindAttr::get(builder.getContext(), kind),
        grad.get());
    if (placement.kind == PlacementKind::Explicit)
      sync->setAttr(HetuDialect::kCtxAttrName, group);
    grad.set(sync.getResult());
    return success();
  }

  void runOnOperation() override {
    std::optional<ReductionKind> kind = symbolizeReductionKind(reduce);
    if (!kind ||
        (*kind != ReductionKind::mean && *kind != ReductionKind::sum)) {
      getOperation().emitError()
          << "hetu-grad-sync: reduce must be 'mean' or 'sum', got '" << reduce
          << "'";
      return signalPassFailure();
    }
    bool bad = false;
    getOperation().walk([&](Operation *op) {
      OpOperand *grad = getOptimizerGradient(op);
      if (grad && failed(synchronise(op, *grad, *kind)))
        bad = true;
    });
    if (bad)
      signalPassFailure();
  }
};
} // namespace
