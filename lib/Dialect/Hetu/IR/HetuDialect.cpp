//===- HetuDialect.cpp - The hetu dialect ---------------------------------===//
//
// Dialect registration and verification of the dialect's discardable
// attributes (placement, states and strategy annotations).
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuDialect.h"
#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hetu;

// The names passes use are the names ODS declares.
static constexpr bool sameName(llvm::StringLiteral a, llvm::StringLiteral b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a.data()[i] != b.data()[i])
      return false;
  return true;
}
static_assert(sameName(HetuDialect::kCtxAttrName,
                       HetuDialect::CtxAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kDefaultCtxAttrName,
                       HetuDialect::DefaultCtxAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kStatesAttrName,
                       HetuDialect::StatesAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kStrategyAttrName,
                       HetuDialect::StrategyAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kRankAttrName,
                       HetuDialect::RankAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kDeviceAttrName,
                       HetuDialect::DeviceAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kFunctionAttrName,
                       HetuDialect::FunctionAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kAutodiffAttrName,
                       HetuDialect::AutodiffAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kRoleAttrName,
                       HetuDialect::RoleAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kRoleParamsAttrName,
                       HetuDialect::RoleParamsAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kRankMapAttrName,
                       HetuDialect::RankMapAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kDevicesAttrName,
                       HetuDialect::DevicesAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kLaunchMPIAttrName,
                       HetuDialect::LaunchMpiAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kLaunchPSAttrName,
                       HetuDialect::LaunchPsAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kMicroBatchesAttrName,
                       HetuDialect::MicroBatchesAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kScheduleAttrName,
                       HetuDialect::ScheduleAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kMicroBatchAttrName,
                       HetuDialect::MicroBatchAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kStageAttrName,
                       HetuDialect::StageAttrHelper::getNameStr()));
static_assert(sameName(HetuDialect::kPhaseAttrName,
                       HetuDialect::PhaseAttrHelper::getNameStr()));


#include "hetu/Dialect/Hetu/IR/HetuDialect.cpp.inc"

void HetuDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "hetu/Dialect/Hetu/IR/HetuOps.cpp.inc"
      >();
}

/// A placement must be a group whose workers all have the same size (Hetu:
/// "Now only support same model parallel in data parallel").
static LogicalResult verifyPlacementAttr(Operation *op, NamedAttribute attr) {
  auto group = dyn_cast<GroupAttr>(attr.getValue());
  if (!group)
    return op->emitError() << "'" << attr.getName().getValue()
                           << "' must be a #hetu.group, got "
                           << attr.getValue();
  if (group.getNumWorkers() > 0 && !group.getWorkerSize())
    return op->emitError()
           << "'" << attr.getName().getValue() << "' group \"" << group.str()
           << "\" mixes workers of different sizes; every model-parallel "
              "worker of a placement must span the same number of devices";
  return success();
}

static LogicalResult verifyDeviceList(Operation *op, NamedAttribute attr) {
  auto list = dyn_cast<ArrayAttr>(attr.getValue());
  if (!list || !llvm::all_of(list, llvm::IsaPred<DeviceAttr>))
    return op->emitError() << "'" << attr.getName().getValue()
                           << "' must be an array of #hetu.device";
  return success();
}

static LogicalResult verifyModuleOnly(Operation *op, NamedAttribute attr) {
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << attr.getName().getValue()
                           << "' is only valid on builtin.module";
  return success();
}

/// `hetu.states` has one #hetu.states per result, of the result's rank.
static LogicalResult verifyStatesAnnotation(Operation *op,
                                            NamedAttribute attr) {
  auto list = dyn_cast<ArrayAttr>(attr.getValue());
  if (!list || !llvm::all_of(list, llvm::IsaPred<StatesAttr>))
    return op->emitError() << "'" << attr.getName().getValue()
                           << "' must be an array of #hetu.states";
  if (list.size() != op->getNumResults())
    return op->emitError() << "'" << attr.getName().getValue() << "' has "
                           << list.size() << " entries for "
                           << op->getNumResults() << " results";
  for (auto [i, states, result] :
       llvm::enumerate(list.getAsRange<StatesAttr>(), op->getResults())) {
    auto shaped = dyn_cast<ShapedType>(result.getType());
    int64_t rank = shaped && shaped.hasRank() ? shaped.getRank() : 0;
    if (states.getRank() != rank)
      return op->emitError() << "'" << attr.getName().getValue() << "' entry "
                             << i << " has rank " << states.getRank()
                             << ", but result " << i << " has rank " << rank;
  }
  return success();
}

