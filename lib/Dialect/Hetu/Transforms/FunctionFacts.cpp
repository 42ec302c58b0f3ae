//===- FunctionFacts.cpp - What hetu-partition's rank programs are made of ===//
//
// Where each value lives, in which states, and which states each operation
// needs its operands in: checked once per function, read by every rank's
// emitter.
//
//===----------------------------------------------------------------------===//

#include "Partition.h"

#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/StatesRules.h"

using namespace mlir;
using namespace mlir::hetu;
using namespace mlir::hetu::partition;

LogicalResult FunctionFacts::checkEdge(Operation *user, Value v,
                                       GroupAttr userGroup) {
  GroupAttr from = valueGroup.lookup(v);
  if (!from || !userGroup)
    return success();
  // Servers hold their own copy of arguments and of what is pushed to them;
  // workers get a server's values only through hetu.ps_pull.
  if (isServerGroup(userGroup) ||
      (isServerGroup(from) && isa<PSPullOp>(user)))
    return success();
  if (isServerGroup(from))
    return user->emitError()
           << "uses a value held on parameter server \"" << from.str()
           << "\"; workers receive a server's values through hetu.ps_pull";
  if (groups.numWorkers(from) == groups.numWorkers(userGroup))
    return success();
  return user->emitError() << "uses a value of " << groups.numWorkers(from)
                           << " data-parallel replicas (\"" << from.str()
                           << "\") on " << groups.numWorkers(userGroup)
                           << " replicas (\"" << userGroup.str()
                           << "\"); replica i must feed replica i";
}

LogicalResult FunctionFacts::build(func::FuncOp f) {
  func = f;
  defaultGroup = getDefaultPlacement(f, /*includeSelf=*/true).group;
  if (!defaultGroup || groups.numWorkers(defaultGroup) == 0)
    return f.emitError() << "hetu-partition needs a default placement with "
                            "workers (hetu.default_ctx) for the arguments and "
                            "results of @"
                         << f.getSymName();
  int64_t defaultDevices = devicesPerWorker(defaultGroup);
  for (BlockArgument arg : f.getArguments()) {
    valueGroup[arg] = defaultGroup;
    valueStates[arg] = replicatedStates(arg.getType(), defaultDevices);
  }
  if (!f.getBody().hasOneBlock())
    return f.emitError() << "hetu-partition handles functions with one block";

  for (Operation &op : f.getBody().front()) {
    if (op.getNumRegions() && !isa<linalg::LinalgOp>(op))
      return op.emitError() << "hetu-partition does not handle '"
                            << op.getName() << "' (control flow) yet";
    if (isa<func::ReturnOp>(op)) {
      for (Value v : op.getOperands())
        if (failed(checkEdge(&op, v, defaultGroup)))
          return failure();
      continue;
    }
    if (op.getNumResults()) {
      auto list = op.getAttrOfType<ArrayAttr>(HetuDialect::kStatesAttrName);
      if (!list)
        return op.emitError() << "has no 'hetu.states': run "
                                 "hetu-infer-states before hetu-partition";
      for (auto [result, states] :
           llvm::zip(op.getResults(), list.getAsRange<StatesAttr>())) {
        valueStates[result] = states;
        auto type = dyn_cast<RankedTensorType>(result.getType());
        if (!type)
          continue;
        if (!type.hasStaticShape())
          return op.emitError() << "hetu-partition handles static shapes; "
                                   "this result is "
                                << type;
        if (failed(states.getLocalShape(type.getShape(),
                                        [&] { return op.emitError(); })))
          return failure();
      }
    }

    GroupAttr group;
    if (auto dispatch = dyn_cast<DispatchOp>(op)) {
      group = dispatch.getGroupAttr();
      for (Operation *user : dispatch->getUsers())
        if (!group)
          group = resolvePlacement(user).group;
      if (!group)
        group = defaultGroup;
      int64_t devices = dispatch.getStates().getNumDevices();
      if (groups.devicesPerWorker(group) != devices)
        return op.emitError() << "dispatches to states of " << devices
                              << " devices per worker, but its target group \""
                              << group.str() << "\" has workers of "
                              << groups.devicesPerWorker(group) << " devices";
    } else if (auto grad = dyn_cast<DispatchGradientOp>(op)) {
      group = valueGroup.lookup(grad.getForward());
      if (!group)
        return op.emitError() << "sends a gradient back like a value that "
                                 "has no placement of its own";
    } else {
      Placement placement = resolvePlacement(&op);
      if (placement.kind == PlacementKind::Rematerialized) {
        remat.insert(&op);
        continue;
      }
      group = placement.group;
      if (!group)
        return op.emitError() << "is not placed";
    }
    for (Value result : op.getResults())
      valueGroup[result] = group;
    opGroup[&op] = group;
    if (auto push = dyn_cast<PSPushOp>(op)) {
      valueGroup[push.getResult()] =
          GroupAttr::get(op.getContext(), {push.getServer()});
      if (failed(checkEdge(&op, push.getGrad(), group)))
        return failure();
      // Workers push their gradient in the states it has.
      required[&op] = {valueStates.lookup(push.getGrad())};
      continue;
    }
    if (isServerGroup(group))
      serverOps.insert(&op);
    if (isa<DispatchOp, DispatchGradientOp>(op)) {
      if (failed(checkEdge(&op, op.getOperand(0), group)))
        return failure();
      continue;
    }
    for (Value v : op.getOperands())
      if (failed(checkEdge(&op, v, group)))
        return failure();

    // The states the op needs its operands in, from its rule.
    int64_t devices = devicesPerWorker(group);
    StatesRuleContext ctx;
    ctx.numDevices = devices;
    for (Value v : op.getOperands()) {
      StatesAttr s = valueStates.lookup(v);
      GroupAttr from = valueGroup.lookup(v);
      if ((s && from && devicesPerWorker(from) == 1 && devices > 1) ||
          serverOps.contains(&op))
        s = replicatedStates(v.getType(), devices);
      ctx.operands.push_back(s);
    }
    for (Value result : op.getResults())
      ctx.results.push_back(valueStates.lookup(result));
    auto emitError = [&]() { return op.emitError(); };
    ctx.emitError = emitError;
    SmallVector<StatesAttr> arriving = ctx.operands;
    if (failed(applyStatesRule(&op, ctx)))
      return failure();
    for (auto [need, arrive] : llvm::zip(ctx.operands, arriving))
      if (!need)
        need = arrive;
    required[&op] = ctx.operands;
  }
  return success();
}
