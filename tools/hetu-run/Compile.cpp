//===- Compile.cpp - From a placed module to a described model ------------===//

#include "Compile.h"

#include "hetu/Dialect/Hetu/IR/HetuOps.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"
#include "hetu/InitAll.h"
#include "hetu/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/raw_ostream.h"

#include <set>

using namespace mlir;
using namespace mlir::hetu;
using namespace ::hetu::run;

static Element elementOf(Type type) {
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

static std::vector<Slot> slotsOf(func::FuncOp fn, bool results) {
  std::vector<Slot> slots;
  unsigned n = results ? fn.getNumResults() : fn.getNumArguments();
  for (unsigned i = 0; i < n; ++i) {
    auto slice = results ? fn.getResultAttrOfType<mlir::hetu::SliceAttr>(
                               i, mlir::hetu::HetuDialect::kSliceAttrName)
                         : fn.getArgAttrOfType<mlir::hetu::SliceAttr>(
                               i, mlir::hetu::HetuDialect::kSliceAttrName);
    Type type = results ? fn.getResultTypes()[i] : fn.getArgumentTypes()[i];
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!slice || !tensor)
      die("@" + fn.getSymName().str() + ": " +
          (results ? "result " : "argument ") + std::to_string(i) +
          " has no hetu.slice or is not a ranked tensor");
    Slot slot;
    slot.index = slice.getIndex();
    slot.replica = slice.getReplica();
    slot.position = slice.getPosition();
    slot.offsets.assign(slice.getOffsets().begin(), slice.getOffsets().end());
    slot.localShape.assign(tensor.getShape().begin(), tensor.getShape().end());
    slot.element = elementOf(tensor.getElementType());
    slots.push_back(slot);
  }
  return slots;
}

/// Runs the passes `build` adds; dies if one fails (its diagnostics have
/// been printed).
static void runPasses(ModuleOp module,
                      llvm::function_ref<void(OpPassManager &)> build) {
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  build(pm);
  if (failed(pm.run(module)))
    die("compilation failed");
}

namespace hetu::run {

std::unique_ptr<MLIRContext> makeContext() {
  DialectRegistry registry;
  mlir::hetu::registerAllDialects(registry);
  mlir::hetu::registerAllPassesWithUpstream();
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  context->printOpOnDiagnostic(false);
  return context;
}

Input::Input(MLIRContext &context, const std::string &path) {
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file)
    die(error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  diagnostics =
      std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr, &context);
  module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    die("could not parse '" + path + "'");
  module->walk([&](func::FuncOp fn) {
    partitioned |=
        static_cast<bool>(fn->getAttr(mlir::hetu::HetuDialect::kRankAttrName));
  });
}

std::string chooseEntry(ModuleOp module, bool partitioned,
                                   const std::string &requested) {
  std::string entry = requested;
  if (entry.empty()) {
    std::set<std::string> names;
    module.walk([&](func::FuncOp fn) {
      if (partitioned) {
        if (auto name = fn->getAttrOfType<StringAttr>(
                mlir::hetu::HetuDialect::kFunctionAttrName))
          names.insert(name.str());
      } else if (!fn.isExternal() && fn.isPublic()) {
        names.insert(fn.getSymName().str());
      }
    });
    if (names.size() != 1)
      die("the module has " + std::to_string(names.size()) +
          " candidate entry functions: name one with --entry");
    entry = *names.begin();
  }
  if (!partitioned && !module.lookupSymbol<func::FuncOp>(entry))
    die("no function @" + entry);
  return entry;
}

void deduceRanks(ModuleOp module) {
  if (!module->getAttr(mlir::hetu::HetuDialect::kRankMapAttrName))
    runPasses(module, buildStrategyPipeline);
  if (!module->getAttrOfType<ArrayAttr>(
          mlir::hetu::HetuDialect::kRankMapAttrName))
    die("the module has no hetu.rank_map");
}

void differentiate(ModuleOp module, const std::string &options) {
  bool asked = !options.empty(), forward = false;
  module.walk([&](func::FuncOp fn) {
    asked |= static_cast<bool>(fn->getAttr(HetuDialect::kAutodiffAttrName));
    forward |= !fn.isExternal() && hasTrainableArguments(fn) &&
               !returnsUpdates(fn);
  });
  if (!asked)
    return;
  if (!options.empty() && !forward)
    die("--autodiff needs a forward function: {hetu.trainable} arguments "
        "and no results with hetu.updates (a training step already has "
        "its backward pass)");
  // A bare word is the optimizer.
  std::string text = options;
  if (!text.empty() && text.find('=') == std::string::npos)
    text = "optimizer=" + text;
  // The pass parses its own options, as on hetu-opt's command line.
  std::unique_ptr<Pass> autodiff = createHetuAutodiff();
  if (failed(autodiff->initializeOptions(text, [](const Twine &message) {
        llvm::errs() << message << "\n";
        return failure();
      })))
    die("bad --autodiff options '" + options + "'");
  runPasses(module, [&](OpPassManager &pm) { pm.addPass(std::move(autodiff)); });
}

