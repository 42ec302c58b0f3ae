// RUN: hetu-opt %s -split-input-file -hetu-deduce-strategy | FileCheck %s

// SPEC 7.6 'lps': one server and four workers -> every op is "ps"; Hetu
// launches the PS and no MPI. Ranks: workers gpu:0,1,4,5 then the server.
// CHECK-LABEL: module attributes
// CHECK-SAME: hetu.devices = [#hetu.device<"cpu:0">, #hetu.device<"gpu:0">, #hetu.device<"gpu:1">, #hetu.device<"gpu:4">, #hetu.device<"gpu:5">]
// CHECK-SAME: hetu.launch_mpi = false
// CHECK-SAME: hetu.launch_ps = true
// CHECK-SAME: hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">, #hetu.device<"gpu:4">, #hetu.device<"gpu:5">, #hetu.device<"cpu:0">]
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1,gpu:4,gpu:5">} {
  // CHECK-LABEL: func.func @ps
  func.func @ps(%x: tensor<16x32xf32>, %w: tensor<32x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    // Rematerialised: no strategy of its own.
    // CHECK: tensor.empty() : tensor<16x8xf32>
    %init = tensor.empty() : tensor<16x8xf32>
    // CHECK: linalg.matmul {hetu.strategy = #hetu.strategy<ps>}
    %y = linalg.matmul ins(%x, %w : tensor<16x32xf32>, tensor<32x8xf32>)
                       outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
    // CHECK: return
    // CHECK-NOT: hetu.strategy
    return %y : tensor<16x8xf32>
  }
}

// -----

