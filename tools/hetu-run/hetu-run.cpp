//===- hetu-run.cpp - Compile and run a placed module on CPU ranks --------===//
//
// hetu-run FILE.mlir [--backend=threads|mpi] [--entry=f] [--ranks=N]
//   [--seed=S] [--inputs=a.npy,...] [--outputs=DIR] [--verify] [--report]
//
// Partitions the module if it is not partitioned yet, lowers every rank's
// program with hetu-lower-to-cpu, JIT-compiles it once, runs the ranks
// (threads of this process, or one MPI process each), scatters global
// inputs and gathers outputs through the hetu.slice attributes, and with
// --verify compares against the original function run on one device.
//
//===----------------------------------------------------------------------===//

#include "HostTensor.h"

#include "hetu/Conversion/Passes.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/InitAll.h"
#include "hetu_runtime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sys/stat.h>
#include <thread>

using namespace mlir;
using namespace mlir::hetu;
using namespace ::hetu::run;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<input .mlir file>"));
static cl::opt<std::string>
    backendName("backend", cl::init("threads"),
                cl::desc("Runtime backend: threads (default) or mpi (start "
                         "under mpirun -n <ranks>)"));
static cl::opt<std::string>
    entryName("entry", cl::desc("Function to run (default: the only placed "
                                "function)"));
static cl::opt<int64_t> ranksOpt(
    "ranks", cl::init(-1),
    cl::desc("Expected number of ranks (checked against the rank map)"));
static cl::opt<uint64_t> seedOpt("seed", cl::init(1),
                                 cl::desc("Seed of the generated inputs"));
static cl::opt<std::string>
    inputsOpt("inputs", cl::desc("Comma-separated .npy files, one per "
                                 "argument (data arguments: replicas' "
                                 "batches concatenated along dim 0)"));
static cl::opt<std::string>
    outputsDir("outputs", cl::desc("Write each output as DIR/output<i>.npy"));
static cl::opt<bool> verifyOpt(
    "verify",
    cl::desc("Compare with the original function on one device (relative "
             "tolerance 1e-5 for floats, scaled to the output's largest "
             "magnitude for elements that cancel)"));
static cl::opt<int64_t> iterationsOpt(
    "iterations", cl::init(1),
    cl::desc("Training steps: results marked {hetu.updates = i} feed "
             "argument i of the next step; data arguments get a new batch"));
static cl::opt<int64_t> microBatchesOpt(
    "micro-batches", cl::init(0),
    cl::desc("Split each replica's batch into this many micro-batches, run as "
             "a pipeline schedule (default: the function's "
             "hetu.micro_batches, if any)"));
static cl::opt<std::string>
    scheduleOpt("schedule",
                cl::desc("Pipeline schedule of the micro-batches: gpipe "
                         "(default) or 1f1b"));
static cl::opt<bool> reportOpt("report",
                               cl::desc("Per-rank compile/run/communication "
                                        "report"));

