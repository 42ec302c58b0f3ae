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
/// param - lr * grad, elementwise on tensors.
struct LowerSGD : public OpRewritePattern<SGDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SGDOp op,
                                PatternRewriter &rewriter) const override {
    auto type = op.getParam().getType();
    auto element = cast<FloatType>(type.getElementType());
    Location loc = op.getLoc();
    auto lr = DenseElementsAttr::get(
        type, rewriter.getFloatAttr(element, op.getLr().convertToDouble()));
    Value rate = arith::ConstantOp::create(rewriter, loc, lr);
    Value step = arith::MulFOp::create(rewriter, loc, op.getGrad(), rate);
    rewriter.replaceOpWithNewOp<arith::SubFOp>(op, op.getParam(), step);
    return success();
  }
};

struct ConvertHetuOptimizersPass
    : public hetu::impl::ConvertHetuOptimizersBase<ConvertHetuOptimizersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerSGD>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
