//===- HetuOps.h - Operations of the hetu dialect ---------------*- C++ -*-===//

#ifndef HETU_DIALECT_HETU_IR_HETUOPS_H
#define HETU_DIALECT_HETU_IR_HETUOPS_H

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::hetu {
/// The resource communication ops read and write, so that they are neither
/// erased nor reordered with respect to each other.
struct CommunicationResource
    : public SideEffects::Resource::Base<CommunicationResource> {
  StringRef getName() final { return "hetu::Communication"; }
};
} // namespace mlir::hetu

#define GET_OP_CLASSES
#include "hetu/Dialect/Hetu/IR/HetuOps.h.inc"

namespace mlir::hetu {
/// The gradient operand of an optimizer update (hetu.sgd, hetu.momentum,
/// hetu.adam, hetu.adamw),
/// or null when `op` is not one: what hetu-grad-sync synchronises and what
/// hetu-run keeps in its single-device reference.
OpOperand *getOptimizerGradient(Operation *op);
} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_IR_HETUOPS_H
