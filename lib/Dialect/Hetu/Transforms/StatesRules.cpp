//===- StatesRules.cpp - Applying an operation's states rule --------------===//

#include "hetu/Dialect/Hetu/Transforms/StatesRules.h"
#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

using namespace mlir;
using namespace mlir::hetu;

StatesAttr mlir::hetu::replicatedStates(Type type, int64_t numDevices) {
  auto shaped = dyn_cast<ShapedType>(type);
  int64_t rank = shaped && shaped.hasRank() ? shaped.getRank() : 0;
  return StatesAttr::getReplicated(type.getContext(), rank, numDevices);
}

LogicalResult mlir::hetu::applyStatesRule(Operation *op,
                                          StatesRuleContext &ctx) {
  auto isTensor = [](Value v) { return isa<RankedTensorType>(v.getType()); };
  if (auto rule = dyn_cast<StatesRuleOpInterface>(op))
    return rule.inferStates(ctx);
  // Sums and differences are linear: partial sums in one layout add up to
  // the partial sums of the result (the gradients of a value used by
  // several row-split products, as Megatron's backward pass, are all-reduced
  // once, after they are added), and so does a negation.
  if (isa<arith::AddFOp, arith::SubFOp, arith::NegFOp>(op) &&
      llvm::all_of(op->getOperands(), isTensor) && ctx.operands[0] &&
      ctx.operands[0].getPartial() > 1 &&
      llvm::all_equal(ctx.operands) &&
      (!ctx.results[0] || ctx.results[0] == ctx.operands[0])) {
    ctx.results[0] = ctx.operands[0];
    return success();
  }
  if (op->hasTrait<OpTrait::Elementwise>() && op->getNumResults() > 0 &&
      llvm::all_of(op->getResults(), isTensor)) {
    // Elementwise ops on tensors: the identity iteration space.
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    IterationSpace space;
    space.numLoops = type.getRank();
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(space.numLoops, op->getContext());
    for (Value operand : op->getOperands())
      space.operandMaps.push_back(isTensor(operand) ? identity : AffineMap());
    space.resultMaps.assign(op->getNumResults(), identity);
    space.tiedOperand.assign(op->getNumResults(), -1);
    return inferIterationSpaceStates(space, ctx);
  }
  // No rule: fine as long as nothing is split (partial operands are
  // reduced first); ops without tensor operands take their users' states.
  SmallVector<unsigned> tensorOperands;
  for (OpOperand &operand : op->getOpOperands())
    if (isTensor(operand.get()))
      tensorOperands.push_back(operand.getOperandNumber());
  if (tensorOperands.empty())
    return success();
  if (llvm::any_of(tensorOperands,
                   [&](unsigned i) { return !ctx.operands[i]; }))
    return success();
  for (unsigned i : tensorOperands) {
    StatesAttr folded = foldPartial(ctx.operands[i]);
    if (folded.getNumDevices() != folded.getDuplicate()) {
      InFlightDiagnostic diag = op->emitError()
                                << "no distributed-states rule for '"
                                << op->getName() << "' and operand #" << i
                                << " is split: " << ctx.operands[i];
      if (ctx.noteOperand)
        ctx.noteOperand(diag, i);
      return diag;
    }
    ctx.operands[i] = folded;
  }
  for (auto [r, result] : llvm::enumerate(op->getResults()))
    if (!ctx.results[r])
      ctx.results[r] = replicatedStates(result.getType(), ctx.numDevices);
  return success();
}
