//===- HetuToRuntime.cpp - convert-hetu-to-runtime ------------------------===//
//
// Communication on buffers -> calls of the runtime's C functions, as
// conversion patterns (one per op) under a target where the transfers and
// collectives are illegal. Devices become ranks through the module's
// hetu.rank_map, groups become constant tables of ranks (memref.globals
// `__hetu_group_<n>`), buffers go through as unranked memrefs; every call is
// named for its element type (`hetu_rt_send_f32`). What the patterns assume
// (buffers, element types the runtime moves, devices in the rank map) is
// checked first, so that a bad input gets its own message.
//
//===----------------------------------------------------------------------===//

#include "hetu/Conversion/Passes.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"

#include <functional>

namespace mlir::hetu {
#define GEN_PASS_DEF_CONVERTHETUTORUNTIME
#include "hetu/Conversion/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;
using namespace mlir::hetu;

namespace {

/// What the patterns share: the module's ranks, the runtime functions
/// declared so far and the group tables.
class RuntimeCalls {
public:
  explicit RuntimeCalls(ModuleOp module) : module(module), symbols(module) {
    if (auto map =
            module->getAttrOfType<ArrayAttr>(HetuDialect::kRankMapAttrName))
      for (auto [r, device] : llvm::enumerate(map))
        ranks[device] = r;
  }

  /// Checks what the patterns take for granted about `op`.
  LogicalResult check(Operation *op) const;

  /// The rank of `device` (checked to be in the rank map).
  int64_t rank(DeviceAttr device) const { return ranks.lookup(device); }
  /// The table of `group`'s ranks, as an unranked memref.
  Value group(RewriterBase &rewriter, Location loc, GroupAttr group);
  /// Calls `<base>_<element type>` with `args`, declaring it on first use.
  void call(RewriterBase &rewriter, Location loc, StringRef base,
            Type element, ArrayRef<Value> args);

  static Value i64(OpBuilder &builder, Location loc, int64_t v) {
    return arith::ConstantIntOp::create(builder, loc, v, 64);
  }
  static Value unranked(OpBuilder &builder, Location loc, Value memref) {
    auto type = cast<MemRefType>(memref.getType());
    return memref::CastOp::create(
        builder, loc, UnrankedMemRefType::get(type.getElementType(), 0),
        memref);
  }

private:
  /// The suffix of the runtime functions for `element`, if it moves it.
  static std::optional<StringRef> suffix(Type element);
  LogicalResult checkDevice(Operation *op, DeviceAttr device) const;

  ModuleOp module;
  SymbolTable symbols;
  llvm::DenseMap<Attribute, int64_t> ranks;
  llvm::DenseMap<Attribute, memref::GlobalOp> groups;
};

} // namespace

std::optional<StringRef> RuntimeCalls::suffix(Type element) {
  if (element.isF32())
    return StringRef("f32");
  if (element.isF64())
    return StringRef("f64");
  if (element.isInteger(32))
    return StringRef("i32");
  if (element.isInteger(64))
    return StringRef("i64");
  return std::nullopt;
}

LogicalResult RuntimeCalls::checkDevice(Operation *op,
                                        DeviceAttr device) const {
  if (ranks.contains(device))
    return success();
  return op->emitError() << "device " << device.str()
                         << " is not in the module's hetu.rank_map";
}

LogicalResult RuntimeCalls::check(Operation *op) const {
  for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults()))
    if (!isa<MemRefType>(v.getType()))
      return op->emitError()
             << "convert-hetu-to-runtime expects memrefs: bufferize first";
  Type element =
      cast<MemRefType>(op->getNumOperands() ? op->getOperand(0).getType()
                                            : op->getResult(0).getType())
          .getElementType();
  if (!suffix(element))
    return op->emitError() << "the runtime does not transfer " << element
                           << " elements (f32, f64, i32 and i64 only)";
  if (auto send = dyn_cast<SendOp>(op))
    return checkDevice(op, send.getDest());
  if (auto recv = dyn_cast<RecvOp>(op))
    return checkDevice(op, recv.getSource());
  if (auto group = op->getAttrOfType<GroupAttr>("group"))
    for (DeviceAttr device : group.getDevices())
      if (failed(checkDevice(op, device)))
        return failure();
  if (auto broadcast = dyn_cast<BroadcastOp>(op))
    return checkDevice(op, broadcast.getRoot());
  if (auto reduce = dyn_cast<ReduceOp>(op))
    return checkDevice(op, reduce.getRoot());
  return success();
}

