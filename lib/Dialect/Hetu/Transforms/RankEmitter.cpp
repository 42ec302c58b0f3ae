//===- RankEmitter.cpp - One rank's program for hetu-partition ------------===//
//
// Each rank keeps the work of the devices it runs, on local tiles, and takes
// part in the transfers that move values between layouts, in one global
// order (the pass description gives the deadlock-freedom argument).
//
//===----------------------------------------------------------------------===//

#include "Partition.h"

#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/StatesRules.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace mlir::hetu;
using namespace mlir::hetu::partition;

/// HETU_DEBUG_WRONG_RESHARDING=1 (testing --verify, docs/Running.md): a
/// tile assembled from several pieces gets two of the same size in each
/// other's place, a silently wrong resharding that --verify must catch.
static bool wrongReshardingForTesting() {
  static const bool on = std::getenv("HETU_DEBUG_WRONG_RESHARDING") != nullptr;
  return on;
}

static void swapTwoPieces(SmallVector<std::pair<Box, Value>> &pieces) {
  for (size_t i = 0; i < pieces.size(); ++i)
    for (size_t j = i + 1; j < pieces.size(); ++j)
      if (pieces[i].first.sizes == pieces[j].first.sizes) {
        std::swap(pieces[i].second, pieces[j].second);
        llvm::errs() << "hetu-partition: HETU_DEBUG_WRONG_RESHARDING: two "
                        "pieces of a tile swapped\n";
        return;
      }
}

RankedTensorType mlir::hetu::partition::localType(RankedTensorType global,
                                                  StatesAttr states) {
  FailureOr<SmallVector<int64_t>> shape =
      states.getLocalShape(global.getShape());
  assert(succeeded(shape) && "states checked before emission");
  return global.clone(*shape);
}

std::optional<GroupAttr::Position> RankEmitter::myPosition(GroupAttr group) {
  std::optional<GroupAttr::Position> pos = facts.groups.position(group, me);
  if (pos && pos->replica < 0)
    pos.reset();
  return pos;
}

Layout RankEmitter::layout(GroupAttr group, int64_t replica,
                           StatesAttr states) {
  Layout l;
  ArrayRef<DeviceAttr> devices =
      facts.groups.get(group).workers[replica].devices;
  l.devices.assign(devices.begin(), devices.end());
  l.states = states;
  return l;
}

SmallVector<int64_t> RankEmitter::replicasInvolving(Value v, GroupAttr group) {
  SmallVector<int64_t> replicas;
  for (GroupAttr g : {facts.valueGroup.lookup(v), group})
    if (g)
      if (auto pos = myPosition(g))
        if (!llvm::is_contained(replicas, pos->replica))
          replicas.push_back(pos->replica);
  llvm::sort(replicas);
  return replicas;
}

Value RankEmitter::zeros(RankedTensorType type, Location loc) {
  Value zero = arith::ConstantOp::create(
      builder, loc, builder.getZeroAttr(type.getElementType()));
  Value empty = tensor::EmptyOp::create(builder, loc, type.getShape(),
                                        type.getElementType());
  return linalg::FillOp::create(builder, loc, zero, empty).getResult(0);
}

/// A rematerialised value (constant, tensor.empty) recomputed on this device
/// in the layout its user needs: its tile, and for partial states the value
/// on partial copy 0 and the identity (zeros) on the others.
FailureOr<Value> RankEmitter::materialise(Value v, StatesAttr states,
                                          int64_t position, Location loc) {
  Operation *def = v.getDefiningOp();
  unsigned resultNumber = cast<OpResult>(v).getResultNumber();
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type) {
    Operation *copy = builder.clone(*def);
    copy->removeAttr(HetuDialect::kStatesAttrName);
    return copy->getResult(resultNumber);
  }
  RankedTensorType tile = localType(type, states);
  if (states.getCoords(position).partial != 0)
    return zeros(tile, loc);
  if (auto constant = dyn_cast<arith::ConstantOp>(def)) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (dense && dense.isSplat())
      return arith::ConstantOp::create(builder, loc, dense.resizeSplat(tile))
          .getResult();
  }
  Operation *copy = builder.clone(*def);
  copy->removeAttr(HetuDialect::kStatesAttrName);
  Value full = copy->getResult(resultNumber);
  if (isa<tensor::EmptyOp>(def)) {
    full.setType(tile);
    return full;
  }
  // Anything else: the whole value, then this device's tile.
  if (tile == type)
    return full;
  Box box = tileBox(states, position, type.getShape());
  SmallVector<int64_t> strides(box.sizes.size(), 1);
  MLIRContext *ctx = builder.getContext();
  return tensor::ExtractSliceOp::create(
             builder, loc, full, getAsIndexOpFoldResult(ctx, box.offsets),
             getAsIndexOpFoldResult(ctx, box.sizes),
             getAsIndexOpFoldResult(ctx, strides))
      .getResult();
}

