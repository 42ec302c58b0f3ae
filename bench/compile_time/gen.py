#!/usr/bin/env python3
"""An N-layer Megatron-style MLP (column-split then row-split weights on 4
devices, bias add, relu), in hetu form or its twin in upstream shard form.

    gen.py --layers 1000 --form hetu  > mlp.hetu.mlir
    gen.py --layers 1000 --form shard > mlp.shard.mlir
"""

import argparse
import sys

B, H, F = 16, 64, 256  # batch, model width, hidden width (4 devices divide)


def hetu(n, out, training=False):
    """The hetu form. With `training`, the weights and biases are trainable
    arguments and the function returns a summed loss: a forward pass for
    hetu-autodiff (11 ops per layer, 3 after it)."""
    t = '#hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">'
    w = out.write
    args = ["%%x: tensor<%dx%dxf32>" % (B, H)]
    if training:
        for i in range(n):
            args += ["%%w1_%d: tensor<%dx%dxf32> {hetu.trainable}" % (i, H, F),
                     "%%b_%d: tensor<%dxf32> {hetu.trainable}" % (i, F),
                     "%%w2_%d: tensor<%dx%dxf32> {hetu.trainable}" % (i, F, H)]
    result = "tensor<f32>" if training else "tensor<%dx%dxf32>" % (B, H)
    w('module attributes {hetu.default_ctx = %s} {\n' % t)
    w("  func.func @mlp(%s) -> %s {\n" % (", ".join(args), result))
    w("    %zero = arith.constant 0.0 : f32\n")
    h = "%x"
    for i in range(n):
        if not training:
            w("    %%w1_%d = arith.constant dense<0.01> : tensor<%dx%dxf32>\n" % (i, H, F))
            w("    %%b_%d = arith.constant dense<0.1> : tensor<%dxf32>\n" % (i, F))
            w("    %%w2_%d = arith.constant dense<0.01> : tensor<%dx%dxf32>\n" % (i, F, H))
        w("    %%a_%d = hetu.dispatch %s to #hetu.states<[1, 1], duplicate = 4> : tensor<%dx%dxf32>\n" % (i, h, B, H))
        w("    %%c_%d = hetu.dispatch %%w1_%d to #hetu.states<[1, 4]> : tensor<%dx%dxf32>\n" % (i, i, H, F))
        w("    %%bd_%d = hetu.dispatch %%b_%d to #hetu.states<[4]> : tensor<%dxf32>\n" % (i, i, F))
        w("    %%r_%d = hetu.dispatch %%w2_%d to #hetu.states<[4, 1]> : tensor<%dx%dxf32>\n" % (i, i, F, H))
        w("    %%e1_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, F))
        w("    %%z1_%d = linalg.fill ins(%%zero : f32) outs(%%e1_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n" % (i, i, B, F, B, F))
        w("    %%y1_%d = linalg.matmul ins(%%a_%d, %%c_%d : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%%z1_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
          % (i, i, i, B, H, H, F, i, B, F, B, F))
        w("    %%eb_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, F))
        w("    %%bb_%d = linalg.broadcast ins(%%bd_%d : tensor<%dxf32>) outs(%%eb_%d : tensor<%dx%dxf32>) dimensions = [0]\n" % (i, i, F, i, B, F))
        w("    %%s_%d = arith.addf %%y1_%d, %%bb_%d : tensor<%dx%dxf32>\n" % (i, i, i, B, F))
        w("    %%g_%d = arith.maximumf %%s_%d, %%z1_%d : tensor<%dx%dxf32>\n" % (i, i, i, B, F))
        w("    %%e2_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, H))
        w("    %%z2_%d = linalg.fill ins(%%zero : f32) outs(%%e2_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n" % (i, i, B, H, B, H))
        w("    %%y2_%d = linalg.matmul ins(%%g_%d, %%r_%d : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%%z2_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
          % (i, i, i, B, F, F, H, i, B, H, B, H))
        h = "%%y2_%d" % i
    if training:
        w("    %e0 = tensor.empty() : tensor<f32>\n")
        w("    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>\n")
        w("    %%l = linalg.reduce ins(%s : tensor<%dx%dxf32>) outs(%%z0 : tensor<f32>) dimensions = [0, 1]\n" % (h, B, H))
        w("      (%in: f32, %acc: f32) {\n        %s = arith.addf %in, %acc : f32\n"
          "        linalg.yield %s : f32\n      }\n")
        h = "%l"
    w("    return %s : %s\n  }\n}\n" % (h, result))


def shard(n, out):
    w = out.write
    w("shard.grid @grid(shape = 4)\n")
    w("func.func @mlp(%%x: tensor<%dx%dxf32>) -> tensor<%dx%dxf32> {\n" % (B, H, B, H))
    w("  %zero = arith.constant 0.0 : f32\n")
    w("  %rep = shard.sharding @grid split_axes = [[]] : !shard.sharding\n")
    w("  %col = shard.sharding @grid split_axes = [[], [0]] : !shard.sharding\n")
    w("  %row = shard.sharding @grid split_axes = [[0]] : !shard.sharding\n")
    w("  %vec = shard.sharding @grid split_axes = [[0]] : !shard.sharding\n")
    h = "%x"
    for i in range(n):
        w("  %%a_%d = shard.shard %s to %%rep annotate_for_users : tensor<%dx%dxf32>\n" % (i, h, B, H))
        w("  %%w1_%d = arith.constant dense<0.01> : tensor<%dx%dxf32>\n" % (i, H, F))
        w("  %%c_%d = shard.shard %%w1_%d to %%col annotate_for_users : tensor<%dx%dxf32>\n" % (i, i, H, F))
        w("  %%b_%d = arith.constant dense<0.1> : tensor<%dxf32>\n" % (i, F))
        w("  %%bd_%d = shard.shard %%b_%d to %%vec annotate_for_users : tensor<%dxf32>\n" % (i, i, F))
        w("  %%w2_%d = arith.constant dense<0.01> : tensor<%dx%dxf32>\n" % (i, F, H))
        w("  %%r_%d = shard.shard %%w2_%d to %%row annotate_for_users : tensor<%dx%dxf32>\n" % (i, i, F, H))
        w("  %%e1_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, F))
        w("  %%z1_%d = linalg.fill ins(%%zero : f32) outs(%%e1_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n" % (i, i, B, F, B, F))
        w("  %%y1_%d = linalg.matmul ins(%%a_%d, %%c_%d : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%%z1_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
          % (i, i, i, B, H, H, F, i, B, F, B, F))
        w("  %%eb_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, F))
        w("  %%bb_%d = linalg.broadcast ins(%%bd_%d : tensor<%dxf32>) outs(%%eb_%d : tensor<%dx%dxf32>) dimensions = [0]\n" % (i, i, F, i, B, F))
        w("  %%s_%d = linalg.add ins(%%y1_%d, %%bb_%d : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%%eb_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
          % (i, i, i, B, F, B, F, i, B, F, B, F))
        w("  %%g_%d = linalg.max ins(%%s_%d, %%z1_%d : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%%eb_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
          % (i, i, i, B, F, B, F, i, B, F, B, F))
        w("  %%e2_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, H))
        w("  %%z2_%d = linalg.fill ins(%%zero : f32) outs(%%e2_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n" % (i, i, B, H, B, H))
        w("  %%y2_%d = linalg.matmul ins(%%g_%d, %%r_%d : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%%z2_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
          % (i, i, i, B, F, F, H, i, B, H, B, H))
        h = "%%y2_%d" % i
    w("  %%out = shard.shard %s to %%rep : tensor<%dx%dxf32>\n" % (h, B, H))
    w("  return %%out : tensor<%dx%dxf32>\n}\n" % (B, H))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--form", choices=["hetu", "shard"], required=True)
    a = p.parse_args()
    (hetu if a.form == "hetu" else shard)(a.layers, sys.stdout)


if __name__ == "__main__":
    main()
