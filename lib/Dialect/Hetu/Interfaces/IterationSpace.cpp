//===- IterationSpace.cpp - The iteration-space states algebra ------------===//
//
// The iteration-space algebra: from the states of the known operands, which
// block of every loop each device of a worker works on, and from that the
// states of every result and the states every operand is needed in.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::hetu;

MLIRContext *StatesRuleContext::getContext() const {
  for (StatesAttr s : operands)
    if (s)
      return s.getContext();
  for (StatesAttr s : results)
    if (s)
      return s.getContext();
  return nullptr;
}

namespace {
/// One coordinate of a device index: (k / stride) % extent.
struct Digit {
  int64_t entry; ///< order entry: a dimension, kDuplicateDim or kPartialDim
  int64_t stride;
  int64_t extent;
};
} // namespace

/// How many values an order entry (a split dimension, duplicate or partial)
/// takes.
static int64_t entryExtent(int64_t entry, ArrayRef<int64_t> splits,
                           int64_t duplicate, int64_t partial) {
  if (entry == StatesAttr::kDuplicateDim)
    return duplicate;
  if (entry == StatesAttr::kPartialDim)
    return partial;
  return splits[entry];
}

FailureOr<StatesAttr>
mlir::hetu::statesFromDigits(MLIRContext *context, ArrayRef<int64_t> splits,
                             int64_t partial, ArrayRef<int64_t> splitStrides,
                             int64_t partialStride, int64_t numDevices) {
  int64_t rank = splits.size();
  SmallVector<Digit> digits;
  int64_t tiles = partial;
  for (int64_t d = 0; d < rank; ++d) {
    tiles *= splits[d];
    if (splits[d] > 1)
      digits.push_back({d, splitStrides[d], splits[d]});
  }
  if (partial > 1)
    digits.push_back({StatesAttr::kPartialDim, partialStride, partial});
  if (tiles < 1 || numDevices % tiles != 0)
    return failure();
  int64_t duplicate = numDevices / tiles;
  // The digits must tile [0, numDevices) as one mixed radix, the duplicate
  // filling the one gap (if any).
  llvm::sort(digits, [](const Digit &a, const Digit &b) {
    return a.stride < b.stride;
  });
  SmallVector<int64_t> fastestFirst;
  int64_t next = 1;
  bool placedDuplicate = duplicate == 1;
  for (const Digit &digit : digits) {
    if (digit.stride != next && !placedDuplicate &&
        digit.stride == next * duplicate) {
      fastestFirst.push_back(StatesAttr::kDuplicateDim);
      next *= duplicate;
      placedDuplicate = true;
    }
    if (digit.stride != next)
      return failure();
    fastestFirst.push_back(digit.entry);
    next *= digit.extent;
  }
  if (!placedDuplicate) {
    fastestFirst.push_back(StatesAttr::kDuplicateDim);
    next *= duplicate;
  }
  if (next != numDevices)
    return failure();
  // Active entries outermost first, in the slots they take in the default
  // order (entries of extent 1 do not affect the mapping).
  SmallVector<int64_t> order =
      StatesAttr::defaultOrder(rank, duplicate, partial);
  auto extent = [&](int64_t entry) {
    return entryExtent(entry, splits, duplicate, partial);
  };
  auto slot = llvm::reverse(fastestFirst).begin();
  for (int64_t &entry : order)
    if (extent(entry) > 1)
      entry = *slot++;
  return StatesAttr::get(context, splits, duplicate, partial, order);
}

