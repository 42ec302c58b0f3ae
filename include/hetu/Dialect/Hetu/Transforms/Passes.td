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

    * `hetu.strategy = "ps"` when its group has servers and workers,
      `hetu.strategy = "allreduce"` when it has more than one worker, nothing
      otherwise.
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
    * `hetu.rank_map`: the devices in rank order (SPEC 4.1): devices of
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

#endif // HETU_DIALECT_HETU_TRANSFORMS_PASSES_TD