FailureOr<Value> RankEmitter::emitCollective(const CollectivePlan &plan,
                                             Value input, const Layout &layout,
                                             Location loc) {
  SmallVector<DeviceAttr> members;
  for (int64_t k : plan.members)
    members.push_back(layout.devices[k]);
  GroupAttr group = GroupAttr::get(builder.getContext(), members);
  auto sum = ReductionKindAttr::get(builder.getContext(), ReductionKind::sum);
  auto type = cast<RankedTensorType>(input.getType());
  int64_t n = members.size();
  switch (plan.kind) {
  case CollectivePlan::AllReduce:
    return AllReduceOp::create(builder, loc, type, sum, input, group)
        .getResult();
  case CollectivePlan::AllGather: {
    SmallVector<int64_t> shape(type.getShape());
    shape[plan.dim] *= n;
    return AllGatherOp::create(builder, loc, type.clone(shape), input,
                               builder.getI64IntegerAttr(plan.dim), group)
        .getResult();
  }
  case CollectivePlan::ReduceScatter: {
    SmallVector<int64_t> shape(type.getShape());
    shape[plan.dim] /= n;
    return ReduceScatterOp::create(builder, loc, type.clone(shape), sum, input,
                                   builder.getI64IntegerAttr(plan.dim), group)
        .getResult();
  }
  }
  llvm_unreachable("unknown collective");
}

FailureOr<Value> RankEmitter::transition(Value v, int64_t replica,
                                         GroupAttr group, StatesAttr states,
                                         Operation *siteOp) {
  Location loc = siteOp->getLoc();
  auto type = dyn_cast<RankedTensorType>(v.getType());
  std::optional<int64_t> dstPos = positionIn(group, replica);

  if (Operation *def = v.getDefiningOp(); def && facts.remat.contains(def)) {
    if (!dstPos)
      return Value();
    return materialise(v, states, *dstPos, loc);
  }
  if (!type)
    return scalar(v, replica, siteOp);

  GroupAttr fromGroup = facts.valueGroup.lookup(v);
  StatesAttr fromStates = facts.valueStates.lookup(v);
  if (fromStates == states &&
      (fromGroup == group ||
       facts.groups.get(fromGroup).workers[replica].devices ==
           facts.groups.get(group).workers[replica].devices))
    return local.lookup({v, replica});
  std::optional<int64_t> srcPos = positionIn(fromGroup, replica);
  if (!srcPos && !dstPos)
    return Value();

  auto key = std::make_tuple(v.getAsOpaquePointer(), replica, Attribute(group),
                             Attribute(states));
  if (auto it = transitions.find(key); it != transitions.end())
    return it->second;
  Layout src = layout(fromGroup, replica, fromStates);
  Layout target = layout(group, replica, states);

  Value mine = srcPos ? local.lookup({v, replica}) : Value();
  if (srcPos && !mine)
    return siteOp->emitError()
           << "internal error: this rank should hold replica " << replica
           << " of an operand";
  FailureOr<Value> result =
      move(type, mine, src, srcPos, target, dstPos, siteOp);
  if (succeeded(result))
    transitions[key] = *result;
  return result;
}

