//===- MicroBatching.cpp - Micro-batch types for hetu-pipeline-schedule ---===//
//
// What an op becomes on one micro-batch: data arguments sliced along the
// batch, operands that do not carry the batch resized where the op needs
// them so, and each op's result types derived from its operands'.
//
//===----------------------------------------------------------------------===//

#include "PipelineSchedule.h"

#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::hetu;
using namespace mlir::hetu::schedule;

/// Micro-batch `m` of a data argument, sliced on the group that uses it:
/// the argument moves there once, and each stage slices its own.
FailureOr<Value> Scheduler::slice(BlockArgument arg, int64_t m,
                                  GroupAttr group, const Task &task) {
  auto key = std::make_tuple(arg.getAsOpaquePointer(), m,
                             group.getAsOpaquePointer());
  if (Value found = slices[key])
    return found;
  auto type = cast<RankedTensorType>(arg.getType());
  SmallVector<int64_t> sizes(type.getShape()), offsets(type.getRank(), 0),
      strides(type.getRank(), 1);
  sizes[0] /= micro;
  offsets[0] = m * sizes[0];
  MLIRContext *ctx = func.getContext();
  auto op = tensor::ExtractSliceOp::create(
      builder, arg.getLoc(), type.clone(sizes), arg,
      getAsIndexOpFoldResult(ctx, offsets), getAsIndexOpFoldResult(ctx, sizes),
      getAsIndexOpFoldResult(ctx, strides));
  op->setAttr(HetuDialect::kCtxAttrName, group);
  tag(op, task);
  slices[key] = op.getResult();
  return op.getResult();
}

/// A value that does not depend on the batch, recreated in the micro-batch's
/// shape: splat constants, empty tensors and fills of them.
FailureOr<Value> Scheduler::resize(Value v, RankedTensorType to,
                                   Operation *user) {
  Operation *def = v.getDefiningOp();
  auto copyPlacement = [&](Operation *copy) {
    if (def)
      if (Attribute ctx = def->getAttr(HetuDialect::kCtxAttrName))
        copy->setAttr(HetuDialect::kCtxAttrName, ctx);
    return copy;
  };
  if (auto constant = dyn_cast_or_null<arith::ConstantOp>(def)) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (dense && dense.isSplat())
      return copyPlacement(
                 arith::ConstantOp::create(builder, def->getLoc(),
                                           dense.resizeSplat(to)))
          ->getResult(0);
  }
  if (isa_and_nonnull<tensor::EmptyOp>(def))
    return copyPlacement(tensor::EmptyOp::create(builder, def->getLoc(),
                                                 to.getShape(),
                                                 to.getElementType()))
        ->getResult(0);
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(def)) {
    FailureOr<Value> init =
        resize(fill.getDpsInitOperand(0)->get(), to, user);
    if (failed(init))
      return failure();
    return copyPlacement(linalg::FillOp::create(builder, def->getLoc(),
                                                fill.getInputs()[0], *init))
        ->getResult(0);
  }
  // Other work that does not depend on the data (the gradient of a mean is
  // a broadcast constant) is redone in the micro-batch's shape.
  if (def && !inBody.contains(def) && def->getNumResults() == 1) {
    IRMapping remap;
    auto redo = [&](Value operand, RankedTensorType type) -> LogicalResult {
      FailureOr<Value> r = resize(operand, type, user);
      if (failed(r))
        return failure();
      remap.map(operand, *r);
      return success();
    };
    bool handled = false;
    if (def->hasTrait<OpTrait::Elementwise>() && def->getNumRegions() == 0) {
      handled = true;
      for (Value operand : def->getOperands())
        if (auto type = dyn_cast<RankedTensorType>(operand.getType());
            type && type.getShape() == cast<ShapedType>(v.getType()).getShape())
          if (failed(redo(operand, type.clone(to.getShape()))))
            return failure();
    } else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(def);
               linalgOp && linalgOp.getNumDpsInits() == 1) {
      handled = true;
      Value init = linalgOp.getDpsInits()[0];
      SmallVector<std::pair<Value, RankedTensorType>> resizes;
      auto typeOf = [&](Value x) -> Type {
        return x == init ? Type(to) : x.getType();
      };
      auto isInit = [&](Value x) { return x == init; };
      if (failed(microTypes(def, typeOf, isInit, resizes)))
        return failure();
      resizes.push_back({init, to});
      for (auto &[x, type] : resizes)
        if (failed(redo(x, type)))
          return failure();
    }
    if (handled) {
      Operation *copy = builder.clone(*def, remap);
      copy->getResult(0).setType(to);
      return copy->getResult(0);
    }
  }
  return user->emitError()
         << "hetu-pipeline-schedule: an operand of type " << v.getType()
         << " needs the micro-batch's type " << to
         << ", but it is neither a splat constant, a fill of an empty tensor "
            "nor work on them";
}

