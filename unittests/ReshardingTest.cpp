//===- ReshardingTest.cpp - The resharding planner ------------------------===//
//
// Plans are checked against what they must be: every destination element
// covered once per partial copy it adds, and no more traffic than the lower
// bound (each destination receives exactly the elements it needs and does
// not hold itself). On random layouts over one tuple: the per-rank planner
// against the whole plan, and the closed-form collective matcher against
// the enumeration over every device.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/Transforms/Resharding.h"
#include "hetu/Dialect/Hetu/Transforms/Collectives.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

#include <random>

using namespace mlir;
using namespace mlir::hetu;

namespace {

class ReshardingTest : public ::testing::Test {
protected:
  ReshardingTest() { context.getOrLoadDialect<HetuDialect>(); }

  Layout layout(std::vector<int> devices, ArrayRef<int64_t> splits,
                int64_t dup = 1, int64_t partial = 1,
                ArrayRef<int64_t> order = {}) {
    Layout l;
    for (int d : devices) {
      std::string error;
      l.devices.push_back(
          DeviceAttr::parse(&context, "gpu:" + std::to_string(d), error));
    }
    l.states = StatesAttr::get(&context, splits, dup, partial, order);
    return l;
  }

  /// Elements that cross devices in `plan`.
  static int64_t traffic(const ReshardPlan &plan, const Layout &src,
                         const Layout &dst) {
    int64_t n = 0;
    for (auto [d, dest] : llvm::enumerate(plan.destinations))
      for (const Piece &piece : dest.pieces)
        if (src.devices[piece.src] != dst.devices[d])
          n += piece.global.volume();
    return n;
  }

  /// What each destination must receive at least: its tile once per partial
  /// copy it adds, minus what its own device holds of that copy.
  static int64_t lowerBound(const ReshardPlan &plan, const Layout &src,
                            const Layout &dst, ArrayRef<int64_t> shape) {
    int64_t n = 0;
    for (auto [d, dest] : llvm::enumerate(plan.destinations)) {
      Box box = tileBox(dst.states, d, shape);
      for (int64_t p : dest.partials) {
        int64_t local = 0;
        for (auto [k, device] : llvm::enumerate(src.devices)) {
          if (device != dst.devices[d] || src.states.getCoords(k).partial != p)
            continue;
          Box held = tileBox(src.states, k, shape);
          int64_t overlap = 1;
          for (size_t i = 0; i < shape.size(); ++i) {
            int64_t lo = std::max(box.offsets[i], held.offsets[i]);
            int64_t hi = std::min(box.offsets[i] + box.sizes[i],
                                  held.offsets[i] + held.sizes[i]);
            overlap *= std::max<int64_t>(0, hi - lo);
          }
          local = std::max(local, overlap);
        }
        n += box.volume() - local;
      }
    }
    return n;
  }

  void expectOptimal(ArrayRef<int64_t> shape, const Layout &src,
                     const Layout &dst, int64_t expectedTraffic) {
    std::string why;
    FailureOr<ReshardPlan> plan = planResharding(shape, src, dst, why);
    ASSERT_TRUE(succeeded(plan)) << why;
    EXPECT_EQ(traffic(*plan, src, dst), lowerBound(*plan, src, dst, shape));
    EXPECT_EQ(traffic(*plan, src, dst), expectedTraffic);
  }

  static std::string str(Attribute attr) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << attr;
    return text;
  }

  /// Random states of rank 2 over `n` devices (n a product of 2s and 3s):
  /// each factor of n goes to a split, the duplicate or the partial copies,
  /// in a random order.
  StatesAttr randomStates(std::mt19937_64 &rng, int64_t n, bool partial) {
    SmallVector<int64_t> factors;
    for (int64_t f : {2, 3})
      while (n % f == 0) {
        factors.push_back(f);
        n /= f;
      }
    int64_t splits[2] = {1, 1}, dup = 1, part = 1;
    for (int64_t f : factors)
      switch (rng() % (partial ? 4 : 3)) {
      case 0: splits[0] *= f; break;
      case 1: splits[1] *= f; break;
      case 2: dup *= f; break;
      default: part *= f; break;
      }
    SmallVector<int64_t> order = StatesAttr::defaultOrder(2, dup, part);
    std::shuffle(order.begin(), order.end(), rng);
    return StatesAttr::get(&context, splits, dup, part, order);
  }

