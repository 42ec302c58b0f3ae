//===- HetuAttrs.h - Attributes of the hetu dialect -------------*- C++ -*-===//
//
// #hetu.device, #hetu.group and #hetu.states, with the device-group and
// distributed-states algebra every pass of the project builds on.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_IR_HETUATTRS_H
#define HETU_DIALECT_HETU_IR_HETUATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>

#include "hetu/Dialect/Hetu/IR/HetuEnums.h.inc"

namespace mlir {
class AsmParser;
} // namespace mlir

namespace mlir::hetu::detail {
/// MLIR's parser takes a `: type` after a dialect attribute as that
/// attribute's type, so in `hetu.dispatch %x to #hetu.states<[2]> : T` the
/// op's type reaches the attribute parser. While a TrailingTypeCapture is
/// alive, hetu attribute parsers hand such a type back through take() for
/// the op parser; elsewhere a type on a hetu attribute is an error.
class TrailingTypeCapture {
public:
  TrailingTypeCapture();
  ~TrailingTypeCapture();
  /// Records `type` for the active capture; false when none is active.
  static bool record(Type type);
  /// The type recorded by the most recent capture, once; null if none.
  static Type take();
  /// What every hetu attribute parser does with the `type` it was given:
  /// nothing when there is none, record it for an active capture, and an
  /// error at `loc` otherwise.
  static LogicalResult accept(AsmParser &parser, llvm::SMLoc loc, Type type);
};
} // namespace mlir::hetu::detail

#define GET_ATTRDEF_CLASSES
#include "hetu/Dialect/Hetu/IR/HetuAttrs.h.inc"

#endif // HETU_DIALECT_HETU_IR_HETUATTRS_H
