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

#include "Differentiator.h"

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
using namespace mlir::hetu::autodiff;

namespace {

/// What a function is differentiated with: the pass options, overridden by
/// the function's `hetu.autodiff` entries.
struct AutodiffConfig {
  AutodiffOptimizer optimizer = AutodiffOptimizer::sgd;
  double lr = 0.01, momentum = 0.9, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
         weightDecay = 0.0;
};

} // namespace

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
