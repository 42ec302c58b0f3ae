// RUN: hetu-opt %s -split-input-file -hetu-autodiff="optimizer=sgd lr=0.1" | FileCheck %s
// RUN: hetu-opt %s -split-input-file -hetu-autodiff="optimizer=none" | FileCheck %s --check-prefix=NONE
// RUN: hetu-opt %s -split-input-file -hetu-autodiff="optimizer=momentum lr=0.05 momentum=0.8" | FileCheck %s --check-prefix=MOM
// RUN: hetu-opt %s -split-input-file -hetu-autodiff="optimizer=adam lr=0.001 weight-decay=0.5" | FileCheck %s --check-prefix=ADAM
// RUN: hetu-opt %s -split-input-file -hetu-autodiff="optimizer=adamw lr=0.001 beta1=0.8 beta2=0.99 eps=1e-6 weight-decay=0.5" | FileCheck %s --check-prefix=ADAMW

// A matmul and a mean-squared loss. The adjoint of a plain matmul's operand
// is a matmul with the other operand transposed; the loss's sum gives a
// broadcast.
// CHECK-DAG: #[[BCAST:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mse
// CHECK-SAME: (%[[X:.*]]: tensor<8x16xf32>, %[[T:.*]]: tensor<8x4xf32>, %[[W:.*]]: tensor<16x4xf32> {hetu.trainable})
// CHECK-SAME: -> (tensor<16x4xf32> {hetu.updates = 2 : i64}, tensor<f32>)
// CHECK: %[[Y:.*]] = linalg.matmul
// CHECK: %[[D:.*]] = arith.subf %[[Y]], %[[T]]
// CHECK: %[[LOSS:.*]] = arith.mulf %{{.*}}, %[[SCALE:.*]] : tensor<f32>
// The seed 1 is not multiplied: the sum's adjoint is the scale itself.
// CHECK: %[[DSQ:.*]] = linalg.generic {indexing_maps = [#[[BCAST]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[SCALE]] : tensor<f32>)
// CHECK: %[[A1:.*]] = arith.mulf %[[DSQ]], %[[D]]
// CHECK: %[[A2:.*]] = arith.mulf %[[DSQ]], %[[D]]
// CHECK: %[[DD:.*]] = arith.addf %[[A1]], %[[A2]]
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<8x16xf32>) outs(%{{.*}} : tensor<16x8xf32>) permutation = [1, 0]
// CHECK: %[[DW:.*]] = linalg.matmul ins(%[[XT]], %[[DD]] : tensor<16x8xf32>, tensor<8x4xf32>)
// CHECK: %[[NEW:.*]] = hetu.sgd %[[W]], %[[DW]] lr 1.000000e-01 : tensor<16x4xf32>
// CHECK: return %[[NEW]], %[[LOSS]]

// optimizer=none: the original results, then the gradients.
// NONE-LABEL: func.func @mse
// NONE-SAME: -> (tensor<f32>, tensor<16x4xf32>)
// NONE-NOT: hetu.sgd
// NONE: %[[DW:.*]] = linalg.matmul {{.*}} outs(%{{.*}} : tensor<16x4xf32>)
// NONE: return %{{.*}}, %[[DW]] : tensor<f32>, tensor<16x4xf32>

// Momentum: a velocity per parameter, a new argument that starts at zero.
// MOM-LABEL: func.func @mse
// MOM-SAME: %[[W:arg[0-9]+]]: tensor<16x4xf32> {hetu.trainable}, %[[V:arg[0-9]+]]: tensor<16x4xf32> {hetu.zero_init}
// MOM-SAME: -> (tensor<16x4xf32> {hetu.updates = 2 : i64}, tensor<16x4xf32> {hetu.updates = 3 : i64}, tensor<f32>)
// MOM: %[[NEW:.*]], %[[VNEW:.*]] = hetu.momentum %[[W]], %{{.*}}, %[[V]] lr 5.000000e-02 momentum 8.000000e-01
// MOM: return %[[NEW]], %[[VNEW]], %{{.*}} :

