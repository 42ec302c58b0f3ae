//===- Differentiator.cpp - hetu-autodiff's reverse mode ------------------===//
//
// The backward pass, op by op in reverse: each op's operands receive their
// adjoints' contributions, summed where a value is used several times and
// placed where the value lives.
//
//===----------------------------------------------------------------------===//

#include "Differentiator.h"

#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/Transforms/Derivatives.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::hetu;
using namespace mlir::hetu::autodiff;

Value Differentiator::zerosLike(Location loc, Type type) {
  auto tensor = cast<RankedTensorType>(type);
  Value empty = tensor::EmptyOp::create(b, loc, tensor.getShape(),
                                        tensor.getElementType());
  Value zero = floatConstant(b, loc, tensor.getElementType(), 0.0);
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// Where `value` lives, as an explicit group (null: the default placement):
/// its producer's `hetu.ctx`, or for a dispatch the group it dispatches to
/// (its `on` group, else its users' group).
static GroupAttr placementOf(Value value) {
  Operation *producer = value.getDefiningOp();
  if (!producer)
    return GroupAttr();
  if (auto dispatch = dyn_cast<DispatchOp>(producer)) {
    if (GroupAttr group = dispatch.getGroupAttr())
      return group;
    for (Operation *user : dispatch->getUsers())
      if (GroupAttr group = getExplicitPlacement(user))
        return group;
    return GroupAttr();
  }
  return getExplicitPlacement(producer);
}

void Differentiator::contribute(Value value, Value contribution,
                                bool placed) {
  if (!isVaried(value) || !contribution)
    return;
  GroupAttr saved = listener.ctx;
  // A value used on another group without a dispatch (an argument read on
  // a tuple, a pipeline edge) gets its gradient back in its own layout, as
  // a dispatch's operand does. Constants are rematerialised anywhere.
  GroupAttr home = placementOf(value);
  GroupAttr from = saved ? saved : defaultGroup;
  GroupAttr to = home ? home : defaultGroup;
  if (!placed && from && to && from != to &&
      !contribution.getDefiningOp<arith::ConstantOp>()) {
    listener.ctx = GroupAttr();
    contribution = DispatchGradientOp::create(
        b, contribution.getLoc(), contribution.getType(), contribution, value);
  }
  listener.ctx = home;
  auto it = adjoint.find(value);
  if (it == adjoint.end())
    adjoint[value] = contribution;
  else
    it->second = arith::AddFOp::create(b, value.getLoc(), it->second,
                                       contribution);
  listener.ctx = saved;
}

LogicalResult Differentiator::run(Value loss, ArrayRef<BlockArgument> params,
                                  SmallVectorImpl<Value> &grads) {
  Block &block = fn.getBody().front();
  Operation *terminator = block.getTerminator();
  SmallVector<Operation *> forward;
  for (Operation &op : block.without_terminator())
    forward.push_back(&op);

  for (BlockArgument p : params)
    varied.insert(p);
  for (Operation *op : forward)
    if (llvm::any_of(op->getOperands(),
                     [&](Value v) { return isVaried(v); }))
      for (Value r : op->getResults())
        if (isDifferentiableType(r.getType()))
          varied.insert(r);

  b.setInsertionPoint(terminator);
  if (isVaried(loss))
    adjoint[loss] = floatConstant(b, loss.getLoc(), loss.getType(), 1.0);

  for (Operation *op : llvm::reverse(forward)) {
    if (llvm::none_of(op->getResults(),
                      [&](Value r) { return adjoint.count(r); }))
      continue;
    if (hasZeroDerivative(op) ||
        llvm::none_of(op->getOperands(), [&](Value v) { return isVaried(v); }))
      continue;
    listener.ctx = getExplicitPlacement(op);
    b.setInsertionPoint(terminator);
    if (failed(differentiate(op)))
      return failure();
  }
  listener.ctx = GroupAttr();
  for (BlockArgument p : params)
    grads.push_back(adjoint.lookup(p));
  forwardOps.insert(forward.begin(), forward.end());
  return success();
}

/// Erases the dead ops of `block` (last first) except those in `keep`.
void mlir::hetu::autodiff::eraseDeadOps(Block &block,
                                        const DenseSet<Operation *> &keep) {
  SmallVector<Operation *> ops;
  for (Operation &op : block.without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (!keep.contains(op) && isOpTriviallyDead(op))
      op->erase();
}

InFlightDiagnostic mlir::hetu::autodiff::cannotDifferentiate(Operation *op) {
  return op->emitError() << "hetu-autodiff: cannot differentiate '"
                         << op->getName() << "'";
}

LogicalResult Differentiator::differentiate(Operation *op) {
  Location loc = op->getLoc();
  if (auto dispatch = dyn_cast<DispatchOp>(op)) {
    Value g = adjoint.lookup(dispatch.getResult());
    // A constant (the loss's seed) has no layout to send back: it is
    // rematerialised wherever it is used.
    if (g.getDefiningOp<arith::ConstantOp>()) {
      contribute(dispatch.getInput(), g, /*placed=*/true);
      return success();
    }
    contribute(dispatch.getInput(),
               DispatchGradientOp::create(b, loc, g.getType(), g,
                                          dispatch.getInput()),
               /*placed=*/true);
    return success();
  }
  if (isa<HetuDialect>(op->getDialect()))
    return cannotDifferentiate(op)
           << ": the function must be a forward pass (communication and "
              "updates are derived from it)";
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return differentiateLinalg(linalgOp);
  if (op->getNumResults() == 1 && hasElementwiseAdjoint(op)) {
    Value g = adjoint.lookup(op->getResult(0));
    return emitElementwiseAdjoint(b, op, g, [&](unsigned i, Value c) {
      contribute(op->getOperand(i), c);
    });
  }
  if (isa<tensor::TensorDialect>(op->getDialect()) && op->getNumResults() == 1)
    return differentiateTensorOp(op, adjoint.lookup(op->getResult(0)));
  return cannotDifferentiate(op);
}

LogicalResult Differentiator::differentiateLinalg(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return cannotDifferentiate(op) << ": it must work on tensors";
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation()))
    return differentiateGeneric(generic, op, op->getResults());
  if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
      !op.hasUserDefinedMaps() &&
      llvm::all_equal(llvm::map_range(op->getOperandTypes(),
                                      [](Type t) {
                                        return getElementTypeOrSelf(t);
                                      })))
    return differentiateMatmul(op);
  // A named op through its generic form, built beside it and dropped after.
  IRRewriter rewriter(b.getContext());
  rewriter.setInsertionPoint(b.getInsertionBlock(), b.getInsertionPoint());
  auto clone = cast<linalg::LinalgOp>(rewriter.clone(*op));
  FailureOr<linalg::GenericOp> generic =
      linalg::generalizeNamedOp(rewriter, clone);
  if (failed(generic)) {
    clone->erase();
    return cannotDifferentiate(op) << ": it has no generic form";
  }
  LogicalResult result = differentiateGeneric(*generic, op, op->getResults());
  generic->erase();
  return result;
}