FailureOr<StatesAttr> mlir::hetu::statesFromDeviceMap(
    MLIRContext *context, ArrayRef<int64_t> splits, int64_t partial,
    ArrayRef<SmallVector<int64_t>> blocksPerDevice,
    ArrayRef<int64_t> partialPerDevice, std::string &why) {
  int64_t numDevices = blocksPerDevice.size();
  int64_t rank = splits.size();
  int64_t tiles = partial;
  for (int64_t s : splits)
    tiles *= s;
  if (numDevices % tiles != 0) {
    why = std::to_string(tiles) + " tiles cannot be spread evenly over " +
          std::to_string(numDevices) + " devices";
    return failure();
  }
  int64_t duplicate = numDevices / tiles;

  // Number the copies of each (tile, partial index) by device index.
  llvm::DenseMap<ArrayRef<int64_t>, int64_t> seen;
  SmallVector<SmallVector<int64_t>> keys(numDevices);
  SmallVector<int64_t> dupIndex(numDevices);
  for (int64_t k = 0; k < numDevices; ++k) {
    keys[k] = blocksPerDevice[k];
    keys[k].push_back(partialPerDevice[k]);
    dupIndex[k] = seen[keys[k]]++;
  }
  if (static_cast<int64_t>(seen.size()) != tiles) {
    why = "the devices hold " + std::to_string(seen.size()) + " of the " +
          std::to_string(tiles) + " tiles";
    return failure();
  }
  int64_t fewest = numDevices, most = 0;
  for (auto &[key, copies] : seen) {
    fewest = std::min(fewest, copies);
    most = std::max(most, copies);
  }
  if (fewest != most) {
    why = "tiles are held by " + std::to_string(fewest) + " to " +
          std::to_string(most) + " devices each instead of " +
          std::to_string(duplicate);
    return failure();
  }

  // Find the order, fastest entry first: device `stride` has digit 1 in the
  // next entry and 0 in every other one.
  auto digit = [&](int64_t k, int64_t entry) {
    if (entry == StatesAttr::kDuplicateDim)
      return dupIndex[k];
    if (entry == StatesAttr::kPartialDim)
      return partialPerDevice[k];
    return blocksPerDevice[k][entry];
  };
  auto extent = [&](int64_t entry) {
    return entryExtent(entry, splits, duplicate, partial);
  };
  SmallVector<int64_t> defaultOrder =
      StatesAttr::defaultOrder(rank, duplicate, partial);
  SmallVector<int64_t> active;
  for (int64_t entry : defaultOrder)
    if (extent(entry) > 1)
      active.push_back(entry);
  SmallVector<int64_t> fastestFirst;
  int64_t stride = 1;
  SmallVector<int64_t> remaining = active;
  while (!remaining.empty()) {
    auto *next = llvm::find_if(remaining, [&](int64_t e) {
      if (stride >= numDevices || digit(stride, e) != 1)
        return false;
      return llvm::all_of(remaining, [&](int64_t other) {
        return other == e || digit(stride, other) == 0;
      });
    });
    if (next == remaining.end()) {
      why = "no tile order maps the devices to their tiles";
      return failure();
    }
    fastestFirst.push_back(*next);
    stride *= extent(*next);
    remaining.erase(next);
  }
  // Active entries outermost first, in the slots they take in the default
  // order (entries of extent 1 do not affect the mapping).
  SmallVector<int64_t> order = defaultOrder;
  auto slot = llvm::reverse(fastestFirst).begin();
  for (int64_t &entry : order)
    if (extent(entry) > 1)
      entry = *slot++;

  StatesAttr states =
      StatesAttr::get(context, splits, duplicate, partial, order);
  for (int64_t k = 0; k < numDevices; ++k) {
    StatesAttr::Coords coords = states.getCoords(k);
    if (coords.blocks != ArrayRef(blocksPerDevice[k]) ||
        coords.partial != partialPerDevice[k] ||
        coords.duplicate != dupIndex[k]) {
      why = "no tile order maps the devices to their tiles";
      return failure();
    }
  }
  return states;
}

StatesAttr mlir::hetu::foldPartial(StatesAttr states) {
  if (states.getPartial() == 1)
    return states;
  int64_t n = states.getNumDevices();
  SmallVector<int64_t> strides;
  for (auto [d, split] : llvm::enumerate(states.getSplits()))
    strides.push_back(split > 1 ? states.getStride(d) : 0);
  FailureOr<StatesAttr> folded = statesFromDigits(
      states.getContext(), states.getSplits(), 1, strides, 0, n);
  if (succeeded(folded))
    return *folded;
  return StatesAttr::get(states.getContext(), states.getSplits(),
                         states.getDuplicate() * states.getPartial());
}

namespace {
/// The block of every loop each device works on, and what pinned it. A
/// pinned loop's block is a digit of the device index, (k / stride) % count
/// (a digit of the states that pinned it), so nothing here enumerates the
/// devices unless a map turns out not to be expressible, and then only to
/// explain why.
class LoopPins {
public:
  LoopPins(unsigned numLoops, int64_t numDevices, ArrayRef<bool> unsplittable)
      : numDevices(numDevices), counts(numLoops, 1), strides(numLoops, 0),
        sources(numLoops, -1), unsplittable(unsplittable) {}

