//===- StatesRuleInterfaceImpl.cpp - States rules as external models ------===//
//
// StatesRuleOpInterface for the operations hetu-infer-states knows: every
// linalg structured op, tensor reshapes, and the hetu optimizer ops (attached
// here rather than declared in ODS, so that the dialect does not depend on
// the interface library).
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/Transforms/StatesRuleInterfaceImpl.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/IndexingMapOpInterface.h"

using namespace mlir;
using namespace mlir::hetu;

namespace {

/// Whether result `r` of a destination-style op is a sum over its reduced
/// loops (`out + something`, upstream's matchReduction with an addition as
/// the combiner), which partial copies can carry.
static bool isSumReduction(ArrayRef<BlockArgument> outs, unsigned r) {
  SmallVector<Operation *> combiners;
  return matchReduction(outs, r, combiners) && combiners.size() == 1 &&
         isa<arith::AddFOp, arith::AddIOp>(combiners.front());
}

/// Every linalg structured op, through upstream's interfaces: its indexing
/// maps (IndexingMapOpInterface) are the iteration space, its inits
/// (DestinationStyleOpInterface) tie results to operands, and its payload
/// says which loops may be split.
template <typename OpTy>
struct LinalgStatesRule
    : public StatesRuleOpInterface::ExternalModel<LinalgStatesRule<OpTy>,
                                                  OpTy> {
  LogicalResult inferStates(Operation *op, StatesRuleContext &ctx) const {
    auto dps = cast<DestinationStyleOpInterface>(op);
    auto indexing = cast<IndexingMapOpInterface>(op);
    if (!dps.hasPureTensorSemantics())
      return success();
    IterationSpace space;
    space.operandMaps = indexing.getIndexingMapsArray();
    space.numLoops =
        space.operandMaps.empty() ? 0 : space.operandMaps.front().getNumDims();
    space.unsplittable.assign(space.numLoops, false);
    Block &payload = op->getRegion(0).front();
    // A payload that reads its loop indices would see local indices.
    payload.walk([&](linalg::IndexOp index) {
      if (index.getDim() < space.numLoops)
        space.unsplittable[index.getDim()] = true;
    });
    ArrayRef<BlockArgument> outs =
        payload.getArguments().take_back(dps.getNumDpsInits());
    for (auto [r, init] : llvm::enumerate(dps.getDpsInitsMutable())) {
      AffineMap map = indexing.getMatchingIndexingMap(&init);
      space.resultMaps.push_back(map);
      space.tiedOperand.push_back(init.getOperandNumber());
      if (isSumReduction(outs, r))
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

/// Adam and AdamW: elementwise over the parameter's loops (parameter,
/// gradient and both moments); the step count (0-d) is read whole by every
/// device.
template <typename OpTy>
struct AdamStatesRule
    : public StatesRuleOpInterface::ExternalModel<AdamStatesRule<OpTy>, OpTy> {
  LogicalResult inferStates(Operation *op, StatesRuleContext &ctx) const {
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    IterationSpace space;
    space.numLoops = type.getRank();
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(space.numLoops, op->getContext());
    space.operandMaps.assign(4, identity);
    space.operandMaps.push_back(
        AffineMap::get(space.numLoops, 0, {}, op->getContext()));
    space.resultMaps.assign(3, identity);
    space.tiedOperand.assign(3, -1);
    return inferIterationSpaceStates(space, ctx);
  }
};

} // namespace

void mlir::hetu::registerStatesRuleInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, HetuDialect *) {
    AdamOp::attachInterface<AdamStatesRule<AdamOp>>(*context);
    AdamWOp::attachInterface<AdamStatesRule<AdamWOp>>(*context);
  });
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
