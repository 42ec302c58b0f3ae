//===- MatmulToCublas.cpp - hetu-matmul-to-cublas -------------------------===//

#include "hetu/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUMATMULTOCUBLAS
#include "hetu/Conversion/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;

/// Row-major in its last dimension: cuBLAS takes a leading dimension only.
static bool rowMajor(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref || memref.getRank() != 2)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(memref.getStridesAndOffset(strides, offset)))
    return false;
  return strides[1] == 1;
}

namespace {
struct MatmulToCublasPass
    : public hetu::impl::HetuMatmulToCublasBase<MatmulToCublasPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<linalg::MatmulOp> matmuls;
    module.walk([&](linalg::MatmulOp op) {
      if (op->getParentOfType<gpu::GPUModuleOp>() ||
          !op.hasPureBufferSemantics() || op.hasUserDefinedMaps())
        return;
      Type element = getElementTypeOrSelf(op.getDpsInits()[0].getType());
      if (!element.isF32() && !element.isF64())
        return;
      for (Value v : op->getOperands())
        if (!rowMajor(v.getType()) ||
            getElementTypeOrSelf(v.getType()) != element)
          return;
      matmuls.push_back(op);
    });
    OpBuilder b(&getContext());
    for (linalg::MatmulOp op : matmuls) {
      Type element = getElementTypeOrSelf(op.getDpsInits()[0].getType());
      auto unranked = UnrankedMemRefType::get(element, 0);
      std::string name = element.isF32() ? "hetu_rt_cublas_gemm_f32"
                                         : "hetu_rt_cublas_gemm_f64";
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
            memref::CastOp::create(b, op.getLoc(), unranked, v).getResult());
      func::CallOp::create(b, op.getLoc(), name, TypeRange(), args);
      op.erase();
    }
  }
};
} // namespace
