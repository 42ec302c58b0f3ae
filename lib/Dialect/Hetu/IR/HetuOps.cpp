//===- HetuOps.cpp - Operations of the hetu dialect -----------------------===//

#include "hetu/Dialect/Hetu/IR/HetuOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::hetu;

//===----------------------------------------------------------------------===//
// custom<FullAttr>: dialect attributes printed with their `#hetu.` prefix, so
// the textual form reads as docs/README.md shows (`to #hetu.states<...>`).
//===----------------------------------------------------------------------===//

template <typename AttrT>
static ParseResult parseFullAttr(OpAsmParser &parser, AttrT &result) {
  SMLoc loc = parser.getCurrentLocation();
  Attribute attr;
  {
    // The op's `: type` may follow; the attribute parser hands it back.
    hetu::detail::TrailingTypeCapture capture;
    if (parser.parseAttribute(attr))
      return failure();
  }
  result = dyn_cast<AttrT>(attr);
  if (!result)
    return parser.emitError(loc, "expected #hetu.")
           << AttrT::getMnemonic() << " attribute, got " << attr;
  return success();
}

template <typename AttrT>
static void printFullAttr(OpAsmPrinter &printer, Operation *, AttrT attr) {
  printer.printAttribute(attr);
}

/// `: type` after the op's last attribute, possibly already taken by that
/// attribute's parser (see TrailingTypeCapture).
static ParseResult parseTrailingType(OpAsmParser &parser, Type &type) {
  if (Type captured = hetu::detail::TrailingTypeCapture::take()) {
    type = captured;
    return success();
  }
  return parser.parseColonType(type);
}

static void printTrailingType(OpAsmPrinter &printer, Operation *, Type type) {
  printer << ": " << type;
}

/// `-> type` when the result type differs from the input's (a memref form
/// with a strided input); nothing when they are the same.
static ParseResult parseSameOrArrow(OpAsmParser &parser, Type inputType,
                                    Type &resultType) {
  if (succeeded(parser.parseOptionalArrow()))
    return parser.parseType(resultType);
  resultType = inputType;
  return success();
}

static void printSameOrArrow(OpAsmPrinter &printer, Operation *, Type inputType,
                             Type resultType) {
  if (inputType != resultType)
    printer << "-> " << resultType;
}

#define GET_OP_CLASSES
#include "hetu/Dialect/Hetu/IR/HetuOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

/// States must fit a tensor: same rank, static sizes divisible.
static LogicalResult verifyStatesFit(Operation *op, StatesAttr states,
                                     RankedTensorType type) {
  if (states.getRank() != type.getRank())
    return op->emitOpError()
           << "states " << states << " have rank " << states.getRank()
           << ", but the tensor has rank " << type.getRank();
  return states.getLocalShape(type.getShape(),
                              [&] { return op->emitOpError(); });
}

LogicalResult DispatchOp::verify() {
  StatesAttr states = getStates();
  if (failed(verifyStatesFit(*this, states, getInput().getType())))
    return failure();
  GroupAttr group = getGroupAttr();
  if (!group)
    return success();
  if (group.getNumWorkers() == 0)
    return emitOpError() << "target group \"" << group.str()
                         << "\" has no workers";
  std::optional<int64_t> size = group.getWorkerSize();
  if (!size)
    return emitOpError() << "target group \"" << group.str()
                         << "\" mixes workers of different sizes";
  if (*size != states.getNumDevices())
    return emitOpError() << "states " << states << " describe "
                         << states.getNumDevices()
                         << " devices, but each worker of \"" << group.str()
                         << "\" has " << *size;
  return success();
}

static LogicalResult verifyTag(Operation *op, IntegerAttr tag) {
  if (tag.getInt() < 0)
    return op->emitOpError()
           << "tag must be non-negative, got " << tag.getInt();
  return success();
}

LogicalResult SendOp::verify() { return verifyTag(*this, getTagAttr()); }

LogicalResult RecvOp::verify() { return verifyTag(*this, getTagAttr()); }

/// A collective group is a list of single devices; returns its size.
static FailureOr<int64_t> verifyCollectiveGroup(Operation *op,
                                                GroupAttr group) {
  if (group.hasTuples())
    return op->emitOpError() << "group \"" << group.str()
                             << "\" must list single devices, not tuples";
  return group.getNumEntries();
}

static LogicalResult verifyRoot(Operation *op, DeviceAttr root,
                                GroupAttr group) {
  if (!group.contains(root))
    return op->emitOpError()
           << "root " << root.str() << " is not a member of group \""
           << group.str() << "\"";
  return success();
}