FailureOr<Value> RankEmitter::move(RankedTensorType type, Value mine,
                                   const Layout &src,
                                   std::optional<int64_t> srcPos,
                                   const Layout &target,
                                   std::optional<int64_t> dstPos,
                                   Operation *siteOp) {
  Location loc = siteOp->getLoc();
  Value result;
  std::optional<CollectivePlan> collective;
  if (dstPos)
    collective = matchCollective(src, target, *dstPos);
  if (collective) {
    FailureOr<Value> out = emitCollective(*collective, mine, target, loc);
    if (failed(out))
      return failure();
    result = *out;
  } else {
    std::string why;
    SmallVector<int64_t> wanted;
    if (dstPos)
      wanted.push_back(*dstPos);
    FailureOr<ReshardPlan> plan =
        planReshardingFor(type.getShape(), src, target, wanted, srcPos, why);
    if (failed(plan))
      return siteOp->emitError() << "cannot move a value from " << src.states
                                 << " to " << target.states << ": " << why;
    Box srcTile =
        srcPos ? tileBox(src.states, *srcPos, type.getShape()) : Box();
    auto sliceOf = [&](Value from, const Box &tile, const Box &piece) -> Value {
      SmallVector<int64_t> offsets, strides(piece.sizes.size(), 1);
      for (auto [o, t] : llvm::zip_equal(piece.offsets, tile.offsets))
        offsets.push_back(o - t);
      if (piece.sizes == tile.sizes)
        return from;
      MLIRContext *ctx = builder.getContext();
      return tensor::ExtractSliceOp::create(
                 builder, loc, from, getAsIndexOpFoldResult(ctx, offsets),
                 getAsIndexOpFoldResult(ctx, piece.sizes),
                 getAsIndexOpFoldResult(ctx, strides))
          .getResult();
    };
    // My pieces, by partial copy.
    std::map<int64_t, SmallVector<std::pair<Box, Value>>> received;
    for (auto [d, dest] : llvm::enumerate(plan->destinations)) {
      DeviceAttr dstDevice = target.devices[d];
      for (const Piece &piece : dest.pieces) {
        DeviceAttr srcDevice = src.devices[piece.src];
        bool fromMe = srcDevice == me, toMe = dstDevice == me;
        if (fromMe) {
          Value slice = sliceOf(mine, srcTile, piece.global);
          if (toMe)
            received[piece.partial].push_back({piece.global, slice});
          else
            SendOp::create(builder, loc, slice, dstDevice, site);
        } else if (toMe) {
          auto pieceType = type.clone(piece.global.sizes);
          Value in = RecvOp::create(builder, loc, pieceType, srcDevice, site);
          received[piece.partial].push_back({piece.global, in});
        }
      }
    }
    if (dstPos) {
      Box tile = tileBox(target.states, *dstPos, type.getShape());
      RankedTensorType tileType = type.clone(tile.sizes);
      SmallVector<Value> copies;
      for (int64_t p : plan->destinations[*dstPos].partials) {
        SmallVector<std::pair<Box, Value>> &pieces = received[p];
        if (wrongReshardingForTesting())
          swapTwoPieces(pieces);
        if (pieces.size() == 1 && pieces.front().first == tile) {
          copies.push_back(pieces.front().second);
          continue;
        }
        Value acc = tensor::EmptyOp::create(builder, loc, tile.sizes,
                                            type.getElementType());
        for (auto &[box, value] : pieces) {
          SmallVector<int64_t> offsets, strides(box.sizes.size(), 1);
          for (auto [o, t] : llvm::zip_equal(box.offsets, tile.offsets))
            offsets.push_back(o - t);
          MLIRContext *ctx = builder.getContext();
          acc = tensor::InsertSliceOp::create(
                    builder, loc, value, acc,
                    getAsIndexOpFoldResult(ctx, offsets),
                    getAsIndexOpFoldResult(ctx, box.sizes),
                    getAsIndexOpFoldResult(ctx, strides))
                    .getResult();
        }
        copies.push_back(acc);
      }
      if (copies.empty()) {
        result = zeros(tileType, loc);
      } else {
        result = copies.front();
        for (Value other : llvm::drop_begin(copies)) {
          Value init = tensor::EmptyOp::create(builder, loc, tile.sizes,
                                               type.getElementType());
          result =
              linalg::AddOp::create(builder, loc, ValueRange{result, other},
                                    ValueRange{init})
                  .getResult(0);
        }
      }
    }
  }
  if (!dstPos)
    result = Value();
  return result;
}

FailureOr<Value> RankEmitter::scalar(Value v, int64_t replica,
                                     Operation *user) {
  if (Operation *def = v.getDefiningOp(); def && facts.remat.contains(def))
    return materialise(v, StatesAttr(), 0, user->getLoc());
  if (Value found = local.lookup({v, replica}))
    return found;
  return user->emitError() << "uses a scalar computed on another device; "
                              "hetu-partition does not move scalars";
}

SliceAttr RankEmitter::sliceAttr(int64_t index, int64_t replica,
                                 int64_t position, StatesAttr states,
                                 ArrayRef<int64_t> shape) {
  SmallVector<int64_t> offsets(shape.size(), 0);
  if (states.getRank() == static_cast<int64_t>(shape.size()))
    offsets = states.getTileOffsets(std::max<int64_t>(position, 0), shape);
  return SliceAttr::get(builder.getContext(), index, replica, position, states,
                        offsets);
}

