//===- StatesRuleTest.cpp - The iteration-space tile algebra --------------===//
//
// statesFromDeviceMap, foldPartial and inferIterationSpaceStates against
// device -> tile tables worked out by hand; statesFromDigits (the closed
// form) and foldPartial against the enumeration on random device maps.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

#include <functional>
#include <random>

using namespace mlir;
using namespace mlir::hetu;

namespace {

class StatesRuleTest : public ::testing::Test {
protected:
  StatesRuleTest() {
    context.getOrLoadDialect<HetuDialect>();
    context.getDiagEngine().registerHandler([this](Diagnostic &d) {
      lastError = d.str();
      return success();
    });
  }

  StatesAttr states(ArrayRef<int64_t> splits, int64_t dup = 1,
                    int64_t partial = 1, ArrayRef<int64_t> order = {}) {
    return StatesAttr::get(&context, splits, dup, partial, order);
  }

  /// The matmul iteration space (i, j, k): A(i, k), B(k, j), C(i, j) += .
  IterationSpace matmul() {
    AffineExpr i, j, k;
    bindDims(&context, i, j, k);
    IterationSpace space;
    space.numLoops = 3;
    space.operandMaps = {AffineMap::get(3, 0, {i, k}, &context),
                         AffineMap::get(3, 0, {k, j}, &context),
                         AffineMap::get(3, 0, {i, j}, &context)};
    space.resultMaps = {space.operandMaps[2]};
    space.tiedOperand = {2};
    return space;
  }

  /// Runs the matmul rule on `devices` devices with A and B known.
  LogicalResult runMatmul(int64_t devices, StatesAttr a, StatesAttr b,
                          StatesRuleContext &ctx) {
    ctx.numDevices = devices;
    ctx.operands = {a, b, StatesAttr()};
    ctx.results = {StatesAttr()};
    ctx.emitError = errorAtUnknown;
    return inferIterationSpaceStates(matmul(), ctx);
  }

