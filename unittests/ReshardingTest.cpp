//===- ReshardingTest.cpp - The resharding planner ------------------------===//
//
// Plans are checked against what they must be: every destination element
// covered once per partial copy it adds, and no more traffic than the lower
// bound (each destination receives exactly the elements it needs and does
// not hold itself).
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/Transforms/Resharding.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

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

  MLIRContext context;
};

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
