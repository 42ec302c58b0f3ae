//===- Hetu.cpp - C API of hetu-mlir --------------------------------------===//

#include "hetu-c/Hetu.h"
#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "hetu/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Hetu, hetu, mlir::hetu::HetuDialect)

void hetuRegisterAllPasses(void) { mlir::hetu::registerAllPasses(); }

void hetuRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::hetu::registerAllDialects(*unwrap(registry));
}

bool hetuParseDeviceGroup(MlirStringRef text, MlirStringCallback callback,
                          void *userData) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.getOrLoadDialect<mlir::hetu::HetuDialect>();
  std::string error;
  mlir::hetu::GroupAttr group =
      mlir::hetu::GroupAttr::parse(&context, unwrap(text), error);
  std::string out = group ? group.str() : error;
  callback(mlirStringRefCreate(out.data(), out.size()), userData);
  return static_cast<bool>(group);
}

/// "file:line:col: " for file locations (as hetu-opt prints them).
static void printLocation(llvm::raw_ostream &os, mlir::Location loc) {
  if (auto file = mlir::dyn_cast<mlir::FileLineColLoc>(loc))
    os << file.getFilename().getValue() << ":" << file.getLine() << ":"
       << file.getColumn() << ": ";
  else
    os << loc << ": ";
}

bool hetuRunPassPipeline(MlirStringRef module, MlirStringRef pipeline,
                         MlirStringCallback callback, void *userData) {
  static std::once_flag registered;
  std::call_once(registered, [] { mlir::hetu::registerAllPassesWithUpstream(); });
  mlir::DialectRegistry registry;
  mlir::hetu::registerAllDialects(registry);
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);

  // Every diagnostic, with its location, in the order reported.
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    printLocation(errorStream, diag.getLocation());
    switch (diag.getSeverity()) {
    case mlir::DiagnosticSeverity::Error: errorStream << "error: "; break;
    case mlir::DiagnosticSeverity::Warning: errorStream << "warning: "; break;
    case mlir::DiagnosticSeverity::Note: errorStream << "note: "; break;
    case mlir::DiagnosticSeverity::Remark: errorStream << "remark: "; break;
    }
    errorStream << diag << "\n";
    for (mlir::Diagnostic &note : diag.getNotes())
    {
      printLocation(errorStream, note.getLocation());
      errorStream << "note: " << note << "\n";
    }
    return mlir::success();
  });
  auto fail = [&]() {
    if (errors.empty())
      errors = "hetuRunPassPipeline: failed without a diagnostic\n";
    callback(mlirStringRefCreate(errors.data(), errors.size()), userData);
    return false;
  };

  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(unwrap(module), "<module>"),
      llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> parsed =
      mlir::parseSourceFile<mlir::ModuleOp>(sources, &context);
  if (!parsed)
    return fail();
  // The pipeline names its anchor ("builtin.module(...)"), as
  // --pass-pipeline does.
  std::string pipelineError;
  llvm::raw_string_ostream pipelineStream(pipelineError);
  mlir::FailureOr<mlir::OpPassManager> passes =
      mlir::parsePassPipeline(unwrap(pipeline), pipelineStream);
  if (mlir::failed(passes)) {
    // A refused value of a typed (enum) option: LLVM's option parser says
    // which on standard error, not on the stream it was given.
    llvm::StringRef why = llvm::StringRef(pipelineError).trim();
    errorStream << "invalid pass pipeline '" << unwrap(pipeline)
                << "': " << why;
    if (why.starts_with("failed to add"))
      errorStream << " (LLVM's option parser printed why on standard error)";
    errorStream << "\n";
    return fail();
  }
  llvm::StringRef anchor = passes->getOpAnchorName();
  if (anchor != mlir::ModuleOp::getOperationName() &&
      anchor != mlir::OpPassManager::getAnyOpAnchorName()) {
    errorStream << "invalid pass pipeline '" << unwrap(pipeline)
                << "': it must be anchored on builtin.module, not " << anchor
                << "\n";
    return fail();
  }
  mlir::PassManager pm(&context, anchor);
  static_cast<mlir::OpPassManager &>(pm) = std::move(*passes);
  if (mlir::failed(pm.run(*parsed)) || mlir::failed(mlir::verify(*parsed)))
    return fail();
  std::string out;
  llvm::raw_string_ostream outStream(out);
  parsed->print(outStream);
  callback(mlirStringRefCreate(out.data(), out.size()), userData);
  return true;
}
