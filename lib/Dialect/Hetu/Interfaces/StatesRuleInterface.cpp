//===- StatesRuleInterface.cpp - Distributed-states rules -----------------===//

#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.h"

#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.cpp.inc"
