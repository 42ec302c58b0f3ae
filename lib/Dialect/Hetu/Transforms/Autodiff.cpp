//===- Autodiff.cpp - hetu-autodiff ---------------------------------------===//
//
// Reverse-mode automatic differentiation of a placed forward loss function
// into its training step. The adjoint of a linalg op is derived from its
// indexing maps and the scalar derivative of its payload, so one rule covers
// every structured op; backward ops run where their forward op runs, and a
// dispatch's adjoint is a dispatch_gradient, so the step partitions like a
// hand-written one.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/Derivatives.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/Transforms/PlacingListener.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUAUTODIFF
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

namespace {

/// What a function is differentiated with: the pass options, overridden by
/// the function's `hetu.autodiff` entries.
struct AutodiffConfig {
  AutodiffOptimizer optimizer = AutodiffOptimizer::sgd;
  double lr = 0.01, momentum = 0.9, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
         weightDecay = 0.0;
};

/// How a reduction's payload folds one element into an output.
struct Combiner {
  enum Kind { Add, Max, Min } kind;
  /// The payload value combined with the accumulator.
  Value partial;
};

} // namespace

static void eraseDeadOps(Block &block, const DenseSet<Operation *> &keep);

namespace {
class Differentiator {
public:
  explicit Differentiator(func::FuncOp fn)
      : fn(fn), b(fn.getContext()),
        defaultGroup(getDefaultPlacement(fn, /*includeSelf=*/true).group) {
    b.setListener(&listener);
  }

  /// Appends the backward pass of `loss` before the function's return and
  /// gives the adjoint of each of `params` (null: the loss does not depend
  /// on it).
  LogicalResult run(Value loss, ArrayRef<BlockArgument> params,
                    SmallVectorImpl<Value> &grads);

  OpBuilder &builder() { return b; }
  /// Erases the backward ops nothing uses (contributions to operands that
  /// turned out not to need them); call once the step returns its results.
  void eraseUnusedBackward() {
    eraseDeadOps(fn.getBody().front(), forwardOps);
  }
  void placeOn(GroupAttr group) { listener.ctx = group; }
  Value zerosLike(Location loc, Type type);

private:
  LogicalResult differentiate(Operation *op);
  LogicalResult differentiateLinalg(linalg::LinalgOp op);
  LogicalResult differentiateMatmul(linalg::LinalgOp op);
  LogicalResult differentiateGeneric(linalg::GenericOp gen, Operation *forward,
                                     ValueRange results);
  FailureOr<Value> buildOperandAdjoint(linalg::GenericOp gen,
                                       Operation *forward, ValueRange results,
                                       ArrayRef<Value> dY,
                                       ArrayRef<std::optional<Combiner>> comb,
                                       unsigned target);
  LogicalResult differentiateTensorOp(Operation *op, Value g);
  linalg::GenericOp pruneUnusedInputs(linalg::GenericOp gen);

  /// Adds `contribution` (computed on the group being differentiated) to
  /// the adjoint of `value`, where `value` lives; `placed`: it is already
  /// in `value`'s layout (a dispatch_gradient).
  void contribute(Value value, Value contribution, bool placed = false);
  bool isVaried(Value v) const { return varied.contains(v); }