namespace {

/// A failure already reported to the user.
struct Fatal {};

[[noreturn]] void die(const llvm::Twine &message) {
  llvm::errs() << "hetu-run: " << message << "\n";
  hetu_rt_finalize();
  std::exit(1);
}

/// One argument or result of a rank function (its hetu.slice).
struct Slot {
  int64_t index = 0, replica = 0, position = 0;
  std::vector<int64_t> offsets, localShape;
  Element element = Element::F32;
};

struct RankProgram {
  int64_t rank = 0;
  std::string name;
  std::vector<Slot> args, results;
  void (*fn)(void **) = nullptr;
};

/// The global (per-replica) arguments and results of the entry.
struct GlobalValue {
  Element element = Element::F32;
  std::vector<int64_t> shape;
  bool trainable = false;
};

Element elementOf(Type type) {
  if (type.isF32())
    return Element::F32;
  if (type.isF64())
    return Element::F64;
  if (type.isInteger(32))
    return Element::I32;
  if (type.isInteger(64))
    return Element::I64;
  die("unsupported element type (f32, f64, i32 and i64 only)");
}

std::vector<Slot> slotsOf(func::FuncOp fn, bool results) {
  std::vector<Slot> slots;
  unsigned n = results ? fn.getNumResults() : fn.getNumArguments();
  for (unsigned i = 0; i < n; ++i) {
    auto dict = results
                    ? fn.getResultAttrOfType<DictionaryAttr>(i, "hetu.slice")
                    : fn.getArgAttrOfType<DictionaryAttr>(i, "hetu.slice");
    Type type = results ? fn.getResultTypes()[i] : fn.getArgumentTypes()[i];
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!dict || !tensor)
      die("@" + fn.getSymName() + ": " + (results ? "result " : "argument ") +
          llvm::Twine(i) + " has no hetu.slice or is not a ranked tensor");
    Slot slot;
    slot.index = cast<IntegerAttr>(dict.get("index")).getInt();
    slot.replica = cast<IntegerAttr>(dict.get("replica")).getInt();
    slot.position = cast<IntegerAttr>(dict.get("position")).getInt();
    auto offsets = cast<DenseI64ArrayAttr>(dict.get("offsets"));
    slot.offsets.assign(offsets.asArrayRef().begin(),
                        offsets.asArrayRef().end());
    slot.localShape.assign(tensor.getShape().begin(), tensor.getShape().end());
    slot.element = elementOf(tensor.getElementType());
    slots.push_back(slot);
  }
  return slots;
}

LogicalResult runPipeline(ModuleOp module, StringRef pipeline) {
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(pipeline, pm, os)))
    die("bad pipeline '" + pipeline + "': " + error);
  return pm.run(module);
}

LogicalResult lowerToLLVM(ModuleOp module) {
  // The slices have been read; LLVM translation has no use for them.
  module.walk([](func::FuncOp fn) {
    for (unsigned i = 0; i < fn.getNumArguments(); ++i)
      fn.removeArgAttr(i, "hetu.slice");
    for (unsigned i = 0; i < fn.getNumResults(); ++i) {
      fn.removeResultAttr(i, StringAttr::get(fn.getContext(), "hetu.slice"));
      fn.removeResultAttr(i, StringAttr::get(fn.getContext(), "hetu.updates"));
    }
  });
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  if (failed(buildLowerToCPUPipeline(pm, llvm::errs())))
    die("cannot build the hetu-lower-to-cpu pipeline");
  return pm.run(module);
}

std::unique_ptr<ExecutionEngine> jit(ModuleOp module) {
  ExecutionEngineOptions options;
  auto transformer = makeOptimizingTransformer(2, 0, nullptr);
  options.transformer = transformer;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine) {
    std::string message;
    llvm::raw_string_ostream os(message);
    os << engine.takeError();
    die("JIT compilation failed: " + message);
  }
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    auto add = [&](const char *name, void *fn) {
      map[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(fn),
                             llvm::JITSymbolFlags::Exported};
    };
