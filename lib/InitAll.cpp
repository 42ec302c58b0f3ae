//===- InitAll.cpp - Register everything hetu-mlir provides ---------------===//

#include "hetu/InitAll.h"
#include "hetu/Conversion/Passes.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "hetu/Dialect/Hetu/Transforms/BufferizableOpInterfaceImpl.h"
#include "hetu/Dialect/Hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/Transforms/StatesRuleInterfaceImpl.h"
#include "hetu/Pipelines/Pipelines.h"
#include "hetu/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::hetu::registerAllDialects(DialectRegistry &registry) {
  registry.insert<HetuDialect>();
  registerStatesRuleInterfaceExternalModels(registry);
  registerBufferizableOpInterfaceExternalModels(registry);
  // Every upstream dialect (func, arith, linalg, tensor, gpu, nvvm, llvm,
  // tosa, shard, mpi, ...) with the interface models and extensions that
  // bufferization and lowering to LLVM need.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // Translations to LLVM IR, which gpu-module-to-binary needs for kernels.
  mlir::registerAllToLLVMIRTranslations(registry);
}

void mlir::hetu::registerAllPasses() {
  registerHetuPasses();
  registerHetuConversionPasses();
  registerHetuLoweringPasses();
  registerPipelines();
}

void mlir::hetu::registerAllPassesWithUpstream() {
  registerAllPasses();
  mlir::registerAllPasses();
}
