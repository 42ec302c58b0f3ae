//===- Optimize.h - The LLVM pipeline for a model's rank programs -*- C++ -*-===//
//
// A training step lowers to a few very large functions: every op of the
// step becomes a loop nest inside one rank function. LLVM's loop passes
// (IndVarSimplify, LoopRotate) and its instruction selection and scheduling
// are superlinear in the size of a function or of a block, so the compile
// time of a step grew quadratically with the model (a 2-block GPT: 39 s, 4
// blocks: 118 s). optimizeModel first moves every outermost loop into a
// function of its own (not inlined back), runs the usual -O pipeline, and
// splits what remains into blocks of bounded size before code generation.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_TOOLS_HETURUN_OPTIMIZE_H
#define HETU_TOOLS_HETURUN_OPTIMIZE_H

#include "llvm/Support/Error.h"

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace hetu::run {

/// Optimizes `module` at `optLevel` for `machine` (may be null) as
/// described above. Outlining and splitting apply to functions with more
/// than `minLoops` loops (small models compile as before).
llvm::Error optimizeModel(llvm::Module &module, unsigned optLevel,
                          llvm::TargetMachine *machine, unsigned minLoops = 16);

} // namespace hetu::run

#endif // HETU_TOOLS_HETURUN_OPTIMIZE_H
