//===- HetuDialect.h - The hetu dialect -------------------------*- C++ -*-===//

#ifndef HETU_DIALECT_HETU_IR_HETUDIALECT_H
#define HETU_DIALECT_HETU_IR_HETUDIALECT_H

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/Operation.h"

#include "hetu/Dialect/Hetu/IR/HetuDialect.h.inc"

#endif // HETU_DIALECT_HETU_IR_HETUDIALECT_H
