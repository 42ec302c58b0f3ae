// RUN: hetu-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{'hetu.default_ctx' must be a #hetu.group, got "gpu:0"}}
module attributes {hetu.default_ctx = "gpu:0"} {}

// -----

func.func @ctx_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.ctx' must be a #hetu.group, got #hetu.device<"gpu:0">}}
  %0 = arith.addf %x, %x {hetu.ctx = #hetu.device<"gpu:0">} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ctx_mixed(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.ctx' group "(gpu:0,gpu:1),gpu:2" mixes workers of different sizes}}
  %0 = arith.addf %x, %x {hetu.ctx = #hetu.group<"(gpu:0,gpu:1),gpu:2">} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @default_ctx_no_region(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.default_ctx' is only valid on an operation with regions}}
  %0 = arith.addf %x, %x {hetu.default_ctx = #hetu.group<"gpu:0">} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{'hetu.trainable' on argument 0 must be a unit attribute}}
func.func @trainable_kind(%w: tensor<4xf32> {hetu.trainable = 1 : i64}) {
  return
}

// -----

func.func @trainable_on_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.trainable' is only valid on function arguments}}
  %0 = arith.addf %x, %x {hetu.trainable} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{unknown hetu argument attribute 'hetu.trainabel' on argument 0}}
func.func @typo_arg(%w: tensor<4xf32> {hetu.trainabel}) {
  return
}

// -----

func.func @typo_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{unknown hetu attribute 'hetu.context'}}
  %0 = arith.addf %x, %x {hetu.context = #hetu.group<"gpu:0">} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @states_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.states' must be an array of #hetu.states}}
  %0 = arith.addf %x, %x {hetu.states = #hetu.states<[1]>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @states_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.states' has 2 entries for 1 results}}
  %0 = arith.addf %x, %x {hetu.states = [#hetu.states<[1]>, #hetu.states<[1]>]} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @states_rank(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.states' entry 0 has rank 2, but result 0 has rank 1}}
  %0 = arith.addf %x, %x {hetu.states = [#hetu.states<[1, 1]>]} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @strategy(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.strategy' must be #hetu.strategy<ps> or #hetu.strategy<allreduce>}}
  %0 = arith.addf %x, %x {hetu.strategy = "allreduce"} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @strategy(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected ::mlir::hetu::StrategyKind to be one of: allreduce, ps}}
  // expected-error @+1 {{failed to parse Hetu_StrategyKindAttr parameter 'value'}}
  %0 = arith.addf %x, %x {hetu.strategy = #hetu.strategy<AllReduce>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{'hetu.rank_map' must be an array of #hetu.device}}
module attributes {hetu.rank_map = [#hetu.group<"gpu:0">]} {}

// -----

module {
  // expected-error @+1 {{'hetu.launch_mpi' is only valid on builtin.module}}
  func.func @f() attributes {hetu.launch_mpi = true} {
    return
  }
}

// -----

// expected-error @+1 {{'hetu.launch_ps' must be a bool}}
module attributes {hetu.launch_ps = 1 : i32} {}
