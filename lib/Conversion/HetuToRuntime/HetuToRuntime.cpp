//===- HetuToRuntime.cpp - convert-hetu-to-runtime ------------------------===//

#include "hetu/Conversion/Passes.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_CONVERTHETUTORUNTIME
#include "hetu/Conversion/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

namespace {

class RuntimeLowering {
public:
  RuntimeLowering(ModuleOp module) : module(module), symbols(module) {}

  LogicalResult run();

private:
  LogicalResult lower(Operation *op);
  FailureOr<int64_t> rankOf(Operation *op, DeviceAttr device);
  FailureOr<Value> groupValue(Operation *op, GroupAttr group,
                              OpBuilder &builder);
  /// `name_<suffix>` declared with the given argument types.
  func::FuncOp declare(StringRef name, TypeRange arguments);
  FailureOr<std::string> suffix(Operation *op, Type elementType);
  Value unranked(OpBuilder &builder, Location loc, Value memref);
  Value i64(OpBuilder &builder, Location loc, int64_t v) {
    return arith::ConstantIntOp::create(builder, loc, v, 64);
  }

  ModuleOp module;
  SymbolTable symbols;
  llvm::DenseMap<Attribute, int64_t> ranks;
  llvm::DenseMap<Attribute, memref::GlobalOp> groups;
};

} // namespace

FailureOr<int64_t> RuntimeLowering::rankOf(Operation *op, DeviceAttr device) {
  auto it = ranks.find(device);
  if (it != ranks.end())
    return it->second;
  return op->emitError() << "device " << device.str()
                         << " is not in the module's hetu.rank_map";
}

FailureOr<std::string> RuntimeLowering::suffix(Operation *op,
                                               Type elementType) {
  if (elementType.isF32())
    return std::string("f32");
  if (elementType.isF64())
    return std::string("f64");
  if (elementType.isInteger(32))
    return std::string("i32");
  if (elementType.isInteger(64))
    return std::string("i64");
  return op->emitError() << "the runtime does not transfer " << elementType
                         << " elements (f32, f64, i32 and i64 only)";
}

func::FuncOp RuntimeLowering::declare(StringRef name, TypeRange arguments) {
  if (auto existing = symbols.lookup<func::FuncOp>(name))
    return existing;
  OpBuilder builder(module.getContext());
  builder.setInsertionPointToStart(module.getBody());
  auto decl = func::FuncOp::create(builder, module.getLoc(), name,
                                   builder.getFunctionType(arguments, {}));
  decl.setPrivate();
  symbols.insert(decl);
  return decl;
}

Value RuntimeLowering::unranked(OpBuilder &builder, Location loc,
                                Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  return memref::CastOp::create(
      builder, loc, UnrankedMemRefType::get(type.getElementType(), 0), memref);
}

FailureOr<Value> RuntimeLowering::groupValue(Operation *op, GroupAttr group,
                                             OpBuilder &builder) {
  memref::GlobalOp &global = groups[group];
  auto type =
      MemRefType::get({group.getNumEntries()}, builder.getIntegerType(64));
  if (!global) {
    SmallVector<int64_t> members;
    for (DeviceAttr device : group.getDevices()) {
      FailureOr<int64_t> r = rankOf(op, device);
      if (failed(r))
        return failure();
      members.push_back(*r);
    }
    OpBuilder top(module.getContext());
    top.setInsertionPointToStart(module.getBody());
    auto init = DenseElementsAttr::get(
        RankedTensorType::get(type.getShape(), type.getElementType()),
        ArrayRef<int64_t>(members));
    global = memref::GlobalOp::create(
        top, module.getLoc(),
        ("__hetu_group_" + Twine(groups.size() - 1)).str(),
        top.getStringAttr("private"), type, init, /*constant=*/true,
        /*alignment=*/nullptr);
    symbols.insert(global);
  }
  Value members = memref::GetGlobalOp::create(builder, op->getLoc(), type,
                                              global.getSymName());
  return unranked(builder, op->getLoc(), members);
}

