//===- HetuOptimizersToArith.cpp - convert-hetu-optimizers ----------------===//

#include "hetu/Conversion/Passes.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
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

/// A tensor of `type` filled with the scalar `value`.
Value fillWith(PatternRewriter &rewriter, Location loc, RankedTensorType type,
               Value value) {
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  return linalg::FillOp::create(rewriter, loc, value, empty).getResult(0);
}

/// Adam and AdamW (`decay`: AdamW's decoupled weight decay, 0 for Adam):
/// the bias corrections 1 - beta^t are scalars of the step count, the rest
/// is elementwise on tensors.
template <typename OpTy>
struct LowerAdam : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  double decayOf(OpTy op) const {
    if constexpr (std::is_same_v<OpTy, AdamWOp>)
      return op.getWeightDecay().convertToDouble();
    return 0.0;
  }
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getParam().getType();
    auto element = cast<FloatType>(type.getElementType());
    auto scalar = [&](double v) -> Value {
      return arith::ConstantOp::create(rewriter, loc,
                                       rewriter.getFloatAttr(element, v));
    };
    auto bcast = [&](double v) { return splat(rewriter, loc, type, v); };
    double b1 = op.getBeta1().convertToDouble();
    double b2 = op.getBeta2().convertToDouble();
    // t = steps taken before + 1, in the parameter's precision.
    Value t = tensor::ExtractOp::create(rewriter, loc, op.getStep(),
                                        ValueRange{});
    if (t.getType() != element)
      t = element.getWidth() > cast<FloatType>(t.getType()).getWidth()
              ? Value(arith::ExtFOp::create(rewriter, loc, element, t))
              : Value(arith::TruncFOp::create(rewriter, loc, element, t));
    t = arith::AddFOp::create(rewriter, loc, t, scalar(1.0));
    auto correction = [&](double beta) -> Value {
      Value power = math::PowFOp::create(rewriter, loc, scalar(beta), t);
      return fillWith(rewriter, loc, type,
                      arith::SubFOp::create(rewriter, loc, scalar(1.0), power));
    };
    Value c1 = correction(b1), c2 = correction(b2);
    Value g = op.getGrad();
    auto mul = [&](Value a, Value b) -> Value {
      return arith::MulFOp::create(rewriter, loc, a, b);
    };
    auto add = [&](Value a, Value b) -> Value {
      return arith::AddFOp::create(rewriter, loc, a, b);
    };
    auto div = [&](Value a, Value b) -> Value {
      return arith::DivFOp::create(rewriter, loc, a, b);
    };
    Value m = add(mul(op.getM(), bcast(b1)), mul(g, bcast(1.0 - b1)));
    Value v = add(mul(op.getV(), bcast(b2)), mul(mul(g, g), bcast(1.0 - b2)));
    Value denom = add(math::SqrtOp::create(rewriter, loc, div(v, c2)),
                      bcast(op.getEps().convertToDouble()));
    Value update = div(div(m, c1), denom);
    if (double decay = decayOf(op))
      update = add(update, mul(op.getParam(), bcast(decay)));
    Value param = arith::SubFOp::create(
        rewriter, loc, op.getParam(),
        mul(update, bcast(op.getLr().convertToDouble())));
    rewriter.replaceOp(op, {param, m, v});
    return success();
  }
};

struct ConvertHetuOptimizersPass
    : public hetu::impl::ConvertHetuOptimizersBase<ConvertHetuOptimizersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerSGD, LowerMomentum, LowerAdam<AdamOp>, LowerAdam<AdamWOp>>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
