// RUN: hetu-opt %s -split-input-file -hetu-deduce-strategy -hetu-infer-states -hetu-partition -verify-diagnostics

// An op placed on the server can only use what the server holds: a worker's
// gradient must be pushed first.
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @unpushed(%w: tensor<4xf32> {hetu.trainable}, %x: tensor<4xf32>) -> tensor<4xf32> {
    %g = arith.mulf %x, %x : tensor<4xf32>
    // expected-error @+1 {{runs on parameter server cpu:0 but uses a value the server does not hold; a server op uses arguments, values pushed to it (hetu.ps_push) and values computed on it}}
    %n = hetu.sgd %w, %g lr 0.1 {hetu.ctx = #hetu.group<"cpu:0">} : tensor<4xf32>
    %p = hetu.ps_pull %n key "w" from #hetu.device<"cpu:0"> : tensor<4xf32>
    return %p : tensor<4xf32>
  }
}

// -----

// A pull from a server that does not hold the value.
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,cpu:1,gpu:0,gpu:1">} {
  func.func @wrong_server(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>) -> tensor<4xf32> {
    %s = hetu.ps_push <mean> %g key "w" to #hetu.device<"cpu:0"> : tensor<4xf32>
    %n = hetu.sgd %w, %s lr 0.1 {hetu.ctx = #hetu.group<"cpu:0">} : tensor<4xf32>
    // expected-error @+1 {{pulls a value that server cpu:1 does not hold: the result of an op placed on it, a value pushed to it, or an argument}}
    %p = hetu.ps_pull %n key "w" from #hetu.device<"cpu:1"> : tensor<4xf32>
    return %p : tensor<4xf32>
  }
}

// -----

// Only workers push.
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @server_push(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>) -> tensor<4xf32> {
    %s = hetu.ps_push <mean> %g key "w" to #hetu.device<"cpu:0"> : tensor<4xf32>
    // expected-error @+1 {{uses a value held on parameter server "cpu:0"; workers receive a server's values through hetu.ps_pull}}
    %t = hetu.ps_push <mean> %s key "w2" to #hetu.device<"cpu:0"> : tensor<4xf32>
    %n = hetu.sgd %w, %t lr 0.1 {hetu.ctx = #hetu.group<"cpu:0">} : tensor<4xf32>
    %p = hetu.ps_pull %n key "w" from #hetu.device<"cpu:0"> : tensor<4xf32>
    return %p : tensor<4xf32>
  }
}

// -----

// A server's result reaches the workers only through a pull.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @unpulled(%x: tensor<4x4xf32>, %w: tensor<4x4xf32> {hetu.trainable}) -> tensor<4x4xf32> {
    %g = arith.mulf %x, %w : tensor<4x4xf32>
    %s = hetu.ps_push <mean> %g key "w" to #hetu.device<"cpu:0"> : tensor<4x4xf32>
    %n = hetu.sgd %w, %s lr 0.1 {hetu.ctx = #hetu.group<"cpu:0">} : tensor<4x4xf32>
    // expected-error @+1 {{uses a value held on parameter server "cpu:0"; workers receive a server's values through hetu.ps_pull}}
    return %n : tensor<4x4xf32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @pushed_used(%x: tensor<4x4xf32>, %g: tensor<4x4xf32>) -> tensor<4x4xf32> {
    %s = hetu.ps_push <mean> %g key "w" to #hetu.device<"cpu:0"> : tensor<4x4xf32>
    // expected-error @+1 {{uses a value held on parameter server "cpu:0"}}
    %y = arith.addf %s, %x : tensor<4x4xf32>
    return %y : tensor<4x4xf32>
  }
}
