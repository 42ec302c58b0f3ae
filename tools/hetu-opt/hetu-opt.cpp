//===- hetu-opt.cpp - The hetu-mlir optimizer driver ----------------------===//
//
// mlir-opt with the hetu dialect and passes, plus the upstream dialects and
// passes a hetu pipeline needs around them.
//
//===----------------------------------------------------------------------===//

#include "hetu/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::hetu::registerAllDialects(registry);
  mlir::hetu::registerAllPassesWithUpstream();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "hetu-mlir optimizer driver\n", registry));
}
