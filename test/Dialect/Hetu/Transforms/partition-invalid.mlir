// RUN: hetu-opt %s -split-input-file -hetu-partition -verify-diagnostics

// expected-error @+1 {{no 'hetu.rank_map': run hetu-deduce-strategy before hetu-partition}}
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"gpu:0">, hetu.rank_map = [#hetu.device<"gpu:0">]} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{has no 'hetu.states': run hetu-infer-states before hetu-partition}}
    %y = math.exp %x : tensor<4xf32>
    return %y : tensor<4xf32>
  }
}

// -----

module attributes {hetu.rank_map = [#hetu.device<"gpu:0">]} {
  // expected-error @+1 {{hetu-partition needs a default placement with workers (hetu.default_ctx) for the arguments and results of @f}}
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    %y = math.exp %x {hetu.ctx = #hetu.group<"gpu:0">, hetu.states = [#hetu.states<[1]>]} : tensor<4xf32>
    return %y : tensor<4xf32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"gpu:0">, hetu.rank_map = [#hetu.device<"gpu:0">]} {
  func.func @f(%x: tensor<4xf32>, %n: index) -> tensor<4xf32> {
    %c0 = arith.constant {hetu.states = [#hetu.states<[]>]} 0 : index
    %c1 = arith.constant {hetu.states = [#hetu.states<[]>]} 1 : index
    // expected-error @+1 {{hetu-partition does not handle 'scf.for' (control flow) yet}}
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> tensor<4xf32> {
      scf.yield %a : tensor<4xf32>
    } {hetu.states = [#hetu.states<[1]>]}
    return %r : tensor<4xf32>
  }
}

// -----

// Two replicas feeding one.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">, hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">, #hetu.device<"gpu:2">]} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{uses a value of 2 data-parallel replicas ("gpu:0,gpu:1") on 1 replicas ("gpu:2"); replica i must feed replica i}}
    %y = math.exp %x {hetu.ctx = #hetu.group<"gpu:2">, hetu.states = [#hetu.states<[1]>]} : tensor<4xf32>
    return %y : tensor<4xf32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">, hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">, #hetu.device<"gpu:2">, #hetu.device<"gpu:3">]} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{dispatches to states of 2 devices per worker, but its target group "(gpu:0,gpu:1,gpu:2,gpu:3)" has workers of 4 devices}}
    %y = hetu.dispatch %x to #hetu.states<[2]> : tensor<4xf32> {hetu.states = [#hetu.states<[2]>]}
    return %y : tensor<4xf32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"gpu:0">, hetu.rank_map = [#hetu.device<"gpu:0">]} {
  func.func @f(%x: tensor<?xf32>) -> tensor<?xf32> {
    // expected-error @+1 {{hetu-partition handles static shapes; this result is 'tensor<?xf32>'}}
    %y = math.exp %x {hetu.states = [#hetu.states<[1]>]} : tensor<?xf32>
    return %y : tensor<?xf32>
  }
}
