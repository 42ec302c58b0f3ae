//===- InferStates.cpp - hetu-infer-states --------------------------------===//
//
// Hetu HEAD's infer_states on the IR: the distributed states of every value
// of every placed op, propagated forward from the sources (function
// arguments, dispatch targets, dispatch_gradient) and backward to values
// whose states only their users determine (inits, rematerialised ops), until
// nothing changes.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/GroupCache.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/Transforms/StatesRules.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

#include <deque>

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUINFERSTATES
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

/// Ops whose regions are visited (control flow); the regions of other ops
/// (linalg payloads) are not.
static bool isControlFlow(Operation *op) {
  return isa<RegionBranchOpInterface>(op);
}

namespace {

class StatesInference {
public:
  explicit StatesInference(FunctionOpInterface func) : func(func) {}

  LogicalResult run();

private:
  void rematerialise();
  LogicalResult assignFrames();
  LogicalResult process(Operation *op);
  LogicalResult processRule(Operation *op);
  LogicalResult processFor(scf::ForOp forOp);
  LogicalResult processReturn(Operation *op);
  LogicalResult checkDispatchUsers(DispatchOp dispatch);

  /// The states `v` arrives in at an op running on workers of `numDevices`
  /// devices; null if unknown.
  FailureOr<StatesAttr> view(Value v, int64_t numDevices, Operation *user);
  /// Records the states of `v` if unknown; queues the ops that depend on it.
  void learn(Value v, StatesAttr states);
  /// Learns `states` for an operand of `user` when they are unknown and in
  /// the same frame.
  void learnBackward(Value v, StatesAttr states, int64_t numDevices);
  void noteProducer(InFlightDiagnostic &diag, Value v);
  void annotate();

  /// Devices per worker of a placement group (1 for single devices and for
  /// server-only groups).
  int64_t devicesPerWorker(GroupAttr group) {
    return std::max<int64_t>(1, groups.devicesPerWorker(group));
  }

  FunctionOpInterface func;
  GroupCache groups;
  /// Devices per worker of each distributed op, and of each value's producer.
  llvm::DenseMap<Operation *, int64_t> opDevices;
  llvm::DenseMap<Value, int64_t> valueDevices;
  llvm::DenseMap<Value, StatesAttr> states;
  /// Ops placed on parameter servers alone (the `ps` strategy's optimizer):
  /// they see every operand whole.
  llvm::DenseSet<Operation *> serverOps;
  /// Ops to (re)visit, first in program order, then as states get known.
  struct Worklist {
    std::deque<Operation *> queue;
    llvm::DenseSet<Operation *> queued;
    void insert(Operation *op) {
      if (queued.insert(op).second)
        queue.push_back(op);
    }
    bool empty() const { return queue.empty(); }
    Operation *pop() {
      Operation *op = queue.front();
      queue.pop_front();
      queued.erase(op);
      return op;
    }
  } worklist;
  SmallVector<Operation *> ops;
  llvm::DenseMap<Operation *, unsigned> opIndex;
  int64_t defaultDevices = 1;
};

} // namespace

void StatesInference::rematerialise() {
  // Operand-less ops without a placement are recomputed where they are used:
  // give each user its own copy, so that each copy gets its user's states.
  SmallVector<Operation *> candidates;
  func.getFunctionBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (resolvePlacement(op).kind == PlacementKind::Rematerialized)
      candidates.push_back(op);
    return op->getNumRegions() && !isControlFlow(op) ? WalkResult::skip()
                                                     : WalkResult::advance();
  });
  OpBuilder builder(func.getContext());
  for (Operation *op : candidates) {
    // Uses grouped by user, in one pass over the use lists (an op used by
    // thousands of others is copied thousands of times: keep it linear).
    llvm::MapVector<Operation *, SmallVector<OpOperand *>> byUser;
    for (OpResult result : op->getResults())
      for (OpOperand &use : result.getUses())
        byUser[use.getOwner()].push_back(&use);
    if (byUser.size() < 2)
      continue;
    for (auto &[user, uses] : llvm::drop_begin(byUser)) {
      builder.setInsertionPoint(op);
      Operation *copy = builder.clone(*op);
      for (OpOperand *use : uses)
        use->set(copy->getResult(cast<OpResult>(use->get()).getResultNumber()));
    }
  }
}