// SPEC 7.6 'lar': four workers -> "allreduce", MPI launch, no PS.
// CHECK-LABEL: module attributes
// CHECK-SAME: hetu.launch_mpi = true
// CHECK-SAME: hetu.launch_ps = false
// CHECK-SAME: hetu.rank_map = [#hetu.device<"gpu:1">, #hetu.device<"gpu:2">, #hetu.device<"gpu:3">, #hetu.device<"gpu:6">]
module attributes {hetu.default_ctx = #hetu.group<"gpu:1,gpu:2,gpu:3,gpu:6">} {
  func.func @allreduce(%x: tensor<4xf32>) -> tensor<4xf32> {
    // CHECK: math.exp %{{.*}} {hetu.strategy = #hetu.strategy<allreduce>}
    %0 = math.exp %x : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

// SPEC 7.6 'lhy': the default context has a server (-> PS launch); the dense
// ops are placed on the four gpus (-> allreduce, MPI launch).
// CHECK-LABEL: module attributes
// CHECK-SAME: hetu.launch_mpi = true
// CHECK-SAME: hetu.launch_ps = true
// CHECK-SAME: hetu.rank_map = [#hetu.device<"gpu:1">, #hetu.device<"gpu:2">, #hetu.device<"gpu:3">, #hetu.device<"gpu:6">, #hetu.device<"cpu:0">]
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:1,gpu:2,gpu:3,gpu:6">} {
  func.func @hybrid(%x: tensor<4xf32>) -> tensor<4xf32> {
    // CHECK: math.exp %{{.*}} {hetu.strategy = #hetu.strategy<ps>}
    %0 = math.exp %x : tensor<4xf32>
    // CHECK: math.tanh %{{.*}} {hetu.ctx = #hetu.group<"gpu:1,gpu:2,gpu:3,gpu:6">, hetu.strategy = #hetu.strategy<allreduce>}
    %1 = math.tanh %0 {hetu.ctx = #hetu.group<"gpu:1,gpu:2,gpu:3,gpu:6">} : tensor<4xf32>
    return %1 : tensor<4xf32>
  }
}

// -----

// SPEC 7.1, a 3-stage pipeline: one worker per stage, no strategy, no
// MPI/PS launch flags (Hetu still starts MPI for the p2p communicator; the
// runner does that from the rank map).
// CHECK-LABEL: module attributes
// CHECK-SAME: hetu.devices = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">, #hetu.device<"gpu:2">]
// CHECK-SAME: hetu.launch_mpi = false
// CHECK-SAME: hetu.launch_ps = false
// CHECK-SAME: hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">, #hetu.device<"gpu:2">]
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @pipeline(%x: tensor<4xf32>) -> tensor<4xf32> {
    // CHECK: math.exp %{{.*}} : tensor<4xf32>
    %0 = math.exp %x : tensor<4xf32>
    // CHECK: math.tanh %{{.*}} {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4xf32>
    %1 = math.tanh %0 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4xf32>
    // CHECK: math.sqrt %{{.*}} {hetu.ctx = #hetu.group<"gpu:2">} : tensor<4xf32>
    %2 = math.sqrt %1 {hetu.ctx = #hetu.group<"gpu:2">} : tensor<4xf32>
    return %2 : tensor<4xf32>
  }
}

// -----

// SPEC 7.5: data + model + pipeline; tuples are workers, the dispatch target
// group contributes its devices. Rank map sorts by index.
// CHECK-LABEL: module attributes
// CHECK-SAME: hetu.launch_mpi = true
// CHECK-SAME: hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">, #hetu.device<"gpu:2">, #hetu.device<"gpu:3">, #hetu.device<"gpu:4">, #hetu.device<"gpu:5">, #hetu.device<"gpu:6">, #hetu.device<"gpu:7">]
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @dmp(%x: tensor<16x32xf32>, %w: tensor<32x64xf32> {hetu.trainable}) -> tensor<16x64xf32> {
    // CHECK: hetu.dispatch {{.*}} {hetu.strategy = #hetu.strategy<allreduce>}
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<16x32xf32>
    %b = hetu.dispatch %w to #hetu.states<[1, 1], duplicate = 2> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<32x64xf32>
    %init = tensor.empty() : tensor<16x64xf32>
    // CHECK: linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">, hetu.strategy = #hetu.strategy<allreduce>}
    %y = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">}
           ins(%a, %b : tensor<16x32xf32>, tensor<32x64xf32>)
           outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
    // CHECK: math.exp %{{.*}} {hetu.ctx = #hetu.group<"gpu:3,gpu:7">, hetu.strategy = #hetu.strategy<allreduce>}
    %z = math.exp %y {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<16x64xf32>
    return %z : tensor<16x64xf32>
  }
}

// -----

// Multi-host groups: localhost first, then hosts by name, then index; the
// server last.
// CHECK-LABEL: module attributes
// CHECK-SAME: hetu.rank_map = [#hetu.device<"gpu:1">, #hetu.device<"daim117:gpu:0">, #hetu.device<"daim117:gpu:3">, #hetu.device<"daim118:gpu:0">, #hetu.device<"cpu:0">]
module attributes {hetu.default_ctx = #hetu.group<"cpu:0;daim118:gpu:0;daim117:gpu:3;daim117:gpu:0;gpu:1">} {
  func.func @hosts(%x: tensor<4xf32>) -> tensor<4xf32> {
    %0 = math.exp %x : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

// Several functions and nested regions: scf.for is looked through, the body
// of a linalg.generic is not; send/recv devices count as devices.
// CHECK-LABEL: module attributes
// CHECK-SAME: hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">, #hetu.device<"gpu:7">]
module {
  // CHECK-LABEL: func.func @loop
  func.func @loop(%x: tensor<4xf32>) -> tensor<4xf32>
      attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    // CHECK: scf.for
    // CHECK-NOT: hetu.strategy
    // CHECK: math.exp %{{.*}} {hetu.strategy = #hetu.strategy<allreduce>}
    %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x) -> tensor<4xf32> {
      %e = math.exp %acc : tensor<4xf32>
      scf.yield %e : tensor<4xf32>
    }
    // The generic gets a strategy; its scalar payload does not.
    // CHECK: linalg.generic {{.*}}{hetu.strategy = #hetu.strategy<allreduce>}
    // CHECK-NEXT: ^bb0
    // CHECK-NEXT: arith.addf %{{.*}}, %{{.*}} : f32
    %out = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                           iterator_types = ["parallel"]}
        ins(%r : tensor<4xf32>) outs(%x : tensor<4xf32>) {
    ^bb0(%in: f32, %o: f32):
      %s = arith.addf %in, %o : f32
      linalg.yield %s : f32
    } -> tensor<4xf32>
    return %out : tensor<4xf32>
  }
  // CHECK-LABEL: func.func @p2p
  func.func @p2p(%x: tensor<4xf32>) attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
    // CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:7"> : tensor<4xf32>{{$}}
    hetu.send %x to #hetu.device<"gpu:7"> : tensor<4xf32>
    return
  }
}
