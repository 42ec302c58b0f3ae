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
    getOperation().walk([&](SGDOp sgd) {
      Placement placement = resolvePlacement(sgd);
      if (!placement)
        return;
      GroupAttr group = placement.group;
      if (group.getNumServers() > 0 && group.getNumWorkers() > 0) {
        sgd.emitError() << "the parameter-server strategy (group \""
                        << group.str()
                        << "\") has no gradient synchronisation yet";
        bad = true;
        return;
      }
      if (group.getNumWorkers() < 2 ||
          sgd.getGrad().getDefiningOp<SyncReplicasOp>())
        return;
      OpBuilder builder(sgd);
      auto sync = SyncReplicasOp::create(
          builder, sgd.getLoc(),
          ReductionKindAttr::get(builder.getContext(), *kind), sgd.getGrad());
      if (placement.kind == PlacementKind::Explicit)
        sync->setAttr(HetuDialect::kCtxAttrName, group);
      sgd.getGradMutable().assign(sync.getResult());
    });
    if (bad)
      signalPassFailure();
  }
};
} // namespace
