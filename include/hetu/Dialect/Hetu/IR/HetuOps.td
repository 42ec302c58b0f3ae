//===- HetuOps.td - Operations of the hetu dialect --------*- tablegen -*-===//

#ifndef HETU_DIALECT_HETU_IR_HETUOPS_TD
#define HETU_DIALECT_HETU_IR_HETUOPS_TD

include "hetu/Dialect/Hetu/IR/HetuAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

// Assembly formats (docs/README.md, "Textual form"): dialect attributes are
// printed in full (`to #hetu.states<...>`) and the type comes right after
// the last of them, so the attribute dictionary, when there is one, is
// printed last.
class Hetu_Op<string mnemonic, list<Trait> traits = []>
    : Op<Hetu_Dialect, mnemonic, traits>;

// Communication ops must neither be removed nor reordered with respect to
// each other: every rank has to issue them in the same order. They read and
// write this resource.
def Hetu_CommResource : Resource<"::mlir::hetu::CommunicationResource">;
def Hetu_CommEffects : MemoryEffects<[MemRead<Hetu_CommResource>,
                                      MemWrite<Hetu_CommResource>]>;

// Communication ops work on ranked tensors and, after bufferization, on
// memrefs (any layout for operands; results are new identity-layout
// buffers).
def Hetu_Buffer : AnyTypeOf<[AnyRankedTensor, AnyRankedOrUnrankedMemRef],
                            "ranked tensor or memref">;
def Hetu_SameShapeAndElementType : TraitList<[SameOperandsAndResultShape,
                                              SameOperandsAndResultElementType]>;

def Hetu_DispatchOp : Hetu_Op<"dispatch", [Pure, SameOperandsAndResultType]> {
  let summary = "Partition a value for its consumers (Hetu's `dispatch`)";
  let description = [{
    `%y = hetu.dispatch %x to STATES [on GROUP]` says that the consumers of
    `%y` receive `%x` distributed as `STATES` over every worker of `GROUP`.
    Without `on`, the group is the placement of `%y`'s users, which must
    agree. Types are per-replica logical types: `%y` has the type of `%x`.

    ```mlir
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2)">
           : tensor<16x32xf32>
    %w = hetu.dispatch %w0 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x64xf32>
    ```

    The op is a pure annotation: `hetu-partition` replaces it by the
    splits, transfers and collectives that produce the stated layout.

    Verified: the states have the rank of the tensor, every static size is
    divisible by its split count, and with `on`, every worker of the group
    has exactly as many devices as the states describe.
  }];
  let arguments = (ins AnyRankedTensor:$input, Hetu_StatesAttr:$states,
                       OptionalAttr<Hetu_GroupAttr>:$group);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `to` custom<FullAttr>($states) (`on` custom<FullAttr>($group)^)?
    custom<TrailingType>(type($input)) attr-dict
  }];
  let hasVerifier = 1;
}

