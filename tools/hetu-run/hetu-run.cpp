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

#include "Compile.h"
#include "Optimize.h"
#include "Runner.h"
#include "ToolSupport.h"

#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "hetu_runtime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
using namespace ::hetu::run;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<input .mlir file>"));
static cl::opt<std::string>
    backendName("backend", cl::init("threads"),
                cl::desc("Runtime backend: threads (default), mpi (start "
                         "under mpirun -n <ranks>), cuda (ranks as threads, "
                         "each on a GPU; hetu-lower-to-cuda) or cuda-mpi "
                         "(ranks as MPI processes, each on a GPU)"));
static cl::opt<std::string>
    chipOpt("chip", cl::init("sm_90"),
            cl::desc("GPU architecture for --backend=cuda"));
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
static cl::opt<mlir::hetu::PipelineScheduleKind> scheduleOpt(
    "schedule",
    cl::desc("Pipeline schedule of the micro-batches (default: the "
             "function's hetu.schedule, else gpipe)"),
    cl::init(mlir::hetu::PipelineScheduleKind::function),
    mlir::hetu::pipelineScheduleValues());
static cl::opt<std::string> autodiffOpt(
    "autodiff",
    cl::desc("Differentiate the forward loss function into its training step "
             "first (hetu-autodiff): an optimizer (sgd, momentum, none) or "
             "the pass's options, e.g. \"optimizer=momentum lr=0.05\"; "
             "default: only functions carrying hetu.autodiff"));
static cl::opt<bool> reportOpt("report",
                               cl::desc("Per-rank compile/run/communication "
                                        "report"));

namespace {

std::unique_ptr<ExecutionEngine> jit(ModuleOp module) {
  ExecutionEngineOptions options;
  // -O3 for this machine's CPU: the loop vectoriser needs the host's
  // features (vector widths) to vectorise the elementwise loops.
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  std::unique_ptr<llvm::TargetMachine> machine;
  if (builder) {
    builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
    if (auto tm = builder->createTargetMachine())
      machine = std::move(*tm);
    else
      llvm::consumeError(tm.takeError());
  } else {
    llvm::consumeError(builder.takeError());
  }
  // options.transformer is a function_ref: the callable must outlive it.
  llvm::TargetMachine *tm = machine.get();
  auto transformer = [tm](llvm::Module *module) {
    return optimizeModel(*module, 3, tm);
  };
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
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
#define HETU_GPU_SYMBOL(name) add(#name, (void *)&name);
    HETU_GPU_SYMBOL(mgpuModuleLoad)
    HETU_GPU_SYMBOL(mgpuModuleUnload)
    HETU_GPU_SYMBOL(mgpuModuleGetFunction)
    HETU_GPU_SYMBOL(mgpuLaunchKernel)
    HETU_GPU_SYMBOL(mgpuStreamCreate)
    HETU_GPU_SYMBOL(mgpuStreamDestroy)
    HETU_GPU_SYMBOL(mgpuStreamSynchronize)
    HETU_GPU_SYMBOL(mgpuStreamWaitEvent)
    HETU_GPU_SYMBOL(mgpuEventCreate)
    HETU_GPU_SYMBOL(mgpuEventDestroy)
    HETU_GPU_SYMBOL(mgpuEventSynchronize)
    HETU_GPU_SYMBOL(mgpuEventRecord)
    HETU_GPU_SYMBOL(mgpuMemAlloc)
    HETU_GPU_SYMBOL(mgpuMemFree)
    HETU_GPU_SYMBOL(mgpuMemcpy)
    HETU_GPU_SYMBOL(mgpuMemset32)
    HETU_GPU_SYMBOL(mgpuMemset16)
    HETU_GPU_SYMBOL(mgpuSetDefaultDevice)
    HETU_GPU_SYMBOL(hetu_rt_cublas_gemm_f32)
    HETU_GPU_SYMBOL(hetu_rt_cublas_gemm_f64)
    HETU_GPU_SYMBOL(hetu_rt_cublas_batched_gemm_f32)
    HETU_GPU_SYMBOL(hetu_rt_cublas_batched_gemm_f64)
#undef HETU_GPU_SYMBOL
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

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "hetu-mlir runner\n");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto start = std::chrono::steady_clock::now();

