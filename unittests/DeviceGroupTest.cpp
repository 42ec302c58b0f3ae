//===- DeviceGroupTest.cpp - #hetu.device / #hetu.group algebra -----------===//

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::hetu;

namespace {

class DeviceGroupTest : public ::testing::Test {
protected:
  DeviceGroupTest() { context.getOrLoadDialect<HetuDialect>(); }

  GroupAttr group(StringRef text) {
    std::string error;
    GroupAttr g = GroupAttr::parse(&context, text, error);
    EXPECT_TRUE(g) << "parsing '" << text.str() << "': " << error;
    return g;
  }
  std::string error(StringRef text) {
    std::string error;
    EXPECT_FALSE(GroupAttr::parse(&context, text, error))
        << "'" << text.str() << "' should not parse";
    return error;
  }
  DeviceAttr device(StringRef text) {
    std::string error;
    return DeviceAttr::parse(&context, text, error);
  }

  MLIRContext context;
};

TEST_F(DeviceGroupTest, DeviceCanonicalForm) {
  EXPECT_EQ(device("gpu:0").str(), "gpu:0");
  EXPECT_EQ(device("GPU:7").str(), "gpu:7");
  EXPECT_EQ(device("localhost:gpu:1").str(), "gpu:1");
  EXPECT_EQ(device("localhost:gpu:1"), device("gpu:1"));
  EXPECT_EQ(device("Node1:CPU:3").str(), "node1:cpu:3");
  EXPECT_EQ(device("node1:cpu:3").getHost(), "node1");
  EXPECT_TRUE(device("cpu:0").isCpu());
  EXPECT_TRUE(device("gpu:0").isGpu());
  EXPECT_EQ(device("gpu:12").getIndex(), 12);
}

TEST_F(DeviceGroupTest, DeviceOrderIsLocalHostThenNameThenIndex) {
  EXPECT_TRUE(device("gpu:1") < device("gpu:2"));
  EXPECT_FALSE(device("gpu:2") < device("gpu:1"));
  EXPECT_TRUE(device("gpu:9") < device("a:gpu:0"));
  EXPECT_TRUE(device("a:gpu:5") < device("b:gpu:0"));
  EXPECT_FALSE(device("gpu:3") < device("gpu:3"));
}

TEST_F(DeviceGroupTest, SeparatorsAndSpaces) {
  GroupAttr expected = group("gpu:0,gpu:1");
  EXPECT_EQ(group("gpu:0;gpu:1"), expected);
  EXPECT_EQ(group("gpu:0 gpu:1"), expected);
  EXPECT_EQ(group("gpu:0   gpu:1"), expected);
  EXPECT_EQ(group("gpu:0, gpu:1"), expected); // Hetu crashes on this one.
  EXPECT_EQ(group("GPU:0; Gpu:1"), expected);
  EXPECT_EQ(group("  gpu:0,gpu:1 "), expected);
  EXPECT_EQ(expected.str(), "gpu:0,gpu:1");
}

TEST_F(DeviceGroupTest, OrderIsIdentity) {
  EXPECT_NE(group("gpu:0,gpu:1"), group("gpu:1,gpu:0"));
  EXPECT_NE(group("(gpu:2,gpu:3)"), group("(gpu:3,gpu:2)"));
}

TEST_F(DeviceGroupTest, WorkersAndServers) {
  GroupAttr g = group("cpu:0;(gpu:1,gpu:2);(gpu:5,gpu:6)");
  EXPECT_EQ(g.str(), "cpu:0,(gpu:1,gpu:2),(gpu:5,gpu:6)");
  EXPECT_EQ(g.getNumEntries(), 3);
  EXPECT_EQ(g.getNumWorkers(), 2);
  EXPECT_EQ(g.getNumServers(), 1);
  EXPECT_FALSE(g.isTuple(0));
  EXPECT_TRUE(g.isTuple(1));
  EXPECT_TRUE(g.hasTuples());
  EXPECT_EQ(g.getWorkerSize(), 2);
  auto workers = g.getWorkers();
  ASSERT_EQ(workers.size(), 2u);
  EXPECT_EQ(workers[1].devices[0], device("gpu:5"));
  EXPECT_EQ(workers[1].devices[1], device("gpu:6"));
  auto servers = g.getServers();
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0], device("cpu:0"));

  // Hetu's 'cpu:0,gpu:1,gpu:2': 1 server, 2 workers.
  GroupAttr ps = group("cpu:0,gpu:1,gpu:2");
  EXPECT_EQ(ps.getNumWorkers(), 2);
  EXPECT_EQ(ps.getNumServers(), 1);
  EXPECT_EQ(ps.getWorkerSize(), 1);
  EXPECT_FALSE(ps.hasTuples());
}