// Adam: two moments per parameter and one step count, all starting at zero;
// the count comes back incremented. weight-decay is L2 on the gradient.
// ADAM-LABEL: func.func @mse
// ADAM-SAME: %[[W:arg[0-9]+]]: tensor<16x4xf32> {hetu.trainable}, %[[M:arg[0-9]+]]: tensor<16x4xf32> {hetu.zero_init}, %[[V:arg[0-9]+]]: tensor<16x4xf32> {hetu.zero_init}, %[[T:arg[0-9]+]]: tensor<f32> {hetu.zero_init})
// ADAM-SAME: -> (tensor<16x4xf32> {hetu.updates = 2 : i64}, tensor<16x4xf32> {hetu.updates = 3 : i64}, tensor<16x4xf32> {hetu.updates = 4 : i64}, tensor<f32> {hetu.updates = 5 : i64}, tensor<f32>)
// ADAM: %[[DW:.*]] = linalg.matmul {{.*}} outs(%{{.*}} : tensor<16x4xf32>)
// ADAM: %[[L2:.*]] = arith.mulf %[[W]], %{{.*}} : tensor<16x4xf32>
// ADAM: %[[G:.*]] = arith.addf %[[DW]], %[[L2]] : tensor<16x4xf32>
// ADAM: %[[NEW:.*]], %[[MN:.*]], %[[VN:.*]] = hetu.adam %[[W]], %[[G]], %[[M]], %[[V]] step %[[T]] lr 1.000000e-03 beta1 9.000000e-01 beta2 {{.*}} eps 1.000000e-08
// ADAM: %[[TN:.*]] = arith.addf %[[T]], %{{.*}} : tensor<f32>
// ADAM: return %[[NEW]], %[[MN]], %[[VN]], %[[TN]], %{{.*}} :
// AdamW: the decay is the op's, not the gradient's.
// ADAMW-LABEL: func.func @mse
// ADAMW: %[[DW:.*]] = linalg.matmul {{.*}} outs(%{{.*}} : tensor<16x4xf32>)
// ADAMW-NOT: arith.addf %[[DW]]
// ADAMW: hetu.adamw %{{.*}}, %[[DW]], {{.*}} lr 1.000000e-03 beta1 8.000000e-01 beta2 {{.*}} eps {{.*}} weight_decay 5.000000e-01
module {
  func.func @mse(%x: tensor<8x16xf32>, %t: tensor<8x4xf32>, %w: tensor<16x4xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<8x4xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<8x4xf32>) -> tensor<8x4xf32>
    %y = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%z : tensor<8x4xf32>) -> tensor<8x4xf32>
    %d = arith.subf %y, %t : tensor<8x4xf32>
    %sq = arith.mulf %d, %d : tensor<8x4xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%sq : tensor<8x4xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    %scale = arith.constant dense<0.03125> : tensor<f32>
    %l = arith.mulf %s, %scale : tensor<f32>
    return %l : tensor<f32>
  }
}

// -----

// Placement: backward ops run where their forward op runs; the adjoint of a
// dispatch is a dispatch_gradient like the dispatched value, so the
// parameter's gradient comes back in the parameter's states.
// CHECK-LABEL: func.func @placed
// CHECK-SAME: %[[W:arg1]]: tensor<4x2xf32> {hetu.trainable}
// CHECK: %[[WD:.*]] = hetu.dispatch %[[W]] to #hetu.states<[2, 1]>
// CHECK: %[[Y:.*]] = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">}
// CHECK: %[[TANH:.*]] = math.tanh %[[Y]]
// CHECK: hetu.dispatch_gradient %{{.*}} like %[[TANH]] : tensor<6x2xf32>
// The adjoint of the tanh, on the tuple.
// CHECK: arith.mulf %{{.*}}, %{{.*}} {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} : tensor<6x2xf32>
// CHECK: %[[GW:.*]] = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">}
// CHECK: %[[GB:.*]] = hetu.dispatch_gradient %[[GW]] like %[[W]] : tensor<4x2xf32>
// CHECK: hetu.sgd %[[W]], %[[GB]]
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @placed(%x: tensor<6x4xf32>, %w: tensor<4x2xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %xd = hetu.dispatch %x to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<6x4xf32>
    %wd = hetu.dispatch %w to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<4x2xf32>
    %e = tensor.empty() : tensor<6x2xf32>
    %z = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} ins(%zero : f32) outs(%e : tensor<6x2xf32>) -> tensor<6x2xf32>
    %y = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} ins(%xd, %wd : tensor<6x4xf32>, tensor<4x2xf32>) outs(%z : tensor<6x2xf32>) -> tensor<6x2xf32>
    %t = math.tanh %y {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} : tensor<6x2xf32>
    %a = hetu.dispatch %t to #hetu.states<[1, 1]> on #hetu.group<"gpu:0"> : tensor<6x2xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%a : tensor<6x2xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// A max reduction routes the gradient to the elements equal to the maximum;