LogicalResult HetuDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == kCtxAttrName)
    return verifyPlacementAttr(op, attr);
  if (name == kDefaultCtxAttrName) {
    if (op->getNumRegions() == 0)
      return op->emitError() << "'" << name
                             << "' is only valid on an operation with regions "
                                "(builtin.module, func.func, ...)";
    return verifyPlacementAttr(op, attr);
  }
  if (name == kStatesAttrName)
    return verifyStatesAnnotation(op, attr);
  if (name == kStrategyAttrName) {
    if (!isa<StrategyKindAttr>(attr.getValue()))
      return op->emitError() << "'" << name
                             << "' must be #hetu.strategy<ps> or "
                                "#hetu.strategy<allreduce>";
    return success();
  }
  if (name == kLaunchMPIAttrName || name == kLaunchPSAttrName) {
    if (!isa<BoolAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' must be a bool";
    return verifyModuleOnly(op, attr);
  }
  if (name == kDevicesAttrName || name == kRankMapAttrName) {
    if (failed(verifyDeviceList(op, attr)))
      return failure();
    return verifyModuleOnly(op, attr);
  }
  if (name == kRankAttrName || name == kDeviceAttrName ||
      name == kFunctionAttrName) {
    if (!isa<FunctionOpInterface>(op))
      return op->emitError() << "'" << name << "' is only valid on functions";
    bool ok = name == kRankAttrName     ? isa<IntegerAttr>(attr.getValue())
              : name == kDeviceAttrName ? isa<DeviceAttr>(attr.getValue())
                                        : isa<StringAttr>(attr.getValue());
    if (!ok)
      return op->emitError() << "'" << name << "' must be "
                             << (name == kRankAttrName     ? "an integer"
                                 : name == kDeviceAttrName ? "a #hetu.device"
                                                           : "a string");
    return success();
  }
  if (name == kRoleAttrName || name == kRoleParamsAttrName) {
    if (!isa<FunctionOpInterface>(op))
      return op->emitError() << "'" << name << "' is only valid on functions";
    auto params = dyn_cast<ArrayAttr>(attr.getValue());
    bool ok = name == kRoleAttrName
                  ? isa<FlatSymbolRefAttr>(attr.getValue())
                  : params && llvm::all_of(params, [](Attribute a) {
                      return isa<IntegerAttr, FlatSymbolRefAttr>(a);
                    });
    if (!ok)
      return op->emitError()
             << "'" << name << "' must be "
             << (name == kRoleAttrName
                     ? "a symbol reference"
                     : "an array of integers and symbol references");
    return success();
  }
  if (name == kMicroBatchesAttrName || name == kScheduleAttrName) {
    if (!isa<FunctionOpInterface>(op))
      return op->emitError() << "'" << name << "' is only valid on functions";
    auto count = dyn_cast<IntegerAttr>(attr.getValue());
    if (name == kMicroBatchesAttrName && (!count || count.getInt() < 1))
      return op->emitError() << "'" << name << "' must be a positive integer";
    if (name == kScheduleAttrName && !isa<ScheduleKindAttr>(attr.getValue()))
      return op->emitError() << "'" << name
                             << "' must be #hetu.schedule<gpipe> or "
                                "#hetu.schedule<\"1f1b\">";
    return success();
  }
  if (name == kAutodiffAttrName) {
    if (!isa<FunctionOpInterface>(op))
      return op->emitError() << "'" << name << "' is only valid on functions";
    auto dict = dyn_cast<DictionaryAttr>(attr.getValue());
    if (!dict)
      return op->emitError() << "'" << name
                             << "' must be a dictionary of hetu-autodiff "
                                "options, e.g. {optimizer = \"adam\", lr = "
                                "1.0e-3}";
    for (NamedAttribute entry : dict) {
      StringRef key = entry.getName().getValue();
      if (key == "optimizer") {
        auto value = dyn_cast<StringAttr>(entry.getValue());
        if (!value || !llvm::is_contained(
                          {"none", "sgd", "momentum", "adam", "adamw"},
                          value.getValue()))
          return op->emitError() << "'" << name
                                 << "' optimizer must be one of \"none\", "
                                    "\"sgd\", \"momentum\", \"adam\", "
                                    "\"adamw\"";
      } else if (llvm::is_contained({"lr", "momentum", "beta1", "beta2", "eps",
                                     "weight_decay"},
                                    key)) {
        if (!isa<FloatAttr>(entry.getValue()))
          return op->emitError() << "'" << name << "' entry '" << key
                                 << "' must be a float";
      } else {
        return op->emitError()
               << "'" << name << "' has an unknown entry '" << key
               << "' (expected optimizer, lr, momentum, beta1, beta2, eps, "
                  "weight_decay)";
      }
    }
    return success();
  }
  // Set by hetu-pipeline-schedule on the work of each micro-batch.
  if (name == kMicroBatchAttrName || name == kStageAttrName) {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || value.getInt() < 0)
      return op->emitError() << "'" << name
                             << "' must be a non-negative integer";
    return success();
  }
  if (name == kPhaseAttrName) {
    if (!isa<PhaseKindAttr>(attr.getValue()))
      return op->emitError() << "'" << name
                             << "' must be #hetu.phase<forward> or "
                                "#hetu.phase<backward>";
    return success();
  }
  if (name == kTrainableAttrName)
    return op->emitError() << "'" << name
                           << "' is only valid on function arguments";
  return op->emitError() << "unknown hetu attribute '" << name << "'";
}

