//===- RankEmitterPS.cpp - hetu-partition's parameter-server traffic ------===//
//
// The `ps` strategy in one rank's program: workers push gradient tiles to
// their server, pull whole values back, and servers run the updates placed
// on them alone, on whole values.
//
//===----------------------------------------------------------------------===//

#include "Partition.h"

#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/StatesRules.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace mlir::hetu;
using namespace mlir::hetu::partition;

/// Each replica's workers send their tiles of the gradient to the server, in
/// replica order; the server combines the replicas' whole gradients.
LogicalResult RankEmitter::emitPush(PSPushOp push) {
  Value grad = push.getGrad();
  auto type = cast<RankedTensorType>(grad.getType());
  GroupAttr from = facts.valueGroup.lookup(grad);
  if (!from || FunctionFacts::isServerGroup(from))
    return push.emitError()
           << "pushes a value that no data-parallel worker computes";
  Layout target = serverLayout(push.getServer(), type);
  std::optional<int64_t> dstPos = serverPosition(push.getServer());
  SmallVector<Value> copies;
  int64_t numReplicas = facts.groups.numWorkers(from);
  for (int64_t replica = 0; replica < numReplicas; ++replica) {
    std::optional<int64_t> srcPos = positionIn(from, replica);
    if (!srcPos && !dstPos)
      continue;
    Value mine = srcPos ? local.lookup({grad, replica}) : Value();
    if (srcPos && !mine)
      return push.emitError() << "internal error: this rank should hold "
                                 "replica "
                              << replica << " of the gradient";
    FailureOr<Value> moved =
        move(type, mine,
             layout(from, replica, facts.valueStates.lookup(grad)), srcPos,
             target, dstPos, push);
    if (failed(moved))
      return failure();
    if (dstPos)
      copies.push_back(*moved);
  }
  ++site;
  if (!dstPos)
    return success();
  Location loc = push.getLoc();
  Value sum = copies.front();
  for (Value other : llvm::drop_begin(copies)) {
    Value init = tensor::EmptyOp::create(builder, loc, type.getShape(),
                                         type.getElementType());
    sum = linalg::AddOp::create(builder, loc, ValueRange{sum, other},
                                ValueRange{init})
              .getResult(0);
  }
  if (push.getKind() == ReductionKind::mean && copies.size() > 1) {
    auto elementType = cast<FloatType>(type.getElementType());
    Value scale = arith::ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(
            type, builder.getFloatAttr(elementType, 1.0 / copies.size())));
    Value init = tensor::EmptyOp::create(builder, loc, type.getShape(),
                                         type.getElementType());
    sum = linalg::MulOp::create(builder, loc, ValueRange{sum, scale},
                                ValueRange{init})
              .getResult(0);
  }
  local[{push.getResult(), 0}] = sum;
  return success();
}

/// The server sends the value to each replica's workers, in replica order,
/// in the states the pulled value has there.
LogicalResult RankEmitter::emitPull(PSPullOp pull) {
  auto type = cast<RankedTensorType>(pull.getType());
  GroupAttr group = facts.opGroup.lookup(pull);
  Layout src = serverLayout(pull.getServer(), type);
  std::optional<int64_t> srcPos = serverPosition(pull.getServer());
  Value mine = srcPos ? local.lookup({pull.getValue(), 0}) : Value();
  if (srcPos && !mine)
    return pull.emitError()
           << "pulls a value that server " << pull.getServer().str()
           << " does not hold: the result of an op placed on it, a value "
              "pushed to it, or an argument";
  StatesAttr states = facts.valueStates.lookup(pull.getResult());
  for (int64_t replica = 0, e = facts.groups.numWorkers(group); replica < e;
       ++replica) {
    std::optional<int64_t> dstPos = positionIn(group, replica);
    if (!srcPos && !dstPos)
      continue;
    FailureOr<Value> moved = move(type, mine, src, srcPos,
                                  layout(group, replica, states), dstPos, pull);
    if (failed(moved))
      return failure();
    if (dstPos)
      local[{pull.getResult(), replica}] = *moved;
  }
  ++site;
  return success();
}

/// An op placed on servers alone runs on each of them, on whole values: the
/// server's own copy of arguments, what was pushed to it, what it computed.
LogicalResult RankEmitter::emitServerOp(Operation *op) {
  GroupAttr group = facts.opGroup.lookup(op);
  if (!facts.groups.position(group, me))
    return success();
  Location loc = op->getLoc();
  auto wholeOnServer = [&](Value v) -> FailureOr<Value> {
    if (Operation *def = v.getDefiningOp(); def && facts.remat.contains(def))
      return materialise(v, replicatedStates(v.getType(), 1), 0, loc);
    if (Value found = local.lookup({v, 0}))
      return found;
    return op->emitError()
           << "runs on parameter server " << me.str()
           << " but uses a value the server does not hold; a server op uses "
              "arguments, values pushed to it (hetu.ps_push) and values "
              "computed on it";
  };
  IRMapping mapping;
  for (Value v : op->getOperands()) {
    FailureOr<Value> found = wholeOnServer(v);
    if (failed(found))
      return failure();
    mapping.map(v, *found);
  }
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  for (Value v : captured) {
    FailureOr<Value> found = wholeOnServer(v);
    if (failed(found))
      return failure();
    mapping.map(v, *found);
  }
  Operation *copy = builder.clone(*op, mapping);
  for (StringRef name :
       {HetuDialect::kCtxAttrName, HetuDialect::kStatesAttrName,
        HetuDialect::kStrategyAttrName})
    copy->removeAttr(name);
  for (auto [from, to] : llvm::zip(op->getResults(), copy->getResults()))
    local[{from, 0}] = to;
  return success();
}