// hetu.autodiff on the function overrides the pass's options.
// CHECK-LABEL: func.func @rowmax
// CHECK-SAME: -> (tensor<3x5xf32> {hetu.updates = 0 : i64}, tensor<f32>)
// CHECK: %[[M:.*]] = linalg.reduce
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[M]], %{{.*}} : tensor<3x5xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: arith.cmpf oeq
// CHECK: arith.select
// CHECK: hetu.sgd %arg0, %{{.*}} lr 5.000000e-01
// CHECK-NOT: hetu.autodiff
module {
  func.func @rowmax(%w: tensor<3x5xf32> {hetu.trainable}) -> tensor<f32> attributes {hetu.autodiff = {optimizer = "sgd", lr = 0.5}} {
    %ninf = arith.constant 0xFF800000 : f32
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<3xf32>
    %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
    %m = linalg.reduce ins(%w : tensor<3x5xf32>) outs(%f : tensor<3xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %mx = arith.maximumf %in, %acc : f32
        linalg.yield %mx : f32
      }
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%m : tensor<3xf32>) outs(%z0 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// Reshapes and slices: the adjoint of an expand_shape is a collapse_shape,
// of an extract_slice an insert_slice into zeros, of a concat its slices, of
// a pad the slice it padded.
// CHECK-LABEL: func.func @shapes
// CHECK: %[[C:.*]] = tensor.concat dim(0)
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [2, 3] [1, 1] : tensor<4x3xf32> to tensor<2x3xf32>
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [1, 2, 3] [1, 1, 1] : tensor<2x3xf32> into tensor<2x2x3xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x2x3xf32> into tensor<4x3xf32>
// CHECK: hetu.sgd
// CHECK-LABEL: func.func @pad
// CHECK: tensor.extract_slice %{{.*}}[1, 2] [2, 3] [1, 1] : tensor<4x6xf32> to tensor<2x3xf32>
module {
  func.func @shapes(%w: tensor<4x3xf32> {hetu.trainable}, %x: tensor<2x3xf32>) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %ex = tensor.expand_shape %w [[0, 1], [2]] output_shape [2, 2, 3] : tensor<4x3xf32> into tensor<2x2x3xf32>
    %sl = tensor.extract_slice %ex[0, 0, 0] [1, 2, 3] [1, 1, 1] : tensor<2x2x3xf32> to tensor<2x3xf32>
    %c = tensor.concat dim(0) %sl, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
    %sq = arith.mulf %c, %c : tensor<4x3xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%sq : tensor<4x3xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
  func.func @pad(%w: tensor<2x3xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %p = tensor.pad %w low[1, 2] high[1, 1] {
    ^bb0(%i: index, %j: index):
      tensor.yield %zero : f32
    } : tensor<2x3xf32> to tensor<4x6xf32>
    %sq = arith.mulf %p, %p : tensor<4x6xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%sq : tensor<4x6xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// linalg.softmax is decomposed first, then differentiated as generics.
// CHECK-LABEL: func.func @softmax
// CHECK-NOT: linalg.softmax
// CHECK: math.exp
// CHECK: hetu.sgd
module {
  func.func @softmax(%w: tensor<2x5xf32> {hetu.trainable}, %t: tensor<2x5xf32>) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<2x5xf32>
    %p = linalg.softmax dimension(1) ins(%w : tensor<2x5xf32>) outs(%e : tensor<2x5xf32>) -> tensor<2x5xf32>
    %m = arith.mulf %p, %t : tensor<2x5xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%m : tensor<2x5xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// Functions without trainable arguments and training steps are left alone.
// CHECK-LABEL: func.func @inference
// CHECK-SAME: -> tensor<f32>
// CHECK-LABEL: func.func @step
// CHECK-SAME: -> (tensor<4xf32> {hetu.updates = 0 : i64})
// CHECK-NOT: linalg.generic
module {
  func.func @inference(%x: tensor<4xf32>) -> tensor<f32> {
    %c = arith.constant dense<1.0> : tensor<f32>
    return %c : tensor<f32>
  }
  func.func @step(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>) -> (tensor<4xf32> {hetu.updates = 0}) {
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4xf32>
    return %n : tensor<4xf32>
  }
}

// -----

// The adjoint of a value used twice is summed where the value lives: for a
// dispatch without `on`, on its users' group (not the default one), so the
// backward work of the last stage stays on it.
// CHECK-LABEL: func.func @dispatch_twice
// CHECK: %[[Y:.*]] = hetu.dispatch
// CHECK: arith.addf %{{.*}}, %{{.*}} {hetu.ctx = #hetu.group<"gpu:1,gpu:3">} : tensor<4x2xf32>
// CHECK: hetu.dispatch_gradient %{{.*}} like %arg0
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:2">} {
  func.func @dispatch_twice(%w: tensor<4x2xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %y = hetu.dispatch %w to #hetu.states<[1, 1]> : tensor<4x2xf32>
    %sq = arith.mulf %y, %y {hetu.ctx = #hetu.group<"gpu:1,gpu:3">} : tensor<4x2xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1,gpu:3">} ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%sq : tensor<4x2xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:1,gpu:3">}
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    %l = hetu.dispatch %s to #hetu.states<[]> : tensor<f32>
    return %l : tensor<f32>
  }
}

// -----

// A contraction without a named rule (a matmul with user-defined maps): the
// adjoint of each operand is a generic over the same loops, summing the loop
// the operand does not index, whose payload is the scalar adjoint.
// CHECK-DAG: #[[MK:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[NK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @contraction
// CHECK: %[[DW:.*]] = linalg.generic {indexing_maps = [#[[MK]], #[[MN]], #[[NK]]], iterator_types = ["reduction", "parallel", "parallel"]} ins(%arg0, %{{.*}} : tensor<3x5xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<4x5xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[G:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[G]], %[[IN]] : f32
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[S]]
// CHECK: hetu.sgd %arg1, %[[DW]]
module {
  func.func @contraction(%x: tensor<3x5xf32>, %w: tensor<4x5xf32> {hetu.trainable}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<3x4xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
    %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
           ins(%x, %w : tensor<3x5xf32>, tensor<4x5xf32>) outs(%f : tensor<3x4xf32>) -> tensor<3x4xf32>
    %sq = arith.mulf %y, %y : tensor<3x4xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%sq : tensor<3x4xf32>) outs(%z0 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}

// -----

// hetu.update_ctx places a parameter's update (Hetu's hybrid: on the
// workers alone while the default group has a server).
// CHECK-LABEL: func.func @hybrid
// CHECK: hetu.sgd %arg0, %{{.*}} lr {{.*}} : tensor<4xf32>
// CHECK-NOT: hetu.ctx
// CHECK: hetu.sgd %arg1, %{{.*}} lr {{.*}} {hetu.ctx = #hetu.group<"gpu:0,gpu:1">} : tensor<4xf32>
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @hybrid(%a: tensor<4xf32> {hetu.trainable}, %b: tensor<4xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %p = arith.mulf %a, %b : tensor<4xf32>
    %e0 = tensor.empty() : tensor<f32>
    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%p : tensor<4xf32>) outs(%z0 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}
