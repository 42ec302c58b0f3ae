//===- Resharding.cpp - Plans for moving a value between layouts ----------===//

#include "hetu/Dialect/Hetu/Transforms/Resharding.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::hetu;

int64_t Box::volume() const {
  int64_t v = 1;
  for (int64_t s : sizes)
    v *= s;
  return v;
}

Box mlir::hetu::tileBox(StatesAttr states, int64_t k,
                        ArrayRef<int64_t> globalShape) {
  StatesAttr::Coords coords = states.getCoords(k);
  Box box;
  for (auto [size, split, block] :
       llvm::zip_equal(globalShape, states.getSplits(), coords.blocks)) {
    box.sizes.push_back(size / split);
    box.offsets.push_back(block * (size / split));
  }
  return box;
}

static bool intersect(const Box &a, const Box &b, Box &out) {
  out.offsets.clear();
  out.sizes.clear();
  for (auto [ao, as, bo, bs] :
       llvm::zip_equal(a.offsets, a.sizes, b.offsets, b.sizes)) {
    int64_t lo = std::max(ao, bo), hi = std::min(ao + as, bo + bs);
    if (hi <= lo)
      return false;
    out.offsets.push_back(lo);
    out.sizes.push_back(hi - lo);
  }
  return true;
}

namespace {
class Planner {
public:
  Planner(ArrayRef<int64_t> globalShape, const Layout &src, const Layout &dst)
      : shape(globalShape), src(src), dst(dst) {
    for (auto [k, device] : llvm::enumerate(src.devices))
      sourceIndex[device] = k;
  }

  LogicalResult checkShapes(std::string &why) {
    for (StatesAttr states : {src.states, dst.states}) {
      if (states.getRank() != static_cast<int64_t>(shape.size())) {
        why = "states of rank " + std::to_string(states.getRank()) +
              " for a value of rank " + std::to_string(shape.size());
        return failure();
      }
      for (auto [dim, size, split] : llvm::enumerate(shape, states.getSplits()))
        if (ShapedType::isDynamic(size) || size == 0 || size % split != 0) {
          why = ShapedType::isDynamic(size)
                    ? "dimension " + std::to_string(dim) + " is dynamic"
                : size == 0 ? "dimension " + std::to_string(dim) + " is empty"
                            : "dimension " + std::to_string(dim) + " of size " +
                                  std::to_string(size) +
                                  " is not divisible by its split count " +
                                  std::to_string(split);
          return failure();
        }
    }
    if (static_cast<int64_t>(src.devices.size()) !=
            src.states.getNumDevices() ||
        static_cast<int64_t>(dst.devices.size()) !=
            dst.states.getNumDevices()) {
      why = "a layout's states do not describe its number of devices";
      return failure();
    }
    return success();
  }

  /// Plans destination `d`; only pieces from `onlySource` when given.
  LogicalResult plan(int64_t d, std::optional<int64_t> onlySource,
                     DestinationPlan &out, std::string &why) {
    StatesAttr s = src.states, r = dst.states;
    int64_t q = r.getCoords(d).partial;
    Box box = tileBox(r, d, shape);
    std::optional<Box> sourceBox;
    if (onlySource) {
      sourceBox = tileBox(s, *onlySource, shape);
      Box ignored;
      if (!intersect(box, *sourceBox, ignored))
        return success();
    }
    for (int64_t p = 0; p < s.getPartial(); ++p) {
      if (p % r.getPartial() != q)
        continue;
      out.partials.push_back(p);
      int64_t covered = 0;
      // The source blocks this box overlaps, per dimension.
      int64_t rank = shape.size();
      SmallVector<int64_t> lo(rank), hi(rank), blockSize(rank);
      for (int64_t dim = 0; dim < rank; ++dim) {
        blockSize[dim] = shape[dim] / s.getSplits()[dim];
        lo[dim] = box.offsets[dim] / blockSize[dim];
        hi[dim] = (box.offsets[dim] + box.sizes[dim] - 1) / blockSize[dim];
      }
      SmallVector<int64_t> blocks = lo;
      while (true) {
        Box srcTile;
        for (int64_t dim = 0; dim < rank; ++dim) {
          srcTile.offsets.push_back(blocks[dim] * blockSize[dim]);
          srcTile.sizes.push_back(blockSize[dim]);
        }
        Box piece;
        bool overlaps = intersect(box, srcTile, piece);
        (void)overlaps;
        covered += piece.volume();
        int64_t source = chooseCopy(blocks, p, d);
        if (!onlySource || *onlySource == source)
          out.pieces.push_back(Piece{source, d, p, piece});
        // Next block combination, row-major.
        int64_t dim = rank - 1;
        while (dim >= 0 && blocks[dim] == hi[dim]) {
          blocks[dim] = lo[dim];
          --dim;
        }
        if (dim < 0)
          break;
        ++blocks[dim];
      }
      if (covered != box.volume()) {
        why = "destination " + std::to_string(d) + " would get " +
              std::to_string(covered) + " of its " +
              std::to_string(box.volume()) + " elements from partial copy " +
              std::to_string(p);
        return failure();
      }
    }
    return success();
  }

private:
  /// The source copy destination `d` reads tile `blocks` / partial `p` from:
  /// the one on its own device if any, else copy d % copies.
  int64_t chooseCopy(ArrayRef<int64_t> blocks, int64_t p, int64_t d) {
    StatesAttr s = src.states;
    auto local = sourceIndex.find(dst.devices[d]);
    if (local != sourceIndex.end()) {
      StatesAttr::Coords held = s.getCoords(local->second);
      if (held.partial == p && ArrayRef(held.blocks) == blocks)
        return local->second;
    }
    StatesAttr::Coords coords;
    coords.blocks.assign(blocks.begin(), blocks.end());
    coords.partial = p;
    coords.duplicate = d % s.getDuplicate();
    return s.getDeviceIndex(coords);
  }

