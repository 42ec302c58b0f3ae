/*===- Hetu.h - C API of hetu-mlir --------------------------------*- C -*-===*\
|*                                                                            *|
|* A small, stable C API in upstream style: the dialect handle, registration, *|
|* and helpers used by the Python package (ctypes).                           *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef HETU_C_HETU_H
#define HETU_C_HETU_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Hetu, hetu);

/// Registers the hetu passes with the global pass registry.
MLIR_CAPI_EXPORTED void hetuRegisterAllPasses(void);

/// Inserts the hetu dialect and every upstream dialect hetu-opt accepts.
MLIR_CAPI_EXPORTED void hetuRegisterAllDialects(MlirDialectRegistry registry);

/// Parses a device-group string the way #hetu.group does. On success writes
/// the canonical text through `callback` and returns true; on failure writes
/// the error message through `callback` and returns false.
MLIR_CAPI_EXPORTED bool hetuParseDeviceGroup(MlirStringRef text,
                                             MlirStringCallback callback,
                                             void *userData);

/// Parses `module` (MLIR text), runs the textual pass pipeline `pipeline`
/// (as `hetu-opt --pass-pipeline=...` takes it, e.g.
/// "builtin.module(hetu-deduce-strategy,hetu-infer-states)"; hetu and
/// upstream passes are available) and verifies the result. On success writes
/// the resulting module's text through `callback` and returns true; on
/// failure writes every diagnostic (one per line, with its location) and
/// returns false.
MLIR_CAPI_EXPORTED bool hetuRunPassPipeline(MlirStringRef module,
                                            MlirStringRef pipeline,
                                            MlirStringCallback callback,
                                            void *userData);

#ifdef __cplusplus
}
#endif

#endif /* HETU_C_HETU_H */