  MLIRContext context;
};

/// The closed-form matcher gives every device the collective and group the
/// enumeration does, on layouts that are and are not collectives.
TEST_F(ReshardingTest, CollectivesByDigitsAgreeWithEnumeration) {
  std::mt19937_64 rng(11);
  int64_t collectives = 0, others = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    int64_t n = SmallVector<int64_t>{2, 4, 6, 8, 12, 16, 24, 36}[rng() % 8];
    std::vector<int> devices;
    for (int64_t k = 0; k < n; ++k)
      devices.push_back(k);
    Layout src = layout(devices, {1, 1}), dst = src;
    src.states = randomStates(rng, n, /*partial=*/true);
    dst.states = randomStates(rng, n, /*partial=*/false);
    // Often the same splits or one dimension gathered, where collectives
    // are.
    if (rng() % 2)
      dst.states = StatesAttr::get(
          &context, src.states.getSplits(),
          src.states.getDuplicate() * src.states.getPartial(), 1);
    for (int64_t pos = 0; pos < n; ++pos) {
      std::optional<CollectivePlan> closed = matchCollective(src, dst, pos);
      std::optional<CollectivePlan> enumerated =
          matchCollectiveByEnumeration(src, dst, pos);
      ASSERT_EQ(closed.has_value(), enumerated.has_value())
          << "iteration " << iteration << ": " << str(src.states) << " -> "
          << str(dst.states);
      if (closed) {
        ASSERT_EQ(*closed, *enumerated)
            << "iteration " << iteration << ", device " << pos;
      }
      (closed ? collectives : others) += 1;
    }
  }
  EXPECT_GT(collectives, 1000);
  EXPECT_GT(others, 1000);
}

/// What one rank plans (its destination and what it sends) is what the
/// whole plan says about it, including where no device sends to another.
TEST_F(ReshardingTest, PerRankPlansMatchTheWholePlan) {
  std::mt19937_64 rng(12);
  int64_t local = 0;
  for (int iteration = 0; iteration < 1000; ++iteration) {
    int64_t n = SmallVector<int64_t>{2, 4, 6, 8, 12}[rng() % 5];
    std::vector<int> devices;
    for (int64_t k = 0; k < n; ++k)
      devices.push_back(k);
    Layout src = layout(devices, {1, 1}), dst = src;
    src.states = randomStates(rng, n, /*partial=*/rng() % 4 == 0);
    dst.states = randomStates(rng, n, /*partial=*/false);
    SmallVector<int64_t> shape = {72, 72};
    std::string why;
    FailureOr<ReshardPlan> whole = planResharding(shape, src, dst, why);
    ASSERT_TRUE(succeeded(whole)) << why;
    for (int64_t pos = 0; pos < n; ++pos) {
      FailureOr<ReshardPlan> mine =
          planReshardingFor(shape, src, dst, {pos}, pos, why);
      ASSERT_TRUE(succeeded(mine)) << why;
      for (int64_t d = 0; d < n; ++d) {
        SmallVector<Piece> want;
        for (const Piece &piece : whole->destinations[d].pieces)
          if (d == pos || piece.src == pos)
            want.push_back(piece);
        const SmallVector<Piece> &got = mine->destinations[d].pieces;
        ASSERT_EQ(got.size(), want.size())
            << "iteration " << iteration << ": " << str(src.states) << " -> "
            << str(dst.states) << ", rank " << pos << ", destination " << d;
        for (auto [a, b] : llvm::zip_equal(got, want))
          ASSERT_TRUE(a.src == b.src && a.dst == b.dst &&
                      a.partial == b.partial && a.global == b.global);
      }
    }
    local += traffic(*whole, src, dst) == 0;
  }
  // Some layouts moved nothing between devices.
  EXPECT_GT(local, 50);
}