LogicalResult StatesInference::assignFrames() {
  Placement def = getDefaultPlacement(func, /*includeSelf=*/true);
  defaultDevices = def ? devicesPerWorker(def.group) : 1;
  for (BlockArgument arg : func.getArguments()) {
    valueDevices[arg] = defaultDevices;
    states[arg] = replicatedStates(arg.getType(), defaultDevices);
  }

  // Program order: producers before users within a block.
  func.getFunctionBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
    opIndex[op] = ops.size();
    ops.push_back(op);
    return op->getNumRegions() && !isControlFlow(op) ? WalkResult::skip()
                                                     : WalkResult::advance();
  });

  for (Operation *op : ops) {
    int64_t devices;
    if (auto dispatch = dyn_cast<DispatchOp>(op)) {
      devices = dispatch.getStates().getNumDevices();
      states[dispatch.getResult()] = dispatch.getStates();
    } else if (auto grad = dyn_cast<DispatchGradientOp>(op)) {
      auto it = valueDevices.find(grad.getForward());
      devices = it == valueDevices.end() ? defaultDevices : it->second;
    } else {
      Placement placement = resolvePlacement(op);
      if (placement.kind == PlacementKind::Rematerialized) {
        Operation *user = op->use_empty() ? nullptr : *op->user_begin();
        auto it = user ? opDevices.find(user) : opDevices.end();
        // Users come later in program order: resolve their placement.
        Placement userPlacement = user ? resolvePlacement(user) : Placement{};
        devices = userPlacement ? devicesPerWorker(userPlacement.group)
                  : it != opDevices.end() ? it->second
                                          : defaultDevices;
      } else if (placement) {
        devices = devicesPerWorker(placement.group);
        if (placement.group.getNumWorkers() == 0)
          serverOps.insert(op);
      } else {
        devices = defaultDevices;
      }
    }
    opDevices[op] = devices;
    for (Value result : op->getResults()) {
      // A push's result is the combined gradient on one server.
      valueDevices[result] = isa<PSPushOp>(op) ? 1 : devices;
      if (!isa<RankedTensorType>(result.getType()))
        states[result] = replicatedStates(result.getType(), devices);
    }
    for (Region &region : op->getRegions())
      if (isControlFlow(op))
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments()) {
            valueDevices[arg] = devices;
            if (!isa<RankedTensorType>(arg.getType()))
              states[arg] = replicatedStates(arg.getType(), devices);
          }
  }
  for (Operation *op : ops)
    if (auto dispatch = dyn_cast<DispatchOp>(op))
      if (failed(checkDispatchUsers(dispatch)))
        return failure();
  return success();
}

/// Without `on`, a dispatch targets its users' group, which must agree.
LogicalResult StatesInference::checkDispatchUsers(DispatchOp dispatch) {
  if (dispatch.getGroupAttr())
    return success();
  GroupAttr first;
  Operation *firstUser = nullptr;
  // Users in program order, so that diagnostics read top to bottom.
  SmallVector<Operation *> users(dispatch->getUsers());
  llvm::sort(users, [&](Operation *a, Operation *b) {
    return opIndex.lookup(a) < opIndex.lookup(b);
  });
  for (Operation *user : users) {
    Placement placement = resolvePlacement(user);
    if (!placement)
      continue;
    if (!first) {
      first = placement.group;
      firstUser = user;
      continue;
    }
    if (placement.group != first) {
      InFlightDiagnostic diag =
          dispatch.emitOpError()
          << "has no 'on' group and its users run on different groups: \""
          << first.str() << "\" and \"" << placement.group.str() << "\"";
      diag.attachNote(firstUser->getLoc()) << "user here";
      diag.attachNote(user->getLoc()) << "user here";
      return diag;
    }
  }
  return success();
}