  func::FuncOp fn;
  OpBuilder b;
  /// The function's default placement (null if it has none).
  GroupAttr defaultGroup;
  PlacingListener listener;
  DenseMap<Value, Value> adjoint;
  /// Values that depend on a parameter (and so may carry a gradient).
  DenseSet<Value> varied;
  DenseSet<Operation *> forwardOps;
};

} // namespace

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
static void eraseDeadOps(Block &block, const DenseSet<Operation *> &keep) {
  SmallVector<Operation *> ops;
  for (Operation &op : block.without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (!keep.contains(op) && isOpTriviallyDead(op))
      op->erase();
}

static InFlightDiagnostic cannotDifferentiate(Operation *op) {
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

/// The combiner of output `j` of a reduction: the payload must fold the
/// accumulator into the yielded value once, with add, max or min.
static std::optional<Combiner> findCombiner(linalg::GenericOp gen,
                                            unsigned j) {
  Block &body = *gen.getBlock();
  Value acc = body.getArgument(gen.getNumDpsInputs() + j);
  Value yielded = body.getTerminator()->getOperand(j);
  Operation *c = yielded.getDefiningOp();
  if (!c || c->getBlock() != &body || c->getNumOperands() != 2 ||
      !acc.hasOneUse())
    return std::nullopt;
  Combiner::Kind kind;
  if (isa<arith::AddFOp>(c))
    kind = Combiner::Add;
  else if (isa<arith::MaximumFOp, arith::MaxNumFOp>(c))
    kind = Combiner::Max;
  else if (isa<arith::MinimumFOp, arith::MinNumFOp>(c))
    kind = Combiner::Min;
  else
    return std::nullopt;
  if (c->getOperand(0) == acc)
    return Combiner{kind, c->getOperand(1)};
  if (c->getOperand(1) == acc)
    return Combiner{kind, c->getOperand(0)};
  return std::nullopt;
}

LogicalResult Differentiator::differentiateGeneric(linalg::GenericOp gen,
                                                   Operation *forward,
                                                   ValueRange results) {
  for (auto [i, map] : llvm::enumerate(gen.getIndexingMapsArray()))
    if (!map.isProjectedPermutation())
      return cannotDifferentiate(forward)
             << ": indexing map #" << i << " (" << AffineMapAttr::get(map)
             << ") is not a projected permutation";
  unsigned numInputs = gen.getNumDpsInputs();
  unsigned numOutputs = gen.getNumDpsInits();
  bool reduction = gen.getNumReductionLoops() > 0;
  SmallVector<Value> dY;
  for (Value r : results)
    dY.push_back(adjoint.lookup(r));

  SmallVector<std::optional<Combiner>> comb(numOutputs);
  if (reduction)
    for (unsigned j = 0; j < numOutputs; ++j) {
      if (!dY[j])
        continue;
      comb[j] = findCombiner(gen, j);
      if (!comb[j])
        return cannotDifferentiate(forward)
               << ": the payload of a reduction must fold the accumulator of "
                  "each output once, with arith.addf, maximumf, minimumf, "
                  "maxnumf or minnumf";
    }

  // Operands that get an adjoint: every varied operand, but in a reduction
  // the outputs' initial values, which take their adjoint whole (below).
  unsigned numTargets = reduction ? numInputs : numInputs + numOutputs;
  for (unsigned t = 0; t < numTargets; ++t) {
    Value operand = gen->getOperand(t);
    if (!isVaried(operand))
      continue;
    if (!isa<RankedTensorType>(operand.getType()))
      return cannotDifferentiate(forward)
             << ": operand #" << t
             << " is a scalar that depends on a parameter";
    FailureOr<Value> grad =
        buildOperandAdjoint(gen, forward, results, dY, comb, t);
    if (failed(grad))
      return failure();
    contribute(operand, *grad);
  }
  if (!reduction)
    return success();
  Location loc = forward->getLoc();
  for (unsigned j = 0; j < numOutputs; ++j) {
    Value init = gen.getDpsInits()[j];
    if (!dY[j] || !isVaried(init))
      continue;
    if (comb[j]->kind == Combiner::Add) {
      contribute(init, dY[j]);
      continue;
    }
    // The initial value is the extremum where it equals the result.
    Value equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                        init, results[j]);
    contribute(init, arith::SelectOp::create(
                         b, loc, equal, dY[j],
                         floatConstant(b, loc, init.getType(), 0.0)));
  }
  return success();
}

FailureOr<Value> Differentiator::buildOperandAdjoint(
    linalg::GenericOp gen, Operation *forward, ValueRange results,
    ArrayRef<Value> dY, ArrayRef<std::optional<Combiner>> comb,
    unsigned target) {
  Location loc = forward->getLoc();
  unsigned numInputs = gen.getNumDpsInputs();
  unsigned numOutputs = gen.getNumDpsInits();
  unsigned numOperands = numInputs + numOutputs;
  SmallVector<AffineMap> maps = gen.getIndexingMapsArray();
  Block &body = *gen.getBlock();
  Operation *yield = body.getTerminator();
  bool reduction = gen.getNumReductionLoops() > 0;

  // Inputs of the adjoint's loop nest: the forward operands, the forward
  // results where an extremum is routed, and the results' adjoints, each
  // through its forward map.
  SmallVector<Value> ins(gen->getOperands().begin(),
                         gen->getOperands().begin() + numOperands);
  SmallVector<AffineMap> inMaps(maps.begin(), maps.begin() + numOperands);
  SmallVector<int> resultArg(numOutputs, -1), adjointArg(numOutputs, -1);
  for (unsigned j = 0; j < numOutputs; ++j)
    if (dY[j] && comb[j] && comb[j]->kind != Combiner::Add) {
      resultArg[j] = ins.size();
      ins.push_back(results[j]);
      inMaps.push_back(maps[numInputs + j]);
    }
  for (unsigned j = 0; j < numOutputs; ++j)
    if (dY[j]) {
      adjointArg[j] = ins.size();
      ins.push_back(dY[j]);
      inMaps.push_back(maps[numInputs + j]);
    }
  // The adjoint is written through the operand's map; loops it does not
  // index are summed over.
  AffineMap outMap = maps[target];
  SmallVector<utils::IteratorType> iterators;
  bool overwrite = true;
  for (unsigned d = 0, e = gen.getNumLoops(); d < e; ++d) {
    bool indexed = outMap.isFunctionOfDim(d);
    iterators.push_back(indexed ? utils::IteratorType::parallel
                                : utils::IteratorType::reduction);
    overwrite &= indexed;
  }
  Type type = gen->getOperand(target).getType();
  Value init = overwrite ? Value(tensor::EmptyOp::create(
                               b, loc, cast<RankedTensorType>(type).getShape(),
                               getElementTypeOrSelf(type)))
                         : zerosLike(loc, type);
  inMaps.push_back(outMap);

  Operation *unsupported = nullptr;
  auto buildBody = [&](OpBuilder &nb, Location bodyLoc, ValueRange args) {
    IRMapping m;
    for (unsigned k = 0; k < numOperands; ++k)
      m.map(body.getArgument(k), args[k]);
    for (Operation &op : body.without_terminator())
      nb.clone(op, m);
    DenseMap<Value, Value> badj;
    auto add = [&](Value v, Value c) {
      if (!isDifferentiableType(v.getType()))
        return;
      auto it = badj.find(v);
      if (it == badj.end())
        badj[v] = c;
      else
        it->second = arith::AddFOp::create(nb, bodyLoc, it->second, c);
    };
    for (unsigned j = 0; j < numOutputs; ++j) {
      if (!dY[j])
        continue;
      Value seed = args[adjointArg[j]];
      if (!reduction) {
        add(m.lookupOrDefault(yield->getOperand(j)), seed);
        continue;
      }
      Value partial = m.lookupOrDefault(comb[j]->partial);
      if (comb[j]->kind != Combiner::Add) {
        Value equal =
            arith::CmpFOp::create(nb, bodyLoc, arith::CmpFPredicate::OEQ,
                                  partial, args[resultArg[j]]);
        seed = arith::SelectOp::create(
            nb, bodyLoc, equal, seed,
            floatConstant(nb, bodyLoc, seed.getType(), 0.0));
      }
      add(partial, seed);
    }
    for (Operation &op : llvm::reverse(body.without_terminator())) {
      Operation *c = m.lookup(&op);
      if (c->getNumResults() != 1 || hasZeroDerivative(c))
        continue;
      Value g = badj.lookup(c->getResult(0));
      if (!g)
        continue;
      if (failed(emitElementwiseAdjoint(
              nb, c, g, [&](unsigned i, Value v) { add(c->getOperand(i), v); }))) {
        unsupported = &op;
        break;
      }
    }
    Value a = badj.lookup(args[target]);
    Type element = getElementTypeOrSelf(type);
    if (overwrite)
      linalg::YieldOp::create(
          nb, bodyLoc, a ? a : floatConstant(nb, bodyLoc, element, 0.0));
    else
      linalg::YieldOp::create(
          nb, bodyLoc,
          a ? Value(arith::AddFOp::create(nb, bodyLoc, args.back(), a))
            : args.back());
  };
  auto grad = linalg::GenericOp::create(b, loc, TypeRange{type}, ins,
                                        ValueRange{init}, inMaps, iterators,
                                        buildBody);
  if (unsupported) {
    cannotDifferentiate(unsupported).attachNote(forward->getLoc())
        << "in the payload of '" << forward->getName() << "'";
    return failure();
  }
  // The forward payload's values the adjoint does not need, then the
  // operands they read.
  eraseDeadOps(*grad.getBlock(), {});
  return pruneUnusedInputs(grad).getResult(0);
}

linalg::GenericOp Differentiator::pruneUnusedInputs(linalg::GenericOp gen) {
  Block &body = *gen.getBlock();
  unsigned numInputs = gen.getNumDpsInputs();
  SmallVector<AffineMap> maps = gen.getIndexingMapsArray();
  SmallVector<Value> ins;
  SmallVector<AffineMap> keptMaps;
  llvm::BitVector dropped(body.getNumArguments());
  for (unsigned i = 0; i < numInputs; ++i) {
    if (body.getArgument(i).use_empty()) {
      dropped.set(i);
      continue;
    }
    ins.push_back(gen.getDpsInputs()[i]);
    keptMaps.push_back(maps[i]);
  }
  if (dropped.none())
    return gen;
  keptMaps.append(maps.begin() + numInputs, maps.end());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(gen);
  auto pruned = linalg::GenericOp::create(
      b, gen.getLoc(), gen.getResultTypes(), ins, gen.getDpsInits(), keptMaps,
      gen.getIteratorTypesArray());
  pruned.getRegion().takeBody(gen.getRegion());
  pruned.getBlock()->eraseArguments(dropped);
  gen->replaceAllUsesWith(pruned);
  gen.erase();
  return pruned;
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

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Appends an argument of `type` that starts at zero (optimizer state) and
/// returns its index.
static unsigned addZeroInitArgument(func::FuncOp fn, Type type, Location loc) {
  MLIRContext *ctx = fn.getContext();
  unsigned index = fn.getNumArguments();
  (void)fn.insertArgument(
      index, type,
      DictionaryAttr::get(ctx, {NamedAttribute(HetuDialect::kZeroInitAttrName,
                                               UnitAttr::get(ctx))}),
      loc);
  return index;
}

namespace {
struct AutodiffPass : public hetu::impl::HetuAutodiffBase<AutodiffPass> {
  using Base::Base;

  LogicalResult configure(func::FuncOp fn, AutodiffConfig &config) {
    config.optimizer = optimizer;
    config.lr = lr;
    config.momentum = momentum;
    config.weightDecay = weightDecay;
    config.beta1 = beta1;
    config.beta2 = beta2;
    config.eps = eps;
    auto dict = fn->getAttrOfType<DictionaryAttr>(HetuDialect::kAutodiffAttrName);
    if (!dict)
      return success();
    for (NamedAttribute entry : dict) {
      StringRef key = entry.getName().getValue();
      if (key == "optimizer") {
        StringRef name = cast<StringAttr>(entry.getValue()).getValue();
        std::optional<AutodiffOptimizer> kind =
            llvm::StringSwitch<std::optional<AutodiffOptimizer>>(name)
                .Case("none", AutodiffOptimizer::none)
                .Case("sgd", AutodiffOptimizer::sgd)
                .Case("momentum", AutodiffOptimizer::momentum)
                .Case("adam", AutodiffOptimizer::adam)
                .Case("adamw", AutodiffOptimizer::adamw)
                .Default(std::nullopt);
        if (!kind)
          return fn.emitError() << "hetu-autodiff: optimizer '" << name
                                << "' is not supported";
        config.optimizer = *kind;
        continue;
      }
      double value = cast<FloatAttr>(entry.getValue()).getValueAsDouble();
      if (key == "lr")
        config.lr = value;
      else if (key == "momentum")
        config.momentum = value;
      else if (key == "weight_decay")
        config.weightDecay = value;
      else if (key == "beta1")
        config.beta1 = value;
      else if (key == "beta2")
        config.beta2 = value;
      else if (key == "eps")
        config.eps = value;
      else
        return fn.emitError() << "hetu-autodiff: '" << key
                              << "' does not apply to this optimizer";
    }
    return success();
  }

  LogicalResult differentiate(func::FuncOp fn, const AutodiffConfig &config) {
    MLIRContext *ctx = fn.getContext();
    if (!fn.getBody().hasOneBlock())
      return fn.emitError() << "hetu-autodiff: @" << fn.getSymName()
                            << " must have a single block";
    auto lossType = fn.getNumResults() > 0
                        ? dyn_cast<RankedTensorType>(fn.getResultTypes()[0])
                        : RankedTensorType();
    if (!lossType || lossType.getRank() != 0 ||
        !isa<FloatType>(lossType.getElementType()))
      return fn.emitError()
             << "hetu-autodiff: the first result of @" << fn.getSymName()
             << " must be the loss, a 0-d float tensor";
    SmallVector<BlockArgument> params;
    for (BlockArgument arg : fn.getArguments()) {
      if (!isTrainable(arg))
        continue;
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type || !type.hasStaticShape() ||
          !isa<FloatType>(type.getElementType()))
        return fn.emitError()
               << "hetu-autodiff: trainable argument " << arg.getArgNumber()
               << " must be a static float tensor";
      params.push_back(arg);
    }
    if (config.optimizer == AutodiffOptimizer::momentum &&
        !(config.momentum >= 0.0 && config.momentum < 1.0))
      return fn.emitError() << "hetu-autodiff: momentum must be in [0, 1), got "
                            << config.momentum;
    bool adam = config.optimizer == AutodiffOptimizer::adam ||
                config.optimizer == AutodiffOptimizer::adamw;
    if (adam && !(config.beta1 >= 0.0 && config.beta1 < 1.0 &&
                  config.beta2 >= 0.0 && config.beta2 < 1.0 && config.eps > 0))
      return fn.emitError() << "hetu-autodiff: Adam needs beta1 and beta2 in "
                               "[0, 1) and a positive eps, got beta1 = "
                            << config.beta1 << ", beta2 = " << config.beta2
                            << ", eps = " << config.eps;

    // linalg.softmax has no loop form of its own: its decomposition is.
    if (failed(decomposeAggregatedOps(fn)))
      return failure();
    Block &block = fn.getBody().front();
    auto ret = cast<func::ReturnOp>(block.getTerminator());
    Differentiator diff(fn);
    SmallVector<Value> grads;
    if (failed(diff.run(ret.getOperand(0), params, grads)))
      return failure();

    OpBuilder &b = diff.builder();
    b.setInsertionPoint(ret);
    diff.placeOn(GroupAttr());
    Location loc = fn.getLoc();
    for (auto [p, g] : llvm::zip(params, grads)) {
      if (!g)
        g = diff.zerosLike(p.getLoc(), p.getType());
      if (config.weightDecay != 0.0 &&
          config.optimizer != AutodiffOptimizer::none &&
          config.optimizer != AutodiffOptimizer::adamw)
        g = arith::AddFOp::create(
            b, loc, g,
            arith::MulFOp::create(
                b, loc, p,
                floatConstant(b, loc, p.getType(), config.weightDecay)));
    }

    SmallVector<Value> original(ret.getOperands());
    SmallVector<DictionaryAttr> originalAttrs;
    for (unsigned i = 0; i < fn.getNumResults(); ++i)
      originalAttrs.push_back(fn.getResultAttrDict(i));
    SmallVector<Value> results;
    SmallVector<DictionaryAttr> resultAttrs;
    auto updates = [&](Value v, unsigned arg) {
      results.push_back(v);
      resultAttrs.push_back(DictionaryAttr::get(
          ctx, {NamedAttribute(HetuDialect::kUpdatesAttrName,
                               b.getI64IntegerAttr(arg))}));
    };
    auto keepOriginal = [&]() {
      results.append(original);
      resultAttrs.append(originalAttrs);
    };
    FloatAttr lrAttr = b.getF64FloatAttr(config.lr);
    // A parameter's update runs on its `hetu.update_ctx` (Hetu's hybrid:
    // an update on the workers alone is all-reduced while the default group
    // has servers), else on the default placement.
    auto placeUpdate = [&](Operation *update, BlockArgument p) {
      if (auto group = fn.getArgAttrOfType<GroupAttr>(
              p.getArgNumber(), HetuDialect::kUpdateCtxAttrName))
        update->setAttr(HetuDialect::kCtxAttrName, group);
      return update;
    };
    switch (config.optimizer) {
    case AutodiffOptimizer::none:
      keepOriginal();
      for (Value g : grads) {
        results.push_back(g);
        resultAttrs.push_back(DictionaryAttr::get(ctx));
      }
      break;
    case AutodiffOptimizer::sgd:
      for (auto [p, g] : llvm::zip(params, grads))
        updates(placeUpdate(SGDOp::create(b, loc, p.getType(), p, g, lrAttr), p)
                    ->getResult(0),
                p.getArgNumber());
      keepOriginal();
      break;
    case AutodiffOptimizer::momentum: {
      SmallVector<Value> velocities;
      SmallVector<unsigned> velocityArgs;
      for (auto [p, g] : llvm::zip(params, grads)) {
        unsigned index = addZeroInitArgument(fn, p.getType(), p.getLoc());
        velocityArgs.push_back(index);
        auto step = MomentumOp::create(
            b, loc, TypeRange{p.getType(), p.getType()}, p, g,
            fn.getArgument(index), lrAttr, b.getF64FloatAttr(config.momentum));
        placeUpdate(step, p);
        updates(step.getResult(), p.getArgNumber());
        velocities.push_back(step.getVelocityNext());
      }
      for (auto [v, arg] : llvm::zip(velocities, velocityArgs))
        updates(v, arg);
      keepOriginal();
      break;
    }
    case AutodiffOptimizer::adam:
    case AutodiffOptimizer::adamw: {
      SmallVector<unsigned> mArgs, vArgs;
      for (BlockArgument p : params)
        mArgs.push_back(addZeroInitArgument(fn, p.getType(), p.getLoc()));
      for (BlockArgument p : params)
        vArgs.push_back(addZeroInitArgument(fn, p.getType(), p.getLoc()));
      auto countType = RankedTensorType::get({}, b.getF32Type());
      unsigned countArg = addZeroInitArgument(fn, countType, loc);
      Value count = fn.getArgument(countArg);
      SmallVector<Value> ms, vs;
      for (auto [k, p, g] : llvm::enumerate(params, grads)) {
        Value m = fn.getArgument(mArgs[k]), v = fn.getArgument(vArgs[k]);
        // (An array that outlives the statement: a TypeRange over a braced
        // list would point into a destroyed temporary.)
        SmallVector<Type, 3> types(3, p.getType());
        Operation *step;
        if (config.optimizer == AutodiffOptimizer::adam)
          step = AdamOp::create(b, loc, types, p, g, m, v, count, lrAttr,
                                b.getF64FloatAttr(config.beta1),
                                b.getF64FloatAttr(config.beta2),
                                b.getF64FloatAttr(config.eps));
        else
          step = AdamWOp::create(b, loc, types, p, g, m, v, count, lrAttr,
                                 b.getF64FloatAttr(config.beta1),
                                 b.getF64FloatAttr(config.beta2),
                                 b.getF64FloatAttr(config.eps),
                                 b.getF64FloatAttr(config.weightDecay));
        placeUpdate(step, p);
        updates(step->getResult(0), p.getArgNumber());
        ms.push_back(step->getResult(1));
        vs.push_back(step->getResult(2));
      }
      for (auto [m, arg] : llvm::zip(ms, mArgs))
        updates(m, arg);
      for (auto [v, arg] : llvm::zip(vs, vArgs))
        updates(v, arg);
      updates(arith::AddFOp::create(b, loc, count,
                                    floatConstant(b, loc, countType, 1.0)),
              countArg);
      keepOriginal();
      break;
    }
    }
    func::ReturnOp::create(b, ret.getLoc(), results);
    ret.erase();
    diff.eraseUnusedBackward();
    SmallVector<Type> resultTypes;
    for (Value v : results)
      resultTypes.push_back(v.getType());
    fn.setType(FunctionType::get(ctx, fn.getArgumentTypes(), resultTypes));
    fn.setAllResultAttrs(resultAttrs);
    fn->removeAttr(HetuDialect::kAutodiffAttrName);
    return success();
  }

  void runOnOperation() override {
    bool bad = false;
    for (auto fn : llvm::make_early_inc_range(
             getOperation().getOps<func::FuncOp>())) {
      if (fn.isExternal())
        continue;
      bool isStep = returnsUpdates(fn);
      bool asked = static_cast<bool>(fn->getAttr(HetuDialect::kAutodiffAttrName));
      bool trainable = hasTrainableArguments(fn);
      if (isStep) {
        if (asked) {
          fn.emitError() << "hetu-autodiff: @" << fn.getSymName()
                         << " is already a training step (it returns "
                            "hetu.updates)";
          bad = true;
        }
        continue;
      }
      if (!trainable) {
        if (asked) {
          fn.emitError() << "hetu-autodiff: @" << fn.getSymName()
                         << " has no {hetu.trainable} argument";
          bad = true;
        }
        continue;
      }
      AutodiffConfig config;
      if (failed(configure(fn, config)) || failed(differentiate(fn, config)))
        bad = true;
    }
    if (bad)
      signalPassFailure();
  }
};
} // namespace
