// RUN: hetu-opt %s -hetu-approximate-math | FileCheck %s
// RUN: hetu-opt %s '-hetu-approximate-math=ops=tanh' | FileCheck %s --check-prefix=TANH

// The f32 functions of softmax, GELU and cross entropy become arith code
// (no libm call); f64 and functions not selected stay math ops.
// CHECK-LABEL: func.func @f
// CHECK-NOT: math.exp %{{.*}} : f32
// CHECK-NOT: math.fma
// CHECK-NOT: math.floor
// CHECK-NOT: math.tanh
// CHECK-NOT: math.log %{{.*}} : f32
// CHECK: math.sin %{{.*}} : f32
// CHECK: math.exp %{{.*}} : f64
// CHECK: return
// Only tanh where the option says so.
// TANH-LABEL: func.func @f
// TANH: math.exp %{{.*}} : f32
// TANH-NOT: math.tanh
// TANH: math.log %{{.*}} : f32
func.func @f(%x: f32, %y: f64) -> (f32, f32, f32, f32, f64) {
  %a = math.exp %x : f32
  %b = math.tanh %x : f32
  %c = math.log %x : f32
  %d = math.sin %x : f32
  %e = math.exp %y : f64
  return %a, %b, %c, %d, %e : f32, f32, f32, f32, f64
}

// What the approximations create is rewritten (fma as a multiply and an add
// that may contract, floor as conversions); a model's own fma and floor stay.
// CHECK-LABEL: func.func @own
// CHECK: math.fma
// CHECK: math.floor
func.func @own(%x: f32) -> (f32, f32) {
  %a = math.fma %x, %x, %x : f32
  %b = math.floor %x : f32
  return %a, %b : f32, f32
}

// Inside a linalg body (where hetu-lower-to-cpu meets them) too; on a
// tensor, not (upstream's patterns take scalars and vectors).
// CHECK-LABEL: func.func @softmax_body
// CHECK: linalg.generic
// CHECK-NOT: math.exp
// CHECK: linalg.yield
// CHECK: math.exp %{{.*}} : tensor<4x8xf32>
func.func @softmax_body(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%x : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<4x8xf32>
  %t = math.exp %r : tensor<4x8xf32>
  return %t : tensor<4x8xf32>
}
