//===- HetuInterfaces.cpp - Interfaces of the hetu dialect ----------------===//

#include "hetu/Dialect/Hetu/IR/HetuInterfaces.h"

#include "hetu/Dialect/Hetu/IR/HetuInterfaces.cpp.inc"