void StatesInference::noteProducer(InFlightDiagnostic &diag, Value v) {
  if (Operation *def = v.getDefiningOp()) {
    diag.attachNote(def->getLoc()) << "operand produced here";
    return;
  }
  auto arg = cast<BlockArgument>(v);
  diag.attachNote(arg.getLoc())
      << "operand is block argument #" << arg.getArgNumber();
}

FailureOr<StatesAttr> StatesInference::view(Value v, int64_t numDevices,
                                            Operation *user) {
  if (serverOps.contains(user))
    return replicatedStates(v.getType(), 1);
  StatesAttr s = states.lookup(v);
  if (!s)
    return StatesAttr();
  int64_t from = valueDevices.lookup(v);
  if (auto dispatch = v.getDefiningOp<DispatchOp>()) {
    if (s.getNumDevices() == numDevices)
      return s;
    InFlightDiagnostic diag = user->emitError()
                              << "uses a hetu.dispatch to " << s << " ("
                              << s.getNumDevices()
                              << " devices per worker) but runs on workers of "
                              << numDevices << " devices";
    diag.attachNote(dispatch.getLoc()) << "dispatch here";
    return diag;
  }
  if (from == numDevices)
    return s;
  if (from == 1)
    return replicatedStates(v.getType(), numDevices);
  InFlightDiagnostic diag = user->emitError()
                            << "uses a value produced on workers of " << from
                            << " devices, but runs on workers of " << numDevices
                            << " devices; insert a hetu.dispatch";
  noteProducer(diag, v);
  return diag;
}

void StatesInference::learn(Value v, StatesAttr s) {
  StatesAttr &slot = states[v];
  if (slot)
    return;
  slot = s;
  for (Operation *user : v.getUsers())
    worklist.insert(user);
  if (Operation *def = v.getDefiningOp())
    worklist.insert(def);
  else if (Operation *owner = v.getParentBlock()->getParentOp();
           owner && owner != func.getOperation())
    worklist.insert(owner);
}

void StatesInference::learnBackward(Value v, StatesAttr s, int64_t numDevices) {
  if (!s || states.lookup(v) || valueDevices.lookup(v) != numDevices)
    return;
  // A user that accumulates partial sums into `v` (the init of a split
  // reduction) needs one copy to hold `v` and the others the identity: that
  // is a transition of a whole `v`, which its producer computes as usual.
  learn(v, foldPartial(s));
}

LogicalResult StatesInference::processReturn(Operation *op) {
  // Results are returned on the default placement, replicated; other states
  // are a transition hetu-partition inserts.
  for (Value v : op->getOperands())
    learnBackward(v, replicatedStates(v.getType(), defaultDevices),
                  defaultDevices);
  return success();
}

LogicalResult StatesInference::processFor(scf::ForOp forOp) {
  int64_t devices = opDevices.lookup(forOp);
  auto yield = cast<scf::YieldOp>(forOp.getBody()->getTerminator());
  for (auto [i, init, iterArg, yielded, result] :
       llvm::enumerate(forOp.getInitArgs(), forOp.getRegionIterArgs(),
                       yield.getOperands(), forOp.getResults())) {
    if (!isa<RankedTensorType>(result.getType()))
      continue;
    FailureOr<StatesAttr> in = view(init, devices, forOp);
    FailureOr<StatesAttr> out = view(yielded, devices, yield);
    if (failed(in) || failed(out))
      return failure();
    StatesAttr known = *in ? *in : states.lookup(iterArg);
    if (!known)
      known = *out ? *out : states.lookup(result);
    if (!known)
      continue;
    for (StatesAttr other :
         {*in, states.lookup(iterArg), *out, states.lookup(result)}) {
      if (!other || other == known)
        continue;
      InFlightDiagnostic diag =
          forOp.emitError()
          << "loop-carried value #" << i
          << " changes distributed states across iterations: " << known
          << " vs " << other << "; dispatch it inside the loop";
      noteProducer(diag, yielded);
      return diag;
    }
    learn(iterArg, known);
    learn(result, known);
    learnBackward(init, known, devices);
    learnBackward(yielded, known, devices);
  }
  return success();
}

