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

/// True for an op of a partitioned program whose rank is placed on a CPU
/// (its function has `hetu.device` of kind cpu): hetu-lower-to-cuda keeps
/// such programs on the host.
bool onHostRank(Operation *op);

/// Registers `hetu-lower-to-cpu`: partitioned tensors -> LLVM dialect for the
/// CPU runtime (bufferization, runtime calls, loops, LLVM).
void registerLowerToCPUPipeline();

/// Adds the `hetu-lower-to-cpu` passes to `pm` (anchored on a module). The
/// upstream passes it uses must be registered (registerAllPassesWithUpstream
/// in hetu/InitAll.h); otherwise it fails with a message on `errors`.
LogicalResult buildLowerToCPUPipeline(OpPassManager &pm,
                                      llvm::raw_ostream &errors);

/// Registers `hetu-lower-to-cuda{chip=sm_90}`: partitioned tensors -> GPU
/// kernels (NVVM, the binary embedded) and host code in the LLVM dialect
/// calling the runtime (its communication and its `mgpu*` CUDA entry
/// points).
void registerLowerToCUDAPipeline();

/// Adds the `hetu-lower-to-cuda` passes for GPU architecture `chip` to `pm`.
LogicalResult buildLowerToCUDAPipeline(OpPassManager &pm,
                                       llvm::StringRef chip,
                                       llvm::raw_ostream &errors);

} // namespace mlir::hetu

#endif // HETU_CONVERSION_PASSES_H
