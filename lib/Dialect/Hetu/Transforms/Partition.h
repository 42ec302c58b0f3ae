//===- Partition.h - hetu-partition's facts and rank emitter ----*- C++ -*-===//
//
// Private to the hetu-partition implementation: the facts a function's
// rank programs are made from (FunctionFacts.cpp), and the writer of one
// rank's program (RankEmitter.cpp: tiles, transitions and the deadlock-free
// order; RankEmitterPS.cpp: the parameter server's push, pull and updates).
//
//===----------------------------------------------------------------------===//

#ifndef HETU_LIB_DIALECT_HETU_TRANSFORMS_PARTITION_H
#define HETU_LIB_DIALECT_HETU_TRANSFORMS_PARTITION_H

#include "hetu/Dialect/Hetu/IR/GroupCache.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/Transforms/Collectives.h"
#include "hetu/Dialect/Hetu/Transforms/Resharding.h"
#include "hetu/Dialect/Hetu/Transforms/StatesRules.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::hetu::partition {

/// The local type of a `global` value in `states` (checked before emission).
RankedTensorType localType(RankedTensorType global, StatesAttr states);


/// What every rank's program is made from: where each value lives, in which
/// states, and in which states each operation needs its operands.
struct FunctionFacts {
  func::FuncOp func;
  GroupAttr defaultGroup;
  llvm::DenseMap<Value, GroupAttr> valueGroup;
  llvm::DenseMap<Value, StatesAttr> valueStates;
  llvm::DenseMap<Operation *, GroupAttr> opGroup;
  llvm::DenseMap<Operation *, SmallVector<StatesAttr>> required;
  llvm::DenseSet<Operation *> remat;
  /// Ops placed on parameter servers alone (the optimizer of the `ps`
  /// strategy): they run on those servers, on whole values.
  llvm::DenseSet<Operation *> serverOps;
  GroupCache groups;

  LogicalResult build(func::FuncOp f);
  int64_t devicesPerWorker(GroupAttr group) {
    return std::max<int64_t>(1, groups.devicesPerWorker(group));
  }
  static bool isServerGroup(GroupAttr group) {
    return group && group.getNumWorkers() == 0;
  }

private:
  LogicalResult checkEdge(Operation *user, Value v, GroupAttr userGroup);
};



/// Writes the program of one rank.
class RankEmitter {
public:
  RankEmitter(FunctionFacts &facts, int64_t rank, DeviceAttr me)
      : facts(facts), rank(rank), me(me), builder(facts.func.getContext()) {}

  FailureOr<func::FuncOp> emit();

private:
  /// The replicas of `group` this rank works for (at most one: a device
  /// appears once in a group), with its position in the tuple.
  std::optional<GroupAttr::Position> myPosition(GroupAttr group);
  Layout layout(GroupAttr group, int64_t replica, StatesAttr states);
  /// Replicas whose transfer from `v`'s layout to `group` involves this rank.
  SmallVector<int64_t> replicasInvolving(Value v, GroupAttr group);

  /// `v` of replica `replica` in `states` on that replica's tuple of
  /// `group`; null if this rank holds no part of the result.
  FailureOr<Value> transition(Value v, int64_t replica, GroupAttr group,
                              StatesAttr states, Operation *site);
  /// Moves a value of type `type` from layout `src` (where this rank holds
  /// `mine` at `srcPos`, if anywhere) to layout `target`; null if this rank
  /// holds no part of the result.
  FailureOr<Value> move(RankedTensorType type, Value mine, const Layout &src,
                        std::optional<int64_t> srcPos, const Layout &target,
                        std::optional<int64_t> dstPos, Operation *siteOp);
  /// The layout of a whole value on parameter server `server`.
  Layout serverLayout(DeviceAttr server, Type type) {
    Layout l;
    l.devices.push_back(server);
    l.states = replicatedStates(type, 1);
    return l;
  }
  std::optional<int64_t> serverPosition(DeviceAttr server) {
    return server == me ? std::optional<int64_t>(0) : std::nullopt;
  }
  LogicalResult emitPush(PSPushOp push);
  LogicalResult emitPull(PSPullOp pull);
  LogicalResult emitServerOp(Operation *op);
  /// This rank's position in replica `replica`'s tuple of `group`.
  std::optional<int64_t> positionIn(GroupAttr group, int64_t replica) {
    std::optional<GroupAttr::Position> pos = myPosition(group);
    if (!pos || pos->replica != replica)
      return std::nullopt;
    return pos->inTuple;
  }
  FailureOr<Value> materialise(Value v, StatesAttr states, int64_t position,
                               Location loc);
  FailureOr<Value> emitCollective(const CollectivePlan &plan, Value input,
                                  const Layout &layout, Location loc);
  Value zeros(RankedTensorType type, Location loc);
  FailureOr<Value> scalar(Value v, int64_t replica, Operation *user);
  LogicalResult emitOp(Operation *op);
  LogicalResult emitReturn(Operation *op, SmallVectorImpl<Value> &results,
                           SmallVectorImpl<SliceAttr> &attrs);
  SliceAttr sliceAttr(int64_t index, int64_t replica, int64_t position,
                      StatesAttr states, ArrayRef<int64_t> shape);

  FunctionFacts &facts;
  int64_t rank;
  DeviceAttr me;
  OpBuilder builder;
  /// Index of the current transition site: the same on every rank.
  int64_t site = 0;
  llvm::DenseMap<std::pair<Value, int64_t>, Value> local;
  /// (value, replica, target devices, target states) -> moved value.
  llvm::DenseMap<std::tuple<void *, int64_t, Attribute, Attribute>, Value>
      transitions;
};


} // namespace mlir::hetu::partition

#endif // HETU_LIB_DIALECT_HETU_TRANSFORMS_PARTITION_H
