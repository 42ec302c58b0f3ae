//===- StatesTest.cpp - #hetu.states algebra ------------------------------===//
//
// Tile coordinates are checked against tables worked out by hand: device k
// has the mixed-radix digits of k over the order, the last entry fastest.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::hetu;

namespace {

using Coords = StatesAttr::Coords;

class StatesTest : public ::testing::Test {
protected:
  StatesTest() {
    context.getOrLoadDialect<HetuDialect>();
    context.getDiagEngine().registerHandler(
        [](Diagnostic &) { return success(); });
  }

  StatesAttr states(ArrayRef<int64_t> splits, int64_t dup = 1,
                    int64_t partial = 1, ArrayRef<int64_t> order = {}) {
    return StatesAttr::get(&context, splits, dup, partial, order);
  }
  StatesAttr checked(ArrayRef<int64_t> splits, int64_t dup, int64_t partial,
                     ArrayRef<int64_t> order) {
    return StatesAttr::getChecked(
        [&] { return emitError(UnknownLoc::get(&context)); }, &context, splits,
        dup, partial, order);
  }
  /// Expects device k -> table[k] and the inverse, for every device.
  void expectTable(StatesAttr s, ArrayRef<Coords> table) {
    ASSERT_EQ(s.getNumDevices(), static_cast<int64_t>(table.size()));
    for (auto [k, expected] : llvm::enumerate(table)) {
      Coords got = s.getCoords(k);
      EXPECT_EQ(got.blocks, expected.blocks) << "device " << k;
      EXPECT_EQ(got.duplicate, expected.duplicate) << "device " << k;
      EXPECT_EQ(got.partial, expected.partial) << "device " << k;
      EXPECT_EQ(s.getDeviceIndex(expected), static_cast<int64_t>(k));
    }
  }
  static Coords c(SmallVector<int64_t> blocks, int64_t dup = 0,
                  int64_t partial = 0) {
    Coords coords;
    coords.blocks = blocks;
    coords.duplicate = dup;
    coords.partial = partial;
    return coords;
  }