LogicalResult RankEmitter::emitOp(Operation *op) {
  Location loc = op->getLoc();
  if (auto push = dyn_cast<PSPushOp>(op))
    return emitPush(push);
  if (auto pull = dyn_cast<PSPullOp>(op))
    return emitPull(pull);
  if (facts.serverOps.contains(op))
    return emitServerOp(op);
  if (isa<DispatchOp, DispatchGradientOp>(op)) {
    Value input = op->getOperand(0);
    GroupAttr group = facts.opGroup.lookup(op);
    StatesAttr target = facts.valueStates.lookup(op->getResult(0));
    for (int64_t replica : replicasInvolving(input, group)) {
      FailureOr<Value> moved = transition(input, replica, group, target, op);
      if (failed(moved))
        return failure();
      if (*moved)
        local[{op->getResult(0), replica}] = *moved;
    }
    ++site;
    return success();
  }

  GroupAttr group = facts.opGroup.lookup(op);
  ArrayRef<StatesAttr> needs = facts.required[op];
  // Operands, replica by replica, in the layouts the op needs them.
  llvm::DenseMap<std::pair<unsigned, int64_t>, Value> operands;
  for (OpOperand &operand : op->getOpOperands()) {
    Value v = operand.get();
    unsigned i = operand.getOperandNumber();
    for (int64_t replica : replicasInvolving(v, group)) {
      FailureOr<Value> moved = transition(v, replica, group, needs[i], op);
      if (failed(moved))
        return failure();
      operands[{i, replica}] = *moved;
    }
    ++site;
  }
  std::optional<GroupAttr::Position> pos = myPosition(group);
  if (!pos)
    return success();
  int64_t replica = pos->replica;
  if (auto sync = dyn_cast<SyncReplicasOp>(op)) {
    // The same tile is at this position of every replica's tuple.
    Value input = operands.lookup({0, replica});
    SmallVector<DeviceAttr> members;
    for (const GroupAttr::Entry &worker : facts.groups.get(group).workers)
      members.push_back(worker.devices[pos->inTuple]);
    Value result = input;
    if (members.size() > 1)
      result = AllReduceOp::create(
                   builder, loc, input.getType(), sync.getKindAttr(), input,
                   GroupAttr::get(builder.getContext(), members))
                   .getResult();
    local[{sync.getResult(), replica}] = result;
    return success();
  }
  IRMapping mapping;
  for (OpOperand &operand : op->getOpOperands()) {
    Value moved = operands.lookup({operand.getOperandNumber(), replica});
    if (!moved)
      return op->emitError()
             << "internal error: operand #" << operand.getOperandNumber()
             << " is missing on rank " << rank;
    mapping.map(operand.get(), moved);
  }
  // Values the op's regions (a linalg payload) capture from outside.
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  for (Value v : captured) {
    FailureOr<Value> moved = scalar(v, replica, op);
    if (failed(moved))
      return failure();
    mapping.map(v, *moved);
  }
  Operation *copy;
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    auto type = localType(expand.getResultType(),
                          facts.valueStates.lookup(expand.getResult()));
    copy = tensor::ExpandShapeOp::create(builder, loc, type,
                                         mapping.lookup(expand.getSrc()),
                                         expand.getReassociationIndices());
  } else {
    copy = builder.clone(*op, mapping);
    for (Value result : copy->getResults())
      if (auto type = dyn_cast<RankedTensorType>(result.getType()))
        result.setType(
            localType(type, facts.valueStates.lookup(op->getResult(
                                cast<OpResult>(result).getResultNumber()))));
  }
  for (StringRef name :
       {HetuDialect::kCtxAttrName, HetuDialect::kStatesAttrName,
        HetuDialect::kStrategyAttrName})
    copy->removeAttr(name);
  for (auto [from, to] : llvm::zip(op->getResults(), copy->getResults()))
    local[{from, replica}] = to;
  return success();
}