TEST_F(DeviceGroupTest, Positions) {
  GroupAttr g = group("cpu:0;(gpu:1,gpu:2);(gpu:5,gpu:6)");
  // {entry, replica, server, inTuple}
  auto pos = g.getPosition(device("gpu:2"));
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->entry, 1);
  EXPECT_EQ(pos->replica, 0);
  EXPECT_EQ(pos->server, -1);
  EXPECT_EQ(pos->inTuple, 1);
  pos = g.getPosition(device("gpu:5"));
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->entry, 2);
  EXPECT_EQ(pos->replica, 1);
  EXPECT_EQ(pos->inTuple, 0);
  pos = g.getPosition(device("cpu:0"));
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->replica, -1);
  EXPECT_EQ(pos->server, 0);
  EXPECT_FALSE(g.getPosition(device("gpu:3")));
  EXPECT_FALSE(g.contains(device("node1:gpu:1")));

  // Reversed tuple: the order inside a tuple is what counts.
  GroupAttr reversed = group("(gpu:3,gpu:2)");
  EXPECT_EQ(reversed.getPosition(device("gpu:3"))->inTuple, 0);
  EXPECT_EQ(reversed.getPosition(device("gpu:2"))->inTuple, 1);
}

TEST_F(DeviceGroupTest, TuplesAndSizes) {
  GroupAttr single = group("(gpu:1)");
  EXPECT_TRUE(single.isTuple(0)); // As in Hetu V0, a 1-tuple stays a tuple.
  EXPECT_EQ(single.getWorkerSize(), 1);
  EXPECT_EQ(single.str(), "(gpu:1)");
  EXPECT_FALSE(group("(gpu:0,gpu:1),gpu:2").getWorkerSize());
  EXPECT_FALSE(group("cpu:0").getWorkerSize());
  EXPECT_EQ(group("cpu:0").getNumWorkers(), 0);
  EXPECT_EQ(group("node1:gpu:0 node2:gpu:0").getNumWorkers(), 2);
  // A cpu inside a tuple is part of a worker.
  EXPECT_EQ(group("(cpu:0,cpu:1)").getNumWorkers(), 1);
}

TEST_F(DeviceGroupTest, Errors) {
  EXPECT_EQ(error("xpu:0"),
            "invalid device 'xpu:0': expected [host:](cpu|gpu):index");
  EXPECT_EQ(error("gpu:0,xpu:1"),
            "invalid device 'xpu:1': expected [host:](cpu|gpu):index");
  EXPECT_EQ(error("gpu"),
            "invalid device 'gpu': expected [host:](cpu|gpu):index");
  EXPECT_EQ(error("a:b:gpu:0"),
            "invalid device 'a:b:gpu:0': expected [host:](cpu|gpu):index");
  EXPECT_EQ(error("gpu:"), "invalid device 'gpu:': missing index; expected "
                           "[host:](cpu|gpu):index");
  EXPECT_EQ(error("gpu:x1"), "invalid device 'gpu:x1': index 'x1' is not a "
                             "number; expected [host:](cpu|gpu):index");
  EXPECT_EQ(error("gpu:-1"), "invalid device 'gpu:-1': negative index -1");
  EXPECT_EQ(error(":gpu:0"), "invalid device ':gpu:0': empty host name; "
                             "expected [host:](cpu|gpu):index");
  EXPECT_EQ(error("(gpu:0,gpu:1"),
            "unbalanced '(' in group '(gpu:0,gpu:1': missing ')'");
  EXPECT_EQ(error("gpu:0)"), "unbalanced ')' in group 'gpu:0)'");
  EXPECT_EQ(error("((gpu:0))"),
            "nested '(' in group '((gpu:0))': a tuple holds devices only");
  EXPECT_EQ(error(""), "empty device group ''");
  EXPECT_EQ(error(" , ;"), "empty device group ' , ;'");
  EXPECT_EQ(error("gpu:0,()"), "empty tuple '()' in group 'gpu:0,()'");
  EXPECT_EQ(error("gpu:0,gpu:0"),
            "device 'gpu:0' is listed twice in group 'gpu:0,gpu:0'");
  EXPECT_EQ(error("gpu:1,(localhost:gpu:1,gpu:2)"),
            "device 'localhost:gpu:1' is listed twice in group "
            "'gpu:1,(localhost:gpu:1,gpu:2)'");
}

TEST_F(DeviceGroupTest, GetFromDevicesAndVerify) {
  GroupAttr g = GroupAttr::get(&context, {device("gpu:1"), device("gpu:0")});
  EXPECT_EQ(g.str(), "gpu:1,gpu:0");
  EXPECT_EQ(g.getNumWorkers(), 2);
  // Duplicates are rejected by the verifier, not just the parser.
  auto noDiag = [&] { return emitError(UnknownLoc::get(&context)); };
  context.getDiagEngine().registerHandler(
      [](Diagnostic &) { return success(); });
  EXPECT_FALSE(GroupAttr::getChecked(
      noDiag, &context, ArrayRef<DeviceAttr>{device("gpu:1"), device("gpu:1")},
      ArrayRef<int64_t>{0, 0}));
  EXPECT_FALSE(GroupAttr::getChecked(noDiag, &context,
                                     ArrayRef<DeviceAttr>{device("gpu:1")},
                                     ArrayRef<int64_t>{2}));
}

} // namespace
