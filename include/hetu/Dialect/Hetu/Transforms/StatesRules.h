//===- StatesRules.h - Applying an operation's states rule ------*- C++ -*-===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_STATESRULES_H
#define HETU_DIALECT_HETU_TRANSFORMS_STATESRULES_H

#include "hetu/Dialect/Hetu/Interfaces/StatesRuleInterface.h"

namespace mlir::hetu {

/// Replicated states for a value of `type` on `numDevices` devices (rank 0
/// for scalars).
StatesAttr replicatedStates(Type type, int64_t numDevices);

/// Applies the states rule of `op` to `ctx`: its StatesRuleOpInterface,
/// else the identity iteration space for elementwise ops on tensors, else
/// "nothing may be split" (partial operands are reduced first; ops without
/// tensor operands take their users' states). Shared by hetu-infer-states
/// and hetu-partition, so both read the same operand requirements.
LogicalResult applyStatesRule(Operation *op, StatesRuleContext &ctx);

} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_TRANSFORMS_STATESRULES_H
