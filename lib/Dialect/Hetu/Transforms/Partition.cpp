//===- Partition.cpp - hetu-partition -------------------------------------===//
//
// One program per rank: each rank keeps the work of the devices it runs, on
// local tiles, and takes part in the transfers that move values between
// layouts (see the pass description for the deadlock-freedom argument).
//
//===----------------------------------------------------------------------===//

#include "Partition.h"

#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUPARTITION
#include "hetu/Dialect/Hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;
using namespace mlir::hetu::partition;

namespace {
struct PartitionPass : public hetu::impl::HetuPartitionBase<PartitionPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto rankMap =
        module->getAttrOfType<ArrayAttr>(HetuDialect::kRankMapAttrName);
    if (!rankMap) {
      module.emitError() << "no 'hetu.rank_map': run hetu-deduce-strategy "
                            "before hetu-partition";
      return signalPassFailure();
    }
    int64_t numRanks = rankMap.size();
    if (rank >= numRanks) {
      module.emitError() << "rank=" << static_cast<int64_t>(rank)
                         << " is out of range: the module "
                         << "has " << numRanks << " ranks";
      return signalPassFailure();
    }

    SmallVector<func::FuncOp> funcs;
    for (func::FuncOp f : module.getOps<func::FuncOp>())
      if (!f.isExternal() && (getDefaultPlacement(f, /*includeSelf=*/true) ||
                              f->walk([](Operation *op) {
                                 return getExplicitPlacement(op)
                                            ? WalkResult::interrupt()
                                            : WalkResult::advance();
                               }).wasInterrupted()))
        funcs.push_back(f);

    OpBuilder builder(module.getContext());
    builder.setInsertionPointToEnd(module.getBody());
    for (func::FuncOp f : funcs) {
      FunctionFacts facts;
      if (failed(facts.build(f)))
        return signalPassFailure();
      for (int64_t r = 0; r < numRanks; ++r) {
        if (rank >= 0 && r != rank)
          continue;
        RankEmitter emitter(facts, r, cast<DeviceAttr>(rankMap[r]));
        FailureOr<func::FuncOp> fn = emitter.emit();
        if (failed(fn))
          return signalPassFailure();
        builder.insert(*fn);
      }
    }
    for (func::FuncOp f : funcs)
      f.erase();
  }
};
} // namespace
