//===- PipelineSchedule.cpp - hetu-pipeline-schedule ----------------------===//
//
// Micro-batching and pipeline schedules (GPipe, 1F1B) on the placed,
// un-partitioned training step: the forward and backward work is cloned per
// micro-batch on the micro-batch's shapes, the values leaving it are summed,
// and the clones are ordered by the schedule. Since every rank's program is
// the projection of this one order, partitioning stays deadlock-free.
//
//===----------------------------------------------------------------------===//

#include "PipelineSchedule.h"

#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/Transforms/Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

#include <map>

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUPIPELINESCHEDULE
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;
using namespace mlir::hetu::schedule;

GroupAttr Scheduler::groupOfValue(Value v) {
  if (Operation *def = v.getDefiningOp())
    return groupOf(def);
  return defaultGroup;
}

GroupAttr Scheduler::groupOf(Operation *op) {
  if (auto dispatch = dyn_cast<DispatchOp>(op)) {
    if (GroupAttr on = dispatch.getGroupAttr())
      return on;
    for (Operation *user : dispatch->getUsers())
      if (Placement p = resolvePlacement(user))
        return p.group;
    return defaultGroup;
  }
  if (auto grad = dyn_cast<DispatchGradientOp>(op))
    return groupOfValue(grad.getForward());
  Placement p = resolvePlacement(op);
  return p ? p.group : defaultGroup;
}

LogicalResult Scheduler::classify() {
  if (!func.getBody().hasOneBlock())
    return func.emitError()
           << "hetu-pipeline-schedule handles functions with one block";
  llvm::DenseSet<int64_t> updated;
  for (unsigned j = 0; j < func.getNumResults(); ++j)
    if (auto a = func.getResultAttrOfType<IntegerAttr>(
            j, HetuDialect::kUpdatesAttrName))
      updated.insert(a.getInt());
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.getRank() == 0 || isTrainable(arg) ||
        updated.contains(arg.getArgNumber()))
      continue;
    int64_t batch = type.getDimSize(0);
    if (ShapedType::isDynamic(batch) || batch % micro != 0)
      return func.emitError()
             << "hetu-pipeline-schedule: data argument #" << arg.getArgNumber()
             << " has a batch of " << batch << ", which " << micro
             << " micro-batches do not divide";
    dataArgs.insert(arg);
  }
  if (dataArgs.empty())
    return func.emitError() << "hetu-pipeline-schedule: @" << func.getSymName()
                            << " has no data argument (not hetu.trainable, "
                               "not updated) to split into micro-batches";

  // In program order: an op that uses a value still carrying the batch
  // (data, or work on it whose shape the micro-batch changes) is cloned per
  // micro-batch; an op that uses only values the batch was summed out of
  // (a gradient, a loss) runs once, after the sums, like the optimizer.
  auto isData = [&](Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    return arg && dataArgs.contains(arg);
  };
  auto carries = [&](Value v) {
    if (isData(v))
      return true;
    auto it = microType.find(v);
    return it != microType.end() && it->second != v.getType();
  };
  auto typeOf = [&](Value v) -> Type {
    if (isData(v))
      return sliceType(cast<BlockArgument>(v));
    auto it = microType.find(v);
    return it != microType.end() ? it->second : v.getType();
  };
  llvm::DenseSet<Operation *> isPost;
  for (Operation &op : func.getBody().front().without_terminator()) {
    if (op.hasAttr(HetuDialect::kStatesAttrName))
      return op.emitError() << "has 'hetu.states': run hetu-pipeline-schedule "
                               "before hetu-infer-states";
    auto fromBody = [&](Value v) {
      Operation *def = v.getDefiningOp();
      return def && inBody.contains(def);
    };
    bool boundary = getOptimizerGradient(&op) ||
                    isa<SyncReplicasOp, PSPushOp, PSPullOp>(op);
    bool afterPost = llvm::any_of(op.getOperands(), [&](Value v) {
      Operation *def = v.getDefiningOp();
      return def && isPost.contains(def);
    });
    bool batched = llvm::any_of(op.getOperands(), carries);
    bool summed = llvm::any_of(op.getOperands(), [&](Value v) {
      return fromBody(v) && !carries(v);
    });
    if (batched && !boundary) {
      if (afterPost || summed) {
        Value used;
        for (Value v : op.getOperands())
          if (!carries(v) && (fromBody(v) || (v.getDefiningOp() &&
                                              isPost.contains(
                                                  v.getDefiningOp()))))
            used = v;
        InFlightDiagnostic diag =
            op.emitError()
            << "hetu-pipeline-schedule: uses a value computed from the whole "
               "batch (a batch statistic or an updated parameter) together "
               "with the batch's examples; micro-batches would change it";
        if (used && used.getDefiningOp())
          diag.attachNote(used.getDefiningOp()->getLoc())
              << "whole-batch value produced here";
        return diag;
      }
      if (op.getNumRegions() && !isa<linalg::LinalgOp>(op))
        return op.emitError() << "hetu-pipeline-schedule does not handle '"
                              << op.getName() << "' (control flow) yet";
      SmallVector<std::pair<Value, RankedTensorType>> resizes;
      FailureOr<SmallVector<Type>> types =
          microTypes(&op, typeOf, carries, resizes);
      if (failed(types))
        return failure();
      for (auto [result, type] : llvm::zip_equal(op.getResults(), *types))
        microType[result] = type;
      resizesOf[&op] = std::move(resizes);
      body.push_back(&op);
      inBody.insert(&op);
    } else if (boundary || afterPost || summed || batched) {
      isPost.insert(&op);
      post.push_back(&op);
    } else {
      prologue.push_back(&op);
    }
  }
  return success();
}

