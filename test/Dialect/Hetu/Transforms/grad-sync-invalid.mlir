// RUN: hetu-opt %s -split-input-file -hetu-grad-sync -verify-diagnostics
// RUN: not hetu-opt %s -split-input-file -hetu-grad-sync=reduce=max 2>&1 | FileCheck %s --check-prefix=REDUCE
// REDUCE: for the --reduce option: Cannot find option named 'max'!

// The server keeps its own copy of the parameter: a computed parameter
// cannot go through it.
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @ps_computed(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>) -> tensor<4xf32> {
    %w2 = arith.addf %w, %w : tensor<4xf32>
    // expected-error @+1 {{operand #0 of a parameter-server update (group "cpu:0,gpu:0,gpu:1") must be an argument of the function: the server keeps its own copy of parameters and optimizer state}}
    %n = hetu.sgd %w2, %g lr 0.1 : tensor<4xf32>
    return %n : tensor<4xf32>
  }
}

// -----

// Optimizer state too (operand #2: the velocity).
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @ps_momentum(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>) -> tensor<4xf32> {
    %v = arith.constant dense<0.0> : tensor<4xf32>
    // expected-error @+1 {{operand #2 of a parameter-server update (group "cpu:0,gpu:0,gpu:1") must be an argument}}
    %n, %nv = hetu.momentum %w, %g, %v lr 0.1 momentum 0.9 : tensor<4xf32>
    return %n : tensor<4xf32>
  }
}
