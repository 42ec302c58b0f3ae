//===- GenericAdjoint.cpp - The adjoint of a linalg.generic ---------------===//
//
// A linalg.generic whose maps are projected permutations: each float operand's
// adjoint is a generic over the same loops that reads the forward operands
// and the result's adjoint through the forward maps and writes through the
// operand's map (loops the operand does not index are summed). Its payload is
// the forward payload followed by the scalar adjoint of it (Derivatives.h).
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