LogicalResult Scheduler::assignStages() {
  // The forward pass is what the returned scalars (the loss) are computed
  // from, short of dispatch_gradient; the rest of the work is the backward
  // pass.
  llvm::DenseSet<Operation *> forward;
  SmallVector<Operation *> worklist;
  Operation *ret = func.getBody().front().getTerminator();
  for (Value v : ret->getOperands())
    if (auto type = dyn_cast<RankedTensorType>(v.getType());
        type && type.getRank() == 0)
      if (Operation *def = v.getDefiningOp())
        worklist.push_back(def);
  llvm::DenseSet<Operation *> seen;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (isa<DispatchGradientOp>(op) || !seen.insert(op).second)
      continue;
    if (inBody.contains(op))
      forward.insert(op);
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp())
        worklist.push_back(def);
  }

  // Groups that share a device are one stage.
  SmallVector<llvm::DenseSet<Attribute>> components;
  SmallVector<int64_t> componentOf;
  llvm::DenseMap<Attribute, int64_t> groupComponent;
  auto find = [&](int64_t c) {
    while (componentOf[c] != c)
      c = componentOf[c];
    return c;
  };
  for (Operation *op : body) {
    GroupAttr group = groupOf(op);
    if (!group)
      return op->emitError() << "is not placed";
    if (groupComponent.count(group))
      continue;
    int64_t mine = components.size();
    components.emplace_back();
    componentOf.push_back(mine);
    for (const GroupAttr::Entry &entry : group.getEntries())
      for (DeviceAttr d : entry.devices)
        components[mine].insert(d);
    // Merge into the earliest overlapping component.
    for (int64_t c = 0; c < mine; ++c) {
      int64_t root = find(c);
      if (root == mine || !llvm::any_of(components[mine], [&](Attribute d) {
            return components[root].contains(d);
          }))
        continue;
      int64_t keep = std::min(root, find(mine)),
              drop = std::max(root, find(mine));
      components[keep].insert(components[drop].begin(), components[drop].end());
      componentOf[drop] = keep;
    }
    groupComponent[group] = mine;
  }
  auto componentOfOp = [&](Operation *op) {
    return find(groupComponent.lookup(groupOf(op)));
  };

  // Stages in the order the forward pass flows through them (a stage comes
  // after the stages it takes forward values from), ties by first use.
  SmallVector<int64_t> roots;
  for (Operation *op : body)
    if (!llvm::is_contained(roots, componentOfOp(op)))
      roots.push_back(componentOfOp(op));
  llvm::DenseMap<int64_t, llvm::SetVector<int64_t>> after;
  for (Operation *op : body) {
    if (!forward.contains(op))
      continue;
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp();
          def && forward.contains(def) &&
          componentOfOp(def) != componentOfOp(op))
        after[componentOfOp(op)].insert(componentOfOp(def));
  }
  SmallVector<int64_t> order;
  llvm::DenseSet<int64_t> placed;
  while (order.size() < roots.size()) {
    bool progress = false;
    for (int64_t c : roots) {
      if (placed.contains(c) ||
          llvm::any_of(after[c], [&](int64_t d) { return !placed.contains(d); }))
        continue;
      order.push_back(c);
      placed.insert(c);
      progress = true;
      break;
    }
    if (!progress)
      return func.emitError()
             << "hetu-pipeline-schedule: the forward pass goes back and forth "
                "between stages; it cannot be pipelined";
  }
  llvm::DenseMap<int64_t, int64_t> stageNumber;
  for (auto [i, c] : llvm::enumerate(order))
    stageNumber[c] = i;
  for (Operation *op : body)
    stageOf[op] = stageNumber.lookup(componentOfOp(op));
  numStages = order.size();
  if (numStages < 2)
    return func.emitError()
           << "hetu-pipeline-schedule: @" << func.getSymName()
           << " has no pipeline stages: all its forward and backward work runs "
              "on the devices of one group";

  // Without a returned scalar: an op is backward when it uses a value of a
  // later stage or of the backward pass.
  for (Operation *op : body) {
    bool backward = isa<DispatchGradientOp>(op);
    if (!forward.empty()) {
      backward = !forward.contains(op);
    } else {
      for (Value v : op->getOperands()) {
        Operation *def = v.getDefiningOp();
        if (def && inBody.contains(def) &&
            (stageOf[def] > stageOf[op] || phaseOf[def] == Phase::Backward))
          backward = true;
      }
    }
    phaseOf[op] = backward ? Phase::Backward : Phase::Forward;
  }
  return success();
}