  MLIRContext context;
};

TEST_F(StatesTest, DeviceCount) {
  EXPECT_EQ(states({2, 1}).getNumDevices(), 2);
  EXPECT_EQ(states({1, 1}, 2).getNumDevices(), 2);
  EXPECT_EQ(states({2, 3}, 2, 2).getNumDevices(), 24);
  EXPECT_EQ(states({}).getNumDevices(), 1);
  EXPECT_TRUE(states({1, 1}, 4).isReplicated());
  EXPECT_FALSE(states({1, 1}, 1, 2).isReplicated());
}

TEST_F(StatesTest, DefaultOrderRowMajor) {
  StatesAttr s = states({2, 2});
  EXPECT_EQ(s.getOrderOrDefault(), (SmallVector<int64_t>{0, 1}));
  expectTable(s, {c({0, 0}), c({0, 1}), c({1, 0}), c({1, 1})});
}

TEST_F(StatesTest, NonDefaultOrder) {
  // Dim 1 outermost: device k has block k/2 of dim 1 and k%2 of dim 0.
  StatesAttr s = states({2, 2}, 1, 1, {1, 0});
  expectTable(s, {c({0, 0}), c({1, 0}), c({0, 1}), c({1, 1})});
}

TEST_F(StatesTest, DuplicateOutermostByDefault) {
  // Hetu V0 and HEAD agree: the duplicate loop is outermost.
  StatesAttr s = states({2, 1}, 2);
  EXPECT_EQ(s.getOrderOrDefault(), (SmallVector<int64_t>{-1, 0, 1}));
  expectTable(s, {c({0, 0}, 0), c({1, 0}, 0), c({0, 0}, 1), c({1, 0}, 1)});
  expectTable(states({1, 1}, 2), {c({0, 0}, 0), c({0, 0}, 1)});
}

TEST_F(StatesTest, DuplicateInnermost) {
  StatesAttr s = states({2, 1}, 2, 1, {0, 1, -1});
  expectTable(s, {c({0, 0}, 0), c({0, 0}, 1), c({1, 0}, 0), c({1, 0}, 1)});
}

TEST_F(StatesTest, PartialOutermostByDefault) {
  // Hetu's middle split output: [1, 1] partial 2; and [1, 2] partial 2.
  expectTable(states({1, 1}, 1, 2), {c({0, 0}, 0, 0), c({0, 0}, 0, 1)});
  StatesAttr s = states({1, 2}, 1, 2);
  EXPECT_EQ(s.getOrderOrDefault(), (SmallVector<int64_t>{-2, 0, 1}));
  expectTable(
      s, {c({0, 0}, 0, 0), c({0, 1}, 0, 0), c({0, 0}, 0, 1), c({0, 1}, 0, 1)});
}

TEST_F(StatesTest, EverythingMixed) {
  // Order [1, -1, 0, -2] over extents [3, 2, 2, 2]:
  // k = ((b1 * 2 + dup) * 2 + b0) * 2 + partial.
  StatesAttr s = states({2, 3}, 2, 2, {1, -1, 0, -2});
  EXPECT_EQ(s.getNumDevices(), 24);
  EXPECT_EQ(s.getCoords(0), c({0, 0}, 0, 0));
  EXPECT_EQ(s.getCoords(1), c({0, 0}, 0, 1));
  EXPECT_EQ(s.getCoords(2), c({1, 0}, 0, 0));
  EXPECT_EQ(s.getCoords(4), c({0, 0}, 1, 0));
  EXPECT_EQ(s.getCoords(13), c({0, 1}, 1, 1)); // 13 = 1*8 + 1*4 + 0*2 + 1
  EXPECT_EQ(s.getCoords(23), c({1, 2}, 1, 1));
  for (int64_t k = 0; k < 24; ++k)
    EXPECT_EQ(s.getDeviceIndex(s.getCoords(k)), k);
}

TEST_F(StatesTest, CanonicalOrder) {
  // An explicit order equal to the default is dropped.
  EXPECT_EQ(states({2, 2}, 1, 1, {0, 1}), states({2, 2}));
  EXPECT_EQ(states({2, 1}, 2, 3, {-2, -1, 0, 1}), states({2, 1}, 2, 3));
  EXPECT_TRUE(states({2, 2}, 1, 1, {0, 1}).getOrder().empty());
  EXPECT_NE(states({2, 2}, 1, 1, {1, 0}), states({2, 2}));
}

TEST_F(StatesTest, VerifierRejectsBadOrders) {
  EXPECT_TRUE(checked({2, 2}, 1, 1, {1, 0}));
  EXPECT_FALSE(checked({2, 2}, 1, 1, {1, 1}));     // dim listed twice
  EXPECT_FALSE(checked({2, 2}, 1, 1, {0}));        // dim missing
  EXPECT_FALSE(checked({2, 2}, 2, 1, {0, 1}));     // -1 missing
  EXPECT_FALSE(checked({2, 2}, 1, 1, {-1, 0, 1})); // -1 without duplicate
  EXPECT_FALSE(checked({2, 2}, 1, 2, {-1, 0, 1})); // -2 expected, -1 given
  EXPECT_FALSE(checked({2, 2}, 1, 1, {0, 2}));     // no dimension 2
  EXPECT_FALSE(checked({0, 2}, 1, 1, {}));
  EXPECT_FALSE(checked({2, 2}, 0, 1, {}));
  EXPECT_FALSE(checked({2, 2}, 1, -1, {}));
}

TEST_F(StatesTest, LocalAndGlobalShapes) {
  StatesAttr s = states({2, 4});
  auto local = s.getLocalShape({16, 32});
  ASSERT_TRUE(succeeded(local));
  EXPECT_EQ(*local, (SmallVector<int64_t>{8, 8}));
  EXPECT_EQ(s.getGlobalShape(*local), (SmallVector<int64_t>{16, 32}));
  // Duplicate and partial do not change shapes.
  local = states({1, 2}, 2, 2).getLocalShape({6, 4});
  ASSERT_TRUE(succeeded(local));
  EXPECT_EQ(*local, (SmallVector<int64_t>{6, 2}));
  // Not divisible: an error, never a truncation.
  EXPECT_TRUE(failed(states({3, 1}).getLocalShape({16, 32})));
  std::string message;
  {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
      message = d.str();
      return success();
    });
    (void)states({1, 3}).getLocalShape(
        {4, 8}, [&] { return emitError(UnknownLoc::get(&context)); });
  }
  EXPECT_EQ(message,
            "dimension 1 of size 8 is not divisible by its split count 3");
  // Rank mismatch.
  EXPECT_TRUE(failed(states({2}).getLocalShape({4, 4})));
  // Dynamic sizes stay dynamic.
  local = states({2, 2}).getLocalShape({ShapedType::kDynamic, 4});
  ASSERT_TRUE(succeeded(local));
  EXPECT_EQ((*local)[0], ShapedType::kDynamic);
  EXPECT_EQ((*local)[1], 2);
}

TEST_F(StatesTest, TileOffsets) {
  StatesAttr s = states({2, 2}, 1, 1, {1, 0});
  // Device 1 -> blocks (1, 0): rows 8..16, columns 0..16.
  EXPECT_EQ(s.getTileOffsets(1, {16, 32}), (SmallVector<int64_t>{8, 0}));
  EXPECT_EQ(s.getTileOffsets(2, {16, 32}), (SmallVector<int64_t>{0, 16}));
  // Copies of a duplicated value share the offsets.
  StatesAttr d = states({2, 1}, 2);
  EXPECT_EQ(d.getTileOffsets(1, {16, 4}), d.getTileOffsets(3, {16, 4}));
}

} // namespace