void partition(ModuleOp module, const CompileOptions &options) {
  FrontEndOptions frontEnd;
  frontEnd.microBatches = options.microBatches;
  frontEnd.schedule = options.schedule;
  frontEnd.rank = options.onlyRank;
  runPasses(module, [&](OpPassManager &pm) {
    buildDistributionPipeline(pm, frontEnd);
  });
}

Model describe(ModuleOp module, ModuleOp original,
                          const std::string &entry, int64_t onlyRank) {
  Model model;
  model.entry = entry;
  auto rankMap = module->getAttrOfType<ArrayAttr>(
      mlir::hetu::HetuDialect::kRankMapAttrName);
  int64_t numRanks = rankMap.size();
  for (Attribute d : rankMap)
    model.rankDevices.push_back(cast<DeviceAttr>(d).str());

  // Rank programs and their signatures.
  for (int64_t r = 0; r < numRanks; ++r) {
    if (onlyRank >= 0 && r != onlyRank)
      continue;
    std::string name = entry + "__rank" + std::to_string(r);
    auto fn = module.lookupSymbol<func::FuncOp>(name);
    if (!fn)
      die("no function @" + name + " in the partitioned module");
    RankProgram program;
    program.rank = r;
    program.name = name;
    program.args = slotsOf(fn, false);
    program.results = slotsOf(fn, true);
    model.programs.push_back(program);
  }

  // Global arguments and results, and the number of replicas.
  if (original) {
    auto fn = original.lookupSymbol<func::FuncOp>(entry);
    Placement def = getDefaultPlacement(fn, /*includeSelf=*/true);
    model.numReplicas =
        def ? std::max<int64_t>(1, def.group.getNumWorkers()) : 1;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      auto type = dyn_cast<RankedTensorType>(fn.getArgumentTypes()[i]);
      if (!type || !type.hasStaticShape())
        die("argument " + std::to_string(i) + " of @" + entry +
            " is not a static tensor");
      GlobalValue arg{elementOf(type.getElementType()),
                      std::vector<int64_t>(type.getShape()),
                      static_cast<bool>(
                          fn.getArgAttr(i, HetuDialect::kTrainableAttrName))};
      arg.zeroInit =
          static_cast<bool>(fn.getArgAttr(i, HetuDialect::kZeroInitAttrName));
      model.args.push_back(arg);
    }
    for (Type t : fn.getResultTypes()) {
      auto type = dyn_cast<RankedTensorType>(t);
      if (!type || !type.hasStaticShape())
        die("results of @" + entry + " must be static tensors");
      model.results.push_back({elementOf(type.getElementType()),
                               std::vector<int64_t>(type.getShape()), false});
    }
    // Training steps: results that update arguments ({hetu.updates = i}).
    for (unsigned j = 0; j < fn.getNumResults(); ++j)
      if (auto a = fn.getResultAttrOfType<IntegerAttr>(
              j, mlir::hetu::HetuDialect::kUpdatesAttrName))
        model.updates[j] = a.getInt();
    // Where each replica's outputs are gathered from under MPI: the device
    // at position 0 of its tuple in the default placement.
    if (def)
      for (const GroupAttr::Entry &worker : def.group.getWorkers())
        for (auto [k, d] : llvm::enumerate(rankMap))
          if (d == worker.devices.front())
            model.replicaOwners.push_back(k);
  } else {
    // From the slices: replicated results and arguments hold whole values.
    for (RankProgram &p : model.programs) {
      for (Slot &s : p.args) {
        if (s.index >= (int64_t)model.args.size())
          model.args.resize(s.index + 1);
        model.args[s.index] = {s.element, s.localShape, false};
        model.numReplicas = std::max(model.numReplicas, s.replica + 1);
      }
      for (Slot &s : p.results) {
        if (s.index >= (int64_t)model.results.size())
          model.results.resize(s.index + 1);
        model.results[s.index] = {s.element, s.localShape, false};
      }
    }
  }
  return model;
}

