//===- hetu-launch.cpp - Run a model compiled by hetu-compile -------------===//
//
// hetu-launch model.so [--backend=threads|mpi|cuda|cuda-mpi] [--verify]
//   [--ranks=N] [--seed=S] [--inputs=a.npy,...] [--outputs=DIR]
//   [--iterations=K] [--report]
//
// hetu-run's interface for an ahead-of-time compiled model: loads the
// shared object, reads its metadata (`__hetu_model`), and runs its rank
// programs on the runtime's backends. It links only the runtime library:
// no LLVM, no MLIR.
//
//===----------------------------------------------------------------------===//

#include "Runner.h"
#include "ToolSupport.h"

#include "hetu_runtime.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>

using namespace hetu::run;

static const char *const kUsage =
    "usage: hetu-launch MODEL.so [--backend=threads|mpi|cuda|cuda-mpi] "
    "[--verify]\n"
    "                   [--ranks=N] [--seed=S] [--inputs=a.npy,...] "
    "[--outputs=DIR]\n"
    "                   [--iterations=K] [--report]\n";

/// The value of `--name=value` or `--name value` (which consumes the next
/// argument), or null if argv[i] is not that option.
static const char *optionValue(int argc, char **argv, int &i,
                               const char *name) {
  const char *arg = argv[i];
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0)
    return nullptr;
  if (arg[n] == '=')
    return arg + n + 1;
  if (arg[n] != 0)
    return nullptr;
  if (i + 1 >= argc)
    die(std::string(name) + " needs a value");
  return argv[++i];
}

static int64_t parseCount(const char *text, const char *option) {
  char *end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (!*text || *end)
    die(std::string(option) + " expects an integer, got '" + text + "'");
  return v;
}

int main(int argc, char **argv) {
  setToolName("hetu-launch");
  auto start = std::chrono::steady_clock::now();
  std::string modelPath, backend = "threads";
  RunOptions options;
  int64_t ranks = -1;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i], *v;
    if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    } else if ((v = optionValue(argc, argv, i, "--backend"))) {
      backend = v;
    } else if (!std::strcmp(a, "--verify")) {
      options.verify = true;
    } else if (!std::strcmp(a, "--report")) {
      options.report = true;
    } else if ((v = optionValue(argc, argv, i, "--ranks"))) {
      ranks = parseCount(v, "--ranks");
    } else if ((v = optionValue(argc, argv, i, "--seed"))) {
      options.seed = parseCount(v, "--seed");
    } else if ((v = optionValue(argc, argv, i, "--iterations"))) {
      options.iterations = parseCount(v, "--iterations");
    } else if ((v = optionValue(argc, argv, i, "--inputs"))) {
      options.inputs = splitComma(v);
    } else if ((v = optionValue(argc, argv, i, "--outputs"))) {
      options.outputsDir = v;
    } else if (a[0] == '-') {
      std::fputs(kUsage, stderr);
      die(std::string("unknown option '") + a + "'");
    } else if (modelPath.empty()) {
      modelPath = a;
    } else {
      die("more than one model: '" + modelPath + "' and '" + a + "'");
    }
  }
  if (modelPath.empty()) {
    std::fputs(kUsage, stderr);
    die("no model: give the shared object hetu-compile wrote");
  }
  if (backend != "threads" && backend != "mpi" && backend != "cuda" &&
      backend != "cuda-mpi")
    die("unknown backend '" + backend +
        "': expected threads, mpi, cuda or cuda-mpi");
  bool cuda = backend == "cuda" || backend == "cuda-mpi";

  // A path without a slash would make dlopen search the library path.
  if (modelPath.find('/') == std::string::npos)
    modelPath = "./" + modelPath;
  void *handle = dlopen(modelPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    die(std::string("cannot load the model: ") + dlerror());
  auto *metadata =
      static_cast<const char *>(dlsym(handle, "__hetu_model"));
  if (!metadata)
    die(modelPath + " is not a model compiled by hetu-compile (no "
                    "__hetu_model)");
  Model model;
  std::string error;
  if (!parseModel(metadata, model, error))
    die(modelPath + ": " + error);

  if ((model.target == "cuda") != cuda)
    die(modelPath + " was compiled for " + model.target + ": run it with " +
        (model.target == "cuda" ? "--backend=cuda or --backend=cuda-mpi"
                                : "--backend=threads or --backend=mpi"));
  int64_t numRanks = model.rankDevices.size();
  if (ranks >= 0 && ranks != numRanks)
    die("--ranks=" + std::to_string(ranks) + " but the model has " +
        std::to_string(numRanks) + " ranks");
  if ((int64_t)model.programs.size() != numRanks)
    die(modelPath + " has " + std::to_string(model.programs.size()) +
        " rank programs for " + std::to_string(numRanks) + " ranks");
  char rtError[1024] = {0};
  if (hetu_rt_init(backend.c_str(), numRanks, rtError, sizeof rtError))
    die(rtError);
  if (cuda)
    checkCudaChip(model.chip, numRanks);
  options.mpi = backend == "mpi" || backend == "cuda-mpi";
  if (cuda) {
    options.allocate = hetu_rt_cuda_alloc;
    options.release = hetu_rt_cuda_free;
  }
  int64_t me = hetu_rt_process_rank();

  auto packed = [&](const std::string &name) {
    auto fn = reinterpret_cast<void (*)(void **)>(
        dlsym(handle, ("_mlir_" + name).c_str()));
    if (!fn)
      die(modelPath + " has no entry point _mlir_" + name);
    return fn;
  };
  std::vector<RankProgram> mine;
  for (RankProgram &p : model.programs) {
    if (options.mpi && p.rank != me)
      continue;
    p.fn = packed(p.name);
    mine.push_back(p);
  }
  model.programs = std::move(mine);
  if (options.verify && (!options.mpi || me == 0)) {
    if (model.referenceSymbol.empty())
      die("--verify: " + modelPath + " was compiled without the "
                                     "single-device reference");
    model.reference = packed(model.referenceSymbol);
    if (!model.referenceApplySymbol.empty())
      model.referenceApply = packed(model.referenceApplySymbol);
    if (!model.referenceF64Symbol.empty())
      model.referenceF64 = packed(model.referenceF64Symbol);
    if (!model.referenceF64ApplySymbol.empty())
      model.referenceF64Apply = packed(model.referenceF64ApplySymbol);
  }
  options.compileWhat = "loading the compiled model";
  options.compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  options.start = start;
  int exitCode = 0;
  if (!runModel(model, options, exitCode, error))
    die(error);
  // The model's destructors (kernel images) run while the runtime is alive.
  dlclose(handle);
  hetu_rt_finalize();
  return exitCode;
}
