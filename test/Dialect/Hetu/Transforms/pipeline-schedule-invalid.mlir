// RUN: hetu-opt %s -split-input-file "-hetu-pipeline-schedule=micro-batches=2" -verify-diagnostics
// RUN: echo 'module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} { func.func @unmarked() { return } }' | not hetu-opt - "-hetu-pipeline-schedule=schedule=1f1b" 2>&1 | FileCheck %s --check-prefix=NOCOUNT
// NOCOUNT: hetu-pipeline-schedule: schedule=1f1b needs micro-batches (the option, or hetu.micro_batches on @unmarked)
// RUN: echo "module {}" | not hetu-opt - "-hetu-pipeline-schedule=micro-batches=2 schedule=zigzag" 2>&1 | FileCheck %s --check-prefix=SCHEDULE
// RUN: echo "module {}" | not hetu-opt - "-hetu-pipeline-schedule=micro-batches=-1" 2>&1 | FileCheck %s --check-prefix=COUNT
// SCHEDULE: for the --schedule option: Cannot find option named 'zigzag'!
// COUNT: hetu-pipeline-schedule: micro-batches must be positive, got -1

// A schedule needs pipeline stages.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  // expected-error @+1 {{hetu-pipeline-schedule: @one_stage has no pipeline stages: all its forward and backward work runs on the devices of one group}}
  func.func @one_stage(%x: tensor<4x2xf32>, %w: tensor<4x2xf32> {hetu.trainable}) -> (tensor<4x2xf32> {hetu.updates = 1}) {
    %g = arith.mulf %x, %w : tensor<4x2xf32>
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4x2xf32>
    return %n : tensor<4x2xf32>
  }
}

// -----