LogicalResult RuntimeLowering::lower(Operation *op) {
  OpBuilder builder(op);
  Location loc = op->getLoc();

  auto bufferOf = [](Value v) { return dyn_cast<MemRefType>(v.getType()); };
  for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults()))
    if (!bufferOf(v))
      return op->emitError()
             << "convert-hetu-to-runtime expects memrefs: bufferize first";
  Type element =
      cast<MemRefType>(op->getNumOperands() ? op->getOperand(0).getType()
                                            : op->getResult(0).getType())
          .getElementType();
  FailureOr<std::string> sfx = suffix(op, element);
  if (failed(sfx))
    return failure();
  auto call = [&](StringRef base, ArrayRef<Value> args) {
    SmallVector<Type> types;
    for (Value a : args)
      types.push_back(a.getType());
    func::FuncOp decl = declare((base + "_" + *sfx).str(), types);
    func::CallOp::create(builder, loc, decl, args);
  };
  auto alloc = [&](Value result) {
    auto type = cast<MemRefType>(result.getType());
    Value buffer = memref::AllocOp::create(builder, loc, type);
    result.replaceAllUsesWith(buffer);
    return buffer;
  };

  if (auto send = dyn_cast<SendOp>(op)) {
    FailureOr<int64_t> peer = rankOf(op, send.getDest());
    if (failed(peer))
      return failure();
    call("hetu_rt_send", {i64(builder, loc, *peer),
                          i64(builder, loc, send.getTagAttr().getInt()),
                          unranked(builder, loc, send.getValue())});
  } else if (auto recv = dyn_cast<RecvOp>(op)) {
    FailureOr<int64_t> peer = rankOf(op, recv.getSource());
    if (failed(peer))
      return failure();
    Value buffer = alloc(recv.getResult());
    call("hetu_rt_recv", {i64(builder, loc, *peer),
                          i64(builder, loc, recv.getTagAttr().getInt()),
                          unranked(builder, loc, buffer)});
  } else {
    GroupAttr groupAttr = op->getAttrOfType<GroupAttr>("group");
    FailureOr<Value> group = groupValue(op, groupAttr, builder);
    if (failed(group))
      return failure();
    Value in = unranked(builder, loc, op->getOperand(0));
    Value out = unranked(builder, loc, alloc(op->getResult(0)));
    auto kindOf = [&](ReductionKindAttr kind) {
      return i64(builder, loc, static_cast<int64_t>(kind.getValue()));
    };
    if (auto r = dyn_cast<AllReduceOp>(op)) {
      call("hetu_rt_all_reduce", {kindOf(r.getKindAttr()), *group, in, out});
    } else if (auto g = dyn_cast<AllGatherOp>(op)) {
      call("hetu_rt_all_gather",
           {i64(builder, loc, g.getDimAttr().getInt()), *group, in, out});
    } else if (auto s = dyn_cast<ReduceScatterOp>(op)) {
      call("hetu_rt_reduce_scatter",
           {kindOf(s.getKindAttr()), i64(builder, loc, s.getDimAttr().getInt()),
            *group, in, out});
    } else if (auto b = dyn_cast<BroadcastOp>(op)) {
      FailureOr<int64_t> root = rankOf(op, b.getRoot());
      if (failed(root))
        return failure();
      call("hetu_rt_broadcast", {i64(builder, loc, *root), *group, in, out});
    } else if (auto r = dyn_cast<ReduceOp>(op)) {
      FailureOr<int64_t> root = rankOf(op, r.getRoot());
      if (failed(root))
        return failure();
      call("hetu_rt_reduce", {kindOf(r.getKindAttr()), i64(builder, loc, *root),
                              *group, in, out});
    }
  }
  op->erase();
  return success();
}

LogicalResult RuntimeLowering::run() {
  if (auto map =
          module->getAttrOfType<ArrayAttr>(HetuDialect::kRankMapAttrName))
    for (auto [r, device] : llvm::enumerate(map))
      ranks[device] = r;
  SmallVector<Operation *> ops;
  bool bad = false;
  module.walk([&](Operation *op) {
    if (isa<DispatchOp, DispatchGradientOp, PSPushOp, PSPullOp,
            SyncReplicasOp>(op)) {
      op->emitError() << "is left: run hetu-partition before lowering";
      bad = true;
    } else if (isa<SendOp, RecvOp, AllReduceOp, AllGatherOp, ReduceScatterOp,
                   BroadcastOp, ReduceOp>(op)) {
      ops.push_back(op);
    }
  });
  if (bad)
    return failure();
  for (Operation *op : ops)
    if (failed(lower(op)))
      return failure();
  return success();
}

namespace {
struct ConvertHetuToRuntimePass
    : public hetu::impl::ConvertHetuToRuntimeBase<ConvertHetuToRuntimePass> {
  void runOnOperation() override {
    if (failed(RuntimeLowering(getOperation()).run()))
      signalPassFailure();
  }
};
} // namespace
