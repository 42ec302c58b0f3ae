// Bugs the differential fuzzer found, kept as regression tests.
// RUN: hetu-run %s --verify | FileCheck %s

// An unused operand-less op (the %zero constant) crashed the
// rematerialisation of hetu-infer-states (fuzz seed 1, case 41).
// CHECK: verify: OK (1 outputs x 2 replicas, 128 elements)
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:3">} {
  func.func @fuzz(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
    %zero = arith.constant 0.0 : f32
    %v1 = hetu.dispatch %x to #hetu.states<[2, 1], duplicate = 2> on #hetu.group<"(gpu:6,gpu:3,gpu:4,gpu:7),(gpu:2,gpu:1,gpu:0,gpu:5)"> : tensor<8x8xf32>
    %v2 = arith.mulf %v1, %v1 {hetu.ctx = #hetu.group<"(gpu:6,gpu:3,gpu:4,gpu:7),(gpu:2,gpu:1,gpu:0,gpu:5)">} : tensor<8x8xf32>
    return %v2 : tensor<8x8xf32>
  }
}