/// `hetu.slice = #hetu.slice<...>` on an argument or result of a per-rank
/// function: its states must fit the value's type.
static LogicalResult verifySliceAttr(Operation *op, StringRef what,
                                     unsigned index, Attribute value,
                                     Type type) {
  auto slice = dyn_cast<SliceAttr>(value);
  auto fail = [&]() {
    return op->emitError() << "'hetu.slice' on " << what << " " << index
                           << " must be a #hetu.slice whose states have the "
                              "rank of its type";
  };
  if (!slice)
    return fail();
  int64_t rank = slice.getStates().getRank();
  // After lowering to LLVM the types no longer say anything about tiles.
  if (auto shaped = dyn_cast_or_null<ShapedType>(type)) {
    if (shaped.hasRank() && shaped.getRank() != rank)
      return fail();
  } else if (type && type.isIntOrIndexOrFloat() && rank != 0) {
    return fail();
  }
  return success();
}

LogicalResult HetuDialect::verifyRegionResultAttribute(Operation *op,
                                                       unsigned regionIndex,
                                                       unsigned resultIndex,
                                                       NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == kUpdatesAttrName) {
    auto index = dyn_cast<IntegerAttr>(attr.getValue());
    auto func = dyn_cast<FunctionOpInterface>(op);
    if (!index || !func || index.getInt() < 0 ||
        index.getInt() >= static_cast<int64_t>(func.getNumArguments()))
      return op->emitError() << "'hetu.updates' on result " << resultIndex
                             << " must be the index of an argument";
    if (func.getResultTypes()[resultIndex] !=
        func.getArgumentTypes()[index.getInt()])
      return op->emitError()
             << "result " << resultIndex << " updates argument "
             << index.getInt() << " but their types differ";
    return success();
  }
  if (name == kSliceAttrName) {
    auto func = dyn_cast<FunctionOpInterface>(op);
    Type type = func && resultIndex < func.getNumResults()
                    ? func.getResultTypes()[resultIndex]
                    : Type();
    return verifySliceAttr(op, "result", resultIndex, attr.getValue(), type);
  }
  return op->emitError() << "unknown hetu result attribute '" << name
                         << "' on result " << resultIndex;
}

LogicalResult HetuDialect::verifyRegionArgAttribute(Operation *op,
                                                    unsigned regionIndex,
                                                    unsigned argIndex,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == kSliceAttrName) {
    Type type;
    if (regionIndex < op->getNumRegions() &&
        !op->getRegion(regionIndex).empty() &&
        argIndex < op->getRegion(regionIndex).getNumArguments())
      type = op->getRegion(regionIndex).getArgument(argIndex).getType();
    return verifySliceAttr(op, "argument", argIndex, attr.getValue(), type);
  }
  if (name == kUpdateCtxAttrName) {
    if (failed(verifyPlacementAttr(op, attr)))
      return failure();
    auto fn = dyn_cast<FunctionOpInterface>(op);
    if (!fn || !fn.getArgAttr(argIndex, kTrainableAttrName))
      return op->emitError() << "'" << name << "' on argument " << argIndex
                             << " needs {hetu.trainable}: it places the "
                                "update hetu-autodiff writes for a parameter";
    return success();
  }
  if (name == kTrainableAttrName || name == kZeroInitAttrName) {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' on argument " << argIndex
                             << " must be a unit attribute";
    return success();
  }
  return op->emitError() << "unknown hetu argument attribute '" << name
                         << "' on argument " << argIndex;
}