  MLIRContext context;
  std::string lastError;
  std::function<InFlightDiagnostic()> errorAtUnknown = [this] {
    return emitError(UnknownLoc::get(&context));
  };
};

TEST_F(StatesRuleTest, FromDeviceMapDefaultOrder) {
  std::string why;
  // 4 devices, [2,2]: device k holds (k/2, k%2): the default order.
  auto s = statesFromDeviceMap(
      &context, {2, 2}, 1, {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, {0, 0, 0, 0}, why);
  ASSERT_TRUE(succeeded(s)) << why;
  EXPECT_EQ(*s, states({2, 2}));
}

TEST_F(StatesRuleTest, FromDeviceMapFindsOrder) {
  std::string why;
  // Device k holds (k%2, k/2): dim 0 fastest -> order [1, 0].
  auto s = statesFromDeviceMap(
      &context, {2, 2}, 1, {{0, 0}, {1, 0}, {0, 1}, {1, 1}}, {0, 0, 0, 0}, why);
  ASSERT_TRUE(succeeded(s)) << why;
  EXPECT_EQ(*s, states({2, 2}, 1, 1, {1, 0}));
  // Rows k/2 and two copies of each: duplicate innermost -> [0, -1, 1].
  s = statesFromDeviceMap(&context, {2, 1}, 1, {{0, 0}, {0, 0}, {1, 0}, {1, 0}},
                          {0, 0, 0, 0}, why);
  ASSERT_TRUE(succeeded(s)) << why;
  EXPECT_EQ(*s, states({2, 1}, 2, 1, {0, -1, 1}));
  // Partial index k%2, rows k/2 -> [0, -2, 1].
  s = statesFromDeviceMap(&context, {2, 1}, 2, {{0, 0}, {0, 0}, {1, 0}, {1, 0}},
                          {0, 1, 0, 1}, why);
  ASSERT_TRUE(succeeded(s)) << why;
  EXPECT_EQ(*s, states({2, 1}, 1, 2, {0, -2, 1}));
}

TEST_F(StatesRuleTest, FromDeviceMapRejects) {
  std::string why;
  // Two tiles of four.
  EXPECT_TRUE(failed(statesFromDeviceMap(&context, {2, 2}, 1,
                                         {{0, 0}, {1, 1}, {0, 0}, {1, 1}},
                                         {0, 0, 0, 0}, why)));
  EXPECT_EQ(why, "the devices hold 2 of the 4 tiles");
  // Uneven copies: tile 0 three times, tile 1 once.
  EXPECT_TRUE(failed(statesFromDeviceMap(&context, {2}, 1, {{0}, {0}, {0}, {1}},
                                         {0, 0, 0, 0}, why)));
  EXPECT_EQ(why, "tiles are held by 1 to 3 devices each instead of 2");
  // Every tile twice, but no mixed radix order: 0, 1, 1, 0.
  EXPECT_TRUE(failed(statesFromDeviceMap(&context, {2}, 1, {{0}, {1}, {1}, {0}},
                                         {0, 0, 0, 0}, why)));
  EXPECT_EQ(why, "no tile order maps the devices to their tiles");
  // 3 tiles cannot spread over 4 devices.
  EXPECT_TRUE(failed(statesFromDeviceMap(&context, {3}, 1, {{0}, {1}, {2}, {0}},
                                         {0, 0, 0, 0}, why)));
}

TEST_F(StatesRuleTest, FoldPartial) {
  // Partial copies become duplicates on the same devices.
  EXPECT_EQ(foldPartial(states({1, 1}, 1, 2)), states({1, 1}, 2));
  EXPECT_EQ(foldPartial(states({2, 1}, 1, 2, {0, -2, 1})),
            states({2, 1}, 2, 1, {0, -1, 1}));
  // Partial outermost, duplicate inside: copies numbered by device index.
  EXPECT_EQ(foldPartial(states({2}, 2, 2)), states({2}, 4));
  EXPECT_EQ(foldPartial(states({2, 2})), states({2, 2}));
}

/// Random digit layouts of the device index: mostly valid mixed radices
/// (a random order of the split, partial and duplicate entries), some with
/// one stride moved (overlaps, gaps, a duplicate in two pieces).
TEST_F(StatesRuleTest, DigitsAgreeWithEnumeration) {
  std::mt19937_64 rng(7);
  const int64_t extents[] = {1, 1, 2, 2, 3, 4};
  int64_t expressible = 0, refused = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    int64_t rank = 1 + rng() % 3;
    SmallVector<int64_t> splits;
    for (int64_t d = 0; d < rank; ++d)
      splits.push_back(extents[rng() % 6]);
    int64_t partial = extents[rng() % 6];
    int64_t duplicate = extents[rng() % 6];
    // Entries fastest first: d >= 0 dimensions, -2 partial, -1 duplicate.
    SmallVector<int64_t> entries;
    for (int64_t d = 0; d < rank; ++d)
      entries.push_back(d);
    entries.append({-2, -1});
    std::shuffle(entries.begin(), entries.end(), rng);
    auto extent = [&](int64_t e) {
      return e == -1 ? duplicate : e == -2 ? partial : splits[e];
    };
    SmallVector<int64_t> strides(rank, 0);
    int64_t partialStride = 0, n = 1;
    for (int64_t e : entries) {
      if (e >= 0)
        strides[e] = n;
      else if (e == -2)
        partialStride = n;
      n *= extent(e);
    }
    if (rng() % 3 == 0) {
      int64_t moved = 1 + rng() % n;
      int64_t which = rng() % (rank + 1);
      (which == rank ? partialStride : strides[which]) = moved;
    }
    auto digit = [&](int64_t k, int64_t stride, int64_t ext) {
      return ext > 1 ? (k / stride) % ext : 0;
    };
    SmallVector<SmallVector<int64_t>> blocks;
    SmallVector<int64_t> partialIndex;
    for (int64_t k = 0; k < n; ++k) {
      SmallVector<int64_t> tile;
      for (int64_t d = 0; d < rank; ++d)
        tile.push_back(digit(k, strides[d], splits[d]));
      blocks.push_back(tile);
      partialIndex.push_back(digit(k, partialStride, partial));
    }
    std::string why;
    FailureOr<StatesAttr> enumerated =
        statesFromDeviceMap(&context, splits, partial, blocks, partialIndex,
                            why);
    FailureOr<StatesAttr> closed = statesFromDigits(
        &context, splits, partial, strides, partialStride, n);
    ASSERT_EQ(succeeded(closed), succeeded(enumerated))
        << "iteration " << iteration << ": " << why;
    if (succeeded(closed)) {
      ASSERT_EQ(*closed, *enumerated) << "iteration " << iteration;
      ++expressible;
      // foldPartial (closed form) against folding the enumerated map.
      SmallVector<SmallVector<int64_t>> held;
      for (int64_t k = 0; k < n; ++k)
        held.push_back(closed->getCoords(k).blocks);
      FailureOr<StatesAttr> folded = statesFromDeviceMap(
          &context, splits, 1, held, SmallVector<int64_t>(n, 0), why);
      StatesAttr want =
          succeeded(folded)
              ? *folded
              : states(splits, closed->getDuplicate() * closed->getPartial());
      ASSERT_EQ(foldPartial(*closed), want) << "iteration " << iteration;
    } else {
      ++refused;
    }
  }
  // Both kinds were exercised.
  EXPECT_GT(expressible, 1000);
  EXPECT_GT(refused, 1000);
}

TEST_F(StatesRuleTest, MatmulSplits) {
  StatesRuleContext ctx;
  // Left: [2,1] x [1,1] dup 2 -> [2,1]; B needed as it is.
  ASSERT_TRUE(succeeded(runMatmul(2, states({2, 1}), states({1, 1}, 2), ctx)));
  EXPECT_EQ(ctx.results[0], states({2, 1}));
  EXPECT_EQ(ctx.operands[1], states({1, 1}, 2));
  EXPECT_EQ(ctx.operands[2], states({2, 1})); // the init, as the result
  // Middle: [1,2] x [2,1] -> partial 2; the init must be partial too.
  ASSERT_TRUE(succeeded(runMatmul(2, states({1, 2}), states({2, 1}), ctx)));
  EXPECT_EQ(ctx.results[0], states({1, 1}, 1, 2));
  EXPECT_EQ(ctx.operands[2], states({1, 1}, 1, 2));
  // [2,1] dup 2 x [1,2] dup 2 with lined-up orders -> [2,2], order [1, 0].
  ASSERT_TRUE(succeeded(
      runMatmul(4, states({2, 1}, 2), states({1, 2}, 2, 1, {1, -1, 0}), ctx)));
  EXPECT_EQ(ctx.results[0], states({2, 2}, 1, 1, {1, 0}));
}

TEST_F(StatesRuleTest, ReplicatedOperandOfSplitLoopIsNeededSplit) {
  StatesRuleContext ctx;
  // A split on rows, B split on columns, on 4 devices with B's columns
  // following A's copy index: B is needed as it is. With B replicated
  // instead, B is needed with its k/j blocks as the loops say: whole.
  ASSERT_TRUE(succeeded(runMatmul(2, states({2, 1}), states({1, 1}, 2), ctx)));
  EXPECT_EQ(ctx.operands[0], states({2, 1}));
  // A replicated but the result needed split by users: A needed split.
  ctx.numDevices = 2;
  ctx.operands = {states({1, 1}, 2), states({1, 1}, 2), StatesAttr()};
  ctx.results = {states({2, 1})};
  ctx.emitError = errorAtUnknown;
  ASSERT_TRUE(succeeded(inferIterationSpaceStates(matmul(), ctx)));
  EXPECT_EQ(ctx.operands[0], states({2, 1}));
  EXPECT_EQ(ctx.operands[1], states({1, 1}, 2));
}

TEST_F(StatesRuleTest, Conflicts) {
  StatesRuleContext ctx;
  // The k-loop: A says device%2, B (default order [2,2]) says device/2.
  EXPECT_TRUE(failed(runMatmul(4, states({1, 2}, 2), states({2, 2}), ctx)));
  EXPECT_NE(lastError.find("conflicting distributed states"), std::string::npos)
      << lastError;
  // Wrong device count.
  EXPECT_TRUE(failed(runMatmul(4, states({2, 1}), states({1, 1}, 4), ctx)));
  EXPECT_NE(lastError.find("for 2 devices, but the operation runs on workers "
                           "of 4 devices"),
            std::string::npos)
      << lastError;
}

TEST_F(StatesRuleTest, NothingKnownLeavesEverythingNull) {
  StatesRuleContext ctx;
  ASSERT_TRUE(succeeded(runMatmul(2, StatesAttr(), StatesAttr(), ctx)));
  EXPECT_FALSE(ctx.results[0]);
}

} // namespace
