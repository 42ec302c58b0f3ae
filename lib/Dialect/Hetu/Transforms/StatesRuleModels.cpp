//===- StatesRuleModels.cpp - States rules of upstream ops ----------------===//

#include "hetu/Dialect/Hetu/Transforms/StatesRuleModels.h"
#include "hetu/Dialect/Hetu/IR/HetuInterfaces.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::hetu;

namespace {

/// Whether `yielded` is `out + something`: the result is a sum over its
/// reduced loops, which partial copies can carry.
static bool isAccumulatedByAddition(Value yielded, BlockArgument out) {
  Operation *def = yielded.getDefiningOp();
  if (!isa_and_nonnull<arith::AddFOp, arith::AddIOp>(def))
    return false;
  return def->getOperand(0) == out || def->getOperand(1) == out;
}

/// Every linalg structured op: its indexing maps are the iteration space.
template <typename OpTy>
struct LinalgStatesRule
    : public StatesRuleOpInterface::ExternalModel<LinalgStatesRule<OpTy>,
                                                  OpTy> {
  LogicalResult inferStates(Operation *op, StatesRuleContext &ctx) const {
    auto linalgOp = cast<linalg::LinalgOp>(op);
    if (!linalgOp.hasPureTensorSemantics())
      return success();
    IterationSpace space;
    space.numLoops = linalgOp.getNumLoops();
    space.operandMaps = linalgOp.getIndexingMapsArray();
    space.unsplittable.assign(space.numLoops, false);
    // A payload that reads its loop indices would see local indices.
    linalgOp.getBlock()->walk([&](linalg::IndexOp index) {
      if (index.getDim() < space.numLoops)
        space.unsplittable[index.getDim()] = true;
    });
    Operation *yield = linalgOp.getBlock()->getTerminator();
    for (auto [r, init] : llvm::enumerate(linalgOp.getDpsInitsMutable())) {
      AffineMap map = linalgOp.getMatchingIndexingMap(&init);
      space.resultMaps.push_back(map);
      space.tiedOperand.push_back(init.getOperandNumber());
      if (isAccumulatedByAddition(yield->getOperand(r),
                                  linalgOp.getRegionOutputArgs()[r]))
        continue;
      for (unsigned l = 0; l < space.numLoops; ++l)
        if (!map.isFunctionOfDim(l))
          space.unsplittable[l] = true;
    }
    return inferIterationSpaceStates(space, ctx);
  }
};

template <typename... OpTys> void attachLinalgRules(MLIRContext *context) {
  (OpTys::template attachInterface<LinalgStatesRule<OpTys>>(*context), ...);
}

/// Reshapes keep a split only on the outermost dimension of each group of
/// fine dimensions (Hetu's Reshape keeps the batch dimension): block i of
/// that dimension is block i of the coarse dimension. Duplicate, partial and
/// order carry over.
FailureOr<StatesAttr> coarseToFine(StatesAttr coarse,
                                   ArrayRef<ReassociationIndices> groups,
                                   ArrayRef<int64_t> fineShape,
                                   StatesRuleContext &ctx, StringRef what) {
  SmallVector<int64_t> splits(fineShape.size(), 1);
  SmallVector<int64_t> order;
  for (int64_t entry : coarse.getOrderOrDefault()) {
    if (entry < 0) {
      order.push_back(entry);
      continue;
    }
    const ReassociationIndices &group = groups[entry];
    int64_t split = coarse.getSplits()[entry];
    int64_t outer = group.front();
    if (split > 1 && !ShapedType::isDynamic(fineShape[outer]) &&
        fineShape[outer] % split != 0)
      return static_cast<LogicalResult>(
          ctx.emitError() << what << " is split " << split
                          << " ways along dimension " << entry
                          << ", but its outermost dimension of size "
                          << fineShape[outer] << " is not divisible by "
                          << split);
    splits[outer] = split;
    order.append(group.begin(), group.end());
  }
  return StatesAttr::get(coarse.getContext(), splits, coarse.getDuplicate(),
                         coarse.getPartial(), order);
}

FailureOr<StatesAttr> fineToCoarse(StatesAttr fine,
                                   ArrayRef<ReassociationIndices> groups,
                                   StatesRuleContext &ctx, StringRef what) {
  SmallVector<int64_t> coarseOf(fine.getRank());
  SmallVector<int64_t> splits;
  for (auto [c, group] : llvm::enumerate(groups)) {
    for (int64_t d : group) {
      coarseOf[d] = c;
      if (d != group.front() && fine.getSplits()[d] != 1)
        return static_cast<LogicalResult>(
            ctx.emitError()
            << what << " " << fine << " is split along dimension " << d
            << ", which is merged into the dimension before it; only the "
               "outermost dimension of a reshaped group can be split");
    }
    splits.push_back(fine.getSplits()[group.front()]);
  }
  SmallVector<int64_t> order;
  for (int64_t entry : fine.getOrderOrDefault()) {
    if (entry < 0)
      order.push_back(entry);
    else if (groups[coarseOf[entry]].front() == entry)
      order.push_back(coarseOf[entry]);
  }
  return StatesAttr::get(fine.getContext(), splits, fine.getDuplicate(),
                         fine.getPartial(), order);
}

/// Operand 0 -> result 0 through a reshape; `collapse` says which side is
/// coarse.
LogicalResult inferReshapeStates(StatesRuleContext &ctx,
                                 ArrayRef<ReassociationIndices> groups,
                                 RankedTensorType source,
                                 RankedTensorType result, bool collapse) {
  StatesAttr in = ctx.operands[0], out = ctx.results[0];
  if (in && in.getNumDevices() != ctx.numDevices)
    return ctx.emitError() << "operand #0 has states " << in << " for "
                           << in.getNumDevices()
                           << " devices, but the operation runs on workers of "
                           << ctx.numDevices << " devices";
  if (in) {
    FailureOr<StatesAttr> mapped =
        collapse
            ? fineToCoarse(in, groups, ctx, "operand #0")
            : coarseToFine(in, groups, result.getShape(), ctx, "operand #0");
    if (failed(mapped))
      return failure();
    if (out && out != *mapped)
      return ctx.emitError()
             << "result #0 is needed in states " << out
             << " by its users, but its operand gives " << *mapped;
    ctx.results[0] = *mapped;
    return success();
  }
  if (!out)
    return success();
  FailureOr<StatesAttr> mapped =
      collapse ? coarseToFine(out, groups, source.getShape(), ctx, "result #0")
               : fineToCoarse(out, groups, ctx, "result #0");
  if (failed(mapped))
    return failure();
  ctx.operands[0] = *mapped;
  return success();
}

template <typename ReshapeOp>
struct ReshapeStatesRule
    : public StatesRuleOpInterface::ExternalModel<ReshapeStatesRule<ReshapeOp>,
                                                  ReshapeOp> {
  LogicalResult inferStates(Operation *op, StatesRuleContext &ctx) const {
    auto reshape = cast<ReshapeOp>(op);
    return inferReshapeStates(
        ctx, reshape.getReassociationIndices(), reshape.getSrcType(),
        reshape.getResultType(),
        /*collapse=*/std::is_same_v<ReshapeOp, tensor::CollapseShapeOp>);
  }
};

} // namespace

void mlir::hetu::registerStatesRuleModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, linalg::LinalgDialect *) {
    attachLinalgRules<
#define GET_OP_LIST
#include "mlir/Dialect/Linalg/IR/LinalgStructuredOps.cpp.inc"
        >(context);
  });
  registry.addExtension(+[](MLIRContext *context, tensor::TensorDialect *) {
    tensor::CollapseShapeOp::attachInterface<
        ReshapeStatesRule<tensor::CollapseShapeOp>>(*context);
    tensor::ExpandShapeOp::attachInterface<
        ReshapeStatesRule<tensor::ExpandShapeOp>>(*context);
  });
}
