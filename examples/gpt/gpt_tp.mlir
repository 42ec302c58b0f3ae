// Written by examples/gpt/gpt.py --layout tp --emit (a test keeps it in
// sync): the forward loss of a 2-block GPT with hetu.autodiff (Adam).
// Arguments, in the order gpt.py makes them: the tokens, the parameters
// and the labels (4 x 8 per replica, fed as floats); gpt.py
// --write-inputs DIR writes them all for hetu-run/hetu-launch --inputs.
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @main(%arg0: tensor<4x8xf32>, %arg1: tensor<16x16xf32> {hetu.trainable}, %arg2: tensor<8x16xf32> {hetu.trainable}, %arg3: tensor<16xf32> {hetu.trainable}, %arg4: tensor<16xf32> {hetu.trainable}, %arg5: tensor<16x16xf32> {hetu.trainable}, %arg6: tensor<16x16xf32> {hetu.trainable}, %arg7: tensor<16x16xf32> {hetu.trainable}, %arg8: tensor<16x16xf32> {hetu.trainable}, %arg9: tensor<16xf32> {hetu.trainable}, %arg10: tensor<16xf32> {hetu.trainable}, %arg11: tensor<16xf32> {hetu.trainable}, %arg12: tensor<16xf32> {hetu.trainable}, %arg13: tensor<16xf32> {hetu.trainable}, %arg14: tensor<16x64xf32> {hetu.trainable}, %arg15: tensor<64xf32> {hetu.trainable}, %arg16: tensor<64x16xf32> {hetu.trainable}, %arg17: tensor<16xf32> {hetu.trainable}, %arg18: tensor<16xf32> {hetu.trainable}, %arg19: tensor<16xf32> {hetu.trainable}, %arg20: tensor<16x16xf32> {hetu.trainable}, %arg21: tensor<16x16xf32> {hetu.trainable}, %arg22: tensor<16x16xf32> {hetu.trainable}, %arg23: tensor<16x16xf32> {hetu.trainable}, %arg24: tensor<16xf32> {hetu.trainable}, %arg25: tensor<16xf32> {hetu.trainable}, %arg26: tensor<16xf32> {hetu.trainable}, %arg27: tensor<16xf32> {hetu.trainable}, %arg28: tensor<16xf32> {hetu.trainable}, %arg29: tensor<16x64xf32> {hetu.trainable}, %arg30: tensor<64xf32> {hetu.trainable}, %arg31: tensor<64x16xf32> {hetu.trainable}, %arg32: tensor<16xf32> {hetu.trainable}, %arg33: tensor<4x8xf32>, %arg34: tensor<16xf32> {hetu.trainable}, %arg35: tensor<16xf32> {hetu.trainable}, %arg36: tensor<16x16xf32> {hetu.trainable}) -> (tensor<f32>) attributes {hetu.autodiff = {optimizer = "adam", beta1 = 9.000000000e-01, beta2 = 9.990000000e-01, eps = 1.000000000e-08, lr = 1.000000000e-02, weight_decay = 0.000000000e+00}} {
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
    %v162 = tensor.empty() : tensor<32xf32>
    %v163 = linalg.fill ins(%v8 : f32) outs(%v162 : tensor<32xf32>) -> tensor<32xf32>
    %v164 = linalg.reduce ins(%v161 : tensor<32x16xf32>) outs(%v163 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v165 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v166 = arith.mulf %v164, %v165 : tensor<32xf32>
    %v167 = tensor.expand_shape %v166 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v168 = tensor.collapse_shape %v167 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v169 = tensor.empty() : tensor<32x16xf32>
    %v170 = linalg.broadcast ins(%v168 : tensor<32xf32>) outs(%v169 : tensor<32x16xf32>) dimensions = [1]
    %v171 = arith.subf %v161, %v170 : tensor<32x16xf32>
    %v172 = arith.mulf %v171, %v171 : tensor<32x16xf32>
    %v173 = tensor.empty() : tensor<32xf32>
    %v174 = linalg.fill ins(%v8 : f32) outs(%v173 : tensor<32xf32>) -> tensor<32xf32>
    %v175 = linalg.reduce ins(%v172 : tensor<32x16xf32>) outs(%v174 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v176 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v177 = arith.mulf %v175, %v176 : tensor<32xf32>
    %v178 = tensor.expand_shape %v177 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v179 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v180 = arith.addf %v178, %v179 : tensor<32x1xf32>
    %v181 = math.rsqrt %v180 : tensor<32x1xf32>
    %v182 = tensor.collapse_shape %v181 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v183 = tensor.empty() : tensor<32x16xf32>
    %v184 = linalg.broadcast ins(%v182 : tensor<32xf32>) outs(%v183 : tensor<32x16xf32>) dimensions = [1]
    %v185 = arith.mulf %v171, %v184 : tensor<32x16xf32>
    %v186 = tensor.empty() : tensor<32x16xf32>
    %v187 = linalg.broadcast ins(%arg18 : tensor<16xf32>) outs(%v186 : tensor<32x16xf32>) dimensions = [0]
    %v188 = arith.mulf %v185, %v187 : tensor<32x16xf32>
    %v189 = tensor.empty() : tensor<32x16xf32>
    %v190 = linalg.broadcast ins(%arg19 : tensor<16xf32>) outs(%v189 : tensor<32x16xf32>) dimensions = [0]
    %v191 = arith.addf %v188, %v190 : tensor<32x16xf32>
    %v192 = hetu.dispatch %v191 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v193 = hetu.dispatch %arg20 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v194 = tensor.empty() : tensor<32x16xf32>
    %v195 = linalg.fill ins(%v8 : f32) outs(%v194 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v196 = linalg.matmul ins(%v192, %v193 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v195 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v197 = hetu.dispatch %arg24 to #hetu.states<[2]> : tensor<16xf32>
    %v198 = tensor.empty() : tensor<32x16xf32>
    %v199 = linalg.broadcast ins(%v197 : tensor<16xf32>) outs(%v198 : tensor<32x16xf32>) dimensions = [0]
    %v200 = arith.addf %v196, %v199 : tensor<32x16xf32>
    %v201 = tensor.expand_shape %v200 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v202 = tensor.empty() : tensor<4x2x8x8xf32>
    %v203 = linalg.transpose ins(%v201 : tensor<4x8x2x8xf32>) outs(%v202 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v204 = hetu.dispatch %arg21 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v205 = tensor.empty() : tensor<32x16xf32>
    %v206 = linalg.fill ins(%v8 : f32) outs(%v205 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v207 = linalg.matmul ins(%v192, %v204 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v206 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v208 = tensor.expand_shape %v207 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v209 = tensor.empty() : tensor<4x2x8x8xf32>
    %v210 = linalg.transpose ins(%v208 : tensor<4x8x2x8xf32>) outs(%v209 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v211 = tensor.empty() : tensor<4x2x8x8xf32>
    %v212 = linalg.fill ins(%v8 : f32) outs(%v211 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v213 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, n, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v203, %v210 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v212 : tensor<4x2x8x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v214 = arith.constant dense<3.535533906e-01> : tensor<4x2x8x8xf32>
    %v215 = arith.mulf %v213, %v214 : tensor<4x2x8x8xf32>
    %v216 = tensor.empty() : tensor<4x2x8x8xf32>
    %v217 = linalg.broadcast ins(%v69 : tensor<8x8xf32>) outs(%v216 : tensor<4x2x8x8xf32>) dimensions = [0, 1]
    %v218 = arith.addf %v215, %v217 : tensor<4x2x8x8xf32>
    %v220 = tensor.empty() : tensor<4x2x8x8xf32>
    %v219 = linalg.softmax dimension(3) ins(%v218 : tensor<4x2x8x8xf32>) outs(%v220 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v221 = hetu.dispatch %arg22 to #hetu.states<[1, 2]> : tensor<16x16xf32>
    %v222 = tensor.empty() : tensor<32x16xf32>
    %v223 = linalg.fill ins(%v8 : f32) outs(%v222 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v224 = linalg.matmul ins(%v192, %v221 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v223 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v225 = hetu.dispatch %arg25 to #hetu.states<[2]> : tensor<16xf32>
    %v226 = tensor.empty() : tensor<32x16xf32>
    %v227 = linalg.broadcast ins(%v225 : tensor<16xf32>) outs(%v226 : tensor<32x16xf32>) dimensions = [0]
    %v228 = arith.addf %v224, %v227 : tensor<32x16xf32>
    %v229 = tensor.expand_shape %v228 [[0, 1], [2, 3]] output_shape [4, 8, 2, 8] : tensor<32x16xf32> into tensor<4x8x2x8xf32>
    %v230 = tensor.empty() : tensor<4x2x8x8xf32>
    %v231 = linalg.transpose ins(%v229 : tensor<4x8x2x8xf32>) outs(%v230 : tensor<4x2x8x8xf32>) permutation = [0, 2, 1, 3]
    %v232 = tensor.empty() : tensor<4x2x8x8xf32>
    %v233 = linalg.fill ins(%v8 : f32) outs(%v232 : tensor<4x2x8x8xf32>) -> tensor<4x2x8x8xf32>
    %v234 = linalg.generic {indexing_maps = [affine_map<(b0, b1, m, n, k) -> (b0, b1, m, k)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, k, n)>, affine_map<(b0, b1, m, n, k) -> (b0, b1, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v219, %v231 : tensor<4x2x8x8xf32>, tensor<4x2x8x8xf32>) outs(%v233 : tensor<4x2x8x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<4x2x8x8xf32>
    %v235 = tensor.empty() : tensor<4x8x2x8xf32>
    %v236 = linalg.transpose ins(%v234 : tensor<4x2x8x8xf32>) outs(%v235 : tensor<4x8x2x8xf32>) permutation = [0, 2, 1, 3]
    %v237 = tensor.collapse_shape %v236 [[0, 1], [2, 3]] : tensor<4x8x2x8xf32> into tensor<32x16xf32>
    %v238 = hetu.dispatch %arg23 to #hetu.states<[2, 1]> : tensor<16x16xf32>
    %v239 = tensor.empty() : tensor<32x16xf32>
    %v240 = linalg.fill ins(%v8 : f32) outs(%v239 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v241 = linalg.matmul ins(%v237, %v238 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v240 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v242 = hetu.dispatch %v241 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v243 = tensor.empty() : tensor<32x16xf32>
    %v244 = linalg.broadcast ins(%arg26 : tensor<16xf32>) outs(%v243 : tensor<32x16xf32>) dimensions = [0]
    %v245 = arith.addf %v242, %v244 : tensor<32x16xf32>
    %v246 = arith.addf %v161, %v245 : tensor<32x16xf32>
    %v247 = tensor.empty() : tensor<32xf32>
    %v248 = linalg.fill ins(%v8 : f32) outs(%v247 : tensor<32xf32>) -> tensor<32xf32>
    %v249 = linalg.reduce ins(%v246 : tensor<32x16xf32>) outs(%v248 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v250 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v251 = arith.mulf %v249, %v250 : tensor<32xf32>
    %v252 = tensor.expand_shape %v251 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v253 = tensor.collapse_shape %v252 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v254 = tensor.empty() : tensor<32x16xf32>
    %v255 = linalg.broadcast ins(%v253 : tensor<32xf32>) outs(%v254 : tensor<32x16xf32>) dimensions = [1]
    %v256 = arith.subf %v246, %v255 : tensor<32x16xf32>
    %v257 = arith.mulf %v256, %v256 : tensor<32x16xf32>
    %v258 = tensor.empty() : tensor<32xf32>
    %v259 = linalg.fill ins(%v8 : f32) outs(%v258 : tensor<32xf32>) -> tensor<32xf32>
    %v260 = linalg.reduce ins(%v257 : tensor<32x16xf32>) outs(%v259 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v261 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v262 = arith.mulf %v260, %v261 : tensor<32xf32>
    %v263 = tensor.expand_shape %v262 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v264 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v265 = arith.addf %v263, %v264 : tensor<32x1xf32>
    %v266 = math.rsqrt %v265 : tensor<32x1xf32>
    %v267 = tensor.collapse_shape %v266 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v268 = tensor.empty() : tensor<32x16xf32>
    %v269 = linalg.broadcast ins(%v267 : tensor<32xf32>) outs(%v268 : tensor<32x16xf32>) dimensions = [1]
    %v270 = arith.mulf %v256, %v269 : tensor<32x16xf32>
    %v271 = tensor.empty() : tensor<32x16xf32>
    %v272 = linalg.broadcast ins(%arg27 : tensor<16xf32>) outs(%v271 : tensor<32x16xf32>) dimensions = [0]
    %v273 = arith.mulf %v270, %v272 : tensor<32x16xf32>
    %v274 = tensor.empty() : tensor<32x16xf32>
    %v275 = linalg.broadcast ins(%arg28 : tensor<16xf32>) outs(%v274 : tensor<32x16xf32>) dimensions = [0]
    %v276 = arith.addf %v273, %v275 : tensor<32x16xf32>
    %v277 = hetu.dispatch %v276 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v278 = hetu.dispatch %arg29 to #hetu.states<[1, 2]> : tensor<16x64xf32>
    %v279 = tensor.empty() : tensor<32x64xf32>
    %v280 = linalg.fill ins(%v8 : f32) outs(%v279 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v281 = linalg.matmul ins(%v277, %v278 : tensor<32x16xf32>, tensor<16x64xf32>) outs(%v280 : tensor<32x64xf32>) -> tensor<32x64xf32>
    %v282 = hetu.dispatch %arg30 to #hetu.states<[2]> : tensor<64xf32>
    %v283 = tensor.empty() : tensor<32x64xf32>
    %v284 = linalg.broadcast ins(%v282 : tensor<64xf32>) outs(%v283 : tensor<32x64xf32>) dimensions = [0]
    %v285 = arith.addf %v281, %v284 : tensor<32x64xf32>
    %v286 = arith.constant dense<5.000000000e-01> : tensor<32x64xf32>
    %v287 = arith.mulf %v285, %v286 : tensor<32x64xf32>
    %v288 = arith.mulf %v285, %v285 : tensor<32x64xf32>
    %v289 = arith.mulf %v288, %v285 : tensor<32x64xf32>
    %v290 = arith.constant dense<4.471500000e-02> : tensor<32x64xf32>
    %v291 = arith.mulf %v289, %v290 : tensor<32x64xf32>
    %v292 = arith.addf %v285, %v291 : tensor<32x64xf32>
    %v293 = arith.constant dense<7.978845608e-01> : tensor<32x64xf32>
    %v294 = arith.mulf %v292, %v293 : tensor<32x64xf32>
    %v295 = math.tanh %v294 : tensor<32x64xf32>
    %v296 = arith.constant dense<1.000000000e+00> : tensor<32x64xf32>
    %v297 = arith.addf %v295, %v296 : tensor<32x64xf32>
    %v298 = arith.mulf %v287, %v297 : tensor<32x64xf32>
    %v299 = hetu.dispatch %arg31 to #hetu.states<[2, 1]> : tensor<64x16xf32>
    %v300 = tensor.empty() : tensor<32x16xf32>
    %v301 = linalg.fill ins(%v8 : f32) outs(%v300 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v302 = linalg.matmul ins(%v298, %v299 : tensor<32x64xf32>, tensor<64x16xf32>) outs(%v301 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v303 = hetu.dispatch %v302 to #hetu.states<[1, 1], duplicate = 2> : tensor<32x16xf32>
    %v304 = tensor.empty() : tensor<32x16xf32>
    %v305 = linalg.broadcast ins(%arg32 : tensor<16xf32>) outs(%v304 : tensor<32x16xf32>) dimensions = [0]
    %v306 = arith.addf %v303, %v305 : tensor<32x16xf32>
    %v307 = arith.addf %v246, %v306 : tensor<32x16xf32>
    %v308 = tensor.empty() : tensor<32xf32>
    %v309 = linalg.fill ins(%v8 : f32) outs(%v308 : tensor<32xf32>) -> tensor<32xf32>
    %v310 = linalg.reduce ins(%v307 : tensor<32x16xf32>) outs(%v309 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v311 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v312 = arith.mulf %v310, %v311 : tensor<32xf32>
    %v313 = tensor.expand_shape %v312 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v314 = tensor.collapse_shape %v313 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v315 = tensor.empty() : tensor<32x16xf32>
    %v316 = linalg.broadcast ins(%v314 : tensor<32xf32>) outs(%v315 : tensor<32x16xf32>) dimensions = [1]
    %v317 = arith.subf %v307, %v316 : tensor<32x16xf32>
    %v318 = arith.mulf %v317, %v317 : tensor<32x16xf32>
    %v319 = tensor.empty() : tensor<32xf32>
    %v320 = linalg.fill ins(%v8 : f32) outs(%v319 : tensor<32xf32>) -> tensor<32xf32>
    %v321 = linalg.reduce ins(%v318 : tensor<32x16xf32>) outs(%v320 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v322 = arith.constant dense<6.250000000e-02> : tensor<32xf32>
    %v323 = arith.mulf %v321, %v322 : tensor<32xf32>
    %v324 = tensor.expand_shape %v323 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v325 = arith.constant dense<1.000000000e-05> : tensor<32x1xf32>
    %v326 = arith.addf %v324, %v325 : tensor<32x1xf32>
    %v327 = math.rsqrt %v326 : tensor<32x1xf32>
    %v328 = tensor.collapse_shape %v327 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v329 = tensor.empty() : tensor<32x16xf32>
    %v330 = linalg.broadcast ins(%v328 : tensor<32xf32>) outs(%v329 : tensor<32x16xf32>) dimensions = [1]
    %v331 = arith.mulf %v317, %v330 : tensor<32x16xf32>
    %v332 = tensor.empty() : tensor<32x16xf32>
    %v333 = linalg.broadcast ins(%arg34 : tensor<16xf32>) outs(%v332 : tensor<32x16xf32>) dimensions = [0]
    %v334 = arith.mulf %v331, %v333 : tensor<32x16xf32>
    %v335 = tensor.empty() : tensor<32x16xf32>
    %v336 = linalg.broadcast ins(%arg35 : tensor<16xf32>) outs(%v335 : tensor<32x16xf32>) dimensions = [0]
    %v337 = arith.addf %v334, %v336 : tensor<32x16xf32>
    %v338 = tensor.empty() : tensor<32x16xf32>
    %v339 = linalg.fill ins(%v8 : f32) outs(%v338 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v340 = linalg.matmul ins(%v337, %arg36 : tensor<32x16xf32>, tensor<16x16xf32>) outs(%v339 : tensor<32x16xf32>) -> tensor<32x16xf32>
    %v341 = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041"> : tensor<16xf32>
    %v342 = tensor.empty() : tensor<32x16xf32>
    %v343 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%v1, %v341 : tensor<32xf32>, tensor<16xf32>) outs(%v342 : tensor<32x16xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %t = arith.cmpf oeq, %a0, %a1 : f32
      %one = arith.constant 1.0 : f32
      %zero = arith.constant 0.0 : f32
      %r = arith.select %t, %one, %zero : f32
      linalg.yield %r : f32
    } -> tensor<32x16xf32>
    %v344 = tensor.empty() : tensor<32xf32>
    %v346 = arith.constant 0xFF800000 : f32
    %v345 = linalg.fill ins(%v346 : f32) outs(%v344 : tensor<32xf32>) -> tensor<32xf32>
    %v347 = linalg.reduce ins(%v340 : tensor<32x16xf32>) outs(%v345 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.maximumf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v348 = tensor.expand_shape %v347 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v349 = tensor.collapse_shape %v348 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v350 = tensor.empty() : tensor<32x16xf32>
    %v351 = linalg.broadcast ins(%v349 : tensor<32xf32>) outs(%v350 : tensor<32x16xf32>) dimensions = [1]
    %v352 = arith.subf %v340, %v351 : tensor<32x16xf32>
    %v353 = math.exp %v352 : tensor<32x16xf32>
    %v354 = tensor.empty() : tensor<32xf32>
    %v355 = linalg.fill ins(%v8 : f32) outs(%v354 : tensor<32xf32>) -> tensor<32xf32>
    %v356 = linalg.reduce ins(%v353 : tensor<32x16xf32>) outs(%v355 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v357 = tensor.expand_shape %v356 [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
    %v358 = math.log %v357 : tensor<32x1xf32>
    %v359 = tensor.collapse_shape %v358 [[0, 1]] : tensor<32x1xf32> into tensor<32xf32>
    %v360 = tensor.empty() : tensor<32x16xf32>
    %v361 = linalg.broadcast ins(%v359 : tensor<32xf32>) outs(%v360 : tensor<32x16xf32>) dimensions = [1]
    %v362 = arith.subf %v352, %v361 : tensor<32x16xf32>
    %v363 = arith.mulf %v343, %v362 : tensor<32x16xf32>
    %v364 = tensor.empty() : tensor<32xf32>
    %v365 = linalg.fill ins(%v8 : f32) outs(%v364 : tensor<32xf32>) -> tensor<32xf32>
    %v366 = linalg.reduce ins(%v363 : tensor<32x16xf32>) outs(%v365 : tensor<32xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v367 = arith.negf %v366 : tensor<32xf32>
    %v368 = tensor.empty() : tensor<f32>
    %v369 = linalg.fill ins(%v8 : f32) outs(%v368 : tensor<f32>) -> tensor<f32>
    %v370 = linalg.reduce ins(%v367 : tensor<32xf32>) outs(%v369 : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %c = arith.addf %in, %acc : f32
        linalg.yield %c : f32
      }
    %v371 = arith.constant dense<3.125000000e-02> : tensor<f32>
    %v372 = arith.mulf %v370, %v371 : tensor<f32>
    return %v372 : tensor<f32>
  }
}
