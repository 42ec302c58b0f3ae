//===- Collectives.cpp - Transitions that are one collective --------------===//
//
// Every device's coordinates under a states attribute are digits of its
// index in the tuple, (k / stride) % extent. Whether a transition is a
// collective, and which devices form one device's group, is therefore a
// question about the digits of two states, answered here without visiting
// the devices; the enumeration over every device stays as the reference.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/Transforms/Collectives.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

#include <map>
#include <variant>

using namespace mlir;
using namespace mlir::hetu;

/// Preconditions shared by both forms.
static bool mayBeCollective(const Layout &src, const Layout &dst) {
  return src.devices == dst.devices && dst.states.getPartial() == 1 &&
         src.devices.size() >= 2;
}

/// The one dimension whose split differs between two states, if exactly one
/// does.
static std::optional<int64_t> soleDifferingSplit(StatesAttr s, StatesAttr r) {
  std::optional<int64_t> found;
  for (int64_t d = 0, rank = s.getRank(); d < rank; ++d) {
    if (s.getSplits()[d] == r.getSplits()[d])
      continue;
    if (found)
      return std::nullopt;
    found = d;
  }
  return found;
}

std::optional<CollectivePlan>
mlir::hetu::matchCollectiveByEnumeration(const Layout &src, const Layout &dst,
                                         int64_t pos) {
  if (!mayBeCollective(src, dst))
    return std::nullopt;
  StatesAttr s = src.states, r = dst.states;
  int64_t n = src.devices.size(), rank = s.getRank();
  SmallVector<StatesAttr::Coords> cs, cr;
  for (int64_t k = 0; k < n; ++k) {
    cs.push_back(s.getCoords(k));
    cr.push_back(r.getCoords(k));
  }
  // Groups of devices that hold the same source tile / copy, except along
  // `ignoreDim`, ordered by `orderKey`: every group of `expectedSize`
  // members numbered 0.. by the key, else no collective.
  auto groupBy = [&](CollectivePlan::Kind kind, int64_t ignoreDim,
                     function_ref<int64_t(int64_t)> orderKey,
                     int64_t expectedSize) -> std::optional<CollectivePlan> {
    std::map<SmallVector<int64_t>, SmallVector<int64_t>> groups;
    for (int64_t k = 0; k < n; ++k) {
      SmallVector<int64_t> key;
      for (int64_t d = 0; d < rank; ++d)
        if (d != ignoreDim)
          key.push_back(cs[k].blocks[d]);
      key.push_back(cs[k].duplicate);
      if (ignoreDim >= 0 && s.getPartial() > 1)
        key.push_back(-1 - cs[k].blocks[ignoreDim]);
      groups[key].push_back(k);
    }
    CollectivePlan plan;
    plan.kind = kind;
    for (auto &[key, members] : groups) {
      if (static_cast<int64_t>(members.size()) != expectedSize)
        return std::nullopt;
      llvm::sort(members, [&](int64_t a, int64_t b) {
        return orderKey(a) < orderKey(b);
      });
      for (auto [i, m] : llvm::enumerate(members))
        if (orderKey(m) != static_cast<int64_t>(i))
          return std::nullopt;
      if (llvm::is_contained(members, pos))
        plan.members = members;
    }
    return plan;
  };

  if (s.getPartial() > 1 && s.getSplits() == r.getSplits() &&
      llvm::all_of(llvm::seq<int64_t>(0, n),
                   [&](int64_t k) { return cs[k].blocks == cr[k].blocks; }))
    return groupBy(
        CollectivePlan::AllReduce, -1, [&](int64_t k) { return cs[k].partial; },
        s.getPartial());
  std::optional<int64_t> differing = soleDifferingSplit(s, r);
  if (!differing)
    return std::nullopt;
  int64_t g = *differing;
  auto sameElsewhere = [&](int64_t k) {
    for (int64_t d = 0; d < rank; ++d)
      if (d != g && cs[k].blocks[d] != cr[k].blocks[d])
        return false;
    return true;
  };
  if (!llvm::all_of(llvm::seq<int64_t>(0, n), sameElsewhere))
    return std::nullopt;
  std::optional<CollectivePlan> plan;
  if (s.getPartial() == 1 && r.getSplits()[g] == 1) {
    plan = groupBy(
        CollectivePlan::AllGather, g,
        [&](int64_t k) { return cs[k].blocks[g]; }, s.getSplits()[g]);
  } else {
    int64_t p = s.getPartial();
    if (p > 1 && r.getSplits()[g] == s.getSplits()[g] * p &&
        llvm::all_of(llvm::seq<int64_t>(0, n), [&](int64_t k) {
          return cr[k].blocks[g] / p == cs[k].blocks[g];
        }))
      plan = groupBy(
          CollectivePlan::ReduceScatter, -1,
          [&](int64_t k) { return cr[k].blocks[g] % p; }, p);
  }
  if (plan)
    plan->dim = g;
  return plan;
}