def Hetu_DispatchGradientOp : Hetu_Op<"dispatch_gradient",
    [Pure, AllTypesMatch<["grad", "forward", "result"]>]> {
  let summary = "Send a gradient back in the states of a forward value";
  let description = [{
    `%y = hetu.dispatch_gradient %g like %x` is the backward transition of a
    dispatch: the consumers of `%y` receive gradient `%g` distributed the
    way forward value `%x` is distributed (Hetu's `DispatchGradientOp`), on
    `%x`'s placement. Where `%x` is held as partial sums, the gradient is
    whole on every copy instead (the partial copies become duplicates).

    ```mlir
    %gw = hetu.dispatch_gradient %g like %w : tensor<32x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$grad, AnyRankedTensor:$forward);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$grad `like` $forward attr-dict `:` type($grad)";
}

def Hetu_SendOp : Hetu_Op<"send", [Hetu_CommEffects]> {
  let summary = "Point-to-point send to one device";
  let description = [{
    Sends the whole value to device `dest`, which must run a matching
    `hetu.recv` (same type) from the sender. Inserted by `hetu-partition` at
    pipeline stage boundaries and for resharding; also writable by hand.
    `tag` distinguishes several transfers between the same pair of devices.

    ```mlir
    hetu.send %act to #hetu.device<"gpu:1"> : tensor<16x64xf32>
    ```
  }];
  let arguments = (ins Hetu_Buffer:$value, Hetu_DeviceAttr:$dest,
                       DefaultValuedAttr<I64Attr, "0">:$tag);
  let assemblyFormat = [{
    $value `to` custom<FullAttr>($dest) custom<TrailingType>(type($value))
    attr-dict
  }];
  let hasVerifier = 1;
}

def Hetu_RecvOp : Hetu_Op<"recv", [Hetu_CommEffects]> {
  let summary = "Point-to-point receive from one device";
  let description = [{
    Receives a value of the result type from device `source`, which runs
    the matching `hetu.send` (same type, same `tag`).

    ```mlir
    %act = hetu.recv from #hetu.device<"gpu:0"> : tensor<16x64xf32>
    ```
  }];
  let arguments = (ins Hetu_DeviceAttr:$source,
                       DefaultValuedAttr<I64Attr, "0">:$tag);
  let results = (outs Hetu_Buffer:$result);
  let assemblyFormat = [{
    `from` custom<FullAttr>($source) custom<TrailingType>(type($result))
    attr-dict
  }];
  let hasVerifier = 1;
}

class Hetu_CollectiveOp<string mnemonic, list<Trait> traits = []>
    : Hetu_Op<mnemonic, !listconcat(traits, [Hetu_CommEffects])> {
  code commonDescription = [{
    Collectives run over `group`, a list of distinct single devices (no
    tuples): every member calls the op, in the same order relative to the
    other communication ops; the position in the group is the member's rank
    in the collective.
  }];
}

def Hetu_AllReduceOp : Hetu_CollectiveOp<"all_reduce",
    [Hetu_SameShapeAndElementType]> {
  let summary = "Combine a value over a group; every member gets the result";
  let description = [{
    ```mlir
    %s = hetu.all_reduce <sum> %g on #hetu.group<"gpu:0,gpu:1"> : tensor<32x64xf32>
    ```
    `kind` is `sum`, `mean`, `max`, `min` or `prod`.
  }] # commonDescription;
  let arguments = (ins Hetu_ReductionKindAttr:$kind, Hetu_Buffer:$input,
                       Hetu_GroupAttr:$group);
  let results = (outs Hetu_Buffer:$result);
  let assemblyFormat = [{
    $kind $input `on` custom<FullAttr>($group)
    custom<TrailingType>(type($input)) custom<SameOrArrow>(ref(type($input)), type($result))
    attr-dict
  }];
  let hasVerifier = 1;
}

def Hetu_AllGatherOp : Hetu_CollectiveOp<"all_gather"> {
  let summary = "Concatenate every member's value along a dimension";
  let description = [{
    Member `i`'s input becomes block `i` of the result along `dim`, and
    every member gets the whole result: the result size along `dim` is the
    input size times the group size.

    ```mlir
    %y = hetu.all_gather %x dim 0 on #hetu.group<"gpu:0,gpu:1">
           : tensor<8x64xf32> -> tensor<16x64xf32>
    ```
  }] # commonDescription;
  let arguments = (ins Hetu_Buffer:$input, I64Attr:$dim,
                       Hetu_GroupAttr:$group);
  let results = (outs Hetu_Buffer:$result);
  let assemblyFormat = [{
    $input `dim` $dim `on` custom<FullAttr>($group)
    custom<TrailingType>(type($input)) `->` type($result) attr-dict
  }];
  let hasVerifier = 1;
}

def Hetu_ReduceScatterOp : Hetu_CollectiveOp<"reduce_scatter"> {
  let summary = "Combine a value over a group and keep one block per member";
  let description = [{
    Member `i` receives block `i`, along `dim`, of the combination of every
    member's input: the input size along `dim` is the result size times the
    group size.

    ```mlir
    %y = hetu.reduce_scatter <sum> %x dim 0 on #hetu.group<"gpu:0,gpu:1">
           : tensor<16x64xf32> -> tensor<8x64xf32>
    ```
  }] # commonDescription;
  let arguments = (ins Hetu_ReductionKindAttr:$kind, Hetu_Buffer:$input,
                       I64Attr:$dim, Hetu_GroupAttr:$group);
  let results = (outs Hetu_Buffer:$result);
  let assemblyFormat = [{
    $kind $input `dim` $dim `on` custom<FullAttr>($group)
    custom<TrailingType>(type($input)) `->` type($result) attr-dict
  }];
  let hasVerifier = 1;
}

def Hetu_BroadcastOp : Hetu_CollectiveOp<"broadcast",
    [Hetu_SameShapeAndElementType]> {
  let summary = "Copy the root's value to every member";
  let description = [{
    Every member gets the value of member `root`; the input of the other
    members is ignored.

    ```mlir
    %y = hetu.broadcast %x root #hetu.device<"gpu:0"> on #hetu.group<"gpu:0,gpu:1">
           : tensor<8xf32>
    ```
  }] # commonDescription;
  let arguments = (ins Hetu_Buffer:$input, Hetu_DeviceAttr:$root,
                       Hetu_GroupAttr:$group);
  let results = (outs Hetu_Buffer:$result);
  let assemblyFormat = [{
    $input `root` custom<FullAttr>($root) `on` custom<FullAttr>($group)
    custom<TrailingType>(type($input)) custom<SameOrArrow>(ref(type($input)), type($result))
    attr-dict
  }];
  let hasVerifier = 1;
}

def Hetu_ReduceOp : Hetu_CollectiveOp<"reduce",
    [Hetu_SameShapeAndElementType]> {
  let summary = "Combine a value over a group onto the root";
  let description = [{
    Member `root` gets the combination of every member's input; the result
    of the other members is their input, unchanged.

    ```mlir
    %y = hetu.reduce <sum> %x root #hetu.device<"gpu:0"> on #hetu.group<"gpu:0,gpu:1">
           : tensor<8xf32>
    ```
  }] # commonDescription;
  let arguments = (ins Hetu_ReductionKindAttr:$kind, Hetu_Buffer:$input,
                       Hetu_DeviceAttr:$root, Hetu_GroupAttr:$group);
  let results = (outs Hetu_Buffer:$result);
  let assemblyFormat = [{
    $kind $input `root` custom<FullAttr>($root) `on` custom<FullAttr>($group)
    custom<TrailingType>(type($input)) custom<SameOrArrow>(ref(type($input)), type($result))
    attr-dict
  }];
  let hasVerifier = 1;
}

def Hetu_PSPushOp : Hetu_Op<"ps_push", [Hetu_CommEffects,
    AllTypesMatch<["grad", "result"]>]> {
  let summary = "Push the workers' gradients to a parameter server";
  let description = [{
    `%gs = hetu.ps_push <mean> %g key "w1" to #hetu.device<"cpu:0"> : T`:
    every data-parallel worker of the op's placement pushes its gradient
    `%g` of the parameter named `key` to the parameter server `server` (a
    cpu device); the result is the workers' gradients combined (`mean` or
    `sum`) and lives on the server, where the optimizer ops that use it run
    (placed on the server's group). Inserted by `hetu-grad-sync` for the
    `ps` strategy; `hetu-partition` turns it into the workers' sends, the
    server's receives and the combination. A worker whose gradient is split
    over a tuple pushes its tiles; a partial gradient is summed on the way.

    ```mlir
    %gs = hetu.ps_push <mean> %gw key "w1" to #hetu.device<"cpu:0">
        : tensor<32x64xf32>
    ```
  }];
  let arguments = (ins Hetu_ReductionKindAttr:$kind, AnyRankedTensor:$grad,
                       StrAttr:$key, Hetu_DeviceAttr:$server);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $kind $grad `key` $key `to` custom<FullAttr>($server)
    custom<TrailingType>(type($grad)) attr-dict
  }];
  let hasVerifier = 1;
}

