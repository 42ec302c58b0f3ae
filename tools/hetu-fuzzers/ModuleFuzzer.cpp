//===- ModuleFuzzer.cpp - Placed modules through the front end ------------===//
//
// Structure-aware: the corpus holds valid placed modules, and the custom
// mutator edits what this project owns (numbers and device lists inside
// #hetu.states / #hetu.group / #hetu.device, tensor shapes, whole hetu
// attributes swapped for one another) rather than bytes, which mostly make
// text that upstream's parser rejects (or, for some mutated linalg syntax,
// crashes on: not ours to fix). Each module that parses and verifies runs
// through the front end (hetu-front-end: autodiff, strategy, pipeline
// schedule, grad sync, states, partition), verified after every pass: a
// pass may refuse the module with a diagnostic, but one that succeeds must
// leave IR that verifies, and none may crash.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "hetu/InitAll.h"
#include "hetu/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <regex>
#include <string>
#include <vector>

using namespace mlir;

namespace {
/// After each pass that succeeds: the IR must verify. A pass may refuse a
/// module (the run fails with a diagnostic); leaving broken IR is a bug.
struct VerifyAfterEachPass : public PassInstrumentation {
  void runAfterPass(Pass *pass, Operation *op) override {
    if (succeeded(verify(op)))
      return;
    std::fprintf(stderr,
                 "hetu-module-fuzzer: %s succeeded but left IR that does "
                 "not verify\n",
                 pass->getArgument().str().c_str());
    std::abort();
  }
};
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  mlir::hetu::registerAllPasses();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry;
    mlir::hetu::registerAllDialects(*r);
    return r;
  }();
  // A fresh context per input: nothing one module uniqued leaks into the
  // next, and memory stays flat over long runs.
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  // HETU_FUZZ_VERBOSE=1: how far each input got, and why it stopped.
  static bool verbose = std::getenv("HETU_FUZZ_VERBOSE");
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &d) {
    if (verbose)
      std::fprintf(stderr, "  %s\n", d.str().c_str());
    return success();
  });
  auto outcome = [&](const char *what) {
    if (verbose)
      std::fprintf(stderr, "hetu-module-fuzzer: %s\n", what);
    return 0;
  };
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(&context));
  if (!module || failed(verify(*module)))
    return outcome("does not parse or verify");
  // As the drivers do: autodiff where a function asks for it.
  bool differentiate = false;
  module->walk([&](Operation *op) {
    differentiate |= static_cast<bool>(
        op->getAttr(mlir::hetu::HetuDialect::kAutodiffAttrName));
  });
  // The front end hetu-run and hetu-compile run before lowering.
  mlir::hetu::FrontEndOptions options;
  options.autodiff = differentiate;
  PassManager pm(&context, ModuleOp::getOperationName());
  pm.enableVerifier(false);
  pm.addInstrumentation(std::make_unique<VerifyAfterEachPass>());
  mlir::hetu::buildFrontEndPipeline(pm, options);
  if (failed(pm.run(*module)))
    return outcome("refused by a pass");
  return outcome("partitioned");
}

//===----------------------------------------------------------------------===//
// The structure-aware mutator
//===----------------------------------------------------------------------===//

namespace {

struct Span {
  size_t begin, end;
};

std::vector<Span> find(const std::string &text, const std::regex &re) {
  std::vector<Span> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re);
       it != std::sregex_iterator(); ++it)
    out.push_back({static_cast<size_t>(it->position()),
                   static_cast<size_t>(it->position() + it->length())});
  return out;
}

/// Numbers worth trying where a split count, index or size stands.
int64_t interestingNumber(std::mt19937_64 &rng, int64_t old) {
  // (Kept clear of overflow: the mutator's own arithmetic is not under test.)
  if (old > (int64_t(1) << 40) || old < -(int64_t(1) << 40))
    old = 1;
  switch (rng() % 6) {
  case 0:
    return old + 1;
  case 1:
    return old > 0 ? old - 1 : 0;
  case 2:
    return old * 2;
  case 3:
    return static_cast<int64_t>(rng() % 9);
  case 4:
    return -static_cast<int64_t>(rng() % 3);
  default:
    return int64_t(1) << (rng() % 63);
  }
}

std::string mutate(std::string text, std::mt19937_64 &rng) {
  static const std::regex attr(R"(#hetu\.(states|group|device)<[^>]*>)");
  static const std::regex number(R"(-?[0-9]+)");
  static const std::regex shape(R"(tensor<([0-9]+x)+)");
  std::vector<Span> attrs = find(text, attr);
  switch (rng() % 4) {
  case 0:
  case 1: { // a number inside a hetu attribute
    if (attrs.empty())
      break;
    Span a = attrs[rng() % attrs.size()];
    std::string inside = text.substr(a.begin, a.end - a.begin);
    std::vector<Span> numbers = find(inside, number);
    if (numbers.empty())
      break;
    Span n = numbers[rng() % numbers.size()];
    int64_t old = std::atoll(inside.c_str() + n.begin);
    inside.replace(n.begin, n.end - n.begin,
                   std::to_string(interestingNumber(rng, old)));
    text.replace(a.begin, a.end - a.begin, inside);
    break;
  }
  case 2: { // one hetu attribute copied over another
    if (attrs.size() < 2)
      break;
    Span from = attrs[rng() % attrs.size()], to = attrs[rng() % attrs.size()];
    std::string copy = text.substr(from.begin, from.end - from.begin);
    text.replace(to.begin, to.end - to.begin, copy);
    break;
  }
  default: { // a tensor dimension
    std::vector<Span> shapes = find(text, shape);
    if (shapes.empty())
      break;
    Span s = shapes[rng() % shapes.size()];
    std::string inside = text.substr(s.begin, s.end - s.begin);
    std::vector<Span> numbers = find(inside, number);
    Span n = numbers[rng() % numbers.size()];
    int64_t old = std::atoll(inside.c_str() + n.begin);
    int64_t now = interestingNumber(rng, old);
    inside.replace(n.begin, n.end - n.begin,
                   std::to_string(now < 1 ? 1 : now % 4096));
    text.replace(s.begin, s.end - s.begin, inside);
    break;
  }
  }
  return text;
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::string text(reinterpret_cast<char *>(data), size);
  // A few edits at a time, as libFuzzer stacks its own.
  for (unsigned i = 0, n = 1 + rng() % 3; i < n; ++i)
    text = mutate(std::move(text), rng);
  if (text.size() > maxSize)
    return size;
  std::memcpy(data, text.data(), text.size());
  return text.size();
}