LogicalResult StatesInference::processRule(Operation *op) {
  int64_t devices = opDevices.lookup(op);
  StatesRuleContext ctx;
  ctx.numDevices = devices;
  for (Value operand : op->getOperands()) {
    FailureOr<StatesAttr> s = view(operand, devices, op);
    if (failed(s))
      return failure();
    ctx.operands.push_back(*s);
  }
  for (Value result : op->getResults())
    ctx.results.push_back(states.lookup(result));
  auto emitError = [&]() { return op->emitError(); };
  auto noteOperand = [&](InFlightDiagnostic &diag, unsigned i) {
    noteProducer(diag, op->getOperand(i));
  };
  ctx.emitError = emitError;
  ctx.noteOperand = noteOperand;

  if (failed(applyStatesRule(op, ctx)))
    return failure();

  for (auto [result, s] : llvm::zip(op->getResults(), ctx.results))
    if (s)
      learn(result, s);
  for (auto [operand, s] : llvm::zip(op->getOperands(), ctx.operands))
    learnBackward(operand, s, devices);
  return success();
}

LogicalResult StatesInference::process(Operation *op) {
  if (isa<DispatchOp>(op))
    return success();
  if (auto grad = dyn_cast<DispatchGradientOp>(op)) {
    // A gradient is never a partial sum: the gradient of a value held as
    // partial copies is the same on every copy (Hetu's remove_partial).
    if (StatesAttr forward = states.lookup(grad.getForward()))
      learn(grad.getResult(), foldPartial(forward));
    return success();
  }
  if (auto push = dyn_cast<PSPushOp>(op)) {
    // Workers push their gradient in whatever states it has.
    learn(push.getResult(), replicatedStates(push.getType(), 1));
    return success();
  }
  if (auto forOp = dyn_cast<scf::ForOp>(op))
    return processFor(forOp);
  if (auto yield = dyn_cast<scf::YieldOp>(op)) {
    if (auto forOp = dyn_cast<scf::ForOp>(yield->getParentOp()))
      worklist.insert(forOp);
    return success();
  }
  if (op->hasTrait<OpTrait::ReturnLike>() &&
      op->getParentOp() == func.getOperation())
    return processReturn(op);
  if (op->hasTrait<OpTrait::IsTerminator>())
    return success();
  return processRule(op);
}

void StatesInference::annotate() {
  Builder b(func.getContext());
  for (Operation *op : ops) {
    if (op->getNumResults() == 0)
      continue;
    SmallVector<Attribute> attrs;
    for (Value result : op->getResults()) {
      StatesAttr s = states.lookup(result);
      attrs.push_back(s ? s
                        : replicatedStates(result.getType(),
                                           opDevices.lookup(op)));
    }
    op->setAttr(HetuDialect::kStatesAttrName, b.getArrayAttr(attrs));
  }
}

LogicalResult StatesInference::run() {
  if (func.isExternal())
    return success();
  rematerialise();
  if (failed(assignFrames()))
    return failure();
  for (Operation *op : ops)
    worklist.insert(op);
  // Each value's states go from unknown to known once, so this terminates.
  while (!worklist.empty()) {
    Operation *op = worklist.pop();
    if (!opDevices.count(op))
      continue;
    if (failed(process(op)))
      return failure();
  }
  annotate();
  return success();
}

namespace {
struct InferStatesPass
    : public hetu::impl::HetuInferStatesBase<InferStatesPass> {
  void runOnOperation() override {
    bool failedAny = false;
    getOperation()->walk([&](FunctionOpInterface func) {
      // Only functions with a placement take part.
      bool placed =
          static_cast<bool>(getDefaultPlacement(func, /*includeSelf=*/true));
      func.getFunctionBody().walk([&](Operation *op) {
        placed |= static_cast<bool>(getExplicitPlacement(op));
      });
      if (placed && failed(StatesInference(func).run()))
        failedAny = true;
    });
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
