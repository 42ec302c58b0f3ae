//===- DeduceStrategy.cpp - hetu-deduce-strategy --------------------------===//
//
// Hetu's get_launch_config_by_traverse_nodes / traverse_dfs on the IR: the
// per-op strategy, the launch flags, the devices and the rank map
// (docs/README.md, "Rank map").
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUDEDUCESTRATEGY
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

namespace {

/// Every device the module names, and which of them act as workers.
struct DeviceSet {
  llvm::SetVector<DeviceAttr> all;
  llvm::DenseSet<Attribute> workers;

  llvm::DenseSet<Attribute> seenGroups;

  void add(GroupAttr group) {
    if (!seenGroups.insert(group).second)
      return;
    for (const GroupAttr::Entry &entry : group.getEntries()) {
      for (DeviceAttr device : entry.devices) {
        all.insert(device);
        if (entry.isWorker())
          workers.insert(device);
      }
    }
  }
  void add(DeviceAttr device) {
    all.insert(device);
    if (device.isGpu())
      workers.insert(device);
  }
  /// The rank map (docs/README.md): worker devices, then servers, each
  /// sorted by (host with localhost first, index).
  SmallVector<Attribute> rankMap() const {
    SmallVector<DeviceAttr> ordered(all.begin(), all.end());
    llvm::stable_sort(ordered, [&](DeviceAttr a, DeviceAttr b) {
      bool aw = workers.contains(a), bw = workers.contains(b);
      if (aw != bw)
        return aw;
      return a < b;
    });
    return SmallVector<Attribute>(ordered.begin(), ordered.end());
  }
};

struct DeduceStrategyPass
    : public hetu::impl::HetuDeduceStrategyBase<DeduceStrategyPass> {
  void runOnOperation() override;

private:
  LogicalResult visitPlacedOp(Operation *op, const Placement &placement);
  LogicalResult checkTupleEdges(Operation *op, GroupAttr group);

  DeviceSet devices;
  bool launchPS = false;
  bool launchMPI = false;
  /// Reference placement of each function without a default placement: its
  /// first placed op.
  llvm::DenseMap<Operation *, Placement> firstPlaced;
};

} // namespace

/// The placement the worker count of `op` is compared against.
static Placement
getReferencePlacement(Operation *op, const Placement &own,
                      llvm::DenseMap<Operation *, Placement> &firstPlaced) {
  if (Placement def = getDefaultPlacement(op))
    return def;
  Operation *scope = op->getParentOfType<FunctionOpInterface>();
  if (!scope)
    scope = op->getParentOp();
  return firstPlaced.try_emplace(scope, own).first->second;
}

/// The placement of the value `v` as its producer sees it; null group when it
/// is rematerialised or unplaced.
static Placement getProducerPlacement(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return resolvePlacement(arg);
  return resolvePlacement(v.getDefiningOp());
}

LogicalResult DeduceStrategyPass::checkTupleEdges(Operation *op,
                                                  GroupAttr group) {
  if (!group.hasTuples())
    return success();
  int64_t size = *group.getWorkerSize();
  for (OpOperand &operand : op->getOpOperands()) {
    Operation *def = operand.get().getDefiningOp();
    if (isa_and_nonnull<DispatchOp, DispatchGradientOp>(def))
      continue;
    Placement producer = getProducerPlacement(operand.get());
    if (!producer || !producer.group.hasTuples())
      continue;
    int64_t producerSize = *producer.group.getWorkerSize();
    if (producerSize == size)
      continue;
    InFlightDiagnostic diag = op->emitError()
                              << "operand #" << operand.getOperandNumber()
                              << " comes from tuples of " << producerSize
                              << " devices (\"" << producer.group.str()
                              << "\") but is used on tuples of " << size
                              << " devices (\"" << group.str()
                              << "\") without a hetu.dispatch";
    diag.attachNote(producer.source ? producer.source->getLoc() : op->getLoc())
        << "producer placement here";
    return diag;
  }
  return success();
}

LogicalResult DeduceStrategyPass::visitPlacedOp(Operation *op,
                                                const Placement &placement) {
  GroupAttr group = placement.group;
  devices.add(group);
  int64_t workers = group.getNumWorkers(), servers = group.getNumServers();

  MLIRContext *ctx = op->getContext();
  if (servers > 0 && workers > 0) {
    op->setAttr(HetuDialect::kStrategyAttrName,
                StrategyKindAttr::get(ctx, StrategyKind::ps));
    launchPS = true;
  } else if (workers > 1) {
    op->setAttr(HetuDialect::kStrategyAttrName,
                StrategyKindAttr::get(ctx, StrategyKind::allreduce));
    launchMPI = true;
  } else {
    op->removeAttr(HetuDialect::kStrategyAttrName);
  }

  Placement reference = getReferencePlacement(op, placement, firstPlaced);
  int64_t expected = reference.group.getNumWorkers();
  if (workers != 0 && workers != expected) {
    InFlightDiagnostic diag = op->emitError()
                              << "number of workers not consistent: " << workers
                              << " vs " << expected;
    diag.attachNote(reference.source->getLoc())
        << "compared with the placement \"" << reference.group.str()
        << "\" here, which has " << expected << " workers";
    return diag;
  }
  return checkTupleEdges(op, group);
}

void DeduceStrategyPass::runOnOperation() {
  ModuleOp module = getOperation();
  devices = DeviceSet();
  launchPS = launchMPI = false;
  firstPlaced.clear();

  // Default placements: Hetu's launch flags start from the default context.
  module->walk([&](Operation *op) {
    auto group = op->getAttrOfType<GroupAttr>(HetuDialect::kDefaultCtxAttrName);
    if (!group)
      return;
    devices.add(group);
    launchPS |= group.getNumServers() > 0;
    launchMPI |= group.getNumServers() == 0 && group.getNumWorkers() > 1;
  });

  bool anyError = false;
  module->walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op == module.getOperation() || isa<FunctionOpInterface>(op))
      return WalkResult::advance();
    // Devices named by dispatches, transfers and collectives.
    for (NamedAttribute attr : op->getAttrs()) {
      if (auto device = dyn_cast<DeviceAttr>(attr.getValue()))
        devices.add(device);
      else if (auto group = dyn_cast<GroupAttr>(attr.getValue()))
        devices.add(group);
    }
    if (op->hasTrait<OpTrait::IsTerminator>())
      return WalkResult::skip();
    // Control flow is looked through; the payload of compute ops is not.
    bool controlFlow = isa<RegionBranchOpInterface>(op);
    Placement placement = resolvePlacement(op);
    if (placement && !controlFlow && failed(visitPlacedOp(op, placement)))
      anyError = true;
    return controlFlow ? WalkResult::advance() : WalkResult::skip();
  });
  if (anyError)
    return signalPassFailure();

  Builder b(module.getContext());
  module->setAttr(HetuDialect::kLaunchMPIAttrName, b.getBoolAttr(launchMPI));
  module->setAttr(HetuDialect::kLaunchPSAttrName, b.getBoolAttr(launchPS));
  SmallVector<Attribute> all(devices.all.begin(), devices.all.end());
  module->setAttr(HetuDialect::kDevicesAttrName, b.getArrayAttr(all));
  module->setAttr(HetuDialect::kRankMapAttrName,
                  b.getArrayAttr(devices.rankMap()));
}
