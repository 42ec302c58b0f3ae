//===- hetu-compile.cpp - Ahead-of-time compile of a placed module --------===//
//
// hetu-compile FILE.mlir --target=cpu -o model.so [--entry=f]
//   [--autodiff=OPTIMIZER] [--micro-batches=M --schedule=gpipe|1f1b]
//   [--mcpu=CPU]
//
// Runs the whole pipeline (every rank's program), lowers the rank programs
// and the single-device reference with hetu-lower-to-cpu, and writes one
// shared object: each program's packed entry point (`_mlir_<name>`), the
// reference's, and the model's metadata (`__hetu_model`: rank map, global
// arguments and results, each program's argument and result tiles,
// training updates). `hetu-launch model.so` runs it with only the runtime
// library: no LLVM or MLIR on the machine that runs it.
//
//===----------------------------------------------------------------------===//

#include "Compile.h"
#include "Optimize.h"
#include "Runner.h"
#include "ToolSupport.h"

#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

#include <set>

using namespace mlir;
using namespace ::hetu::run;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<input .mlir file>"));
static cl::opt<std::string> outputFile("o", cl::Required,
                                       cl::desc("Output shared object"),
                                       cl::value_desc("model.so"));
static cl::opt<std::string>
    targetOpt("target", cl::init("cpu"),
              cl::desc("cpu (the threads and MPI backends) or cuda (GPU "
                       "kernels, hetu-launch --backend=cuda)"));
static cl::opt<std::string>
    chipOpt("chip", cl::init("sm_90"),
            cl::desc("GPU architecture for --target=cuda"));
static cl::opt<std::string>
    entryName("entry", cl::desc("Function to compile (default: the only "
                                "placed function)"));
static cl::opt<int64_t>
    microBatchesOpt("micro-batches", cl::init(0),
                    cl::desc("Micro-batches per step (hetu-pipeline-"
                             "schedule; default: the function's "
                             "hetu.micro_batches)"));
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
             "the pass's options; default: only functions carrying "
             "hetu.autodiff"));
static cl::opt<std::string>
    cpuOpt("mcpu", cl::init("generic"),
           cl::desc("CPU to generate code for (default: generic, which runs "
                    "on any CPU of the target's architecture; 'native' for "
                    "this machine's)"));

static cl::opt<std::string> emitLLVMOpt(
    "emit-llvm",
    cl::desc("Also write the model's LLVM IR, before optimization, to this "
             "file (to study what the LLVM pipeline spends its time on)"),
    cl::value_desc("model.ll"));

/// `_mlir_<name>(void **args)`: loads each argument through its pointer,
/// calls `name`, stores the result through the last pointer (the packed
/// convention of MLIR's ExecutionEngine, which hetu-run also calls).
static void addPackedWrapper(llvm::Module &module, llvm::StringRef name) {
  llvm::Function *fn = module.getFunction(name);
  if (!fn)
    die("no function " + name.str() + " after lowering");
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Type *ptr = llvm::PointerType::get(ctx, 0);
  auto *type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false);
  auto *wrapper = llvm::Function::Create(
      type, llvm::GlobalValue::ExternalLinkage, "_mlir_" + name, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  llvm::Value *args = wrapper->getArg(0);
  llvm::SmallVector<llvm::Value *> callArgs;
  for (llvm::Argument &arg : fn->args()) {
    llvm::Value *slot = b.CreateConstGEP1_64(ptr, args, arg.getArgNo());
    callArgs.push_back(b.CreateLoad(arg.getType(), b.CreateLoad(ptr, slot)));
  }
  llvm::Value *result = b.CreateCall(fn, callArgs);
  if (!fn->getReturnType()->isVoidTy()) {
    llvm::Value *slot = b.CreateConstGEP1_64(ptr, args, fn->arg_size());
    b.CreateStore(result, b.CreateLoad(ptr, slot));
  }
  b.CreateRetVoid();
}

namespace {
/// A rank program that enters a body shared with other ranks
/// (hetu-share-rank-programs) with its own constants.
struct RoleEntry {
  std::string rank, role;
  SmallVector<Attribute> params;
};
} // namespace

/// Removes the LLVM functions of rank programs that only call a shared body:
/// their packed entries enter the shared body's directly (addRoleEntry), so
/// nothing is compiled per rank but that entry.
static std::vector<RoleEntry> takeRoleEntries(ModuleOp module) {
  std::vector<RoleEntry> entries;
  for (auto fn :
       llvm::make_early_inc_range(module.getOps<LLVM::LLVMFuncOp>())) {
    auto role = fn->getAttrOfType<FlatSymbolRefAttr>(
        mlir::hetu::HetuDialect::kRoleAttrName);
    auto params = fn->getAttrOfType<ArrayAttr>(
        mlir::hetu::HetuDialect::kRoleParamsAttrName);
    if (!role || !params)
      continue;
    entries.push_back({fn.getName().str(), role.getValue().str(),
                       SmallVector<Attribute>(params.getValue())});
    fn.erase();
  }
  return entries;
}