Value RuntimeCalls::group(RewriterBase &rewriter, Location loc,
                          GroupAttr group) {
  memref::GlobalOp &global = groups[group];
  auto type =
      MemRefType::get({group.getNumEntries()}, rewriter.getIntegerType(64));
  if (!global) {
    SmallVector<int64_t> members;
    for (DeviceAttr device : group.getDevices())
      members.push_back(rank(device));
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    auto init = DenseElementsAttr::get(
        RankedTensorType::get(type.getShape(), type.getElementType()),
        ArrayRef<int64_t>(members));
    global = memref::GlobalOp::create(
        rewriter, module.getLoc(),
        ("__hetu_group_" + Twine(groups.size() - 1)).str(),
        rewriter.getStringAttr("private"), type, init, /*constant=*/true,
        /*alignment=*/nullptr);
    symbols.insert(global);
  }
  Value members =
      memref::GetGlobalOp::create(rewriter, loc, type, global.getSymName());
  return unranked(rewriter, loc, members);
}

void RuntimeCalls::call(RewriterBase &rewriter, Location loc, StringRef base,
                        Type element, ArrayRef<Value> args) {
  std::string name = (base + "_" + *suffix(element)).str();
  auto decl = symbols.lookup<func::FuncOp>(name);
  if (!decl) {
    SmallVector<Type> types;
    for (Value a : args)
      types.push_back(a.getType());
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    decl = func::FuncOp::create(rewriter, module.getLoc(), name,
                                rewriter.getFunctionType(types, {}));
    decl.setPrivate();
    symbols.insert(decl);
  }
  func::CallOp::create(rewriter, loc, decl, args);
}

namespace {

/// A pattern with the shared RuntimeCalls.
template <typename OpTy>
struct RuntimePattern : public OpConversionPattern<OpTy> {
  RuntimePattern(MLIRContext *context, RuntimeCalls &calls)
      : OpConversionPattern<OpTy>(context), calls(calls) {}

protected:
  /// The element type of the buffer `v`.
  static Type elementOf(Value v) {
    return cast<MemRefType>(v.getType()).getElementType();
  }
  /// A buffer for `op`'s result, which replaces it.
  static Value allocResult(ConversionPatternRewriter &rewriter, OpTy op) {
    return memref::AllocOp::create(
        rewriter, op.getLoc(),
        cast<MemRefType>(op->getResult(0).getType()));
  }
  RuntimeCalls &calls;
};

/// hetu_rt_send_<t>(peer, tag, buffer)
struct SendLowering : public RuntimePattern<SendOp> {
  using RuntimePattern::RuntimePattern;
  LogicalResult
  matchAndRewrite(SendOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    calls.call(rewriter, loc, "hetu_rt_send", elementOf(adaptor.getValue()),
               {RuntimeCalls::i64(rewriter, loc, calls.rank(op.getDest())),
                RuntimeCalls::i64(rewriter, loc, op.getTagAttr().getInt()),
                RuntimeCalls::unranked(rewriter, loc, adaptor.getValue())});
    rewriter.eraseOp(op);
    return success();
  }
};

/// hetu_rt_recv_<t>(peer, tag, buffer) into a new buffer.
struct RecvLowering : public RuntimePattern<RecvOp> {
  using RuntimePattern::RuntimePattern;
  LogicalResult
  matchAndRewrite(RecvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value buffer = allocResult(rewriter, op);
    calls.call(rewriter, loc, "hetu_rt_recv", elementOf(buffer),
               {RuntimeCalls::i64(rewriter, loc, calls.rank(op.getSource())),
                RuntimeCalls::i64(rewriter, loc, op.getTagAttr().getInt()),
                RuntimeCalls::unranked(rewriter, loc, buffer)});
    rewriter.replaceOp(op, buffer);
    return success();
  }
};

/// A collective: hetu_rt_<name>_<t>(leading..., group, in, out), `out` a new
/// buffer that replaces the op. `leading` gives the arguments before the
/// group (the reduction kind, the dimension, the root).
template <typename OpTy>
struct CollectiveLowering : public RuntimePattern<OpTy> {
  using Leading = std::function<SmallVector<Value>(
      OpTy, RuntimeCalls &, OpBuilder &, Location)>;
  CollectiveLowering(MLIRContext *context, RuntimeCalls &calls,
                     StringRef name, Leading leading)
      : RuntimePattern<OpTy>(context, calls), name(name),
        leading(std::move(leading)) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RuntimeCalls &calls = this->calls;
    Value group = calls.group(rewriter, loc, op.getGroupAttr());
    Value input = adaptor.getOperands()[0];
    Value in = RuntimeCalls::unranked(rewriter, loc, input);
    Value buffer = this->allocResult(rewriter, op);
    Value out = RuntimeCalls::unranked(rewriter, loc, buffer);
    SmallVector<Value> args = leading(op, calls, rewriter, loc);
    args.append({group, in, out});
    calls.call(rewriter, loc, name, this->elementOf(input), args);
    rewriter.replaceOp(op, buffer);
    return success();
  }

