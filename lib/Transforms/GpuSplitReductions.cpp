//===- GpuSplitReductions.cpp - hetu-gpu-split-reductions -----------------===//
//
// A reduction to a scalar (a loss: every loop a reduction) has no parallel
// loop, so the GPU mapping would leave it on the host, which then reads its
// operands out of GPU memory. Split it (upstream linalg::splitReduction) into
// partial sums over a parallel dimension, which become a kernel, and a small
// final reduction.
//
//===----------------------------------------------------------------------===//

#include "hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUGPUSPLITREDUCTIONS
#include "hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;

namespace {
/// The number of partial sums for `total` elements: a power of two near its
/// square root that divides it (0: none worth it).
int64_t splitRatio(int64_t total) {
  int64_t ratio = 0;
  for (int64_t r = 2; r * r <= total; r *= 2)
    if (total % r == 0)
      ratio = r;
  return ratio >= 16 ? ratio : 0;
}

struct GpuSplitReductionsPass
    : public hetu::impl::HetuGpuSplitReductionsBase<GpuSplitReductionsPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (hetu::onHostRank(fn))
      return;
    SmallVector<linalg::LinalgOp> candidates;
    fn.walk([&](linalg::LinalgOp op) {
      // linalg.index in the body: upstream's split keeps the body as it is,
      // so the indices would be those of the split loops.
      if (op.getNumParallelLoops() == 0 && op.getNumReductionLoops() > 0 &&
          !op.hasIndexSemantics() && op.hasPureTensorSemantics() &&
          op.getNumDpsInits() == 1 &&
          op->getNumResults() == 1 && !op.hasDynamicShape())
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : candidates) {
      int64_t total = 1;
      for (int64_t size : op.getStaticLoopRanges())
        total *= size;
      int64_t ratio = splitRatio(total);
      if (total < minElements || !ratio)
        continue;
      rewriter.setInsertionPoint(op);
      // One reduction loop: named ops become generics, several loops one.
      linalg::LinalgOp current = op;
      if (!isa<linalg::GenericOp>(op.getOperation())) {
        FailureOr<linalg::GenericOp> generic =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generic))
          continue;
        current = *generic;
      }
      if (current.getNumLoops() > 1) {
        ReassociationIndices all;
        for (unsigned d = 0; d < current.getNumLoops(); ++d)
          all.push_back(d);
        if (!linalg::areDimSequencesPreserved(
                current.getIndexingMapsArray(), {all}))
          continue;
        FailureOr<linalg::CollapseResult> collapsed =
            linalg::collapseOpIterationDims(current, {all}, rewriter);
        if (failed(collapsed))
          continue;
        rewriter.replaceOp(current, collapsed->results);
        current = collapsed->collapsedOp;
      }
      // Partial sums of interleaved elements (the parallel dimension inner
      // in the data: neighbouring threads read neighbouring elements)...
      rewriter.setInsertionPoint(current);
      FailureOr<linalg::SplitReductionResult> split = linalg::splitReduction(
          rewriter, current, [&](linalg::LinalgOp) {
            return linalg::SplitReductionOptions{ratio, 0,
                                                 /*innerParallel=*/true};
          });
      if (failed(split))
        continue;
      // ...and outer in the loop nest, so that the parallel loop becomes one
      // kernel around the sequential one, not a launch per iteration of it.
      auto generic = dyn_cast<linalg::GenericOp>(
          split->splitLinalgOp.getOperation());
      if (!generic)
        continue;
      SmallVector<unsigned> order;
      SmallVector<utils::IteratorType> iterators =
          generic.getIteratorTypesArray();
      for (unsigned d = 0; d < iterators.size(); ++d)
        if (iterators[d] == utils::IteratorType::parallel)
          order.push_back(d);
      for (unsigned d = 0; d < iterators.size(); ++d)
        if (iterators[d] != utils::IteratorType::parallel)
          order.push_back(d);
      if (!llvm::equal(order, llvm::seq<unsigned>(0, order.size()))) {
        rewriter.setInsertionPoint(generic);
        (void)linalg::interchangeGenericOp(rewriter, generic, order);
      }
    }
  }
};
} // namespace
