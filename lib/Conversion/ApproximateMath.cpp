//===- ApproximateMath.cpp - hetu-approximate-math -------------------------===//
//
// f32 math functions become upstream's polynomial approximations (arith
// code the loop vectoriser takes) instead of libm calls.
//
//===----------------------------------------------------------------------===//

#include "hetu/Conversion/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUAPPROXIMATEMATH
#include "hetu/Conversion/Passes.h.inc"
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
            << "' (known: " << llvm::join(kKnown, ", ") << ")";
        return signalPassFailure();
      }
    auto selected = [&](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained(wanted, name);
    };
    // Only the selected ops and what their rewrites create: a greedy
    // rewrite of the whole program would also fold and simplify everything
    // else, which the lowering does not ask for (a training step is large).
    SmallVector<Operation *> targets;
    getOperation()->walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) &&
          selected(op->getName().getStringRef()))
        targets.push_back(op);
    });
    if (targets.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, selected);
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    config.enableFolding(false);
    (void)applyOpPatternsGreedily(targets, std::move(patterns), config);
  }
};
} // namespace
