//===- PlacementTest.cpp - SPEC 3.2 placement resolution ------------------===//

#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::hetu;

namespace {

constexpr const char *kModule = R"mlir(
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @inherit_module(%x: tensor<4xf32>) -> tensor<4xf32> {
    %e = tensor.empty() : tensor<4xf32>
    %c = arith.constant 1.0 : f32
    %a = arith.addf %x, %x {tag = "a"} : tensor<4xf32>
    %b = arith.mulf %a, %a {tag = "b", hetu.ctx = #hetu.group<"gpu:2,gpu:3">} : tensor<4xf32>
    return %b : tensor<4xf32>
  }
  func.func @own_default(%w: tensor<4xf32> {hetu.trainable}, %x: tensor<4xf32>, %n: index)
      -> tensor<4xf32> attributes {hetu.default_ctx = #hetu.group<"(gpu:4,gpu:5)">} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %w) -> tensor<4xf32> {
      %s = arith.subf %acc, %x {tag = "s"} : tensor<4xf32>
      %e = tensor.empty() {tag = "e", hetu.ctx = #hetu.group<"gpu:6">} : tensor<4xf32>
      scf.yield %s : tensor<4xf32>
    }
    return %r : tensor<4xf32>
  }
}
)mlir";

class PlacementTest : public ::testing::Test {
protected:
  PlacementTest() {
    context.loadDialect<HetuDialect, func::FuncDialect, arith::ArithDialect,
                        tensor::TensorDialect, scf::SCFDialect>();
    module = parseSourceString<ModuleOp>(kModule, &context);
  }

  Operation *find(StringRef tag) {
    Operation *found = nullptr;
    module->walk([&](Operation *op) {
      if (auto t = op->getAttrOfType<StringAttr>("tag"); t && t == tag)
        found = op;
    });
    return found;
  }
  func::FuncOp func(StringRef name) {
    return module->lookupSymbol<func::FuncOp>(name);
  }
  std::string str(GroupAttr g) { return g ? g.str() : "<null>"; }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(PlacementTest, ExplicitAndInherited) {
  ASSERT_TRUE(module);
  Placement a = resolvePlacement(find("a"));
  EXPECT_EQ(a.kind, PlacementKind::Inherited);
  EXPECT_EQ(str(a.group), "gpu:0,gpu:1");
  EXPECT_EQ(a.source, module->getOperation());

  Placement b = resolvePlacement(find("b"));
  EXPECT_EQ(b.kind, PlacementKind::Explicit);
  EXPECT_EQ(str(b.group), "gpu:2,gpu:3");
  EXPECT_EQ(b.source, find("b"));
  EXPECT_EQ(str(getExplicitPlacement(find("b"))), "gpu:2,gpu:3");
  EXPECT_FALSE(getExplicitPlacement(find("a")));
}

TEST_F(PlacementTest, Rematerialized) {
  ASSERT_TRUE(module);
  func::FuncOp f = func("inherit_module");
  Operation &empty = f.getBody().front().front();
  ASSERT_TRUE(isa<tensor::EmptyOp>(empty));
  Placement p = resolvePlacement(&empty);
  EXPECT_EQ(p.kind, PlacementKind::Rematerialized);
  EXPECT_FALSE(p.group);
  EXPECT_FALSE(static_cast<bool>(p));
  Operation *constant = empty.getNextNode();
  EXPECT_EQ(resolvePlacement(constant).kind, PlacementKind::Rematerialized);
  // An operand-less op with an explicit placement is placed.
  Placement e = resolvePlacement(find("e"));
  EXPECT_EQ(e.kind, PlacementKind::Explicit);
  EXPECT_EQ(str(e.group), "gpu:6");
}

TEST_F(PlacementTest, NearestDefaultWins) {
  ASSERT_TRUE(module);
  // Inside scf.for inside a function with its own default placement.
  Placement s = resolvePlacement(find("s"));
  EXPECT_EQ(s.kind, PlacementKind::Inherited);
  EXPECT_EQ(str(s.group), "(gpu:4,gpu:5)");
  EXPECT_EQ(s.source, func("own_default").getOperation());
}

TEST_F(PlacementTest, Arguments) {
  ASSERT_TRUE(module);
  func::FuncOp f = func("own_default");
  BlockArgument w = f.getArgument(0), x = f.getArgument(1);
  EXPECT_TRUE(isTrainable(w));
  EXPECT_FALSE(isTrainable(x));
  Placement p = resolvePlacement(w);
  EXPECT_EQ(p.kind, PlacementKind::Inherited);
  EXPECT_EQ(str(p.group), "(gpu:4,gpu:5)");
  // Arguments of a function without its own default use the module's.
  EXPECT_EQ(str(resolvePlacement(func("inherit_module").getArgument(0)).group),
            "gpu:0,gpu:1");
  // Loop-carried block arguments are not function parameters.
  auto loop = cast<scf::ForOp>(find("s")->getParentOp());
  EXPECT_FALSE(isTrainable(loop.getRegionIterArgs()[0]));
  EXPECT_EQ(str(resolvePlacement(loop.getRegionIterArgs()[0]).group),
            "(gpu:4,gpu:5)");
}

TEST_F(PlacementTest, Unplaced) {
  OwningOpRef<ModuleOp> bare = parseSourceString<ModuleOp>(R"mlir(
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %a = arith.addf %x, %x : tensor<4xf32>
      return %a : tensor<4xf32>
    })mlir",
                                                           &context);
  ASSERT_TRUE(bare);
  auto f = bare->lookupSymbol<func::FuncOp>("f");
  Placement p = resolvePlacement(&f.getBody().front().front());
  EXPECT_EQ(p.kind, PlacementKind::Unplaced);
  EXPECT_FALSE(p.group);
  EXPECT_FALSE(resolvePlacement(f.getArgument(0)).group);
}

} // namespace
