//===- Resharding.h - Plans for moving a value between layouts --*- C++ -*-===//
//
// The resharding planner of hetu-partition: for a value laid out by some
// states over the devices of one tuple, and a target layout over the devices
// of another (or the same) tuple, which box of which source device every
// destination device needs, and which partial copies it adds.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_RESHARDING_H
#define HETU_DIALECT_HETU_TRANSFORMS_RESHARDING_H

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"

#include <string>

namespace mlir::hetu {

/// One replica's layout of a value: the devices of its tuple, in order, and
/// how the value is distributed over them.
struct Layout {
  SmallVector<DeviceAttr> devices;
  StatesAttr states;

  bool operator==(const Layout &other) const {
    return devices == other.devices && states == other.states;
  }
};

/// A box of a tensor: offsets and sizes per dimension.
struct Box {
  SmallVector<int64_t> offsets;
  SmallVector<int64_t> sizes;

  int64_t volume() const;
  bool operator==(const Box &other) const {
    return offsets == other.offsets && sizes == other.sizes;
  }
};

/// The box device `k` of `states` holds of a value of shape `globalShape`.
Box tileBox(StatesAttr states, int64_t k, ArrayRef<int64_t> globalShape);

/// One piece of a transfer: box `global` (global coordinates) of source
/// device `src`'s tile goes to destination device `dst` (positions in the
/// two layouts), as part of source partial copy `partial`.
struct Piece {
  int64_t src;
  int64_t dst;
  int64_t partial;
  Box global;
};

/// What one destination device does.
struct DestinationPlan {
  /// The source partial copies it adds up, ascending; empty means it starts
  /// from the identity (zeros): its target partial copy has no source.
  SmallVector<int64_t> partials;
  /// Its pieces, by partial copy then by source tile (row-major).
  SmallVector<Piece> pieces;
};

/// The plan of one resharding, destination by destination (the global order
/// every rank follows: destination position, partial copy, source tile).
struct ReshardPlan {
  SmallVector<DestinationPlan> destinations;
};

/// Plans moving a value of shape `globalShape` from `src` to `dst`. Source
/// partial copy p is added into target partial copy p % target-partial, so
/// every source partial copy is summed exactly once. A duplicated source tile
/// is read from the copy on the destination device when there is one, else
/// from copy (destination position % copies). The plan is checked (every
/// destination element covered exactly once per partial copy it adds, every
/// source partial copy added once); a plan that fails the check, or a shape
/// the states do not divide, fails with `why`.
FailureOr<ReshardPlan> planResharding(ArrayRef<int64_t> globalShape,
                                      const Layout &src, const Layout &dst,
                                      std::string &why);

/// Only the plans of destinations `wanted` (positions) and of the pieces
/// source position `source` sends, for per-rank emission; the others are
/// left empty. Same checks as planResharding on what is planned.
FailureOr<ReshardPlan> planReshardingFor(ArrayRef<int64_t> globalShape,
                                         const Layout &src, const Layout &dst,
                                         ArrayRef<int64_t> wanted,
                                         std::optional<int64_t> source,
                                         std::string &why);

} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_TRANSFORMS_RESHARDING_H
