//===- ApproximateMath.cpp - hetu-approximate-math -------------------------===//
//
// f32 math functions become upstream's polynomial approximations (arith
// code the loop vectoriser takes) instead of libm calls.
//
//===----------------------------------------------------------------------===//

#include "hetu/Transforms/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUAPPROXIMATEMATH
#include "hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;

/// What upstream approximates (math mnemonics), and the default selection:
/// the functions of softmax, GELU, layer norm and cross entropy.
static constexpr StringRef kKnown[] = {"atan",  "atan2", "cbrt", "cos",
                                       "erf",   "erfc",  "exp",  "expm1",
                                       "log",   "log1p", "log2", "sin",
                                       "tanh"};
static constexpr StringRef kDefault[] = {"exp",   "expm1", "tanh", "log",
                                         "log1p", "log2",  "erf"};

namespace {
/// The approximations' fused multiply-adds as a multiply and an add that
/// may contract: one fma instruction where the target has it (the JIT's
/// host CPU), two instructions where it has not (hetu-compile's generic
/// x86-64), instead of a call of libm's exact software fmaf.
struct FmaToContractedMulAdd : OpRewritePattern<math::FmaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::FmaOp op,
                                PatternRewriter &rewriter) const override {
    auto contract = arith::FastMathFlagsAttr::get(
        op.getContext(), arith::FastMathFlags::contract);
    Value product = arith::MulFOp::create(rewriter, op.getLoc(), op.getA(),
                                          op.getB(), contract);
    rewriter.replaceOpWithNewOp<arith::AddFOp>(op, product, op.getC(),
                                               contract);
    return success();
  }
};

/// The approximations' floor (exp's range reduction) in conversions and
/// selects: no libm call where the target has no rounding instruction
/// (generic x86-64 has none). Exact for every f32: values of 2^23 and more
/// are integers already, and NaN, infinities and the sign of zero carry
/// through.
struct FloorByConversion : OpRewritePattern<math::FloorOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::FloorOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32() || isa<TensorType>(type))
      return failure();
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    if (auto shaped = dyn_cast<ShapedType>(type))
      i32 = shaped.clone(i32);
    auto constant = [&](float value) -> Value {
      TypedAttr attr = rewriter.getF32FloatAttr(value);
      if (auto shaped = dyn_cast<ShapedType>(type))
        attr = DenseElementsAttr::get(shaped, ArrayRef<Attribute>(attr));
      return arith::ConstantOp::create(rewriter, loc, attr);
    };
    Value x = op.getOperand();
    // Truncation toward zero, one less where that rounded up (x < 0).
    Value truncated = arith::SIToFPOp::create(
        rewriter, loc, type, arith::FPToSIOp::create(rewriter, loc, i32, x));
    Value roundedUp = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OGT, truncated, x);
    Value below = arith::SubFOp::create(rewriter, loc, truncated,
                                        constant(1.0f));
    Value floor =
        arith::SelectOp::create(rewriter, loc, roundedUp, below, truncated);
    // Zero takes x's sign (x * 0: -0 for -0, +0 for [0, 1)).
    Value zero = arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OEQ,
                                       floor, constant(0.0f));
    floor = arith::SelectOp::create(
        rewriter, loc, zero,
        arith::MulFOp::create(rewriter, loc, x, constant(0.0f)), floor);
    Value small = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OLT,
        math::AbsFOp::create(rewriter, loc, x), constant(8388608.0f));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, small, floor, x);
    return success();
  }
};

struct ApproximateMathPass
    : public hetu::impl::HetuApproximateMathBase<ApproximateMathPass> {
  using HetuApproximateMathBase::HetuApproximateMathBase;

  void runOnOperation() override {
    SmallVector<StringRef> wanted(std::begin(kDefault), std::end(kDefault));
    if (!ops.empty())
      wanted.assign(ops.begin(), ops.end());
    for (StringRef name : wanted)
      if (!llvm::is_contained(kKnown, name)) {
        getOperation()->emitError()
            << "hetu-approximate-math: no approximation of 'math." << name
            << "' (known: "
            << llvm::join(std::begin(kKnown), std::end(kKnown), ", ") << ")";
        return signalPassFailure();
      }
    auto selected = [&](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained(wanted, name);
    };
    // Only the selected ops and what their rewrites create (never a model's
    // own fma or floor): a greedy rewrite of the whole program would also
    // fold and simplify everything else, which the lowering does not ask for
    // (a training step is large). Scalars and vectors only (upstream's
    // patterns take nothing else): ops on tensors are rewritten once they
    // are in linalg bodies, after convert-elementwise-to-linalg.
    SmallVector<Operation *> targets;
    getOperation()->walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) &&
          selected(op->getName().getStringRef()) &&
          llvm::all_of(op->getOperandTypes(), [](Type type) {
            return isa<FloatType, VectorType>(type);
          }))
        targets.push_back(op);
    });
    if (targets.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, selected);
    // What the approximations create: no libm call left behind.
    patterns.add<FmaToContractedMulAdd, FloorByConversion>(&getContext());
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    config.enableFolding(false);
    (void)applyOpPatternsGreedily(targets, std::move(patterns), config);
  }
};
} // namespace
