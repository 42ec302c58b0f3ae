//===- PromoteF64.cpp - hetu-promote-f64 ----------------------------------===//
//
// A function computed in f64 instead of f32: the precise reference of
// --verify (docs/Running.md).
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/Transforms/Passes.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUPROMOTEF64
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

LogicalResult mlir::hetu::promoteToF64(func::FuncOp fn) {
  MLIRContext *context = fn.getContext();
  Type f32 = Float32Type::get(context), f64 = Float64Type::get(context);

  // What cannot be promoted, before anything changes.
  WalkResult refused = fn.walk([&](Operation *op) {
    if (isa<arith::BitcastOp, tensor::BitcastOp>(op) &&
        (llvm::any_of(op->getOperandTypes(),
                      [&](Type t) { return getElementTypeOrSelf(t) == f32; }) ||
         llvm::any_of(op->getResultTypes(), [&](Type t) {
           return getElementTypeOrSelf(t) == f32;
         }))) {
      op->emitError() << "hetu-promote-f64: '" << op->getName()
                      << "' reinterprets the bits of an f32 value";
      return WalkResult::interrupt();
    }
    for (NamedAttribute attr : op->getAttrs())
      if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr.getValue()))
        if (resource.getElementType() == f32) {
          op->emitError() << "hetu-promote-f64: cannot promote the "
                             "dense_resource constant '"
                          << attr.getName().getValue() << "'";
          return WalkResult::interrupt();
        }
    return WalkResult::advance();
  });
  if (refused.wasInterrupted())
    return failure();

  AttrTypeReplacer replacer;
  replacer.addReplacement([&](FloatType t) -> std::optional<Type> {
    if (t == f32)
      return f64;
    return std::nullopt;
  });
  // Values change type with their semantics: FloatAttr and dense floats are
  // rebuilt from their values (the generic sub-element walk would only
  // retype them).
  replacer.addReplacement(
      [&](FloatAttr attr)
          -> std::optional<std::pair<Attribute, WalkResult>> {
        if (attr.getType() != f32)
          return std::nullopt;
        return std::make_pair(FloatAttr::get(f64, attr.getValueAsDouble()),
                              WalkResult::skip());
      });
  replacer.addReplacement(
      [&](DenseFPElementsAttr attr)
          -> std::optional<std::pair<Attribute, WalkResult>> {
        if (attr.getElementType() != f32)
          return std::nullopt;
        auto type = cast<ShapedType>(attr.getType()).clone(f64);
        if (attr.isSplat())
          return std::make_pair(
              DenseElementsAttr::get(
                  type, double(attr.getSplatValue<APFloat>().convertToFloat())),
              WalkResult::skip());
        SmallVector<double> values;
        for (APFloat v : attr.getValues<APFloat>())
          values.push_back(v.convertToFloat());
        return std::make_pair(
            DenseElementsAttr::get(type, ArrayRef<double>(values)),
            WalkResult::skip());
      });
  replacer.recursivelyReplaceElementsIn(fn, /*replaceAttrs=*/true,
                                        /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);

  // Conversions between types that are now the same.
  SmallVector<Operation *> identities;
  fn.walk([&](Operation *op) {
    if (isa<arith::ExtFOp, arith::TruncFOp>(op) &&
        op->getOperand(0).getType() == op->getResult(0).getType())
      identities.push_back(op);
  });
  for (Operation *op : identities) {
    op->getResult(0).replaceAllUsesWith(op->getOperand(0));
    op->erase();
  }
  if (failed(verify(fn)))
    return fn.emitError() << "hetu-promote-f64: the promoted function does "
                             "not verify";
  return success();
}

namespace {
struct PromoteF64Pass
    : public hetu::impl::HetuPromoteF64Base<PromoteF64Pass> {
  void runOnOperation() override {
    if (failed(promoteToF64(getOperation())))
      signalPassFailure();
  }
};
} // namespace
