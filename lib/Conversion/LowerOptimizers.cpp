//===- LowerOptimizers.cpp - convert-hetu-optimizers ----------------------===//

#include "hetu/Conversion/Passes.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_CONVERTHETUOPTIMIZERS
#include "hetu/Conversion/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

namespace {
/// A splat constant of `type` with value `v`.
Value splat(PatternRewriter &rewriter, Location loc, RankedTensorType type,
            double v) {
  auto element = cast<FloatType>(type.getElementType());
  return arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(type, rewriter.getFloatAttr(element, v)));
}

/// param - lr * grad, elementwise on tensors.
struct LowerSGD : public OpRewritePattern<SGDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SGDOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value rate = splat(rewriter, loc, op.getParam().getType(),
                       op.getLr().convertToDouble());
    Value step = arith::MulFOp::create(rewriter, loc, op.getGrad(), rate);
    rewriter.replaceOpWithNewOp<arith::SubFOp>(op, op.getParam(), step);
    return success();
  }
};

/// v' = momentum * v + grad; param' = param - lr * v'.
struct LowerMomentum : public OpRewritePattern<MomentumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MomentumOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getParam().getType();
    Value mu = splat(rewriter, loc, type, op.getMomentum().convertToDouble());
    Value rate = splat(rewriter, loc, type, op.getLr().convertToDouble());
    Value kept = arith::MulFOp::create(rewriter, loc, op.getVelocity(), mu);
    Value velocity = arith::AddFOp::create(rewriter, loc, kept, op.getGrad());
    Value step = arith::MulFOp::create(rewriter, loc, velocity, rate);
    Value param = arith::SubFOp::create(rewriter, loc, op.getParam(), step);
    rewriter.replaceOp(op, {param, velocity});
    return success();
  }
};

struct ConvertHetuOptimizersPass
    : public hetu::impl::ConvertHetuOptimizersBase<ConvertHetuOptimizersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerSGD, LowerMomentum>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