/// A plain matmul or batch matmul: the adjoints are matmuls with a
/// transposed operand (what the generic rule computes, kept in the named
/// form that cuBLAS and CPU BLAS lowerings take).
LogicalResult Differentiator::differentiateMatmul(linalg::LinalgOp op) {
  Location loc = op.getLoc();
  bool batched = isa<linalg::BatchMatmulOp>(op);
  Value a = op.getDpsInputs()[0], bm = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  Value g = adjoint.lookup(op->getResult(0));
  auto transpose = [&](Value v) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> perm =
        batched ? SmallVector<int64_t>{0, 2, 1} : SmallVector<int64_t>{1, 0};
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(type.getDimSize(p));
    Value empty =
        tensor::EmptyOp::create(b, loc, shape, type.getElementType());
    return linalg::TransposeOp::create(b, loc, v, empty, perm)->getResult(0);
  };
  auto matmul = [&](Value x, Value y, Type type) -> Value {
    Value zeros = zerosLike(loc, type);
    if (batched)
      return linalg::BatchMatmulOp::create(b, loc, TypeRange{type},
                                           ValueRange{x, y}, ValueRange{zeros})
          ->getResult(0);
    return linalg::MatmulOp::create(b, loc, TypeRange{type}, ValueRange{x, y},
                                    ValueRange{zeros})
        ->getResult(0);
  };
  if (isVaried(a))
    contribute(a, matmul(g, transpose(bm), a.getType()));
  if (isVaried(bm))
    contribute(bm, matmul(transpose(a), g, bm.getType()));
  // The product is accumulated into the initial value.
  contribute(init, g);
  return success();
}

