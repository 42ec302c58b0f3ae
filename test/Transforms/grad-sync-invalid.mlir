// RUN: hetu-opt %s -split-input-file -hetu-grad-sync -verify-diagnostics
// RUN: not hetu-opt %s -split-input-file -hetu-grad-sync=reduce=max 2>&1 | FileCheck %s --check-prefix=REDUCE
// REDUCE: hetu-grad-sync: reduce must be 'mean' or 'sum', got 'max'

module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @ps(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{the parameter-server strategy (group "cpu:0,gpu:0,gpu:1") has no gradient synchronisation yet}}
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4xf32>
    return %n : tensor<4xf32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @ps_momentum(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{the parameter-server strategy (group "cpu:0,gpu:0,gpu:1") has no gradient synchronisation yet}}
    %n, %nv = hetu.momentum %w, %g, %v lr 0.1 momentum 0.9 : tensor<4xf32>
    return %n : tensor<4xf32>
  }
}