  ArrayRef<int64_t> shape;
  const Layout &src;
  const Layout &dst;
  /// Position of each source device.
  llvm::DenseMap<Attribute, int64_t> sourceIndex;
};
} // namespace

/// Whether every device of `dst` reads its whole tile from its own copy in
/// `src` (the same devices, no partial copies, and each device's source tile
/// containing its target tile), decided from the states' digits: along a
/// dimension split S ways in `src` and R ways in `dst`, the target block of
/// device k lies in its source block iff S divides R and the source's digit
/// is the high part of the target's. Then no device sends to another.
static bool everyDeviceReadsItsOwnCopy(const Layout &src, const Layout &dst) {
  StatesAttr s = src.states, r = dst.states;
  if (src.devices != dst.devices || s.getPartial() != 1 ||
      r.getPartial() != 1 || s.getRank() != r.getRank())
    return false;
  for (int64_t d = 0, e = s.getRank(); d < e; ++d) {
    int64_t from = s.getSplits()[d], to = r.getSplits()[d];
    if (from == 1)
      continue;
    if (to % from != 0 || s.getStride(d) != r.getStride(d) * (to / from))
      return false;
  }
  return true;
}

FailureOr<ReshardPlan>
mlir::hetu::planReshardingFor(ArrayRef<int64_t> globalShape, const Layout &src,
                              const Layout &dst, ArrayRef<int64_t> wanted,
                              std::optional<int64_t> source, std::string &why) {
  Planner planner(globalShape, src, dst);
  if (failed(planner.checkShapes(why)))
    return failure();
  ReshardPlan plan;
  int64_t numDst = dst.devices.size();
  plan.destinations.resize(numDst);
  // Pieces `source` sends to others: none when every device has its own.
  bool onlyOwnCopies = source && everyDeviceReadsItsOwnCopy(src, dst);
  for (int64_t d = 0; d < numDst; ++d) {
    bool full = llvm::is_contained(wanted, d);
    if (!full && (!source || (onlyOwnCopies && d != *source)))
      continue;
    if (failed(planner.plan(d, full ? std::nullopt : source,
                            plan.destinations[d], why)))
      return failure();
  }
  return plan;
}

FailureOr<ReshardPlan> mlir::hetu::planResharding(ArrayRef<int64_t> globalShape,
                                                  const Layout &src,
                                                  const Layout &dst,
                                                  std::string &why) {
  SmallVector<int64_t> all =
      llvm::to_vector(llvm::seq<int64_t>(0, dst.devices.size()));
  FailureOr<ReshardPlan> plan =
      planReshardingFor(globalShape, src, dst, all, std::nullopt, why);
  if (failed(plan))
    return failure();
  // Every copy of every target tile adds each source partial copy once.
  StatesAttr r = dst.states;
  llvm::DenseMap<std::pair<ArrayRef<int64_t>, int64_t>, int64_t> added;
  SmallVector<StatesAttr::Coords> coords;
  for (int64_t d = 0, e = dst.devices.size(); d < e; ++d)
    coords.push_back(r.getCoords(d));
  for (int64_t d = 0, e = dst.devices.size(); d < e; ++d)
    added[{coords[d].blocks, coords[d].duplicate}] +=
        plan->destinations[d].partials.size();
  for (auto &[key, count] : added)
    if (count != src.states.getPartial()) {
      why = "a target tile would add " + std::to_string(count) + " of the " +
            std::to_string(src.states.getPartial()) + " partial copies";
      return failure();
    }
  return plan;
}
