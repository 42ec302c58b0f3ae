//===- HetuInterfaces.h - Interfaces of the hetu dialect --------*- C++ -*-===//

#ifndef HETU_DIALECT_HETU_IR_HETUINTERFACES_H
#define HETU_DIALECT_HETU_IR_HETUINTERFACES_H

#include "hetu/Dialect/Hetu/IR/StatesRule.h"
#include "mlir/IR/OpDefinition.h"

#include "hetu/Dialect/Hetu/IR/HetuInterfaces.h.inc"

#endif // HETU_DIALECT_HETU_IR_HETUINTERFACES_H