LogicalResult makeReference(ModuleOp module, StringRef entry, StringRef name,
                            std::vector<GlobalValue> &gradients) {
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
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    fn.removeArgAttr(i, HetuDialect::kTrainableAttrName);
    fn.removeArgAttr(i, HetuDialect::kZeroInitAttrName);
    fn.removeArgAttr(i, HetuDialect::kUpdateCtxAttrName);
  }
  fn.setSymName(name);
  auto optimizersOf = [](func::FuncOp f) {
    SmallVector<OpOperand *> grads;
    f.walk([&](Operation *op) {
      if (OpOperand *grad = getOptimizerGradient(op))
        grads.push_back(grad);
    });
    return grads;
  };
  SmallVector<OpOperand *> grads = optimizersOf(fn);
  gradients.clear();
  if (grads.empty())
    return success();

  // The update phase: the gradients come in as arguments.
  func::FuncOp apply = fn.clone();
  apply.setSymName((name + "_apply").str());
  module.push_back(apply);
  for (OpOperand *grad : optimizersOf(apply)) {
    unsigned index = apply.getNumArguments();
    (void)apply.insertArgument(index, grad->get().getType(), {},
                               grad->get().getLoc());
    grad->set(apply.getArgument(index));
  }
  Block &applyBody = apply.getBody().front();
  SmallVector<Operation *> ops;
  for (Operation &op : applyBody.without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (isOpTriviallyDead(op))
      op->erase();

  // The gradient phase: the original results, then the gradients.
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  for (OpOperand *grad : grads) {
    results.push_back(grad->get());
    auto type = cast<RankedTensorType>(grad->get().getType());
    gradients.push_back({elementOf(type.getElementType()),
                         std::vector<int64_t>(type.getShape()), false});
  }
  OpBuilder builder(ret);
  func::ReturnOp::create(builder, ret.getLoc(), results);
  ret.erase();
  SmallVector<Type> types;
  for (Value v : results)
    types.push_back(v.getType());
  fn.setType(FunctionType::get(fn.getContext(), fn.getArgumentTypes(), types));
  return success();
}

bool addF64Reference(ModuleOp module, StringRef name) {
  MLIRContext *context = module.getContext();
  Type f32 = Float32Type::get(context);
  auto usesF32 = [&](func::FuncOp fn) {
    auto isF32 = [&](Type t) { return getElementTypeOrSelf(t) == f32; };
    if (llvm::any_of(fn.getArgumentTypes(), isF32) ||
        llvm::any_of(fn.getResultTypes(), isF32))
      return true;
    return fn.walk([&](Operation *op) {
               return llvm::any_of(op->getResultTypes(), isF32)
                          ? WalkResult::interrupt()
                          : WalkResult::advance();
             }).wasInterrupted();
  };
  SmallVector<func::FuncOp> twins;
  for (std::string fnName : {name.str(), name.str() + "_apply"}) {
    auto fn = module.lookupSymbol<func::FuncOp>(fnName);
    if (!fn)
      continue;
    if (!usesF32(fn))
      break;
    func::FuncOp twin = fn.clone();
    twin.setSymName(fnName + "_f64");
    module.push_back(twin);
    twins.push_back(twin);
  }
  // What cannot be promoted is verified in f32, as before.
  std::string why;
  bool promoted = !twins.empty();
  {
    ScopedDiagnosticHandler keep(context, [&](Diagnostic &d) {
      why = d.str();
      return success();
    });
    for (func::FuncOp twin : twins)
      promoted = promoted && succeeded(mlir::hetu::promoteToF64(twin));
  }
  if (!promoted) {
    for (func::FuncOp twin : twins)
      twin.erase();
    if (!why.empty())
      llvm::errs() << "note: --verify compares with the f32 reference: "
                   << why << "\n";
  }
  return promoted;
}

LogicalResult lowerToLLVM(ModuleOp module, const std::string &cudaChip) {
  // The slices have been read; LLVM translation has no use for them.
  module.walk([](func::FuncOp fn) {
    for (unsigned i = 0; i < fn.getNumArguments(); ++i)
      fn.removeArgAttr(i, mlir::hetu::HetuDialect::kSliceAttrName);
    for (unsigned i = 0; i < fn.getNumResults(); ++i) {
      fn.removeResultAttr(
          i, StringAttr::get(fn.getContext(),
                             mlir::hetu::HetuDialect::kSliceAttrName));
      fn.removeResultAttr(
          i, StringAttr::get(fn.getContext(),
                             mlir::hetu::HetuDialect::kUpdatesAttrName));
    }
  });
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  if (cudaChip.empty()) {
    buildLowerToCPUPipeline(pm);
  } else {
    LowerToCUDAOptions cuda;
    cuda.chip = cudaChip;
    buildLowerToCUDAPipeline(pm, cuda);
  }
  return pm.run(module);
}

} // namespace hetu::run
