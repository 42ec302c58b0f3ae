// RUN: hetu-opt %s -split-input-file -hetu-infer-states -verify-diagnostics

// Two operands split the reduction loop differently: activation [1,2] dup 2
// (default order: k-loop = device%2) and weight [2,2] (default order: k-loop
// = device/2).
#T4 = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:4">} {
  func.func @conflict(%x: tensor<16x32xf32>, %w: tensor<32x64xf32>, %z: tensor<16x64xf32>) -> tensor<16x64xf32> {
    // expected-note @+1 {{operand produced here}}
    %a = hetu.dispatch %x to #hetu.states<[1, 2], duplicate = 2> on #T4 : tensor<16x32xf32>
    // expected-note @+1 {{operand produced here}}
    %b = hetu.dispatch %w to #hetu.states<[2, 2]> on #T4 : tensor<32x64xf32>
    // expected-error @+1 {{conflicting distributed states: operand #1 #hetu.states<[2, 2]> splits loop 2 differently from operand #0}}
    %y = linalg.matmul {hetu.ctx = #T4} ins(%a, %b : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>
    return %y : tensor<16x64xf32>
  }
}

// -----

// [2,1] dup 2 x [1,2] dup 2, both in the default order: device k computes
// tile (k%2, k%2), so two of the four output tiles are never computed.
#T4 = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:4">} {
  func.func @no_line_up(%x: tensor<16x32xf32>, %w: tensor<32x64xf32>, %z: tensor<16x64xf32>) -> tensor<16x64xf32> {
    // expected-note @+1 {{operand produced here}}
    %a = hetu.dispatch %x to #hetu.states<[2, 1], duplicate = 2> on #T4 : tensor<16x32xf32>
    // expected-note @+1 {{operand produced here}}
    %b = hetu.dispatch %w to #hetu.states<[1, 2], duplicate = 2> on #T4 : tensor<32x64xf32>
    // expected-error @+1 {{the operands' tiles do not line up for result #0: the devices hold 2 of the 4 tiles}}
    %y = linalg.matmul {hetu.ctx = #T4} ins(%a, %b : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>
    return %y : tensor<16x64xf32>
  }
}

// -----

// An op without a rule cannot take a split operand.
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @no_rule(%x: tensor<4x8xf32>) -> tensor<2x8xf32> {
    // expected-note @+1 {{operand produced here}}
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<4x8xf32>
    // expected-error @+1 {{no distributed-states rule for 'tensor.extract_slice' and operand #0 is split: #hetu.states<[2, 1]>}}
    %s = tensor.extract_slice %a[0, 0] [2, 8] [1, 1] : tensor<4x8xf32> to tensor<2x8xf32>
    return %s : tensor<2x8xf32>
  }
}

// -----

// The dispatch describes 2 devices, its user runs on tuples of 4.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @dispatch_size(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
    // expected-note @+1 {{dispatch here}}
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<4x8xf32>
    // expected-error @+1 {{uses a hetu.dispatch to #hetu.states<[2, 1]> (2 devices per worker) but runs on workers of 4 devices}}
    %y = math.exp %a {hetu.ctx = #hetu.group<"(gpu:1,gpu:2,gpu:3,gpu:4)">} : tensor<4x8xf32>
    return %y : tensor<4x8xf32>
  }
}

// -----

// From a tuple of 2 to a tuple of 4 without a dispatch.
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @tuple_sizes(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
    // expected-note @+1 {{operand produced here}}
    %a = math.exp %x : tensor<4x8xf32>
    // expected-error @+1 {{uses a value produced on workers of 2 devices, but runs on workers of 4 devices; insert a hetu.dispatch}}
    %y = math.tanh %a {hetu.ctx = #hetu.group<"(gpu:2,gpu:3,gpu:4,gpu:5)">} : tensor<4x8xf32>
    return %y : tensor<4x8xf32>
  }
}

// -----

// A dispatch without 'on' whose users disagree on the group.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @users(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
    // expected-error @+1 {{'hetu.dispatch' op has no 'on' group and its users run on different groups: "(gpu:1,gpu:2)" and "(gpu:3,gpu:4)"}}
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<4x8xf32>
    // expected-note @+1 {{user here}}
    %y = math.exp %a {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} : tensor<4x8xf32>
    // expected-note @+1 {{user here}}
    %z = math.exp %a {hetu.ctx = #hetu.group<"(gpu:3,gpu:4)">} : tensor<4x8xf32>
    return %y, %z : tensor<4x8xf32>, tensor<4x8xf32>
  }
}

// -----

// A loop whose carried value enters replicated and leaves split.
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @loop(%x: tensor<4x8xf32>, %n: index) -> tensor<4x8xf32> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    // expected-error @+1 {{loop-carried value #0 changes distributed states across iterations: #hetu.states<[1, 1], duplicate = 2> vs #hetu.states<[2, 1]>}}
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<4x8xf32> {
      // expected-note @+1 {{operand produced here}}
      %d = hetu.dispatch %acc to #hetu.states<[2, 1]> : tensor<4x8xf32>
      scf.yield %d : tensor<4x8xf32>
    }
    return %r : tensor<4x8xf32>
  }
}

// -----

// Only the outermost dimension of a collapsed group can carry a split.
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @reshape(%x: tensor<4x8xf32>) -> tensor<32xf32> {
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> : tensor<4x8xf32>
    // expected-error @+1 {{operand #0 #hetu.states<[1, 2]> is split along dimension 1, which is merged into the dimension before it; only the outermost dimension of a reshaped group can be split}}
    %c = tensor.collapse_shape %a [[0, 1]] : tensor<4x8xf32> into tensor<32xf32>
    return %c : tensor<32xf32>
  }
}

// -----

// A split along a dimension that is not a single loop (a constant index).
#map = affine_map<(d0) -> (d0, 0)>
#id = affine_map<(d0) -> (d0)>
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @not_a_loop(%x: tensor<4x2xf32>, %o: tensor<4xf32>) -> tensor<4xf32> {
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> : tensor<4x2xf32>
    // expected-error @+1 {{operand #0 is split along dimension 1 (#hetu.states<[1, 2]>), which is not a single loop of the operation}}
    %r = linalg.generic {indexing_maps = [#map, #id], iterator_types = ["parallel"]}
        ins(%a : tensor<4x2xf32>) outs(%o : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<4xf32>
    return %r : tensor<4xf32>
  }
}