// Groups that share a device are one stage.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  // expected-error @+1 {{has no pipeline stages}}
  func.func @overlapping(%x: tensor<4x2xf32>, %w: tensor<4x2xf32> {hetu.trainable}) -> (tensor<4x2xf32> {hetu.updates = 1}) {
    %y = arith.mulf %x, %x {hetu.ctx = #hetu.group<"gpu:1,gpu:0">} : tensor<4x2xf32>
    %g = arith.mulf %y, %x : tensor<4x2xf32>
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4x2xf32>
    return %n : tensor<4x2xf32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  // expected-error @+1 {{hetu-pipeline-schedule: data argument #0 has a batch of 5, which 2 micro-batches do not divide}}
  func.func @batch(%x: tensor<5x2xf32>) -> tensor<5x2xf32> {
    %y = arith.mulf %x, %x {hetu.ctx = #hetu.group<"gpu:1">} : tensor<5x2xf32>
    return %y : tensor<5x2xf32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  // expected-error @+1 {{hetu-pipeline-schedule: @no_data has no data argument (not hetu.trainable, not updated) to split into micro-batches}}
  func.func @no_data(%w: tensor<4xf32> {hetu.trainable}) -> tensor<4xf32> {
    %y = arith.mulf %w, %w {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4xf32>
    return %y : tensor<4xf32>
  }
}

// -----

// A per-example value cannot leave the micro-batches.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @per_example(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %y = arith.mulf %x, %x : tensor<4x2xf32>
    // expected-error @+1 {{hetu-pipeline-schedule: result #0 leaves the micro-batches but is per-example (type 'tensor<2x2xf32>' per micro-batch, 'tensor<4x2xf32>' per batch); only sums over the batch (gradients, losses) may leave}}
    %z = arith.addf %y, %y {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2xf32>
    return %z : tensor<4x2xf32>
  }
}

// -----

// A reshape whose groups the micro-batch would cut.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @reshape(%x: tensor<4x2xf32>) -> tensor<f32> {
    %y = arith.mulf %x, %x {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2xf32>
    // expected-error @+1 {{hetu-pipeline-schedule: a micro-batch of 2 rows does not fill whole groups of 4 in dimension 0 of the reshape}}
    %c = tensor.expand_shape %y [[0, 1], [2]] output_shape [1, 4, 2] : tensor<4x2xf32> into tensor<1x4x2xf32>
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<f32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%c : tensor<1x4x2xf32>) outs(%z : tensor<f32>) dimensions = [0, 1, 2]
      (%in: f32, %acc: f32) {
        %a = arith.addf %in, %acc : f32
        linalg.yield %a : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// A batch-shaped operand that is not a splat constant or an init cannot be
// resized to the micro-batch.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @batch_shaped_weight(%x: tensor<4x2xf32>, %w: tensor<4x2xf32> {hetu.trainable}) -> (tensor<4x2xf32> {hetu.updates = 1}) {
    %y = arith.mulf %x, %x {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2xf32>
    // expected-error @+1 {{hetu-pipeline-schedule: an operand of type 'tensor<4x2xf32>' needs the micro-batch's type 'tensor<2x2xf32>', but it is neither a splat constant, a fill of an empty tensor nor work on them}}
    %g = arith.mulf %y, %w : tensor<4x2xf32>
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4x2xf32>
    return %n : tensor<4x2xf32>
  }
}

// -----

// Forward data that flows back to an earlier stage cannot be pipelined.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  // expected-error @+1 {{hetu-pipeline-schedule: the forward pass goes back and forth between stages; it cannot be pipelined}}
  func.func @loop_back(%x: tensor<4x2xf32>) -> tensor<f32> {
    %sq = arith.mulf %x, %x : tensor<4x2xf32>
    %y = arith.mulf %sq, %sq {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2xf32>
    %b = arith.addf %y, %sq : tensor<4x2xf32>
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<f32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%b : tensor<4x2xf32>) outs(%z : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %a = arith.addf %in, %acc : f32
        linalg.yield %a : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// Backward data that flows to a later stage is not scheduled: stage 1's
// backward runs before stage 0's.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @gradient_forward(%x: tensor<4x2xf32>) -> (tensor<f32>, tensor<2xf32>) {
    %a = arith.mulf %x, %x : tensor<4x2xf32>
    %b = arith.mulf %a, %a {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2xf32>
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<f32>
    %z = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
    %loss = linalg.reduce ins(%b : tensor<4x2xf32>) outs(%z : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    // expected-note @+1 {{value produced here}}
    %g0 = arith.addf %a, %a : tensor<4x2xf32>
    // expected-error @+1 {{hetu-pipeline-schedule: the 0th micro-batch's backward work of stage 1 uses a value of the backward work of stage 0, which the schedule runs later}}
    %g1 = arith.mulf %g0, %b {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2xf32>
    %e2 = tensor.empty() : tensor<2xf32>
    %z2 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%zero : f32) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
    %g = linalg.reduce ins(%g1 : tensor<4x2xf32>) outs(%z2 : tensor<2xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    return %loss, %g : tensor<f32>, tensor<2xf32>
  }
}

// -----

// A whole-batch value (here the batch's sum) used with the examples again
// would change per micro-batch.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @batch_statistic(%x: tensor<4x2xf32>) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<2xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
    %mean = linalg.reduce ins(%x : tensor<4x2xf32>) outs(%z : tensor<2xf32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    %e2 = tensor.empty() : tensor<4x2xf32>
    // expected-note @+1 {{whole-batch value produced here}}
    %m = linalg.broadcast ins(%mean : tensor<2xf32>) outs(%e2 : tensor<4x2xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    // expected-error @+1 {{hetu-pipeline-schedule: uses a value computed from the whole batch (a batch statistic or an updated parameter) together with the batch's examples; micro-batches would change it}}
    %c = arith.subf %x, %m {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2xf32>
    %e3 = tensor.empty() : tensor<f32>
    %z3 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%zero : f32) outs(%e3 : tensor<f32>) -> tensor<f32>
    %r = linalg.reduce ins(%c : tensor<4x2xf32>) outs(%z3 : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    return %r : tensor<f32>
  }
}

// -----

module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @states(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    // expected-error @+1 {{has 'hetu.states': run hetu-pipeline-schedule before hetu-infer-states}}
    %y = arith.mulf %x, %x {hetu.ctx = #hetu.group<"gpu:1">, hetu.states = [#hetu.states<[1, 1]>]} : tensor<4x2xf32>
    return %y : tensor<4x2xf32>
  }
}

// -----

// expected-error @+1 {{'hetu.micro_batches' must be a positive integer}}
func.func @bad_count(%x: tensor<4xf32>) attributes {hetu.micro_batches = 0 : i64} {
  return
}

// -----

// expected-error @+1 {{'hetu.schedule' must be #hetu.schedule<gpipe> or #hetu.schedule<"1f1b">}}
func.func @bad_schedule(%x: tensor<4xf32>) attributes {hetu.micro_batches = 2 : i64, hetu.schedule = "1f1b"} {
  return
}

// -----

// expected-error @+2 {{expected ::mlir::hetu::ScheduleKind to be one of: gpipe, 1f1b}}
// expected-error @+1 {{failed to parse Hetu_ScheduleKindAttr parameter 'value'}}
func.func @unknown_schedule(%x: tensor<4xf32>) attributes {hetu.micro_batches = 2 : i64, hetu.schedule = #hetu.schedule<interleaved>} {
  return
}

// -----

// expected-error @+1 {{'hetu.phase' must be #hetu.phase<forward> or #hetu.phase<backward>}}
%0 = arith.constant {hetu.phase = "forward"} 0 : i32

// -----

// expected-error @+2 {{expected ::mlir::hetu::PhaseKind to be one of: forward, backward}}
// expected-error @+1 {{failed to parse Hetu_PhaseKindAttr parameter 'value'}}
%0 = arith.constant {hetu.phase = #hetu.phase<sideways>} 0 : i32
