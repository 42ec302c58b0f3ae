#!/usr/bin/env python3
"""Writes a training step of the MLP  x:BxI -> matmul W1 -> relu -> matmul W2
with a mean-squared-error loss against targets t:BxO, as placed hetu IR:
forward, explicit backward, and hetu.sgd updates. The step returns the
updated parameters ({hetu.updates = <argument>}) and the loss, so
`hetu-run --iterations=K --verify` trains K steps and checks every step
against single-device training.

    examples/gen_train.py --config dp4 | hetu-run - --iterations=3 --verify

Configurations:
  dp4      data parallel, all-reduce strategy, 4 replicas
  dp2-mp2  2 data-parallel replicas of a model-parallel tuple of 2 devices:
           the batch is split across the tuple ([2, 1]), parameters are
           replicated in it
"""

import argparse
import sys


def generate(config, b, i, h, o, lr):
    default = {"dp4": "gpu:0,gpu:1,gpu:2,gpu:3",
               "dp2-mp2": "(gpu:0,gpu:1),(gpu:2,gpu:3)"}[config]
    lines = []
    emit = lines.append
    n = [0]

    def fresh(prefix):
        n[0] += 1
        return "%%%s%d" % (prefix, n[0])

    def zeros(rows, cols):
        e, z = fresh("e"), fresh("z")
        emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, rows, cols))
        emit("%s = linalg.fill ins(%%zero : f32) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
             % (z, e, rows, cols, rows, cols))
        return z

    def matmul(a, w, m, k, nn):
        z, y = zeros(m, nn), fresh("mm")
        emit("%s = linalg.matmul ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
             % (y, a, w, m, k, k, nn, z, m, nn, m, nn))
        return y

    def transpose(x, rows, cols):
        e, t = fresh("e"), fresh("tr")
        emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, cols, rows))
        emit("%s = linalg.transpose ins(%s : tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) permutation = [1, 0]"
             % (t, x, rows, cols, e, cols, rows))
        return t

    x = "%x"
    if config == "dp2-mp2":
        x = fresh("xs")
        emit("%s = hetu.dispatch %%x to #hetu.states<[2, 1]> : tensor<%dx%dxf32>" % (x, b, i))
    # Forward.
    hid = matmul(x, "%w1", b, i, h)
    zh = zeros(b, h)
    e = fresh("e")
    emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, b, h))
    act = fresh("act")
    emit("%s = linalg.max ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
         % (act, hid, zh, b, h, b, h, e, b, h, b, h))
    y = matmul(act, "%w2", h and b, h, o)
    d = fresh("diff")
    emit("%s = arith.subf %s, %%t : tensor<%dx%dxf32>" % (d, y, b, o))
    sq = fresh("sq")
    emit("%s = arith.mulf %s, %s : tensor<%dx%dxf32>" % (sq, d, d, b, o))
    e0, z0, s = fresh("e"), fresh("z"), fresh("sum")
    emit("%s = tensor.empty() : tensor<f32>" % e0)
    emit("%s = linalg.fill ins(%%zero : f32) outs(%s : tensor<f32>) -> tensor<f32>" % (z0, e0))
    emit("%s = linalg.reduce ins(%s : tensor<%dx%dxf32>) outs(%s : tensor<f32>) dimensions = [0, 1]" % (s, sq, b, o, z0))
    emit("  (%in: f32, %acc: f32) {")
    emit("    %add = arith.addf %in, %acc : f32")
    emit("    linalg.yield %add : f32")
    emit("  }")
    scale, loss = fresh("scale"), fresh("loss")
    emit("%s = arith.constant dense<%r> : tensor<f32>" % (scale, 1.0 / (b * o)))
    emit("%s = arith.mulf %s, %s : tensor<f32>" % (loss, s, scale))
    # Backward.
    two, dy = fresh("two"), fresh("dy")
    emit("%s = arith.constant dense<%r> : tensor<%dx%dxf32>" % (two, 2.0 / (b * o), b, o))
    emit("%s = arith.mulf %s, %s : tensor<%dx%dxf32>" % (dy, d, two, b, o))
    dw2 = matmul(transpose(act, b, h), dy, h, b, o)
    da = matmul(dy, transpose("%w2", h, o), b, o, h)
    pos, dh = fresh("pos"), fresh("dh")
    emit("%s = arith.cmpf ogt, %s, %s : tensor<%dx%dxf32>" % (pos, hid, zh, b, h))
    emit("%s = arith.select %s, %s, %s : tensor<%dx%dxi1>, tensor<%dx%dxf32>" % (dh, pos, da, zh, b, h, b, h))
    dw1 = matmul(transpose(x, b, i), dh, i, b, h)
    w1n, w2n = fresh("w1next"), fresh("w2next")
    emit("%s = hetu.sgd %%w1, %s lr %r : tensor<%dx%dxf32>" % (w1n, dw1, lr, i, h))
    emit("%s = hetu.sgd %%w2, %s lr %r : tensor<%dx%dxf32>" % (w2n, dw2, lr, h, o))
    head = ['module attributes {hetu.default_ctx = #hetu.group<"%s">} {' % default,
            "  func.func @train(%%x: tensor<%dx%dxf32>, %%t: tensor<%dx%dxf32>, "
            "%%w1: tensor<%dx%dxf32> {hetu.trainable}, %%w2: tensor<%dx%dxf32> {hetu.trainable})"
            " -> (tensor<%dx%dxf32> {hetu.updates = 2}, tensor<%dx%dxf32> {hetu.updates = 3}, tensor<f32>) {"
            % (b, i, b, o, i, h, h, o, i, h, h, o),
            "    %zero = arith.constant 0.0 : f32"]
    tail = ["    return %s, %s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>, tensor<f32>"
            % (w1n, w2n, loss, i, h, h, o), "  }", "}"]
    return "\n".join(head + ["    " + l for l in lines] + tail) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True, choices=["dp4", "dp2-mp2"])
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--input", type=int, default=16)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--output", type=int, default=4)
    p.add_argument("--lr", type=float, default=0.1)
    a = p.parse_args()
    sys.stdout.write(generate(a.config, a.batch, a.input, a.hidden, a.output, a.lr))


if __name__ == "__main__":
    main()
