//===- StatesRuleModels.h - States rules of upstream ops --------*- C++ -*-===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_STATESRULEMODELS_H
#define HETU_DIALECT_HETU_TRANSFORMS_STATESRULEMODELS_H

namespace mlir {
class DialectRegistry;
namespace hetu {

/// Attaches StatesRuleOpInterface to every linalg structured op (the
/// iteration-space rule) and to tensor.expand_shape / tensor.collapse_shape.
void registerStatesRuleModels(DialectRegistry &registry);

} // namespace hetu
} // namespace mlir

#endif // HETU_DIALECT_HETU_TRANSFORMS_STATESRULEMODELS_H
