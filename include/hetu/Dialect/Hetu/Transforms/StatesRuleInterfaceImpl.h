//===- StatesRuleInterfaceImpl.h - States rules as models -------*- C++ -*-===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_STATESRULEINTERFACEIMPL_H
#define HETU_DIALECT_HETU_TRANSFORMS_STATESRULEINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
namespace hetu {

/// Attaches StatesRuleOpInterface to every linalg structured op (the
/// iteration-space rule), to tensor.expand_shape / tensor.collapse_shape and
/// to hetu.adam / hetu.adamw. hetu-infer-states needs these registered (the
/// tools and hetu::registerAllDialects do).
void registerStatesRuleInterfaceExternalModels(DialectRegistry &registry);

} // namespace hetu
} // namespace mlir

#endif // HETU_DIALECT_HETU_TRANSFORMS_STATESRULEINTERFACEIMPL_H
