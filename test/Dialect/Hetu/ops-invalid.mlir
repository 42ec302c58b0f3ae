// RUN: hetu-opt %s -split-input-file -verify-diagnostics

func.func @rank_mismatch(%x: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'hetu.dispatch' op states #hetu.states<[2]> have rank 1, but the tensor has rank 2}}
  %0 = hetu.dispatch %x to #hetu.states<[2]> : tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

func.func @not_divisible(%x: tensor<16x30xf32>) -> tensor<16x30xf32> {
  // expected-error @+1 {{'hetu.dispatch' op dimension 1 of size 30 is not divisible by its split count 4}}
  %0 = hetu.dispatch %x to #hetu.states<[1, 4]> : tensor<16x30xf32>
  return %0 : tensor<16x30xf32>
}

// -----

func.func @device_count(%x: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'hetu.dispatch' op states #hetu.states<[2, 1], duplicate = 2> describe 4 devices, but each worker of "(gpu:1,gpu:2)" has 2}}
  %0 = hetu.dispatch %x to #hetu.states<[2, 1], duplicate = 2> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

func.func @single_device_worker(%x: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{describe 2 devices, but each worker of "gpu:1,gpu:2" has 1}}
  %0 = hetu.dispatch %x to #hetu.states<[2, 1]> on #hetu.group<"gpu:1,gpu:2"> : tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

func.func @mixed_workers(%x: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{target group "(gpu:1,gpu:2),gpu:3" mixes workers of different sizes}}
  %0 = hetu.dispatch %x to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2);gpu:3"> : tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

func.func @no_workers(%x: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{target group "cpu:0" has no workers}}
  %0 = hetu.dispatch %x to #hetu.states<[1, 1]> on #hetu.group<"cpu:0"> : tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

func.func @not_states(%x: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{expected #hetu.states attribute, got #hetu.device<"gpu:0">}}
  %0 = hetu.dispatch %x to #hetu.device<"gpu:0"> : tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

func.func @gradient_type(%g: tensor<4xf32>, %x: tensor<8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.dispatch_gradient' op failed to verify that all of {grad, forward, result} have same type}}
  %0 = "hetu.dispatch_gradient"(%g, %x) : (tensor<4xf32>, tensor<8xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @tag(%x: tensor<4xf32>) {
  // expected-error @+1 {{'hetu.send' op tag must be non-negative, got -1}}
  hetu.send %x to #hetu.device<"gpu:1"> : tensor<4xf32> {tag = -1}
  return
}

// -----

func.func @recv_tag() -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.recv' op tag must be non-negative, got -5}}
  %0 = hetu.recv from #hetu.device<"gpu:1"> : tensor<4xf32> {tag = -5}
  return %0 : tensor<4xf32>
}

// -----

func.func @unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor or memref}}
  hetu.send %x to #hetu.device<"gpu:1"> : tensor<*xf32>
  return
}

// -----

func.func @tuple_group(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.all_reduce' op group "(gpu:0,gpu:1)" must list single devices, not tuples}}
  %0 = hetu.all_reduce <sum> %x on #hetu.group<"(gpu:0,gpu:1)"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @bad_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected ::mlir::hetu::ReductionKind to be one of: sum, mean, max, min, prod}}
  // expected-error @+1 {{failed to parse Hetu_ReductionKindAttr parameter 'value'}}
  %0 = hetu.all_reduce <avg> %x on #hetu.group<"gpu:0,gpu:1"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @gather_dim(%x: tensor<4x4xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'hetu.all_gather' op dim 2 is out of range for rank 2}}
  %0 = hetu.all_gather %x dim 2 on #hetu.group<"gpu:0,gpu:1"> : tensor<4x4xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @gather_size(%x: tensor<4x4xf32>) -> tensor<4x12xf32> {
  // expected-error @+1 {{'hetu.all_gather' op result size 12 along dimension 1 must be 8 (input size 4 times the group size 2)}}
  %0 = hetu.all_gather %x dim 1 on #hetu.group<"gpu:0,gpu:1"> : tensor<4x4xf32> -> tensor<4x12xf32>
  return %0 : tensor<4x12xf32>
}

// -----

func.func @gather_other_dim(%x: tensor<4x4xf32>) -> tensor<5x8xf32> {
  // expected-error @+1 {{'hetu.all_gather' op result size 5 along dimension 0 must be 4 (input size 4)}}
  %0 = hetu.all_gather %x dim 1 on #hetu.group<"gpu:0,gpu:1"> : tensor<4x4xf32> -> tensor<5x8xf32>
  return %0 : tensor<5x8xf32>
}

// -----

func.func @gather_elt(%x: tensor<4x4xf32>) -> tensor<4x8xf16> {
  // expected-error @+1 {{'hetu.all_gather' op input and result element types differ}}
  %0 = hetu.all_gather %x dim 1 on #hetu.group<"gpu:0,gpu:1"> : tensor<4x4xf32> -> tensor<4x8xf16>
  return %0 : tensor<4x8xf16>
}

// -----

func.func @scatter_size(%x: tensor<8x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'hetu.reduce_scatter' op input size 8 along dimension 0 must be 4 (result size 2 times the group size 2)}}
  %0 = hetu.reduce_scatter <sum> %x dim 0 on #hetu.group<"gpu:0,gpu:1"> : tensor<8x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @scatter_dim(%x: tensor<8x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'hetu.reduce_scatter' op dim -1 is out of range for rank 2}}
  %0 = hetu.reduce_scatter <sum> %x dim -1 on #hetu.group<"gpu:0,gpu:1"> : tensor<8x4xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @broadcast_root(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.broadcast' op root gpu:2 is not a member of group "gpu:0,gpu:1"}}
  %0 = hetu.broadcast %x root #hetu.device<"gpu:2"> on #hetu.group<"gpu:0,gpu:1"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reduce_root(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.reduce' op root node1:gpu:0 is not a member of group "gpu:0,gpu:1"}}
  %0 = hetu.reduce <sum> %x root #hetu.device<"node1:gpu:0"> on #hetu.group<"gpu:0,gpu:1"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reduce_tuple(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.reduce' op group "(gpu:0,gpu:1)" must list single devices, not tuples}}
  %0 = hetu.reduce <sum> %x root #hetu.device<"gpu:0"> on #hetu.group<"(gpu:0,gpu:1)"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @group_duplicate_generic(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{device 'gpu:0' is listed twice in group 'gpu:0,gpu:1,gpu:0'}}
  %0 = hetu.all_reduce <sum> %x on #hetu.group<"gpu:0,gpu:1,gpu:0"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ps_server(%g: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.ps_push' op server gpu:0 must be a cpu device (a parameter server)}}
  %0 = hetu.ps_push <mean> %g key "w" to #hetu.device<"gpu:0"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ps_kind(%g: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.ps_push' op combines the workers' gradients by mean or sum, not max}}
  %0 = hetu.ps_push <max> %g key "w" to #hetu.device<"cpu:0"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ps_key(%w: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.ps_pull' op parameter key must not be empty}}
  %0 = hetu.ps_pull %w key "" from #hetu.device<"cpu:0"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @sgd_types(%w: tensor<4xf32>, %g: tensor<8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.sgd' op failed to verify that all of {param, grad, result} have same type}}
  %0 = "hetu.sgd"(%w, %g) <{lr = 0.1 : f64}> : (tensor<4xf32>, tensor<8xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @sgd_int(%w: tensor<4xi32>, %g: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'hetu.sgd' op updates floating-point parameters only}}
  %0 = hetu.sgd %w, %g lr 0.1 : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// expected-error @+1 {{result 0 updates argument 0 but their types differ}}