TEST_F(ReshardingTest, OneToN) {
  // gpu:0 whole -> rows split over (1,2): each receives its 8x64 half.
  expectOptimal({16, 64}, layout({0}, {1, 1}), layout({1, 2}, {2, 1}), 1024);
  // ... replicated on (1,2): both receive everything.
  expectOptimal({16, 64}, layout({0}, {1, 1}), layout({1, 2}, {1, 1}, 2), 2048);
}

TEST_F(ReshardingTest, PartialToOne) {
  // Middle split result (partial 2 on (1,2)) -> gpu:3 adds both copies.
  expectOptimal({16, 8}, layout({1, 2}, {1, 1}, 1, 2), layout({3}, {1, 1}),
                256);
  // -> gpu:1, which holds copy 0 itself: only copy 1 travels.
  expectOptimal({16, 8}, layout({1, 2}, {1, 1}, 1, 2), layout({1}, {1, 1}),
                128);
}

TEST_F(ReshardingTest, SwapsAndOverlaps) {
  // Reversed tuple: both blocks swap.
  expectOptimal({4, 8}, layout({0, 1}, {2, 1}), layout({1, 0}, {2, 1}), 32);
  // Same devices, same states: nothing moves.
  expectOptimal({4, 8}, layout({0, 1}, {2, 1}), layout({0, 1}, {2, 1}), 0);
  // Rows on (1,0) -> columns on (1,2): gpu:1 keeps its quarter.
  expectOptimal({4, 8}, layout({1, 0}, {2, 1}), layout({1, 2}, {1, 2}), 24);
}

TEST_F(ReshardingTest, DuplicatedSourcesReadLocally) {
  // Replicated on (0,1,2,3) -> rows split on the same tuple: all local.
  expectOptimal({8, 8}, layout({0, 1, 2, 3}, {1, 1}, 4),
                layout({0, 1, 2, 3}, {4, 1}), 0);
  // [2,1] dup 2 -> [1,2] on 4 other devices: each needs half of each block.
  expectOptimal({8, 8}, layout({0, 1, 2, 3}, {2, 1}, 2),
                layout({4, 5, 6, 7}, {1, 2}, 2), 128);
}

TEST_F(ReshardingTest, TwoDimensionsAndOrders) {
  // [2,2] order [1,0] on 4 -> [2,2] default order on the same 4: devices 1
  // and 2 swap their tiles.
  expectOptimal({4, 8}, layout({0, 1, 2, 3}, {2, 2}, 1, 1, {1, 0}),
                layout({0, 1, 2, 3}, {2, 2}), 16);
  // N -> M: [1,2] on 2 -> [4,1] on 4 others.
  expectOptimal({4, 8}, layout({1, 2}, {1, 2}), layout({3, 4, 5, 6}, {4, 1}),
                32);
}

TEST_F(ReshardingTest, PartialToPartialAddsEachCopyOnce) {
  // partial 4 -> partial 2 on other devices: each target copy adds two.
  std::string why;
  Layout src = layout({0, 1, 2, 3}, {1}, 1, 4), dst = layout({4, 5}, {1}, 1, 2);
  FailureOr<ReshardPlan> plan = planResharding({8}, src, dst, why);
  ASSERT_TRUE(succeeded(plan)) << why;
  EXPECT_EQ(plan->destinations[0].partials, (SmallVector<int64_t>{0, 2}));
  EXPECT_EQ(plan->destinations[1].partials, (SmallVector<int64_t>{1, 3}));
  // Whole -> partial 2: copy 0 gets the value, copy 1 starts from zeros.
  plan = planResharding({8}, layout({0}, {1}), dst, why);
  ASSERT_TRUE(succeeded(plan)) << why;
  EXPECT_EQ(plan->destinations[0].partials, (SmallVector<int64_t>{0}));
  EXPECT_TRUE(plan->destinations[1].partials.empty());
}

TEST_F(ReshardingTest, RejectsShapesThatDoNotDivide) {
  std::string why;
  EXPECT_TRUE(failed(planResharding({6, 4}, layout({0}, {1, 1}),
                                    layout({1, 2, 3, 4}, {4, 1}), why)));
  EXPECT_EQ(why, "dimension 0 of size 6 is not divisible by its split count 4");
}

} // namespace
