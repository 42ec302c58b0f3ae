//===- Passes.td - Passes of the hetu dialect -------------*- tablegen -*-===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_PASSES_TD
#define HETU_DIALECT_HETU_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def HetuDeduceStrategy : Pass<"hetu-deduce-strategy", "::mlir::ModuleOp"> {
  let summary = "Deduce the communication strategy and the rank map";
  let description = [{
    Hetu's `get_launch_config_by_traverse_nodes` over the IR. For every
    placed operation (explicit `hetu.ctx` or inherited `hetu.default_ctx`;
    control flow is looked through, the payload of compute ops is not):

    * `hetu.strategy = #hetu.strategy<ps>` when its group has servers and
      workers, `hetu.strategy = #hetu.strategy<allreduce>` when it has more
      than one worker, nothing otherwise.
    * Its worker count must be 0 or the worker count of the default placement
      (or, without one, of the first placed operation of the function):
      otherwise `number of workers not consistent: 1 vs 2`, with a note at
      the placement it is compared against.
    * An operand produced on a tuple of one size and used on a tuple of
      another size must go through `hetu.dispatch`.

    On the module:

    * `hetu.launch_ps`: a default placement has servers or an op is `ps`.
    * `hetu.launch_mpi`: a default placement without servers has more than one
      worker, or an op is `allreduce`.
    * `hetu.devices`: every device any placement, dispatch, transfer or
      collective names.
    * `hetu.rank_map`: the devices in rank order (docs/README.md): devices of
      workers first, then servers; each class sorted by host (`localhost`
      first, then by name), then index. Rank `r` runs device
      `hetu.rank_map[r]`.

    Example:

    ```mlir
    module attributes {hetu.default_ctx = #hetu.group<"gpu:1,gpu:0">} {
      ...
    }
    // after: hetu.devices = [#hetu.device<"gpu:1">, #hetu.device<"gpu:0">],
    //        hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">],
    //        hetu.launch_mpi = true, hetu.launch_ps = false
    ```
  }];
  let dependentDialects = ["::mlir::hetu::HetuDialect"];
}