/// `_mlir_<rank>(void **args)`: the rank's arguments, then pointers to its
/// constants (an integer: one field; a group table: the five fields of its
/// memref descriptor), then the result slot, passed to `_mlir_<role>`.
static void addRoleEntry(llvm::Module &module, const RoleEntry &entry) {
  llvm::Function *role = module.getFunction(entry.role);
  llvm::Function *packed = module.getFunction("_mlir_" + entry.role);
  if (!role || !packed)
    die("no shared function " + entry.role + " for " + entry.rank);
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  llvm::Type *ptr = llvm::PointerType::get(ctx, 0);
  SmallVector<llvm::Constant *> fields;
  for (Attribute param : entry.params) {
    if (auto value = dyn_cast<IntegerAttr>(param)) {
      fields.push_back(
          llvm::ConstantInt::get(i64, value.getValue().getSExtValue()));
      continue;
    }
    StringRef name = cast<FlatSymbolRefAttr>(param).getValue();
    llvm::GlobalVariable *table = module.getNamedGlobal(name);
    auto *array = table ? dyn_cast<llvm::ArrayType>(table->getValueType())
                        : nullptr;
    if (!array)
      die("no group table " + name.str() + " for " + entry.rank);
    fields.append({table, table, llvm::ConstantInt::get(i64, 0),
                   llvm::ConstantInt::get(i64, array->getNumElements()),
                   llvm::ConstantInt::get(i64, 1)});
  }
  if (fields.size() > role->arg_size())
    die(entry.rank + " passes more constants than " + entry.role + " takes");
  unsigned own = role->arg_size() - fields.size();
  for (auto [i, field] : llvm::enumerate(fields))
    if (role->getArg(own + i)->getType() != field->getType())
      die(entry.rank + "'s constants do not match " + entry.role +
          "'s arguments");

  auto *type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false);
  auto *wrapper = llvm::Function::Create(
      type, llvm::GlobalValue::ExternalLinkage, "_mlir_" + entry.rank, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  unsigned slots = role->arg_size() + 1;
  llvm::Value *args = b.CreateAlloca(ptr, b.getInt64(slots));
  b.CreateMemCpy(args, llvm::Align(8), wrapper->getArg(0), llvm::Align(8),
                 own * 8);
  for (auto [i, field] : llvm::enumerate(fields)) {
    auto *cell = new llvm::GlobalVariable(
        module, field->getType(), /*isConstant=*/true,
        llvm::GlobalValue::PrivateLinkage, field, "__hetu_param");
    b.CreateStore(cell, b.CreateConstGEP1_64(ptr, args, own + i));
  }
  if (!role->getReturnType()->isVoidTy())
    b.CreateStore(b.CreateLoad(ptr, b.CreateConstGEP1_64(
                                        ptr, wrapper->getArg(0), own)),
                  b.CreateConstGEP1_64(ptr, args, role->arg_size()));
  b.CreateCall(packed, {args});
  b.CreateRetVoid();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  setToolName("hetu-compile");
  cl::ParseCommandLineOptions(argc, argv, "hetu-mlir ahead-of-time compiler\n");
  if (targetOpt == "cpu" && chipOpt.getNumOccurrences())
    die("--chip applies to --target=cuda");
  if (targetOpt != "cpu" && targetOpt != "cuda")
    die("unknown target '" + targetOpt + "': expected cpu or cuda");
  if (microBatchesOpt < 0)
    die("--micro-batches must be positive");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  std::unique_ptr<MLIRContext> context = makeContext();
  Input input(*context, inputFile);
  OwningOpRef<ModuleOp> &module = input.module;
  bool partitioned = input.partitioned;
  if (partitioned)
    die("hetu-compile needs the un-partitioned module (it builds the "
        "single-device reference from it)");
  differentiate(*module, autodiffOpt);
  OwningOpRef<ModuleOp> original = module->clone();
  std::string entry = chooseEntry(*module, false, entryName);

  // Every rank's program.
  deduceRanks(*module);
  CompileOptions compile;
  compile.microBatches = microBatchesOpt;
  compile.schedule = scheduleOpt;
  partition(*module, compile);
  Model model = describe(*module, *original, entry, -1);

  // The rank programs for the target; the reference, on the CPU, joins them
  // under its own name.
  bool cuda = targetOpt == "cuda";
  model.target = targetOpt;
  if (cuda)
    model.chip = chipOpt;
  if (failed(lowerToLLVM(*module, cuda ? chipOpt.getValue() : "")))
    die("lowering failed");
  std::vector<RoleEntry> roleEntries = takeRoleEntries(*module);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, "hetu-model");
  if (!llvmModule)
    die("translation to LLVM IR failed");
  if (succeeded(makeReference(*original, entry, entry + "__reference",
                              model.gradients))) {
    model.referenceSymbol = entry + "__reference";
    if (!model.gradients.empty())
      model.referenceApplySymbol = model.referenceSymbol + "_apply";
    if (addF64Reference(*original, model.referenceSymbol)) {
      model.referenceF64Symbol = model.referenceSymbol + "_f64";
      if (!model.gradients.empty())
        model.referenceF64ApplySymbol = model.referenceApplySymbol + "_f64";
    }
    if (failed(lowerToLLVM(*original)))
      die("lowering the reference failed");
    std::unique_ptr<llvm::Module> reference =
        translateModuleToLLVMIR(*original, llvmContext, "hetu-reference");
    if (!reference ||
        llvm::Linker::linkModules(*llvmModule, std::move(reference)))
      die("linking the reference failed");
  } else {
    llvm::errs() << "hetu-compile: note: no single-device reference; "
                    "hetu-launch --verify will not be available\n";
  }
  std::set<std::string> roles;
  for (const RoleEntry &entry : roleEntries)
    if (roles.insert(entry.role).second) {
      addPackedWrapper(*llvmModule, entry.role);
      llvmModule->getFunction("_mlir_" + entry.role)
          ->addFnAttr(llvm::Attribute::NoInline);
    }
  for (const RoleEntry &entry : roleEntries)
    addRoleEntry(*llvmModule, entry);
  for (const RankProgram &p : model.programs)
    if (!llvmModule->getFunction("_mlir_" + p.name))
      addPackedWrapper(*llvmModule, p.name);
  if (!model.referenceSymbol.empty())
    addPackedWrapper(*llvmModule, model.referenceSymbol);
  if (!model.referenceApplySymbol.empty())
    addPackedWrapper(*llvmModule, model.referenceApplySymbol);
  if (!model.referenceF64Symbol.empty())
    addPackedWrapper(*llvmModule, model.referenceF64Symbol);
  if (!model.referenceF64ApplySymbol.empty())
    addPackedWrapper(*llvmModule, model.referenceF64ApplySymbol);
  std::string metadata = serializeModel(model);
  auto *text = llvm::ConstantDataArray::getString(llvmContext, metadata, true);
  new llvm::GlobalVariable(*llvmModule, text->getType(), /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, text,
                           "__hetu_model");

  if (!emitLLVMOpt.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(emitLLVMOpt, ec);
    if (ec)
      die("cannot write " + emitLLVMOpt + ": " + ec.message());
    llvmModule->print(os, nullptr);
  }

  // Position-independent object code for the target, then a shared object.
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    die("no LLVM target for " + triple.str() + ": " + error);
  std::string cpu =
      cpuOpt == "native" ? llvm::sys::getHostCPUName().str() : cpuOpt.getValue();
  {
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(triple, "", ""));
    if (cpu != "generic" && info && !info->isCPUStringValid(cpu))
      die("unknown CPU '" + cpu + "' for " + triple.str() +
          " (--mcpu; 'native' for this machine's)");
  }
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, "", llvm::TargetOptions(), llvm::Reloc::PIC_));
  if (!machine)
    die("cannot create a target machine for " + triple.str() + " (cpu " +
        cpu + ")");
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());
  if (llvm::Error err = optimizeModel(*llvmModule, 2, machine.get())) {
    std::string message;
    llvm::raw_string_ostream os(message);
    os << err;
    die("optimization failed: " + message);
  }

  llvm::SmallString<128> object;
  int fd = -1;
  if (llvm::sys::fs::createTemporaryFile("hetu-model", "o", fd, object))
    die("cannot create a temporary object file");
  llvm::FileRemover removeObject(object);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    llvm::legacy::PassManager pm;
    if (machine->addPassesToEmitFile(pm, os, nullptr,
                                     llvm::CodeGenFileType::ObjectFile))
      die("the target cannot emit object files");
    pm.run(*llvmModule);
  }
  // The runtime's symbols (hetu_rt_*, memrefCopy) stay undefined: the
  // launcher, linked with the runtime library, provides them at load time.
  auto cc = llvm::sys::findProgramByName("cc");
  if (!cc)
    die("no C compiler driver 'cc' on PATH to link the shared object");
  llvm::SmallVector<llvm::StringRef> linkArgs = {*cc, "-shared", "-o",
                                                 outputFile, object};
  std::string linkError;
  int rc = llvm::sys::ExecuteAndWait(*cc, linkArgs, std::nullopt, {}, 0, 0,
                                     &linkError);
  if (rc != 0)
    die("linking " + outputFile + " failed" +
        (linkError.empty() ? std::string() : ": " + linkError));
  llvm::outs() << "hetu-compile: wrote " << outputFile << " ("
               << model.programs.size() << " rank programs"
               << (cuda ? " for " + chipOpt.getValue() : std::string())
               << (model.referenceSymbol.empty() ? "" : " and the reference")
               << ")\n";
  return 0;
}
