//===- MatmulToLibrary.cpp - hetu-matmul-to-cublas, hetu-matmul-to-blas ---===//
//
// Matmuls on row-major buffers become calls of the runtime's gemm entry
// points: cuBLAS on a GPU rank, a CPU BLAS on a CPU rank. Both passes
// share the matching and the call; they differ in the functions they take
// and the entry points' prefix.
//
//===----------------------------------------------------------------------===//

#include "hetu/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUMATMULTOCUBLAS
#define GEN_PASS_DEF_HETUMATMULTOBLAS
#include "hetu/Conversion/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;

/// Row-major in its last dimension: BLAS takes a leading dimension (and a
/// batch stride) only.
static bool rowMajor(Type type, int64_t rank) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref || memref.getRank() != rank)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(memref.getStridesAndOffset(strides, offset)))
    return false;
  return strides[rank - 1] == 1;
}

/// Replaces the matmuls of `module` that `wanted` accepts (f32/f64,
/// default maps, row-major buffers) with calls of `<prefix>gemm_<type>` or
/// `<prefix>batched_gemm_<type>` (C += A B on unranked memrefs).
static void matmulsToCalls(ModuleOp module, StringRef prefix,
                           function_ref<bool(Operation *)> wanted) {
  SymbolTable symbols(module);
  SmallVector<std::pair<Operation *, bool>> matmuls; // (op, batched)
  module.walk([&](Operation *op) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    bool batched = isa<linalg::BatchMatmulOp>(op);
    if (!linalgOp || !(isa<linalg::MatmulOp>(op) || batched) || !wanted(op) ||
        !linalgOp.hasPureBufferSemantics() || linalgOp.hasUserDefinedMaps())
      return;
    Type element = getElementTypeOrSelf(op->getOperand(2).getType());
    if (!element.isF32() && !element.isF64())
      return;
    for (Value v : op->getOperands())
      if (!rowMajor(v.getType(), batched ? 3 : 2) ||
          getElementTypeOrSelf(v.getType()) != element)
        return;
    matmuls.push_back({op, batched});
  });
  OpBuilder b(module.getContext());
  for (auto [op, batched] : matmuls) {
    Type element = getElementTypeOrSelf(op->getOperand(2).getType());
    auto unranked = UnrankedMemRefType::get(element, 0);
    std::string name = prefix.str() + (batched ? "batched_gemm_" : "gemm_") +
                       (element.isF32() ? "f32" : "f64");
    if (!symbols.lookup<func::FuncOp>(name)) {
      b.setInsertionPointToStart(module.getBody());
      auto decl = func::FuncOp::create(
          b, module.getLoc(), name,
          b.getFunctionType({unranked, unranked, unranked}, {}));
      decl.setPrivate();
      symbols.insert(decl);
    }
    b.setInsertionPoint(op);
    SmallVector<Value> args;
    for (Value v : op->getOperands())
      args.push_back(
          memref::CastOp::create(b, op->getLoc(), unranked, v).getResult());
    func::CallOp::create(b, op->getLoc(), name, TypeRange(), args);
    op->erase();
  }
}

namespace {
struct MatmulToCublasPass
    : public hetu::impl::HetuMatmulToCublasBase<MatmulToCublasPass> {
  void runOnOperation() override {
    // Host code of GPU ranks (not kernels, not ranks placed on a CPU).
    matmulsToCalls(getOperation(), "hetu_rt_cublas_", [](Operation *op) {
      return !op->getParentOfType<gpu::GPUModuleOp>() && !hetu::onHostRank(op);
    });
  }
};

struct MatmulToBlasPass
    : public hetu::impl::HetuMatmulToBlasBase<MatmulToBlasPass> {
  void runOnOperation() override {
    matmulsToCalls(getOperation(), "hetu_rt_blas_", [](Operation *op) {
      return !op->getParentOfType<gpu::GPUModuleOp>();
    });
  }
};
} // namespace