def HetuInferStates : Pass<"hetu-infer-states", "::mlir::ModuleOp"> {
  let summary = "Infer the distributed states of every value";
  let description = [{
    Hetu HEAD's `infer_states` on the IR. Every result of every placed
    operation gets `hetu.states = [#hetu.states<...>, ...]`: how the value is
    laid out over the devices of one worker of its placement (replicas of a
    data-parallel group are identical).

    Sources:

    * function arguments: replicated on each worker (`duplicate` = devices
      per worker);
    * `hetu.dispatch`: its target states;
    * `hetu.dispatch_gradient`: the current states of the forward value;
    * per-operation rules (`StatesRuleOpInterface`, attachable as external
      models): every linalg structured op and every elementwise op use the
      iteration-space rule (each device works on one block of the loops,
      pinned by its operands; split reduction loops make the result
      `partial`), `tensor.expand_shape` / `tensor.collapse_shape` keep splits
      on the outermost dimension of each reshaped group, `scf.for` carries
      states through iterations, `func.return` returns replicated values.

    States flow forward from the sources and backward from users to values
    nothing else determines (`tensor.empty`, `linalg.fill`, constants), until
    nothing changes. Operations without operands and without `hetu.ctx` are
    rematerialised first: each user gets its own copy, in its own states.
    Values whose states nothing determines are replicated.

    An operand split or partial in a way the operation does not read it
    (a replicated operand of a split loop, a partial operand of a non-linear
    op) is a transition `hetu-partition` inserts; it is not an error.
    Errors: conflicting states (two operands split the same loop
    differently, with notes at both producers), tiles that do not line up
    (no states describe the result), a value used on workers of another size
    without a dispatch, a split operand of an operation without a rule
    (`no distributed-states rule for 'op.name'`), a loop-carried value whose
    states change across iterations.

    Example (Hetu's "middle" split):

    ```mlir
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<16x64xf32>
    %w = hetu.dispatch %w2 to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<64x8xf32>
    %y = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} ins(%a, %w : ...) outs(%z : ...)
    // after: %y has hetu.states = [#hetu.states<[1, 1], partial = 2>]
    ```
  }];
  let dependentDialects = ["::mlir::hetu::HetuDialect"];
}

def HetuDecomposeAggregates : Pass<"hetu-decompose-aggregates",
                                   "::mlir::func::FuncOp"> {
  let summary = "Decompose aggregate linalg ops (linalg.softmax) into "
                "structured ops, keeping their placement";
  let description = [{
    Ops with `linalg::AggregatedOpInterface` (`linalg.softmax`) have no loop
    form of their own: they become the linalg ops of their decomposition
    (reductions and elementwise generics), each carrying the aggregate's
    `hetu.ctx`. `hetu-autodiff` differentiates the decomposition,
    `hetu-infer-states` and `hetu-partition` see structured ops, and the
    lowering pipelines run it first.

    ```mlir
    %y = linalg.softmax dimension(1) ins(%x : tensor<2x5xf32>)
        outs(%e : tensor<2x5xf32>) -> tensor<2x5xf32>
    // becomes: a max reduction, exp(x - max), a sum reduction, a division
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HetuPromoteF64 : Pass<"hetu-promote-f64", "::mlir::func::FuncOp"> {
  let summary = "Compute a function in f64: every f32 type and constant "
                "promoted";
  let description = [{
    Rewrites the function so that it computes in double precision: every
    `f32` in its signature, in the types of its values and block arguments
    (tensors, memrefs, vectors, scalars) and in its constants becomes
    `f64`; an `arith.extf`/`arith.truncf` between types that become equal
    disappears. `hetu-run --verify` and `hetu-compile` build the
    single-device reference this way as well as in the model's own
    precision: the f64 reference is the value outputs are compared with, and
    the f32 reference's own distance from it measures how much rounding and
    cancellation each output suffers (the tolerance of the comparison).

    ```mlir
    %c = arith.constant dense<0.5> : tensor<4xf32>
    %y = arith.mulf %x, %c : tensor<4xf32>
    // becomes
    %c = arith.constant dense<5.000000e-01> : tensor<4xf64>
    %y = arith.mulf %x, %c : tensor<4xf64>
    ```

    Ops that reinterpret bits (`arith.bitcast`, `tensor.bitcast`) and
    constants it cannot convert (`dense_resource`) are errors.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def HetuAutodiff : Pass<"hetu-autodiff", "::mlir::ModuleOp"> {
  let summary = "Derive the training step of a forward loss function "
                "(reverse-mode automatic differentiation)";
  let description = [{
    Rewrites every function that has `{hetu.trainable}` arguments and does
    not already return updates (`hetu.updates`) into its training step. The
    function's **first result is the loss**, a 0-d float tensor; the
    trainable arguments are the parameters. The pass appends the backward
    pass (reverse mode over the function's single block) and one optimizer
    op per parameter, then changes the signature:

    * results: the **updated parameters in argument order** (each with
      `{hetu.updates = <argument>}`), then the new optimizer state (also
      `hetu.updates`), then the **original results**;
    * optimizer state (a momentum velocity per parameter) becomes new
      trailing arguments marked `{hetu.zero_init}`: `hetu-run`,
      `hetu-launch` and the Python package start them at zero.
    * `optimizer=none`: no update; the results are the original results
      followed by the **gradient of each trainable argument**, in argument
      order.

    A function carrying `hetu.autodiff = {optimizer = "momentum", lr =
    0.05, ...}` takes those entries in place of the pass options (the keys
    are the options' names, `weight_decay` for `weight-decay`).
    A parameter's update runs on the default placement, or on the group of
    its argument's `hetu.update_ctx` (Hetu's hybrid: with a server in the
    default group, an update placed on the workers alone is all-reduced).

    **Placement.** Every backward op carries the `hetu.ctx` of the forward
    op it differentiates (none when the forward op had none: the same
    default placement); the adjoint of a value used several times is summed
    where the value was produced. The gradient of `hetu.dispatch %x` is
    `hetu.dispatch_gradient %g like %x`, so the gradient of a dispatched
    parameter comes back in the parameter's states. The result goes through
    `hetu-pipeline-schedule`, `hetu-grad-sync`, `hetu-infer-states` and
    `hetu-partition` as a hand-written step does.

    **What it differentiates.**

    * `linalg.generic` whose indexing maps are projected permutations: the
      adjoint of each float tensor operand is a `linalg.generic` over the
      same loops, reading the forward operands and the result's adjoint
      through the forward maps and writing the operand's adjoint through
      its own map (loops the operand does not index are summed: the
      gradient of a broadcast is a reduction). Its payload is the forward
      payload followed by that payload's scalar adjoint. Reductions must
      combine the accumulator once with `arith.addf` (the gradient is
      broadcast) or `arith.maximumf`/`minimumf`/`maxnumf`/`minnumf` (the
      gradient goes to the elements equal to the extremum).
    * Named linalg ops (matmul, batch_matmul, transpose, broadcast, reduce,
      map, fill, elementwise ops, ...) through their generic form;
      `linalg.softmax` is first decomposed into its generic ops. Plain
      `linalg.matmul` and `linalg.batch_matmul` keep the named form: their
      adjoints are matmuls with the other operand transposed (what
      cuBLAS and BLAS lowerings take).
    * `arith`/`math` on floats, scalar (in payloads) or tensor: `addf`,
      `subf`, `mulf`, `divf`, `negf`, `maximumf`, `minimumf`, `maxnumf`,
      `minnumf`, `select`, `extf`, `truncf`, `exp`, `log`, `log1p`, `expm1`,
      `tanh`, `sqrt`, `rsqrt`, `erf`, `powf`, `absf`, `sin`, `cos`;
      comparisons, integer ops, `floor`/`ceil`/`round` and constants carry
      no gradient.
    * `tensor.expand_shape`, `collapse_shape`, `extract_slice`,
      `insert_slice`, `concat`, `pad` (static), `tensor.empty`.

    Anything else on the path from a parameter to the loss is a diagnostic
    naming the op (`cannot differentiate 'math.tan'`), never a silently
    wrong gradient.

    Optimizers (`optimizer=`): `sgd` (`hetu.sgd`), `momentum`
    (`hetu.momentum`, a velocity per parameter), `adam` (`hetu.adam`, two
    moments per parameter and one step count, a 0-d `tensor<f32>`), `adamw`
    (`hetu.adamw`), `none`. New state arguments come in the order velocities
    (or first moments, then second moments) of each parameter, then the step
    count; the updated state is returned in the same order, the step count
    as `count + 1`. `weight-decay` adds `weight-decay * param` to the
    gradient (Hetu's `l2reg`), except for `adamw`, where it is the decoupled
    decay of the update.

    ```mlir
    // hetu-autodiff{optimizer=sgd lr=0.1}
    func.func @loss(%x: tensor<8x16xf32>, %w: tensor<16x4xf32> {hetu.trainable})
        -> tensor<f32>
    // after:
    func.func @loss(%x: tensor<8x16xf32>, %w: tensor<16x4xf32> {hetu.trainable})
        -> (tensor<16x4xf32> {hetu.updates = 1}, tensor<f32>)
    ```
  }];
  let options = [
    Option<"optimizer", "optimizer", "::mlir::hetu::AutodiffOptimizer",
           "::mlir::hetu::AutodiffOptimizer::sgd",
           "The update applied to each parameter",
           [{::mlir::hetu::autodiffOptimizerValues()}]>,
    Option<"lr", "lr", "double", "0.01", "Learning rate">,
    Option<"momentum", "momentum", "double", "0.9",
           "Momentum of the momentum optimizer">,
    Option<"beta1", "beta1", "double", "0.9",
           "Adam's decay of the first moment">,
    Option<"beta2", "beta2", "double", "0.999",
           "Adam's decay of the second moment">,
    Option<"eps", "eps", "double", "1.0e-8", "Adam's epsilon">,
    Option<"weightDecay", "weight-decay", "double", "0.0",
           "L2 regularisation added to the gradient (Hetu's l2reg); AdamW's "
           "decoupled weight decay">
  ];
  let dependentDialects = ["::mlir::hetu::HetuDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HetuGradSync : Pass<"hetu-grad-sync", "::mlir::ModuleOp"> {
  let summary = "Synchronise the gradients of data-parallel parameters";
  let description = [{
    For the `allreduce` strategy: the gradient every optimizer op
    (`hetu.sgd`, `hetu.momentum`) of a group with several data-parallel replicas uses goes
    through `hetu.sync_replicas` first, which `hetu-partition` turns into an
    all-reduce among the devices that hold the same shard of the parameter
    in every replica (the same position of every replica's tuple). Within a
    model-parallel tuple, gradients that are partial sums are reduced by the
    states machinery as usual.

    `reduce=mean` (default) makes data-parallel training on R replicas with
    per-replica mean losses match single-device training on the R batches
    concatenated; `reduce=sum` is Hetu's behaviour.

    For the `ps` strategy (an optimizer on a group with servers and
    workers): the workers push the gradient to a server of the group
    (`hetu.ps_push`, combined by `reduce`), the optimizer op moves to that
    server (placed on it alone), and the workers pull each of its used
    results (`hetu.ps_pull`). Parameters are spread over the group's
    servers in turn; the key is the parameter's argument (`argN`, `argN.1`
    for a second result). The parameter and any optimizer state must be
    arguments of the function: the server keeps its own copy. Hybrid
    training is per-op: updates placed on workers alone are all-reduced.

    Run before `hetu-infer-states`.

    ```mlir
    %w1_next = hetu.sgd %w1, %dw1 lr 0.1 : tensor<32x64xf32>
    // after, on a group of several replicas:
    %g = hetu.sync_replicas <mean> %dw1 : tensor<32x64xf32>
    %w1_next = hetu.sgd %w1, %g lr 0.1 : tensor<32x64xf32>
    // after, on "cpu:0,gpu:0,gpu:1" (%w1 is argument 2):
    %g = hetu.ps_push <mean> %dw1 key "arg2" to #hetu.device<"cpu:0">
        : tensor<32x64xf32>
    %s = hetu.sgd %w1, %g lr 0.1 {hetu.ctx = #hetu.group<"cpu:0">}
        : tensor<32x64xf32>
    %w1_next = hetu.ps_pull %s key "arg2" from #hetu.device<"cpu:0">
        : tensor<32x64xf32>
    ```
  }];
  let options = [
    Option<"reduce", "reduce", "::mlir::hetu::ReductionKind",
           "::mlir::hetu::ReductionKind::mean",
           "How replicas' gradients combine",
           [{::mlir::hetu::reductionKindValues()}]>
  ];
  let dependentDialects = ["::mlir::hetu::HetuDialect"];
}

def HetuPipelineSchedule : Pass<"hetu-pipeline-schedule", "::mlir::ModuleOp"> {
  let summary = "Split each replica's batch into micro-batches and order "
                "them as a pipeline schedule";
  let description = [{
    For every placed function with pipeline stages, run before
    `hetu-grad-sync` and `hetu-infer-states`:

    * **Micro-batches.** Data arguments (not `hetu.trainable`, not replaced
      through `hetu.updates`, ranked) are sliced along dimension 0 into
      `micro-batches` equal pieces (a size that does not divide is a
      diagnostic). The work that uses values carrying the batch (the data,
      and what is computed from it while its shape still depends on the
      batch) is cloned once per micro-batch on the micro-batch's shapes:
      linalg ops get their loop bounds from their operands, elementwise ops
      from theirs, `tensor.expand_shape` shrinks the outermost dimension of
      the group the batch dimension expands into (a micro-batch must fill
      whole groups) and `tensor.collapse_shape` follows its source, splat
      constants and fills of empty tensors are resized, dispatches keep
      their states.
    * **Accumulation.** A value the batch was summed out of (a gradient, a
      loss's sum) is the sum of the micro-batches' values, accumulated as
      each is produced; what uses only such values (scaling, weight decay,
      clipping, their transfers, the optimizer) runs once, after. Constants
      keep their values, so a loss normalised by the whole batch (a mean)
      gives the same loss and gradients as without micro-batches: one
      update per step. A per-example value leaving the micro-batches, and a
      whole-batch value used with the examples again (a batch statistic),
      are diagnostics.
    * **Stages.** Each op's group (a dispatch's target, a
      `dispatch_gradient`'s forward value's group); groups that share a
      device are one stage; stages are ordered by the forward pass's data
      flow. The forward pass is what the returned scalars (the loss) are
      computed from, short of `dispatch_gradient`; the rest is the backward
      pass (without a returned scalar: an op is backward when it uses a
      value of a later stage or of the backward pass).
    * **Schedule.** Each stage runs its tasks (stage, micro-batch,
      forward/backward) in the schedule's order: `gpipe` runs every forward,
      then every backward; `1f1b` runs `stages - stage - 1` forwards, then
      alternates one forward and one backward, then the remaining backwards.
      The function's ops are ordered by a synchronous clock over the stages'
      sequences; that single order is every rank's order, so
      `hetu-partition`'s transfers stay deadlock-free.

    Options apply to every placed function; without them, a function
    carrying `hetu.micro_batches = M` (and optionally `hetu.schedule =
    #hetu.schedule<gpipe>` or `#hetu.schedule<"1f1b">`, default `gpipe`) is
    scheduled, and other functions are left alone. Cloned ops carry
    `hetu.micro_batch`, `hetu.stage` and `hetu.phase` (`#hetu.phase<forward>`
    or `#hetu.phase<backward>`), which survive partitioning: the
    peak number of micro-batches live on a rank is read from its program
    (`bench/pipeline`). A schedule on a function whose work runs on a single
    stage is a diagnostic.

    ```mlir
    // hetu-pipeline-schedule{micro-batches=4 schedule=1f1b}
    ```
  }];
  let options = [
    Option<"microBatches", "micro-batches", "int64_t", "0",
           "Micro-batches per replica's batch (0: from the function's "
           "hetu.micro_batches)">,
    Option<"schedule", "schedule", "::mlir::hetu::PipelineScheduleKind",
           "::mlir::hetu::PipelineScheduleKind::function",
           "The order of the micro-batches",
           [{::mlir::hetu::pipelineScheduleValues()}]>
  ];
  let dependentDialects = ["::mlir::hetu::HetuDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HetuPartition : Pass<"hetu-partition", "::mlir::ModuleOp"> {
  let summary = "Write one program per rank, with the communication inserted";
  let description = [{
    Rewrites every placed function `@f` (after `hetu-deduce-strategy` and
    `hetu-infer-states`) into one function per rank, `@f__rank<N>` with
    `hetu.rank = N`, `hetu.device = #hetu.device<...>` (the device of rank N
    in `hetu.rank_map`) and `hetu.function = "f"`. Each holds only that
    rank's work, on local shapes (`#hetu.states` tiles), plus the
    communication that moves values between layouts. Every rank gets a
    function, possibly empty, so every rank can call its entry point.

    Arguments and results carry `hetu.slice = #hetu.slice<index, replica,
    position, states, offsets>`: the global argument/result `index`, the data-parallel
    `replica`, the device's `position` in that replica's tuple, the value's
    `states` and the `offsets` of the local tile in the global (per-replica)
    value. Arguments are the inputs of the default placement (replicated on
    each tuple); results are returned replicated on the default placement,
    by every device of each replica's tuple.

    Transitions: wherever a value is used in another layout than the one it
    was produced in (a `hetu.dispatch`, a `hetu.dispatch_gradient`, another
    group, states its user needs differently, a returned value), a planner
    computes for each destination device the pieces of source tiles it
    needs and the partial copies it adds (source partial copy p goes to
    target partial copy p mod target-partial; target copies without source
    start from zeros, which is how a split reduction's init is kept on one
    partial copy only). Duplicated sources are read from the copy on the
    destination device if there is one, else from copy (position mod
    copies). The plan is checked before emission (every element covered
    once per partial copy added, every partial copy added once). Pieces on
    the destination device are `tensor.extract_slice`s; the others are
    `hetu.send` / `hetu.recv`; pieces are assembled with
    `tensor.insert_slice` and partial copies added with `linalg.add`. When
    source and destination are the same devices in the same order,
    partial -> duplicate becomes `hetu.all_reduce`, split -> whole becomes
    `hetu.all_gather` and partial -> split becomes `hetu.reduce_scatter`.
    Data-parallel replica i of a producer feeds replica i of its consumer.

    Deadlock freedom: every rank walks the same function in the same order
    and, at each transition, the same destinations in the same order and the
    same pieces in the same order; each rank emits exactly the transfers it
    takes part in. So every rank's sends, receives and collectives are a
    subsequence of one global sequence. The earliest unfinished event of
    that sequence has all its participants waiting on it (they finished all
    their earlier events), so it completes, even with blocking (rendezvous)
    sends: by induction every event completes. Transfers carry the index of
    their transition site as `tag`.

    Supported: functions whose body is one block (control flow such as
    `scf.for` is diagnosed), static shapes, scalars computed on every device
    that uses them.
  }];
  let options = [
    Option<"rank", "rank", "int64_t", "-1",
           "Keep only this rank's functions (-1: every rank)">
  ];
  let dependentDialects = [
    "::mlir::hetu::HetuDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // HETU_DIALECT_HETU_TRANSFORMS_PASSES_TD