  if (backendName != "threads" && backendName != "mpi" &&
      backendName != "cuda" && backendName != "cuda-mpi")
    die("unknown backend '" + backendName +
        "': expected threads, mpi, cuda or cuda-mpi");
  bool cuda = backendName == "cuda" || backendName == "cuda-mpi";
  if (microBatchesOpt < 0)
    die("--micro-batches must be positive");

  std::unique_ptr<MLIRContext> context = makeContext();
  Input input(*context, inputFile);
  OwningOpRef<ModuleOp> &module = input.module;
  bool partitioned = input.partitioned;
  OwningOpRef<ModuleOp> original;
  if (partitioned && !autodiffOpt.empty())
    die("--autodiff needs the un-partitioned module");
  if (!partitioned) {
    differentiate(*module, autodiffOpt);
    original = module->clone();
  }

  std::string entry = chooseEntry(*module, partitioned, entryName);
  if (verifyOpt && partitioned)
    die("--verify needs the un-partitioned module");
  if (partitioned && (microBatchesOpt != 0 || scheduleOpt.getNumOccurrences()))
    die("--micro-batches and --schedule need the un-partitioned module");

  // Ranks.
  if (!partitioned)
    deduceRanks(*module);
  auto rankMap = (*module)->getAttrOfType<ArrayAttr>(
      mlir::hetu::HetuDialect::kRankMapAttrName);
  if (!rankMap)
    die("the module has no hetu.rank_map");
  int64_t numRanks = rankMap.size();
  if (ranksOpt >= 0 && ranksOpt != numRanks)
    die("--ranks=" + std::to_string(ranksOpt.getValue()) +
        " but the module has " + std::to_string(numRanks) + " ranks");
  char rtError[1024] = {0};
  if (hetu_rt_init(backendName.c_str(), numRanks, rtError, sizeof rtError))
    die(rtError);
  bool mpi = backendName == "mpi" || backendName == "cuda-mpi";
  int64_t me = hetu_rt_process_rank();
  if (cuda)
    checkCudaChip(chipOpt, numRanks);
  else if (chipOpt.getNumOccurrences())
    die("--chip applies to --backend=cuda");

  if (!partitioned) {
    CompileOptions compile;
    compile.microBatches = microBatchesOpt;
    compile.schedule = scheduleOpt;
    compile.onlyRank = mpi ? me : -1;
    partition(*module, compile);
  }
  Model model = describe(*module, original ? *original : ModuleOp(), entry,
                         mpi ? me : -1);

  // Lower and JIT once.
  auto compileStart = std::chrono::steady_clock::now();
  if (failed(lowerToLLVM(*module, cuda ? chipOpt.getValue() : "")))
    die("lowering failed");
  std::unique_ptr<ExecutionEngine> engine = jit(*module);
  for (RankProgram &p : model.programs) {
    auto fn = engine->lookupPacked(p.name);
    if (!fn)
      die("JIT: no function " + p.name);
    p.fn = *fn;
  }
  RunOptions options;
  options.compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                    compileStart)
          .count();

  std::unique_ptr<ExecutionEngine> refEngine;
  if (verifyOpt && (!mpi || me == 0)) {
    if (failed(makeReference(*original, entry, entry, model.gradients)))
      die("could not build the single-device reference");
    bool precise = addF64Reference(*original, entry);
    if (failed(lowerToLLVM(*original)))
      die("could not build the single-device reference");
    refEngine = jit(*original);
    auto lookup = [&](const std::string &name) {
      auto fn = refEngine->lookupPacked(name);
      if (!fn)
        die("JIT: no reference function " + name);
      return *fn;
    };
    bool twoPhase = !model.gradients.empty();
    model.reference = lookup(entry);
    if (twoPhase)
      model.referenceApply = lookup(entry + "_apply");
    if (precise) {
      model.referenceF64 = lookup(entry + "_f64");
      if (twoPhase)
        model.referenceF64Apply = lookup(entry + "_apply_f64");
    }
  }

  options.mpi = mpi;
  if (cuda) {
    options.allocate = hetu_rt_cuda_alloc;
    options.release = hetu_rt_cuda_free;
  }
  options.seed = seedOpt;
  options.inputs = splitComma(inputsOpt);
  options.outputsDir = outputsDir;
  options.verify = verifyOpt;
  options.iterations = iterationsOpt;
  options.report = reportOpt;
  options.start = start;
  int exitCode = 0;
  std::string error;
  if (!runModel(model, options, exitCode, error))
    die(error);
  hetu_rt_finalize();
  return exitCode;
}
