// Written by examples/gpt/gpt.py --layout pp --emit (a test keeps it in
// sync): the forward loss of a 2-block GPT with hetu.autodiff (Adam).
// Arguments, in the order gpt.py makes them: the tokens, the parameters
// and the labels (4 x 8 per replica, fed as floats); gpt.py
// --write-inputs DIR writes them all for hetu-run/hetu-launch --inputs.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @main(%arg0: tensor<4x8xf32>, %arg1: tensor<16x16xf32> {hetu.trainable}, %arg2: tensor<8x16xf32> {hetu.trainable}, %arg3: tensor<16xf32> {hetu.trainable}, %arg4: tensor<16xf32> {hetu.trainable}, %arg5: tensor<16x16xf32> {hetu.trainable}, %arg6: tensor<16x16xf32> {hetu.trainable}, %arg7: tensor<16x16xf32> {hetu.trainable}, %arg8: tensor<16x16xf32> {hetu.trainable}, %arg9: tensor<16xf32> {hetu.trainable}, %arg10: tensor<16xf32> {hetu.trainable}, %arg11: tensor<16xf32> {hetu.trainable}, %arg12: tensor<16xf32> {hetu.trainable}, %arg13: tensor<16xf32> {hetu.trainable}, %arg14: tensor<16x64xf32> {hetu.trainable}, %arg15: tensor<64xf32> {hetu.trainable}, %arg16: tensor<64x16xf32> {hetu.trainable}, %arg17: tensor<16xf32> {hetu.trainable}, %arg18: tensor<16xf32> {hetu.trainable}, %arg19: tensor<16xf32> {hetu.trainable}, %arg20: tensor<16x16xf32> {hetu.trainable}, %arg21: tensor<16x16xf32> {hetu.trainable}, %arg22: tensor<16x16xf32> {hetu.trainable}, %arg23: tensor<16x16xf32> {hetu.trainable}, %arg24: tensor<16xf32> {hetu.trainable}, %arg25: tensor<16xf32> {hetu.trainable}, %arg26: tensor<16xf32> {hetu.trainable}, %arg27: tensor<16xf32> {hetu.trainable}, %arg28: tensor<16xf32> {hetu.trainable}, %arg29: tensor<16x64xf32> {hetu.trainable}, %arg30: tensor<64xf32> {hetu.trainable}, %arg31: tensor<64x16xf32> {hetu.trainable}, %arg32: tensor<16xf32> {hetu.trainable}, %arg33: tensor<4x8xf32>, %arg34: tensor<16xf32> {hetu.trainable}, %arg35: tensor<16xf32> {hetu.trainable}, %arg36: tensor<16x16xf32> {hetu.trainable}) -> (tensor<f32>) attributes {hetu.micro_batches = 2, hetu.schedule = #hetu.schedule<"1f1b">, hetu.autodiff = {optimizer = "adam", beta1 = 9.000000000e-01, beta2 = 9.990000000e-01, eps = 1.000000000e-08, lr = 1.000000000e-02, weight_decay = 0.000000000e+00}} {
    %v1 = tensor.collapse_shape %arg33 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x8xf32> into tensor<32xf32>
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
    %v149 = hetu.dispatch %v148 to #hetu.states<[1, 1]> : tensor<32x16xf32>
    %v150 = tensor.empty() : tensor<32xf32>
    %v151 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v150 : tensor<32xf32>) -> tensor<32xf32>
    %v152 = linalg.reduce ins(%v149 : tensor<32x16xf32>) outs(%v151 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v153 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v154 = arith.mulf %v152, %v153 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32>
    %v155 = tensor.expand_shape %v154 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32> into tensor<32x1xf32>
    %v156 = tensor.collapse_shape %v155 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32> into tensor<32xf32>
    %v157 = tensor.empty() : tensor<32x16xf32>
    %v158 = linalg.broadcast ins(%v156 : tensor<32xf32>) outs(%v157 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v159 = arith.subf %v149, %v158 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v160 = arith.mulf %v159, %v159 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v161 = tensor.empty() : tensor<32xf32>
    %v162 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v161 : tensor<32xf32>) -> tensor<32xf32>
    %v163 = linalg.reduce ins(%v160 : tensor<32x16xf32>) outs(%v162 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v164 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v165 = arith.mulf %v163, %v164 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32>
    %v166 = tensor.expand_shape %v165 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32> into tensor<32x1xf32>
    %v167 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v168 = arith.addf %v166, %v167 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32>
    %v169 = math.rsqrt %v168 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32>
    %v170 = tensor.collapse_shape %v169 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32> into tensor<32xf32>
    %v171 = tensor.empty() : tensor<32x16xf32>
    %v172 = linalg.broadcast ins(%v170 : tensor<32xf32>) outs(%v171 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v173 = arith.mulf %v159, %v172 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v174 = tensor.empty() : tensor<32x16xf32>
    %v175 = linalg.broadcast ins(%arg18 : tensor<16xf32>) outs(%v174 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v176 = arith.mulf %v173, %v175 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v177 = tensor.empty() : tensor<32x16xf32>
    %v178 = linalg.broadcast ins(%arg19 : tensor<16xf32>) outs(%v177 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v179 = arith.addf %v176, %v178 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v180 = tensor.empty() : tensor<32x16xf32>
    %v181 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v180 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v182 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%v179, %arg20 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v181 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v183 = tensor.empty() : tensor<32x16xf32>
    %v184 = linalg.broadcast ins(%arg24 : tensor<16xf32>) outs(%v183 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v185 = arith.addf %v182, %v184 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v186 = tensor.expand_shape %v185 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v187 = tensor.empty() : tensor<4x2x8x8xf32>
    %v188 = linalg.transpose ins(%v186 : tensor<4x8x2x8xf32>) outs(%v187 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3] {hetu.ctx = #hetu.group<"gpu:1">}
    %v189 = tensor.empty() : tensor<32x16xf32>
    %v190 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v189 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v191 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%v179, %arg21 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v190 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v192 = tensor.expand_shape %v191 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v193 = tensor.empty() : tensor<4x2x8x8xf32>
    %v194 = linalg.transpose ins(%v192 : tensor<4x8x2x8xf32>) outs(%v193 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3] {hetu.ctx = #hetu.group<"gpu:1">}
    %v195 = tensor.empty() : tensor<4x2x8x8xf32>
    %v196 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v195 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v197 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, n, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v188, %v194 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v196 : tensor<4x2x8x8xf32>) attrs = {hetu.ctx = #hetu.group<"gpu:1">} {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v198 = arith.constant dense<3.535533906e-01> : tensor<4x2x8x8xf32>
    %v199 = arith.mulf %v197, %v198 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2x8x8xf32>
    %v200 = arith.constant dense<"0x00000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE0000000000000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE000000000000000000000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE00000000000000000000000000000000286B6ECE286B6ECE286B6ECE286B6ECE0000000000000000000000000000000000000000286B6ECE286B6ECE286B6ECE000000000000000000000000000000000000000000000000286B6ECE286B6ECE00000000000000000000000000000000000000000000000000000000286B6ECE0000000000000000000000000000000000000000000000000000000000000000"> : tensor<8x8xf32>
    %v201 = tensor.empty() : tensor<4x2x8x8xf32>
    %v202 = linalg.broadcast ins(%v200 : tensor<8x8xf32>) outs(%v201 : tensor<4x2x8x8xf32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v203 = arith.addf %v199, %v202 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x2x8x8xf32>
    %v205 = tensor.empty() : tensor<4x2x8x8xf32>
    %v204 = linalg.softmax {hetu.ctx = #hetu.group<"gpu:1">} dimension(3) ins(%v203 : tensor<4x2x8x8xf32>) outs(%v205 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v206 = tensor.empty() : tensor<32x16xf32>
    %v207 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v206 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v208 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%v179, %arg22 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v207 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v209 = tensor.empty() : tensor<32x16xf32>
    %v210 = linalg.broadcast ins(%arg25 : tensor<16xf32>) outs(%v209 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v211 = arith.addf %v208, %v210 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v212 = tensor.expand_shape %v211 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v213 = tensor.empty() : tensor<4x2x8x8xf32>
    %v214 = linalg.transpose ins(%v212 : tensor<4x8x2x8xf32>) outs(%v213 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3] {hetu.ctx = #hetu.group<"gpu:1">}
    %v215 = tensor.empty() : tensor<4x2x8x8xf32>
    %v216 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v215 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v217 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, k, n)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v204, %v214 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v216 : tensor<4x2x8x8xf32>) attrs = {hetu.ctx = #hetu.group<"gpu:1">} {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v218 = tensor.empty() : tensor<4x8x2x8xf32>
    %v219 = linalg.transpose ins(%v217 : tensor<4x2x8x8xf32>) outs(%v218 : tensor<4x8x2x8xf32>) permutation = [0, 2, 1, 3] {hetu.ctx = #hetu.group<"gpu:1">}
    %v220 = tensor.collapse_shape %v219 [[0, 1], [2, 3]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<4x8x2x8xf32> into tensor<32x16xf32>
    %v221 = tensor.empty() : tensor<32x16xf32>
    %v222 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v221 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v223 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%v220, %arg23 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v222 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v224 = tensor.empty() : tensor<32x16xf32>
    %v225 = linalg.broadcast ins(%arg26 : tensor<16xf32>) outs(%v224 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v226 = arith.addf %v223, %v225 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v227 = arith.addf %v149, %v226 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v228 = tensor.empty() : tensor<32xf32>
    %v229 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v228 : tensor<32xf32>) -> tensor<32xf32>
    %v230 = linalg.reduce ins(%v227 : tensor<32x16xf32>) outs(%v229 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v231 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v232 = arith.mulf %v230, %v231 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32>
    %v233 = tensor.expand_shape %v232 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32> into tensor<32x1xf32>
    %v234 = tensor.collapse_shape %v233 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32> into tensor<32xf32>
    %v235 = tensor.empty() : tensor<32x16xf32>
    %v236 = linalg.broadcast ins(%v234 : tensor<32xf32>) outs(%v235 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v237 = arith.subf %v227, %v236 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v238 = arith.mulf %v237, %v237 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v239 = tensor.empty() : tensor<32xf32>
    %v240 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v239 : tensor<32xf32>) -> tensor<32xf32>
    %v241 = linalg.reduce ins(%v238 : tensor<32x16xf32>) outs(%v240 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v242 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v243 = arith.mulf %v241, %v242 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32>
    %v244 = tensor.expand_shape %v243 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32> into tensor<32x1xf32>
    %v245 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v246 = arith.addf %v244, %v245 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32>
    %v247 = math.rsqrt %v246 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32>
    %v248 = tensor.collapse_shape %v247 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32> into tensor<32xf32>
    %v249 = tensor.empty() : tensor<32x16xf32>
    %v250 = linalg.broadcast ins(%v248 : tensor<32xf32>) outs(%v249 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v251 = arith.mulf %v237, %v250 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v252 = tensor.empty() : tensor<32x16xf32>
    %v253 = linalg.broadcast ins(%arg27 : tensor<16xf32>) outs(%v252 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v254 = arith.mulf %v251, %v253 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v255 = tensor.empty() : tensor<32x16xf32>
    %v256 = linalg.broadcast ins(%arg28 : tensor<16xf32>) outs(%v255 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v257 = arith.addf %v254, %v256 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v258 = tensor.empty() : tensor<32x64xf32>
    %v259 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v258 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v260 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%v257, %arg29 : tensor<32x16xf32>, tensor<16x64xf32>) outs(%v259 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v261 = tensor.empty() : tensor<32x64xf32>
    %v262 = linalg.broadcast ins(%arg30 : tensor<64xf32>) outs(%v261 : tensor<32x64xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v263 = arith.addf %v260, %v262 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v264 = arith.constant dense<5.000000000e-01> : tensor<32x64xf32>
    %v265 = arith.mulf %v263, %v264 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v266 = arith.mulf %v263, %v263 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v267 = arith.mulf %v266, %v263 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v268 = arith.constant dense<4.471500000e-02> : tensor<32x64xf32>
    %v269 = arith.mulf %v267, %v268 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v270 = arith.addf %v263, %v269 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v271 = arith.constant dense<7.978845608e-01> : tensor<32x64xf32>
    %v272 = arith.mulf %v270, %v271 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v273 = math.tanh %v272 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v274 = arith.constant dense<1.000000000e+00> : tensor<32x64xf32>
    %v275 = arith.addf %v273, %v274 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v276 = arith.mulf %v265, %v275 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x64xf32>
    %v277 = tensor.empty() : tensor<32x16xf32>
    %v278 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v277 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v279 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%v276, %arg31 : tensor<32x64xf32>, tensor<64x16xf32>) outs(%v278 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v280 = tensor.empty() : tensor<32x16xf32>
    %v281 = linalg.broadcast ins(%arg32 : tensor<16xf32>) outs(%v280 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v282 = arith.addf %v279, %v281 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v283 = arith.addf %v227, %v282 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v284 = tensor.empty() : tensor<32xf32>
    %v285 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v284 : tensor<32xf32>) -> tensor<32xf32>
    %v286 = linalg.reduce ins(%v283 : tensor<32x16xf32>) outs(%v285 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v287 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v288 = arith.mulf %v286, %v287 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32>
    %v289 = tensor.expand_shape %v288 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32> into tensor<32x1xf32>
    %v290 = tensor.collapse_shape %v289 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32> into tensor<32xf32>
    %v291 = tensor.empty() : tensor<32x16xf32>
    %v292 = linalg.broadcast ins(%v290 : tensor<32xf32>) outs(%v291 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v293 = arith.subf %v283, %v292 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v294 = arith.mulf %v293, %v293 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v295 = tensor.empty() : tensor<32xf32>
    %v296 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v295 : tensor<32xf32>) -> tensor<32xf32>
    %v297 = linalg.reduce ins(%v294 : tensor<32x16xf32>) outs(%v296 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v298 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v299 = arith.mulf %v297, %v298 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32>
    %v300 = tensor.expand_shape %v299 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32> into tensor<32x1xf32>
    %v301 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v302 = arith.addf %v300, %v301 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32>
    %v303 = math.rsqrt %v302 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32>
    %v304 = tensor.collapse_shape %v303 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32> into tensor<32xf32>
    %v305 = tensor.empty() : tensor<32x16xf32>
    %v306 = linalg.broadcast ins(%v304 : tensor<32xf32>) outs(%v305 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v307 = arith.mulf %v293, %v306 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v308 = tensor.empty() : tensor<32x16xf32>
    %v309 = linalg.broadcast ins(%arg34 : tensor<16xf32>) outs(%v308 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v310 = arith.mulf %v307, %v309 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v311 = tensor.empty() : tensor<32x16xf32>
    %v312 = linalg.broadcast ins(%arg35 : tensor<16xf32>) outs(%v311 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
    %v313 = arith.addf %v310, %v312 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v314 = tensor.empty() : tensor<32x16xf32>
    %v315 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v314 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v316 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%v313, %arg36 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v315 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v317 = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041"> : tensor<16xf32>
    %v318 = tensor.empty() : tensor<32x16xf32>
    %v319 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%v1, %v317 : tensor<32xf32>, tensor<16xf32>) outs(%v318 : tensor<32x16xf32>) attrs = {hetu.ctx = #hetu.group<"gpu:1">} {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %t = arith.cmpf oeq, %a0, %a1 : f32
      %one = arith.constant 1.0 : f32
      %zero = arith.constant 0.0 : f32
      %r = arith.select %t, %one, %zero : f32
      linalg.yield %r : f32
    } -> tensor<32x16xf32>
    %v320 = tensor.empty() : tensor<32xf32>
    %v322 = arith.constant 0xFF800000 : f32
    %v321 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v322 : f32) outs(%v320 : tensor<32xf32>) -> tensor<32xf32>
    %v323 = linalg.reduce ins(%v316 : tensor<32x16xf32>) outs(%v321 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.maximumf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v324 = tensor.expand_shape %v323 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32> into tensor<32x1xf32>
    %v325 = tensor.collapse_shape %v324 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32> into tensor<32xf32>
    %v326 = tensor.empty() : tensor<32x16xf32>
    %v327 = linalg.broadcast ins(%v325 : tensor<32xf32>) outs(%v326 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v328 = arith.subf %v316, %v327 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v329 = math.exp %v328 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v330 = tensor.empty() : tensor<32xf32>
    %v331 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v330 : tensor<32xf32>) -> tensor<32xf32>
    %v332 = linalg.reduce ins(%v329 : tensor<32x16xf32>) outs(%v331 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v333 = tensor.expand_shape %v332 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32> into tensor<32x1xf32>
    %v334 = math.log %v333 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32>
    %v335 = tensor.collapse_shape %v334 [[0, 1]] {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x1xf32> into tensor<32xf32>
    %v336 = tensor.empty() : tensor<32x16xf32>
    %v337 = linalg.broadcast ins(%v335 : tensor<32xf32>) outs(%v336 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
    %v338 = arith.subf %v328, %v337 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v339 = arith.mulf %v319, %v338 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32x16xf32>
    %v340 = tensor.empty() : tensor<32xf32>
    %v341 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v340 : tensor<32xf32>) -> tensor<32xf32>
    %v342 = linalg.reduce ins(%v339 : tensor<32x16xf32>) outs(%v341 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v343 = arith.negf %v342 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<32xf32>
    %v344 = tensor.empty() : tensor<f32>
    %v345 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%v8 : f32) outs(%v344 : tensor<f32>) -> tensor<f32>
    %v346 = linalg.reduce ins(%v343 : tensor<32xf32>) outs(%v345 : tensor<f32>) dimensions = [0] {hetu.ctx = #hetu.group<"gpu:1">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v347 = arith.constant dense<3.125000000e-02> : tensor<f32>
    %v348 = arith.mulf %v346, %v347 {hetu.ctx = #hetu.group<"gpu:1">} : tensor<f32>
    return %v348 : tensor<f32>
  }
}