FailureOr<SmallVector<Type>> Scheduler::microTypes(
    Operation *op, function_ref<Type(Value)> typeOf,
    function_ref<bool(Value)> batched,
    SmallVectorImpl<std::pair<Value, RankedTensorType>> &resizes) {
  SmallVector<Type> resultTypes;
  auto dataHint = [&](Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || !dataArgs.contains(arg))
      return std::string();
    return "; argument #" + std::to_string(arg.getArgNumber()) +
           " is data (neither hetu.trainable nor updated), so it is sliced "
           "along dimension 0: mark a weight hetu.trainable";
  };
  if (isa<DispatchOp, DispatchGradientOp>(op)) {
    resultTypes.push_back(typeOf(op->getOperand(0)));
  } else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    // Loop bounds from the batched operands first, then from the others;
    // operands that disagree with them are resized.
    SmallVector<AffineMap> maps = linalgOp.getIndexingMapsArray();
    SmallVector<std::optional<int64_t>> bounds(linalgOp.getNumLoops());
    SmallVector<Value> boundFrom(linalgOp.getNumLoops());
    for (bool fromBatched : {true, false})
      for (OpOperand &operand : op->getOpOperands()) {
        auto type = dyn_cast<RankedTensorType>(typeOf(operand.get()));
        if (!type || batched(operand.get()) != fromBatched)
          continue;
        AffineMap map = maps[operand.getOperandNumber()];
        for (auto [d, expr] : llvm::enumerate(map.getResults())) {
          auto dim = dyn_cast<AffineDimExpr>(expr);
          if (!dim)
            continue;
          std::optional<int64_t> &bound = bounds[dim.getPosition()];
          if (!bound) {
            bound = type.getDimSize(d);
            boundFrom[dim.getPosition()] = operand.get();
          } else if (fromBatched && *bound != type.getDimSize(d)) {
            std::string hint = dataHint(operand.get());
            if (hint.empty())
              hint = dataHint(boundFrom[dim.getPosition()]);
            return op->emitError()
                   << "hetu-pipeline-schedule: the micro-batch's operands "
                      "disagree on loop "
                   << dim.getPosition() << " (" << *bound << " vs "
                   << type.getDimSize(d) << ")" << hint;
          }
        }
      }
    for (OpOperand &operand : op->getOpOperands()) {
      Value v = operand.get();
      auto type = dyn_cast<RankedTensorType>(typeOf(v));
      if (!type)
        continue;
      SmallVector<int64_t> expected;
      for (AffineExpr expr : maps[operand.getOperandNumber()].getResults()) {
        auto dim = dyn_cast<AffineDimExpr>(expr);
        if (!dim || !bounds[dim.getPosition()])
          return op->emitError() << "hetu-pipeline-schedule handles linalg "
                                    "ops whose operands index loops directly";
        expected.push_back(*bounds[dim.getPosition()]);
      }
      if (type.getShape() == ArrayRef<int64_t>(expected))
        continue;
      if (batched(v))
        return op->emitError()
               << "hetu-pipeline-schedule: operand #"
               << operand.getOperandNumber() << " has the micro-batch type "
               << type << ", the loops need " << type.clone(expected)
               << dataHint(v);
      resizes.push_back({v, type.clone(expected)});
    }
    for (OpOperand &init : linalgOp.getDpsInitsMutable()) {
      Type type = typeOf(init.get());
      for (auto &[v, to] : resizes)
        if (v == init.get())
          type = to;
      resultTypes.push_back(type);
    }
  } else if (op->hasTrait<OpTrait::Elementwise>()) {
    RankedTensorType shape;
    for (Value v : op->getOperands())
      if (batched(v))
        if ((shape = dyn_cast<RankedTensorType>(typeOf(v))))
          break;
    if (!shape)
      return op->emitError() << "hetu-pipeline-schedule: no batched tensor "
                                "operand gives the micro-batch's shape";
    for (Value v : op->getOperands()) {
      auto type = dyn_cast<RankedTensorType>(typeOf(v));
      if (!type || type.getShape() == shape.getShape())
        continue;
      if (batched(v))
        return op->emitError()
               << "hetu-pipeline-schedule: elementwise operands of "
                  "micro-batch types "
               << shape << " and " << type;
      resizes.push_back({v, type.clone(shape.getShape())});
    }
    for (Type t : op->getResultTypes())
      resultTypes.push_back(cast<RankedTensorType>(t).clone(shape.getShape()));
  } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    // Each result dimension is the product of its group's.
    auto source = cast<RankedTensorType>(typeOf(collapse.getSrc()));
    SmallVector<int64_t> shape;
    for (const ReassociationIndices &group :
         collapse.getReassociationIndices()) {
      int64_t size = 1;
      for (int64_t d : group)
        size *= source.getDimSize(d);
      shape.push_back(size);
    }
    resultTypes.push_back(collapse.getResultType().clone(shape));
  } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    // A source dimension the micro-batch shrinks shrinks the outermost
    // dimension of its group.
    auto source = cast<RankedTensorType>(typeOf(expand.getSrc()));
    RankedTensorType whole = expand.getResultType();
    SmallVector<int64_t> shape(whole.getShape());
    for (auto [d, group] : llvm::enumerate(expand.getReassociationIndices())) {
      int64_t from = expand.getSrcType().getDimSize(d);
      int64_t to = source.getDimSize(d);
      if (from == to)
        continue;
      int64_t inner = from / whole.getDimSize(group.front());
      if (to % inner)
        return op->emitError()
               << "hetu-pipeline-schedule: a micro-batch of " << to
               << " rows does not fill whole groups of " << inner
               << " in dimension " << group.front() << " of the reshape";
      shape[group.front()] = to / inner;
    }
    resultTypes.push_back(whole.clone(shape));
  } else {
    return op->emitError() << "hetu-pipeline-schedule cannot micro-batch '"
                           << op->getName()
                           << "' (linalg, elementwise, reshape and dispatch "
                              "ops only)";
  }
  return resultTypes;
}
