//===- HostRankLoops.cpp - hetu-host-rank-loops ---------------------------===//
//
// The programs of ranks the rank map places on a CPU stay on the host in a
// CUDA build: their linalg ops become loops before the GPU mapping runs.
//
//===----------------------------------------------------------------------===//

#include "hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUHOSTRANKLOOPS
#include "hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;

namespace {
struct HostRankLoopsPass
    : public hetu::impl::HetuHostRankLoopsBase<HostRankLoopsPass> {
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (!hetu::onHostRank(fn))
      return;
    SmallVector<linalg::LinalgOp> ops;
    fn.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      if (!op.hasPureBufferSemantics()) {
        op->emitError("hetu-host-rank-loops: expected a linalg op on buffers "
                      "(run after bufferization)");
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(op);
      if (failed(linalg::linalgOpToLoops(rewriter, op))) {
        op->emitError("hetu-host-rank-loops: cannot lower to loops");
        return signalPassFailure();
      }
      rewriter.eraseOp(op);
    }
  }
};
} // namespace
