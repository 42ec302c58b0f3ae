//===- Optimize.cpp - The LLVM pipeline for a model's rank programs -------===//

#include "Optimize.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/IPO/LoopExtractor.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"

#include <set>

using namespace llvm;

namespace {

/// The number of loops in `fn` (all depths).
unsigned countLoops(Function &fn) {
  if (fn.isDeclaration())
    return 0;
  DominatorTree dt(fn);
  LoopInfo loops(dt);
  unsigned n = 0;
  for (Loop *top : loops)
    n += top->getLoopsInPreorder().size();
  return n;
}

/// When a function has more than `minLoops` loops, moves the outermost
/// loops of every function into functions of their own, marked noinline
/// (the inliner would take every one back: each has one call site).
void extractLoops(Module &module, unsigned minLoops, TargetMachine *machine) {
  std::set<Function *> before;
  bool big = false;
  for (Function &fn : module) {
    before.insert(&fn);
    big = big || countLoops(fn) > minLoops;
  }
  if (!big)
    return;
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder builder(machine);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  ModulePassManager passes;
  passes.addPass(createModuleToFunctionPassAdaptor(LoopSimplifyPass()));
  passes.addPass(LoopExtractorPass());
  passes.run(module, mam);
  for (Function &fn : module)
    if (!before.count(&fn) && !fn.isDeclaration())
      fn.addFnAttr(Attribute::NoInline);
}

/// Splits the blocks of `fn` longer than `limit` instructions: instruction
/// selection works on one block at a time, in time superlinear in its size.
void splitLongBlocks(Function &fn, unsigned limit) {
  std::vector<BasicBlock *> blocks;
  for (BasicBlock &block : fn)
    blocks.push_back(&block);
  for (BasicBlock *block : blocks) {
    while (block->size() > limit) {
      auto it = block->getFirstNonPHIIt();
      for (unsigned i = 0; i < limit && std::next(it) != block->end(); ++i)
        ++it;
      if (it->isTerminator() || it->isEHPad())
        break;
      block = SplitBlock(block, it);
    }
  }
}

} // namespace

Error hetu::run::optimizeModel(Module &module, unsigned optLevel,
                               TargetMachine *machine, unsigned minLoops) {
  extractLoops(module, minLoops, machine);
  if (Error err = mlir::makeOptimizingTransformer(optLevel, 0, machine)(&module))
    return err;
  for (Function &fn : module)
    if (!fn.isDeclaration())
      splitLongBlocks(fn, 512);
  return Error::success();
}