namespace {
/// Three answers: a collective, none, or "enumerate to find out".
struct Undecided {};
} // namespace

/// The group of the device at `pos` when groups are the devices that differ
/// from it only in one digit (`stride`, `extent`), in that digit's order.
static SmallVector<int64_t> digitGroup(int64_t pos, int64_t stride,
                                       int64_t extent) {
  int64_t base = pos - ((pos / stride) % extent) * stride;
  SmallVector<int64_t> members;
  for (int64_t j = 0; j < extent; ++j)
    members.push_back(base + j * stride);
  return members;
}

/// Whether two states with the same split along `dim` give every device the
/// same block there: digits of extent > 1 agree on every device iff they
/// have the same stride.
static bool sameBlocks(StatesAttr a, StatesAttr b, int64_t dim) {
  return a.getSplits()[dim] == 1 || a.getStride(dim) == b.getStride(dim);
}

static std::variant<std::optional<CollectivePlan>, Undecided>
matchByDigits(const Layout &src, const Layout &dst, int64_t pos) {
  if (!mayBeCollective(src, dst))
    return std::nullopt;
  StatesAttr s = src.states, r = dst.states;
  int64_t rank = s.getRank(), p = s.getPartial();
  auto plan = [&](CollectivePlan::Kind kind, int64_t dim,
                  SmallVector<int64_t> members) {
    return std::optional<CollectivePlan>(
        CollectivePlan{kind, dim, std::move(members)});
  };
  if (p > 1 && s.getSplits() == r.getSplits()) {
    // Same splits: all_reduce when every device keeps its blocks, the
    // groups being the partial digit (always even and ordered); otherwise
    // no dimension differs in its split, so no collective.
    if (!llvm::all_of(llvm::seq<int64_t>(0, rank),
                      [&](int64_t d) { return sameBlocks(s, r, d); }))
      return std::nullopt;
    return plan(CollectivePlan::AllReduce, -1,
                digitGroup(pos, s.getStride(StatesAttr::kPartialDim), p));
  }
  std::optional<int64_t> differing = soleDifferingSplit(s, r);
  if (!differing)
    return std::nullopt;
  int64_t g = *differing;
  for (int64_t d = 0; d < rank; ++d)
    if (d != g && !sameBlocks(s, r, d))
      return std::nullopt;
  int64_t sg = s.getSplits()[g], rg = r.getSplits()[g];
  if (p == 1 && rg == 1) // sg > 1: the groups are the digit of g.
    return plan(CollectivePlan::AllGather, g,
                digitGroup(pos, s.getStride(g), sg));
  if (p == 1 || rg != sg * p)
    return std::nullopt;
  // Every target block of g lies in the source block: the target's digit of
  // g (extent sg * p) splits into the source's digit (the high part) and p
  // blocks within it (the low part, stride r.getStride(g)).
  if (sg > 1 && s.getStride(g) != r.getStride(g) * p)
    return std::nullopt;
  // The groups (devices differing in the partial digit) are ordered by that
  // low part when it is the partial digit itself; otherwise enumerate.
  if (s.getStride(StatesAttr::kPartialDim) != r.getStride(g))
    return Undecided{};
  return plan(CollectivePlan::ReduceScatter, g,
              digitGroup(pos, r.getStride(g), p));
}

std::optional<CollectivePlan>
mlir::hetu::matchCollective(const Layout &src, const Layout &dst,
                            int64_t pos) {
  auto decided = matchByDigits(src, dst, pos);
  if (auto *answer = std::get_if<std::optional<CollectivePlan>>(&decided))
    return *answer;
  return matchCollectiveByEnumeration(src, dst, pos);
}
