//===- StatesAttr.cpp - The distributed-states algebra --------------------===//
//
// What the passes ask of a #hetu.states: device counts, a device's
// coordinates as digits of its index (extents and strides per order entry),
// local and global shapes, tile offsets. Parsing, printing and verification
// are in HetuAttrs.cpp with the attribute's storage.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::hetu;

SmallVector<int64_t> StatesAttr::defaultOrder(int64_t rank, int64_t duplicate,
                                              int64_t partial) {
  SmallVector<int64_t> order;
  if (partial > 1)
    order.push_back(kPartialDim);
  if (duplicate > 1)
    order.push_back(kDuplicateDim);
  for (int64_t d = 0; d < rank; ++d)
    order.push_back(d);
  return order;
}

SmallVector<int64_t> StatesAttr::canonicalOrder(int64_t rank, int64_t duplicate,
                                                int64_t partial,
                                                ArrayRef<int64_t> order) {
  if (order.empty() ||
      order == ArrayRef(defaultOrder(rank, duplicate, partial)))
    return {};
  return llvm::to_vector(order);
}

int64_t StatesAttr::getNumDevices() const {
  int64_t n = getDuplicate() * getPartial();
  for (int64_t s : getSplits())
    n *= s;
  return n;
}

SmallVector<int64_t> StatesAttr::getOrderOrDefault() const {
  if (!getOrder().empty())
    return llvm::to_vector(getOrder());
  return defaultOrder(getRank(), getDuplicate(), getPartial());
}

int64_t StatesAttr::getExtent(int64_t orderEntry) const {
  if (orderEntry == kDuplicateDim)
    return getDuplicate();
  if (orderEntry == kPartialDim)
    return getPartial();
  return getSplits()[orderEntry];
}

int64_t StatesAttr::getStride(int64_t orderEntry) const {
  int64_t stride = 1;
  SmallVector<int64_t> order = getOrderOrDefault();
  for (int64_t entry : llvm::reverse(order)) {
    if (entry == orderEntry)
      return stride;
    stride *= getExtent(entry);
  }
  llvm_unreachable("not an entry of the order");
}

StatesAttr::Coords StatesAttr::getCoords(int64_t k) const {
  assert(k >= 0 && k < getNumDevices() && "device index out of range");
  Coords coords;
  coords.blocks.assign(getRank(), 0);
  // Mixed radix over the order, last entry fastest. (The order is a named
  // vector: llvm::reverse of the returned temporary would iterate freed
  // storage; AddressSanitizer found it.)
  SmallVector<int64_t> order = getOrderOrDefault();
  for (int64_t entry : llvm::reverse(order)) {
    int64_t extent = getExtent(entry);
    int64_t digit = k % extent;
    k /= extent;
    if (entry == kDuplicateDim)
      coords.duplicate = digit;
    else if (entry == kPartialDim)
      coords.partial = digit;
    else
      coords.blocks[entry] = digit;
  }
  return coords;
}

int64_t StatesAttr::getDeviceIndex(const Coords &coords) const {
  assert(static_cast<int64_t>(coords.blocks.size()) == getRank());
  int64_t k = 0;
  for (int64_t entry : getOrderOrDefault()) {
    int64_t digit = entry == kDuplicateDim ? coords.duplicate
                    : entry == kPartialDim ? coords.partial
                                           : coords.blocks[entry];
    assert(digit >= 0 && digit < getExtent(entry) && "coordinate out of range");
    k = k * getExtent(entry) + digit;
  }
  return k;
}

FailureOr<SmallVector<int64_t>>
StatesAttr::getLocalShape(ArrayRef<int64_t> globalShape,
                          function_ref<InFlightDiagnostic()> emitError) const {
  if (static_cast<int64_t>(globalShape.size()) != getRank()) {
    if (emitError)
      emitError() << "states of rank " << getRank()
                  << " do not match a shape of rank " << globalShape.size();
    return failure();
  }
  SmallVector<int64_t> local;
  for (auto [dim, size, split] : llvm::enumerate(globalShape, getSplits())) {
    if (ShapedType::isDynamic(size)) {
      local.push_back(size);
      continue;
    }
    if (size % split != 0) {
      if (emitError)
        emitError() << "dimension " << dim << " of size " << size
                    << " is not divisible by its split count " << split;
      return failure();
    }
    local.push_back(size / split);
  }
  return local;
}

SmallVector<int64_t>
StatesAttr::getGlobalShape(ArrayRef<int64_t> localShape) const {
  assert(static_cast<int64_t>(localShape.size()) == getRank());
  SmallVector<int64_t> global;
  for (auto [size, split] : llvm::zip_equal(localShape, getSplits()))
    global.push_back(ShapedType::isDynamic(size) ? size : size * split);
  return global;
}

SmallVector<int64_t>
StatesAttr::getTileOffsets(int64_t k, ArrayRef<int64_t> globalShape) const {
  Coords coords = getCoords(k);
  SmallVector<int64_t> offsets;
  for (auto [size, split, block] :
       llvm::zip_equal(globalShape, getSplits(), coords.blocks))
    offsets.push_back(block * (size / split));
  return offsets;
}

/// Parses `<[s0, s1, ...] (, duplicate = D)? (, partial = P)? (, order =
/// [..])?>` with the keywords in any order, each at most once.
