//===- HetuDialect.td - The hetu dialect ------------------*- tablegen -*-===//

#ifndef HETU_DIALECT_HETU_IR_HETUDIALECT_TD
#define HETU_DIALECT_HETU_IR_HETUDIALECT_TD

include "mlir/IR/OpBase.td"

def Hetu_Dialect : Dialect {
  let name = "hetu";
  let cppNamespace = "::mlir::hetu";
  let summary = "Placement, partitioning and communication for hybrid parallel training";
  let description = [{
    The `hetu` dialect re-implements the parallel execution model of the Hetu
    training system in MLIR. A tensor program is written once, at the size one
    data-parallel replica sees, and its operations are *placed* on device
    groups:

    ```mlir
    module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
      func.func @mlp(%x: tensor<16x32xf32>,
                     %w: tensor<32x64xf32> {hetu.trainable}) -> tensor<16x64xf32> {
        %xd = hetu.dispatch %x to #hetu.states<[2, 1]>
                on #hetu.group<"(gpu:1,gpu:2)"> : tensor<16x32xf32>
        %wd = hetu.dispatch %w to #hetu.states<[1, 1], duplicate = 2>
                on #hetu.group<"(gpu:1,gpu:2)"> : tensor<32x64xf32>
        %init = tensor.empty() : tensor<16x64xf32>
        %y = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">}
               ins(%xd, %wd : tensor<16x32xf32>, tensor<32x64xf32>)
               outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
        return %y : tensor<16x64xf32>
      }
    }
    ```

    Three attributes carry the model:

    * `#hetu.device` names one device, `[host:](cpu|gpu):index`.
    * `#hetu.group` is an ordered device group, parsed like Hetu's
      `DeviceGroup` and extended with parenthesised tuples: a gpu device or a
      tuple is a *worker* (one data-parallel replica; a tuple is one
      model-parallel worker spanning several devices), a cpu device is a
      *server* (parameter server).
    * `#hetu.states` describes how a value is distributed over the devices of
      one worker: per-dimension split counts, a `duplicate` count, a
      `partial` count and the `order` in which the devices enumerate tiles.

    Placement uses discardable attributes:

    * `hetu.ctx = #hetu.group<...>` on any operation places it (Hetu's
      `raw_ctx`).
    * `hetu.default_ctx = #hetu.group<...>` on an operation with regions
      (`builtin.module`, `func.func`, ...) places every nested operation
      that has no `hetu.ctx` of its own (Hetu's `with ht.context(...)`).
      Function arguments are inputs on the default placement.
    * Operations without operands and without `hetu.ctx` (`arith.constant`,
      `tensor.empty`, ...) are rematerialised on every placement that uses
      them.
    * `{hetu.trainable}` on a function argument marks a parameter: it is
      replicated across data-parallel replicas and its gradient is
      synchronised. Other arguments are data: each replica receives its own
      batch.
    * `hetu.states = [#hetu.states<...>, ...]` records, per result, the
      states inferred by `hetu-infer-states`; `hetu.strategy =
      #hetu.strategy<ps>` or `#hetu.strategy<allreduce>` records the strategy
      deduced by `hetu-deduce-strategy`.
    * `hetu.micro_batches = N` and `hetu.schedule = #hetu.schedule<gpipe>`
      (or `#hetu.schedule<"1f1b">`) on a function ask
      `hetu-pipeline-schedule` for micro-batching; it tags the work of each
      micro-batch with `hetu.micro_batch`, `hetu.stage` and `hetu.phase =
      #hetu.phase<forward>` (or `backward`).

    After `hetu-partition`, each per-rank function carries `hetu.rank = N`,
    `hetu.device = #hetu.device<...>` and `hetu.function = "f"` (the function
    it was cut from), and each of its arguments and results carries

    ```mlir
    hetu.slice = #hetu.slice<index = 1, replica = 0, position = 1,
                             states = #hetu.states<[2, 1]>, offsets = [8, 0]>
    ```

    which global argument / result (`index`) of which data-parallel
    `replica` it is, the device's `position` in that replica's tuple, the
    value's `states`, and where the local tile starts in the global
    (per-replica) value (`offsets`; its sizes are the local type's). A runner
    scatters global inputs and gathers outputs from these alone.

    After `hetu-share-rank-programs`, a rank function whose body moved into a
    function shared with other ranks carries `hetu.role = @f__role0` (that
    function) and `hetu.role_params = [3, @__hetu_group_1, ...]`: the
    constants it passes as the shared function's trailing arguments, integers
    as themselves and group tables by their global's name.

    The dialect verifies these attributes wherever they appear: a wrong
    attribute kind, a placement whose workers have different sizes, or a
    states annotation that does not match the result types is an error.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  // The discardable attributes operations carry (docs/generated/HetuDialect.md,
  // "Placement uses discardable attributes"); each gets a typed helper,
  // HetuDialect::<Name>AttrHelper. Argument and result attributes
  // (hetu.trainable, hetu.slice, hetu.updates, hetu.zero_init,
  // hetu.update_ctx) are named by the constants below.
  let discardableAttrs = (ins
    "::mlir::hetu::GroupAttr":$ctx,
    "::mlir::hetu::GroupAttr":$default_ctx,
    "::mlir::ArrayAttr":$states,
    "::mlir::hetu::StrategyKindAttr":$strategy,
    "::mlir::IntegerAttr":$rank,
    "::mlir::hetu::DeviceAttr":$device,
    "::mlir::StringAttr":$function,
    "::mlir::DictionaryAttr":$autodiff,
    "::mlir::IntegerAttr":$role,
    "::mlir::ArrayAttr":$role_params,
    "::mlir::ArrayAttr":$rank_map,
    "::mlir::ArrayAttr":$devices,
    "::mlir::BoolAttr":$launch_mpi,
    "::mlir::BoolAttr":$launch_ps,
    "::mlir::IntegerAttr":$micro_batches,
    "::mlir::hetu::ScheduleKindAttr":$schedule,
    "::mlir::IntegerAttr":$micro_batch,
    "::mlir::IntegerAttr":$stage,
    "::mlir::hetu::PhaseKindAttr":$phase
  );

  let extraClassDeclaration = [{
    void registerAttributes();

    /// Names of the discardable attributes of the dialect (those of
    /// operations equal their helpers' getNameStr(), checked in
    /// HetuDialect.cpp).
    static constexpr ::llvm::StringLiteral kCtxAttrName = "hetu.ctx";
    static constexpr ::llvm::StringLiteral kDefaultCtxAttrName = "hetu.default_ctx";
    static constexpr ::llvm::StringLiteral kTrainableAttrName = "hetu.trainable";
    static constexpr ::llvm::StringLiteral kStatesAttrName = "hetu.states";
    static constexpr ::llvm::StringLiteral kStrategyAttrName = "hetu.strategy";
    static constexpr ::llvm::StringLiteral kSliceAttrName = "hetu.slice";
    static constexpr ::llvm::StringLiteral kRankAttrName = "hetu.rank";
    static constexpr ::llvm::StringLiteral kDeviceAttrName = "hetu.device";
    static constexpr ::llvm::StringLiteral kFunctionAttrName = "hetu.function";
    static constexpr ::llvm::StringLiteral kUpdatesAttrName = "hetu.updates";
    static constexpr ::llvm::StringLiteral kZeroInitAttrName = "hetu.zero_init";
    static constexpr ::llvm::StringLiteral kAutodiffAttrName = "hetu.autodiff";
    static constexpr ::llvm::StringLiteral kUpdateCtxAttrName = "hetu.update_ctx";
    static constexpr ::llvm::StringLiteral kRoleAttrName = "hetu.role";
    static constexpr ::llvm::StringLiteral kRoleParamsAttrName = "hetu.role_params";
    static constexpr ::llvm::StringLiteral kRankMapAttrName = "hetu.rank_map";
    static constexpr ::llvm::StringLiteral kDevicesAttrName = "hetu.devices";
    static constexpr ::llvm::StringLiteral kLaunchMPIAttrName = "hetu.launch_mpi";
    static constexpr ::llvm::StringLiteral kLaunchPSAttrName = "hetu.launch_ps";
    static constexpr ::llvm::StringLiteral kMicroBatchesAttrName = "hetu.micro_batches";
    static constexpr ::llvm::StringLiteral kScheduleAttrName = "hetu.schedule";
    static constexpr ::llvm::StringLiteral kMicroBatchAttrName = "hetu.micro_batch";
    static constexpr ::llvm::StringLiteral kStageAttrName = "hetu.stage";
    static constexpr ::llvm::StringLiteral kPhaseAttrName = "hetu.phase";
  }];
}

#endif // HETU_DIALECT_HETU_IR_HETUDIALECT_TD
