//===- StatesRuleInterface.td - Distributed-states rules ---*- tablegen -*-===//

#ifndef HETU_DIALECT_HETU_INTERFACES_STATESRULEINTERFACE_TD
#define HETU_DIALECT_HETU_INTERFACES_STATESRULEINTERFACE_TD

include "mlir/IR/OpBase.td"

def Hetu_StatesRuleOpInterface : OpInterface<"StatesRuleOpInterface"> {
  let cppNamespace = "::mlir::hetu";
  let description = [{
    The distributed-states rule of an operation, used by
    `hetu-infer-states`. Attach it as an external model to teach the pass
    about an operation without touching the pass:

    ```c++
    struct MyOpRule : mlir::hetu::StatesRuleOpInterface::ExternalModel<
                          MyOpRule, my::MyOp> {
      mlir::LogicalResult inferStates(mlir::Operation *op,
                                      mlir::hetu::StatesRuleContext &ctx) const;
    };
    registry.addExtension(+[](MLIRContext *ctx, my::MyDialect *) {
      my::MyOp::attachInterface<MyOpRule>(*ctx);
    });
    ```

    hetu-mlir's own rules are attached the same way, by
    `mlir::hetu::registerStatesRuleInterfaceExternalModels`
    (`hetu/Dialect/Hetu/Transforms/StatesRuleInterfaceImpl.h`): every linalg
    structured op (read through upstream's `IndexingMapOpInterface` and
    `DestinationStyleOpInterface`), `tensor.expand_shape` /
    `tensor.collapse_shape`, `hetu.adam` and `hetu.adamw`. Elementwise ops
    and sums of partial values need no model.

    The rule gets the states its operands arrive in and the states users
    already need its results in (either may be null: not known yet), for one
    worker of `ctx.numDevices` devices. It fills in the states of its results
    and the states it needs each operand in, or leaves them null when it
    cannot tell yet (the pass calls it again when more is known). It returns
    failure after emitting a diagnostic when the states conflict. Operations
    described by an iteration space can call
    `mlir::hetu::inferIterationSpaceStates`.
  }];
  let methods = [
    InterfaceMethod<
      "Infers the states of the results and the states the operands are needed in.",
      "::mlir::LogicalResult", "inferStates",
      (ins "::mlir::hetu::StatesRuleContext &":$ctx)>
  ];
}

#endif // HETU_DIALECT_HETU_INTERFACES_STATESRULEINTERFACE_TD