LogicalResult RankEmitter::emitReturn(Operation *op,
                                      SmallVectorImpl<Value> &results,
                                      SmallVectorImpl<SliceAttr> &attrs) {
  GroupAttr group = facts.defaultGroup;
  int64_t devices = facts.devicesPerWorker(group);
  std::optional<GroupAttr::Position> pos = myPosition(group);
  for (auto [index, v] : llvm::enumerate(op->getOperands())) {
    StatesAttr whole = replicatedStates(v.getType(), devices);
    Value mine;
    for (int64_t replica : replicasInvolving(v, group)) {
      FailureOr<Value> moved = transition(v, replica, group, whole, op);
      if (failed(moved))
        return failure();
      if (pos && replica == pos->replica)
        mine = *moved;
    }
    ++site;
    if (!pos) {
      // A server returns its copy of what the workers pull from it (the
      // next step's parameter, for runners that keep state per rank); it is
      // not an output (position -1).
      auto pull = v.getDefiningOp<PSPullOp>();
      if (!pull || pull.getServer() != me)
        continue;
      Value held = local.lookup({pull.getValue(), 0});
      if (!held)
        continue;
      results.push_back(held);
      attrs.push_back(
          sliceAttr(index, 0, /*position=*/-1, replicatedStates(v.getType(), 1),
                    cast<RankedTensorType>(v.getType()).getShape()));
      continue;
    }
    if (!mine)
      return op->emitError() << "internal error: result #" << index
                             << " is missing on rank " << rank;
    results.push_back(mine);
    auto type = dyn_cast<RankedTensorType>(v.getType());
    attrs.push_back(sliceAttr(index, pos->replica, pos->inTuple, whole,
                              type ? type.getShape() : ArrayRef<int64_t>()));
  }
  return success();
}

FailureOr<func::FuncOp> RankEmitter::emit() {
  func::FuncOp src = facts.func;
  MLIRContext *ctx = src.getContext();
  std::string name = (src.getSymName() + "__rank" + Twine(rank)).str();
  auto fn =
      func::FuncOp::create(src.getLoc(), name, FunctionType::get(ctx, {}, {}));
  Block *entry = fn.addEntryBlock();
  builder.setInsertionPointToStart(entry);

  SmallVector<SliceAttr> argAttrs;
  std::optional<GroupAttr::Position> pos = myPosition(facts.defaultGroup);
  if (pos) {
    for (BlockArgument arg : src.getArguments()) {
      StatesAttr states = facts.valueStates.lookup(arg);
      Type type = arg.getType();
      if (auto tensor = dyn_cast<RankedTensorType>(type))
        type = localType(tensor, states);
      local[{arg, pos->replica}] = entry->addArgument(type, arg.getLoc());
      auto tensor = dyn_cast<RankedTensorType>(arg.getType());
      argAttrs.push_back(
          sliceAttr(arg.getArgNumber(), pos->replica, pos->inTuple, states,
                    tensor ? tensor.getShape() : ArrayRef<int64_t>()));
    }
  }

  if (!pos) {
    // A parameter server takes, whole, the arguments that ops placed on it
    // use (its copy of the parameters and optimizer state).
    for (BlockArgument arg : src.getArguments()) {
      bool used = llvm::any_of(arg.getUsers(), [&](Operation *user) {
        if (auto pull = dyn_cast<PSPullOp>(user))
          return pull.getServer() == me;
        return facts.serverOps.contains(user) &&
               facts.groups.position(facts.opGroup.lookup(user), me);
      });
      auto tensor = dyn_cast<RankedTensorType>(arg.getType());
      if (!used || !tensor)
        continue;
      StatesAttr whole = replicatedStates(tensor, 1);
      local[{arg, 0}] = entry->addArgument(tensor, arg.getLoc());
      argAttrs.push_back(
          sliceAttr(arg.getArgNumber(), 0, 0, whole, tensor.getShape()));
    }
  }

  SmallVector<Value> results;
  SmallVector<SliceAttr> resultAttrs;
  for (Operation &op : src.getBody().front()) {
    if (facts.remat.contains(&op))
      continue;
    if (isa<func::ReturnOp>(op)) {
      if (failed(emitReturn(&op, results, resultAttrs)))
        return failure();
      continue;
    }
    if (failed(emitOp(&op)))
      return failure();
  }
  func::ReturnOp::create(builder, src.getLoc(), results);
  fn.setFunctionType(FunctionType::get(ctx, entry->getArgumentTypes(),
                                       TypeRange(ValueRange(results))));
  Builder b(ctx);
  for (auto [i, attr] : llvm::enumerate(argAttrs))
    fn.setArgAttr(i, HetuDialect::kSliceAttrName, attr);
  for (auto [i, attr] : llvm::enumerate(resultAttrs))
    fn.setResultAttr(i, HetuDialect::kSliceAttrName, attr);
  fn->setAttr(HetuDialect::kRankAttrName, b.getI64IntegerAttr(rank));
  fn->setAttr(HetuDialect::kDeviceAttrName, me);
  fn->setAttr(HetuDialect::kFunctionAttrName,
              b.getStringAttr(src.getSymName()));
  return fn;
}
