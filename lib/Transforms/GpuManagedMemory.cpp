//===- GpuManagedMemory.cpp - hetu-gpu-managed-memory ---------------------===//

#include "hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUGPUMANAGEDMEMORY
#include "hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;

namespace {
struct GpuManagedMemoryPass
    : public hetu::impl::HetuGpuManagedMemoryBase<GpuManagedMemoryPass> {
  void runOnOperation() override {
    SmallVector<Operation *> allocs, deallocs, globals;
    getOperation().walk([&](Operation *op) {
      // Kernels' own memory, and the programs of ranks on a CPU (plain heap
      // buffers).
      if (op->getParentOfType<gpu::GPUModuleOp>() || hetu::onHostRank(op))
        return;
      if (isa<memref::AllocOp>(op))
        allocs.push_back(op);
      else if (isa<memref::DeallocOp>(op))
        deallocs.push_back(op);
      else if (isa<memref::GetGlobalOp>(op))
        globals.push_back(op);
    });
    OpBuilder b(&getContext());
    auto managed = [&](Location loc, MemRefType type, ValueRange sizes) {
      return gpu::AllocOp::create(b, loc, type, /*asyncToken=*/Type(),
                                  /*asyncDependencies=*/ValueRange(), sizes,
                                  /*symbolOperands=*/ValueRange(),
                                  /*hostShared=*/true)
          .getMemref();
    };
    // A synchronous free: gpu.dealloc has only an asynchronous lowering.
    auto release = [&](Location loc, Value memref) {
      auto tokenType = gpu::AsyncTokenType::get(&getContext());
      Value start =
          gpu::WaitOp::create(b, loc, tokenType, ValueRange()).getAsyncToken();
      Value done = gpu::DeallocOp::create(b, loc, tokenType, ValueRange{start},
                                          memref)
                       .getAsyncToken();
      gpu::WaitOp::create(b, loc, Type(), ValueRange{done});
    };
    for (Operation *op : allocs) {
      auto alloc = cast<memref::AllocOp>(op);
      b.setInsertionPoint(alloc);
      Value m = managed(alloc.getLoc(), alloc.getType(),
                        alloc.getDynamicSizes());
      alloc.replaceAllUsesWith(m);
      alloc.erase();
    }
    for (Operation *op : deallocs) {
      auto dealloc = cast<memref::DeallocOp>(op);
      b.setInsertionPoint(dealloc);
      release(dealloc.getLoc(), dealloc.getMemref());
      dealloc.erase();
    }
    for (Operation *op : globals) {
      auto get = cast<memref::GetGlobalOp>(op);
      b.setInsertionPointAfter(get);
      Value m = managed(get.getLoc(), get.getType(), ValueRange());
      get.getResult().replaceAllUsesWith(m);
      memref::CopyOp::create(b, get.getLoc(), get.getResult(), m);
      Block *block = get->getBlock();
      Operation *terminator = block->getTerminator();
      if (!terminator || !terminator->hasTrait<OpTrait::ReturnLike>()) {
        get.emitError() << "hetu-gpu-managed-memory: a constant outside a "
                           "function's body block";
        return signalPassFailure();
      }
      b.setInsertionPoint(terminator);
      release(get.getLoc(), m);
    }
  }
};
} // namespace
