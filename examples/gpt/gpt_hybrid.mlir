// Written by examples/gpt/gpt.py --layout hybrid --emit (a test keeps it in
// sync): the forward loss of a 2-block GPT with hetu.autodiff (Adam).
// Arguments, in the order gpt.py makes them: the tokens, the parameters
// and the labels (4 x 8 per replica, fed as floats); gpt.py
// --write-inputs DIR writes them all for hetu-run/hetu-launch --inputs.
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @main(%arg0: tensor<4x8xf32>, %arg1: tensor<16x16xf32> {hetu.trainable}, %arg2: tensor<8x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg3: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg4: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg5: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg6: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg7: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg8: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg9: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg10: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg11: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg12: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg13: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg14: tensor<16x64xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg15: tensor<64xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg16: tensor<64x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg17: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg18: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg19: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg20: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg21: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg22: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg23: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg24: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg25: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg26: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg27: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg28: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg29: tensor<16x64xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg30: tensor<64xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg31: tensor<64x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg32: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg33: tensor<4x8xf32>, %arg34: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg35: tensor<16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}, %arg36: tensor<16x16xf32> {hetu.trainable, hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">}) -> (tensor<f32>) attributes {hetu.autodiff = {optimizer = "adam", beta1 = 9.000000000e-01, beta2 = 9.990000000e-01, eps = 1.000000000e-08, lr = 1.000000000e-02, weight_decay = 0.000000000e+00}} {
    %v1 = tensor.collapse_shape %arg33 [[0, 1]] : tensor<4x8xf32> into tensor<32xf32>
    %v2 = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041"> : tensor<16xf32>
    %v3 = tensor.empty() : tensor<4x8x16xf32>
    %v4 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %v2 : tensor<4x8xf32>, tensor<16xf32>) outs(%v3 : tensor<4x8x16xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %t = arith.cmpf oeq, %a0, %a1 : f32
      %one = arith.constant 1.0 : f32
      %zero = arith.constant 0.0 : f32
      %r = arith.select %t, %one, %zero : f32
      linalg.yield %r : f32
    } -> tensor<4x8x16xf32>
    %v5 = tensor.collapse_shape %v4 [[0, 1], [2]] : tensor<4x8x16xf32> into tensor<32x16xf32>
    %v6 = tensor.empty() : tensor<32x16xf32>
    %v8 = arith.constant 0.000000000e+00 : f32
    %v7 = linalg.fill ins(%v8 : f32) outs(%v6 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v9 = linalg.matmul ins(%v5, %arg1 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v7 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v10 = tensor.expand_shape %v9 [[0, 1], [2]] output_shape [4, 8, 16] : tensor<32x16xf32> into tensor<4x8x16xf32>
    %v11 = tensor.empty() : tensor<4x8x16xf32>
    %v12 = linalg.broadcast ins(%arg2 : tensor<8x16xf32>) outs(%v11 : tensor<4x8x16xf32>) dimensions = [0]
    %v13 = arith.addf %v10, %v12 : tensor<4x8x16xf32>
    %v14 = tensor.collapse_shape %v13 [[0, 1], [2]] : tensor<4x8x16xf32> into tensor<32x16xf32>
    %v15 = tensor.empty() : tensor<32xf32>
    %v16 = linalg.fill ins(%v8 : f32) outs(%v15 : tensor<32xf32>) -> tensor<32xf32>
    %v17 = linalg.reduce ins(%v14 : tensor<32x16xf32>) outs(%v16 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v18 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v19 = arith.mulf %v17, %v18 : tensor<32xf32>
    %v20 = tensor.expand_shape %v19 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v21 = tensor.collapse_shape %v20 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v22 = tensor.empty() : tensor<32x16xf32>
    %v23 = linalg.broadcast ins(%v21 : tensor<32xf32>) outs(%v22 : tensor<32x16xf32>) dimensions = [1]
    %v24 = arith.subf %v14, %v23 : tensor<32x16xf32>
    %v25 = arith.mulf %v24, %v24 : tensor<32x16xf32>
    %v26 = tensor.empty() : tensor<32xf32>
    %v27 = linalg.fill ins(%v8 : f32) outs(%v26 : tensor<32xf32>) -> tensor<32xf32>
    %v28 = linalg.reduce ins(%v25 : tensor<32x16xf32>) outs(%v27 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v29 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v30 = arith.mulf %v28, %v29 : tensor<32xf32>
    %v31 = tensor.expand_shape %v30 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v32 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v33 = arith.addf %v31, %v32 : tensor<32x1xf32>
    %v34 = math.rsqrt %v33 : tensor<32x1xf32>
    %v35 = tensor.collapse_shape %v34 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v36 = tensor.empty() : tensor<32x16xf32>
    %v37 = linalg.broadcast ins(%v35 : tensor<32xf32>) outs(%v36 : tensor<32x16xf32>) dimensions = [1]
    %v38 = arith.mulf %v24, %v37 : tensor<32x16xf32>
    %v39 = tensor.empty() : tensor<32x16xf32>
    %v40 = linalg.broadcast ins(%arg3 : tensor<16xf32>) outs(%v39 : tensor<32x16xf32>) dimensions = [0]
    %v41 = arith.mulf %v38, %v40 : tensor<32x16xf32>
    %v42 = tensor.empty() : tensor<32x16xf32>
    %v43 = linalg.broadcast ins(%arg4 : tensor<16xf32>) outs(%v42 : tensor<32x16xf32>) dimensions = [0]
    %v44 = arith.addf %v41, %v43 : tensor<32x16xf32>
    %v45 = tensor.empty() : tensor<32x16xf32>
    %v46 = linalg.fill ins(%v8 : f32) outs(%v45 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v47 = linalg.matmul ins(%v44, %arg5 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v46 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v48 = tensor.empty() : tensor<32x16xf32>
    %v49 = linalg.broadcast ins(%arg9 : tensor<16xf32>) outs(%v48 : tensor<32x16xf32>) dimensions = [0]
    %v50 = arith.addf %v47, %v49 : tensor<32x16xf32>
    %v51 = tensor.expand_shape %v50 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v52 = tensor.empty() : tensor<4x2x8x8xf32>
    %v53 = linalg.transpose ins(%v51 : tensor<4x8x2x8xf32>) outs(%v52 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v54 = tensor.empty() : tensor<32x16xf32>
    %v55 = linalg.fill ins(%v8 : f32) outs(%v54 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v56 = linalg.matmul ins(%v44, %arg6 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v55 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v57 = tensor.expand_shape %v56 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v58 = tensor.empty() : tensor<4x2x8x8xf32>
    %v59 = linalg.transpose ins(%v57 : tensor<4x8x2x8xf32>) outs(%v58 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v60 = tensor.empty() : tensor<4x2x8x8xf32>
    %v61 = linalg.fill ins(%v8 : f32) outs(%v60 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v62 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, n, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v53, %v59 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v61 : tensor<4x2x8x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v63 = arith.constant dense<3.535533906e-01> : tensor<4x2x8x8xf32>
    %v64 = arith.mulf %v62, %v63 : tensor<4x2x8x8xf32>
    %v65 = arith.constant dense<"0x00000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE0000000000000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE000000000000000000000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE00000000000000000000000000000000286B6ECE286B6ECE286B6ECE286B6ECE0000000000000000000000000000000000000000286B6ECE286B6ECE286B6ECE000000000000000000000000000000000000000000000000286B6ECE286B6ECE00000000000000000000000000000000000000000000000000000000286B6ECE0000000000000000000000000000000000000000000000000000000000000000"> : tensor<8x8xf32>
    %v66 = tensor.empty() : tensor<4x2x8x8xf32>
    %v67 = linalg.broadcast ins(%v65 : tensor<8x8xf32>) outs(%v66 : tensor<4x2x8x8xf32>) dimensions = [0, 1]
    %v68 = arith.addf %v64, %v67 : tensor<4x2x8x8xf32>
    %v70 = tensor.empty() : tensor<4x2x8x8xf32>
    %v69 = linalg.softmax dimension(3) ins(%v68 : tensor<4x2x8x8xf32>) outs(%v70 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v71 = tensor.empty() : tensor<32x16xf32>
    %v72 = linalg.fill ins(%v8 : f32) outs(%v71 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v73 = linalg.matmul ins(%v44, %arg7 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v72 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v74 = tensor.empty() : tensor<32x16xf32>
    %v75 = linalg.broadcast ins(%arg10 : tensor<16xf32>) outs(%v74 : tensor<32x16xf32>) dimensions = [0]
    %v76 = arith.addf %v73, %v75 : tensor<32x16xf32>
    %v77 = tensor.expand_shape %v76 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v78 = tensor.empty() : tensor<4x2x8x8xf32>
    %v79 = linalg.transpose ins(%v77 : tensor<4x8x2x8xf32>) outs(%v78 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v80 = tensor.empty() : tensor<4x2x8x8xf32>
    %v81 = linalg.fill ins(%v8 : f32) outs(%v80 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v82 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, k, n)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v69, %v79 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v81 : tensor<4x2x8x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v83 = tensor.empty() : tensor<4x8x2x8xf32>
    %v84 = linalg.transpose ins(%v82 : tensor<4x2x8x8xf32>) outs(%v83 : tensor<4x8x2x8xf32>) permutation = [0, 2, 1, 3]
    %v85 = tensor.collapse_shape %v84 [[0, 1], [2, 3]] : tensor<4x8x2x8xf32> into tensor<32x16xf32>
    %v86 = tensor.empty() : tensor<32x16xf32>
    %v87 = linalg.fill ins(%v8 : f32) outs(%v86 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v88 = linalg.matmul ins(%v85, %arg8 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v87 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v89 = tensor.empty() : tensor<32x16xf32>
    %v90 = linalg.broadcast ins(%arg11 : tensor<16xf32>) outs(%v89 : tensor<32x16xf32>) dimensions = [0]
    %v91 = arith.addf %v88, %v90 : tensor<32x16xf32>
    %v92 = arith.addf %v14, %v91 : tensor<32x16xf32>
    %v93 = tensor.empty() : tensor<32xf32>
    %v94 = linalg.fill ins(%v8 : f32) outs(%v93 : tensor<32xf32>) -> tensor<32xf32>
    %v95 = linalg.reduce ins(%v92 : tensor<32x16xf32>) outs(%v94 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v96 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v97 = arith.mulf %v95, %v96 : tensor<32xf32>
    %v98 = tensor.expand_shape %v97 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v99 = tensor.collapse_shape %v98 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v100 = tensor.empty() : tensor<32x16xf32>
    %v101 = linalg.broadcast ins(%v99 : tensor<32xf32>) outs(%v100 : tensor<32x16xf32>) dimensions = [1]
    %v102 = arith.subf %v92, %v101 : tensor<32x16xf32>
    %v103 = arith.mulf %v102, %v102 : tensor<32x16xf32>
    %v104 = tensor.empty() : tensor<32xf32>
    %v105 = linalg.fill ins(%v8 : f32) outs(%v104 : tensor<32xf32>) -> tensor<32xf32>
    %v106 = linalg.reduce ins(%v103 : tensor<32x16xf32>) outs(%v105 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v107 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v108 = arith.mulf %v106, %v107 : tensor<32xf32>
    %v109 = tensor.expand_shape %v108 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v110 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v111 = arith.addf %v109, %v110 : tensor<32x1xf32>
    %v112 = math.rsqrt %v111 : tensor<32x1xf32>
    %v113 = tensor.collapse_shape %v112 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v114 = tensor.empty() : tensor<32x16xf32>
    %v115 = linalg.broadcast ins(%v113 : tensor<32xf32>) outs(%v114 : tensor<32x16xf32>) dimensions = [1]
    %v116 = arith.mulf %v102, %v115 : tensor<32x16xf32>
    %v117 = tensor.empty() : tensor<32x16xf32>
    %v118 = linalg.broadcast ins(%arg12 : tensor<16xf32>) outs(%v117 : tensor<32x16xf32>) dimensions = [0]
    %v119 = arith.mulf %v116, %v118 : tensor<32x16xf32>
    %v120 = tensor.empty() : tensor<32x16xf32>
    %v121 = linalg.broadcast ins(%arg13 : tensor<16xf32>) outs(%v120 : tensor<32x16xf32>) dimensions = [0]
    %v122 = arith.addf %v119, %v121 : tensor<32x16xf32>
    %v123 = tensor.empty() : tensor<32x64xf32>
    %v124 = linalg.fill ins(%v8 : f32) outs(%v123 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v125 = linalg.matmul ins(%v122, %arg14 : tensor<32x16xf32>, tensor<16x64xf32>) outs(%v124 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v126 = tensor.empty() : tensor<32x64xf32>
    %v127 = linalg.broadcast ins(%arg15 : tensor<64xf32>) outs(%v126 : tensor<32x64xf32>) dimensions = [0]
    %v128 = arith.addf %v125, %v127 : tensor<32x64xf32>
    %v129 = arith.constant dense<5.000000000e-01> : tensor<32x64xf32>
    %v130 = arith.mulf %v128, %v129 : tensor<32x64xf32>
    %v131 = arith.mulf %v128, %v128 : tensor<32x64xf32>
    %v132 = arith.mulf %v131, %v128 : tensor<32x64xf32>
    %v133 = arith.constant dense<4.471500000e-02> : tensor<32x64xf32>
    %v134 = arith.mulf %v132, %v133 : tensor<32x64xf32>
    %v135 = arith.addf %v128, %v134 : tensor<32x64xf32>
    %v136 = arith.constant dense<7.978845608e-01> : tensor<32x64xf32>
    %v137 = arith.mulf %v135, %v136 : tensor<32x64xf32>
    %v138 = math.tanh %v137 : tensor<32x64xf32>
    %v139 = arith.constant dense<1.000000000e+00> : tensor<32x64xf32>
    %v140 = arith.addf %v138, %v139 : tensor<32x64xf32>
    %v141 = arith.mulf %v130, %v140 : tensor<32x64xf32>
    %v142 = tensor.empty() : tensor<32x16xf32>
    %v143 = linalg.fill ins(%v8 : f32) outs(%v142 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v144 = linalg.matmul ins(%v141, %arg16 : tensor<32x64xf32>, tensor<64x16xf32>) outs(%v143 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v145 = tensor.empty() : tensor<32x16xf32>
    %v146 = linalg.broadcast ins(%arg17 : tensor<16xf32>) outs(%v145 : tensor<32x16xf32>) dimensions = [0]
    %v147 = arith.addf %v144, %v146 : tensor<32x16xf32>
    %v148 = arith.addf %v92, %v147 : tensor<32x16xf32>
    %v149 = tensor.empty() : tensor<32xf32>
    %v150 = linalg.fill ins(%v8 : f32) outs(%v149 : tensor<32xf32>) -> tensor<32xf32>
    %v151 = linalg.reduce ins(%v148 : tensor<32x16xf32>) outs(%v150 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v152 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v153 = arith.mulf %v151, %v152 : tensor<32xf32>
    %v154 = tensor.expand_shape %v153 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v155 = tensor.collapse_shape %v154 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v156 = tensor.empty() : tensor<32x16xf32>
    %v157 = linalg.broadcast ins(%v155 : tensor<32xf32>) outs(%v156 : tensor<32x16xf32>) dimensions = [1]
    %v158 = arith.subf %v148, %v157 : tensor<32x16xf32>
    %v159 = arith.mulf %v158, %v158 : tensor<32x16xf32>
    %v160 = tensor.empty() : tensor<32xf32>
    %v161 = linalg.fill ins(%v8 : f32) outs(%v160 : tensor<32xf32>) -> tensor<32xf32>
    %v162 = linalg.reduce ins(%v159 : tensor<32x16xf32>) outs(%v161 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v163 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v164 = arith.mulf %v162, %v163 : tensor<32xf32>
    %v165 = tensor.expand_shape %v164 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v166 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v167 = arith.addf %v165, %v166 : tensor<32x1xf32>
    %v168 = math.rsqrt %v167 : tensor<32x1xf32>
    %v169 = tensor.collapse_shape %v168 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v170 = tensor.empty() : tensor<32x16xf32>
    %v171 = linalg.broadcast ins(%v169 : tensor<32xf32>) outs(%v170 : tensor<32x16xf32>) dimensions = [1]
    %v172 = arith.mulf %v158, %v171 : tensor<32x16xf32>
    %v173 = tensor.empty() : tensor<32x16xf32>
    %v174 = linalg.broadcast ins(%arg18 : tensor<16xf32>) outs(%v173 : tensor<32x16xf32>) dimensions = [0]
    %v175 = arith.mulf %v172, %v174 : tensor<32x16xf32>
    %v176 = tensor.empty() : tensor<32x16xf32>
    %v177 = linalg.broadcast ins(%arg19 : tensor<16xf32>) outs(%v176 : tensor<32x16xf32>) dimensions = [0]
    %v178 = arith.addf %v175, %v177 : tensor<32x16xf32>
    %v179 = tensor.empty() : tensor<32x16xf32>
    %v180 = linalg.fill ins(%v8 : f32) outs(%v179 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v181 = linalg.matmul ins(%v178, %arg20 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v180 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v182 = tensor.empty() : tensor<32x16xf32>
    %v183 = linalg.broadcast ins(%arg24 : tensor<16xf32>) outs(%v182 : tensor<32x16xf32>) dimensions = [0]
    %v184 = arith.addf %v181, %v183 : tensor<32x16xf32>
    %v185 = tensor.expand_shape %v184 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v186 = tensor.empty() : tensor<4x2x8x8xf32>
    %v187 = linalg.transpose ins(%v185 : tensor<4x8x2x8xf32>) outs(%v186 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v188 = tensor.empty() : tensor<32x16xf32>
    %v189 = linalg.fill ins(%v8 : f32) outs(%v188 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v190 = linalg.matmul ins(%v178, %arg21 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v189 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v191 = tensor.expand_shape %v190 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v192 = tensor.empty() : tensor<4x2x8x8xf32>
    %v193 = linalg.transpose ins(%v191 : tensor<4x8x2x8xf32>) outs(%v192 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v194 = tensor.empty() : tensor<4x2x8x8xf32>
    %v195 = linalg.fill ins(%v8 : f32) outs(%v194 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v196 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, n, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v187, %v193 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v195 : tensor<4x2x8x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v197 = arith.constant dense<3.535533906e-01> : tensor<4x2x8x8xf32>
    %v198 = arith.mulf %v196, %v197 : tensor<4x2x8x8xf32>
    %v199 = tensor.empty() : tensor<4x2x8x8xf32>
    %v200 = linalg.broadcast ins(%v65 : tensor<8x8xf32>) outs(%v199 : tensor<4x2x8x8xf32>) dimensions = [0, 1]
    %v201 = arith.addf %v198, %v200 : tensor<4x2x8x8xf32>
    %v203 = tensor.empty() : tensor<4x2x8x8xf32>
    %v202 = linalg.softmax dimension(3) ins(%v201 : tensor<4x2x8x8xf32>) outs(%v203 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v204 = tensor.empty() : tensor<32x16xf32>
    %v205 = linalg.fill ins(%v8 : f32) outs(%v204 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v206 = linalg.matmul ins(%v178, %arg22 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v205 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v207 = tensor.empty() : tensor<32x16xf32>
    %v208 = linalg.broadcast ins(%arg25 : tensor<16xf32>) outs(%v207 : tensor<32x16xf32>) dimensions = [0]
    %v209 = arith.addf %v206, %v208 : tensor<32x16xf32>
    %v210 = tensor.expand_shape %v209 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v211 = tensor.empty() : tensor<4x2x8x8xf32>
    %v212 = linalg.transpose ins(%v210 : tensor<4x8x2x8xf32>) outs(%v211 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v213 = tensor.empty() : tensor<4x2x8x8xf32>
    %v214 = linalg.fill ins(%v8 : f32) outs(%v213 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v215 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, k, n)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v202, %v212 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v214 : tensor<4x2x8x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v216 = tensor.empty() : tensor<4x8x2x8xf32>
    %v217 = linalg.transpose ins(%v215 : tensor<4x2x8x8xf32>) outs(%v216 : tensor<4x8x2x8xf32>) permutation = [0, 2, 1, 3]
    %v218 = tensor.collapse_shape %v217 [[0, 1], [2, 3]] : tensor<4x8x2x8xf32> into tensor<32x16xf32>
    %v219 = tensor.empty() : tensor<32x16xf32>
    %v220 = linalg.fill ins(%v8 : f32) outs(%v219 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v221 = linalg.matmul ins(%v218, %arg23 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v220 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v222 = tensor.empty() : tensor<32x16xf32>
    %v223 = linalg.broadcast ins(%arg26 : tensor<16xf32>) outs(%v222 : tensor<32x16xf32>) dimensions = [0]
    %v224 = arith.addf %v221, %v223 : tensor<32x16xf32>
    %v225 = arith.addf %v148, %v224 : tensor<32x16xf32>
    %v226 = tensor.empty() : tensor<32xf32>
    %v227 = linalg.fill ins(%v8 : f32) outs(%v226 : tensor<32xf32>) -> tensor<32xf32>
    %v228 = linalg.reduce ins(%v225 : tensor<32x16xf32>) outs(%v227 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v229 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v230 = arith.mulf %v228, %v229 : tensor<32xf32>
    %v231 = tensor.expand_shape %v230 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v232 = tensor.collapse_shape %v231 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v233 = tensor.empty() : tensor<32x16xf32>
    %v234 = linalg.broadcast ins(%v232 : tensor<32xf32>) outs(%v233 : tensor<32x16xf32>) dimensions = [1]
    %v235 = arith.subf %v225, %v234 : tensor<32x16xf32>
    %v236 = arith.mulf %v235, %v235 : tensor<32x16xf32>
    %v237 = tensor.empty() : tensor<32xf32>
    %v238 = linalg.fill ins(%v8 : f32) outs(%v237 : tensor<32xf32>) -> tensor<32xf32>
    %v239 = linalg.reduce ins(%v236 : tensor<32x16xf32>) outs(%v238 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v240 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v241 = arith.mulf %v239, %v240 : tensor<32xf32>
    %v242 = tensor.expand_shape %v241 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v243 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v244 = arith.addf %v242, %v243 : tensor<32x1xf32>
    %v245 = math.rsqrt %v244 : tensor<32x1xf32>
    %v246 = tensor.collapse_shape %v245 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v247 = tensor.empty() : tensor<32x16xf32>
    %v248 = linalg.broadcast ins(%v246 : tensor<32xf32>) outs(%v247 : tensor<32x16xf32>) dimensions = [1]
    %v249 = arith.mulf %v235, %v248 : tensor<32x16xf32>
    %v250 = tensor.empty() : tensor<32x16xf32>
    %v251 = linalg.broadcast ins(%arg27 : tensor<16xf32>) outs(%v250 : tensor<32x16xf32>) dimensions = [0]
    %v252 = arith.mulf %v249, %v251 : tensor<32x16xf32>
    %v253 = tensor.empty() : tensor<32x16xf32>
    %v254 = linalg.broadcast ins(%arg28 : tensor<16xf32>) outs(%v253 : tensor<32x16xf32>) dimensions = [0]
    %v255 = arith.addf %v252, %v254 : tensor<32x16xf32>
    %v256 = tensor.empty() : tensor<32x64xf32>
    %v257 = linalg.fill ins(%v8 : f32) outs(%v256 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v258 = linalg.matmul ins(%v255, %arg29 : tensor<32x16xf32>, tensor<16x64xf32>) outs(%v257 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v259 = tensor.empty() : tensor<32x64xf32>
    %v260 = linalg.broadcast ins(%arg30 : tensor<64xf32>) outs(%v259 : tensor<32x64xf32>) dimensions = [0]
    %v261 = arith.addf %v258, %v260 : tensor<32x64xf32>
    %v262 = arith.constant dense<5.000000000e-01> : tensor<32x64xf32>
    %v263 = arith.mulf %v261, %v262 : tensor<32x64xf32>
    %v264 = arith.mulf %v261, %v261 : tensor<32x64xf32>
    %v265 = arith.mulf %v264, %v261 : tensor<32x64xf32>
    %v266 = arith.constant dense<4.471500000e-02> : tensor<32x64xf32>
    %v267 = arith.mulf %v265, %v266 : tensor<32x64xf32>
    %v268 = arith.addf %v261, %v267 : tensor<32x64xf32>
    %v269 = arith.constant dense<7.978845608e-01> : tensor<32x64xf32>
    %v270 = arith.mulf %v268, %v269 : tensor<32x64xf32>
    %v271 = math.tanh %v270 : tensor<32x64xf32>
    %v272 = arith.constant dense<1.000000000e+00> : tensor<32x64xf32>
    %v273 = arith.addf %v271, %v272 : tensor<32x64xf32>
    %v274 = arith.mulf %v263, %v273 : tensor<32x64xf32>
    %v275 = tensor.empty() : tensor<32x16xf32>
    %v276 = linalg.fill ins(%v8 : f32) outs(%v275 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v277 = linalg.matmul ins(%v274, %arg31 : tensor<32x64xf32>, tensor<64x16xf32>) outs(%v276 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v278 = tensor.empty() : tensor<32x16xf32>
    %v279 = linalg.broadcast ins(%arg32 : tensor<16xf32>) outs(%v278 : tensor<32x16xf32>) dimensions = [0]
    %v280 = arith.addf %v277, %v279 : tensor<32x16xf32>
    %v281 = arith.addf %v225, %v280 : tensor<32x16xf32>
    %v282 = tensor.empty() : tensor<32xf32>
    %v283 = linalg.fill ins(%v8 : f32) outs(%v282 : tensor<32xf32>) -> tensor<32xf32>
    %v284 = linalg.reduce ins(%v281 : tensor<32x16xf32>) outs(%v283 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v285 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v286 = arith.mulf %v284, %v285 : tensor<32xf32>
    %v287 = tensor.expand_shape %v286 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v288 = tensor.collapse_shape %v287 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v289 = tensor.empty() : tensor<32x16xf32>
    %v290 = linalg.broadcast ins(%v288 : tensor<32xf32>) outs(%v289 : tensor<32x16xf32>) dimensions = [1]
    %v291 = arith.subf %v281, %v290 : tensor<32x16xf32>
    %v292 = arith.mulf %v291, %v291 : tensor<32x16xf32>
    %v293 = tensor.empty() : tensor<32xf32>
    %v294 = linalg.fill ins(%v8 : f32) outs(%v293 : tensor<32xf32>) -> tensor<32xf32>
    %v295 = linalg.reduce ins(%v292 : tensor<32x16xf32>) outs(%v294 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v296 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v297 = arith.mulf %v295, %v296 : tensor<32xf32>
    %v298 = tensor.expand_shape %v297 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v299 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v300 = arith.addf %v298, %v299 : tensor<32x1xf32>
    %v301 = math.rsqrt %v300 : tensor<32x1xf32>
    %v302 = tensor.collapse_shape %v301 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v303 = tensor.empty() : tensor<32x16xf32>
    %v304 = linalg.broadcast ins(%v302 : tensor<32xf32>) outs(%v303 : tensor<32x16xf32>) dimensions = [1]
    %v305 = arith.mulf %v291, %v304 : tensor<32x16xf32>
    %v306 = tensor.empty() : tensor<32x16xf32>
    %v307 = linalg.broadcast ins(%arg34 : tensor<16xf32>) outs(%v306 : tensor<32x16xf32>) dimensions = [0]
    %v308 = arith.mulf %v305, %v307 : tensor<32x16xf32>
    %v309 = tensor.empty() : tensor<32x16xf32>
    %v310 = linalg.broadcast ins(%arg35 : tensor<16xf32>) outs(%v309 : tensor<32x16xf32>) dimensions = [0]
    %v311 = arith.addf %v308, %v310 : tensor<32x16xf32>
    %v312 = tensor.empty() : tensor<32x16xf32>
    %v313 = linalg.fill ins(%v8 : f32) outs(%v312 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v314 = linalg.matmul ins(%v311, %arg36 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v313 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v315 = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041"> : tensor<16xf32>
    %v316 = tensor.empty() : tensor<32x16xf32>
    %v317 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%v1, %v315 : tensor<32xf32>, tensor<16xf32>) outs(%v316 : tensor<32x16xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %t = arith.cmpf oeq, %a0, %a1 : f32
      %one = arith.constant 1.0 : f32
      %zero = arith.constant 0.0 : f32
      %r = arith.select %t, %one, %zero : f32
      linalg.yield %r : f32
    } -> tensor<32x16xf32>
    %v318 = tensor.empty() : tensor<32xf32>
    %v320 = arith.constant 0xFF800000 : f32
    %v319 = linalg.fill ins(%v320 : f32) outs(%v318 : tensor<32xf32>) -> tensor<32xf32>
    %v321 = linalg.reduce ins(%v314 : tensor<32x16xf32>) outs(%v319 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.maximumf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v322 = tensor.expand_shape %v321 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v323 = tensor.collapse_shape %v322 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v324 = tensor.empty() : tensor<32x16xf32>
    %v325 = linalg.broadcast ins(%v323 : tensor<32xf32>) outs(%v324 : tensor<32x16xf32>) dimensions = [1]
    %v326 = arith.subf %v314, %v325 : tensor<32x16xf32>
    %v327 = math.exp %v326 : tensor<32x16xf32>
    %v328 = tensor.empty() : tensor<32xf32>
    %v329 = linalg.fill ins(%v8 : f32) outs(%v328 : tensor<32xf32>) -> tensor<32xf32>
    %v330 = linalg.reduce ins(%v327 : tensor<32x16xf32>) outs(%v329 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v331 = tensor.expand_shape %v330 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v332 = math.log %v331 : tensor<32x1xf32>
    %v333 = tensor.collapse_shape %v332 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v334 = tensor.empty() : tensor<32x16xf32>
    %v335 = linalg.broadcast ins(%v333 : tensor<32xf32>) outs(%v334 : tensor<32x16xf32>) dimensions = [1]
    %v336 = arith.subf %v326, %v335 : tensor<32x16xf32>
    %v337 = arith.mulf %v317, %v336 : tensor<32x16xf32>
    %v338 = tensor.empty() : tensor<32xf32>
    %v339 = linalg.fill ins(%v8 : f32) outs(%v338 : tensor<32xf32>) -> tensor<32xf32>
    %v340 = linalg.reduce ins(%v337 : tensor<32x16xf32>) outs(%v339 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v341 = arith.negf %v340 : tensor<32xf32>
    %v342 = tensor.empty() : tensor<f32>
    %v343 = linalg.fill ins(%v8 : f32) outs(%v342 : tensor<f32>) -> tensor<f32>
    %v344 = linalg.reduce ins(%v341 : tensor<32xf32>) outs(%v343 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v345 = arith.constant dense<3.125000000e-02> : tensor<f32>
    %v346 = arith.mulf %v344, %v345 : tensor<f32>
    return %v346 : tensor<f32>
  }
}
