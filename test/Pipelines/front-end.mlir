// hetu-front-end: a placed forward loss -> one training-step program per
// rank, the same IR as its passes run one by one, in the documented order.
// RUN: hetu-opt %s --hetu-front-end="autodiff=true optimizer=momentum lr=0.5 momentum=0.8 rank=1" | FileCheck %s
// RUN: hetu-opt %s --pass-pipeline="builtin.module(hetu-autodiff{optimizer=momentum lr=0.5 momentum=0.8},hetu-deduce-strategy,func.func(hetu-decompose-aggregates),hetu-pipeline-schedule,hetu-grad-sync,hetu-infer-states,hetu-partition{rank=1})" > %t.passes.mlir
// RUN: hetu-opt %s --hetu-front-end="autodiff=true optimizer=momentum lr=0.5 momentum=0.8 rank=1" > %t.pipeline.mlir
// RUN: diff %t.passes.mlir %t.pipeline.mlir
// RUN: hetu-opt %s --hetu-front-end="partition=false" | FileCheck %s --check-prefix=STATES
// RUN: echo "module {}" | hetu-opt --hetu-front-end="autodiff=true schedule=1f1b reduce=sum" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=ORDER
// RUN: not hetu-opt %s --hetu-front-end="optimizer=adagrad" 2>&1 | FileCheck %s --check-prefix=BADOPT
// RUN: not hetu-opt %s --hetu-front-end="rank=2" 2>&1 | FileCheck %s --check-prefix=BADRANK

// Rank 1 of two replicas: its replica's batch, the gradient averaged over
// the replicas, the momentum update with its velocity.
// CHECK: module attributes {{{.*}}hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]
// CHECK-NOT: func.func @loss__rank0
// CHECK: func.func @loss__rank1(%{{.*}}: tensor<4x8xf32> {hetu.slice = #hetu.slice<index = {{[0-9]+}}, replica = 1
// CHECK-SAME: -> (tensor<8x2xf32> {hetu.slice
// CHECK: hetu.all_reduce <mean>
// CHECK: hetu.momentum
// CHECK-SAME: lr 5.000000e-01 momentum 8.000000e-01

// Without the partition: the states of every value, no rank programs, no
// training step.
// STATES: hetu.states
// STATES-NOT: __rank
// STATES-NOT: hetu.momentum

// ORDER: builtin.module(
// ORDER-NEXT: hetu-autodiff{{.*}}optimizer=sgd
// ORDER-NEXT: hetu-deduce-strategy
// ORDER-NEXT: func.func(
// ORDER-NEXT: hetu-decompose-aggregates
// ORDER-NEXT: ),
// ORDER-NEXT: hetu-pipeline-schedule{micro-batches=0 schedule=1f1b}
// ORDER-NEXT: hetu-grad-sync{reduce=sum}
// ORDER-NEXT: hetu-infer-states
// ORDER-NEXT: hetu-partition{rank=-1}
// ORDER-NEXT: )

// BADOPT: for the --optimizer option: Cannot find option named 'adagrad'!
// BADRANK: error: rank=2 is out of range: the module has 2 ranks

module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @loss(%x: tensor<4x8xf32>, %w: tensor<8x2xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4x2xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
    %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x2xf32>) outs(%z : tensor<4x2xf32>) -> tensor<4x2xf32>
    %s = tensor.empty() : tensor<f32>
    %s0 = linalg.fill ins(%zero : f32) outs(%s : tensor<f32>) -> tensor<f32>
    %l = linalg.reduce ins(%y : tensor<4x2xf32>) outs(%s0 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %a = arith.addf %in, %acc : f32
        linalg.yield %a : f32
      }
    return %l : tensor<f32>
  }
}
