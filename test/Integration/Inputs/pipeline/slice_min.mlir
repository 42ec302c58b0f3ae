// Review regression input for hetu-pipeline-schedule (see pipeline-regressions.test).
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1),(gpu:2,gpu:3)">} {
  func.func @f(%x: tensor<8x4xf32>, %t: tensor<8x4xf32>) -> tensor<f32> {
    %zero = arith.constant 0.0 : f32
    %a = arith.mulf %x, %x : tensor<8x4xf32>
    %ad = hetu.dispatch %a to #hetu.states<[1, 1]> on #hetu.group<"gpu:4,gpu:5"> : tensor<8x4xf32>
    %td = hetu.dispatch %t to #hetu.states<[1, 1]> on #hetu.group<"gpu:4,gpu:5"> : tensor<8x4xf32>
    %d = arith.subf %ad, %td {hetu.ctx = #hetu.group<"gpu:4,gpu:5">} : tensor<8x4xf32>
    %e = tensor.empty() : tensor<f32>
    %z = linalg.fill {hetu.ctx = #hetu.group<"gpu:4,gpu:5">} ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
    %s = linalg.reduce ins(%d : tensor<8x4xf32>) outs(%z : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:4,gpu:5">}
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    return %s : tensor<f32>
  }
}
