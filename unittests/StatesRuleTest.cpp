//===- StatesRuleTest.cpp - The iteration-space tile algebra --------------===//
//
// statesFromDeviceMap, foldPartial and inferIterationSpaceStates against
// device -> tile tables worked out by hand.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/StatesRule.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

#include <functional>

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
