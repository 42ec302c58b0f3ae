//===- Placement.cpp - Where an operation runs ----------------------------===//

#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::hetu;

GroupAttr mlir::hetu::getExplicitPlacement(Operation *op) {
  return op->getAttrOfType<GroupAttr>(HetuDialect::kCtxAttrName);
}

Placement mlir::hetu::getDefaultPlacement(Operation *op, bool includeSelf) {
  for (Operation *cur = includeSelf ? op : op->getParentOp(); cur;
       cur = cur->getParentOp())
    if (auto group =
            cur->getAttrOfType<GroupAttr>(HetuDialect::kDefaultCtxAttrName))
      return Placement{PlacementKind::Inherited, group, cur};
  return Placement{};
}

Placement mlir::hetu::resolvePlacement(Operation *op) {
  if (GroupAttr group = getExplicitPlacement(op))
    return Placement{PlacementKind::Explicit, group, op};
  if (op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
      op->getNumResults() > 0)
    return Placement{PlacementKind::Rematerialized, {}, nullptr};
  return getDefaultPlacement(op);
}

Placement mlir::hetu::resolvePlacement(BlockArgument arg) {
  Operation *owner = arg.getOwner()->getParentOp();
  if (!owner)
    return Placement{};
  return getDefaultPlacement(owner, /*includeSelf=*/true);
}

bool mlir::hetu::isTrainable(BlockArgument arg) {
  auto func =
      dyn_cast_or_null<FunctionOpInterface>(arg.getOwner()->getParentOp());
  if (!func || arg.getOwner() != &func.getFunctionBody().front())
    return false;
  return static_cast<bool>(
      func.getArgAttr(arg.getArgNumber(), HetuDialect::kTrainableAttrName));
}

bool mlir::hetu::hasTrainableArguments(FunctionOpInterface fn) {
  for (unsigned i = 0, e = fn.getNumArguments(); i < e; ++i)
    if (fn.getArgAttr(i, HetuDialect::kTrainableAttrName))
      return true;
  return false;
}

bool mlir::hetu::returnsUpdates(FunctionOpInterface fn) {
  for (unsigned i = 0, e = fn.getNumResults(); i < e; ++i)
    if (fn.getResultAttr(i, HetuDialect::kUpdatesAttrName))
      return true;
  return false;
}

bool mlir::hetu::onHostRank(Operation *op) {
  auto fn = dyn_cast<FunctionOpInterface>(op);
  if (!fn)
    fn = op->getParentOfType<FunctionOpInterface>();
  if (!fn)
    return false;
  auto device = fn->getAttrOfType<DeviceAttr>(HetuDialect::kDeviceAttrName);
  return device && device.isCpu();
}
