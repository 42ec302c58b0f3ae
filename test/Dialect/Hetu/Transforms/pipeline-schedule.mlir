// RUN: hetu-opt %s -split-input-file "-hetu-pipeline-schedule=micro-batches=3 schedule=gpipe" | FileCheck %s --check-prefix=GPIPE
// RUN: hetu-opt %s -split-input-file "-hetu-pipeline-schedule=micro-batches=3 schedule=1f1b" | FileCheck %s --check-prefix=ONEF
// RUN: hetu-opt %s -split-input-file "-hetu-pipeline-schedule=micro-batches=3 schedule=1f1b" -hetu-deduce-strategy -hetu-infer-states -hetu-partition=rank=0 | FileCheck %s --check-prefix=RANK0
// RUN: hetu-opt %s -split-input-file -hetu-pipeline-schedule | FileCheck %s --check-prefix=ATTRS

// Two stages: the forward matmul on gpu:0, the loss on gpu:1, its gradient
// back to gpu:0 (dispatch_gradient) for the weight's gradient. Each
// micro-batch is 2 of the 6 rows; the weight's gradient and the loss are
// summed over the micro-batches, and the update runs once.

// GPIPE-LABEL: func.func @step
// GPIPE: %[[X0:.*]] = tensor.extract_slice %arg0[0, 0] [2, 2] [1, 1] {hetu.ctx = #hetu.group<"gpu:0">, hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<forward>, hetu.stage = 0 : i64} : tensor<6x2xf32> to tensor<2x2xf32>
// GPIPE: linalg.matmul {hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<forward>, hetu.stage = 0 : i64} ins(%[[X0]], %arg1 : tensor<2x2xf32>, tensor<2x2xf32>)
// The loss of each micro-batch (stage 1, one tick behind stage 0), summed as
// they come.
// GPIPE: %[[L0:.*]] = linalg.reduce
// GPIPE: linalg.matmul {hetu.micro_batch = 1 : i64, hetu.phase = #hetu.phase<forward>
// GPIPE: %[[L1:.*]] = linalg.reduce
// GPIPE: %[[LS1:.*]] = arith.addf %[[L0]], %[[L1]] {hetu.ctx = #hetu.group<"gpu:1">, hetu.micro_batch = 1
// GPIPE: linalg.matmul {hetu.micro_batch = 2 : i64, hetu.phase = #hetu.phase<forward>
// GPIPE: %[[L2:.*]] = linalg.reduce
// GPIPE: %[[LOSS:.*]] = arith.addf %[[LS1]], %[[L2]]
// Every forward before any backward.
// GPIPE: %[[G0:.*]] = linalg.matmul {hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<backward>, hetu.stage = 0 : i64}
// GPIPE: %[[G1:.*]] = linalg.matmul {hetu.micro_batch = 1 : i64, hetu.phase = #hetu.phase<backward>
// GPIPE: %[[GS1:.*]] = arith.addf %[[G0]], %[[G1]] {hetu.ctx = #hetu.group<"gpu:0">
// GPIPE: %[[G2:.*]] = linalg.matmul {hetu.micro_batch = 2 : i64, hetu.phase = #hetu.phase<backward>
// GPIPE: %[[GRAD:.*]] = arith.addf %[[GS1]], %[[G2]]
// GPIPE: %[[NEW:.*]] = hetu.sgd %arg1, %[[GRAD]] lr
// GPIPE: return %[[NEW]], %[[LOSS]]

// 1F1B: stage 0 runs one forward ahead (stages - stage - 1 = 1), then
// alternates.
// ONEF-LABEL: func.func @step
// ONEF: linalg.matmul {hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<forward>, hetu.stage = 0
// ONEF: linalg.matmul {hetu.micro_batch = 1 : i64, hetu.phase = #hetu.phase<forward>, hetu.stage = 0
// ONEF: linalg.matmul {hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<backward>, hetu.stage = 0
// ONEF: linalg.matmul {hetu.micro_batch = 2 : i64, hetu.phase = #hetu.phase<forward>, hetu.stage = 0
// ONEF: linalg.matmul {hetu.micro_batch = 1 : i64, hetu.phase = #hetu.phase<backward>, hetu.stage = 0
// ONEF: linalg.matmul {hetu.micro_batch = 2 : i64, hetu.phase = #hetu.phase<backward>, hetu.stage = 0
// ONEF: hetu.sgd