/// Checks `big` = `small` scaled by `factor` along `dim`, other dims equal.
static LogicalResult verifyScaledAlongDim(Operation *op, int64_t dim,
                                          ShapedType small, ShapedType big,
                                          int64_t factor, StringRef smallName,
                                          StringRef bigName) {
  if (small.getElementType() != big.getElementType())
    return op->emitOpError() << "input and result element types differ";
  if (!small.hasRank() || !big.hasRank())
    return op->emitOpError() << "needs ranked operands";
  if (small.getRank() != big.getRank())
    return op->emitOpError() << "input and result ranks differ";
  if (dim < 0 || dim >= small.getRank())
    return op->emitOpError()
           << "dim " << dim << " is out of range for rank " << small.getRank();
  for (int64_t d = 0; d < small.getRank(); ++d) {
    int64_t s = small.getDimSize(d), b = big.getDimSize(d);
    if (ShapedType::isDynamic(s) || ShapedType::isDynamic(b))
      continue;
    int64_t expected = d == dim ? s * factor : s;
    if (b != expected)
      return op->emitOpError()
             << bigName << " size " << b << " along dimension " << d
             << " must be " << expected << " (" << smallName << " size " << s
             << (d == dim ? " times the group size " + std::to_string(factor)
                          : std::string())
             << ")";
  }
  return success();
}

LogicalResult AllReduceOp::verify() {
  return verifyCollectiveGroup(*this, getGroup());
}

LogicalResult AllGatherOp::verify() {
  FailureOr<int64_t> n = verifyCollectiveGroup(*this, getGroup());
  if (failed(n))
    return failure();
  return verifyScaledAlongDim(
      *this, getDimAttr().getInt(), cast<ShapedType>(getInput().getType()),
      cast<ShapedType>(getResult().getType()), *n, "input", "result");
}

LogicalResult ReduceScatterOp::verify() {
  FailureOr<int64_t> n = verifyCollectiveGroup(*this, getGroup());
  if (failed(n))
    return failure();
  return verifyScaledAlongDim(
      *this, getDimAttr().getInt(), cast<ShapedType>(getResult().getType()),
      cast<ShapedType>(getInput().getType()), *n, "result", "input");
}

LogicalResult BroadcastOp::verify() {
  if (failed(verifyCollectiveGroup(*this, getGroup())))
    return failure();
  return verifyRoot(*this, getRoot(), getGroup());
}

LogicalResult ReduceOp::verify() {
  if (failed(verifyCollectiveGroup(*this, getGroup())))
    return failure();
  return verifyRoot(*this, getRoot(), getGroup());
}

static LogicalResult verifyServer(Operation *op, DeviceAttr server,
                                  StringRef key) {
  if (key.empty())
    return op->emitOpError() << "parameter key must not be empty";
  if (!server.isCpu())
    return op->emitOpError() << "server " << server.str()
                             << " must be a cpu device (a parameter server)";
  return success();
}

LogicalResult PSPushOp::verify() {
  if (getKind() != ReductionKind::mean && getKind() != ReductionKind::sum)
    return emitOpError() << "combines the workers' gradients by mean or sum, "
                            "not "
                         << stringifyReductionKind(getKind());
  return verifyServer(*this, getServer(), getKey());
}

LogicalResult PSPullOp::verify() {
  return verifyServer(*this, getServer(), getKey());
}

LogicalResult SGDOp::verify() {
  if (!isa<FloatType>(getParam().getType().getElementType()))
    return emitOpError() << "updates floating-point parameters only";
  return success();
}

OpOperand *mlir::hetu::getOptimizerGradient(Operation *op) {
  if (auto sgd = dyn_cast<SGDOp>(op))
    return &sgd.getGradMutable();
  if (auto momentum = dyn_cast<MomentumOp>(op))
    return &momentum.getGradMutable();
  if (auto adam = dyn_cast<AdamOp>(op))
    return &adam.getGradMutable();
  if (auto adamw = dyn_cast<AdamWOp>(op))
    return &adamw.getGradMutable();
  return nullptr;
}

LogicalResult MomentumOp::verify() {
  if (!isa<FloatType>(getParam().getType().getElementType()))
    return emitOpError() << "updates floating-point parameters only";
  double momentum = getMomentum().convertToDouble();
  if (!(momentum >= 0.0 && momentum < 1.0))
    return emitOpError() << "momentum must be in [0, 1), got " << momentum;
  return success();
}

/// Hyperparameters of Adam and AdamW.
template <typename OpTy>
static LogicalResult verifyAdam(OpTy op) {
  if (!isa<FloatType>(op.getParam().getType().getElementType()))
    return op.emitOpError() << "updates floating-point parameters only";
  for (auto [name, value] :
       {std::pair<const char *, double>{"beta1",
                                        op.getBeta1().convertToDouble()},
        {"beta2", op.getBeta2().convertToDouble()}})
    if (!(value >= 0.0 && value < 1.0))
      return op.emitOpError() << name << " must be in [0, 1), got " << value;
  if (!(op.getEps().convertToDouble() > 0.0))
    return op.emitOpError() << "eps must be positive, got "
                            << op.getEps().convertToDouble();
  return success();
}

LogicalResult AdamOp::verify() { return verifyAdam(*this); }
LogicalResult AdamWOp::verify() { return verifyAdam(*this); }
