// Embeds hetu-mlir in another compiler: parse a placed module, run
// hetu-deduce-strategy through a textual pipeline, print the rank map.
#include "hetu/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

static const char *kModule = R"mlir(
module attributes {hetu.default_ctx = #hetu.group<"gpu:1,gpu:0">} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    %y = math.exp %x : tensor<4xf32>
    return %y : tensor<4xf32>
  }
}
)mlir";

int main() {
  mlir::DialectRegistry registry;
  mlir::hetu::registerAllDialects(registry);
  mlir::hetu::registerAllPasses();
  mlir::MLIRContext context(registry);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kModule, &context);
  if (!module)
    return 1;
  // A textual pipeline, as a user of the embedding compiler would write it.
  mlir::PassManager pm(&context, mlir::ModuleOp::getOperationName());
  if (mlir::failed(
          mlir::parsePassPipeline("hetu-deduce-strategy", pm, llvm::errs())))
    return 1;
  if (mlir::failed(pm.run(*module)))
    return 1;
  llvm::outs() << (*module)->getAttr("hetu.rank_map") << "\n";
  return 0;
}
