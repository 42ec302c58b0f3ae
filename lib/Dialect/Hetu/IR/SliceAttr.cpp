//===- SliceAttr.cpp - Where a rank function's value sits globally --------===//
//
// #hetu.slice<index = I, replica = R, position = P, states = #hetu.states<..>,
// offsets = [..]>: parsing, printing and verification. The attribute's
// storage is generated with the others in HetuAttrs.cpp; what it means is in
// docs/generated/HetuDialect.md.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"

#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace mlir::hetu;

LogicalResult SliceAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                int64_t index, int64_t replica,
                                int64_t position, StatesAttr states,
                                ArrayRef<int64_t> offsets) {
  if (index < 0 || replica < 0)
    return emitError() << "#hetu.slice index and replica must be "
                          "non-negative, got "
                       << index << " and " << replica;
  if (position < -1)
    return emitError() << "#hetu.slice position must be a device's position "
                          "in its tuple, or -1 for a server's copy; got "
                       << position;
  if (!states)
    return emitError() << "#hetu.slice needs states";
  if (static_cast<int64_t>(offsets.size()) != states.getRank())
    return emitError() << "#hetu.slice has " << offsets.size()
                       << " offsets for rank-" << states.getRank() << " states";
  if (llvm::any_of(offsets, [](int64_t o) { return o < 0; }))
    return emitError() << "#hetu.slice offsets must be non-negative";
  return success();
}

Attribute SliceAttr::parse(AsmParser &parser, Type type) {
  SMLoc loc = parser.getCurrentLocation();
  if (failed(hetu::detail::TrailingTypeCapture::accept(parser, loc, type)))
    return {};
  int64_t index = 0, replica = 0, position = 0;
  StatesAttr states;
  SmallVector<int64_t> offsets;
  auto field = [&](StringRef key) {
    return parser.parseKeyword(key) || parser.parseEqual();
  };
  auto integer = [&](StringRef key, int64_t &out) {
    return field(key) || parser.parseInteger(out);
  };
  if (parser.parseLess() || integer("index", index) || parser.parseComma() ||
      integer("replica", replica) || parser.parseComma() ||
      integer("position", position) || parser.parseComma() || field("states") ||
      parser.parseAttribute(states) || parser.parseComma() ||
      field("offsets") ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                     [&]() -> ParseResult {
                                       return parser.parseInteger(
                                           offsets.emplace_back());
                                     }) ||
      parser.parseGreater())
    return {};
  // The generated overload (the storage is defined in HetuAttrs.cpp), not
  // the storage-uniquer template.
  auto emitError = [&] { return parser.emitError(loc); };
  return SliceAttr::getChecked(function_ref<InFlightDiagnostic()>(emitError),
                               parser.getContext(), index, replica, position,
                               states, ArrayRef<int64_t>(offsets));
}

void SliceAttr::print(AsmPrinter &printer) const {
  printer << "<index = " << getIndex() << ", replica = " << getReplica()
          << ", position = " << getPosition() << ", states = ";
  printer.printAttribute(getStates());
  printer << ", offsets = [";
  llvm::interleaveComma(getOffsets(), printer);
  printer << "]>";
}