// Rank 0's program is that order, with its sends and receives in place:
// each forward activation leaves right after it is computed.
// RANK0-LABEL: func.func @step__rank0
// RANK0: %[[F0:.*]] = linalg.matmul {hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<forward>
// RANK0-NEXT: hetu.send %[[F0]] to #hetu.device<"gpu:1">
// RANK0: %[[F1:.*]] = linalg.matmul {hetu.micro_batch = 1 : i64, hetu.phase = #hetu.phase<forward>
// RANK0-NEXT: hetu.send %[[F1]] to #hetu.device<"gpu:1">
// RANK0-NEXT: %[[D0:.*]] = hetu.recv from #hetu.device<"gpu:1">
// RANK0: linalg.matmul {hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<backward>{{.*}}ins(%{{.*}}, %[[D0]] :
// RANK0: %[[F2:.*]] = linalg.matmul {hetu.micro_batch = 2 : i64, hetu.phase = #hetu.phase<forward>
// RANK0-NEXT: hetu.send %[[F2]] to #hetu.device<"gpu:1">
// RANK0-NEXT: hetu.recv from #hetu.device<"gpu:1">
// RANK0: linalg.matmul {hetu.micro_batch = 1 : i64, hetu.phase = #hetu.phase<backward>
// RANK0: hetu.recv from #hetu.device<"gpu:1">
// RANK0: linalg.matmul {hetu.micro_batch = 2 : i64, hetu.phase = #hetu.phase<backward>
// RANK0: hetu.sgd

// Without options, only functions marked hetu.micro_batches are scheduled.
// ATTRS-LABEL: func.func @step
// ATTRS-NOT: hetu.micro_batch
// ATTRS: return
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @step(%x: tensor<6x2xf32>, %w: tensor<2x2xf32> {hetu.trainable}) -> (tensor<2x2xf32> {hetu.updates = 1}, tensor<f32>) {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<6x2xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<6x2xf32>) -> tensor<6x2xf32>
    %y = linalg.matmul ins(%x, %w : tensor<6x2xf32>, tensor<2x2xf32>) outs(%z : tensor<6x2xf32>) -> tensor<6x2xf32>
    %yd = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:1"> : tensor<6x2xf32>
    %sq = arith.mulf %yd, %yd {hetu.ctx = #hetu.group<"gpu:1">} : tensor<6x2xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %loss = linalg.reduce ins(%sq : tensor<6x2xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %a = arith.addf %in, %acc : f32
        linalg.yield %a : f32
      }
    %two = arith.constant dense<2.0> : tensor<6x2xf32>
    %dy = arith.mulf %yd, %two {hetu.ctx = #hetu.group<"gpu:1">} : tensor<6x2xf32>
    %dyg = hetu.dispatch_gradient %dy like %y : tensor<6x2xf32>
    %et = tensor.empty() : tensor<2x6xf32>
    %xt = linalg.transpose ins(%x : tensor<6x2xf32>) outs(%et : tensor<2x6xf32>) permutation = [1, 0]
    %e2 = tensor.empty() : tensor<2x2xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
    %dw = linalg.matmul ins(%xt, %dyg : tensor<2x6xf32>, tensor<6x2xf32>) outs(%z2 : tensor<2x2xf32>) -> tensor<2x2xf32>
    %wn = hetu.sgd %w, %dw lr 0.1 : tensor<2x2xf32>
    return %wn, %loss : tensor<2x2xf32>, tensor<f32>
  }
}

// -----