  std::string name;
  Leading leading;
};

Value kindOf(ReductionKindAttr kind, OpBuilder &builder, Location loc) {
  return RuntimeCalls::i64(builder, loc, static_cast<int64_t>(kind.getValue()));
}

void populateHetuToRuntimePatterns(RewritePatternSet &patterns,
                                   RuntimeCalls &calls) {
  MLIRContext *context = patterns.getContext();
  using B = OpBuilder;
  patterns.add<SendLowering, RecvLowering>(context, calls);
  patterns.add<CollectiveLowering<AllReduceOp>>(
      context, calls, "hetu_rt_all_reduce",
      [](AllReduceOp op, RuntimeCalls &, B &b, Location loc) {
        return SmallVector<Value>{kindOf(op.getKindAttr(), b, loc)};
      });
  patterns.add<CollectiveLowering<AllGatherOp>>(
      context, calls, "hetu_rt_all_gather",
      [](AllGatherOp op, RuntimeCalls &, B &b, Location loc) {
        return SmallVector<Value>{
            RuntimeCalls::i64(b, loc, op.getDimAttr().getInt())};
      });
  patterns.add<CollectiveLowering<ReduceScatterOp>>(
      context, calls, "hetu_rt_reduce_scatter",
      [](ReduceScatterOp op, RuntimeCalls &, B &b, Location loc) {
        return SmallVector<Value>{
            kindOf(op.getKindAttr(), b, loc),
            RuntimeCalls::i64(b, loc, op.getDimAttr().getInt())};
      });
  patterns.add<CollectiveLowering<BroadcastOp>>(
      context, calls, "hetu_rt_broadcast",
      [](BroadcastOp op, RuntimeCalls &calls, B &b, Location loc) {
        return SmallVector<Value>{
            RuntimeCalls::i64(b, loc, calls.rank(op.getRoot()))};
      });
  patterns.add<CollectiveLowering<ReduceOp>>(
      context, calls, "hetu_rt_reduce",
      [](ReduceOp op, RuntimeCalls &calls, B &b, Location loc) {
        return SmallVector<Value>{
            kindOf(op.getKindAttr(), b, loc),
            RuntimeCalls::i64(b, loc, calls.rank(op.getRoot()))};
      });
}

struct ConvertHetuToRuntimePass
    : public hetu::impl::ConvertHetuToRuntimeBase<ConvertHetuToRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    RuntimeCalls calls(module);
    // What partitioning should have removed, then what the patterns assume.
    bool bad = false;
    module.walk([&](Operation *op) {
      if (isa<DispatchOp, DispatchGradientOp, PSPushOp, PSPullOp,
              SyncReplicasOp>(op)) {
        op->emitError() << "is left: run hetu-partition before lowering";
        bad = true;
      }
    });
    if (bad)
      return signalPassFailure();
    WalkResult checked = module.walk([&](Operation *op) {
      if (isa<SendOp, RecvOp, AllReduceOp, AllGatherOp, ReduceScatterOp,
              BroadcastOp, ReduceOp>(op) &&
          failed(calls.check(op)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (checked.wasInterrupted())
      return signalPassFailure();

    ConversionTarget target(getContext());
    target.addIllegalOp<SendOp, RecvOp, AllReduceOp, AllGatherOp,
                        ReduceScatterOp, BroadcastOp, ReduceOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateHetuToRuntimePatterns(patterns, calls);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
