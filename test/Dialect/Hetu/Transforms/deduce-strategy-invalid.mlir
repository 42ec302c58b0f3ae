// RUN: hetu-opt %s -split-input-file -hetu-deduce-strategy -verify-diagnostics

// Hetu's assertion: every placed op has 0 or the default worker count.
// expected-note @+1 {{compared with the placement "gpu:0,gpu:1" here, which has 2 workers}}
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{number of workers not consistent: 1 vs 2}}
    %0 = math.exp %x {hetu.ctx = #hetu.group<"gpu:2">} : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

// The function's own default placement is the reference.
module {
  // expected-note @+1 {{compared with the placement "gpu:0" here, which has 1 workers}}
  func.func @g(%x: tensor<4xf32>) -> tensor<4xf32> attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
    // expected-error @+1 {{number of workers not consistent: 4 vs 1}}
    %0 = math.exp %x {hetu.ctx = #hetu.group<"gpu:1,gpu:2,gpu:3,gpu:4">} : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

// Without a default placement, the first placed op is the reference.
func.func @h(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-note @+1 {{compared with the placement "gpu:0,gpu:1" here, which has 2 workers}}
  %0 = math.exp %x {hetu.ctx = #hetu.group<"gpu:0,gpu:1">} : tensor<4xf32>
  // expected-error @+1 {{number of workers not consistent: 3 vs 2}}
  %1 = math.exp %0 {hetu.ctx = #hetu.group<"gpu:2,gpu:3,gpu:4">} : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Inside an scf.for body too.
// expected-note @+1 {{which has 2 workers}}
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @loop(%x: tensor<4xf32>, %n: index) -> tensor<4xf32> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<4xf32> {
      // expected-error @+1 {{number of workers not consistent: 1 vs 2}}
      %e = math.exp %acc {hetu.ctx = #hetu.group<"gpu:5">} : tensor<4xf32>
      scf.yield %e : tensor<4xf32>
    }
    return %r : tensor<4xf32>
  }
}

// -----

// Tuples of different sizes need a dispatch between them.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @tuples(%x: tensor<4xf32>) -> tensor<4xf32> {
    %d = hetu.dispatch %x to #hetu.states<[2]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<4xf32>
    // expected-note @+1 {{producer placement here}}
    %0 = math.exp %d {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} : tensor<4xf32>
    // expected-error @+1 {{operand #0 comes from tuples of 2 devices ("(gpu:1,gpu:2)") but is used on tuples of 4 devices ("(gpu:3,gpu:4,gpu:5,gpu:6)") without a hetu.dispatch}}
    %1 = math.exp %0 {hetu.ctx = #hetu.group<"(gpu:3,gpu:4,gpu:5,gpu:6)">} : tensor<4xf32>
    return %1 : tensor<4xf32>
  }
}
