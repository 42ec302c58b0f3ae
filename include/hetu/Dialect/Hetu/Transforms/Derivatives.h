//===- Derivatives.h - Scalar derivative rules for hetu-autodiff -*- C++ -*-===//
//
// The reverse-mode rules of the elementwise arith and math ops. The same
// rules serve the payloads of linalg ops (scalars) and arith/math ops on
// whole tensors (the builders are elementwise-mappable), so a derivative is
// written once.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_DERIVATIVES_H
#define HETU_DIALECT_HETU_TRANSFORMS_DERIVATIVES_H

#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::hetu {

/// Whether values of `type` carry gradients: floats and tensors of floats.
bool isDifferentiableType(Type type);

/// Whether `op` passes no gradient to any operand (constants, comparisons,
/// integer arithmetic, rounding, linalg.index, tensor.empty).
bool hasZeroDerivative(Operation *op);

/// Whether `emitElementwiseAdjoint` has a rule for `op`.
bool hasElementwiseAdjoint(Operation *op);

/// Emits, at the builder's insertion point, the contribution of each float
/// operand of the elementwise arith/math op `op` to that operand's adjoint,
/// given the adjoint `grad` of its (single) result, and hands it to
/// `contribute(operandIndex, value)`. Scalars and same-shaped tensors alike.
/// Returns failure, emitting nothing, when there is no rule for `op`.
LogicalResult
emitElementwiseAdjoint(OpBuilder &b, Operation *op, Value grad,
                       llvm::function_ref<void(unsigned, Value)> contribute);

/// A float constant of `type`: a scalar, or a splat tensor.
Value floatConstant(OpBuilder &b, Location loc, Type type, double value);

} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_TRANSFORMS_DERIVATIVES_H
