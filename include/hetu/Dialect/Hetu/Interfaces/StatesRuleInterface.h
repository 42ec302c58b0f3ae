//===- StatesRuleInterface.h - Distributed-states rules ---------*- C++ -*-===//
//
// The interface through which an operation tells hetu-infer-states how its
// results are distributed (docs/generated/HetuInterfaces.md): what a rule
// sees and produces, and the iteration-space algebra behind the rules of
// linalg structured ops, elementwise ops and the hetu optimizer ops. The
// rules themselves are external models (Transforms/StatesRuleInterfaceImpl.h),
// so the dialect does not depend on this library.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_INTERFACES_STATESRULEINTERFACE_H
#define HETU_DIALECT_HETU_INTERFACES_STATESRULEINTERFACE_H

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Operation.h"

namespace mlir::hetu {

/// The states of an operation's operands and results inside one worker of
/// its placement, as a rule reads and completes them.
struct StatesRuleContext {
  /// Devices per worker of the operation's placement.
  int64_t numDevices = 1;
  /// In: the states each operand arrives in (null: not known yet; scalars
  /// are replicated rank-0 states). Out: the states the operation needs each
  /// operand in; where that differs from what arrives, hetu-partition
  /// inserts the transition. Null: no requirement (yet).
  SmallVector<StatesAttr> operands;
  /// In: states already required by users (null: unknown). Out: the states
  /// of the results.
  SmallVector<StatesAttr> results;
  /// Emits an error at the operation.
  function_ref<InFlightDiagnostic()> emitError;
  /// Source locations used in notes: what produced operand i.
  function_ref<void(InFlightDiagnostic &, unsigned operand)> noteOperand;

  MLIRContext *getContext() const;
};

/// A distributed operation seen as an iteration space: operand i reads
/// `operandMaps[i]` (loops -> operand dims, null for scalars), result r is
/// written through `resultMaps[r]`, and result r is accumulated into operand
/// `tiedOperand[r]` (-1 if none; destination-passing style). Loops absent from
/// a result's map are reduced for it.
struct IterationSpace {
  unsigned numLoops = 0;
  SmallVector<AffineMap> operandMaps;
  SmallVector<AffineMap> resultMaps;
  SmallVector<int64_t> tiedOperand;
  /// Loops that may not be split across devices (empty: none). Partial
  /// states mean partial *sums*: a loop reduced with another combiner (max,
  /// mul, ...) must be whole on every device.
  SmallVector<bool> unsplittable;
};

/// The rule of every linalg structured op and every elementwise op: each
/// device of the worker works on one block of the iteration space, pinned by
/// the operands (and results) whose states are known; results get split
/// counts from their loops, `partial` from split reduced loops, `duplicate`
/// from devices sharing a tile, and the order that reproduces the device ->
/// tile map. Conflicting pins and device maps no states can express are
/// diagnosed. Leaves everything null when nothing is known yet.
LogicalResult inferIterationSpaceStates(const IterationSpace &space,
                                        StatesRuleContext &ctx);

/// Builds states of rank `blocksPerDevice[k].size()` from what each device k
/// holds (its block per dimension and its partial index): split counts
/// `splits`, `partial` partial copies, duplicates numbered by increasing
/// device index, and an order reproducing the map (the default one when it
/// does). Fails when the devices do not cover every block and partial index
/// equally often, or when no order reproduces the map.
FailureOr<StatesAttr>
statesFromDeviceMap(MLIRContext *context, ArrayRef<int64_t> splits,
                    int64_t partial,
                    ArrayRef<SmallVector<int64_t>> blocksPerDevice,
                    ArrayRef<int64_t> partialPerDevice, std::string &why);

/// statesFromDeviceMap in closed form, O(rank) instead of O(devices), for
/// maps where each block index and the partial index is a digit of the
/// device index k: dimension d's block is (k / splitStrides[d]) % splits[d]
/// (strides of dimensions not split are ignored), the partial index
/// (k / partialStride) % partial. The devices left over are the duplicate
/// copies, numbered by increasing device index. Gives the same states as
/// statesFromDeviceMap on the enumerated map, and fails exactly where it
/// does (no explanation: enumerate for that).
FailureOr<StatesAttr>
statesFromDigits(MLIRContext *context, ArrayRef<int64_t> splits,
                 int64_t partial, ArrayRef<int64_t> splitStrides,
                 int64_t partialStride, int64_t numDevices);

/// `states` with its partial copies reduced: the same tiles, the partial
/// copies becoming duplicates on the same devices where an order can say
/// so (otherwise the default order).
StatesAttr foldPartial(StatesAttr states);

} // namespace mlir::hetu

#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.h.inc"

#endif // HETU_DIALECT_HETU_INTERFACES_STATESRULEINTERFACE_H
