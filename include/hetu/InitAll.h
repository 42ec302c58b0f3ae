//===- InitAll.h - Register everything hetu-mlir provides -------*- C++ -*-===//
//
// For embedders: register the hetu dialect and passes, plus the upstream
// dialects, extensions and passes a hetu pipeline needs around them.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_INITALL_H
#define HETU_INITALL_H

namespace mlir {
class DialectRegistry;
namespace hetu {

/// Registers the hetu dialect and the upstream dialects (with their
/// interface extensions) that hetu-opt accepts (docs/README.md).
void registerAllDialects(DialectRegistry &registry);

/// Registers the hetu passes and pipelines with the global pass registry.
void registerAllPasses();

/// Registers the hetu passes and every upstream pass.
void registerAllPassesWithUpstream();

} // namespace hetu
} // namespace mlir

#endif // HETU_INITALL_H
