//===- Derivatives.cpp - Scalar derivative rules for hetu-autodiff --------===//

#include "hetu/Dialect/Hetu/Transforms/Derivatives.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::hetu;

bool mlir::hetu::isDifferentiableType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return isa<FloatType>(type);
}

bool mlir::hetu::hasZeroDerivative(Operation *op) {
  return isa<arith::ConstantOp, arith::CmpFOp, arith::CmpIOp, arith::FPToSIOp,
             arith::FPToUIOp, math::FloorOp, math::CeilOp, math::RoundOp,
             math::RoundEvenOp, math::TruncOp, linalg::IndexOp,
             tensor::EmptyOp>(op) ||
         // Results that carry no gradient (integers, booleans).
         (op->getNumResults() > 0 &&
          llvm::none_of(op->getResultTypes(), isDifferentiableType));
}

bool mlir::hetu::hasElementwiseAdjoint(Operation *op) {
  return isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp,
             arith::NegFOp, arith::MaximumFOp, arith::MaxNumFOp,
             arith::MinimumFOp, arith::MinNumFOp, arith::SelectOp,
             arith::ExtFOp, arith::TruncFOp, math::ExpOp, math::LogOp,
             math::Log1pOp, math::ExpM1Op, math::TanhOp, math::SqrtOp,
             math::RsqrtOp, math::ErfOp, math::PowFOp, math::AbsFOp,
             math::SinOp, math::CosOp>(op);
}

Value mlir::hetu::floatConstant(OpBuilder &b, Location loc, Type type,
                                double value) {
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    auto element = cast<FloatType>(shaped.getElementType());
    return arith::ConstantOp::create(
        b, loc, type,
        DenseElementsAttr::get(shaped, FloatAttr::get(element, value)));
  }
  return arith::ConstantOp::create(b, loc, type, FloatAttr::get(type, value));
}

/// Whether `v` is the constant 1 (a scalar or a splat): the loss's seed.
static bool isOne(Value v) {
  auto constant = v.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return false;
  if (auto f = dyn_cast<FloatAttr>(constant.getValue()))
    return f.getValueAsDouble() == 1.0;
  if (auto splat = dyn_cast<SplatElementsAttr>(constant.getValue()))
    return isa<FloatType>(splat.getElementType()) &&
           splat.getSplatValue<APFloat>().convertToDouble() == 1.0;
  return false;
}

LogicalResult mlir::hetu::emitElementwiseAdjoint(
    OpBuilder &b, Operation *op, Value g,
    llvm::function_ref<void(unsigned, Value)> contribute) {
  if (!hasElementwiseAdjoint(op))
    return failure();
  Location loc = op->getLoc();
  Value r = op->getResult(0);
  Type type = r.getType();
  auto cst = [&](double v) { return floatConstant(b, loc, type, v); };
  // The seed of the loss is 1: multiplying by it is left out, so the
  // adjoints of the loss's own scaling stay constants.
  auto mul = [&](Value x, Value y) -> Value {
    if (isOne(x))
      return y;
    if (isOne(y))
      return x;
    return arith::MulFOp::create(b, loc, x, y);
  };
  auto div = [&](Value x, Value y) -> Value {
    return arith::DivFOp::create(b, loc, x, y);
  };
  auto neg = [&](Value x) -> Value { return arith::NegFOp::create(b, loc, x); };
  auto sub = [&](Value x, Value y) -> Value {
    return arith::SubFOp::create(b, loc, x, y);
  };
  // The gradient where `cond` holds, zero elsewhere (and the other way).
  auto routed = [&](Value cond, bool where) -> Value {
    Value zero = cst(0.0);
    return arith::SelectOp::create(b, loc, cond, where ? g : zero,
                                   where ? zero : g);
  };
  auto x = [&](unsigned i) { return op->getOperand(i); };

  llvm::TypeSwitch<Operation *>(op)
      .Case([&](arith::AddFOp) {
        contribute(0, g);
        contribute(1, g);
      })
      .Case([&](arith::SubFOp) {
        contribute(0, g);
        contribute(1, neg(g));
      })
      .Case([&](arith::MulFOp) {
        contribute(0, mul(g, x(1)));
        contribute(1, mul(g, x(0)));
      })
      .Case([&](arith::DivFOp) {
        // d(a/b)/da = 1/b, d(a/b)/db = -(a/b)/b.
        Value q = div(g, x(1));
        contribute(0, q);
        contribute(1, neg(mul(q, r)));
      })
      .Case([&](arith::NegFOp) { contribute(0, neg(g)); })
      .Case<arith::MaximumFOp, arith::MaxNumFOp, arith::MinimumFOp,
            arith::MinNumFOp>([&](Operation *) {
        // The first operand takes the gradient where it is strictly the
        // extremum (so relu, max(x, 0), passes nothing at 0).
        bool isMax = isa<arith::MaximumFOp, arith::MaxNumFOp>(op);
        Value first = arith::CmpFOp::create(
            b, loc,
            isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
            x(0), x(1));
        contribute(0, routed(first, true));
        contribute(1, routed(first, false));
      })
      .Case([&](arith::SelectOp) {
        contribute(1, routed(x(0), true));
        contribute(2, routed(x(0), false));
      })
      .Case([&](arith::ExtFOp) {
        contribute(0, arith::TruncFOp::create(b, loc, x(0).getType(), g));
      })
      .Case([&](arith::TruncFOp) {
        contribute(0, arith::ExtFOp::create(b, loc, x(0).getType(), g));
      })
      .Case([&](math::ExpOp) { contribute(0, mul(g, r)); })
      .Case([&](math::ExpM1Op) { contribute(0, mul(g, arith::AddFOp::create(b, loc, r, cst(1.0)))); })
      .Case([&](math::LogOp) { contribute(0, div(g, x(0))); })
      .Case([&](math::Log1pOp) {
        contribute(0, div(g, arith::AddFOp::create(b, loc, x(0), cst(1.0))));
      })
      .Case([&](math::TanhOp) {
        contribute(0, mul(g, sub(cst(1.0), mul(r, r))));
      })
      .Case([&](math::SqrtOp) { contribute(0, div(mul(g, cst(0.5)), r)); })
      .Case([&](math::RsqrtOp) {
        // d(a^-1/2)/da = -1/2 a^-3/2 = -1/2 r^3.
        contribute(0, mul(mul(g, cst(-0.5)), mul(r, mul(r, r))));
      })
      .Case([&](math::ErfOp) {
        Value e = math::ExpOp::create(b, loc, neg(mul(x(0), x(0))));
        contribute(0, mul(mul(g, cst(2.0 / std::sqrt(M_PI))), e));
      })
      .Case([&](math::PowFOp) {
        // d(a^b)/da = b a^(b-1), d(a^b)/db = a^b log a.
        Value p = math::PowFOp::create(b, loc, x(0), sub(x(1), cst(1.0)));
        contribute(0, mul(g, mul(x(1), p)));
        contribute(1, mul(g, mul(r, math::LogOp::create(b, loc, x(0)))));
      })
      .Case([&](math::AbsFOp) {
        Value negative = arith::CmpFOp::create(
            b, loc, arith::CmpFPredicate::OLT, x(0), cst(0.0));
        contribute(0, arith::SelectOp::create(b, loc, negative, neg(g), g));
      })
      .Case([&](math::SinOp) {
        contribute(0, mul(g, math::CosOp::create(b, loc, x(0))));
      })
      .Case([&](math::CosOp) {
        contribute(0, neg(mul(g, math::SinOp::create(b, loc, x(0)))));
      });
  return success();
}