def Hetu_PSPullOp : Hetu_Op<"ps_pull", [Hetu_CommEffects,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "Pull a parameter from a parameter server";
  let description = [{
    `%w = hetu.ps_pull %ws key "w1" from #hetu.device<"cpu:0"> : T`: every
    data-parallel worker of the op's placement receives the server's value
    `%ws` of the parameter (or optimizer state) named `key`, for example
    the result of the server's update. Inserted by `hetu-grad-sync` for the
    `ps` strategy; `hetu-partition` turns it into the server's sends and the
    workers' receives.

    ```mlir
    %w = hetu.ps_pull %ws key "w1" from #hetu.device<"cpu:0">
        : tensor<32x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$value, StrAttr:$key,
                       Hetu_DeviceAttr:$server);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $value `key` $key `from` custom<FullAttr>($server)
    custom<TrailingType>(type($value)) attr-dict
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Training
//===----------------------------------------------------------------------===//

def Hetu_SGDOp : Hetu_Op<"sgd", [Pure, Elementwise,
    AllTypesMatch<["param", "grad", "result"]>]> {
  let summary = "Stochastic gradient descent update of one parameter";
  let description = [{
    `%new = hetu.sgd %param, %grad lr 0.1 : T` is `param - lr * grad`,
    elementwise: the optimizer of a training step. `hetu-grad-sync` makes
    the gradient of a data-parallel parameter the replicas' mean (or sum)
    first; `hetu-lower-to-cpu` turns the update into arithmetic.

    ```mlir
    %w1_next = hetu.sgd %w1, %dw1 lr 0.05 : tensor<32x64xf32>
    ```

    A training step returns its updated parameters with
    `{hetu.updates = <argument index>}` on the results, so `hetu-run
    --iterations` feeds them back.
  }];
  let arguments = (ins AnyRankedTensor:$param, AnyRankedTensor:$grad,
                       F64Attr:$lr);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $param `,` $grad `lr` $lr attr-dict `:` type($param)
  }];
  let hasVerifier = 1;
}

def Hetu_MomentumOp : Hetu_Op<"momentum", [Pure, Elementwise,
    AllTypesMatch<["param", "grad", "velocity", "result", "velocity_next"]>]> {
  let summary = "Gradient descent with (heavy-ball) momentum on one parameter";
  let description = [{
    `%p_next, %v_next = hetu.momentum %param, %grad, %velocity lr 0.1
    momentum 0.9 : T` computes, elementwise,

        v_next = momentum * velocity + grad
        p_next = param - lr * v_next

    (the form of PyTorch's `SGD(momentum=...)`; Hetu's `MomentumOptimizer`
    keeps `-lr` inside the velocity, which is the same update scaled). The
    velocity is optimizer state: an argument of the training step that a
    result with `{hetu.updates = <argument index>}` replaces, replicated
    like the parameter. `hetu-grad-sync` synchronises `grad` as for
    `hetu.sgd`; `hetu-lower-to-cpu` turns the update into arithmetic.

    ```mlir
    %w_next, %v_next = hetu.momentum %w, %dw, %v lr 0.05 momentum 0.9
        : tensor<32x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$param, AnyRankedTensor:$grad,
                       AnyRankedTensor:$velocity, F64Attr:$lr,
                       F64Attr:$momentum);
  let results = (outs AnyRankedTensor:$result,
                      AnyRankedTensor:$velocity_next);
  let assemblyFormat = [{
    $param `,` $grad `,` $velocity `lr` $lr `momentum` $momentum attr-dict
    `:` type($param)
  }];
  let hasVerifier = 1;
}

class Hetu_AdamBase<string mnemonic, dag extraAttrs, string extraFormat>
    : Hetu_Op<mnemonic, [Pure,
        AllTypesMatch<["param", "grad", "m", "v", "result", "m_next",
                       "v_next"]>]> {
  let arguments = !con((ins AnyRankedTensor:$param, AnyRankedTensor:$grad,
                            AnyRankedTensor:$m, AnyRankedTensor:$v,
                            0DTensorOf<[AnyFloat]>:$step, F64Attr:$lr,
                            F64Attr:$beta1, F64Attr:$beta2, F64Attr:$eps),
                       extraAttrs);
  let results = (outs AnyRankedTensor:$result, AnyRankedTensor:$m_next,
                      AnyRankedTensor:$v_next);
  let assemblyFormat = "$param `,` $grad `,` $m `,` $v `step` $step `lr` $lr "
                       "`beta1` $beta1 `beta2` $beta2 `eps` $eps " # extraFormat #
                       " attr-dict `:` type($param) `,` type($step)";
  let hasVerifier = 1;
}

def Hetu_AdamOp : Hetu_AdamBase<"adam", (ins), ""> {
  let summary = "Adam update of one parameter";
  let description = [{
    `%p_next, %m_next, %v_next = hetu.adam %param, %grad, %m, %v step %t
    lr L beta1 B1 beta2 B2 eps E : T, tensor<f32>` is Hetu's
    `AdamOptimizer` (Kingma and Ba), elementwise, with `t = %t + 1` (`%t`
    counts the steps taken before this one):

        m_next = B1 * m + (1 - B1) * grad
        v_next = B2 * v + (1 - B2) * grad^2
        p_next = param - L * (m_next / (1 - B1^t))
                           / (sqrt(v_next / (1 - B2^t)) + E)

    The moments are optimizer state: arguments of the training step,
    replaced through `{hetu.updates}` results and started at zero
    (`{hetu.zero_init}`); the step count `%t` is a 0-d argument too.
    `hetu-grad-sync` synchronises `grad` as for `hetu.sgd` (on a parameter
    server, the moments and the count live on the server);
    `convert-hetu-optimizers` turns the update into arithmetic.

    ```mlir
    %w1, %m1, %v1 = hetu.adam %w, %dw, %m, %v step %t lr 1.0e-3 beta1 0.9
        beta2 0.999 eps 1.0e-8 : tensor<32x64xf32>, tensor<f32>
    ```
  }];
}

def Hetu_AdamWOp : Hetu_AdamBase<"adamw", (ins F64Attr:$weight_decay),
                                 "`weight_decay` $weight_decay"> {
  let summary = "AdamW update (decoupled weight decay) of one parameter";
  let description = [{
    `hetu.adamw` is `hetu.adam` with Hetu's `AdamWOptimizer` (Loshchilov and
    Hutter) decoupled weight decay `W` applied to the parameter rather than
    added to the gradient:

        p_next = param - L * ((m_next / (1 - B1^t))
                              / (sqrt(v_next / (1 - B2^t)) + E) + W * param)

    ```mlir
    %w1, %m1, %v1 = hetu.adamw %w, %dw, %m, %v step %t lr 1.0e-3 beta1 0.9
        beta2 0.999 eps 1.0e-8 weight_decay 0.01 : tensor<32x64xf32>, tensor<f32>
    ```
  }];
}

def Hetu_SyncReplicasOp : Hetu_Op<"sync_replicas", [Hetu_CommEffects, Elementwise,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Combine a value over the data-parallel replicas";
  let description = [{
    `%g = hetu.sync_replicas <mean> %grad : T`: every data-parallel replica
    of the op's placement gets the combination (mean or sum) of the
    replicas' values. Each device combines its tile with the devices at the
    same position of the other replicas' tuples, which hold the same tile.
    Inserted by `hetu-grad-sync` for the gradients of parameters;
    `hetu-partition` turns it into `hetu.all_reduce`.

    ```mlir
    %g = hetu.sync_replicas <mean> %dw : tensor<32x64xf32>
    ```
  }];
  let arguments = (ins Hetu_ReductionKindAttr:$kind, AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$kind $input attr-dict `:` type($input)";
}

#endif // HETU_DIALECT_HETU_IR_HETUOPS_TD