#define HETU_RT_SYMBOLS(S)                                                     \
  add("hetu_rt_send_" #S, (void *)&hetu_rt_send_##S);                          \
  add("hetu_rt_recv_" #S, (void *)&hetu_rt_recv_##S);                          \
  add("hetu_rt_all_reduce_" #S, (void *)&hetu_rt_all_reduce_##S);              \
  add("hetu_rt_all_gather_" #S, (void *)&hetu_rt_all_gather_##S);              \
  add("hetu_rt_reduce_scatter_" #S, (void *)&hetu_rt_reduce_scatter_##S);      \
  add("hetu_rt_broadcast_" #S, (void *)&hetu_rt_broadcast_##S);                \
  add("hetu_rt_reduce_" #S, (void *)&hetu_rt_reduce_##S);
    add("memrefCopy", (void *)&memrefCopy);
    HETU_RT_SYMBOLS(f32)
    HETU_RT_SYMBOLS(f64)
    HETU_RT_SYMBOLS(i32)
    HETU_RT_SYMBOLS(i64)
#undef HETU_RT_SYMBOLS
    return map;
  });
  (*engine)->initialize();
  return std::move(*engine);
}

/// Memref descriptors of a call's arguments and the words of its results,
/// with the pointer array of the packed calling convention.
struct PackedCall {
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<int64_t> resultWords;
  std::vector<void *> pointers;

  void addMemRef(void *data, const std::vector<int64_t> &shape) {
    std::vector<int64_t> d;
    d.push_back(reinterpret_cast<int64_t>(data));
    d.push_back(reinterpret_cast<int64_t>(data));
    d.push_back(0);
    d.insert(d.end(), shape.begin(), shape.end());
    std::vector<int64_t> strides(shape.size(), 1);
    for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
      strides[i] = strides[i + 1] * shape[i + 1];
    d.insert(d.end(), strides.begin(), strides.end());
    descriptors.push_back(std::move(d));
  }
  void finish(const std::vector<std::vector<int64_t>> &resultShapes) {
    for (auto &d : descriptors)
      for (int64_t &word : d)
        pointers.push_back(&word);
    size_t words = 0;
    for (auto &s : resultShapes) {
      descriptorStarts.push_back(words);
      words += 3 + 2 * s.size();
    }
    resultWords.assign(words, 0);
    if (words)
      pointers.push_back(resultWords.data());
  }
  /// Frees the results' buffers (the caller owns them after the
  /// deallocation pipeline; results may share a buffer).
  void freeResults() {
    std::set<int64_t> freed;
    for (size_t word = 0; word < resultWords.size();) {
      int64_t allocated = resultWords[word];
      if (allocated && freed.insert(allocated).second)
        std::free(reinterpret_cast<void *>(allocated));
      // Skip this descriptor: 3 words + sizes + strides (rank from layout).
      word = nextDescriptor(word);
    }
  }
  std::vector<size_t> descriptorStarts;
  size_t nextDescriptor(size_t word) const {
    auto it = std::upper_bound(descriptorStarts.begin(), descriptorStarts.end(),
                               word);
    return it == descriptorStarts.end() ? resultWords.size() : *it;
  }

  /// Copies result `i` (shape `shape`, after the earlier results) out.
  HostTensor result(size_t word, Element element,
                    const std::vector<int64_t> &shape) const {
    HostTensor t(element, shape);
    const int64_t *d = resultWords.data() + word;
    const char *aligned = reinterpret_cast<const char *>(d[1]);
    size_t eb = elementBytes(element);
    int64_t rank = shape.size();
    const int64_t *strides = d + 3 + rank;
    std::vector<int64_t> index(rank, 0);
    for (int64_t i = 0, n = t.numElements(); i < n; ++i) {
      int64_t offset = d[2];
      for (int64_t k = 0; k < rank; ++k)
        offset += index[k] * strides[k];
      std::memcpy(t.data.data() + i * eb, aligned + offset * eb, eb);
      for (int64_t k = rank - 1; k >= 0; --k) {
        if (++index[k] < shape[k])
          break;
        index[k] = 0;
      }
    }
    return t;
  }
};

std::vector<std::string> splitComma(const std::string &s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos)
      comma = s.size();
    if (comma > start)
      out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

/// The original function for the single-device reference: dispatches are
/// identities, placement annotations go.
LogicalResult makeReference(ModuleOp module, StringRef entry) {
  bool handWritten = false;
  module.walk([&](Operation *op) {
    if (auto dispatch = dyn_cast<DispatchOp>(op)) {
      dispatch.getResult().replaceAllUsesWith(dispatch.getInput());
      dispatch.erase();
    } else if (auto grad = dyn_cast<DispatchGradientOp>(op)) {
      grad.getResult().replaceAllUsesWith(grad.getGrad());
      grad.erase();
    } else if (isa<HetuDialect>(op->getDialect()) &&
               !getOptimizerGradient(op)) {
      handWritten = true;
    }
  });
  if (handWritten) {
    module.emitError() << "--verify needs a function without hand-written "
                          "communication (hetu.send, hetu.recv, collectives)";
    return failure();
  }
  module.walk([&](Operation *op) {
    SmallVector<StringAttr> names;
    for (NamedAttribute attr : op->getDiscardableAttrs())
      if (attr.getName().getValue().starts_with("hetu."))
        names.push_back(attr.getName());
    for (StringAttr name : names)
      op->removeDiscardableAttr(name);
  });
  for (func::FuncOp fn :
       llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (fn.getSymName() != entry && !fn.isExternal())
      fn.erase();
  auto fn = module.lookupSymbol<func::FuncOp>(entry);
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    fn.removeArgAttr(i, "hetu.trainable");
  return success();
}

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "hetu-mlir runner\n");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto start = std::chrono::steady_clock::now();

  if (backendName != "threads" && backendName != "mpi")
    die("unknown backend '" + backendName + "': expected threads or mpi");
  if (!scheduleOpt.empty() && scheduleOpt != "gpipe" && scheduleOpt != "1f1b")
    die("unknown schedule '" + scheduleOpt + "': expected gpipe or 1f1b");
  if (microBatchesOpt < 0)
    die("--micro-batches must be positive");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerAllPassesWithUpstream();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Diagnostics name their location; the whole operation is noise here.
  context.printOpOnDiagnostic(false);

  llvm::SourceMgr sourceMgr;
  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    die(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    die("could not parse '" + inputFile + "'");

  bool partitioned = false;
  module->walk([&](func::FuncOp fn) {
    partitioned |= static_cast<bool>(fn->getAttr("hetu.rank"));
  });
  OwningOpRef<ModuleOp> original;
  if (!partitioned)
    original = module->clone();

  // The entry function.
  std::string entry = entryName;
  if (entry.empty()) {
    std::set<std::string> names;
    module->walk([&](func::FuncOp fn) {
      if (partitioned) {
        if (auto name = fn->getAttrOfType<StringAttr>("hetu.function"))
          names.insert(name.str());
      } else if (!fn.isExternal() && fn.isPublic()) {
        names.insert(fn.getSymName().str());
      }
    });
    if (names.size() != 1)
      die("the module has " + llvm::Twine(names.size()) +
          " candidate entry functions: name one with --entry");
    entry = *names.begin();
  }
  if (!partitioned && !module->lookupSymbol<func::FuncOp>(entry))
    die("no function @" + entry);
  if (verifyOpt && partitioned)
    die("--verify needs the un-partitioned module");

  // Ranks.
  if (!partitioned && !module->getOperation()->getAttr("hetu.rank_map") &&
      failed(runPipeline(*module, "hetu-deduce-strategy")))
    die("compilation failed");
  auto rankMap = (*module)->getAttrOfType<ArrayAttr>("hetu.rank_map");
  if (!rankMap)
    die("the module has no hetu.rank_map");
  int64_t numRanks = rankMap.size();
  if (ranksOpt >= 0 && ranksOpt != numRanks)
    die("--ranks=" + llvm::Twine(ranksOpt.getValue()) + " but the module has " +
        llvm::Twine(numRanks) + " ranks");
  char rtError[1024] = {0};
  if (hetu_rt_init(backendName.c_str(), numRanks, rtError, sizeof rtError))
    die(rtError);
  bool mpi = backendName == "mpi";
  int64_t me = hetu_rt_process_rank();

  if (partitioned && (microBatchesOpt != 0 || !scheduleOpt.empty()))
    die("--micro-batches and --schedule need the un-partitioned module");
  if (!partitioned) {
    std::string pipeline = "hetu-pipeline-schedule{micro-batches=" +
                           std::to_string(microBatchesOpt.getValue());
    if (!scheduleOpt.empty())
      pipeline += " schedule=" + scheduleOpt.getValue();
    pipeline += "},hetu-grad-sync,hetu-infer-states,hetu-partition";
    if (mpi)
      pipeline += "{rank=" + std::to_string(me) + "}";
    if (failed(runPipeline(*module, pipeline)))
      die("compilation failed");
  }

  // Rank programs and their signatures.
  std::vector<RankProgram> programs;
  for (int64_t r = 0; r < numRanks; ++r) {
    if (mpi && r != me)
      continue;
    std::string name = entry + "__rank" + std::to_string(r);
    auto fn = module->lookupSymbol<func::FuncOp>(name);
    if (!fn)
      die("no function @" + name + " in the partitioned module");
    RankProgram program;
    program.rank = r;
    program.name = name;
    program.args = slotsOf(fn, false);
    program.results = slotsOf(fn, true);
    programs.push_back(program);
  }

  // Global arguments and results, and the number of replicas.
  std::vector<GlobalValue> globalArgs, globalResults;
  int64_t numReplicas = 1;
  if (original) {
    auto fn = original->lookupSymbol<func::FuncOp>(entry);
    Placement def = getDefaultPlacement(fn, /*includeSelf=*/true);
    numReplicas = def ? std::max<int64_t>(1, def.group.getNumWorkers()) : 1;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      auto type = dyn_cast<RankedTensorType>(fn.getArgumentTypes()[i]);
      if (!type || !type.hasStaticShape())
        die("argument " + llvm::Twine(i) + " of @" + entry +
            " is not a static tensor");
      globalArgs.push_back(
          {elementOf(type.getElementType()),
           std::vector<int64_t>(type.getShape()),
           static_cast<bool>(fn.getArgAttr(i, "hetu.trainable"))});
    }
    for (Type t : fn.getResultTypes()) {
      auto type = dyn_cast<RankedTensorType>(t);
      if (!type || !type.hasStaticShape())
        die("results of @" + entry + " must be static tensors");
      globalResults.push_back({elementOf(type.getElementType()),
                               std::vector<int64_t>(type.getShape()), false});
    }
  } else {
    // From the slices: replicated results and arguments hold whole values.
    for (RankProgram &p : programs) {
      for (Slot &s : p.args) {
        if (s.index >= (int64_t)globalArgs.size())
          globalArgs.resize(s.index + 1);
        globalArgs[s.index] = {s.element, s.localShape, false};
        numReplicas = std::max(numReplicas, s.replica + 1);
      }
      for (Slot &s : p.results) {
        if (s.index >= (int64_t)globalResults.size())
          globalResults.resize(s.index + 1);
        globalResults[s.index] = {s.element, s.localShape, false};
      }
    }
  }

  // The default placement (where outputs are gathered from under MPI).
  GroupAttr defaultGroup;
  if (original)
    defaultGroup =
        getDefaultPlacement(original->lookupSymbol<func::FuncOp>(entry), true)
            .group;

  // Training steps: results that update arguments ({hetu.updates = i}).
  std::map<int64_t, int64_t> updates; // result -> argument
  if (original) {
    auto fn = original->lookupSymbol<func::FuncOp>(entry);
    for (unsigned j = 0; j < fn.getNumResults(); ++j)
      if (auto a = fn.getResultAttrOfType<IntegerAttr>(j, "hetu.updates"))
        updates[j] = a.getInt();
  }
  // Arguments a training step updates (parameters, optimizer state such as
  // a momentum velocity) start the same on every replica.
  for (auto &[j, a] : updates)
    if (a >= 0 && a < (int64_t)globalArgs.size())
      globalArgs[a].trainable = true;
  if (iterationsOpt < 1)
    die("--iterations must be at least 1");
  if (iterationsOpt > 1 && updates.empty())
    die("--iterations=" + llvm::Twine(iterationsOpt.getValue()) +
        " needs a training step: results with {hetu.updates = <argument>}");

  // Inputs, per argument and replica. Data arguments get a new batch every
  // step; parameters are the same on every replica.
  std::vector<std::string> files = splitComma(inputsOpt);
  if (!files.empty() && files.size() != globalArgs.size())
    die("--inputs has " + llvm::Twine(files.size()) + " files for " +
        llvm::Twine(globalArgs.size()) + " arguments");
  auto makeInputs = [&](int64_t step) {
    std::vector<std::vector<HostTensor>> inputs(globalArgs.size());
    for (size_t a = 0; a < globalArgs.size(); ++a) {
      const GlobalValue &g = globalArgs[a];
      for (int64_t r = 0; r < numReplicas; ++r) {
        HostTensor t(g.element, g.shape);
        if (files.empty()) {
          t.fillRandom(seedOpt * 1000003ull + a * 1009ull +
                       (g.trainable ? 0 : r + 1 + step * 7919ull));
        } else {
          HostTensor file;
          std::string err;
          if (!readNpy(files[a], file, err))
            die(err);
          if (file.element != g.element)
            die(files[a] + ": element type " + elementName(file.element) +
                ", argument " + llvm::Twine(a) + " needs " +
                elementName(g.element));
          std::vector<int64_t> batched = g.shape;
          if (!batched.empty())
            batched[0] *= numReplicas;
          if (file.shape == g.shape)
            t = file;
          else if (file.shape == batched)
            t = file.split(numReplicas, r);
          else
            die(files[a] + ": shape " + file.shapeString() + ", argument " +
                llvm::Twine(a) + " needs " +
                HostTensor(g.element, g.shape).shapeString() + " per replica");
        }
        inputs[a].push_back(std::move(t));
      }
    }
    return inputs;
  };
  std::vector<std::vector<HostTensor>> inputs = makeInputs(0);

  // Lower and JIT once.
  auto compileStart = std::chrono::steady_clock::now();
  if (failed(lowerToLLVM(*module)))
    die("lowering failed");
  std::unique_ptr<ExecutionEngine> engine = jit(*module);
  for (RankProgram &p : programs) {
    auto fn = engine->lookupPacked(p.name);
    if (!fn)
      die("JIT: no function " + p.name);
    p.fn = *fn;
  }
  double compileSeconds = seconds(compileStart);

  std::unique_ptr<ExecutionEngine> refEngine;
  void (*refFn)(void **) = nullptr;
  bool printer = !mpi || me == 0;
  if (verifyOpt && printer) {
    if (failed(makeReference(*original, entry)) ||
        failed(lowerToLLVM(*original)))
      die("could not build the single-device reference");
    refEngine = jit(*original);
    auto fn = refEngine->lookupPacked(entry);
    if (!fn)
      die("JIT: no reference function");
    refFn = *fn;
  }

  struct Job {
    void (*fn)(void **);
    PackedCall *call;
    int status = 0;
    char error[1024] = {0};
    double seconds = 0;
  };
  std::vector<Job> jobs(programs.size());
  double runSeconds = 0, referenceSeconds = 0;
  int64_t elements = 0;
  int exitCode = 0;
  std::map<std::pair<int64_t, int64_t>, HostTensor> outputs;
  // Training tolerance (issue: 1e-4), forward 1e-5.
  double rtol = updates.empty() ? 1e-5 : 1e-4;

  for (int64_t step = 0; step < iterationsOpt && !exitCode; ++step) {
    // Run every local rank on its slices of the inputs.
    std::vector<PackedCall> calls(programs.size());
    std::vector<std::vector<HostTensor>> argData(programs.size());
    for (size_t i = 0; i < programs.size(); ++i) {
      RankProgram &p = programs[i];
      for (Slot &sl : p.args)
        argData[i].push_back(
            inputs[sl.index][sl.replica].tile(sl.offsets, sl.localShape));
      for (HostTensor &t : argData[i])
        calls[i].addMemRef(t.data.data(), t.shape);
      std::vector<std::vector<int64_t>> resultShapes;
      for (Slot &sl : p.results)
        resultShapes.push_back(sl.localShape);
      calls[i].finish(resultShapes);
    }
    auto runStart = std::chrono::steady_clock::now();
    auto runJob = [&](size_t i) {
      Job &job = jobs[i];
      job.fn = programs[i].fn;
      job.call = &calls[i];
      auto t0 = std::chrono::steady_clock::now();
      job.status = hetu_rt_run(
          programs[i].rank,
          [](void *arg) {
            auto *j = static_cast<Job *>(arg);
            j->fn(j->call->pointers.data());
          },
          &job, job.error, sizeof job.error);
      job.seconds += seconds(t0);
    };
    if (mpi) {
      runJob(0);
    } else {
      std::vector<std::thread> threads;
      for (size_t i = 0; i < programs.size(); ++i)
        threads.emplace_back(runJob, i);
      for (std::thread &t : threads)
        t.join();
    }
    runSeconds += seconds(runStart);
    for (Job &job : jobs)
      if (job.status)
        die(llvm::Twine("runtime error: ") + job.error);

    // Outputs: result j of replica r from the device at position 0; the
    // next step's parameters from this process's own results.
    outputs.clear();
    std::map<std::pair<int64_t, int64_t>, HostTensor> nextParams;
    for (size_t i = 0; i < programs.size(); ++i) {
      size_t word = 0;
      for (Slot &sl : programs[i].results) {
        HostTensor t = calls[i].result(word, sl.element, sl.localShape);
        word += 3 + 2 * sl.localShape.size();
        if (updates.count(sl.index))
          nextParams[{updates[sl.index], sl.replica}] = t;
        if (sl.position == 0)
          outputs[{sl.index, sl.replica}] = std::move(t);
      }
      calls[i].freeResults();
    }
    if (mpi) {
      // Everything to process 0: the owner of (j, r) sends it.
      if (!defaultGroup)
        die("--backend=mpi needs the un-partitioned module");
      for (int64_t r = 0; r < numReplicas; ++r) {
        DeviceAttr device = defaultGroup.getWorkers()[r].devices.front();
        int64_t owner = -1;
        for (auto [k, d] : llvm::enumerate(rankMap))
          if (d == device)
            owner = k;
        for (size_t j = 0; j < globalResults.size(); ++j) {
          const GlobalValue &g = globalResults[j];
          std::pair<int64_t, int64_t> key{(int64_t)j, r};
          if (owner == me && me != 0) {
            HostTensor &t = outputs[key];
            if (hetu_rt_raw_send(me, 0, t.data.data(), t.data.size(), rtError,
                                 sizeof rtError))
              die(rtError);
          } else if (me == 0 && owner != 0) {
            HostTensor t(g.element, g.shape);
            if (hetu_rt_raw_recv(0, owner, t.data.data(), t.data.size(),
                                 rtError, sizeof rtError))
              die(rtError);
            outputs[key] = std::move(t);
          }
        }
      }
    }

    if (verifyOpt && printer) {
      // The reference: the original function on one device, replica by
      // replica, from the same parameters. Data-parallel SGD with mean
      // gradients on R replicas equals the mean of the R replicas' updates:
      // that is single-device training on the R batches concatenated.
      std::vector<std::vector<HostTensor>> expected(numReplicas);
      for (int64_t r = 0; r < numReplicas; ++r) {
        PackedCall call;
        std::vector<HostTensor> args;
        for (auto &perReplica : inputs)
          args.push_back(perReplica[r]);
        for (HostTensor &t : args)
          call.addMemRef(t.data.data(), t.shape);
        std::vector<std::vector<int64_t>> shapes;
        for (GlobalValue &g : globalResults)
          shapes.push_back(g.shape);
        call.finish(shapes);
        auto t0 = std::chrono::steady_clock::now();
        refFn(call.pointers.data());
        referenceSeconds += seconds(t0);
        size_t word = 0;
        for (GlobalValue &g : globalResults) {
          expected[r].push_back(call.result(word, g.element, g.shape));
          word += 3 + 2 * g.shape.size();
        }
        call.freeResults();
      }
      for (auto &[j, a] : updates) {
        HostTensor mean = expected[0][j];
        for (int64_t k = 0, e = mean.numElements(); k < e; ++k) {
          double sum = 0;
          for (int64_t r = 0; r < numReplicas; ++r)
            sum += expected[r][j].at(k);
          mean.set(k, sum / numReplicas);
        }
        for (int64_t r = 0; r < numReplicas; ++r)
          expected[r][j] = mean;
      }
      for (int64_t r = 0; r < numReplicas && !exitCode; ++r) {
        for (size_t j = 0; j < globalResults.size(); ++j) {
          const HostTensor &want = expected[r][j];
          const HostTensor &got = outputs[{(int64_t)j, r}];
          // An element that cancels down far below the output's largest
          // magnitude gets the tolerance of that magnitude: a different
          // summation order (partial sums) legitimately moves it by that.
          double scale = 0;
          for (int64_t k = 0, e = want.numElements(); k < e; ++k)
            scale = std::max(scale, std::fabs(want.at(k)));
          int64_t bad = firstMismatch(got, want, rtol, rtol * scale);
          elements += want.numElements();
          if (bad >= 0) {
            llvm::outs() << "verify: mismatch";
            if (iterationsOpt > 1)
              llvm::outs() << " at step " << step;
            llvm::outs() << " in output " << j << " (replica " << r << ") at "
                         << indexString(want.shape, bad) << ": got "
                         << llvm::format("%.9g", got.at(bad)) << ", expected "
                         << llvm::format("%.9g", want.at(bad)) << "\n";
            exitCode = 1;
            break;
          }
        }
      }
    }

    if (step + 1 < iterationsOpt) {
      inputs = makeInputs(step + 1);
      // Parameters for this process's ranks come from their own results;
      // process 0 (which runs the reference) takes the gathered ones.
      for (auto &[key, t] : nextParams)
        inputs[key.first][key.second] = t;
      if (printer)
        for (auto &[j, a] : updates)
          for (int64_t r = 0; r < numReplicas; ++r)
            if (outputs.count({j, r}))
              inputs[a][r] = outputs[{j, r}];
    }
  }

  if (printer) {
    for (size_t j = 0; j < globalResults.size(); ++j) {
      std::vector<HostTensor> parts;
      for (int64_t r = 0; r < numReplicas; ++r) {
        auto it = outputs.find({(int64_t)j, r});
        if (it == outputs.end())
          die("output " + llvm::Twine(j) + " of replica " + llvm::Twine(r) +
              " was not returned by any rank");
        parts.push_back(it->second);
      }
      HostTensor all = HostTensor::concat(parts);
      double checksum = 0;
      for (int64_t i = 0, n = all.numElements(); i < n; ++i)
        checksum += all.at(i);
      llvm::outs() << "output " << j << ": " << numReplicas << " x "
                   << parts[0].shapeString() << " " << elementName(all.element)
                   << " [";
      for (int64_t i = 0, n = std::min<int64_t>(4, all.numElements()); i < n;
           ++i)
        llvm::outs() << (i ? ", " : "") << llvm::format("%g", all.at(i));
      llvm::outs() << (all.numElements() > 4 ? ", ..." : "") << "] checksum "
                   << llvm::format("%.6g", checksum) << "\n";
      if (!outputsDir.empty()) {
        ::mkdir(outputsDir.c_str(), 0755);
        std::string err;
        if (!writeNpy(outputsDir + "/output" + std::to_string(j) + ".npy", all,
                      err))
          die(err);
      }
    }
    if (verifyOpt && !exitCode) {
      llvm::outs() << "verify: OK (";
      if (iterationsOpt > 1)
        llvm::outs() << iterationsOpt << " steps, ";
      llvm::outs() << globalResults.size() << " outputs x " << numReplicas
                   << " replicas, " << elements << " elements)\n";
    }
    if (verifyOpt && reportOpt)
      llvm::outs() << "report: single-device reference run "
                   << llvm::format("%.6f", referenceSeconds) << " s ("
                   << numReplicas << " replicas one after another)\n";
  }

  if (reportOpt) {
    if (printer)
      llvm::outs() << "report: compile " << llvm::format("%.3f", compileSeconds)
                   << " s (all ranks, one JIT), run "
                   << llvm::format("%.3f", runSeconds) << " s, total "
                   << llvm::format("%.3f", seconds(start)) << " s\n";
    for (size_t i = 0; i < programs.size(); ++i) {
      int64_t sent = 0, received = 0;
      double comm = 0;
      hetu_rt_stats(programs[i].rank, &sent, &received, &comm);
      llvm::outs() << "report: rank " << programs[i].rank << " ("
                   << cast<DeviceAttr>(rankMap[programs[i].rank]).str()
                   << "): run " << llvm::format("%.6f", jobs[i].seconds)
                   << " s, communication " << llvm::format("%.6f", comm)
                   << " s, sent " << sent << " B, received " << received
                   << " B\n";
    }
  }
  llvm::outs().flush();
  hetu_rt_finalize();
  return exitCode;
}