void Scheduler::tag(Operation *op, const Task &task) {
  Builder b(op->getContext());
  op->setAttr(HetuDialect::kMicroBatchAttrName,
              b.getI64IntegerAttr(task.micro));
  op->setAttr(HetuDialect::kStageAttrName, b.getI64IntegerAttr(task.stage));
  op->setAttr(HetuDialect::kPhaseAttrName,
              PhaseKindAttr::get(op->getContext(), task.phase == Phase::Forward
                                                       ? PhaseKind::forward
                                                       : PhaseKind::backward));
}

FailureOr<Operation *> Scheduler::cloneFor(Operation *op, int64_t m,
                                           const Task &task) {
  IRMapping &mapping = mappings[m];
  // Operands on the micro-batch: slices of data, clones of earlier work.
  for (Value v : op->getOperands()) {
    if (auto arg = dyn_cast<BlockArgument>(v); arg && dataArgs.contains(arg)) {
      // A dispatch moves its operand from the argument's group (the
      // default); other ops use the slice where they run.
      GroupAttr where = isa<DispatchOp, DispatchGradientOp>(op)
                            ? defaultGroup
                            : groupOf(op);
      FailureOr<Value> s = slice(arg, m, where, task);
      if (failed(s))
        return failure();
      mapping.map(v, *s);
    } else if (Operation *def = v.getDefiningOp();
               def && inBody.contains(def) && !mapping.contains(v)) {
      // The schedule's order assumes forward values flow to later stages
      // and gradients to earlier ones; other data flow is not scheduled.
      InFlightDiagnostic diag =
          op->emitError() << "hetu-pipeline-schedule: the " << task.micro
                          << "th micro-batch's "
                          << (task.phase == Phase::Forward ? "forward"
                                                           : "backward")
                          << " work of stage " << task.stage
                          << " uses a value of the "
                          << (phaseOf[def] == Phase::Forward ? "forward"
                                                             : "backward")
                          << " work of stage " << stageOf[def]
                          << ", which the schedule runs later";
      diag.attachNote(def->getLoc()) << "value produced here";
      return diag;
    }
  }
  // Shapes were worked out once, when the op was classified.
  const auto &resizes = resizesOf[op];
  for (auto &[v, to] : resizes) {
    FailureOr<Value> resized = resize(v, to, op);
    if (failed(resized))
      return failure();
    mapping.map(v, *resized);
  }
  Operation *clone;
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    // Its output shape is an attribute: built anew for the micro-batch.
    auto type = cast<RankedTensorType>(microType.lookup(expand.getResult()));
    clone = tensor::ExpandShapeOp::create(
        builder, op->getLoc(), type, mapping.lookupOrDefault(expand.getSrc()),
        expand.getReassociationIndices());
    clone->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    mapping.map(op->getResults(), clone->getResults());
  } else {
    clone = builder.clone(*op, mapping);
    for (auto [result, copy] : llvm::zip_equal(op->getResults(),
                                               clone->getResults()))
      copy.setType(microType.lookup(result));
  }
  // A resized constant is this op's: another op may need another shape.
  for (auto &[v, to] : resizes)
    mapping.erase(v);
  tag(clone, task);
  return clone;
}

