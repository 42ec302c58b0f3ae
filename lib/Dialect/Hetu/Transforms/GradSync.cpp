//===- GradSync.cpp - hetu-grad-sync --------------------------------------===//
//
// Gradients of data-parallel parameters are combined over the replicas
// before the optimizer uses them: an all-reduce among the replicas (Hetu's
// allreduceCommunicate_op) or, on a group with servers, a push to a
// parameter server that applies the optimizer and a pull of its results
// (Hetu's parameterServerCommunicate_op).
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

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
  void synchronise(Operation *op, const Placement &placement, OpOperand &grad,
                   ReductionKind kind) {
    GroupAttr group = placement.group;
    if (group.getNumWorkers() < 2 ||
        grad.get().getDefiningOp<SyncReplicasOp>())
      return;
    OpBuilder builder(op);
    auto sync = SyncReplicasOp::create(
        builder, op->getLoc(), ReductionKindAttr::get(builder.getContext(), kind),
        grad.get());
    if (placement.kind == PlacementKind::Explicit)
      sync->setAttr(HetuDialect::kCtxAttrName, group);
    grad.set(sync.getResult());
  }

  /// The `ps` strategy: the workers push the gradient to a server of the
  /// group, the optimizer runs there (placed on the server alone), and the
  /// workers pull every result of it that is used.
  LogicalResult pushAndPull(Operation *op, const Placement &placement,
                            OpOperand &grad, ReductionKind kind,
                            DeviceAttr server) {
    // The server keeps its own copy of the parameter and optimizer state:
    // they must be arguments of the step, which the server receives too.
    for (OpOperand &operand : op->getOpOperands()) {
      if (&operand == &grad)
        continue;
      auto arg = dyn_cast<BlockArgument>(operand.get());
      if (!arg || !isa<FunctionOpInterface>(arg.getOwner()->getParentOp()))
        return op->emitError()
               << "operand #" << operand.getOperandNumber()
               << " of a parameter-server update (group \""
               << placement.group.str()
               << "\") must be an argument of the function: the server "
                  "keeps its own copy of parameters and optimizer state";
    }
    // The parameter's name on the server: the argument it is.
    std::string key =
        "arg" +
        std::to_string(cast<BlockArgument>(op->getOperand(0)).getArgNumber());
    MLIRContext *ctx = op->getContext();
    OpBuilder builder(op);
    auto placeLikeOptimizer = [&](Operation *created) {
      if (placement.kind == PlacementKind::Explicit)
        created->setAttr(HetuDialect::kCtxAttrName, placement.group);
    };
    auto push =
        PSPushOp::create(builder, op->getLoc(), kind, grad.get(), key, server);
    placeLikeOptimizer(push);
    grad.set(push.getResult());
    op->setAttr(HetuDialect::kCtxAttrName, GroupAttr::get(ctx, {server}));
    builder.setInsertionPointAfter(op);
    for (OpResult result : op->getResults()) {
      if (result.use_empty())
        continue;
      std::string name = key;
      if (result.getResultNumber() > 0)
        name += "." + std::to_string(result.getResultNumber());
      auto pull = PSPullOp::create(builder, op->getLoc(), result.getType(),
                                   result, name, server);
      placeLikeOptimizer(pull);
      result.replaceAllUsesExcept(pull.getResult(), pull);
    }
    return success();
  }


  void runOnOperation() override {
    // The option takes mean and sum only.
    ReductionKind kind = reduce;
    // Servers take the parameters of a group in turn (ps-lite spreads keys
    // over its servers), counted per function.
    llvm::DenseMap<Operation *, int64_t> psCount;
    bool bad = false;
    getOperation().walk([&](Operation *op) {
      OpOperand *grad = getOptimizerGradient(op);
      if (!grad)
        return;
      Placement placement = resolvePlacement(op);
      if (!placement)
        return;
      GroupAttr group = placement.group;
      if (group.getNumServers() == 0) {
        synchronise(op, placement, *grad, kind);
        return;
      }
      if (group.getNumWorkers() == 0)
        return; // Already on a server.
      SmallVector<DeviceAttr> servers;
      for (const GroupAttr::Entry &entry : group.getEntries())
        if (!entry.isWorker())
          servers.append(entry.devices.begin(), entry.devices.end());
      int64_t &n = psCount[op->getParentOfType<FunctionOpInterface>()];
      if (failed(pushAndPull(op, placement, *grad, kind,
                             servers[n++ % servers.size()])))
        bad = true;
    });
    if (bad)
      signalPassFailure();
  }
};
} // namespace
