//===- BufferizableOpInterfaceImpl.h - Bufferizing hetu ops -----*- C++ -*-===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define HETU_DIALECT_HETU_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
namespace hetu {

/// Lets one-shot-bufferize turn the communication ops on tensors into their
/// memref forms: operands are read, results are new buffers.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);

} // namespace hetu
} // namespace mlir

#endif // HETU_DIALECT_HETU_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