/// Values leaving the micro-batches are summed as they are produced.
LogicalResult Scheduler::accumulate(Operation *op, Operation *clone,
                                    int64_t m) {
  for (auto [result, copy] : llvm::zip(op->getResults(), clone->getResults())) {
    bool leaves = llvm::any_of(result.getUsers(), [&](Operation *user) {
      return !inBody.contains(user);
    });
    if (!leaves)
      continue;
    if (copy.getType() != result.getType())
      return op->emitError()
             << "hetu-pipeline-schedule: result #"
             << cast<OpResult>(result).getResultNumber()
             << " leaves the micro-batches but is per-example (type "
             << copy.getType() << " per micro-batch, " << result.getType()
             << " per batch); only sums over the batch (gradients, losses) "
                "may leave";
    if (m == 0) {
      sums[result] = copy;
      continue;
    }
    Value sum = sums[result];
    auto type = cast<RankedTensorType>(copy.getType());
    Operation *add =
        isa<FloatType>(type.getElementType())
            ? arith::AddFOp::create(builder, op->getLoc(), sum, copy)
                  .getOperation()
            : arith::AddIOp::create(builder, op->getLoc(), sum, copy)
                  .getOperation();
    add->setAttr(HetuDialect::kCtxAttrName, groupOf(op));
    for (StringRef name :
         {HetuDialect::kMicroBatchAttrName, HetuDialect::kStageAttrName,
          HetuDialect::kPhaseAttrName})
      add->setAttr(name, clone->getAttr(name));
    sums[result] = add->getResult(0);
  }
  return success();
}

LogicalResult Scheduler::run() {
  defaultGroup = getDefaultPlacement(func, /*includeSelf=*/true).group;
  if (failed(classify()) || failed(assignStages()))
    return failure();

  SmallVector<SmallVector<Operation *>> taskOps(numStages * 2);
  for (Operation *op : body)
    taskOps[stageOf[op] * 2 + (phaseOf[op] == Phase::Backward)].push_back(op);
  FailureOr<SmallVector<Task>> order = globalOrder(
      stageSequences(numStages, micro, oneFOneB), numStages, micro);
  if (failed(order))
    return func.emitError() << "hetu-pipeline-schedule: internal error: the "
                               "schedule has no feasible order";

  Operation *ret = func.getBody().front().getTerminator();
  for (Operation *op : prologue)
    op->moveBefore(ret);
  builder.setInsertionPoint(ret);
  mappings.resize(micro);
  for (const Task &task : *order) {
    // Within a task, the original program order.
    for (Operation *op :
         taskOps[task.stage * 2 + (task.phase == Phase::Backward)]) {
      FailureOr<Operation *> clone = cloneFor(op, task.micro, task);
      if (failed(clone) || failed(accumulate(op, *clone, task.micro)))
        return failure();
    }
  }
  for (Operation *op : post)
    op->moveBefore(ret);
  for (auto &[value, sum] : sums)
    value.replaceUsesWithIf(sum, [&](OpOperand &use) {
      return !inBody.contains(use.getOwner());
    });
  for (Operation *op : llvm::reverse(body))
    op->erase();
  // Batch-shaped constants and inits the clones replaced.
  for (Operation *op : llvm::reverse(prologue))
    if (isOpTriviallyDead(op))
      op->erase();
  return success();
}

namespace {
struct PipelineSchedulePass
    : public hetu::impl::HetuPipelineScheduleBase<PipelineSchedulePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (microBatches < 0) {
      module.emitError() << "hetu-pipeline-schedule: micro-batches must be "
                            "positive, got "
                         << static_cast<int64_t>(microBatches);
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp f : funcs) {
      if (f.isExternal() || !getDefaultPlacement(f, /*includeSelf=*/true))
        continue;
      int64_t m = microBatches;
      bool fromFunction = schedule == PipelineScheduleKind::function;
      if (!m) {
        auto attr =
            f->getAttrOfType<IntegerAttr>(HetuDialect::kMicroBatchesAttrName);
        if (!attr && !fromFunction) {
          f.emitError() << "hetu-pipeline-schedule: schedule="
                        << (schedule == PipelineScheduleKind::gpipe ? "gpipe"
                                                                    : "1f1b")
                        << " needs micro-batches (the option, or "
                           "hetu.micro_batches on @"
                        << f.getSymName() << ")";
          return signalPassFailure();
        }
        if (!attr)
          continue;
        m = attr.getInt();
      }
      bool oneFOneB = schedule == PipelineScheduleKind::oneFOneB;
      if (fromFunction) {
        auto attr =
            f->getAttrOfType<ScheduleKindAttr>(HetuDialect::kScheduleAttrName);
        oneFOneB = attr && attr.getValue() == ScheduleKind::oneFOneB;
      }
      // One micro-batch is the step itself.
      if (m > 1 && failed(Scheduler(f, m, oneFOneB).run()))
        return signalPassFailure();
      f->removeAttr(HetuDialect::kMicroBatchesAttrName);
      f->removeAttr(HetuDialect::kScheduleAttrName);
    }
  }
};
} // namespace
