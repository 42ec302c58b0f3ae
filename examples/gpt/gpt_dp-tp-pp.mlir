// Written by examples/gpt/gpt.py --layout dp-tp-pp --emit (a test keeps it in
// sync): the forward loss of a 2-block GPT with hetu.autodiff (Adam).
// Arguments, in the order gpt.py makes them: the tokens, the parameters
// and the labels (4 x 8 per replica, fed as floats); gpt.py
// --write-inputs DIR writes them all for hetu-run/hetu-launch --inputs.
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1),(gpu:4,gpu:5)">} {
  func.func @main(%arg0: tensor<4x8xf32>, %arg1: tensor<16x16xf32> {hetu.trainable}, %arg2: tensor<8x16xf32> {hetu.trainable}, %arg3: tensor<16xf32> {hetu.trainable}, %arg4: tensor<16xf32> {hetu.trainable}, %arg5: tensor<16x16xf32> {hetu.trainable}, %arg6: tensor<16x16xf32> {hetu.trainable}, %arg7: tensor<16x16xf32> {hetu.trainable}, %arg8: tensor<16x16xf32> {hetu.trainable}, %arg9: tensor<16xf32> {hetu.trainable}, %arg10: tensor<16xf32> {hetu.trainable}, %arg11: tensor<16xf32> {hetu.trainable}, %arg12: tensor<16xf32> {hetu.trainable}, %arg13: tensor<16xf32> {hetu.trainable}, %arg14: tensor<16x64xf32> {hetu.trainable}, %arg15: tensor<64xf32> {hetu.trainable}, %arg16: tensor<64x16xf32> {hetu.trainable}, %arg17: tensor<16xf32> {hetu.trainable}, %arg18: tensor<16xf32> {hetu.trainable}, %arg19: tensor<16xf32> {hetu.trainable}, %arg20: tensor<16x16xf32> {hetu.trainable}, %arg21: tensor<16x16xf32> {hetu.trainable}, %arg22: tensor<16x16xf32> {hetu.trainable}, %arg23: tensor<16x16xf32> {hetu.trainable}, %arg24: tensor<16xf32> {hetu.trainable}, %arg25: tensor<16xf32> {hetu.trainable}, %arg26: tensor<16xf32> {hetu.trainable}, %arg27: tensor<16xf32> {hetu.trainable}, %arg28: tensor<16xf32> {hetu.trainable}, %arg29: tensor<16x64xf32> {hetu.trainable}, %arg30: tensor<64xf32> {hetu.trainable}, %arg31: tensor<64x16xf32> {hetu.trainable}, %arg32: tensor<16xf32> {hetu.trainable}, %arg33: tensor<4x8xf32>, %arg34: tensor<16xf32> {hetu.trainable}, %arg35: tensor<16xf32> {hetu.trainable}, %arg36: tensor<16x16xf32> {hetu.trainable}) -> (tensor<f32>) attributes {hetu.micro_batches = 2, hetu.schedule = #hetu.schedule<"1f1b">, hetu.autodiff = {optimizer = "adam", beta1 = 9.000000000e-01, beta2 = 9.990000000e-01, eps = 1.000000000e-08, lr = 1.000000000e-02, weight_decay = 0.000000000e+00}} {
    %v1 = tensor.collapse_shape %arg33 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<4x8xf32> into tensor<32xf32>
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
    %v45 = hetu.dispatch %v44 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v46 = hetu.dispatch %arg5 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v47 = tensor.empty() : tensor<32x16xf32>
    %v48 = linalg.fill ins(%v8 : f32) outs(%v47 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v49 = linalg.matmul ins(%v45, %v46 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v48 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v50 = hetu.dispatch %arg9 to #hetu.states<[2]> : tensor<16xf32>
    %v51 = tensor.empty() : tensor<32x16xf32>
    %v52 = linalg.broadcast ins(%v50 : tensor<16xf32>) outs(%v51 : tensor<32x16xf32>) dimensions = [0]
    %v53 = arith.addf %v49, %v52 : tensor<32x16xf32>
    %v54 = tensor.expand_shape %v53 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v55 = tensor.empty() : tensor<4x2x8x8xf32>
    %v56 = linalg.transpose ins(%v54 : tensor<4x8x2x8xf32>) outs(%v55 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v57 = hetu.dispatch %arg6 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v58 = tensor.empty() : tensor<32x16xf32>
    %v59 = linalg.fill ins(%v8 : f32) outs(%v58 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v60 = linalg.matmul ins(%v45, %v57 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v59 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v61 = tensor.expand_shape %v60 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v62 = tensor.empty() : tensor<4x2x8x8xf32>
    %v63 = linalg.transpose ins(%v61 : tensor<4x8x2x8xf32>) outs(%v62 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v64 = tensor.empty() : tensor<4x2x8x8xf32>
    %v65 = linalg.fill ins(%v8 : f32) outs(%v64 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v66 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, n, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v56, %v63 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v65 : tensor<4x2x8x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v67 = arith.constant dense<3.535533906e-01> : tensor<4x2x8x8xf32>
    %v68 = arith.mulf %v66, %v67 : tensor<4x2x8x8xf32>
    %v69 = arith.constant dense<"0x00000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE0000000000000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE000000000000000000000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE00000000000000000000000000000000286B6ECE286B6ECE286B6ECE286B6ECE0000000000000000000000000000000000000000286B6ECE286B6ECE286B6ECE000000000000000000000000000000000000000000000000286B6ECE286B6ECE00000000000000000000000000000000000000000000000000000000286B6ECE0000000000000000000000000000000000000000000000000000000000000000"> : tensor<8x8xf32>
    %v70 = tensor.empty() : tensor<4x2x8x8xf32>
    %v71 = linalg.broadcast ins(%v69 : tensor<8x8xf32>) outs(%v70 : tensor<4x2x8x8xf32>) dimensions = [0, 1]
    %v72 = arith.addf %v68, %v71 : tensor<4x2x8x8xf32>
    %v74 = tensor.empty() : tensor<4x2x8x8xf32>
    %v73 = linalg.softmax dimension(3) ins(%v72 : tensor<4x2x8x8xf32>) outs(%v74 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v75 = hetu.dispatch %arg7 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v76 = tensor.empty() : tensor<32x16xf32>
    %v77 = linalg.fill ins(%v8 : f32) outs(%v76 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v78 = linalg.matmul ins(%v45, %v75 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v77 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v79 = hetu.dispatch %arg10 to #hetu.states<[2]> : tensor<16xf32>
    %v80 = tensor.empty() : tensor<32x16xf32>
    %v81 = linalg.broadcast ins(%v79 : tensor<16xf32>) outs(%v80 : tensor<32x16xf32>) dimensions = [0]
    %v82 = arith.addf %v78, %v81 : tensor<32x16xf32>
    %v83 = tensor.expand_shape %v82 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v84 = tensor.empty() : tensor<4x2x8x8xf32>
    %v85 = linalg.transpose ins(%v83 : tensor<4x8x2x8xf32>) outs(%v84 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v86 = tensor.empty() : tensor<4x2x8x8xf32>
    %v87 = linalg.fill ins(%v8 : f32) outs(%v86 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v88 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, k, n)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v73, %v85 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v87 : tensor<4x2x8x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v89 = tensor.empty() : tensor<4x8x2x8xf32>
    %v90 = linalg.transpose ins(%v88 : tensor<4x2x8x8xf32>) outs(%v89 : tensor<4x8x2x8xf32>) permutation = [0, 2, 1, 3]
    %v91 = tensor.collapse_shape %v90 [[0, 1], [2, 3]] : tensor<4x8x2x8xf32> into tensor<32x16xf32>
    %v92 = hetu.dispatch %arg8 to #hetu.states<[2, 1]> : tensor<16x16xf32>
    %v93 = tensor.empty() : tensor<32x16xf32>
    %v94 = linalg.fill ins(%v8 : f32) outs(%v93 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v95 = linalg.matmul ins(%v91, %v92 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v94 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v96 = hetu.dispatch %v95 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v97 = tensor.empty() : tensor<32x16xf32>
    %v98 = linalg.broadcast ins(%arg11 : tensor<16xf32>) outs(%v97 : tensor<32x16xf32>) dimensions = [0]
    %v99 = arith.addf %v96, %v98 : tensor<32x16xf32>
    %v100 = arith.addf %v14, %v99 : tensor<32x16xf32>
    %v101 = tensor.empty() : tensor<32xf32>
    %v102 = linalg.fill ins(%v8 : f32) outs(%v101 : tensor<32xf32>) -> tensor<32xf32>
    %v103 = linalg.reduce ins(%v100 : tensor<32x16xf32>) outs(%v102 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v104 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v105 = arith.mulf %v103, %v104 : tensor<32xf32>
    %v106 = tensor.expand_shape %v105 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v107 = tensor.collapse_shape %v106 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v108 = tensor.empty() : tensor<32x16xf32>
    %v109 = linalg.broadcast ins(%v107 : tensor<32xf32>) outs(%v108 : tensor<32x16xf32>) dimensions = [1]
    %v110 = arith.subf %v100, %v109 : tensor<32x16xf32>
    %v111 = arith.mulf %v110, %v110 : tensor<32x16xf32>
    %v112 = tensor.empty() : tensor<32xf32>
    %v113 = linalg.fill ins(%v8 : f32) outs(%v112 : tensor<32xf32>) -> tensor<32xf32>
    %v114 = linalg.reduce ins(%v111 : tensor<32x16xf32>) outs(%v113 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v115 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v116 = arith.mulf %v114, %v115 : tensor<32xf32>
    %v117 = tensor.expand_shape %v116 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v118 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v119 = arith.addf %v117, %v118 : tensor<32x1xf32>
    %v120 = math.rsqrt %v119 : tensor<32x1xf32>
    %v121 = tensor.collapse_shape %v120 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v122 = tensor.empty() : tensor<32x16xf32>
    %v123 = linalg.broadcast ins(%v121 : tensor<32xf32>) outs(%v122 : tensor<32x16xf32>) dimensions = [1]
    %v124 = arith.mulf %v110, %v123 : tensor<32x16xf32>
    %v125 = tensor.empty() : tensor<32x16xf32>
    %v126 = linalg.broadcast ins(%arg12 : tensor<16xf32>) outs(%v125 : tensor<32x16xf32>) dimensions = [0]
    %v127 = arith.mulf %v124, %v126 : tensor<32x16xf32>
    %v128 = tensor.empty() : tensor<32x16xf32>
    %v129 = linalg.broadcast ins(%arg13 : tensor<16xf32>) outs(%v128 : tensor<32x16xf32>) dimensions = [0]
    %v130 = arith.addf %v127, %v129 : tensor<32x16xf32>
    %v131 = hetu.dispatch %v130 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v132 = hetu.dispatch %arg14 to #hetu.states<[1, 2]> : tensor<16x64xf32>
    %v133 = tensor.empty() : tensor<32x64xf32>
    %v134 = linalg.fill ins(%v8 : f32) outs(%v133 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v135 = linalg.matmul ins(%v131, %v132 : tensor<32x16xf32>, tensor<16x64xf32>) outs(%v134 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v136 = hetu.dispatch %arg15 to #hetu.states<[2]> : tensor<64xf32>
    %v137 = tensor.empty() : tensor<32x64xf32>
    %v138 = linalg.broadcast ins(%v136 : tensor<64xf32>) outs(%v137 : tensor<32x64xf32>) dimensions = [0]
    %v139 = arith.addf %v135, %v138 : tensor<32x64xf32>
    %v140 = arith.constant dense<5.000000000e-01> : tensor<32x64xf32>
    %v141 = arith.mulf %v139, %v140 : tensor<32x64xf32>
    %v142 = arith.mulf %v139, %v139 : tensor<32x64xf32>
    %v143 = arith.mulf %v142, %v139 : tensor<32x64xf32>
    %v144 = arith.constant dense<4.471500000e-02> : tensor<32x64xf32>
    %v145 = arith.mulf %v143, %v144 : tensor<32x64xf32>
    %v146 = arith.addf %v139, %v145 : tensor<32x64xf32>
    %v147 = arith.constant dense<7.978845608e-01> : tensor<32x64xf32>
    %v148 = arith.mulf %v146, %v147 : tensor<32x64xf32>
    %v149 = math.tanh %v148 : tensor<32x64xf32>
    %v150 = arith.constant dense<1.000000000e+00> : tensor<32x64xf32>
    %v151 = arith.addf %v149, %v150 : tensor<32x64xf32>
    %v152 = arith.mulf %v141, %v151 : tensor<32x64xf32>
    %v153 = hetu.dispatch %arg16 to #hetu.states<[2, 1]> : tensor<64x16xf32>
    %v154 = tensor.empty() : tensor<32x16xf32>
    %v155 = linalg.fill ins(%v8 : f32) outs(%v154 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v156 = linalg.matmul ins(%v152, %v153 : tensor<32x64xf32>, tensor<64x16xf32>) outs(%v155 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v157 = hetu.dispatch %v156 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v158 = tensor.empty() : tensor<32x16xf32>
    %v159 = linalg.broadcast ins(%arg17 : tensor<16xf32>) outs(%v158 : tensor<32x16xf32>) dimensions = [0]
    %v160 = arith.addf %v157, %v159 : tensor<32x16xf32>
    %v161 = arith.addf %v100, %v160 : tensor<32x16xf32>
    %v162 = hetu.dispatch %v161 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v163 = tensor.empty() : tensor<32xf32>
    %v164 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v163 : tensor<32xf32>) -> tensor<32xf32>
    %v165 = linalg.reduce ins(%v162 : tensor<32x16xf32>) outs(%v164 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v166 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v167 = arith.mulf %v165, %v166 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32>
    %v168 = tensor.expand_shape %v167 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32> into tensor<32x1xf32>
    %v169 = tensor.collapse_shape %v168 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32> into tensor<32xf32>
    %v170 = tensor.empty() : tensor<32x16xf32>
    %v171 = linalg.broadcast ins(%v169 : tensor<32xf32>) outs(%v170 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v172 = arith.subf %v162, %v171 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v173 = arith.mulf %v172, %v172 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v174 = tensor.empty() : tensor<32xf32>
    %v175 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v174 : tensor<32xf32>) -> tensor<32xf32>
    %v176 = linalg.reduce ins(%v173 : tensor<32x16xf32>) outs(%v175 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v177 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v178 = arith.mulf %v176, %v177 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32>
    %v179 = tensor.expand_shape %v178 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32> into tensor<32x1xf32>
    %v180 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v181 = arith.addf %v179, %v180 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32>
    %v182 = math.rsqrt %v181 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32>
    %v183 = tensor.collapse_shape %v182 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32> into tensor<32xf32>
    %v184 = tensor.empty() : tensor<32x16xf32>
    %v185 = linalg.broadcast ins(%v183 : tensor<32xf32>) outs(%v184 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v186 = arith.mulf %v172, %v185 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v187 = tensor.empty() : tensor<32x16xf32>
    %v188 = linalg.broadcast ins(%arg18 : tensor<16xf32>) outs(%v187 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v189 = arith.mulf %v186, %v188 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v190 = tensor.empty() : tensor<32x16xf32>
    %v191 = linalg.broadcast ins(%arg19 : tensor<16xf32>) outs(%v190 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v192 = arith.addf %v189, %v191 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v193 = hetu.dispatch %v192 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v194 = hetu.dispatch %arg20 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v195 = tensor.empty() : tensor<32x16xf32>
    %v196 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v195 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v197 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v193, %v194 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v196 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v198 = hetu.dispatch %arg24 to #hetu.states<[2]> : tensor<16xf32>
    %v199 = tensor.empty() : tensor<32x16xf32>
    %v200 = linalg.broadcast ins(%v198 : tensor<16xf32>) outs(%v199 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v201 = arith.addf %v197, %v200 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v202 = tensor.expand_shape %v201 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v203 = tensor.empty() : tensor<4x2x8x8xf32>
    %v204 = linalg.transpose ins(%v202 : tensor<4x8x2x8xf32>) outs(%v203 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v205 = hetu.dispatch %arg21 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v206 = tensor.empty() : tensor<32x16xf32>
    %v207 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v206 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v208 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v193, %v205 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v207 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v209 = tensor.expand_shape %v208 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v210 = tensor.empty() : tensor<4x2x8x8xf32>
    %v211 = linalg.transpose ins(%v209 : tensor<4x8x2x8xf32>) outs(%v210 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v212 = tensor.empty() : tensor<4x2x8x8xf32>
    %v213 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v212 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v214 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, n, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v204, %v211 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v213 : tensor<4x2x8x8xf32>) attrs = {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v215 = arith.constant dense<3.535533906e-01> : tensor<4x2x8x8xf32>
    %v216 = arith.mulf %v214, %v215 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<4x2x8x8xf32>
    %v217 = arith.constant dense<"0x00000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE0000000000000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE000000000000000000000000286B6ECE286B6ECE286B6ECE286B6ECE286B6ECE00000000000000000000000000000000286B6ECE286B6ECE286B6ECE286B6ECE0000000000000000000000000000000000000000286B6ECE286B6ECE286B6ECE000000000000000000000000000000000000000000000000286B6ECE286B6ECE00000000000000000000000000000000000000000000000000000000286B6ECE0000000000000000000000000000000000000000000000000000000000000000"> : tensor<8x8xf32>
    %v218 = tensor.empty() : tensor<4x2x8x8xf32>
    %v219 = linalg.broadcast ins(%v217 : tensor<8x8xf32>) outs(%v218 : tensor<4x2x8x8xf32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v220 = arith.addf %v216, %v219 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<4x2x8x8xf32>
    %v222 = tensor.empty() : tensor<4x2x8x8xf32>
    %v221 = linalg.softmax {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} dimension(3) ins(%v220 : tensor<4x2x8x8xf32>) outs(%v222 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v223 = hetu.dispatch %arg22 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v224 = tensor.empty() : tensor<32x16xf32>
    %v225 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v224 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v226 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v193, %v223 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v225 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v227 = hetu.dispatch %arg25 to #hetu.states<[2]> : tensor<16xf32>
    %v228 = tensor.empty() : tensor<32x16xf32>
    %v229 = linalg.broadcast ins(%v227 : tensor<16xf32>) outs(%v228 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v230 = arith.addf %v226, %v229 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v231 = tensor.expand_shape %v230 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v232 = tensor.empty() : tensor<4x2x8x8xf32>
    %v233 = linalg.transpose ins(%v231 : tensor<4x8x2x8xf32>) outs(%v232 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v234 = tensor.empty() : tensor<4x2x8x8xf32>
    %v235 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v234 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v236 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, k, n)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v221, %v233 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v235 : tensor<4x2x8x8xf32>) attrs = {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v237 = tensor.empty() : tensor<4x8x2x8xf32>
    %v238 = linalg.transpose ins(%v236 : tensor<4x2x8x8xf32>) outs(%v237 : tensor<4x8x2x8xf32>) permutation = [0, 2, 1, 3] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v239 = tensor.collapse_shape %v238 [[0, 1], [2, 3]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<4x8x2x8xf32> into tensor<32x16xf32>
    %v240 = hetu.dispatch %arg23 to #hetu.states<[2, 1]> : tensor<16x16xf32>
    %v241 = tensor.empty() : tensor<32x16xf32>
    %v242 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v241 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v243 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v239, %v240 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v242 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v244 = hetu.dispatch %v243 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v245 = tensor.empty() : tensor<32x16xf32>
    %v246 = linalg.broadcast ins(%arg26 : tensor<16xf32>) outs(%v245 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v247 = arith.addf %v244, %v246 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v248 = arith.addf %v162, %v247 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v249 = tensor.empty() : tensor<32xf32>
    %v250 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v249 : tensor<32xf32>) -> tensor<32xf32>
    %v251 = linalg.reduce ins(%v248 : tensor<32x16xf32>) outs(%v250 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v252 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v253 = arith.mulf %v251, %v252 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32>
    %v254 = tensor.expand_shape %v253 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32> into tensor<32x1xf32>
    %v255 = tensor.collapse_shape %v254 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32> into tensor<32xf32>
    %v256 = tensor.empty() : tensor<32x16xf32>
    %v257 = linalg.broadcast ins(%v255 : tensor<32xf32>) outs(%v256 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v258 = arith.subf %v248, %v257 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v259 = arith.mulf %v258, %v258 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v260 = tensor.empty() : tensor<32xf32>
    %v261 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v260 : tensor<32xf32>) -> tensor<32xf32>
    %v262 = linalg.reduce ins(%v259 : tensor<32x16xf32>) outs(%v261 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v263 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v264 = arith.mulf %v262, %v263 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32>
    %v265 = tensor.expand_shape %v264 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32> into tensor<32x1xf32>
    %v266 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v267 = arith.addf %v265, %v266 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32>
    %v268 = math.rsqrt %v267 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32>
    %v269 = tensor.collapse_shape %v268 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32> into tensor<32xf32>
    %v270 = tensor.empty() : tensor<32x16xf32>
    %v271 = linalg.broadcast ins(%v269 : tensor<32xf32>) outs(%v270 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v272 = arith.mulf %v258, %v271 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v273 = tensor.empty() : tensor<32x16xf32>
    %v274 = linalg.broadcast ins(%arg27 : tensor<16xf32>) outs(%v273 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v275 = arith.mulf %v272, %v274 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v276 = tensor.empty() : tensor<32x16xf32>
    %v277 = linalg.broadcast ins(%arg28 : tensor<16xf32>) outs(%v276 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v278 = arith.addf %v275, %v277 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v279 = hetu.dispatch %v278 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v280 = hetu.dispatch %arg29 to #hetu.states<[1, 2]> : tensor<16x64xf32>
    %v281 = tensor.empty() : tensor<32x64xf32>
    %v282 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v281 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v283 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v279, %v280 : tensor<32x16xf32>, tensor<16x64xf32>) outs(%v282 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v284 = hetu.dispatch %arg30 to #hetu.states<[2]> : tensor<64xf32>
    %v285 = tensor.empty() : tensor<32x64xf32>
    %v286 = linalg.broadcast ins(%v284 : tensor<64xf32>) outs(%v285 : tensor<32x64xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v287 = arith.addf %v283, %v286 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v288 = arith.constant dense<5.000000000e-01> : tensor<32x64xf32>
    %v289 = arith.mulf %v287, %v288 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v290 = arith.mulf %v287, %v287 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v291 = arith.mulf %v290, %v287 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v292 = arith.constant dense<4.471500000e-02> : tensor<32x64xf32>
    %v293 = arith.mulf %v291, %v292 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v294 = arith.addf %v287, %v293 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v295 = arith.constant dense<7.978845608e-01> : tensor<32x64xf32>
    %v296 = arith.mulf %v294, %v295 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v297 = math.tanh %v296 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v298 = arith.constant dense<1.000000000e+00> : tensor<32x64xf32>
    %v299 = arith.addf %v297, %v298 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v300 = arith.mulf %v289, %v299 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x64xf32>
    %v301 = hetu.dispatch %arg31 to #hetu.states<[2, 1]> : tensor<64x16xf32>
    %v302 = tensor.empty() : tensor<32x16xf32>
    %v303 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v302 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v304 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v300, %v301 : tensor<32x64xf32>, tensor<64x16xf32>) outs(%v303 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v305 = hetu.dispatch %v304 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v306 = tensor.empty() : tensor<32x16xf32>
    %v307 = linalg.broadcast ins(%arg32 : tensor<16xf32>) outs(%v306 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v308 = arith.addf %v305, %v307 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v309 = arith.addf %v248, %v308 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v310 = tensor.empty() : tensor<32xf32>
    %v311 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v310 : tensor<32xf32>) -> tensor<32xf32>
    %v312 = linalg.reduce ins(%v309 : tensor<32x16xf32>) outs(%v311 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v313 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v314 = arith.mulf %v312, %v313 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32>
    %v315 = tensor.expand_shape %v314 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32> into tensor<32x1xf32>
    %v316 = tensor.collapse_shape %v315 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32> into tensor<32xf32>
    %v317 = tensor.empty() : tensor<32x16xf32>
    %v318 = linalg.broadcast ins(%v316 : tensor<32xf32>) outs(%v317 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v319 = arith.subf %v309, %v318 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v320 = arith.mulf %v319, %v319 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v321 = tensor.empty() : tensor<32xf32>
    %v322 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v321 : tensor<32xf32>) -> tensor<32xf32>
    %v323 = linalg.reduce ins(%v320 : tensor<32x16xf32>) outs(%v322 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v324 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v325 = arith.mulf %v323, %v324 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32>
    %v326 = tensor.expand_shape %v325 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32> into tensor<32x1xf32>
    %v327 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v328 = arith.addf %v326, %v327 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32>
    %v329 = math.rsqrt %v328 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32>
    %v330 = tensor.collapse_shape %v329 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32> into tensor<32xf32>
    %v331 = tensor.empty() : tensor<32x16xf32>
    %v332 = linalg.broadcast ins(%v330 : tensor<32xf32>) outs(%v331 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v333 = arith.mulf %v319, %v332 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v334 = tensor.empty() : tensor<32x16xf32>
    %v335 = linalg.broadcast ins(%arg34 : tensor<16xf32>) outs(%v334 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v336 = arith.mulf %v333, %v335 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v337 = tensor.empty() : tensor<32x16xf32>
    %v338 = linalg.broadcast ins(%arg35 : tensor<16xf32>) outs(%v337 : tensor<32x16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v339 = arith.addf %v336, %v338 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v340 = tensor.empty() : tensor<32x16xf32>
    %v341 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v340 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v342 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v339, %arg36 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v341 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v343 = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041"> : tensor<16xf32>
    %v344 = tensor.empty() : tensor<32x16xf32>
    %v345 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%v1, %v343 : tensor<32xf32>, tensor<16xf32>) outs(%v344 : tensor<32x16xf32>) attrs = {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %t = arith.cmpf oeq, %a0, %a1 : f32
      %one = arith.constant 1.0 : f32
      %zero = arith.constant 0.0 : f32
      %r = arith.select %t, %one, %zero : f32
      linalg.yield %r : f32
    } -> tensor<32x16xf32>
    %v346 = tensor.empty() : tensor<32xf32>
    %v348 = arith.constant 0xFF800000 : f32
    %v347 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v348 : f32) outs(%v346 : tensor<32xf32>) -> tensor<32xf32>
    %v349 = linalg.reduce ins(%v342 : tensor<32x16xf32>) outs(%v347 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.maximumf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v350 = tensor.expand_shape %v349 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32> into tensor<32x1xf32>
    %v351 = tensor.collapse_shape %v350 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32> into tensor<32xf32>
    %v352 = tensor.empty() : tensor<32x16xf32>
    %v353 = linalg.broadcast ins(%v351 : tensor<32xf32>) outs(%v352 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v354 = arith.subf %v342, %v353 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v355 = math.exp %v354 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v356 = tensor.empty() : tensor<32xf32>
    %v357 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v356 : tensor<32xf32>) -> tensor<32xf32>
    %v358 = linalg.reduce ins(%v355 : tensor<32x16xf32>) outs(%v357 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v359 = tensor.expand_shape %v358 [[0, 1]] output_shape [32, 1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32> into tensor<32x1xf32>
    %v360 = math.log %v359 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32>
    %v361 = tensor.collapse_shape %v360 [[0, 1]] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x1xf32> into tensor<32xf32>
    %v362 = tensor.empty() : tensor<32x16xf32>
    %v363 = linalg.broadcast ins(%v361 : tensor<32xf32>) outs(%v362 : tensor<32x16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
    %v364 = arith.subf %v354, %v363 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v365 = arith.mulf %v345, %v364 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32x16xf32>
    %v366 = tensor.empty() : tensor<32xf32>
    %v367 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v366 : tensor<32xf32>) -> tensor<32xf32>
    %v368 = linalg.reduce ins(%v365 : tensor<32x16xf32>) outs(%v367 : tensor<32xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v369 = arith.negf %v368 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<32xf32>
    %v370 = tensor.empty() : tensor<f32>
    %v371 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} ins(%v8 : f32) outs(%v370 : tensor<f32>) -> tensor<f32>
    %v372 = linalg.reduce ins(%v369 : tensor<32xf32>) outs(%v371 : tensor<f32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">}
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v373 = arith.constant dense<3.125000000e-02> : tensor<f32>
    %v374 = arith.mulf %v372, %v373 {hetu.ctx = #hetu.group<"(gpu:2,gpu:3),(gpu:6,gpu:7)">} : tensor<f32>
    return %v374 : tensor<f32>
  }
}