  /// Pins the loops that the split dimensions of `states` (read through
  /// `map`) run over. `source` names the operand (or result) for notes.
  LogicalResult pin(StatesAttr states, AffineMap map, int64_t source,
                    StatesRuleContext &ctx, StringRef what) {
    for (int64_t dim = 0, e = states.getRank(); dim < e; ++dim) {
      int64_t split = states.getSplits()[dim];
      if (split == 1)
        continue;
      auto loop = dyn_cast<AffineDimExpr>(map.getResult(dim));
      if (!loop)
        return ctx.emitError()
               << what << " is split along dimension " << dim << " (" << states
               << "), which is not a single loop of the operation";
      unsigned l = loop.getPosition();
      // Such a loop stays whole: the operand is needed gathered along it.
      if (l < unsplittable.size() && unsplittable[l])
        continue;
      // Two digits of extent > 1 give the same block on every device iff
      // they are the same digit.
      int64_t stride = states.getStride(dim);
      if (sources[l] >= 0 && (counts[l] != split || strides[l] != stride)) {
        InFlightDiagnostic diag = ctx.emitError()
                                  << "conflicting distributed states: " << what
                                  << " " << states << " splits loop " << l
                                  << " differently from "
                                  << describe(sources[l], ctx);
        noteSource(diag, sources[l], ctx);
        noteSource(diag, source, ctx);
        return diag;
      }
      if (sources[l] < 0) {
        counts[l] = split;
        strides[l] = stride;
        sources[l] = source;
      }
    }
    return success();
  }

  /// States of a value read or written through `map`, whose loops outside
  /// the map's results are reduced (partial) when `partialOverOthers`.
  FailureOr<StatesAttr> statesFor(AffineMap map, bool partialOverOthers,
                                  MLIRContext *context, std::string &why) {
    SmallVector<int64_t> splits, splitStrides;
    SmallVector<unsigned> dimLoops;
    llvm::SmallBitVector used(counts.size());
    for (AffineExpr expr : map.getResults()) {
      auto loop = dyn_cast<AffineDimExpr>(expr);
      splits.push_back(loop ? counts[loop.getPosition()] : 1);
      splitStrides.push_back(loop ? strides[loop.getPosition()] : 0);
      dimLoops.push_back(loop ? loop.getPosition() : ~0u);
      if (loop)
        used.set(loop.getPosition());
    }
    // The partial index numbers the reduced loops' blocks, the last loop
    // fastest: one digit when their digits are adjacent in that nesting.
    int64_t partial = 1, partialStride = 0;
    bool partialIsDigit = true;
    SmallVector<unsigned> reduced;
    if (partialOverOthers)
      for (unsigned l = 0; l < counts.size(); ++l)
        if (!used.test(l) && counts[l] > 1)
          reduced.push_back(l);
    for (unsigned l : llvm::reverse(reduced)) {
      if (partial == 1)
        partialStride = strides[l];
      else if (strides[l] != partialStride * partial)
        partialIsDigit = false;
      partial *= counts[l];
    }
    FailureOr<StatesAttr> closed = failure();
    if (partialIsDigit)
      closed = statesFromDigits(context, splits, partial, splitStrides,
                                partialStride, numDevices);
    if (succeeded(closed))
      return closed;
    // Not expressible (statesFromDigits fails exactly where the enumeration
    // does): the enumeration says why.
    SmallVector<SmallVector<int64_t>> tiles;
    SmallVector<int64_t> partialIndex;
    for (int64_t k = 0; k < numDevices; ++k) {
      SmallVector<int64_t> tile;
      for (unsigned l : dimLoops)
        tile.push_back(l == ~0u ? 0 : blockOf(k, l));
      tiles.push_back(std::move(tile));
      int64_t p = 0;
      for (unsigned l : reduced)
        p = p * counts[l] + blockOf(k, l);
      partialIndex.push_back(p);
    }
    return statesFromDeviceMap(context, splits, partial, tiles, partialIndex,
                               why);
  }

  bool anyPinned() const {
    return llvm::any_of(sources, [](int64_t s) { return s >= 0; });
  }
  void noteSources(InFlightDiagnostic &diag, StatesRuleContext &ctx) const {
    llvm::SmallDenseSet<int64_t> noted;
    for (int64_t s : sources)
      if (s >= 0 && noted.insert(s).second)
        noteSource(diag, s, ctx);
  }

private:
  static std::string describe(int64_t source, StatesRuleContext &ctx) {
    int64_t numOperands = ctx.operands.size();
    if (source < numOperands)
      return "operand #" + std::to_string(source);
    return "result #" + std::to_string(source - numOperands) +
           " (as its users need it)";
  }
  static void noteSource(InFlightDiagnostic &diag, int64_t source,
                         StatesRuleContext &ctx) {
    int64_t numOperands = ctx.operands.size();
    if (source < numOperands && ctx.noteOperand)
      ctx.noteOperand(diag, source);
  }

