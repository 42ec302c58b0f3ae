//===- Passes.h - Conversions of the hetu dialect ---------------*- C++ -*-===//

#ifndef HETU_CONVERSION_PASSES_H
#define HETU_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::hetu {

#define GEN_PASS_DECL
#include "hetu/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hetu/Conversion/Passes.h.inc"

} // namespace mlir::hetu

#endif // HETU_CONVERSION_PASSES_H
