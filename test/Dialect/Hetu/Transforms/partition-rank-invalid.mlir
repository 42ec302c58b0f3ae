// RUN: not hetu-opt %s -hetu-partition=rank=2 2>&1 | FileCheck %s
// CHECK: error: rank=2 is out of range: the module has 2 ranks
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">, hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
