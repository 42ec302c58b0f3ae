// RUN: hetu-opt %s -split-input-file -hetu-autodiff -verify-diagnostics

// The first result must be the loss.
module {
  // expected-error @+1 {{hetu-autodiff: the first result of @vector_loss must be the loss, a 0-d float tensor}}
  func.func @vector_loss(%w: tensor<4xf32> {hetu.trainable}) -> tensor<4xf32> {
    return %w : tensor<4xf32>
  }
}

// -----

// An op without a derivative rule on the path to the loss is named.
module {
  func.func @tan(%w: tensor<4xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    // expected-error @+1 {{hetu-autodiff: cannot differentiate 'math.tan'}}
    %t = math.tan %w : tensor<4xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%t : tensor<4xf32>) outs(%z0 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// The same inside a payload, with a note at the linalg op.
#id = affine_map<(d0) -> (d0)>
module {
  func.func @payload(%w: tensor<4xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4xf32>
    // expected-note @+1 {{in the payload of 'linalg.generic'}}
    %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%w : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      // expected-error @+1 {{hetu-autodiff: cannot differentiate 'math.atan'}}
      %a = math.atan %in : f32
      linalg.yield %a : f32
    } -> tensor<4xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%t : tensor<4xf32>) outs(%z0 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// A product reduction has no derivative rule here.
module {
  func.func @product(%w: tensor<4xf32> {hetu.trainable}) -> tensor<f32> {
    %one = arith.constant 1.0 : f32
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%one : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    // expected-error @+1 {{hetu-autodiff: cannot differentiate 'linalg.reduce': the payload of a reduction must fold the accumulator of each output once, with arith.addf, maximumf, minimumf, maxnumf or minnumf}}
    %s = linalg.reduce ins(%w : tensor<4xf32>) outs(%z0 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %m = arith.mulf %in, %acc : f32
        linalg.yield %m : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// Indexing maps must be projected permutations (a diagonal is not).
#diag = affine_map<(d0) -> (d0, d0)>
#vec = affine_map<(d0) -> (d0)>
module {
  func.func @diagonal(%w: tensor<4x4xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4xf32>
    // expected-error @+1 {{hetu-autodiff: cannot differentiate 'linalg.generic': indexing map #0 (affine_map<(d0) -> (d0, d0)>) is not a projected permutation}}
    %d = linalg.generic {indexing_maps = [#diag, #vec], iterator_types = ["parallel"]} ins(%w : tensor<4x4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<4xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%d : tensor<4xf32>) outs(%z0 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// Communication written by hand is not a forward pass.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @allreduce(%w: tensor<4xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    // expected-error @+1 {{hetu-autodiff: cannot differentiate 'hetu.all_reduce': the function must be a forward pass}}
    %r = hetu.all_reduce <sum> %w on #hetu.group<"gpu:0,gpu:1"> : tensor<4xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%r : tensor<4xf32>) outs(%z0 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// Asking for a step of a function that already is one, or has no parameters.
module {
  // expected-error @+1 {{hetu-autodiff: @step is already a training step (it returns hetu.updates)}}
  func.func @step(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>) -> (tensor<4xf32> {hetu.updates = 0}) attributes {hetu.autodiff = {optimizer = "sgd"}} {
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4xf32>
    return %n : tensor<4xf32>
  }
  // expected-error @+1 {{hetu-autodiff: @frozen has no {hetu.trainable} argument}}
  func.func @frozen(%x: tensor<f32>) -> tensor<f32> attributes {hetu.autodiff = {}} {
    return %x : tensor<f32>
  }
}

// -----

// An integer parameter has no gradient.
module {
  // expected-error @+1 {{hetu-autodiff: trainable argument 0 must be a static float tensor}}
  func.func @int(%w: tensor<4xi32> {hetu.trainable}) -> tensor<f32> {
    %c = arith.constant dense<1.0> : tensor<f32>
    return %c : tensor<f32>
  }
}

// -----

// The function attribute is checked by the dialect.
module {
  // expected-error @+1 {{'hetu.autodiff' optimizer must be one of "none", "sgd", "momentum", "adam", "adamw"}}
  func.func @bad_optimizer(%w: tensor<f32> {hetu.trainable}) -> tensor<f32> attributes {hetu.autodiff = {optimizer = "lbfgs"}} {
    return %w : tensor<f32>
  }
}

// -----

module {
  // expected-error @+1 {{'hetu.autodiff' has an unknown entry 'learning_rate' (expected optimizer, lr, momentum, beta1, beta2, eps, weight_decay)}}
  func.func @bad_key(%w: tensor<f32> {hetu.trainable}) -> tensor<f32> attributes {hetu.autodiff = {learning_rate = 0.1}} {
    return %w : tensor<f32>
  }
}

// -----

module {
  // expected-error @+1 {{hetu-autodiff: momentum must be in [0, 1), got 1.5}}
  func.func @bad_momentum(%w: tensor<f32> {hetu.trainable}) -> tensor<f32> attributes {hetu.autodiff = {optimizer = "momentum", momentum = 1.5}} {
    return %w : tensor<f32>
  }
}

// -----

module {
  // expected-error @+1 {{'hetu.update_ctx' on argument 0 needs {hetu.trainable}: it places the update hetu-autodiff writes for a parameter}}
  func.func @update_ctx_data(%x: tensor<f32> {hetu.update_ctx = #hetu.group<"gpu:0">}) -> tensor<f32> {
    return %x : tensor<f32>
  }
}