// The function's own attributes choose the schedule; they are consumed.
// ATTRS-LABEL: func.func @marked
// ATTRS-NOT: hetu.schedule
// ATTRS: linalg.matmul {hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<forward>, hetu.stage = 0
// ATTRS: linalg.matmul {hetu.micro_batch = 1 : i64, hetu.phase = #hetu.phase<forward>, hetu.stage = 0
// ATTRS: linalg.matmul {hetu.micro_batch = 0 : i64, hetu.phase = #hetu.phase<backward>, hetu.stage = 0
// GPIPE-LABEL: func.func @marked
// ONEF-LABEL: func.func @marked
// RANK0-LABEL: func.func @marked__rank0
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @marked(%x: tensor<6x2xf32>, %w: tensor<2x2xf32> {hetu.trainable}) -> (tensor<2x2xf32> {hetu.updates = 1}, tensor<f32>) attributes {hetu.micro_batches = 3 : i64, hetu.schedule = #hetu.schedule<"1f1b">} {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<6x2xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<6x2xf32>) -> tensor<6x2xf32>
    %y = linalg.matmul ins(%x, %w : tensor<6x2xf32>, tensor<2x2xf32>) outs(%z : tensor<6x2xf32>) -> tensor<6x2xf32>
    %yd = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:1"> : tensor<6x2xf32>
    %sq = arith.mulf %yd, %yd {hetu.ctx = #hetu.group<"gpu:1">} : tensor<6x2xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %loss = linalg.reduce ins(%sq : tensor<6x2xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %a = arith.addf %in, %acc : f32
        linalg.yield %a : f32
      }
    %two = arith.constant dense<2.0> : tensor<6x2xf32>
    %dy = arith.mulf %yd, %two {hetu.ctx = #hetu.group<"gpu:1">} : tensor<6x2xf32>
    %dyg = hetu.dispatch_gradient %dy like %y : tensor<6x2xf32>
    %et = tensor.empty() : tensor<2x6xf32>
    %xt = linalg.transpose ins(%x : tensor<6x2xf32>) outs(%et : tensor<2x6xf32>) permutation = [1, 0]
    %e2 = tensor.empty() : tensor<2x2xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
    %dw = linalg.matmul ins(%xt, %dyg : tensor<2x6xf32>, tensor<6x2xf32>) outs(%z2 : tensor<2x2xf32>) -> tensor<2x2xf32>
    %wn = hetu.sgd %w, %dw lr 0.1 : tensor<2x2xf32>
    return %wn, %loss : tensor<2x2xf32>, tensor<f32>
  }
}

// -----

// Reshapes of per-example values are re-typed per micro-batch: the
// micro-batch shrinks the outermost dimension of the reshaped group.
// GPIPE-LABEL: func.func @reshapes
// GPIPE: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [1, 2, 2] {{.*}}hetu.micro_batch = 0 {{.*}} : tensor<2x2xf32> into tensor<1x2x2xf32>
// GPIPE: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] {{.*}}hetu.micro_batch = 0 {{.*}} : tensor<1x2x2xf32> into tensor<1x4xf32>
// GPIPE: tensor.expand_shape %{{.*}} {{.*}}hetu.micro_batch = 2 {{.*}} : tensor<2x2xf32> into tensor<1x2x2xf32>
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @reshapes(%x: tensor<6x2xf32>) -> tensor<f32> {
    %y = arith.mulf %x, %x : tensor<6x2xf32>
    %e = tensor.expand_shape %y [[0, 1], [2]] output_shape [3, 2, 2] : tensor<6x2xf32> into tensor<3x2x2xf32>
    %c = tensor.collapse_shape %e [[0], [1, 2]] : tensor<3x2x2xf32> into tensor<3x4xf32>
    %d = hetu.dispatch %c to #hetu.states<[1, 1]> on #hetu.group<"gpu:1"> : tensor<3x4xf32>
    %zero = arith.constant 0.0 : f32
    %e0 = tensor.empty() : tensor<f32>
    %z = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%d : tensor<3x4xf32>) outs(%z : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %a = arith.addf %in, %acc : f32
        linalg.yield %a : f32
      }
    return %s : tensor<f32>
  }
}
