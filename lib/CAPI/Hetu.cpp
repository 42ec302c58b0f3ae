//===- Hetu.cpp - C API of hetu-mlir --------------------------------------===//

#include "hetu-c/Hetu.h"
#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "hetu/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/MLIRContext.h"

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