  /// Device k's block of loop l.
  int64_t blockOf(int64_t k, unsigned l) const {
    return counts[l] > 1 ? (k / strides[l]) % counts[l] : 0;
  }

  int64_t numDevices;
  SmallVector<int64_t> counts;
  SmallVector<int64_t> strides;
  SmallVector<int64_t> sources;
  ArrayRef<bool> unsplittable;
};
} // namespace

LogicalResult mlir::hetu::inferIterationSpaceStates(const IterationSpace &space,
                                                    StatesRuleContext &ctx) {
  int64_t numDevices = ctx.numDevices;
  int64_t numOperands = ctx.operands.size();
  MLIRContext *context = ctx.getContext();
  if (!context)
    return success(); // Nothing known yet.

  llvm::SmallBitVector tied(numOperands);
  for (int64_t t : space.tiedOperand)
    if (t >= 0)
      tied.set(t);

  // Pin the loops from what is known: operands that are read (not the
  // destinations results are accumulated into) and results users need.
  LoopPins pins(space.numLoops, numDevices, space.unsplittable);
  bool anyKnown = false;
  auto checkDevices = [&](StatesAttr states,
                          const Twine &what) -> LogicalResult {
    if (states.getNumDevices() == numDevices)
      return success();
    return ctx.emitError() << what << " has states " << states << " for "
                           << states.getNumDevices()
                           << " devices, but the operation runs on workers of "
                           << numDevices << " devices";
  };
  for (int64_t i = 0; i < numOperands; ++i) {
    StatesAttr states = ctx.operands[i];
    AffineMap map = space.operandMaps[i];
    if (!states || !map || tied.test(i))
      continue;
    std::string what = "operand #" + std::to_string(i);
    if (failed(checkDevices(states, what)))
      return failure();
    anyKnown |= map.getNumResults() > 0;
    // A partial operand is reduced before it is read.
    if (failed(pins.pin(foldPartial(states), map, i, ctx, what)))
      return failure();
  }
  for (auto [r, states] : llvm::enumerate(ctx.results)) {
    if (!states)
      continue;
    std::string what = "result #" + std::to_string(r);
    if (failed(checkDevices(states, what)))
      return failure();
    anyKnown = true;
    if (states.getPartial() == 1 &&
        failed(pins.pin(states, space.resultMaps[r], numOperands + r, ctx,
                        what + " (as its users need it)")))
      return failure();
  }
  if (!anyKnown)
    return success();

  auto tilesMismatch = [&](const Twine &what, StringRef why) {
    InFlightDiagnostic diag = ctx.emitError()
                              << "the operands' tiles do not line up for "
                              << what << ": " << why;
    pins.noteSources(diag, ctx);
    return diag;
  };
  SmallVector<StatesAttr> results(space.resultMaps.size());
  for (auto [r, map] : llvm::enumerate(space.resultMaps)) {
    std::string why;
    FailureOr<StatesAttr> states =
        pins.statesFor(map, /*partialOverOthers=*/true, context, why);
    if (failed(states))
      return tilesMismatch("result #" + Twine(r), why);
    if (ctx.results[r] && ctx.results[r] != *states)
      return ctx.emitError()
             << "result #" << r << " is needed in states " << ctx.results[r]
             << " by its users, but its operands give " << *states;
    results[r] = *states;
  }
  for (int64_t i = 0; i < numOperands; ++i) {
    AffineMap map = space.operandMaps[i];
    if (!map)
      continue;
    auto tiedResult = llvm::find(space.tiedOperand, i);
    if (tiedResult != space.tiedOperand.end()) {
      ctx.operands[i] = results[tiedResult - space.tiedOperand.begin()];
      continue;
    }
    std::string why;
    FailureOr<StatesAttr> states =
        pins.statesFor(map, /*partialOverOthers=*/false, context, why);
    if (failed(states))
      return tilesMismatch("operand #" + Twine(i), why);
    ctx.operands[i] = *states;
  }
  ctx.results = results;
  return success();
}