/// Static offsets, sizes and unit strides of the block of `whole` that
/// starts at `offsets` and has the shape of `part`.
static void sliceOf(OpBuilder &b, ArrayRef<int64_t> offsets,
                    ArrayRef<int64_t> shape,
                    SmallVectorImpl<OpFoldResult> &o,
                    SmallVectorImpl<OpFoldResult> &s,
                    SmallVectorImpl<OpFoldResult> &st) {
  for (auto [offset, size] : llvm::zip(offsets, shape)) {
    o.push_back(b.getIndexAttr(offset));
    s.push_back(b.getIndexAttr(size));
    st.push_back(b.getIndexAttr(1));
  }
}

LogicalResult Differentiator::differentiateTensorOp(Operation *op, Value g) {
  Location loc = op->getLoc();
  for (Value v : op->getOperands())
    if (auto t = dyn_cast<RankedTensorType>(v.getType());
        t && !t.hasStaticShape())
      return cannotDifferentiate(op) << ": its shapes must be static";
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    contribute(expand.getSrc(),
               tensor::CollapseShapeOp::create(b, loc, expand.getSrcType(), g,
                                               expand.getReassociationIndices()));
    return success();
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    contribute(collapse.getSrc(),
               tensor::ExpandShapeOp::create(
                   b, loc, collapse.getSrcType(), g,
                   collapse.getReassociationIndices()));
    return success();
  }
  if (auto extract = dyn_cast<tensor::ExtractSliceOp>(op)) {
    Value zeros = zerosLike(loc, extract.getSourceType());
    contribute(extract.getSource(),
               tensor::InsertSliceOp::create(
                   b, loc, g, zeros, extract.getMixedOffsets(),
                   extract.getMixedSizes(), extract.getMixedStrides()));
    return success();
  }
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
    if (isVaried(insert.getSource()))
      contribute(insert.getSource(),
                 tensor::ExtractSliceOp::create(
                     b, loc, insert.getSourceType(), g,
                     insert.getMixedOffsets(), insert.getMixedSizes(),
                     insert.getMixedStrides()));
    if (isVaried(insert.getDest()))
      contribute(insert.getDest(),
                 tensor::InsertSliceOp::create(
                     b, loc, zerosLike(loc, insert.getSourceType()), g,
                     insert.getMixedOffsets(), insert.getMixedSizes(),
                     insert.getMixedStrides()));
    return success();
  }
  if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
    int64_t dim = concat.getDim(), at = 0;
    for (Value input : concat.getInputs()) {
      auto type = cast<RankedTensorType>(input.getType());
      SmallVector<int64_t> offsets(type.getRank(), 0);
      offsets[dim] = at;
      at += type.getDimSize(dim);
      if (!isVaried(input))
        continue;
      SmallVector<OpFoldResult> o, s, st;
      sliceOf(b, offsets, type.getShape(), o, s, st);
      contribute(input,
                 tensor::ExtractSliceOp::create(b, loc, type, g, o, s, st));
    }
    return success();
  }
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    Value padding = pad.getConstantPaddingValue();
    if (!padding || isVaried(padding) || !pad.getLow().empty())
      return cannotDifferentiate(op)
             << ": it needs static low padding and a padding value that "
                "does not depend on a parameter";
    SmallVector<OpFoldResult> o, s, st;
    sliceOf(b, pad.getStaticLow(), pad.getSourceType().getShape(), o, s, st);
    contribute(pad.getSource(),
               tensor::ExtractSliceOp::create(b, loc, pad.getSourceType(), g,
                                              o, s, st));
    return success();
  }
  return cannotDifferentiate(op);
}
