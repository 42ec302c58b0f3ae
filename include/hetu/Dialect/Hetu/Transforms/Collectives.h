//===- Collectives.h - Transitions that are one collective ------*- C++ -*-===//
//
// Which transitions between two layouts over the same devices hetu-partition
// writes as one collective per group of devices (all_reduce, all_gather,
// reduce_scatter), and the group a device takes part in.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_COLLECTIVES_H
#define HETU_DIALECT_HETU_TRANSFORMS_COLLECTIVES_H

#include "hetu/Dialect/Hetu/Transforms/Resharding.h"

#include <optional>

namespace mlir::hetu {

/// One collective per group of devices, and the group of one device.
struct CollectivePlan {
  enum Kind { AllReduce, AllGather, ReduceScatter } kind = AllReduce;
  /// The dimension gathered or scattered.
  int64_t dim = -1;
  /// The positions (in the shared tuple) of the asking device's group, in
  /// rank order within the collective.
  SmallVector<int64_t> members;

  bool operator==(const CollectivePlan &other) const {
    return kind == other.kind && dim == other.dim && members == other.members;
  }
};

/// Whether moving a value from `src` to `dst` is one collective per group:
/// the same devices in the same order, with matching roles (partial ->
/// duplicate is all_reduce, split -> whole along one dimension all_gather,
/// partial -> split along one dimension reduce_scatter), every group of the
/// same size and ordered by the roles. The plan carries the group of the
/// device at position `pos`. Decided from the digits of the device index
/// the states give (O(rank + group size)), enumerating the devices only
/// where a reduce_scatter's groups are not one digit.
std::optional<CollectivePlan> matchCollective(const Layout &src,
                                              const Layout &dst, int64_t pos);

/// The same answer from every device's coordinates, O(devices): what
/// matchCollective falls back to, and the reference it is tested against.
std::optional<CollectivePlan>
matchCollectiveByEnumeration(const Layout &src, const Layout &dst, int64_t pos);

} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_TRANSFORMS_COLLECTIVES_H
