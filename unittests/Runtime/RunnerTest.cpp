//===- RunnerTest.cpp - The runner library reports, never exits -----------===//
//
// runModel on bad options and inputs returns false with the message a tool
// prints (the tools exit; the library, which the session library and
// embedders call, must not).
//
//===----------------------------------------------------------------------===//

#include "Runner.h"

#include "gtest/gtest.h"

using namespace hetu::run;

namespace {

Model twoArguments() {
  Model model;
  model.entry = "f";
  model.rankDevices = {"cpu:0"};
  GlobalValue x;
  x.shape = {2, 3};
  model.args = {x, x};
  model.results = {x};
  return model;
}

std::string runError(Model model, const RunOptions &options) {
  int exitCode = -1;
  std::string error;
  EXPECT_FALSE(runModel(model, options, exitCode, error));
  return error;
}

TEST(RunnerTest, BadIterationsAreAnError) {
  RunOptions options;
  options.iterations = 0;
  EXPECT_EQ(runError(twoArguments(), options),
            "--iterations must be at least 1");
  options.iterations = 3;
  EXPECT_NE(runError(twoArguments(), options).find("needs a training step"),
            std::string::npos);
}

TEST(RunnerTest, BadInputsAreAnError) {
  RunOptions options;
  options.inputs = {"a.npy"};
  EXPECT_EQ(runError(twoArguments(), options),
            "--inputs has 1 files for 2 arguments (2 without the optimizer "
            "state)");
  options.inputs = {"/nonexistent/a.npy", "/nonexistent/b.npy"};
  EXPECT_NE(runError(twoArguments(), options).find("/nonexistent/a.npy"),
            std::string::npos);
}

TEST(RunnerTest, VerifyWithoutReferenceIsAnError) {
  RunOptions options;
  options.verify = true;
  EXPECT_EQ(runError(twoArguments(), options),
            "--verify needs the single-device reference");
}

} // namespace