func.func @updates_type(%w: tensor<4xf32>) -> (tensor<8xf32> {hetu.updates = 0}) {
  %0 = tensor.empty() : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// expected-error @+1 {{'hetu.updates' on result 0 must be the index of an argument}}
func.func @updates_index(%w: tensor<4xf32>) -> (tensor<4xf32> {hetu.updates = 3}) {
  return %w : tensor<4xf32>
}

// -----

func.func @momentum_types(%w: tensor<4xf32>, %g: tensor<4xf32>, %v: tensor<4xf64>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.momentum' op failed to verify that all of {param, grad, velocity, result, velocity_next} have same type}}
  %0:2 = "hetu.momentum"(%w, %g, %v) <{lr = 0.1 : f64, momentum = 0.9 : f64}> : (tensor<4xf32>, tensor<4xf32>, tensor<4xf64>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#0 : tensor<4xf32>
}

// -----

func.func @momentum_int(%w: tensor<4xi32>, %g: tensor<4xi32>, %v: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'hetu.momentum' op updates floating-point parameters only}}
  %0:2 = hetu.momentum %w, %g, %v lr 0.1 momentum 0.9 : tensor<4xi32>
  return %0#0 : tensor<4xi32>
}

// -----

func.func @momentum_range(%w: tensor<4xf32>, %g: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.momentum' op momentum must be in [0, 1), got 1.5}}
  %0:2 = hetu.momentum %w, %g, %v lr 0.1 momentum 1.5 : tensor<4xf32>
  return %0#0 : tensor<4xf32>
}

// -----

func.func @adam_beta(%w: tensor<4xf32>, %t: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.adam' op beta2 must be in [0, 1), got 1}}
  %0:3 = hetu.adam %w, %w, %w, %w step %t lr 0.1 beta1 0.9 beta2 1.0 eps 1.0e-8 : tensor<4xf32>, tensor<f32>
  return %0#0 : tensor<4xf32>
}

// -----

func.func @adam_eps(%w: tensor<4xf32>, %t: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.adamw' op eps must be positive, got 0}}
  %0:3 = hetu.adamw %w, %w, %w, %w step %t lr 0.1 beta1 0.9 beta2 0.99 eps 0.0 weight_decay 0.1 : tensor<4xf32>, tensor<f32>
  return %0#0 : tensor<4xf32>
}

// -----

func.func @adam_step_rank(%w: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.adam' op operand #4 must be 0D tensor of floating-point values, but got 'tensor<4xf32>'}}
  %0:3 = "hetu.adam"(%w, %w, %w, %w, %w) <{lr = 0.1 : f64, beta1 = 0.9 : f64, beta2 = 0.99 : f64, eps = 1.0e-8 : f64}> : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return %0#0 : tensor<4xf32>
}

// -----

func.func @adam_moments(%w: tensor<4xf32>, %m: tensor<4xf64>, %t: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hetu.adam' op failed to verify that all of {param, grad, m, v, result, m_next, v_next} have same type}}
  %0:3 = "hetu.adam"(%w, %w, %m, %m, %t) <{lr = 0.1 : f64, beta1 = 0.9 : f64, beta2 = 0.99 : f64, eps = 1.0e-8 : f64}> : (tensor<4xf32>, tensor<4xf32>, tensor<4xf64>, tensor<4xf64>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return %0#0 : tensor<4xf32>
}
